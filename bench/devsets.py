"""The public dev sets the reading benches sample from: XQuAD Arabic, XQuAD English questions
over the Arabic paragraphs, and ARCD train (../shared/data beside the project)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from bot.core import Bot
from bot.evaluation import index_corpus
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
