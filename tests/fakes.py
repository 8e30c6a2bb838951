"""Test doubles that keep meaning: a hash-seeded embedder and a scripted generator."""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from langchain_core.embeddings import Embeddings

from bot.copying import CopyRule
from bot.generation import Certainty, OneAtATime, text_of
from bot.script_ban import writes_arabic
from retrieval.arabic import tokenize
from retrieval.indexer import Indexer
from retrieval.search import HybridRetriever


class HashEmbeddings(Embeddings):
    """Bag of normalised words hashed into a unit vector: different text, different vector;
    texts that share words point the same way. Deterministic across runs."""

    name = "hash64"
    window_tokens = 512

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.calls = 0

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dim
        for token in tokenize(text, drop_stopwords=False) or [text]:
            digest = hashlib.sha256(token.encode()).digest()
            vector[digest[0] % self.dim] += 1.0 if digest[1] % 2 else -1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    def token_count(self, text: str) -> int:
        return len(text.split()) + 2


class ScriptedGenerator:
    """Replies with the scripted texts in order, word by word, and records what it was asked.
    With `probabilities`, each reply ends with them as a model run here says how sure it was
    (`Certainty`)."""

    def __init__(self, *replies: str, probabilities: tuple[float, ...] | None = None) -> None:
        self.replies = list(replies)
        self.probabilities = probabilities
        self.requests: list[list[dict[str, str]]] = []
        self.copies: list[CopyRule | None] = []  # the copy rule of each request
        self.no_arabic: list[bool] = []  # whether each request kept Arabic letters out

    def enqueue(self, reply: str) -> None:
        self.replies.append(reply)

    def stream(
        self,
        messages: list[dict[str, str]],
        max_new_tokens: int = 256,
        copy: CopyRule | None = None,
        no_arabic: bool = False,
    ) -> Iterator[str]:
        """With `copy` or `no_arabic`, a scripted reply the rule does not allow is a mistake
        of the test: a model kept to the rule could not have written it."""
        self.requests.append(messages)
        self.copies.append(copy)
        self.no_arabic.append(no_arabic)
        reply = self.replies.pop(0)
        if copy is not None and not copy.complete(reply.encode()):
            raise AssertionError(f"a model copying from the passages cannot write {reply!r}")
        if no_arabic and writes_arabic(reply.encode()):
            raise AssertionError(f"a model kept to English letters cannot write {reply!r}")
        for index, word in enumerate(reply.split(" ")):
            yield word if index == 0 else " " + word
        if self.probabilities is not None:
            yield Certainty(self.probabilities)  # type: ignore[misc]

    def generate(self, messages: list[dict[str, str]], max_new_tokens: int = 256) -> str:
        return text_of(self.stream(messages, max_new_tokens))


class ResamplingGenerator(ScriptedGenerator):
    """A scripted model run here that writes its answer again, with some freedom, as the
    scripted `resamples` (and records what it was asked to write again)."""

    def __init__(self, *replies: str, probabilities: tuple[float, ...] | None = None,
                 resamples: tuple[str, ...] = ()) -> None:  # fmt: skip
        super().__init__(*replies, probabilities=probabilities)
        self.resamples = resamples
        self.resampled: list[tuple[list[dict[str, str]], int, int]] = []
        self.after: list[Certainty | None] = []  # the draft's note each was asked after

    def resample(
        self,
        messages: list[dict[str, str]],
        count: int,
        max_new_tokens: int,
        after: Certainty | None = None,
    ) -> Iterator[str]:
        self.resampled.append((messages, count, max_new_tokens))
        self.after.append(after)
        yield from self.resamples[:count]


class OneAtATimeEcho(OneAtATime):
    """A model that must not be entered by two threads at once (as llama.cpp), behind the
    product's own serialisation: it answers each question with its scripted reply, slowly,
    and counts how many callers were ever inside at once."""

    def __init__(self, replies: dict[str, str], delay: float = 0.005) -> None:
        super().__init__()
        self.replies = replies
        self.delay = delay
        self.inside = 0
        self.most_inside = 0
        self.words = 0  # written so far, over all calls
        self._count = threading.Lock()

    def _stream(
        self,
        messages: list[dict[str, str]],
        max_new_tokens: int,
        copy: CopyRule | None = None,
        no_arabic: bool = False,
    ) -> Iterator[str]:
        with self.entered():
            asked = messages[-1]["content"]
            (reply,) = [r for q, r in self.replies.items() if q in asked]
            for index, word in enumerate(reply.split(" ")):
                time.sleep(self.delay)
                self.words += 1
                yield word if index == 0 else " " + word

    @contextmanager
    def entered(self) -> Iterator[None]:
        """A caller inside the model: counted while there (`inside`, `most_inside`)."""
        with self._count:
            self.inside += 1
            self.most_inside = max(self.most_inside, self.inside)
        try:
            yield
        finally:
            with self._count:
                self.inside -= 1


class UnsureOneAtATime(OneAtATimeEcho):
    """A `OneAtATimeEcho` that says how sure it was of each reply (`probabilities`) and writes
    the scripted `samples` when asked again; `uses` notes, in order, each time a caller had the
    model: ("draft" or "sample", the question's scripted key)."""

    def __init__(self, replies: dict[str, str], probabilities: tuple[float, ...],
                 samples: tuple[str, ...], delay: float = 0.005) -> None:  # fmt: skip
        super().__init__(replies, delay)
        self.probabilities = probabilities
        self.samples = samples
        self.uses: list[tuple[str, str]] = []

    def asked(self, messages: list[dict[str, str]]) -> str:
        return next(q for q in self.replies if q in messages[-1]["content"])

    def _stream(self, messages, max_new_tokens, copy=None, no_arabic=False) -> Iterator[str]:
        self.uses.append(("draft", self.asked(messages)))
        yield from super()._stream(messages, max_new_tokens, copy, no_arabic)
        yield Certainty(self.probabilities)  # type: ignore[misc]

    def _resample(self, messages, count: int, max_new_tokens: int) -> Iterator[str]:
        for sample in self.samples[:count]:
            with self.entered():
                self.uses.append(("sample", self.asked(messages)))
                time.sleep(self.delay)
            yield sample


def one_article(indexer: Indexer, folder: Path, title: str, body: str) -> HybridRetriever:
    """A retriever over one article written into `folder` and indexed (title, then body)."""
    folder.mkdir()
    (folder / "article.txt").write_text(f"{title}\n{body}", encoding="utf-8")
    indexer.ingest([folder])
    return HybridRetriever(store=indexer.store, k=2)
