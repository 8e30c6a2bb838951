"""Sentence windows: narrow each retrieved passage to the sentences that answer the question.

A small model reads a few short, numbered sentences far better than whole chunks, and
reads them faster. The narrowed passage keeps its offsets into the article."""

from __future__ import annotations

import math
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from langchain_core.embeddings import Embeddings

from retrieval.arabic import tokenize
from retrieval.chunking import split_sentences
from retrieval.documents import Passage


def overlap(query: str, sentences: Sequence[str]) -> np.ndarray:
    """For each sentence, the share of the query's words (stemmed, stop words left out) it
    has, each word weighted by how rare it is among these sentences: the words every candidate
    shares (the article's subject) count little, the one sentence naming what was asked a lot."""
    words = set(tokenize(query))
    if not words:
        return np.zeros(len(sentences), dtype=np.float32)
    has = [words & set(tokenize(sentence)) for sentence in sentences]
    count = Counter(word for found in has for word in found)
    weight = {word: math.log(1 + len(sentences) / (1 + count[word])) for word in words}
    total = sum(weight.values())
    return np.array([sum(weight[w] for w in found) / total for found in has], dtype=np.float32)


def _words(text: str) -> str:
    """`text` as one line of words between spaces, to find a sentence said again."""
    return f" {' '.join(text.split())} "


def _said(words: str, said: Sequence[str]) -> bool:
    """Whether a window taken (its `_words`) already says all of `words`."""
    return any(words in other for other in said)


def window(passage: Passage, start: int, end: int, score: float, cosine: float) -> Passage:
    """Characters [start, end) of `passage` as a passage of their own, with offsets into the
    article; `score` orders windows, `cosine` (kept as the "sentence" score) is how close in
    meaning it is to the question."""
    scored = passage.with_score(float(score), sentence=float(cosine))
    return replace(scored, text=passage.text[start:end], start=passage.start + start,
                   end=passage.start + end, id="",
                   context=passage.context or passage.text)  # fmt: skip


class SentenceFocus:
    """The sentences of the retrieved passages most similar to the query (by the embedder),
    each widened by the sentences after it while shorter than `min_words`, as passages of their
    own, best first. Windows never repeat or overlap, nor say again what one taken says: the
    same sentence in two articles (a wire story two outlets carry, paragraphs that share their
    opening) is read once, in the better ranked one, and the next window takes its place.

    `min_windows` of them always, and more, up to `max_windows`, only while they are as close
    to the query as the last one taken (within `margin`); and just the best one when it beats
    the next by `lead` or more. When one or two sentences clearly win, the model reads just
    those (every prompt token costs ~11 ms on two cores). If all that is taken comes from one
    article, the best window of another article joins when it is within `other` of the best:
    questions often compare what two articles say (trade in 2022 and in 2023)."""

    def __init__(self, embeddings: Embeddings, max_windows: int = 4, min_words: int = 12,
                 cache_size: int = 4096, min_windows: int | None = None,
                 margin: float = 0.005, lead: float | None = None,
                 other: float = 0.0, lexical: float = 0.0) -> None:  # fmt: skip
        self.embeddings = embeddings
        self.lexical = lexical
        self.max_windows = max_windows
        self.min_windows = max_windows if min_windows is None else min_windows
        self.margin = margin
        self.lead = lead
        self.other = other
        self.min_words = min_words
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self.cache_size = cache_size

    def _vectors(self, sentences: list[str]) -> np.ndarray:
        missing = [s for s in dict.fromkeys(sentences) if s not in self._cache]
        if missing:
            vectors = self.embeddings.embed_documents(missing)
            for sentence, vector in zip(missing, vectors, strict=True):
                self._cache[sentence] = np.asarray(vector, dtype=np.float32)
        for sentence in sentences:
            self._cache.move_to_end(sentence)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return np.stack([self._cache[s] for s in sentences])

    def focus(self, query: str, passages: Sequence[Passage]) -> list[Passage]:
        # Each sentence once, keyed by its place in its article (chunks overlap).
        sentences: dict[tuple[str, int], tuple[Passage, int, int]] = {}
        for passage in passages:
            offset = 0
            for piece in split_sentences(passage.text):
                end = offset + len(piece.rstrip())
                if end > offset:
                    key = (passage.doc_id, passage.start + offset)
                    sentences.setdefault(key, (passage, offset, end))
                offset += len(piece)
        if not sentences:
            return list(passages)
        items = list(sentences.values())
        vectors = self._vectors([p.text[s:e] for p, s, e in items])
        cosines = vectors @ np.asarray(self.embeddings.embed_query(query), dtype=np.float32)
        scores = cosines
        if self.lexical:
            scores = cosines + self.lexical * overlap(query, [p.text[s:e] for p, s, e in items])
        windows: list[Passage] = []
        covered: dict[str, list[tuple[int, int]]] = {}
        said: list[str] = []  # the windows' words, as `_words` gives them
        order = np.argsort(-scores)
        for index in order:
            passage, start, end = items[index]
            end = self._widen(passage, start, end)
            span = (passage.start + start, passage.start + end)
            taken = covered.setdefault(passage.doc_id, [])
            if any(a < span[1] and span[0] < b for a, b in taken):
                continue
            words = _words(passage.text[start:end])
            if _said(words, said):
                continue
            if len(windows) >= self.min_windows and scores[index] < windows[-1].score - self.margin:
                break
            taken.append(span)
            said.append(words)
            windows.append(window(passage, start, end, scores[index], cosines[index]))
            if len(windows) == self.max_windows:
                break
        clear = (
            self.lead is not None
            and len(windows) > 1
            and windows[0].score - windows[1].score >= self.lead
        )
        if clear:
            return windows[:1]
        return windows + self._other_article(windows, items, scores, cosines, order, said)

    def _other_article(self, windows, items, scores, cosines, order, said) -> list[Passage]:
        """The best window of a second article, when all windows are of one and it is close."""
        if not windows or len(windows) >= self.max_windows or self.other <= 0:
            return []
        doc = windows[0].doc_id
        if any(w.doc_id != doc for w in windows):
            return []
        for index in order:
            passage, start, end = items[index]
            if passage.doc_id == doc:
                continue
            if scores[index] < windows[0].score - self.other:
                return []
            end = self._widen(passage, start, end)
            if _said(_words(passage.text[start:end]), said):
                continue
            return [window(passage, start, end, scores[index], cosines[index])]
        return []

    def _widen(self, passage: Passage, start: int, end: int) -> int:
        """Extend a short sentence with the ones after it, within its passage."""
        while len(passage.text[start:end].split()) < self.min_words and end < len(passage.text):
            rest = split_sentences(passage.text[end:].lstrip())
            if not rest:
                break
            gap = len(passage.text[end:]) - len(passage.text[end:].lstrip())
            end = end + gap + len(rest[0].rstrip())
        return end
