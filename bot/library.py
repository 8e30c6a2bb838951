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
    date_from: str = ""  # metadata, name, text, ingested (retrieval/dates.py)
    outlet: str = ""

    def to_dict(self) -> dict[str, str | int | None]:
        return {"doc_id": self.doc_id, "title": self.title, "file": self.file,
                "date": self.date or None, "date_from": self.date_from or None,
                "outlet": self.outlet or None, "passages": self.passages}  # fmt: skip


class Library:
    """Uploaded files are kept in `uploads_dir` (so a citation's file name means something
    and nothing is lost when the browser's temporary copy goes), then indexed."""

    def __init__(self, store: PassageStore, indexer: Indexer, uploads_dir: Path) -> None:
        self.store = store
        self.indexer = indexer
        self.uploads_dir = uploads_dir
        self._lock = threading.Lock()  # one ingest at a time
        # The list is read on every health check and page load: built from metadata only, and
        # again only when the number of passages has changed (an ingest, here or elsewhere).
        self._listed: tuple[int, list[ArticleInfo]] = (-1, [])

    def articles(self) -> list[ArticleInfo]:
        count = self.store.count()
        if self._listed[0] == count:
            return self._listed[1]
        found: dict[str, ArticleInfo] = {}
        for meta in self.store.metadatas():
            source = str(meta["source"])
            if source not in found:
                found[source] = ArticleInfo(
                    str(meta["doc_id"]), str(meta.get("title", "")), source,
                    str(meta.get("date") or ""), 0, str(meta.get("date_from") or ""),
                    str(meta.get("outlet") or ""),
                )  # fmt: skip
            info = found[source]
            info.passages += 1
        listed = sorted(found.values(), key=lambda a: a.file)
        self._listed = (count, listed)
        return listed

    def remove(self, source: str) -> ArticleInfo:
        """Take an article out of the index (and its uploaded file out of the uploads folder);
        UploadError when no article has that source."""
        with self._lock:
            info = next((a for a in self.articles() if a.file == source), None)
            if info is None:
                raise UploadError(f"No article {source}. / لا مقال باسم {source}.")
            self.store.delete_ids([p.id for p in self.store.where(source=source)])
            self.store.rebuild_keyword_index()
            upload = self.uploads_dir / source
            if upload.is_file() and upload.parent == self.uploads_dir:
                upload.unlink()  # or the next upload of the folder would bring it back
            self._listed = (-1, [])
            return info

    def outlets(self) -> list[str]:
        """The outlets named by indexed articles, sorted."""
        return sorted({a.outlet for a in self.articles() if a.outlet})

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
            if path.stat().st_size >= self.indexer.max_file_bytes:
                kept.append(path)  # refused by the ingest, with its reason: not worth a copy
                continue
            if path.resolve() != target.resolve():
                shutil.copyfile(path, target)
            kept.append(target)
        with self._lock:
            report = self.indexer.ingest(kept, progress=progress)
            self._listed = (-1, [])  # a replaced article may keep the same passage count
            return report
