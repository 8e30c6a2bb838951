"""The public dev sets the reading benches sample from: XQuAD Arabic, XQuAD English questions
over the Arabic paragraphs, and ARCD train (../shared/data beside the project)."""

from __future__ import annotations

from bot.settings import PROJECT_ROOT, Settings
from bot.testsets import TestSet, load_testset

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
