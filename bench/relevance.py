"""The relevance floor by question language (issue 11): the question's cosine to its closest
sentence (e5), for answerable and unanswerable questions of a spread dev sample, and what the
model answers to those below the floor when asked all the same. Prints one JSON row a question,
then per floor: answerable right / declined, unanswerable declined.
Usage: python -m bench.relevance [SET] [N] [SEED]   (SET: xq-en, xq-ar or arcd; 200 0)"""

import json
import statistics
import sys

from bench.devsets import dev_sets
from bot.evaluation import index_corpus
from bot.metrics import contains_answer
from bot.settings import Settings
from bot.testsets import select
from bot.wiring import build_bot

NAME = sys.argv[1] if len(sys.argv) > 1 else "xq-en"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 200
SEED = int(sys.argv[3]) if len(sys.argv) > 3 else 0
settings = Settings()
testset = select(dev_sets(settings)[NAME], N, SEED, unanswerable_share=0.2)
store, _ = index_corpus(testset, settings)
bot = build_bot(settings, store=store)
bot.min_relevance = {}  # asked all the same: the floor is applied below, per value
bot.warm_up()
rows = []
for case in testset.cases:
    sources, *_, answer = list(bot.stream(case.question))
    closest = max((p.scores.get("sentence", p.score) for p in sources.passages), default=0.0)
    row = {"q": case.question, "unanswerable": case.unanswerable, "closest": round(closest, 4),
           "refused": answer.refused, "right": 0.0 if answer.refused or case.unanswerable
           else contains_answer(answer.text, case.answers),
           "draft": answer.draft, "checks": answer.checks,
           "draft_right": 0.0 if case.unanswerable
           else contains_answer(answer.draft, case.answers)}  # fmt: skip
    rows.append(row)
    print(json.dumps(row, ensure_ascii=False), flush=True)
answerable = [r for r in rows if not r["unanswerable"]]
unanswerable = [r for r in rows if r["unanswerable"]]
for floor in (0.0, 0.70, 0.72, 0.74, 0.75, 0.76, 0.77, 0.775, 0.78, 0.785, 0.79):
    right = statistics.mean(r["right"] if r["closest"] >= floor else 0.0 for r in answerable)
    declined = statistics.mean(r["refused"] or r["closest"] < floor for r in answerable)
    stopped = statistics.mean(r["refused"] or r["closest"] < floor for r in unanswerable)
    print(f"## {NAME} floor {floor}: right {right:.3f} answerable declined {declined:.3f} "
          f"unanswerable declined {stopped:.3f}", flush=True)  # fmt: skip
