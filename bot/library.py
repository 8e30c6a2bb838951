"""The articles Sanad answers from: what is indexed, and adding new ones (web chat, API)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from retrieval.documents import SUPPORTED_SUFFIXES
from retrieval.indexer import Indexer, IngestReport, Progress
from retrieval.store import PassageStore


class UploadError(ValueError):
    """An uploaded file Sanad will not take; the message is for the user."""


@dataclass
class ArticleInfo:
    doc_id: str
    title: str
    file: str
    date: str
    passages: int

    def to_dict(self) -> dict[str, str | int]:
        return {"doc_id": self.doc_id, "title": self.title, "file": self.file,
                "date": self.date, "passages": self.passages}  # fmt: skip


class Library:
    """Uploaded files are kept in `uploads_dir` (so a citation's file name means something
    and nothing is lost when the browser's temporary copy goes), then indexed."""

    def __init__(self, store: PassageStore, indexer: Indexer, uploads_dir: Path) -> None:
        self.store = store
        self.indexer = indexer
        self.uploads_dir = uploads_dir
        self._lock = threading.Lock()  # one ingest at a time

    def articles(self) -> list[ArticleInfo]:
        found: dict[str, ArticleInfo] = {}
        for p in self.store.passages():
            info = found.setdefault(
                p.source, ArticleInfo(p.doc_id, p.title, p.source, p.date or "", 0)
            )
            info.passages += 1
        return sorted(found.values(), key=lambda a: a.file)

    def add(self, files: Iterable[str | Path], progress: Progress | None = None) -> IngestReport:
        """Copy the files into the uploads folder and index them; a file with the name of an
        earlier upload replaces it (same text: nothing to do)."""
        paths = [Path(f) for f in files]
        if not paths:
            raise UploadError("No file was given. / لم يُرفق أي ملف.")
        kinds = " ".join(SUPPORTED_SUFFIXES)
        for path in paths:
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise UploadError(
                    f"{path.name}: only {kinds} files can be added. / "
                    f"{path.name}: لا يمكن إضافة إلا ملفات {kinds}."
                )
        self.uploads_dir.mkdir(parents=True, exist_ok=True)
        kept = []
        for path in paths:
            target = self.uploads_dir / path.name
            if path.resolve() != target.resolve():
                shutil.copyfile(path, target)
            kept.append(target)
        with self._lock:
            return self.indexer.ingest(kept, progress=progress)
