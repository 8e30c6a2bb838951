"""Retrieval latency at 1k, 10k and 100k passages: a question in, ranked passages out (e5
query embedding, Chroma HNSW, BM25, fusion), and the sources as shown (with the sentence
windows), p50 and p95 over XQuAD's Arabic and English questions.

The corpora are synthetic, built from real passages: the seed articles and XQuAD's Arabic
paragraphs, chunked and embedded by e5 once; beyond that, each further passage is a copy of a
real one with a number added to its text and a little noise added to its vector (renormalised),
so that Chroma's index and BM25 have as many distinct entries as the size says.

python -m bench.retrieval [--sizes 1000,10000,100000] [--queries 200]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.report import median, p95, write
from bot.settings import PROJECT_ROOT, Settings

XQUAD = PROJECT_ROOT.parent / "shared" / "data" / "xquad"


def base_passages():
    """Real passages (seeds + XQuAD Arabic paragraphs as articles) and their e5 vectors."""
    from bot.wiring import build_indexer, embedder
    from retrieval.documents import find_files, load_file, make_article

    chunker = build_indexer(
        Settings(data_dir=Path(tempfile.mkdtemp()), model_dir=Settings().models_dir)
    ).chunker
    articles = [a for path, source in find_files([PROJECT_ROOT / "seeds"])
                for a in load_file(path, source)]  # fmt: skip
    data = json.loads((XQUAD / "xquad.ar.json").read_text("utf-8"))["data"]
    for i, paragraph in enumerate(p for a in data for p in a["paragraphs"]):
        articles.append(make_article(paragraph["context"], f"xquad-{i:03d}.txt"))
    passages = [p for article in articles for p in chunker.split(article)]
    vectors = np.array(embedder().embed_documents([p.text for p in passages]), dtype=np.float32)
    return passages, vectors


def build(size: int, passages, vectors, folder: Path):
    """A store of `size` passages: the real ones, then noisy numbered copies."""
    from dataclasses import replace

    from bot.wiring import embedder
    from retrieval.store import PAGE, PassageStore

    store = PassageStore(folder, embedder(), corpus=f"bench-{size}")
    rng = np.random.default_rng(size)
    for start in range(0, size, PAGE):
        batch = range(start, min(start + PAGE, size))
        chosen = [passages[i % len(passages)] for i in batch]
        copies = [p if i < len(passages) else replace(p, text=f"{p.text} ({i})", id=f"copy-{i}")
                  for i, p in zip(batch, chosen, strict=True)]  # fmt: skip
        vecs = vectors[[i % len(passages) for i in batch]].copy()
        noisy = np.array([i >= len(passages) for i in batch])
        vecs[noisy] += rng.normal(0, 0.02, size=vecs[noisy].shape).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        store.vectors._collection.add(
            ids=[p.id for p in copies], embeddings=vecs, documents=[p.text for p in copies],
            metadatas=[p.metadata() for p in copies],
        )  # fmt: skip
    store.rebuild_keyword_index()
    return store


def questions(count: int) -> list[str]:
    found = []
    for lang in ("ar", "en"):
        data = json.loads((XQUAD / f"xquad.{lang}.json").read_text("utf-8"))["data"]
        asked = [q["question"] for a in data for p in a["paragraphs"] for q in p["qas"]]
        found += asked[: count // 2]
    return found


def main() -> None:
    from bot.wiring import sentence_embedder
    from retrieval.focus import SentenceFocus
    from retrieval.search import HybridRetriever

    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--sizes", default="1000,10000,100000")
    args.add_argument("--queries", type=int, default=200)
    args.add_argument("--json", type=Path, default=Path("bench/results/retrieval.json"))
    options = args.parse_args()
    settings = Settings()
    passages, vectors = base_passages()
    asked = questions(options.queries)
    focus = SentenceFocus(sentence_embedder())
    results = {}
    for size in (int(s) for s in options.sizes.split(",")):
        started = time.perf_counter()
        store = build(size, passages, vectors, Path(tempfile.mkdtemp()))
        built = time.perf_counter() - started
        retriever = HybridRetriever(store=store, k=settings.top_k, fetch_k=settings.fetch_k)
        for question in asked[:5]:  # first calls open files and warm caches
            retriever.search(question)
        search_ms, shown_ms = [], []
        for question in asked:
            t0 = time.perf_counter()
            found = retriever.search(question)
            t1 = time.perf_counter()
            focus._cache.clear()  # a new question's passages: their sentences not yet seen
            focus.focus(question, found)
            t2 = time.perf_counter()
            search_ms.append(1000 * (t1 - t0))
            shown_ms.append(1000 * (t2 - t0))
        results[size] = {
            "passages": store.count(), "build_s": built, "queries": len(asked),
            "search_ms_p50": median(search_ms), "search_ms_p95": p95(search_ms),
            "sources_ms_p50": median(shown_ms), "sources_ms_p95": p95(shown_ms),
        }  # fmt: skip
        print(size, results[size], flush=True)
    write(options.json, {"results": results}, table(results))


def table(results: dict) -> str:
    lines = [
        "| retrieval | passages | search p50 (ms) | search p95 (ms) | sources shown p50 (ms) "
        "| sources shown p95 (ms) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, r in results.items():
        lines.append(f"| {size:,} | {r['passages']:,} | {r['search_ms_p50']:.1f} | "
                     f"{r['search_ms_p95']:.1f} | {r['sources_ms_p50']:.1f} | "
                     f"{r['sources_ms_p95']:.1f} |")  # fmt: skip
    lines.append("\nsearch: question → ranked passages (query embedded by the configured "
                 "embedder, EmbeddingGemma by default; Chroma HNSW, BM25, fusion); sources "
                 "shown: the same plus the sentence windows (every sentence of the found "
                 "passages embedded, none cached), i.e. what the chat shows before the model "
                 "starts.")  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    main()
