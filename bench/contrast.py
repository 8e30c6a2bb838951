"""Context-aware decoding (issue 11; Shi et al. 2023, "Trusting Your Evidence"): at every step
the model's scores with the passages are pushed away from its scores without them,
(1 + a) * with - a * without, so what the passages say weighs more than what the model knows
or expects (a familiar name for one it must spell from Arabic, a figure it remembers). On a
spread dev sample (a share made unanswerable) every question is asked as the bot asks it, once
as it is and once for each weight a; the prompt without passages is the same prompt whose last
message keeps only the question, read by a second llama.cpp context of the same model file.
The confidence check reads the probability the passages alone gave each token written.
Prints one JSON row a question, then right / wrong shown / unanswerable shown for each way.
Usage: python -m bench.contrast N SEED SETS WEIGHTS   (SETS: xq-ar,xq-en,arcd; WEIGHTS: 0,0.5)"""

import sys

import numpy as np

from bench.devsets import compare, dev_bots
from bot.prompt_states import PromptStates
from bot.settings import Settings

N = int(sys.argv[1]) if len(sys.argv) > 1 else 80
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 3
SETS = sys.argv[3].split(",") if len(sys.argv) > 3 else ["xq-ar", "arcd", "xq-en"]
WEIGHTS = [float(w) for w in sys.argv[4].split(",")] if len(sys.argv) > 4 else [0.0, 0.5]
chosen = {"a": 0.0}  # the weight of the question being asked


def without_passages(messages):
    """The same prompt with only the question in its last message (the passages' block and
    its header taken away: the question is the last paragraph)."""
    *fixed, last = messages
    return [*fixed, {**last, "content": last["content"].split("\n\n")[-1]}]


class Contrast:
    """A llama.cpp logits processor: (1 + a) * scores - a * the scores of a second context
    that reads the prompt without passages and every token written since."""

    def __init__(self, other, states, messages, a) -> None:
        self.other, self.states, self.a = other, states, a
        states.resume(without_passages(messages))
        prompt = states.reading[1]
        other.eval(prompt[other.n_tokens :])
        self.start = None  # where the written tokens begin in the processor's input
        self.fed = 0
        self.plain = None  # the last scores with the passages, unchanged

    def __call__(self, input_ids, scores):
        if self.start is None:
            self.start = len(input_ids)
        written = list(input_ids[self.start :])
        if len(written) > self.fed:
            self.other.eval(written[self.fed :])
            self.fed = len(written)
        n_vocab = self.other.n_vocab()
        without = np.ctypeslib.as_array(self.other._ctx.get_logits(), shape=(n_vocab,))
        self.plain = scores.copy()
        return (1 + self.a) * scores - self.a * without[: len(scores)]


def patch(generator) -> None:
    from llama_cpp import Llama

    generator._load()
    llm = generator._llm
    other = Llama(
        model_path=str(generator.model_path), n_ctx=generator.context_tokens,
        n_threads=generator.threads, n_batch=generator.n_batch, seed=0, verbose=False,
    )  # fmt: skip
    states = PromptStates(other)
    create = llm.create_chat_completion

    def created(*args, messages=None, logits_processor=None, **kwargs):
        if chosen["a"]:
            contrast = Contrast(other, states, messages, chosen["a"])
            noted = logits_processor[-1]

            def note(input_ids, scores):  # the chosen token's probability with the passages
                plain = contrast.plain
                p = np.exp(plain - plain.max())
                noted.seen.append(float(p[int(np.argmax(scores))] / p.sum()))
                return scores

            logits_processor.insert(0, contrast)
            logits_processor[-1] = note
        return create(*args, messages=messages, logits_processor=logits_processor, **kwargs)

    llm.create_chat_completion = created


compare(dev_bots(Settings(), SETS, N, SEED, prepare=patch),
        {f"a={w}": lambda bot, w=w: chosen.update(a=w) for w in WEIGHTS})  # fmt: skip
