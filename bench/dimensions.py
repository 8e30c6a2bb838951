"""EmbeddingGemma's Matryoshka sizes on XQuAD: dense Recall@1/5 of Arabic and English questions
over the Arabic paragraphs with the vectors cut to 768, 512, 256 and 128 dimensions (each cut
renormalised), from the passages already indexed by `make eval-xquad`, and the search time of
each size over those passages.

python -m bench.dimensions [--json bench/results/dimensions.json]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from bench.report import median, write
from bot.settings import PROJECT_ROOT, Settings

XQUAD = PROJECT_ROOT.parent / "shared" / "data" / "xquad"
SIZES = (768, 512, 256, 128)


def unit(vectors: np.ndarray, dims: int) -> np.ndarray:
    cut = vectors[:, :dims]
    return cut / np.linalg.norm(cut, axis=1, keepdims=True)


def main() -> None:
    from bot.testsets import load_testset
    from bot.wiring import build_store, embedder

    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--json", type=Path, default=Path("bench/results/dimensions.json"))
    options = args.parse_args()
    settings = Settings()
    results: dict[str, dict[str, float]] = defaultdict(dict)
    for lang in ("ar", "en"):
        other = XQUAD / f"xquad.{lang}.json" if lang != "ar" else None
        testset = load_testset(XQUAD / "xquad.ar.json", settings.seeds_dir,
                               settings.corpora_dir, other)  # fmt: skip
        store = build_store(settings, testset.corpus_name)
        got = store.vectors._collection.get(include=["embeddings", "metadatas"])
        if not got["ids"]:
            raise SystemExit("index XQuAD first: make eval-xquad")
        passages = np.asarray(got["embeddings"], dtype=np.float32)
        sources = np.array([m["source"] for m in got["metadatas"]])
        model = embedder(settings)
        questions = np.asarray([model.embed_query(c.question) for c in testset.cases])
        for dims in SIZES:
            p, q = unit(passages, dims), unit(questions, dims)
            started = time.perf_counter()
            scores = q @ p.T
            seconds = (time.perf_counter() - started) / len(q)
            hits1 = hits5 = 0
            for row, case in zip(scores, testset.cases, strict=True):
                ranked = list(dict.fromkeys(sources[np.argsort(-row)][:40]))
                hits1 += ranked[0] in case.sources
                hits5 += bool(set(ranked[:5]) & set(case.sources))
            results[f"{lang}-{dims}"] = {
                "recall@1": hits1 / len(q), "recall@5": hits5 / len(q),
                "search_ms": seconds * 1000, "questions": len(q),
            }  # fmt: skip

    def cell(lang: str, dims: int) -> str:
        found = results[f"{lang}-{dims}"]
        return f"{found['recall@1']:.3f} / {found['recall@5']:.3f}"

    rows = [
        f"| {dims} | {cell('ar', dims)} | {cell('en', dims)} | "
        f"{median([results[f'{lang}-{dims}']['search_ms'] for lang in ('ar', 'en')]):.3f} |"
        for dims in SIZES
    ]
    table = "\n".join([
        "| dimensions | Arabic Recall@1 / @5 | English→Arabic Recall@1 / @5 "
        "| exact search per question (ms) |",
        "| ---: | ---: | ---: | ---: |", *rows,
    ])  # fmt: skip
    write(options.json, dict(results), table)


if __name__ == "__main__":
    main()
