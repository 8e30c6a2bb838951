"""Scores for one question and their summaries: retrieval (recall@k, MRR, nDCG), answers
(SQuAD exact match and token F1 with Arabic normalisation), citations, refusals, timings."""

from __future__ import annotations

import math
import re
import statistics
import string
from collections import Counter
from collections.abc import Iterable, Sequence

from retrieval.arabic import normalize

CUTOFFS = (1, 5, 10)
_PUNCTUATION = set(string.punctuation) | set("،؛؟«»“”‘’…–—٪")
_ENGLISH_ARTICLES = re.compile(r"\b(a|an|the)\b")


def normalize_answer(text: str) -> str:
    """SQuAD's normalisation (lower case, no punctuation, no English articles, single spaces)
    after Arabic normalisation (alef forms, ta marbuta, diacritics, digits) and with the Arabic
    article ال taken off each word, as MLQA does."""
    text = normalize(text).lower()
    text = "".join(" " if ch in _PUNCTUATION else ch for ch in text)
    text = _ENGLISH_ARTICLES.sub(" ", text)
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in text.split()]
    return " ".join(words)


def exact_match(prediction: str, golds: Sequence[str]) -> float:
    return max((float(normalize_answer(prediction) == normalize_answer(g)) for g in golds),
               default=0.0)  # fmt: skip


def token_f1(prediction: str, golds: Sequence[str]) -> float:
    """The best SQuAD token F1 of the prediction against any acceptable answer."""
    predicted = normalize_answer(prediction).split()
    best = 0.0
    for gold in golds:
        expected = normalize_answer(gold).split()
        common = sum((Counter(predicted) & Counter(expected)).values())
        if common:
            precision, recall = common / len(predicted), common / len(expected)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def contains_answer(prediction: str, golds: Sequence[str]) -> float:
    """1.0 when some acceptable answer appears, normalised, in the prediction."""
    text = f" {normalize_answer(prediction)} "
    return float(any(f" {normalize_answer(g)} " in text for g in golds if normalize_answer(g)))


def retrieval_scores(ranked: Sequence[str], gold: Iterable[str]) -> dict[str, float]:
    """Recall@1/5/10 (share of gold sources in the first k), MRR and nDCG@10, binary relevance.
    `ranked` holds distinct sources, best first."""
    gold = set(gold)
    scores = {f"recall@{k}": len(gold & set(ranked[:k])) / len(gold) for k in CUTOFFS}
    first = next((rank for rank, s in enumerate(ranked, 1) if s in gold), None)
    scores["mrr"] = 1.0 / first if first else 0.0
    dcg = sum(1.0 / math.log2(rank + 1) for rank, s in enumerate(ranked[:10], 1) if s in gold)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(gold), 10) + 1))
    scores["ndcg@10"] = dcg / ideal
    return scores


def citation_scores(cited: Sequence[str], gold: Iterable[str]) -> dict[str, float]:
    """Precision: share of cited passages from a gold source; recall: share of gold sources
    cited. Only defined when something was cited."""
    gold = set(gold)
    if not cited:
        return {}
    return {
        "citation_precision": sum(s in gold for s in cited) / len(cited),
        "citation_recall": len(gold & set(cited)) / len(gold),
    }


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100), linear between closest ranks."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return statistics.fmean(values) if values else None
