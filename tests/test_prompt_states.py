"""Where llama.cpp starts reading a prompt (bot/prompt_states.py), with a stand-in model that
records what it is made to read: one byte a token, blocks of eight."""

from types import SimpleNamespace

import numpy as np

from bot.prompt_states import PromptStates

CHATML = (
    "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}<|end|>{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)


class Model:
    """A llama-cpp-python Llama as far as PromptStates uses it."""

    def __init__(self, block: int = 8) -> None:
        self.metadata = {"tokenizer.chat_template": CHATML}
        self._model = SimpleNamespace(token_get_text=lambda token: "")
        self.n_batch = block
        self.input_ids = np.zeros(4096, dtype=np.intc)
        self.n_tokens = 0
        self.read: list[list[int]] = []  # the tokens of each eval call

    def token_eos(self) -> int:
        return 0

    def token_bos(self) -> int:
        return 0

    def tokenize(self, text: bytes, add_bos: bool, special: bool) -> list[int]:
        return list(text)

    @property
    def _input_ids(self) -> np.ndarray:
        return self.input_ids[: self.n_tokens]

    def reset(self) -> None:
        self.n_tokens = 0

    def eval(self, tokens: list[int]) -> None:
        self.read.append(list(tokens))
        self.input_ids[self.n_tokens : self.n_tokens + len(tokens)] = tokens
        self.n_tokens += len(tokens)

    def save_state(self) -> SimpleNamespace:
        return SimpleNamespace(input_ids=self.input_ids.copy(), n_tokens=self.n_tokens,
                               scores=np.ones((self.n_tokens or 1, 3)))  # fmt: skip

    def load_state(self, state: SimpleNamespace) -> None:
        self.input_ids, self.n_tokens = state.input_ids.copy(), state.n_tokens

    def complete(self, prompt: list[int]) -> None:
        """What a chat completion does after `resume`: read on from the longest prefix."""
        self.eval(prompt[self.n_tokens :])
        self.eval([1, 2, 3])  # the answer it writes


def ask(system: str, passages: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": system}, {"role": "user", "content": passages}]


def test_the_fixed_part_is_everything_before_the_last_message() -> None:
    states = PromptStates(Model())
    prompt, fixed = states.tokens(ask("rules", "passages"))
    assert bytes(fixed).decode() == "<|system|>rules<|end|><|user|>"
    assert bytes(prompt).decode().startswith(bytes(fixed).decode() + "passages<|end|>")


def test_prompts_are_read_on_from_their_fixed_part_once_it_is_read() -> None:
    model = Model()
    states = PromptStates(model)
    first = ask("rules", "a" * 30)
    prompt, fixed = states.tokens(first)
    states.resume(first)
    assert model.read == [fixed] and model.n_tokens == len(fixed)
    model.complete(prompt)
    states.remember()

    other = ask("rules", "b" * 30)  # nothing shared after the fixed part
    model.read.clear()
    states.resume(other)
    assert model.read == [] and model.n_tokens == len(fixed), "not read again"


def test_only_whole_blocks_shared_with_the_last_prompt_are_kept() -> None:
    model = Model(block=8)
    states = PromptStates(model)
    first, follow_up = ask("rules", "x" * 20 + "first"), ask("rules", "x" * 20 + "second")
    prompt, fixed = states.tokens(first)
    states.resume(first)
    model.complete(prompt)
    states.remember()

    states.resume(ask("other rules", "x" * 20))  # another fixed part in between
    model.complete(states.tokens(ask("other rules", "x" * 20))[0])
    states.remember()

    states.resume(follow_up)
    # 20 shared characters after the fixed part: two whole blocks of 8 kept, the rest read
    assert model.n_tokens == len(fixed) + 16
    assert model._input_ids.tolist() == states.tokens(follow_up)[0][: len(fixed) + 16]

    states.resume(first)  # the very same prompt again: its last block is read again
    assert model.n_tokens == len(fixed) + (len(prompt) - 1 - len(fixed)) // 8 * 8


def test_the_kept_states_hold_one_row_of_logits() -> None:
    model = Model()
    states = PromptStates(model)
    messages = ask("rules", "passages")
    states.resume(messages)
    model.complete(states.tokens(messages)[0])
    states.remember()
    state, read, after = next(iter(states.states.values()))
    assert state.scores.shape[0] == 1 and after.scores.shape[0] == 1
    assert read == states.tokens(messages)[0]
