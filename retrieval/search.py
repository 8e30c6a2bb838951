"""Ranked passages for a question: dense and keyword results fused by reciprocal rank."""

from __future__ import annotations

from typing import Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from retrieval.arabic import arabic_share
from retrieval.dates import Filters, Period, question_period
from retrieval.documents import Passage
from retrieval.store import PassageStore

Mode = Literal["hybrid", "dense", "keyword"]
RRF_K = 60  # the constant of Cormack et al. (2009); damps the weight of the very top ranks
# A question that names a period ("in April 2024", "last month") or asks for the latest: of
# the best candidates, those published then come first (or the newest first). A preference
# among relevant passages, not a filter: "trade in 2023" is often reported in 2024.
PERIOD_WINDOW = 8


def reciprocal_rank_fusion(
    rankings: dict[str, list[Passage]],
    rrf_k: int = RRF_K,
    weights: dict[str, float] | None = None,
) -> list[Passage]:
    """Fuse ranked lists: each passage scores sum(weight / (rrf_k + rank)) over the lists it is
    in (weight 1 unless given).

    Each list's own score is kept in `Passage.scores` under the list's name."""
    fused: dict[str, float] = {}
    by_id: dict[str, Passage] = {}
    own: dict[str, dict[str, float]] = {}
    for name, ranking in rankings.items():
        weight = (weights or {}).get(name, 1.0)
        for rank, passage in enumerate(ranking, start=1):
            fused[passage.id] = fused.get(passage.id, 0.0) + weight / (rrf_k + rank)
            by_id.setdefault(passage.id, passage)
            own.setdefault(passage.id, {})[name] = passage.score
    order = sorted(fused, key=lambda pid: -fused[pid])
    return [by_id[pid].with_score(fused[pid], **own[pid]) for pid in order]


def diversify(ranked: list[Passage], k: int, per_article: int) -> list[Passage]:
    """The first `k` passages taking at most `per_article` from one article, unless there
    are too few other articles to fill `k`."""
    chosen: list[Passage] = []
    held_back: list[Passage] = []
    taken: dict[str, int] = {}
    for passage in ranked:
        if taken.get(passage.doc_id, 0) < per_article:
            chosen.append(passage)
            taken[passage.doc_id] = taken.get(passage.doc_id, 0) + 1
        else:
            held_back.append(passage)
    return (chosen + held_back)[:k] if len(chosen) < k else chosen[:k]


def in_period_first(ranked: list[Passage], period: Period) -> list[Passage]:
    """Of the first PERIOD_WINDOW candidates, those of articles published in the period first
    (each group in its order); for the latest, the newest first. An article's own date only:
    the day it was indexed says nothing of when it was written."""
    window, rest = ranked[:PERIOD_WINDOW], ranked[PERIOD_WINDOW:]
    if period.start is not None or period.end is not None:
        inside = [p for p in window if p.published and period.holds(p.date)]
        return [*inside, *(p for p in window if p not in inside), *rest]
    # sorted() is stable: undated candidates and those of one day keep their order
    newest = sorted(window, key=lambda p: p.date if p.published and p.date else "", reverse=True)
    return [*newest, *rest]


def to_document(passage: Passage) -> Document:
    metadata = {**passage.metadata(), "score": passage.score, **passage.scores}
    return Document(id=passage.id, page_content=passage.text, metadata=metadata)


class HybridRetriever(BaseRetriever):
    """A LangChain retriever over a PassageStore: `hybrid` (default), `dense` or `keyword`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: PassageStore
    k: int = 4
    fetch_k: int = 20
    mode: Mode = "hybrid"
    per_article: int = 2  # at most this many passages of one article, so others get a turn
    # The keyword list's weight in the fusion, for an all-Arabic question; it shrinks with the
    # share of Arabic letters in the question: BM25 over Arabic passages matches no English
    # word, and its list for an English question is noise (XQuAD English→Arabic recall@1:
    # dense 0.929, fused at full weight 0.912)
    keyword_weight: float = 1.0

    # whether articles published in a period the question names come first (PERIOD_WINDOW)
    prefer_period: bool = True

    def search(
        self, query: str, k: int | None = None, filters: Filters | None = None
    ) -> list[Passage]:
        """The best `k` passages for `query`, best first, with scores; only passages of
        articles the filters admit (a range of days, an outlet), when given."""
        k = self.k if k is None else k
        fetch = max(self.fetch_k, k)
        rankings: dict[str, list[Passage]] = {}
        if self.mode in ("hybrid", "dense"):
            rankings["dense"] = self.store.dense_search(query, fetch, filters)
        if self.mode in ("hybrid", "keyword"):
            rankings["keyword"] = self.store.keyword_search(query, fetch, filters)
        if len(rankings) == 1:
            ((name, ranking),) = rankings.items()
            ranked = [p.with_score(p.score, **{name: p.score}) for p in ranking]
        else:
            weight = self.keyword_weight * arabic_share(query)
            ranked = reciprocal_rank_fusion(rankings, weights={"keyword": weight})
        period = question_period(query) if self.prefer_period else None
        if period is not None:
            ranked = in_period_first(ranked, period)
        return diversify(ranked, k, self.per_article)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [to_document(p) for p in self.search(query)]
