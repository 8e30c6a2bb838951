"""English answers kept to English letters (issue 11, bot/script_ban.py): on a spread sample of
XQuAD English questions over the Arabic paragraphs, each question asked with the ban (the bot
with SANAD_ENGLISH_LETTERS on), noting the steps where it changed the model's greedy choice;
the questions where it did are asked again without it. Elsewhere the draft is the same either
way, and only the model's noted certainty moves (the banned tokens' share of each step, given
back here). Prints one JSON row a question, then the counts.
Usage: python -m bench.english_letters [N] [SEED]   (200 1: the committed XQuAD English report)"""

import json
import math
import sys

import numpy as np

from bench.devsets import dev_sets
from bot import script_ban
from bot.evaluation import index_corpus
from bot.metrics import contains_answer
from bot.settings import Settings
from bot.testsets import select
from bot.verify import confidence
from bot.wiring import build_bot

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 1
steps: list[tuple[bool, float]] = []  # each step: the ban changed the choice; the share it took
banning = True
ban = script_ban.ScriptBan.__call__


def noted(self, input_ids, scores):
    if not banning:
        return scores
    probabilities = np.exp(scores - np.max(scores))
    probabilities /= probabilities.sum()
    changed = int(np.argmax(scores)) in set(self.banned)
    steps.append((changed, float(probabilities[self.banned].sum())))
    return ban(self, input_ids, scores)


script_ban.ScriptBan.__call__ = noted
settings = Settings()
testset = select(dev_sets(settings)["xq-en"], N, SEED, unanswerable_share=0.2)
store, _ = index_corpus(testset, settings)
bot = build_bot(settings, store=store)
bot.english_letters = True  # the setting on (off by default)
bot.warm_up()
floor = settings.min_confidence_en


def asked(case):
    answer = bot.ask(case.question)
    right = 0.0 if case.unanswerable else contains_answer(answer.text, case.answers)
    draft_right = 0.0 if case.unanswerable else contains_answer(answer.draft, case.answers)
    return answer, right, draft_right


rows = []
for case in testset.cases:
    steps.clear()
    banning = True
    answer, right, draft_right = asked(case)
    fired = sum(changed for changed, _ in steps)
    row = {"q": case.question, "gold": case.answers[:1], "unanswerable": case.unanswerable,
           "draft": answer.draft, "refused": answer.refused, "checks": answer.checks,
           "right": right, "draft_right": draft_right, "fired": fired,
           "arabic_in_draft": script_ban.writes_arabic(answer.draft.encode())}  # fmt: skip
    if answer.probabilities and not fired:  # the same tokens: each one's unbanned probability
        shares = [share for _, share in steps][: len(answer.probabilities)]
        free = [p * (1 - s) for p, s in zip(answer.probabilities, shares, strict=False)]
        sure, sure_free = confidence(answer.probabilities), confidence(free)
        row["confidence"], row["confidence_free"] = round(sure, 4), round(sure_free, 4)
        row["confidence_flips"] = (sure < floor) != (sure_free < floor)
    if fired:
        banning = False
        free, free_right, free_draft_right = asked(case)
        row |= {"free_draft": free.draft, "free_refused": free.refused, "free_right": free_right,
                "free_draft_right": free_draft_right, "free_checks": free.checks}  # fmt: skip
    rows.append(row)
    print(json.dumps(row, ensure_ascii=False), flush=True)

fired = [r for r in rows if r["fired"]]
shown_arabic = [
    r for r in fired if not r["free_refused"] and script_ban.writes_arabic(r["free_draft"].encode())
]
moved = [abs(r["confidence"] - r["confidence_free"]) for r in rows if "confidence" in r]
print(f"## {len(rows)} questions; the ban changed {len(fired)} drafts; right answers with the "
      f"ban {sum(r['right'] for r in rows):.0f}, without "
      f"{sum(r.get('free_right', r['right']) for r in rows):.0f}; right drafts "
      f"{sum(r['draft_right'] for r in rows):.0f} / "
      f"{sum(r.get('free_draft_right', r['draft_right']) for r in rows):.0f}; answers shown with "
      f"Arabic letters without the ban {len(shown_arabic)}; confidence decisions the ban moved "
      f"elsewhere {sum(1 for r in rows if r.get('confidence_flips'))}; largest confidence "
      f"change {max(moved, default=math.nan):.4f}", flush=True)  # fmt: skip
