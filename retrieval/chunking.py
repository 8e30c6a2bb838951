"""Token-aware, sentence-aware splitting of articles into passages with character offsets."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace

from langchain_text_splitters import TextSplitter

from retrieval.documents import Article, Passage
from retrieval.tokens import count_tokens

# A sentence ends at . ؟ ? ! ؛ followed by a space, or at a line end. Requiring the space
# keeps decimals and percentages (3.5, 12.7٪) in one piece.
SENTENCE_BREAK = re.compile(r"(?<=[.؟?!؛…])[ \t]+|\n+")
EMBEDDER_WINDOW = 512
# LangChain logs a warning for every chunk over chunk_size; ours are deliberate (a whole
# sentence of up to max_sentence_tokens) and the embedder window is checked separately.
logging.getLogger("langchain_text_splitters.base").setLevel(logging.ERROR)


def split_sentences(text: str) -> list[str]:
    """Sentences with their trailing whitespace, so that "".join(result) == text."""
    pieces: list[str] = []
    start = 0
    for match in SENTENCE_BREAK.finditer(text):
        if match.end() > start:
            pieces.append(text[start : match.end()])
            start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


class SentenceSplitter(TextSplitter):
    """A LangChain TextSplitter that packs whole sentences into chunks of about `chunk_size`
    tiktoken tokens, overlapping by up to `chunk_overlap` tokens of whole sentences.

    A sentence longer than a chunk stays whole up to `max_sentence_tokens` (twice the chunk
    by default: a cut sentence loses its meaning); only beyond that is it cut between words."""

    def __init__(
        self,
        chunk_size: int = 192,
        chunk_overlap: int = 96,
        max_sentence_tokens: int | None = None,
        **kwargs,
    ) -> None:
        kwargs.setdefault("length_function", count_tokens)
        super().__init__(chunk_size=chunk_size, chunk_overlap=chunk_overlap, **kwargs)
        self.max_sentence_tokens = max_sentence_tokens or 2 * chunk_size

    def split_text(self, text: str) -> list[str]:
        pieces: list[str] = []
        for sentence in split_sentences(text):
            pieces.extend(self._split_long(sentence))
        return self._merge_splits(pieces, "")

    def _split_long(self, sentence: str) -> list[str]:
        if self._length_function(sentence) <= self.max_sentence_tokens:
            return [sentence]
        parts: list[str] = []
        current = ""
        for word in re.findall(r"\S+\s*", sentence):
            if current and self._length_function(current + word) > self._chunk_size:
                parts.append(current)
                current = ""
            current += word
        if current:
            parts.append(current)
        return parts

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each chunk in `text`, so `text[start:end]` is the chunk."""
        spans: list[tuple[int, int]] = []
        search_from = 0
        for chunk in self.split_text(text):
            start = text.find(chunk, search_from)
            if start < 0:  # cannot happen for chunks cut from `text`; fail loudly if it does
                raise ValueError("chunk not found in its own text")
            spans.append((start, start + len(chunk)))
            search_from = start + 1
        return spans


class Chunker:
    """Articles → passages that fit the embedder's window, with offsets into the article."""

    def __init__(
        self,
        chunk_tokens: int = 192,
        overlap_tokens: int = 96,
        window_tokens: int = EMBEDDER_WINDOW,
        window_count: Callable[[str], int] | None = None,
    ) -> None:
        self.splitter = SentenceSplitter(chunk_size=chunk_tokens, chunk_overlap=overlap_tokens)
        self.window_tokens = window_tokens
        self.window_count = window_count

    def split(self, article: Article) -> list[Passage]:
        passages = []
        for start, end in self._fitting_spans(article.text, 0, self.splitter):
            passages.append(
                Passage(
                    text=article.text[start:end],
                    doc_id=article.id,
                    title=article.title,
                    source=article.source,
                    start=start,
                    end=end,
                    date=article.date,
                    date_from=article.date_from or "",
                    outlet=article.outlet or "",
                )
            )
        return [replace(p, parts=len(passages)) for p in passages]

    def _fitting_spans(
        self, text: str, offset: int, splitter: SentenceSplitter
    ) -> list[tuple[int, int]]:
        """Spans that fit the embedder's window; a chunk that does not is split smaller."""
        spans = []
        for start, end in splitter.spans(text):
            chunk = text[start:end]
            if self.window_count and self.window_count(chunk) > self.window_tokens:
                size = max(8, splitter._chunk_size // 2)
                smaller = SentenceSplitter(
                    chunk_size=size,
                    chunk_overlap=splitter._chunk_overlap // 2,
                    max_sentence_tokens=size,
                    length_function=splitter._length_function,
                )
                spans.extend(self._fitting_spans(chunk, offset + start, smaller))
            else:
                spans.append((offset + start, offset + end))
        return spans
