"""Thumbs up/down on answers, kept in SQLite in the data directory, exportable as a test set."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from bot.citations import CITATION_PATTERN
from bot.database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    query TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL,
    answer TEXT NOT NULL,
    refused INTEGER NOT NULL,
    sources TEXT NOT NULL  -- JSON: the answer's citations
)
"""
Which = Literal["up", "down", "all"]


class FeedbackStore:
    """One row per rating, with who gave it; every write is committed before the call returns."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = Database(path, SCHEMA)
        self.db.add_column("feedback", "user", "TEXT")  # files from before users were named

    def add(self, answer: dict[str, Any], liked: bool, comment: str = "",
            user: str | None = None) -> int:  # fmt: skip
        """Store `user`'s rating of `answer` (the shape of Answer.to_dict()); returns its id."""
        with self.db.connect() as db:
            cursor = db.execute(
                "INSERT INTO feedback (created, rating, comment, question, query, language,"
                " answer, refused, sources, user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    datetime.now(UTC).isoformat(timespec="seconds"),
                    1 if liked else -1,
                    comment.strip(),
                    answer["question"],
                    answer.get("query") or answer["question"],
                    answer["language"],
                    answer["answer"],
                    int(bool(answer.get("refused"))),
                    json.dumps(answer.get("citations", []), ensure_ascii=False),
                    user,
                ),
            )
            return int(cursor.lastrowid or 0)

    def comment(self, feedback_id: int, text: str) -> None:
        with self.db.connect() as db:
            db.execute("UPDATE feedback SET comment = ? WHERE id = ?", (text.strip(), feedback_id))

    def rows(self, which: Which = "all") -> list[dict[str, Any]]:
        where = {"up": "WHERE rating = 1", "down": "WHERE rating = -1", "all": ""}[which]
        with self.db.connect() as db:
            rows = db.execute(f"SELECT * FROM feedback {where} ORDER BY id").fetchall()
        return [dict(row) | {"sources": json.loads(row["sources"])} for row in rows]

    def test_cases(self, which: Which = "up") -> list[dict[str, Any]]:
        """Rows in the evaluation test-set format. A liked answer becomes a gold answer (its
        cited files the gold sources; a liked refusal, an unanswerable question); a disliked
        one comes with no gold answer, for an editor to write before it is used."""
        cases = []
        for row in self.rows(which):
            liked = row["rating"] == 1
            files = list(dict.fromkeys(c["file"] for c in row["sources"]))
            answer = " ".join(CITATION_PATTERN.sub("", row["answer"]).split())
            answer = re.sub(r"\s+([.,؟?!،])", r"\1", answer)
            cases.append({
                "id": f"feedback-{row['id']}",
                "question": row["query"] or row["question"],
                "lang": row["language"],
                "answers": [answer] if liked and not row["refused"] else [],
                "sources": files if liked and not row["refused"] else [],
                "unanswerable": bool(liked and row["refused"]),
                "rating": "up" if liked else "down",
                "comment": row["comment"],
                "answer_given": row["answer"],
                "asked": row["question"],
                "created": row["created"],
                "user": row["user"],
            })  # fmt: skip
        return cases

    def export_new(self, folder: Path, which: Which = "up") -> tuple[Path, int]:
        """Export to a new file in `folder`, named by the time (earlier exports are kept)."""
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        target, n = folder / f"feedback-{which}-{stamp}.jsonl", 1
        while target.exists():  # two exports in one second
            n += 1
            target = folder / f"feedback-{which}-{stamp}-{n}.jsonl"
        return target, self.export(target, which)

    def export(self, target: Path, which: Which = "up") -> int:
        """Write the test set as JSON Lines; returns how many questions it holds."""
        cases = self.test_cases(which)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8") as out:
            for case in cases:
                out.write(json.dumps(case, ensure_ascii=False) + "\n")
        return len(cases)
