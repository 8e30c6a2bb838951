"""Replaying a report: the model's text of each answer given back, the checks run again."""

import json
from pathlib import Path

import pytest

from bench.replay import Replay, ReplayError, moved
from bot.evaluation import EvalOptions, evaluate
from bot.settings import Settings
from bot.testsets import load_testset
from tests.fakes import ResamplingGenerator, ScriptedGenerator

ROOT = Path(__file__).resolve().parent.parent
TRADE = "كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟"


def test_a_replayed_report_moves_only_what_a_changed_check_moves(hash_indexer, tmp_path) -> None:
    hash_indexer.ingest([ROOT / "seeds"])
    cases = [
        {"id": "sure", "question": TRADE, "answers": ["240.1 مليار دولار"]},
        # an invisible mark the bot takes out before the question goes in the prompt
        {"id": "unsure", "question": "\u200fما قيمة التجارة الصينية الروسية في 2023؟",
         "answers": ["240.1 مليار دولار"]},
    ]  # fmt: skip
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases), encoding="utf-8")
    testset = load_testset(path, ROOT / "seeds", tmp_path)
    written = ScriptedGenerator("بلغت 240.1 مليار دولار [1].", "بلغت 240.1 مليار دولار [2].",
                                probabilities=(0.9, 0.6, 0.7, 1.0))  # fmt: skip
    settings = Settings(min_relevance_ar=0, min_relevance_en=0, sentence_windows=False,
                        min_confidence_ar=0)  # fmt: skip
    store = hash_indexer.store
    rows = evaluate(testset, store, settings, EvalOptions(), generator=written)["hybrid"]
    assert [r["raw"] for r in rows] == ["بلغت 240.1 مليار دولار [1].",
                                        "بلغت 240.1 مليار دولار [2]."]  # fmt: skip
    again = evaluate(testset, store, settings, EvalOptions(), generator=Replay(rows))["hybrid"]
    assert [r["answer"] for r in again] == [r["answer"] for r in rows]
    assert [r["citations"] for r in again] == [r["citations"] for r in rows], "its own markers"
    assert moved(rows, again) == []
    stricter = settings.model_copy(update={"min_confidence_ar": 0.8})
    replayed = evaluate(testset, store, stricter, EvalOptions(), generator=Replay(rows))["hybrid"]
    assert moved(rows, replayed) == [
        (TRADE, "right", "declined", [], ["confidence"]),
        (cases[1]["question"], "right", "declined", [], ["confidence"]),
    ]


def test_a_report_without_the_model_s_text_cannot_be_replayed() -> None:
    with pytest.raises(ReplayError, match="raw"):
        Replay([{"question": "?", "draft": "x", "probabilities": []}])


def test_where_the_prompt_moved_the_model_is_asked_again(hash_indexer, tmp_path) -> None:
    hash_indexer.ingest([ROOT / "seeds"])
    cases = [{"id": "trade", "question": TRADE, "answers": ["240.1 مليار دولار"]}]
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps(cases[0], ensure_ascii=False), encoding="utf-8")
    testset = load_testset(path, ROOT / "seeds", tmp_path)
    settings = Settings(min_relevance_ar=0, sentence_windows=False, min_confidence_ar=0)
    store, options = hash_indexer.store, EvalOptions()
    written = ScriptedGenerator("لم أجد الإجابة في المقالات.")
    (row,) = evaluate(testset, store, settings, options, generator=written)["hybrid"]
    assert len(row["prompt"]) == 16 and row["refused"]
    # the same code: the same prompt, the report's answer given back, the model never asked
    model = ScriptedGenerator()
    same = Replay([row], model)
    (again,) = evaluate(testset, store, settings, options, generator=same)["hybrid"]
    assert again["prompt"] == row["prompt"] and again["refused"] and same.moved == []
    # fewer passages read: another prompt, so the model is asked what it would write now
    fewer = settings.model_copy(update={"top_k": 1})
    model = ScriptedGenerator("بلغت 240.1 مليار دولار [1].")
    moved_prompt = Replay([row], model)
    (now,) = evaluate(testset, store, fewer, options, generator=moved_prompt)["hybrid"]
    assert now["prompt"] != row["prompt"] and moved_prompt.moved == [TRADE]
    assert len(model.requests) == 1 and not now["refused"]
    assert now["scores"]["contains_answer"] == 1.0
    # without a model, the report's answer is given and the question named
    alone = Replay([row])
    (given,) = evaluate(testset, store, fewer, options, generator=alone)["hybrid"]
    assert given["refused"] and alone.moved == [TRADE]


def test_a_report_s_resamples_are_given_back_with_its_drafts(hash_indexer, tmp_path) -> None:
    """The agreement check replayed with no model: the samples the report kept are given back,
    so its decision is the same; a report without them leaves the check unasked."""
    hash_indexer.ingest([ROOT / "seeds"])
    case = {"id": "trade", "question": TRADE, "answers": ["240.1 مليار دولار"]}
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    testset = load_testset(path, ROOT / "seeds", tmp_path)
    settings = Settings(min_relevance_ar=0, sentence_windows=False, min_confidence_ar=0,
                        resamples=3, resample_below=0.9, min_agreement=2)  # fmt: skip
    store, options = hash_indexer.store, EvalOptions()
    guesses = ("بلغت 190 مليار دولار [1].", "240.1 مليار دولار", "لم أجد الإجابة في المقالات.")
    written = ResamplingGenerator("بلغت 240.1 مليار دولار [1].", probabilities=(0.8, 0.8, 1.0),
                                  resamples=guesses)  # fmt: skip
    (row,) = evaluate(testset, store, settings, options, generator=written)["hybrid"]
    assert row["refused"] and row["checks_failed"] == ["agreement"]
    assert row["resamples"] == list(guesses)
    (again,) = evaluate(testset, store, settings, options, generator=Replay([row]))["hybrid"]
    assert again["checks_failed"] == ["agreement"] and again["resamples"] == list(guesses)
    older = {key: value for key, value in row.items() if key != "resamples"}
    (unasked,) = evaluate(testset, store, settings, options, generator=Replay([older]))["hybrid"]
    assert not unasked["refused"] and unasked["resamples"] == []
