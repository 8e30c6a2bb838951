"""The grounding check with the cited passages' article titles (issue 11): EmbeddingGemma's
passage prompt is "title: {title} | text: {text}", and the index and the check give it
"title: none". On dev samples every question is asked as the bot asks it, and for each draft
the grounding is computed both ways (the check decides as the bot does); the rows say, for
each floor, which right drafts each way throws away and which wrong ones it stops.
Usage: python -m bench.titled N SEED SETS   (SETS: xq-ar,xq-en,arcd,new)"""

import json
import sys

import numpy as np

from bench.devsets import dev_sets
from bot.citations import is_refusal
from bot.evaluation import index_corpus
from bot.metrics import contains_answer
from bot.settings import PROJECT_ROOT, Settings
from bot.testsets import load_testset, select
from bot.verify import Verifier
from bot.wiring import build_bot

N = int(sys.argv[1]) if len(sys.argv) > 1 else 80
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 3
SETS = sys.argv[3].split(",") if len(sys.argv) > 3 else ["new", "arcd", "xq-ar"]
noted: dict = {}
measured = Verifier.grounding  # the check as the bot makes it


def grounding(self, draft):
    if draft.cited:
        model = bot.retriever.store.embeddings
        query = np.asarray(model.embed_query(draft.question))
        plain_vectors = np.asarray(model.embed_documents([p.text for p in draft.cited]))
        titled = np.asarray(model.embed_titled([(p.title, p.text) for p in draft.cited]))
        noted["plain"] = float(max(plain_vectors @ query))
        noted["titled"] = float(max(titled @ query))
        noted["titles"] = [p.title for p in draft.cited]
    return measured(self, draft)


Verifier.grounding = grounding
settings = Settings()
sets = dev_sets(settings)
new = PROJECT_ROOT / "bench" / "sets" / "new-articles"
sets["new"] = load_testset(new / "questions.jsonl", new / "articles", settings.corpora_dir)
generator = None
for name in SETS:
    testset = sets[name]
    if name != "new":
        testset = select(testset, N, SEED, unanswerable_share=0.2 if name != "arcd" else 0.0)
    store, _ = index_corpus(testset, settings)
    bot = build_bot(settings, generator=generator, store=store)
    if generator is None:
        bot.warm_up()
        generator = bot.generator
    for case in testset.cases:
        noted.clear()
        answer = bot.ask(case.question)
        drafted = bool(answer.draft) and not is_refusal(answer.draft)
        row = {"set": name, "q": case.question, "gold": case.answers,
               "unanswerable": case.unanswerable, "draft": answer.draft, "checks": answer.checks,
               "right": drafted and not case.unanswerable
                        and bool(contains_answer(answer.draft, case.answers)),
               **noted}  # fmt: skip
        print(json.dumps(row, ensure_ascii=False), flush=True)
