"""Conversations kept per user in SQLite (data directory), so that a reload or a restart loses
nothing: listed newest first, reopened, deleted. A conversation is its turns as the web chat
holds them: the question, the reply's HTML and the answer's JSON."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    user TEXT NOT NULL,
    title TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    turns TEXT NOT NULL  -- JSON: [{"question", "html", "answer"}]
)
"""
INDEX = "CREATE INDEX IF NOT EXISTS conversations_user ON conversations (user, updated)"
LOCAL_USER = "local"  # the one user of an install with no sign-in
TITLE_CHARS = 60


@dataclass(frozen=True)
class Listed:
    id: str
    title: str
    updated: str

    def label(self) -> str:
        return f"{self.title} · {self.updated[:16].replace('T', ' ')}"


class ConversationStore:
    def __init__(self, path: Path) -> None:
        self.db = Database(path, SCHEMA, INDEX)

    def save(self, user: str, turns: list[dict[str, Any]], conversation: str | None = None) -> str:
        """Keep `turns` as `user`'s conversation `conversation` (a new one when None or not
        theirs); returns its id. The title is the first question."""
        now = datetime.now(UTC).isoformat(timespec="microseconds")
        title = " ".join(turns[0]["question"].split()) if turns else ""
        if len(title) > TITLE_CHARS:
            title = title[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"
        body = json.dumps(turns, ensure_ascii=False)
        with self.db.connect() as db:
            if conversation is not None:
                updated = db.execute(
                    "UPDATE conversations SET turns = ?, title = ?, updated = ? "
                    "WHERE id = ? AND user = ?", (body, title, now, conversation, user),
                ).rowcount  # fmt: skip
                if updated:
                    return conversation
            conversation = uuid.uuid4().hex
            db.execute("INSERT INTO conversations VALUES (?, ?, ?, ?, ?, ?)",
                       (conversation, user, title, now, now, body))  # fmt: skip
        return conversation

    def list(self, user: str, limit: int = 50) -> list[Listed]:
        """`user`'s conversations, the latest first."""
        with self.db.connect() as db:
            rows = db.execute(
                "SELECT id, title, updated FROM conversations WHERE user = ? "
                "ORDER BY updated DESC, rowid DESC LIMIT ?", (user, limit),
            )  # fmt: skip
            return [Listed(row["id"], row["title"], row["updated"]) for row in rows]

    def load(self, user: str, conversation: str) -> list[dict[str, Any]] | None:
        """The turns of `user`'s conversation; None when there is none (or it is another's)."""
        with self.db.connect() as db:
            row = db.execute("SELECT turns FROM conversations WHERE id = ? AND user = ?",
                             (conversation, user)).fetchone()  # fmt: skip
        return json.loads(row["turns"]) if row else None

    def delete(self, user: str, conversation: str) -> bool:
        with self.db.connect() as db:
            return bool(db.execute("DELETE FROM conversations WHERE id = ? AND user = ?",
                                   (conversation, user)).rowcount)  # fmt: skip
