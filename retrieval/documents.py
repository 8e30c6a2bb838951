"""The records that flow through the pipeline, and loading articles from files."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from retrieval.cleaning import clean_text, dateline_outlet, extract_date, pick_title
from retrieval.dates import DateFrom, day_number, iso_day, name_date
from retrieval.files import FileError, FileText, docx_text, html_text, pdf_text

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl", ".docx", ".pdf")
MAX_FILE_BYTES = 50 << 20  # a file this big is not an article (split a .jsonl corpus up)
TESTSET_FILE = "questions.jsonl"  # the gold questions kept beside a corpus
EXAMPLES_FILE = "example-questions.txt"  # the web chat's example questions about a corpus


class IngestError(ValueError):
    """An input the user can fix: the message says which file and what is wrong."""


def content_hash(*parts: str) -> str:
    """A short, stable id derived from content, so re-ingesting the same text is a no-op."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:16]


@dataclass(frozen=True)
class Article:
    """One cleaned news article; `id` comes from its text, `source` says where it was read,
    `date_from` where its date was found (retrieval/dates.py)."""

    text: str
    title: str
    source: str
    date: str | None = None
    id: str = ""
    date_from: DateFrom | None = None
    outlet: str | None = None

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", content_hash(self.title, self.text))


@dataclass(frozen=True)
class Passage:
    """A span of an article: `text == article.text[start:end]`; `id` comes from its content."""

    text: str
    doc_id: str
    title: str
    source: str
    start: int
    end: int
    date: str | None = None
    score: float = 0.0
    id: str = ""
    scores: dict[str, float] = field(default_factory=dict, compare=False)
    parts: int = 0  # passages in its article: an ingest cut short is seen by a missing one
    also_in: tuple[str, ...] = ()  # other files with the same story (indexed once, as this)
    date_from: str = ""  # where the article's date was found: metadata, name, text, ingested
    outlet: str = ""
    # the text it was cut from, for a sentence window (retrieval/focus.py): what is said around
    # it (which year, who speaks) though the window leaves it out; "" for a whole passage
    context: str = field(default="", compare=False)

    @property
    def published(self) -> bool:
        """Whether `date` is the article's own (not the day it was indexed)."""
        return bool(self.date) and self.date_from != "ingested"

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", content_hash(self.doc_id, str(self.start), self.text))

    def with_score(self, score: float, **scores: float) -> Passage:
        return replace(self, score=score, scores={**self.scores, **scores})

    def metadata(self) -> dict[str, str | int | float]:
        """Flat metadata for a vector store (no None values)."""
        meta: dict[str, str | int | float] = {
            "doc_id": self.doc_id,
            "title": self.title,
            "source": self.source,
            "start": self.start,
            "end": self.end,
        }
        if self.date:
            meta["date"] = self.date
            meta["day"] = day_number(self.date)  # Chroma's range filters compare numbers
            meta["date_from"] = self.date_from
        if self.outlet:
            meta["outlet"] = self.outlet
        if self.parts:
            meta["parts"] = self.parts
        if self.also_in:
            meta["also_in"] = "\n".join(self.also_in)
        return meta

    @classmethod
    def from_metadata(cls, id: str, text: str, meta: dict, score: float = 0.0) -> Passage:
        return cls(
            text=text,
            doc_id=str(meta["doc_id"]),
            title=str(meta.get("title", "")),
            source=str(meta.get("source", "")),
            start=int(meta.get("start", 0)),
            end=int(meta.get("end", 0)),
            date=meta.get("date") or None,
            score=score,
            id=id,
            parts=int(meta.get("parts", 0)),
            also_in=tuple(c for c in str(meta.get("also_in", "")).split("\n") if c),
            date_from=str(meta.get("date_from", "")),
            outlet=str(meta.get("outlet", "")),
        )


def decode_bytes(data: bytes, name: str) -> str:
    """Decode Arabic text files as they come: UTF-8 (with or without BOM), UTF-16 BOM, cp1256."""
    if not data.strip():
        raise IngestError(f"{name} is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise IngestError(f"{name} looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1256")
        except UnicodeDecodeError as exc:
            raise IngestError(f"{name} is not UTF-8, UTF-16 or cp1256 text") from exc
    head = text[:4096]
    controls = sum(1 for c in head if ord(c) < 32 and c not in "\t\n\r\f\v")
    if controls > len(head) // 100:  # text has next to none; binary data is full of them
        raise IngestError(f"{name} looks like a binary file, not text")
    return text


def make_article(
    raw: str, source: str, title: str | None = None, date: str | None = None,
    outlet: str | None = None,
) -> Article:  # fmt: skip
    """Clean raw article text and keep its title, source, outlet (the file's, else its
    dateline's) and date: one written in the file's name (put there on purpose), else the
    file's own (`date`: its properties, often the day it was exported), else a date line at
    its top; else none yet (the ingest gives it the day it was indexed)."""
    found_date, body = extract_date(raw)
    text = clean_text(body)
    if not text:
        raise IngestError(f"{source} has no article text left after cleaning")
    day, origin = None, None
    candidates: list[tuple[str | None, DateFrom]] = [
        (name_date(source), "name"), (iso_day(date), "metadata"), (found_date, "text")]  # fmt: skip
    for found, where in candidates:
        if found:
            day, origin = found, where
            break
    return Article(text=text, title=(title or pick_title(text)).strip(), source=source,
                   date=day, date_from=origin,
                   outlet=(outlet or dateline_outlet(text) or "").strip() or None)  # fmt: skip


def _jsonl_articles(name: str, text: str, source: str) -> tuple[list[Article], list[str]]:
    """Articles of a JSON Lines file, one per line; a broken line is reported, not fatal."""
    articles: list[Article] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{name} line {number} is not valid JSON ({exc.msg}); skipped")
            continue
        body = record.get("text") or record.get("content") or record.get("body") \
            if isinstance(record, dict) else None  # fmt: skip
        if not isinstance(body, str):
            problems.append(f'{name} line {number} has no "text" field; skipped')
            continue
        key = record.get("id") or record.get("url") or str(number)
        title, date = record.get("title"), record.get("date")
        outlet = record.get("outlet") or record.get("publisher") or record.get("site")
        try:
            articles.append(make_article(
                body, f"{source}#{key}", title=title if isinstance(title, str) else None,
                date=date if isinstance(date, str) else None,
                outlet=outlet if isinstance(outlet, str) else None,
            ))  # fmt: skip
        except IngestError as exc:
            problems.append(f"{name} line {number}: {exc}; skipped")
    return articles, problems


def read_articles(
    path: Path, source: str | None = None, max_bytes: int = MAX_FILE_BYTES
) -> tuple[list[Article], list[str]]:
    """(articles, problems) of one file: a .jsonl file holds one article per line, and its
    broken lines are problems while the others are kept; a file that cannot be read at all is
    one problem and no article."""
    source = source or path.name
    suffix = path.suffix.lower()
    try:
        if suffix not in SUPPORTED_SUFFIXES:
            raise IngestError(
                f"{path.name}: unsupported file type (use {', '.join(SUPPORTED_SUFFIXES)})"
            )
        size = path.stat().st_size
        if size >= max_bytes:
            raise IngestError(
                f"{path.name} is {size / 2**20:.0f} MB; files of {max_bytes >> 20} MB or more "
                "are not read (split a large .jsonl corpus into smaller files)"
            )
        if suffix in (".docx", ".pdf"):
            return [_file_article(docx_text(path) if suffix == ".docx" else pdf_text(path),
                                  source)], []  # fmt: skip
        text = decode_bytes(path.read_bytes(), path.name)
        if suffix == ".jsonl":
            articles, problems = _jsonl_articles(path.name, text, source)
            if not articles and not problems:
                raise IngestError(f"{path.name} has no article in it")
            return articles, problems
        if suffix in (".html", ".htm"):
            return [_file_article(html_text(text), source)], []
        if suffix == ".md":  # its marks (#, *, **, links) are not the article's words
            return [_file_article(html_text(markdown_html(text)), source)], []
        return [make_article(text, source)], []
    except (IngestError, FileError, OSError) as exc:
        return [], [str(exc)]


def markdown_html(text: str) -> str:
    """A Markdown file as HTML (markdown-it-py, CommonMark): read like a page."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").render(text)


def _file_article(found: FileText, source: str) -> Article:
    return make_article(found.text, source, found.title, found.date, found.outlet)


def load_file(path: Path, source: str | None = None) -> list[Article]:
    """Articles in one file, strictly: any problem raises IngestError."""
    articles, problems = read_articles(path, source)
    if problems:
        raise IngestError(problems[0])
    return articles


def find_files(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """(file, source name) for every file under the given files or folders but hidden ones
    (an unsupported type is read as a problem, reported by name, never skipped unseen); a
    folder's test set and example questions are not articles."""
    found: list[tuple[Path, str]] = []
    for item in map(Path, paths):
        if item.is_dir():
            for path in sorted(item.rglob("*")):
                if path.name in (TESTSET_FILE, EXAMPLES_FILE):
                    continue
                relative = path.relative_to(item)
                if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                    found.append((path, relative.as_posix()))
        elif item.is_file():
            found.append((item, item.name))
        else:
            raise IngestError(f"{item} does not exist")
    return found
