"""The command line, through its entry point, as a user runs it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, capture_output=True,
                          text=True, env=os.environ.copy(), timeout=600)  # fmt: skip


def test_ingest_shows_progress_and_is_idempotent(tmp_path: Path) -> None:
    first = run("ingest", "seeds")
    assert first.returncode == 0, first.stderr
    assert "5 added" in first.stdout and "Reading" in first.stderr and "5/5" in first.stderr
    assert "Embedding" in first.stderr and "79/79" in first.stderr
    second = run("ingest", "seeds")
    assert "0 added" in second.stdout and "5 unchanged" in second.stdout
    assert (Path(os.environ["SANAD_DATA_DIR"]) / "index" / "chroma").is_dir()


def test_ingest_reports_bad_files_and_fails_when_nothing_is_usable(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("ingest", str(tmp_path / "empty.txt"))
    assert result.returncode == 1 and "empty.txt is empty" in result.stderr
    missing = run("ingest", str(tmp_path / "nope"))
    assert missing.returncode != 0 and "does not exist" in missing.stderr


def test_a_copy_of_an_article_is_named_and_indexed_once(tmp_path: Path) -> None:
    text = (ROOT / "seeds" / "000_479f4305cba7f61e.txt").read_text(encoding="utf-8")
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = run("ingest", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "duplicate: b.txt is the same article as a.txt (indexed once)" in result.stderr
    assert "1 duplicates" in result.stdout and "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_declined_question_still_lists_what_was_found() -> None:
    result = run("ask", "What is the population of Brazil?")
    assert result.returncode == 0, result.stderr
    assert "I could not find this in the articles." in result.stdout
    assert "Passages found:" in result.stdout and "[1] " in result.stdout


def test_an_empty_question_is_an_error() -> None:
    result = run("ask", "  ")
    assert result.returncode == 2 and "empty" in result.stderr


@pytest.mark.slow
def test_ask_json_with_the_real_models() -> None:
    result = run("ask", "--json", "كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["language"] == "ar" and "240.1" in data["answer"] and not data["refused"]
    citation = data["citations"][0]
    assert citation["file"] == "000_479f4305cba7f61e.txt"
    assert "240.1" in citation["text"] and citation["end"] > citation["start"]
    assert set(data["timings"]) >= {"retrieval", "first_token", "total"}


def test_feedback_exports_as_a_test_set(tmp_path: Path) -> None:
    from bot.feedback import FeedbackStore
    from bot.settings import Settings

    store = FeedbackStore(Settings().feedback_db)
    answer = {"question": "Which treaty?", "answer": "New START [1].", "language": "en",
              "refused": False, "citations": [{"file": "004_aa184c3cf74723ce.txt"}]}  # fmt: skip
    store.add(answer, liked=True)
    store.add(answer | {"question": "Which other treaty?"}, liked=False)
    result = run("feedback-export", str(tmp_path / "set.jsonl"))
    assert result.returncode == 0 and "1 questions written" in result.stdout
    (case,) = [json.loads(line) for line in (tmp_path / "set.jsonl").read_text().splitlines()]
    assert case["question"] == "Which treaty?" and case["answers"] == ["New START."]
    assert run("feedback-export", str(tmp_path / "all.jsonl"), "--which", "all").returncode == 0
    assert len((tmp_path / "all.jsonl").read_text().splitlines()) == 2


def test_eval_ranks_the_gold_questions_and_writes_a_report(tmp_path: Path) -> None:
    result = run("eval", "seeds/questions.jsonl", "--retrieval-only", "--retriever",
                 "hybrid,dense", "--report", str(tmp_path / "report"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "| metric | hybrid | dense |" in result.stdout and "## Arabic questions" in result.stdout
    asked = 2 * len((ROOT / "seeds" / "questions.jsonl").read_text("utf-8").splitlines())
    assert "Evaluating" in result.stderr and f"{asked}/{asked}" in result.stderr, "a progress bar"
    summary = json.loads((tmp_path / "report" / "summary.json").read_text())
    assert summary["hybrid"]["ar"]["recall@5"] >= 0.9 and summary["hybrid"]["en"]["recall@5"] >= 0.9
    assert {p.name for p in (tmp_path / "report").iterdir()} == {
        "rows.jsonl", "summary.json", "summary.md", "summary.png"}  # fmt: skip


def test_eval_refuses_a_bad_test_set(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text('{"question": "ok"}\n{"question": 3}\n')
    result = run("eval", str(tmp_path / "bad.jsonl"))
    assert result.returncode == 2 and 'bad.jsonl line 2: "question" must be' in result.stderr
    result = run("eval", "seeds/questions.jsonl", "--retriever", "fuzzy")
    assert result.returncode == 2 and "--retriever takes" in result.stderr
