"""Window recall (issue 11): the share of spread dev questions whose sentence windows contain
a gold answer, for several window settings and both embedders; no language model. English
questions (xq-en) are counted by the Arabic answer of the parallel Arabic question.
Usage: python -m bench.windows [WORD]  (only the settings whose name has WORD)"""

import dataclasses
import sys
import time

from bench.devsets import dev_sets
from bot.evaluation import index_corpus
from bot.metrics import normalize_answer
from bot.settings import Settings
from bot.testsets import select
from bot.wiring import e5, embedder
from retrieval.focus import SentenceFocus
from retrieval.search import HybridRetriever

s = Settings()
sets = dev_sets(s)
variants = {
    "e5 2-4 lead lex.02": dict(
        emb=e5(), max_windows=4, min_windows=2, lead=0.03, other=0.02, lexical=0.02
    ),
    "e5 2-4 lead lex.05": dict(
        emb=e5(), max_windows=4, min_windows=2, lead=0.03, other=0.02, lexical=0.05
    ),
    "e5 2-4 lead lex.1": dict(
        emb=e5(), max_windows=4, min_windows=2, lead=0.03, other=0.02, lexical=0.1
    ),
    "e5 2-4 lead lex.2": dict(
        emb=e5(), max_windows=4, min_windows=2, lead=0.03, other=0.02, lexical=0.2
    ),
    "e5 2-4 lead lex.3": dict(
        emb=e5(), max_windows=4, min_windows=2, lead=0.03, other=0.02, lexical=0.3
    ),
    "e5 2-4 nolead lex.1": dict(
        emb=e5(), max_windows=4, min_windows=2, lead=None, other=0.02, lexical=0.1
    ),
    "e5 2-4 lead": dict(emb=e5(), max_windows=4, min_windows=2, lead=0.03, other=0.02),
    "e5 4 nolead": dict(emb=e5(), max_windows=4, min_windows=4, lead=None, other=0.0),
    "e5 6": dict(emb=e5(), max_windows=6, min_windows=6, lead=None, other=0.0),
    "gemma 2-4 lead": dict(emb=embedder(s), max_windows=4, min_windows=2, lead=0.03, other=0.02),
    "gemma 4": dict(emb=embedder(s), max_windows=4, min_windows=4, lead=None, other=0.0),
    "gemma 6": dict(emb=embedder(s), max_windows=6, min_windows=6, lead=None, other=0.0),
}

if len(sys.argv) > 1:
    variants = {name: kw for name, kw in variants.items() if sys.argv[1] in name}


def has(texts, answers):
    t = normalize_answer(" ".join(texts))
    return any(normalize_answer(a) in t for a in answers)


# English questions over Arabic windows: counted by the Arabic answer of the parallel question
arabic = {c.id: c.answers for c in sets["xq-ar"].cases}
caches = {}
for name, ts in sets.items():
    ts = select(ts, 60, 0)
    if name == "xq-en":
        ts.cases = [dataclasses.replace(c, answers=arabic[c.id]) for c in ts.cases]
    store, _ = index_corpus(ts, s)
    r = HybridRetriever(store=store, k=5, fetch_k=20, keyword_weight=s.keyword_weight)
    found = {c.id: r.search(c.question) for c in ts.cases}
    print(
        name,
        "top5 passages contain",
        sum(has([p.text for p in found[c.id]], c.answers) for c in ts.cases) / len(ts.cases),
        flush=True,
    )
    print(
        name,
        "top1 passage contains",
        sum(has([p.text for p in found[c.id][:1]], c.answers) for c in ts.cases) / len(ts.cases),
        flush=True,
    )
    for v, kw in variants.items():
        kw = dict(kw)
        emb = kw.pop("emb")
        f = SentenceFocus(emb, margin=0.005, **kw)
        f._cache = caches.setdefault(id(emb), f._cache)
        f.cache_size = 10**6
        t0 = time.perf_counter()
        hit = 0
        words = 0
        for c in ts.cases:
            w = f.focus(c.question, found[c.id])
            hit += has([x.text for x in w], c.answers)
            words += sum(len(x.text.split()) for x in w)
        ms = 1000 * (time.perf_counter() - t0) / len(ts.cases)
        print(f"  {name} {v}: windows contain {hit / len(ts.cases):.3f}  "
              f"words/q {words / len(ts.cases):.0f}  {ms:.0f} ms/q", flush=True)  # fmt: skip
