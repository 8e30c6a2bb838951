"""Answers copied from the passages (issue 11): what the model may write when an Arabic answer
is a span of the passages' own words, each followed by its passage's marker [k], or the
refusal. Checked on bytes, as a model writes them: a token may end inside a letter. Used when
`SANAD_COPY_ARABIC` is on (off by default: bench/results/reading.md has what it measured)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from retrieval.arabic import DIGITS

_MARKER = re.compile(rb"\[(\d*)(\]?)")
# what may join two copied spans: a space, a comma (Arabic or Latin), "and" (و), a full stop
_JOINS = ("، ".encode(), b", ", b". ", " و".encode(), b" ")
MAX_SPANS = 3
# a span starts and ends on the edge of a word (letters, digits) or of what spaces part
# (Arabic diacritics and the dagger alef belong to their word)
_WORD, _TOKEN = re.compile(r"[\w\u064b-\u065f\u0670]+"), re.compile(r"\S+")
# Compared without Arabic diacritics and tatweel (which the answer leaves out), with the alef
# forms as bare alef, alef maqsura as ya and ta marbuta as ha (as the model writes them, and
# retrieval/arabic.py normalises); on bytes, each a whole letter: UTF-8 lead bytes never
# continue a letter.
_MARKS = re.compile(rb"\xd9[\x80\x8b-\x9f\xb0]")
_FOLDS = {"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", **DIGITS}  # the model reads 0-9
_FOLD = re.compile(b"|".join(re.escape(k.encode()) for k in _FOLDS))


def fold(text: bytes) -> bytes:
    """`text` as the copy rule compares it; a letter cut in the middle of its bytes (a token
    may end there) is left out until the next token completes it."""
    text = _MARKS.sub(b"", text[: len(text) - _cut(text)])
    return _FOLD.sub(lambda m: _FOLDS[m.group().decode()].encode(), text)


def _cut(text: bytes) -> int:
    """How many bytes at the end of `text` are a letter not yet whole."""
    for back in range(1, min(4, len(text)) + 1):
        byte = text[-back]
        if byte & 0xC0 != 0x80:  # a lead byte (or ASCII): the letter starting here
            size = 1 if byte < 0x80 else 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return back if size > back else 0
    return 0


_SPACING = re.compile(rb"\s\s|[^\S ]")  # two spaces, a tab or a line break: never copied


class Source:
    """One passage's text as bytes, with the byte offsets where its words start and end."""

    def __init__(self, text: str) -> None:
        text = fold(" ".join(text.split()).encode()).decode()
        self.text = text.encode()
        self.starts, self.ends = set(), set()
        for word in (*_WORD.finditer(text), *_TOKEN.finditer(text)):
            self.starts.add(len(text[: word.start()].encode()))
            self.ends.add(len(text[: word.end()].encode()))

    def holds(self, span: bytes, whole: bool) -> bool:
        """`span` is in the text from a word's start (and, `whole`, to a word's end)."""
        at = self.text.find(span)
        while at >= 0:
            if at in self.starts and (not whole or at + len(span) in self.ends):
                return True
            at = self.text.find(span, at + 1)
        return False


class CopyRule:
    """`allows(text)`: `text` can still grow into an allowed answer; `complete(text)`: it is one.
    An allowed answer is the refusal, or up to MAX_SPANS spans, each a piece of the passages'
    text from a word's edge to a word's edge (compared by `fold`: the answer leaves the marks
    out) and followed by the marker of a passage that holds it, joined by a comma, "و" or a
    space, with an optional full stop at the end."""

    def __init__(self, sources: Sequence[str], refusal: str) -> None:
        self.sources = [Source(s) for s in sources]
        self.refusal = fold(refusal.encode())

    def holding(self, span: bytes, whole: bool = False) -> list[int]:
        """Numbers (1-based) of the passages whose text holds `span` from the start of a word
        (and, `whole`, to the end of one)."""
        return [n for n, s in enumerate(self.sources, 1) if s.holds(span, whole)]

    def allows(self, text: bytes) -> bool:
        return self._parse(text) is not None

    def complete(self, text: bytes) -> bool:
        return not _cut(text) and self._parse(text) == "done"

    def _parse(self, text: bytes) -> str | None:
        """Says "done" (a whole answer), "open" (one that can go on) or None (never one)."""
        if _MARKS.search(text) or _SPACING.search(text.lstrip()):
            return None  # marks are copied left out: else any number of them would pass
        text = fold(text.lstrip())
        if self.refusal.startswith(text):
            return "done" if text == self.refusal else "open"
        if text == self.refusal.rstrip(b"."):
            return "done"
        return self._spans(text, MAX_SPANS)

    def _spans(self, text: bytes, left: int) -> str | None:
        start = text.find(b"[")
        span = b" ".join((text if start < 0 else text[:start]).split())
        if start < 0:
            return "open" if not span or self.holding(span) else None
        holders = [str(n).encode() for n in self.holding(span, whole=True)] if span else []
        marker = _MARKER.match(text, start)
        digits, closed = marker.group(1), marker.group(2)
        if not closed:
            partial = marker.end() == len(text)
            return "open" if partial and any(n.startswith(digits) for n in holders) else None
        if digits not in holders:
            return None
        rest = text[marker.end() :]
        if rest in (b"", b"."):
            return "done"
        found = set()
        for join in _JOINS if left > 1 else ():
            if join.startswith(rest):
                found.add("open")
            elif rest.startswith(join):
                found.add(self._spans(rest[len(join) :], left - 1))
        return "done" if "done" in found else "open" if "open" in found else None


class CopyDecoding:
    """A logits processor (llama-cpp-python's, also the shape transformers' takes) that keeps
    a greedy model to answers `rule` allows: of the likeliest tokens, the first that keeps the
    text allowed is the only one left; a stop token only once the answer is whole."""

    def __init__(
        self,
        rule: CopyRule,
        detokenize: Callable[[list[int]], bytes],
        stops: set[int],
        widths: tuple[int, ...] = (64, 4096),
    ) -> None:
        self.rule, self.detokenize, self.stops, self.widths = rule, detokenize, stops, widths
        self.start: int | None = None  # where the answer's tokens begin
        self._pieces: dict[int, bytes] = {}

    def piece(self, token: int) -> bytes:
        if token not in self._pieces:
            self._pieces[token] = b"" if token in self.stops else self.detokenize([token])
        return self._pieces[token]

    def allowed(self, text: bytes, token: int) -> bool:
        if token in self.stops:
            return self.rule.complete(text)
        piece = self.piece(token)
        return bool(piece) and self.rule.allows(text + piece)

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        import numpy as np

        if self.start is None:
            self.start = len(input_ids)
        text = b"".join(self.piece(int(t)) for t in input_ids[self.start :])
        kept = np.full_like(scores, -np.inf)
        for width in self.widths:
            width = min(width, len(scores) - 1)
            likeliest = np.argpartition(-scores, width)[:width]
            for token in likeliest[np.argsort(-scores[likeliest])]:
                if self.allowed(text, int(token)):
                    kept[token] = scores[token]
                    return kept
        kept[list(self.stops)] = 0.0  # nothing allowed comes next: the answer ends here
        return kept
