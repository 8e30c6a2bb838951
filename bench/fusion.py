"""Fusion tuning on evaluation reports: the dense and keyword rankings that `python -m bot eval
--retriever dense,keyword --report DIR` saved for each question, fused again with other keyword
weights and RRF constants, scored as the eval scores them. Tune on the dev sets (XQuAD, ARCD
train), never on the gold set.

python -m bench.fusion DIR [DIR...] [--weights 0,0.25,0.5,1] [--rrf-k 60]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from bot.metrics import mean, retrieval_scores


def rankings(report: Path) -> list[dict[str, list[str]]]:
    """Per question: each retriever's ranked sources, and the gold sources."""
    by_id: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for line in (report / "rows.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        by_id[row["id"]][row["retriever"]] = row["ranked_sources"]
        by_id[row["id"]]["gold"] = row["gold_sources"]
    return [r for r in by_id.values() if r["gold"] and "dense" in r and "keyword" in r]


def fuse(dense: list[str], keyword: list[str], weight: float, rrf_k: int) -> list[str]:
    scores: dict[str, float] = defaultdict(float)
    for rank, source in enumerate(dense, 1):
        scores[source] += 1.0 / (rrf_k + rank)
    for rank, source in enumerate(keyword, 1):
        scores[source] += weight / (rrf_k + rank)
    return sorted(scores, key=lambda s: -scores[s])


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("reports", nargs="+", type=Path)
    args.add_argument("--weights", default="0,0.1,0.25,0.5,0.75,1")
    args.add_argument("--rrf-k", default="60")
    options = args.parse_args()
    weights = [float(w) for w in options.weights.split(",")]
    constants = [int(k) for k in options.rrf_k.split(",")]
    print("| report | keyword weight | rrf k | recall@1 | recall@5 | mrr |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for report in options.reports:
        rows = rankings(report)
        for rrf_k in constants:
            for weight in weights:
                scores = [retrieval_scores(fuse(r["dense"], r["keyword"], weight, rrf_k),
                                           r["gold"]) for r in rows]  # fmt: skip
                print(f"| {report.name} | {weight} | {rrf_k} | "
                      + " | ".join(f"{mean(s[m] for s in scores):.3f}"
                                   for m in ("recall@1", "recall@5", "mrr")) + " |")  # fmt: skip


if __name__ == "__main__":
    main()
