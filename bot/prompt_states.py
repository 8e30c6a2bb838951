"""Where llama.cpp starts reading a prompt: always from the state after the prompt's fixed
part (the system prompt and worked examples, everything before the last message), computed
once and loaded before every prompt that begins with it.

llama-cpp-python's own prompt cache resumes from the longest earlier prompt that matches,
so one question is read from a different point, in different batches, depending on what was
asked before it, and greedy answers on a near tie differ: the same question asked twice in
the web chat could get two different figures. Resuming from one fixed point makes an answer
depend on its prompt alone: the same in the web chat, the command line and the evaluation.
The fixed part is still read only once, and passages shared with the last question are kept
in whole blocks, so a question costs about what it did (measured in bench/results/reading.md)."""

from __future__ import annotations

import os
from collections import OrderedDict
from typing import Any

Message = dict[str, str]  # as in bot.generation (which imports this module)


class PromptStates:
    """The model states after each prompt's fixed part and after the last prompt read on
    from it, for the `capacity` most recently used fixed parts (~10–20 MB a state:
    llama.cpp's memory of the tokens, and one row of logits)."""

    def __init__(self, llm: Any, capacity: int = 8) -> None:
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        self.llm = llm
        self.capacity = capacity
        # per fixed part: the state after it, and the last prompt read on from it and the
        # state after that
        self.states: OrderedDict[tuple[int, ...], list[Any]] = OrderedDict()
        self.reading: tuple[tuple[int, ...], list[int]] | None = None  # fixed part, prompt
        template = llm.metadata.get("tokenizer.chat_template")
        # the model's own chat template, as llama-cpp-python renders it for a chat completion
        self.formatter = template and Jinja2ChatFormatter(
            template=template,
            eos_token=llm._model.token_get_text(llm.token_eos()),
            bos_token=llm._model.token_get_text(llm.token_bos()),
        )

    def tokens(self, messages: list[Message]) -> tuple[list[int], list[int]]:
        """The prompt's tokens as llama-cpp-python reads them, and those of its fixed part
        (the text shared with the same prompt whose last message is empty); no fixed part
        for a model without a chat template."""
        if not self.formatter or not messages:
            return [], []
        full = self.formatter(messages=messages).prompt
        blank = self.formatter(messages=[*messages[:-1], {**messages[-1], "content": ""}])
        fixed = os.path.commonprefix([full, blank.prompt])

        def tokenize(text: str) -> list[int]:  # the template writes its own special tokens
            return self.llm.tokenize(text.encode(), add_bos=False, special=True)

        prompt, start = tokenize(full), tokenize(fixed)
        while start and prompt[: len(start)] != start:  # a token across the seam
            start.pop()
        return prompt, start

    def resume(self, messages: list[Message]) -> None:
        """Put the model where reading this prompt starts: after its fixed part, or further
        on, at the end of the last block it shares with the last prompt of the same fixed
        part (a follow-up on the same passages).

        llama.cpp reads a prompt in blocks of `n_batch` tokens, and a token's memory depends
        only on the tokens before it and on the size of the block it was read in. Every prompt
        is read in whole blocks counted from the end of its fixed part, so a whole block that
        two prompts share was read the same way by both and is kept; the rest is read anew."""
        prompt, fixed = self.tokens(messages)
        key, n, block = tuple(fixed), len(fixed), max(1, self.llm.n_batch)
        if key not in self.states:
            self.llm.reset()
            if fixed:
                self.llm.eval(fixed)
            self.states[key] = [compact(self.llm.save_state()), [], None]
            while len(self.states) > self.capacity:
                self.states.popitem(last=False)
        self.states.move_to_end(key)
        state, read, after = self.states[key]
        shared = common_prefix(read, prompt[:-1])  # a prompt's last token is always read
        keep = n + max(0, shared - n) // block * block
        self.llm.load_state(after if keep > n else state)  # megabytes: ~20 ms
        self.llm.n_tokens = keep
        self.reading = (key, prompt)

    def remember(self) -> None:
        """After a completion (or one cut short): the model's memory of the prompt it read,
        for the next prompt of the same fixed part."""
        if self.reading is None or self.reading[0] not in self.states:
            return
        key, prompt = self.reading
        self.reading = None
        read = common_prefix(self.llm._input_ids.tolist(), prompt)
        self.states[key][1:] = [prompt[:read], compact(self.llm.save_state())]


def common_prefix(a: list[int], b: list[int]) -> int:
    return len(os.path.commonprefix([a, b]))


def compact(state: Any) -> Any:
    """llama-cpp-python keeps a row of logits per token read in a batch (151,936 floats
    each); only the last is read to go on."""
    state.scores = state.scores[-1:].copy()
    return state
