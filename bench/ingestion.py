"""Ingestion: passages and tokens embedded per second by Sanad's indexer (read, chunk, embed,
write to Chroma, keyword index) against the embedder (SANAD_EMBEDDER) embedding the same
passages directly (the ceiling), and the peak memory of each. Each run is a process of its own
(so its peak memory is its own), taking turns: direct, Sanad, direct, Sanad…

python -m bench.ingestion [--articles 300] [--rounds 2] [--json bench/results/ingestion.json]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report import median, write


def passages_of(folder: Path):
    from bot.settings import Settings
    from bot.wiring import build_indexer
    from retrieval.documents import find_files, load_file

    chunker = build_indexer(
        Settings(data_dir=Path(tempfile.mkdtemp()), model_dir=Settings().models_dir)
    ).chunker
    return [
        p for path, source in find_files([folder])
        for article in load_file(path, source) for p in chunker.split(article)
    ]  # fmt: skip


def run_direct(folder: Path) -> dict[str, float]:
    """The embedder alone (its engine, batches of its size) on the passages Sanad would make."""
    from bot.wiring import embedder

    texts = [p.text for p in passages_of(folder)]
    model = embedder()
    model.warm_up()
    tokens = sum(model.token_count(t) for t in texts)
    started = time.perf_counter()
    model.embed_documents(texts)
    return {"passages": len(texts), "tokens": tokens, "seconds": time.perf_counter() - started}


def run_sanad(folder: Path) -> dict[str, float]:
    """The whole ingest, from files to a searchable index."""
    from bot.settings import Settings
    from bot.wiring import build_indexer, embedder

    settings = Settings(data_dir=Path(tempfile.mkdtemp()), model_dir=Settings().models_dir)
    indexer = build_indexer(settings)
    embedder().warm_up()  # the model load is not ingestion (nor is it in the direct timing)
    report = indexer.ingest([folder])
    texts = [p.text for p in indexer.store.passages()]
    tokens = sum(embedder().token_count(t) for t in texts)
    return {"passages": report.passages, "tokens": tokens, "seconds": report.seconds,
            "embed_seconds": report.embed_seconds}  # fmt: skip


def child(kind: str, folder: Path) -> None:
    result = (run_direct if kind == "direct" else run_sanad)(folder)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--articles", type=int, default=300)
    args.add_argument("--rounds", type=int, default=2)
    args.add_argument("--json", type=Path, default=Path("bench/results/ingestion.json"))
    args.add_argument("--child", nargs=2, metavar=("KIND", "FOLDER"), help=argparse.SUPPRESS)
    options = args.parse_args()
    if options.child:
        return child(options.child[0], Path(options.child[1]))
    from bench.corpus import write_corpus

    folder = Path(tempfile.mkdtemp()) / "corpus"
    write_corpus(folder, options.articles)
    runs: dict[str, list[dict[str, float]]] = {"direct": [], "sanad": []}
    for _ in range(options.rounds):
        for kind in runs:
            out = subprocess.run(
                [sys.executable, "-m", "bench.ingestion", "--child", kind, str(folder)],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            runs[kind].append(json.loads(out.strip().splitlines()[-1]))
            print(kind, runs[kind][-1], flush=True)
    summary = {}
    for kind, results in runs.items():
        summary[kind] = {
            "passages": results[0]["passages"],
            "tokens": results[0]["tokens"],
            "passages_per_s": median([r["passages"] / r["seconds"] for r in results]),
            "tokens_per_s": median([r["tokens"] / r["seconds"] for r in results]),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in results),
        }
    summary["ratio"] = summary["sanad"]["passages_per_s"] / summary["direct"]["passages_per_s"]
    write(options.json, {"articles": options.articles, "summary": summary, "runs": runs},
          table(options.articles, summary))  # fmt: skip


def table(articles: int, s: dict) -> str:
    from bot.settings import Settings

    d, o, name = s["direct"], s["sanad"], Settings().embedder
    return "\n".join([
        f"| ingestion ({articles} articles, {o['passages']} passages) | {name} alone | Sanad "
        f"(read, chunk, embed, Chroma, BM25) | Sanad / {name} |",
        "| --- | ---: | ---: | ---: |",
        f"| passages per second | {d['passages_per_s']:.1f} | {o['passages_per_s']:.1f} "
        f"| {s['ratio']:.2f} |",
        f"| tokens per second | {d['tokens_per_s']:.0f} | {o['tokens_per_s']:.0f} "
        f"| {o['tokens_per_s'] / d['tokens_per_s']:.2f} |",
        f"| peak memory (MB) | {d['peak_rss_mb']:.0f} | {o['peak_rss_mb']:.0f} | – |",
    ])  # fmt: skip


if __name__ == "__main__":
    main()
