"""Ingest: files → articles → passages → store, skipping what is already indexed."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.chunking import Chunker
from retrieval.documents import IngestError, find_files, load_file
from retrieval.store import PassageStore

Progress = Callable[[int, int, str], None]  # (files done, files in all, current file)


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    passages: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.pruned)


class Indexer:
    """Adds new articles, replaces changed ones (same source, new text), skips unchanged ones."""

    def __init__(self, store: PassageStore, chunker: Chunker) -> None:
        self.store = store
        self.chunker = chunker

    def ingest(
        self,
        paths: Iterable[str | Path],
        progress: Progress | None = None,
        prune: bool = False,
    ) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        files = find_files(paths)
        indexed = self.store.sources()
        seen: set[str] = set()
        for done, (path, source) in enumerate(files):
            if progress:
                progress(done, len(files), source)
            try:
                articles = load_file(path, source)
            except (IngestError, OSError) as exc:
                report.errors.append(str(exc))
                continue
            for article in articles:
                seen.add(article.source)
                old_doc, old_ids = indexed.get(article.source, (None, []))
                if old_doc == article.id:
                    report.unchanged.append(article.source)
                    continue
                passages = self.chunker.split(article)
                # New passages go in before old ones go out: an interruption loses nothing.
                self.store.add(passages)
                new_ids = {p.id for p in passages}
                self.store.delete_ids([i for i in old_ids if i not in new_ids])
                (report.replaced if old_doc else report.added).append(article.source)
                report.passages += len(passages)
        if prune:
            for source, (_, ids) in indexed.items():
                if source not in seen:
                    self.store.delete_ids(ids)
                    report.pruned.append(source)
        if progress:
            progress(len(files), len(files), "")
        if report.changed or len(self.store.keywords) != self.store.count():
            self.store.rebuild_keyword_index()
        report.seconds = time.perf_counter() - started
        return report
