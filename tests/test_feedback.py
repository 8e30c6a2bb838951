"""Feedback is stored durably and exported in the evaluation test-set format."""

import json
import sqlite3
from pathlib import Path

from bot.feedback import SCHEMA, FeedbackStore

ANSWER = {
    "question": "وفي عام 2022؟",
    "query": "كم بلغت قيمة التجارة الصينية الروسية في عام 2022؟",
    "answer": "بلغت 190 مليار دولار [1] .",
    "language": "ar",
    "refused": False,
    "citations": [{"n": 1, "file": "004_aa184c3cf74723ce.txt", "sentence": "…190 مليار دولار…"}],
}
REFUSED = {"question": "Who won the 2022 World Cup?", "answer": "I could not find this in the "
           "articles.", "language": "en", "refused": True, "citations": []}  # fmt: skip


def test_ratings_and_comments_survive_a_new_store(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    store = FeedbackStore(path)
    liked = store.add(ANSWER, liked=True)
    disliked = store.add(REFUSED, liked=False)
    store.comment(disliked, "  The article does not cover sport.  ")
    rows = FeedbackStore(path).rows()
    assert [r["id"] for r in rows] == [liked, disliked]
    assert rows[0]["rating"] == 1 and rows[0]["sources"][0]["file"] == "004_aa184c3cf74723ce.txt"
    assert rows[1]["rating"] == -1 and rows[1]["comment"] == "The article does not cover sport."
    assert [r["id"] for r in FeedbackStore(path).rows("down")] == [disliked]


def test_liked_answers_export_as_gold_questions(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3")
    store.add(ANSWER, liked=True)
    store.add(REFUSED, liked=True)
    store.add(REFUSED | {"question": "Who won?"}, liked=False)
    target = tmp_path / "out" / "testset.jsonl"
    assert store.export(target) == 2
    first, second = (json.loads(line) for line in target.read_text("utf-8").splitlines())
    assert first["question"] == ANSWER["query"], "the standalone question, not the follow-up"
    assert first["lang"] == "ar" and first["answers"] == ["بلغت 190 مليار دولار."]
    assert first["sources"] == ["004_aa184c3cf74723ce.txt"] and first["unanswerable"] is False
    assert second["unanswerable"] is True and second["answers"] == [] and second["sources"] == []
    everything = store.test_cases("all")
    assert [c["rating"] for c in everything] == ["up", "up", "down"]
    assert everything[2]["answers"] == [] and everything[2]["unanswerable"] is False


def test_feedback_names_who_gave_it_and_an_older_file_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    with sqlite3.connect(path) as db:  # a file from before users were named
        db.execute(SCHEMA)
        db.execute("INSERT INTO feedback (created, rating, question, language, answer, refused,"
                   " sources) VALUES ('2026-11-01', 1, 'q?', 'en', 'a [1].', 0, '[]')")  # fmt: skip
    store = FeedbackStore(path)
    store.add(ANSWER, liked=False, user="amal")
    assert [r["user"] for r in store.rows()] == [None, "amal"]
    assert store.test_cases("down")[0]["user"] == "amal"


def test_each_export_is_a_new_file(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3")
    store.add(ANSWER, liked=True)
    first, count = store.export_new(tmp_path / "exports")
    second, _ = store.export_new(tmp_path / "exports")
    assert count == 1 and first != second and first.exists() and second.exists()
    assert first.name.startswith("feedback-up-") and first.suffix == ".jsonl"
