"""Evaluate Sanad on a test set: rank the corpus for every question, answer (a sample of) them
with the real bot, score each row, and summarise overall and per question language."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core import Bot
from bot.generation import Generator
from bot.language import detect_language, has_letters
from bot.metrics import (
    citation_scores,
    contains_answer,
    exact_match,
    mean,
    percentile,
    retrieval_scores,
    token_f1,
)
from bot.settings import Settings
from bot.testsets import Case, TestSet
from retrieval.indexer import IngestReport, Progress
from retrieval.search import HybridRetriever, Mode
from retrieval.store import PassageStore

RANKED_SOURCES = 10  # distinct articles ranked per question (recall@10, nDCG@10)
FETCH = 40  # passages fetched to find them
Step = Callable[[str], None]  # called once per question done, with what was done


@dataclass
class EvalOptions:
    retrievers: Sequence[Mode] = ("hybrid",)
    k: int | None = None  # passages given to the model (settings.top_k)
    limit: int | None = None  # questions evaluated at all
    answer_limit: int | None = None  # questions also answered (a fixed sample: the first N)
    retrieval_only: bool = False


def ranked_sources(retriever: HybridRetriever, question: str) -> list[str]:
    """Distinct article sources for the question, best first."""
    seen: dict[str, None] = {}
    for passage in retriever.search(question, k=FETCH):
        seen.setdefault(passage.source, None)
    return list(seen)[:RANKED_SOURCES]


def score_answer(case: Case, answer: dict[str, Any]) -> dict[str, float]:
    """Answer, citation, refusal and language scores of one answered question."""
    text, refused = answer["answer"], answer["refused"]
    scores: dict[str, float] = {
        "refused": float(refused),
        # an answer of figures only ("26.3٪ [1].") is in no language, so in the right one
        "language_match": float(detect_language(text) == case.lang or not has_letters(text)),
    }
    if not case.unanswerable and case.answers:
        shown = "" if refused else text
        scores |= {"exact_match": exact_match(shown, case.answers),
                   "f1": token_f1(shown, case.answers),
                   "contains_answer": contains_answer(shown, case.answers)}  # fmt: skip
        if answer.get("draft"):  # what the model wrote, before the verification stage
            scores["draft_contains_answer"] = contains_answer(answer["draft"], case.answers)
    if not case.unanswerable and case.sources and not refused:
        scores |= citation_scores([c["file"] for c in answer["citations"]], case.sources)
    return scores


def evaluate(
    testset: TestSet,
    store: PassageStore,
    settings: Settings,
    options: EvalOptions,
    generator: Generator | None = None,
    step: Step | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Rows per retriever: the question, its ranking and scores, and (unless retrieval only)
    the answer with its citations, scores and timings."""
    from bot.wiring import build_bot

    cases = testset.cases[: options.limit] if options.limit else testset.cases
    answered = len(cases) if options.answer_limit is None else options.answer_limit
    results: dict[str, list[dict[str, Any]]] = {}
    for mode in options.retrievers:
        run = settings.model_copy(update={"retriever": mode, "top_k": options.k or settings.top_k})
        retriever = HybridRetriever(store=store, k=run.top_k, fetch_k=FETCH, mode=mode,
                                    keyword_weight=run.keyword_weight)  # fmt: skip
        bot: Bot | None = None
        if not options.retrieval_only and answered:
            bot = build_bot(run, generator=generator, store=store)
            if generator is None:
                bot.warm_up()  # as the web chat does: timings are those a user would see
            generator = bot.generator  # one model for every retriever
        rows = []
        for number, case in enumerate(cases):
            ranked = ranked_sources(retriever, case.question)
            row: dict[str, Any] = {
                "id": case.id, "retriever": mode, "question": case.question, "lang": case.lang,
                "gold_answers": case.answers, "gold_sources": case.sources,
                "unanswerable": case.unanswerable, "ranked_sources": ranked, **case.extra,
            }  # fmt: skip
            scores = retrieval_scores(ranked, case.sources) if case.sources else {}
            if bot is not None and number < answered:
                asked = bot.ask(case.question)
                answer = asked.to_dict()
                citations = [{"n": c["n"], "file": c["file"], "sentence": c["sentence"]}
                             for c in answer["citations"]]  # fmt: skip
                row |= {"answer": answer["answer"], "refused": answer["refused"],
                        "citations": citations, "unverified": answer["unverified"],
                        "draft": answer["draft"], "checks_failed": answer["checks_failed"],
                        "corrections": answer["corrections"], "timings": answer["timings"],
                        "probabilities": [round(p, 4) for p in asked.probabilities],
                        "raw": asked.raw, "prompt": asked.prompt,
                        "resamples": list(asked.resamples)}  # fmt: skip
                scores |= score_answer(case, answer)
            row["scores"] = scores
            rows.append(row)
            if step:
                step(mode)
        results[mode] = rows
    return results


def check_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    """For each verification check, on the drafts the model wrote (not its own refusals): how
    many right drafts it failed (an answer thrown away), how many wrong ones (stopped), and
    how many drafts for unanswerable questions (stopped); and the answers whose unit,
    currency or qualifier was corrected, by whether the answer shown is right."""
    counts: dict[str, int] = {}
    for row in rows:
        if not row.get("draft"):
            continue
        if row["unanswerable"]:
            kind = "unanswerable"
        elif "draft_contains_answer" in row["scores"]:
            kind = "right" if row["scores"]["draft_contains_answer"] else "wrong"
        else:
            continue
        counts[f"drafts {kind}"] = counts.get(f"drafts {kind}", 0) + 1
        for name in row.get("checks_failed", []):
            key = f"check {name}: {kind}"
            counts[key] = counts.get(key, 0) + 1
        if row.get("corrections"):  # a unit or "about" put back: is the answer shown right?
            shown = "unanswerable" if row["unanswerable"] else (
                "right" if row["scores"].get("contains_answer") else "wrong")  # fmt: skip
            counts[f"corrected: {shown}"] = counts.get(f"corrected: {shown}", 0) + 1
    return counts


def _summary(rows: list[dict[str, Any]]) -> dict[str, float | int | None]:
    def avg(name: str, keep: Callable[[dict[str, Any]], bool] = lambda row: True):
        return mean(r["scores"][name] for r in rows if name in r["scores"] and keep(r))

    answered = [r for r in rows if "answer" in r]
    summary: dict[str, float | int | None] = {
        "questions": len(rows),
        "answered": len(answered),
        "unanswerable": sum(r["unanswerable"] for r in rows),
    }
    for name in ("recall@1", "recall@5", "recall@10", "mrr", "ndcg@10"):
        summary[name] = avg(name)
    for name in ("exact_match", "f1", "contains_answer", "draft_contains_answer",
                 "citation_precision", "citation_recall", "language_match"):  # fmt: skip
        summary[name] = avg(name)
    summary["refusal_accuracy"] = avg("refused", lambda r: r["unanswerable"])
    summary["false_refusal_rate"] = avg("refused", lambda r: not r["unanswerable"])
    summary |= check_counts(answered)
    for timing in ("first_token", "total"):
        values = [r["timings"][timing] for r in answered if timing in r.get("timings", {})]
        summary[f"{timing}_median"] = statistics.median(values) if values else None
        summary[f"{timing}_p95"] = percentile(values, 95) if values else None
    return summary


def summarize(rows: list[dict[str, Any]]) -> dict[str, dict[str, float | int | None]]:
    """Metrics overall, per question language, and for the dated questions (marked `"dated":
    true` in the test set: their answer changes with time across articles) apart."""
    groups = {"all": rows}
    for lang in sorted({r["lang"] for r in rows}):
        groups[lang] = [r for r in rows if r["lang"] == lang]
    if dated := [r for r in rows if r.get("dated")]:
        groups["dated"] = dated
    return {name: _summary(group) for name, group in groups.items()}


def index_corpus(
    testset: TestSet, settings: Settings, progress: Progress | None = None
) -> tuple[PassageStore, IngestReport]:
    """The test set's corpus in a collection of its own; indexing again only adds what changed
    (and drops what left the corpus)."""
    from bot.wiring import build_indexer, build_store

    store = build_store(settings, testset.corpus_name)
    report = build_indexer(settings, store).ingest(testset.corpus, progress=progress, prune=True)
    return store, report
