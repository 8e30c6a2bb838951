"""The public dev sets the reading benches sample from: XQuAD Arabic, XQuAD English questions
over the Arabic paragraphs, and ARCD train (../shared/data beside the project)."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterable, Iterator

from bot.citations import is_refusal
from bot.core import Bot
from bot.evaluation import index_corpus
from bot.metrics import contains_answer
from bot.settings import PROJECT_ROOT, Settings
from bot.testsets import TestSet, load_testset, select
from bot.wiring import build_bot

DATA = PROJECT_ROOT.parent / "shared" / "data"


def dev_sets(settings: Settings) -> dict[str, TestSet]:
    xquad, arcd = DATA / "xquad", DATA / "arcd"

    def load(path, other=None) -> TestSet:
        return load_testset(path, settings.seeds_dir, settings.corpora_dir, other)

    return {
        "xq-ar": load(xquad / "xquad.ar.json"),
        "xq-en": load(xquad / "xquad.ar.json", xquad / "xquad.en.json"),
        "arcd": load(arcd / "arcd-train.json"),
    }


def dev_bots(
    settings: Settings, names: list[str], n: int, seed: int, prepare: Callable | None = None
) -> Iterator[tuple[str, TestSet, Bot]]:
    """Each named set's spread sample (XQuAD with 20% made unanswerable by leaving the
    question's paragraph out), indexed, with a bot over it; one model for all of them, handed
    to `prepare` once, when first loaded."""
    sets = dev_sets(settings)
    generator = None
    for name in names:
        testset = select(sets[name], n, seed, unanswerable_share=0.2 if name != "arcd" else 0.0)
        store, _ = index_corpus(testset, settings)
        bot = build_bot(settings, generator=generator, store=store)
        if generator is None:
            bot.warm_up()
            generator = bot.generator
            if prepare is not None:
                prepare(generator)
        yield name, testset, bot


def outcome(answer, case) -> dict:
    drafted = bool(answer.draft) and not is_refusal(answer.draft)

    def right(text):
        return not case.unanswerable and bool(contains_answer(text, case.answers))

    return {"draft": answer.draft, "checks": answer.checks, "refused": answer.refused,
            "draft_right": drafted and right(answer.draft),
            "right": not answer.refused and right(answer.text)}  # fmt: skip


def compare(
    bots: Iterable[tuple[str, TestSet, Bot]], ways: dict[str, Callable[[Bot], None]]
) -> None:
    """Every question of each set asked once each way (`ways[label](bot)` sets the bot up
    for it): one JSON row a question, then for each way the drafts right, the right answers,
    the wrong answers and unanswerable questions shown, and the median seconds a question."""
    for name, testset, bot in bots:
        rows = []
        for case in testset.cases:
            row = {"set": name, "q": case.question, "gold": case.answers,
                   "unanswerable": case.unanswerable}  # fmt: skip
            for label, choose in ways.items():
                choose(bot)
                t0 = time.perf_counter()
                row[label] = {**outcome(bot.ask(case.question), case),
                              "seconds": round(time.perf_counter() - t0, 2)}  # fmt: skip
            print(json.dumps(row, ensure_ascii=False), flush=True)
            rows.append(row)
        answerable = sum(not r["unanswerable"] for r in rows)
        for label in ways:
            got = [(r[label], r["unanswerable"]) for r in rows]
            drafts = sum(g["draft_right"] for g, _ in got)
            right = sum(g["right"] for g, _ in got)
            wrong = sum(not g["refused"] and not g["right"] and not u for g, u in got)
            unans = sum(not g["refused"] and u for g, u in got)
            median = statistics.median(g["seconds"] for g, _ in got)
            print(f"## {name} {label}: drafts right {drafts}/{answerable}, right {right}, "
                  f"wrong shown {wrong}, unanswerable shown {unans}/{len(rows) - answerable}, "
                  f"median {median:.2f} s", flush=True)  # fmt: skip
