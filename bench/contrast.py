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

import json
import statistics
import sys
import time

import numpy as np

from bench.devsets import dev_bots
from bot.citations import is_refusal
from bot.metrics import contains_answer
from bot.prompt_states import PromptStates
from bot.settings import Settings

N = int(sys.argv[1]) if len(sys.argv) > 1 else 80
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 3
SETS = sys.argv[3].split(",") if len(sys.argv) > 3 else ["xq-ar", "arcd", "xq-en"]
WEIGHTS = [float(w) for w in sys.argv[4].split(",")] if len(sys.argv) > 4 else [0.0, 0.5]
weight = 0.0


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
        if weight:
            contrast = Contrast(other, states, messages, weight)
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


def outcome(answer, case) -> dict:
    drafted = bool(answer.draft) and not is_refusal(answer.draft)

    def right(text):
        return not case.unanswerable and bool(contains_answer(text, case.answers))

    return {"draft": answer.draft, "checks": answer.checks, "refused": answer.refused,
            "draft_right": drafted and right(answer.draft),
            "right": not answer.refused and right(answer.text)}  # fmt: skip


for name, testset, bot in dev_bots(Settings(), SETS, N, SEED, prepare=patch):
    rows = []
    for case in testset.cases:
        row = {"set": name, "q": case.question, "gold": case.answers,
               "unanswerable": case.unanswerable}  # fmt: skip
        for w in WEIGHTS:
            weight = w
            t0 = time.perf_counter()
            row[str(w)] = {**outcome(bot.ask(case.question), case),
                           "seconds": round(time.perf_counter() - t0, 2)}  # fmt: skip
        print(json.dumps(row, ensure_ascii=False), flush=True)
        rows.append(row)
    answerable = sum(not r["unanswerable"] for r in rows)
    for w in WEIGHTS:
        got = [r[str(w)] for r in rows]
        drafts = sum(g["draft_right"] for g in got)
        right = sum(g["right"] for g in got)
        wrong = sum(not g["refused"] and not g["right"] and not r["unanswerable"]
                    for g, r in zip(got, rows, strict=True))  # fmt: skip
        unans = sum(not g["refused"] and r["unanswerable"] for g, r in zip(got, rows, strict=True))
        median = statistics.median(g["seconds"] for g in got)
        print(f"## {name} a={w}: drafts right {drafts}/{answerable}, right {right}, wrong shown "
              f"{wrong}, unanswerable shown {unans}/{len(rows) - answerable}, "
              f"median {median:.2f} s", flush=True)  # fmt: skip
