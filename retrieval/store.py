"""Where passages live: a Chroma collection (dense) and a BM25 keyword index beside it."""

from __future__ import annotations

import inspect
import json
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import numpy as np
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from retrieval.arabic import tokenize
from retrieval.dates import Filters
from retrieval.documents import Passage

COSINE = {"hnsw": {"space": "cosine"}}
PAGE = 5000  # Chroma reads and writes in pages: its batch size is bounded
FILTERED_WIDER = 20  # a filtered keyword search reads this many times more hits


def collection_name(corpus: str, embedder: str) -> str:
    """One collection per corpus and embedder, in the characters Chroma accepts."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{corpus}--{embedder}").strip("-._")
    return name[:500] or "sanad"


class StoreUnavailable(RuntimeError):
    """The Chroma server cannot be reached (stopped, restarting, wrong address)."""


@contextmanager
def reachable(url: str | None) -> Iterator[None]:
    """Turn a Chroma server's connection failures into StoreUnavailable, naming the server."""
    import httpx

    try:
        yield
    except httpx.TransportError as exc:
        raise StoreUnavailable(f"the Chroma server at {url} cannot be reached ({exc})") from exc
    except ValueError as exc:  # chromadb's HttpClient says so with a ValueError
        if "Could not connect" not in str(exc):
            raise
        raise StoreUnavailable(f"the Chroma server at {url} cannot be reached") from exc


F = TypeVar("F", bound=Callable[..., Any])


def guarded(method: F) -> F:
    """A PassageStore method whose Chroma errors of connection say StoreUnavailable."""

    @wraps(method)
    def call(self: PassageStore, *args: Any, **kwargs: Any) -> Any:
        with reachable(self.url):
            return method(self, *args, **kwargs)

    @wraps(method)
    def call_generator(self: PassageStore, *args: Any, **kwargs: Any) -> Any:
        with reachable(self.url):
            yield from method(self, *args, **kwargs)

    return call_generator if inspect.isgeneratorfunction(method) else call  # type: ignore


def chroma_client(directory: Path, url: str | None = None) -> Any:
    """A Chroma client that never phones home: a server's (`url`, as `chroma run` serves it)
    when given, else an embedded, persistent one in `directory`."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if url:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        with reachable(url):
            return chromadb.HttpClient(
                host=parts.hostname or "localhost",
                port=parts.port or (443 if parts.scheme == "https" else 8000),
                ssl=parts.scheme == "https",
                settings=settings,
            )
    directory.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(directory), settings=settings)


@dataclass
class IndexedArticle:
    """What the index holds of one source: its passages grouped by article version (doc_id),
    and how many passages each version should have (0 when not recorded)."""

    versions: dict[str, list[str]] = field(default_factory=dict)
    parts: dict[str, int] = field(default_factory=dict)

    def complete(self, doc_id: str) -> bool:
        """Every passage of this version is in (an interrupted ingest may leave a part)."""
        return doc_id in self.versions and self.parts.get(doc_id, 0) <= len(self.versions[doc_id])

    @property
    def ids(self) -> list[str]:
        return [pid for ids in self.versions.values() for pid in ids]


class KeywordIndex:
    """BM25 (bm25s) over Arabic-normalised, stemmed tokens, saved to a folder."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._bm25: Any = None
        self._ids: list[str] = []
        self._loaded = False

    def build(self, ids: list[str], texts: list[str]) -> None:
        import bm25s

        self._ids = list(ids)
        self._bm25 = None
        if texts:
            self._bm25 = bm25s.BM25()
            self._bm25.index([tokenize(t) for t in texts], show_progress=False)
        self._save()
        self._loaded = True

    def _save(self) -> None:
        partial = self.directory.with_name(self.directory.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        if self._bm25 is not None:
            self._bm25.save(str(partial), show_progress=False)
        (partial / "ids.json").write_text(json.dumps(self._ids))
        shutil.rmtree(self.directory, ignore_errors=True)
        partial.rename(self.directory)

    def _load(self) -> None:
        if self._loaded:
            return
        ids_file = self.directory / "ids.json"
        if ids_file.exists():
            import bm25s

            self._ids = json.loads(ids_file.read_text())
            if self._ids:
                self._bm25 = bm25s.BM25.load(str(self.directory))
        self._loaded = True

    def __len__(self) -> int:
        self._load()
        return len(self._ids)

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """(passage id, BM25 score) of the best `k` passages with any query term."""
        self._load()
        tokens = tokenize(query)
        if self._bm25 is None or not tokens:
            return []
        scores = self._bm25.get_scores(tokens)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(self._ids[i], float(scores[i])) for i in top if scores[i] > 0]


class PassageStore:
    """Passages of one corpus, embedded by one embedder, in Chroma and in a keyword index."""

    def __init__(
        self,
        directory: Path,
        embeddings: Embeddings,
        corpus: str = "seeds",
        embedder_name: str | None = None,
        client: Any = None,
        url: str | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.url = url  # a Chroma server; None: the embedded store in `directory`
        self.corpus = corpus
        self.embeddings = embeddings
        name = embedder_name or getattr(embeddings, "name", type(embeddings).__name__)
        self.collection_name = collection_name(corpus, name)
        self._client = client
        self._vectors: Chroma | None = None
        self.keywords = KeywordIndex(self.directory / "keyword" / self.collection_name)

    @property
    def vectors(self) -> Chroma:
        """The LangChain Chroma vector store (opened on first use; a server that could not
        be reached is tried again on the next use)."""
        if self._vectors is None:
            with reachable(self.url):
                self._vectors = Chroma(
                    collection_name=self.collection_name,
                    embedding_function=self.embeddings,
                    client=self._client or chroma_client(self.directory / "chroma", self.url),
                    collection_configuration=COSINE,  # type: ignore[arg-type]
                )
        return self._vectors

    @guarded
    def count(self) -> int:
        return self.vectors._collection.count()

    @guarded
    def add(self, passages: list[Passage]) -> None:
        """Embed and upsert passages (ids come from content: adding twice changes nothing)."""
        for start in range(0, len(passages), PAGE):
            page = passages[start : start + PAGE]
            self.vectors.add_texts(
                texts=[p.text for p in page],
                metadatas=[p.metadata() for p in page],
                ids=[p.id for p in page],
            )

    @guarded
    def add_also_in(self, source: str, copies: list[str]) -> None:
        """Note on `source`'s passages the other files that hold the same story."""
        got = self.vectors.get(where={"source": source}, include=["metadatas"])
        if not got["ids"]:
            return
        metadatas = []
        for meta in got["metadatas"]:
            also = [c for c in str(meta.get("also_in", "")).split("\n") if c]
            metadatas.append({**meta, "also_in": "\n".join(dict.fromkeys([*also, *copies]))})
        self.vectors._collection.update(ids=got["ids"], metadatas=metadatas)

    @guarded
    def where(self, **equal: str) -> list[Passage]:
        """The passages whose metadata has these values (one article: doc_id=…)."""
        got = self.vectors.get(where=equal, include=["metadatas", "documents"])  # type: ignore[arg-type]
        return [Passage.from_metadata(pid, text, meta) for pid, text, meta
                in zip(got["ids"], got["documents"], got["metadatas"], strict=True)]  # fmt: skip

    @guarded
    def delete_ids(self, ids: list[str]) -> None:
        for start in range(0, len(ids), PAGE):
            self.vectors.delete(ids=ids[start : start + PAGE])

    @guarded
    def sources(self) -> dict[str, IndexedArticle]:
        """source → what is indexed of it, for everything indexed."""
        found: dict[str, IndexedArticle] = {}
        for pid, _, meta in self._pages(include=["metadatas"]):
            article = found.setdefault(str(meta["source"]), IndexedArticle())
            doc_id = str(meta["doc_id"])
            article.versions.setdefault(doc_id, []).append(pid)
            article.parts[doc_id] = int(meta.get("parts", 0))
        return found

    @guarded
    def metadatas(self) -> Iterator[dict[str, Any]]:
        """Every passage's metadata (source, doc_id, title, date, offsets), without its text."""
        for _, _, meta in self._pages(include=["metadatas"]):
            yield meta

    @guarded
    def passages(self) -> list[Passage]:
        return [
            Passage.from_metadata(pid, text, meta)
            for pid, text, meta in self._pages(include=["metadatas", "documents"])
        ]

    @guarded
    def get(self, ids: list[str]) -> list[Passage]:
        """Passages by id, in the order asked (ids not found are left out)."""
        if not ids:
            return []
        got = self.vectors.get(ids=ids, include=["metadatas", "documents"])
        by_id = {
            pid: Passage.from_metadata(pid, text, meta)
            for pid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        }
        return [by_id[i] for i in ids if i in by_id]

    def _pages(self, include: list[str]):
        offset = 0
        while True:
            got = self.vectors.get(limit=PAGE, offset=offset, include=include)
            if not got["ids"]:
                return
            documents = got.get("documents") or [None] * len(got["ids"])
            yield from zip(got["ids"], documents, got["metadatas"], strict=True)
            offset += len(got["ids"])

    def rebuild_keyword_index(self) -> None:
        passages = self.passages()
        self.keywords.build([p.id for p in passages], [p.text for p in passages])

    @guarded
    def dense_search(self, query: str, k: int, filters: Filters | None = None) -> list[Passage]:
        """Nearest passages by cosine similarity (score = 1 - cosine distance), of those the
        filters admit."""
        if k <= 0:
            return []
        where = filters.where() if filters else None
        hits = self.vectors.similarity_search_with_score(query, k=k, filter=where)
        return [
            Passage.from_metadata(str(doc.id), doc.page_content, doc.metadata, 1.0 - distance)
            for doc, distance in hits
        ]

    def keyword_search(self, query: str, k: int, filters: Filters | None = None) -> list[Passage]:
        """The best `k` passages by BM25 of those the filters admit (BM25 knows no metadata:
        with filters, a wider list is read and filtered)."""
        hits = self.keywords.search(query, k * FILTERED_WIDER if filters else k)
        scores = dict(hits)
        found = self.get([pid for pid, _ in hits])
        if filters:
            found = [p for p in found if filters.admits(p.date, p.outlet)][:k]
        return [p.with_score(scores[p.id]) for p in found]
