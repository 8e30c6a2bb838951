"""Ingest: files → articles → passages → store, in batches, resumable, skipping what is
already indexed.

Each passage records how many passages its article has (`parts`), so an ingest cut short
(Ctrl-C, kill, a crash) leaves nothing that looks finished: the next run finds the article
incomplete and indexes it again (ids come from content, so nothing is duplicated)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Literal

from retrieval.chunking import Chunker
from retrieval.documents import MAX_FILE_BYTES, Passage, find_files, read_articles
from retrieval.duplicates import NearDuplicates
from retrieval.store import IndexedArticle, PassageStore

Stage = Literal["read", "embed"]
# (stage, done, total, name): files read of all, then passages embedded of all to embed
Progress = Callable[[Stage, int, int, str], None]
BATCH_PASSAGES = 128  # passages embedded and written together: the unit of progress


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # (source, the source it is a copy of): an identical article is indexed once
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    # (source, the source it nearly repeats): another headline, a paragraph trimmed…
    near_duplicates: list[tuple[str, str]] = field(default_factory=list)
    passages: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0  # of `seconds`, embedding and writing the passages

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.pruned)

    @property
    def articles(self) -> int:
        """Articles indexed by this run (new or replaced)."""
        return len(self.added) + len(self.replaced)


@dataclass
class _Job:
    """One article to (re)index: its passages, and the ids of what it replaces."""

    source: str
    passages: list[Passage]
    stale: list[str]
    replaces: bool


class Indexer:
    """Adds new articles, replaces changed ones (same source, new text), skips unchanged ones,
    and with `prune` removes articles whose source is gone."""

    def __init__(
        self,
        store: PassageStore,
        chunker: Chunker,
        batch_passages: int = BATCH_PASSAGES,
        max_file_bytes: int = MAX_FILE_BYTES,
    ) -> None:
        self.store = store
        self.chunker = chunker
        self.batch_passages = batch_passages
        self.max_file_bytes = max_file_bytes

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
        jobs, seen = self._plan(files, indexed, report, progress, prune)
        embed_started = time.perf_counter()
        self._run(jobs, report, progress)
        report.embed_seconds = time.perf_counter() - embed_started
        copies: dict[str, list[str]] = {}
        for copy, original in report.duplicates + report.near_duplicates:
            copies.setdefault(original, []).append(copy)
        for original, also in copies.items():  # its sources say "also in: …"
            self.store.add_also_in(original, also)
        if prune:
            # ids come from content: a copy indexed in this run in place of a pruned source
            # wrote over the same ids, which stay
            written = {p.id for job in jobs for p in job.passages}
            for source, article in indexed.items():
                if source not in seen:
                    self.store.delete_ids([i for i in article.ids if i not in written])
                    report.pruned.append(source)
        if report.changed or len(self.store.keywords) != self.store.count():
            self.store.rebuild_keyword_index()
        report.seconds = time.perf_counter() - started
        return report

    def _plan(
        self,
        files: list[tuple[Path, str]],
        indexed: dict[str, IndexedArticle],
        report: IngestReport,
        progress: Progress | None,
        prune: bool = False,
    ) -> tuple[list[_Job], set[str]]:
        """Read every file; what is new, changed or left incomplete becomes a job. An article
        whose text is already indexed (or planned) under another source that stays (read in
        this run, or kept because this run does not prune) is
        a copy (wire stories are republished under many names): it is reported, not indexed
        twice (its passages would have the same ids). So is a new article that nearly repeats
        one (MinHash, retrieval/duplicates.py): the same story with another headline."""
        articles = []
        seen: set[str] = set()
        for done, (path, source) in enumerate(files):
            if progress:
                progress("read", done, len(files), source)
            found, problems = read_articles(path, source, self.max_file_bytes)
            report.errors.extend(problems)
            for article in found:
                if article.source in seen:
                    report.errors.append(f"{article.source} appears twice; the first was kept")
                    continue
                seen.add(article.source)
                if article.date is None:  # it says nothing of its date: the day it was read
                    article = replace(article, date=date.today().isoformat(), date_from="ingested")
                articles.append(article)
        if progress:
            progress("read", len(files), len(files), "")
        # texts kept: those indexed under a source that stays, then each new one once
        stays = {source for source in indexed if source in seen or not prune}
        holder = {doc: source for source, old in indexed.items() if source in stays
                  for doc in old.versions if old.complete(doc)}  # fmt: skip
        jobs: list[_Job] = []
        near: NearDuplicates | None = None
        for article in articles:
            original = holder.setdefault(article.id, article.source)
            if original != article.source:
                report.duplicates.append((article.source, original))
                continue
            old = indexed.get(article.source, IndexedArticle())
            if not old.versions:  # a new source: is it a story already indexed or planned?
                if near is None:
                    near = self._near_duplicates(stays, jobs)
                if (original := near.match(article.text)) is not None:
                    report.near_duplicates.append((article.source, original))
                    del holder[article.id]
                    continue
                near.add(article.source, article.text)
            stale = [i for doc, ids in old.versions.items() if doc != article.id for i in ids]
            if old.complete(article.id):
                report.unchanged.append(article.source)
                if stale:  # an earlier replacement was cut short before the old went
                    self.store.delete_ids(stale)
                continue
            replaces = any(doc != article.id for doc in old.versions)
            jobs.append(_Job(article.source, self.chunker.split(article), stale, replaces))
            if near is not None and replaces:
                near.add(article.source, article.text)
        return jobs, seen

    def _near_duplicates(self, stays: set[str], jobs: list[_Job]) -> NearDuplicates:
        """Signatures of the articles indexed under a source that stays (their text put back
        together from their passages) and of those planned so far in this run."""
        near = NearDuplicates()
        texts: dict[str, list[Passage]] = {}
        if stays:
            for passage in self.store.passages():
                if passage.source in stays:
                    texts.setdefault(passage.source, []).append(passage)
        for job in jobs:
            texts[job.source] = job.passages
        for source, passages in texts.items():
            near.add(source, " ".join(p.text for p in sorted(passages, key=lambda p: p.start)))
        return near

    def _run(self, jobs: list[_Job], report: IngestReport, progress: Progress | None) -> None:
        """Embed and write the jobs' passages in batches of whole articles; an article's old
        passages go only after all its new ones are in, so an interruption loses nothing."""
        total = sum(len(job.passages) for job in jobs)
        done = 0
        if progress and total:
            progress("embed", 0, total, "")
        batch: list[_Job] = []
        for position, job in enumerate(jobs):
            batch.append(job)
            size = sum(len(j.passages) for j in batch)
            if size < self.batch_passages and position + 1 < len(jobs):
                continue
            self.store.add([p for j in batch for p in j.passages])
            self.store.delete_ids([i for j in batch for i in j.stale])
            for finished in batch:
                (report.replaced if finished.replaces else report.added).append(finished.source)
            done += size
            report.passages = done
            if progress:
                progress("embed", done, total, job.source)
            batch = []
