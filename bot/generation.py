"""Text generation behind one small protocol: llama.cpp (default, CPU) and transformers."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from bot.copying import CopyDecoding, CopyRule
from bot.prompt_states import PromptStates
from bot.script_ban import ScriptBan, arabic_tokens

Message = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": "..."}


def prompt_digest(messages: list[Message]) -> str:
    """A short fingerprint of what a model is given to read: two prompts that differ in a
    letter differ in it (the eval keeps it, so that a replay knows which answers it may reuse)."""
    text = json.dumps(messages, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class Generator(Protocol):
    """Chat messages in, text out (greedy: the same question gives the same answer). With
    `copy`, a model run here writes only what the rule allows (bot/copying.py); with
    `no_arabic`, no Arabic letters (bot/script_ban.py: an English answer only translates). A stream
    may also yield notes that are not text: `Waiting` before it, `Certainty` after it."""

    def generate(self, messages: list[Message], max_new_tokens: int = 256) -> str: ...

    def stream(
        self,
        messages: list[Message],
        max_new_tokens: int = 256,
        copy: CopyRule | None = None,
        no_arabic: bool = False,
    ) -> Iterator[str]: ...


@runtime_checkable
class Resampler(Protocol):
    """A model run here that can write its answer to the same messages again with some
    freedom (sampled, each from its own seed: the same prompt gives the same samples)."""

    def resample(
        self,
        messages: list[Message],
        count: int,
        max_new_tokens: int,
        after: Certainty | None = None,
    ) -> Iterator[str]: ...


@dataclass(frozen=True)
class Waiting:
    """Yielded by a model's stream, before any text, while other questions are ahead of it."""

    ahead: int


@dataclass(frozen=True)
class Certainty:
    """Yielded by a model's stream after its whole text (models run here): the probability
    the model gave each token it wrote, its likeliest (greedy), for the confidence check."""

    probabilities: tuple[float, ...]
    # the stream's turn at the model, still held while the stream waits at this note: its
    # draft's samples are written in it (`resample(..., after=)`), not at the back of the line
    turn: object | None = field(default=None, compare=False, repr=False)


class TokenProbabilities:
    """A llama.cpp logits processor that changes nothing: it notes the probability of the
    likeliest next token (a softmax over the scores it is given) at every step."""

    def __init__(self) -> None:
        self.seen: list[float] = []

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        import numpy as np

        self.seen.append(float(1.0 / np.sum(np.exp(scores - np.max(scores)))))
        return scores


class Turns:
    """The model's line: one question at a time, first come first served (a plain lock lets
    any waiter in next). It knows how many wait, and how long the model has been busy."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._line: deque[object] = deque()
        self.busy_seconds = 0.0

    @property
    def waiting(self) -> int:
        return max(0, len(self._line) - 1)

    def join(self) -> object:
        ticket = object()
        with self._changed:
            self._line.append(ticket)
        return ticket

    def holds(self, ticket: object) -> bool:
        """Whether `ticket` has the model now."""
        with self._changed:
            return bool(self._line) and self._line[0] is ticket

    def ahead(self, ticket: object, wait: float = 0.0) -> int:
        """How many are ahead of `ticket`; waits up to `wait` seconds for that to change."""
        with self._changed:
            if (ahead := self._line.index(ticket)) and wait:
                self._changed.wait(wait)
                ahead = self._line.index(ticket)
            return ahead

    def leave(self, ticket: object, busy_since: float | None = None) -> None:
        with self._changed:
            self._line.remove(ticket)
            if busy_since is not None:
                self.busy_seconds += time.monotonic() - busy_since
            self._changed.notify_all()

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Wait for the model's turn without telling anyone, and hold it."""
        ticket, since = self.join(), None
        try:
            while self.ahead(ticket, wait=1.0):
                pass
            since = time.monotonic()
            yield
        finally:
            self.leave(ticket, since)


class OneAtATime:
    """A model run in this process (llama.cpp, transformers) is not thread-safe: every call
    waits its turn in one line and holds it from its first token to its last, so chats asked
    at once each get a whole answer of their own; while waiting, `stream` says how many are
    ahead (`Waiting`). Subclasses write `_stream`."""

    def __init__(self) -> None:
        self.turns = Turns()

    def warm_up(self) -> None:
        with self.turns.hold():
            self._load()

    def _load(self) -> None: ...

    def _stream(
        self, messages: list[Message], max_new_tokens: int, copy: CopyRule | None, no_arabic: bool
    ) -> Iterator[str]: ...

    def stream(
        self,
        messages: list[Message],
        max_new_tokens: int = 256,
        copy: CopyRule | None = None,
        no_arabic: bool = False,
    ) -> Iterator[str]:
        ticket, since = self.turns.join(), None
        try:
            told = None
            while ahead := self.turns.ahead(ticket, wait=0.0 if told is None else 0.5):
                if ahead != told:
                    told = ahead
                    yield Waiting(ahead)  # type: ignore[misc]
            since = time.monotonic()
            self._load()
            for piece in self._stream(messages, max_new_tokens, copy, no_arabic):
                yield replace(piece, turn=ticket) if isinstance(piece, Certainty) else piece
        finally:  # also when the reader goes away: the next in line goes on at once
            self.turns.leave(ticket, since)

    def generate(self, messages: list[Message], max_new_tokens: int = 256) -> str:
        return text_of(self.stream(messages, max_new_tokens))

    def resample(
        self,
        messages: list[Message],
        count: int,
        max_new_tokens: int,
        after: Certainty | None = None,
    ) -> Iterator[str]:
        """Up to `count` answers written again, one at a time: the reader may stop early.
        Asked `after` the draft's own `Certainty`, while its stream still waits there holding
        the model, they are written in the draft's turn, from the prompt the model has just
        read, before the next chat in line (at the back of the line they would wait for every
        draft queued behind theirs, and the prompt would be read again after another one).
        Otherwise they wait their turn like anyone."""
        held = after is not None and self.turns.holds(after.turn)
        with nullcontext() if held else self.turns.hold():
            self._load()
            yield from self._resample(messages, count, max_new_tokens)

    def _resample(self, messages: list[Message], count: int, max_new_tokens: int) -> Iterator[str]:
        return iter(())  # a model that cannot sample gives none: nothing is checked by them


def text_of(pieces: Iterator[Any]) -> str:
    """A model's stream read whole, without its `Waiting` and `Certainty` notes."""
    return "".join(piece for piece in pieces if isinstance(piece, str))


class GeneratorUnavailable(RuntimeError):
    """The language model server cannot be reached or failed to answer."""


class OpenAIGenerator:
    """Any OpenAI-compatible chat server, streamed: llama.cpp's own (`python -m
    llama_cpp.server`, from llama-cpp-python[server]), vLLM or TGI on GPU machines. The server
    serves many clients at once, so calls are not serialised here."""

    def __init__(
        self, base_url: str, model: str = "sanad", api_key: str = "none", timeout: float = 120.0
    ) -> None:
        from openai import OpenAI

        self.base_url = base_url.rstrip("/")
        if not self.base_url.endswith("/v1"):
            self.base_url += "/v1"
        self.model = model
        self._client = OpenAI(
            base_url=self.base_url, api_key=api_key, timeout=timeout, max_retries=1
        )

    def warm_up(self) -> None:
        """Check that the server answers (the model is loaded by the server, not here)."""
        import openai

        try:
            self._client.models.list()
        except openai.APIError as exc:
            raise GeneratorUnavailable(self._unreachable(exc)) from exc

    def _unreachable(self, exc: Exception) -> str:
        return f"the language model server at {self.base_url} cannot be reached ({exc})"

    def stream(
        self,
        messages: list[Message],
        max_new_tokens: int = 256,
        copy: CopyRule | None = None,
        no_arabic: bool = False,
    ) -> Iterator[str]:
        """`copy` and `no_arabic` are not sent: a server cannot run this process's rules. The
        prompts still ask for the passages' words or a translation, and the checks still run."""
        import openai

        try:
            chunks = self._client.chat.completions.create(
                model=self.model, messages=messages, max_tokens=max_new_tokens,  # type: ignore[arg-type]
                temperature=0.0, seed=0, stream=True,
            )  # fmt: skip
            for chunk in chunks:
                text = chunk.choices[0].delta.content if chunk.choices else None
                if text:
                    yield text
        except openai.APIError as exc:
            raise GeneratorUnavailable(self._unreachable(exc)) from exc

    def generate(self, messages: list[Message], max_new_tokens: int = 256) -> str:
        return "".join(self.stream(messages, max_new_tokens))


class LlamaCppGenerator(OneAtATime):
    """A GGUF model run by llama.cpp on the CPU, one call at a time."""

    def __init__(
        self,
        model_path: Path,
        context_tokens: int = 4096,
        threads: int | None = None,
        n_batch: int = 64,
    ) -> None:
        super().__init__()
        self.n_batch = n_batch
        self.model_path = Path(model_path)
        self.context_tokens = context_tokens
        # llama-cpp-python's default is half the cores: on a 2-core laptop that halves speed
        self.threads = threads or os.cpu_count() or 1
        self._llm: Any = None
        # the states after each prompt's fixed part (system prompt, worked examples): every
        # prompt is read from there, so its answer does not depend on what came before it
        self._states: PromptStates | None = None
        self._stops: set[int] = set()
        self._arabic: list[int] | None = None  # the tokens that write Arabic letters

    def _load(self) -> None:
        if self._llm is None:
            from llama_cpp import Llama

            self._llm = Llama(
                model_path=str(self.model_path),
                n_ctx=self.context_tokens,
                n_threads=self.threads,
                n_batch=self.n_batch,
                seed=0,
                verbose=False,
            )
            self._states = PromptStates(self._llm)
            # the tokens that end an answer (Qwen's end of turn), for copy decoding
            end_of_turn = self._llm.tokenize(b"<|im_end|>", add_bos=False, special=True)
            self._stops = {self._llm.token_eos(), *end_of_turn}

    def prompt_tokens(self, messages: list[Message]) -> int:
        """Tokens the model reads for these messages (Qwen's ChatML: 5 around each message,
        3 to open the answer)."""
        with self.turns.hold():
            self._load()
            count = sum(len(self._llm.tokenize(m["content"].encode(), False, True)) + 5
                        for m in messages)  # fmt: skip
        return count + 3

    def _stream(
        self, messages: list[Message], max_new_tokens: int, copy: CopyRule | None, no_arabic: bool
    ) -> Iterator[str]:
        from llama_cpp import LogitsProcessorList

        noted = TokenProbabilities()  # last: the probabilities of what may be written
        processors = LogitsProcessorList([noted])
        if no_arabic:
            if self._arabic is None:  # found once, when first asked for (0.6 s)
                self._arabic = arabic_tokens(self._llm.detokenize, self._llm.n_vocab())
            processors.insert(0, ScriptBan(self._arabic))
        if copy is not None:
            processors.insert(0, CopyDecoding(copy, self._llm.detokenize, self._stops))
        self._states.resume(messages)
        chunks = self._llm.create_chat_completion(
            messages=messages, max_tokens=max_new_tokens, temperature=0.0, stream=True,
            logits_processor=processors,
        )  # fmt: skip
        try:
            for chunk in chunks:
                text = chunk["choices"][0]["delta"].get("content")
                if text:
                    yield text
        finally:
            self._states.remember()
        yield Certainty(tuple(noted.seen))

    # Freedom enough to write another fact where the model hesitated between two, not so much
    # that a fact it is sure of is lost (measured in bench/results/reading.md, fifteenth session).
    TEMPERATURE, TOP_P = 0.8, 0.95

    def _resample(self, messages: list[Message], count: int, max_new_tokens: int) -> Iterator[str]:
        for seed in range(1, count + 1):
            self._states.resume(messages)  # the prompt was just read: only its last block again
            try:
                out = self._llm.create_chat_completion(
                    messages=messages, max_tokens=max_new_tokens, temperature=self.TEMPERATURE,
                    top_p=self.TOP_P, seed=seed,
                )  # fmt: skip
            finally:
                self._states.remember()
            yield out["choices"][0]["message"]["content"] or ""


class TransformersGenerator(OneAtATime):
    """A Hugging Face model from a local directory (or a GGUF file, through `gguf_file=`),
    streamed with TextIteratorStreamer. Uses the GPU when there is one."""

    def __init__(self, model_path: Path, device: str | None = None) -> None:
        super().__init__()
        self.model_path = Path(model_path)
        self.device = device
        self._model: Any = None
        self._tokenizer: Any = None
        self._arabic: Any = None  # the tokens that write Arabic letters (a tensor)

    def _load(self) -> None:
        if self._model is not None:
            return
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local model only: never the hub
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        if self.model_path.is_file():  # a GGUF file: transformers dequantises it on load
            where, extra = str(self.model_path.parent), {"gguf_file": self.model_path.name}
        else:
            where, extra = str(self.model_path), {}
        device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
        self._tokenizer = AutoTokenizer.from_pretrained(where, local_files_only=True, **extra)
        self._model = AutoModelForCausalLM.from_pretrained(
            where, local_files_only=True, dtype=torch.float32 if device == "cpu" else None, **extra
        ).to(device)
        self._model.eval()

    def _stream(
        self, messages: list[Message], max_new_tokens: int, copy: CopyRule | None, no_arabic: bool
    ) -> Iterator[str]:
        from transformers import LogitsProcessorList, TextIteratorStreamer

        inputs = self._tokenizer.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
        ).to(self._model.device)
        streamer = TextIteratorStreamer(self._tokenizer, skip_prompt=True, skip_special_tokens=True)
        worker = threading.Thread(
            target=self._model.generate,
            kwargs={**inputs, "streamer": streamer, "max_new_tokens": max_new_tokens,
                    "do_sample": False,
                    "logits_processor": LogitsProcessorList(
                        ([] if copy is None else [self._copy_decoding(copy)])
                        + ([self._script_ban()] if no_arabic else []))},
        )  # fmt: skip
        worker.start()
        try:
            yield from (text for text in streamer if text)
        finally:
            worker.join()

    def _detokenize(self, ids: list[int]) -> bytes:
        """Tokens' bytes (byte-level BPE: a token may be half a letter)."""
        byte_of = _bpe_bytes()
        pieces = self._tokenizer.convert_ids_to_tokens(ids)
        return b"".join(bytes(byte_of.get(c, 0) for c in piece) for piece in pieces)

    def _script_ban(self) -> Callable[[Any, Any], Any]:
        """ScriptBan's rule over transformers' scores (a tensor row per sequence)."""
        import torch

        if self._arabic is None:  # found once (about a second)
            banned = arabic_tokens(self._detokenize, len(self._tokenizer))
            self._arabic = torch.tensor(banned, dtype=torch.long)
        banned = self._arabic

        def process(input_ids: Any, scores: Any) -> Any:
            scores[:, banned.to(scores.device)] = -torch.inf
            return scores

        return process

    def _copy_decoding(self, copy: CopyRule) -> Callable[[Any, Any], Any]:
        """CopyDecoding over transformers' batch of one (token tensors in, scores tensor out)."""
        import torch

        tokenizer = self._tokenizer
        stops = {tokenizer.eos_token_id, tokenizer.convert_tokens_to_ids("<|im_end|>")} - {None}
        decoding = CopyDecoding(copy, self._detokenize, {int(t) for t in stops})

        def process(input_ids: Any, scores: Any) -> Any:
            kept = decoding(input_ids[0].tolist(), scores[0].float().cpu().numpy())
            return torch.from_numpy(kept).to(scores.device, scores.dtype)[None]

        return process


@cache
def _bpe_bytes() -> dict[str, int]:
    """Byte-level BPE's characters and the bytes they stand for."""
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    return {char: byte for byte, char in bytes_to_unicode().items()}
