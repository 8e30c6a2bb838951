"""The question's words marked in the passages the model reads: the mistake a small model makes
most often is another figure or name of the same sentence (the growth rate for the export
rate, the president for the premier), so it is shown where the question's own words stand.

Each word of a passage that the question also has, in any of the forms the checks match
(as written, without fused prefixes, by consonants, by Snowball's stem; stop words and
interrogatives left out), is written **in bold**, runs of them as one. Only the prompt is
marked: the user's sources, the citations and the checks read the passages as they are, and
asterisks the model copies are taken out of its answer. Arabic questions only: an English
question shares no words with Arabic passages."""

from __future__ import annotations

import re

from bot.verify import asked_words, word_forms

WORD = re.compile(r"\S+")
# a word between the punctuation around it (Arabic letters are word characters)
EDGES = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)
MARK = "**"


def marker(question: str):
    """A function that marks the question's words in a passage's text (one that changes
    nothing when the question has none to look for)."""
    asked = set().union(*asked_words(question))

    def bold(match: re.Match[str]) -> str:
        lead, word, trail = EDGES.match(match.group()).groups()  # type: ignore[union-attr]
        if word and any(forms & asked for forms in word_forms(word, suffixes=True)):
            return f"{lead}{MARK}{word}{MARK}{trail}"
        return match.group()

    def mark(text: str) -> str:
        if not asked:
            return text
        return WORD.sub(bold, text).replace(f"{MARK} {MARK}", " ")

    return mark


def unmarked(piece: str) -> str:
    """A piece of the model's answer without the marks it may have copied."""
    return piece.replace("*", "")
