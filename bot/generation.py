"""Text generation behind one small protocol: llama.cpp (default, CPU) and transformers."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

Message = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": "..."}


class Generator(Protocol):
    """Chat messages in, text out (greedy: the same question gives the same answer)."""

    def generate(self, messages: list[Message], max_new_tokens: int = 256) -> str: ...

    def stream(self, messages: list[Message], max_new_tokens: int = 256) -> Iterator[str]: ...


def compact_state_cache(capacity_bytes: int) -> Any:
    """llama-cpp-python's LlamaRAMCache, keeping of each saved state's logits only the last
    row. Its states carry the logits of every prompt token (n_tokens × 151,936 floats: 250 MB
    for a 400-token prompt) that its capacity does not count: the serving process grew by
    ~330 MB a question (3.1 → 5.5 GB over six). Only the last row is read to continue."""
    from llama_cpp import LlamaRAMCache

    class CompactStateCache(LlamaRAMCache):
        def __setitem__(self, key, value) -> None:
            if value.scores.shape[0] > 1:
                value.scores = value.scores[-1:].copy()  # load_state broadcasts it back
            super().__setitem__(key, value)

    return CompactStateCache(capacity_bytes=capacity_bytes)


class LlamaCppGenerator:
    """A GGUF model run by llama.cpp on the CPU. Not thread-safe, so calls are serialised."""

    def __init__(
        self,
        model_path: Path,
        context_tokens: int = 4096,
        threads: int | None = None,
        prompt_cache_bytes: int = 512 << 20,
    ) -> None:
        self.model_path = Path(model_path)
        self.context_tokens = context_tokens
        # llama-cpp-python's default is half the cores: on a 2-core laptop that halves speed
        self.threads = threads or os.cpu_count() or 1
        # Model states of recent prompts, so a prompt that starts like an earlier one (the
        # system prompt and worked examples of either language) resumes from there.
        self.prompt_cache_bytes = prompt_cache_bytes
        self._llm: Any = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        if self._llm is None:
            from llama_cpp import Llama

            self._llm = Llama(
                model_path=str(self.model_path),
                n_ctx=self.context_tokens,
                n_threads=self.threads,
                seed=0,
                verbose=False,
            )
            if self.prompt_cache_bytes:
                self._llm.set_cache(compact_state_cache(self.prompt_cache_bytes))

    def stream(self, messages: list[Message], max_new_tokens: int = 256) -> Iterator[str]:
        with self._lock:
            self.warm_up()
            chunks = self._llm.create_chat_completion(
                messages=messages, max_tokens=max_new_tokens, temperature=0.0, stream=True
            )
            for chunk in chunks:
                text = chunk["choices"][0]["delta"].get("content")
                if text:
                    yield text

    def generate(self, messages: list[Message], max_new_tokens: int = 256) -> str:
        return "".join(self.stream(messages, max_new_tokens))


class TransformersGenerator:
    """A Hugging Face model from a local directory (or a GGUF file, through `gguf_file=`),
    streamed with TextIteratorStreamer. Uses the GPU when there is one."""

    def __init__(self, model_path: Path, device: str | None = None) -> None:
        self.model_path = Path(model_path)
        self.device = device
        self._model: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
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

    def stream(self, messages: list[Message], max_new_tokens: int = 256) -> Iterator[str]:
        from transformers import TextIteratorStreamer

        with self._lock:
            self.warm_up()
            inputs = self._tokenizer.apply_chat_template(
                messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
            ).to(self._model.device)
            streamer = TextIteratorStreamer(
                self._tokenizer, skip_prompt=True, skip_special_tokens=True
            )
            worker = threading.Thread(
                target=self._model.generate,
                kwargs={**inputs, "streamer": streamer, "max_new_tokens": max_new_tokens,
                        "do_sample": False},
            )  # fmt: skip
            worker.start()
            try:
                yield from (text for text in streamer if text)
            finally:
                worker.join()

    def generate(self, messages: list[Message], max_new_tokens: int = 256) -> str:
        return "".join(self.stream(messages, max_new_tokens))
