"""A small SQLite file in the data directory, shared by the stores that keep what people do
(feedback, conversations): one connection per call, every write committed before it returns."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class Database:
    def __init__(self, path: Path, *schema: str) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self.connect() as db:
            for statement in schema:
                db.execute(statement)

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            db = sqlite3.connect(self.path)
            db.row_factory = sqlite3.Row
            try:
                with db:  # commits, or rolls back on error
                    yield db
            finally:
                db.close()

    def add_column(self, table: str, column: str, definition: str) -> None:
        """Add a column an older file lacks (a file made by an earlier version is kept)."""
        with self.connect() as db:
            names = {row["name"] for row in db.execute(f"PRAGMA table_info({table})")}
            if column not in names:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
