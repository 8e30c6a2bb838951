"""Refusals the model hesitated over (issue 11): on a spread dev sample (a share made
unanswerable), every question asked as the bot asks it; where the model's draft is its own
refusal ("لم أجد …", "I could not find …"), the question is asked again with the refusal's
first token taken away at the first step (the model's next choice is written instead, then
goes through the same checks). The row keeps the probability the model gave the refusal's
first token, so the outcome of any floor ("refuse only when at least this sure") is counted
from one run. Prints one JSON row a question, then the counts by floor.
Usage: python -m bench.hesitant N SEED SETS   (SETS: xq-ar,xq-en,arcd)"""

import json
import sys

import numpy as np

from bench.devsets import dev_bots
from bot.citations import REFUSALS, is_refusal
from bot.metrics import contains_answer
from bot.settings import Settings

N = int(sys.argv[1]) if len(sys.argv) > 1 else 80
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 3
SETS = sys.argv[3].split(",") if len(sys.argv) > 3 else ["xq-ar", "arcd", "xq-en"]
FLOORS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.01)
ban_first = False


class BanFirst:
    """At the first step only: every token that begins a refusal taken away."""

    def __init__(self, banned) -> None:
        self.banned, self.done = banned, False

    def __call__(self, input_ids, scores):
        if not self.done:
            self.done = True
            scores = scores.copy()
            scores[self.banned] = -np.inf
        return scores


def refusal_starts(llm) -> list[int]:
    """Tokens a refusal may begin with: a start of either refusal text, as written."""
    texts = [t.encode() for t in REFUSALS.values()]
    starts = []
    for token in range(llm.n_vocab()):
        try:
            piece = llm.detokenize([token]).decode().strip().encode()
        except UnicodeDecodeError:  # a piece of a letter
            continue
        if piece and any(text.startswith(piece) for text in texts):
            starts.append(token)
    return starts


def patch(generator) -> None:
    generator._load()
    llm = generator._llm
    create = llm.create_chat_completion
    banned = np.array(refusal_starts(llm))
    print("# refusal starts:", [llm.detokenize([t]).decode(errors="replace") for t in banned])

    def created(*args, logits_processor=None, **kwargs):
        if ban_first:
            logits_processor.insert(0, BanFirst(banned))
        return create(*args, logits_processor=logits_processor, **kwargs)

    llm.create_chat_completion = created


def answers(text, case) -> bool:
    return not case.unanswerable and bool(contains_answer(text, case.answers))


def outcome(answer, case) -> dict:
    drafted = bool(answer.draft) and not is_refusal(answer.draft)
    return {
        "draft": answer.draft,
        "checks": answer.checks,
        "refused": answer.refused,
        "confidence": answer.confidence(),
        "draft_right": drafted and answers(answer.draft, case),
        "right": not answer.refused and answers(answer.text, case),
    }


for name, testset, bot in dev_bots(Settings(), SETS, N, SEED, prepare=patch):
    rows = []
    for case in testset.cases:
        ban_first = False
        first = bot.ask(case.question)
        row = {"set": name, "q": case.question, "gold": case.answers,
               "unanswerable": case.unanswerable, "bot": outcome(first, case)}  # fmt: skip
        asked_model = "first_token" in first.timings
        if first.refused and not first.draft and asked_model and first.probabilities:
            row["refusal_p"] = first.probabilities[0]
            ban_first = True
            row["again"] = outcome(bot.ask(case.question), case)
        print(json.dumps(row, ensure_ascii=False), flush=True)
        rows.append(row)
    for floor in FLOORS:
        right = wrong = unans = 0
        for r in rows:
            take = r["again"] if "again" in r and r["refusal_p"] < floor else r["bot"]
            shown = not take["refused"]
            right += take["right"]
            wrong += shown and not take["right"] and not r["unanswerable"]
            unans += shown and r["unanswerable"]
        answerable = sum(not r["unanswerable"] for r in rows)
        print(f"## {name} floor {floor}: right {right}/{answerable} wrong shown {wrong} "
              f"unanswerable shown {unans}/{len(rows) - answerable}", flush=True)  # fmt: skip
