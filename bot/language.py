"""Which language a question is in: Arabic or English (the two Sanad answers in)."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

Language = Literal["ar", "en"]
ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff\ufb50-\ufdff\ufe70-\ufefc]")
LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")  # a name, or an English word


def detect_language(text: str) -> Language:
    """The language whose small words (question words, prepositions, pronouns) the text
    uses: a name in the other script does not change it ("أين يقع Energiprojekt AB؟" is
    Arabic, "What did محمد بن سلمان say?" English). Where both or neither have theirs, "ar"
    when Arabic letters make up at least a third of the letters, else "en" (a third, not a
    half: an Arabic question often carries names in Latin letters)."""
    arabic = len(ARABIC_LETTER.findall(text))
    if arabic == 0:
        return "en"
    english_words = any(w in ENGLISH_WORDS for w in LATIN_WORD.findall(text.lower()))
    arabic_words = any(
        w in ARABIC_WORDS or (w[:1] in "وف" and w[1:] in ARABIC_WORDS)  # وما، فكم
        for w in ARABIC_WORD.findall(text)
    )
    if english_words != arabic_words:
        return "en" if english_words else "ar"
    return "ar" if arabic * 2 >= len(LATIN_LETTER.findall(text)) else "en"


# Zero-width characters and bidi controls (marks, embeddings, overrides, isolates), the BOM,
# the soft hyphen and tatweel's invisible cousins: pasted from web pages and chat apps, they
# split words for search and can reorder what the user sees.
INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# Letters of Persian and Urdu that Arabic does not use: a question in those languages.
PERSIAN_URDU = re.compile(
    "[\u067e\u0686\u0698\u06a9\u06af\u06cc\u06be\u06c1\u06d2\u0679\u0688\u0691\u06ba]"
)
# fmt: off
ENGLISH_WORDS = frozenset({
    "the", "of", "and", "is", "are", "was", "were", "what", "which", "who", "whom", "how",
    "when", "where", "why", "did", "does", "do", "much", "many", "to", "for", "with", "by",
    "from", "on", "at", "it", "its", "this", "that", "these", "those", "an", "be", "been",
    "has", "have", "had",
})
# Arabic's own small words, as written (with or without hamza): question words, prepositions,
# pronouns, relatives; none of them a name
ARABIC_WORDS = frozenset({
    "ما", "ماذا", "من", "متى", "أين", "اين", "كم", "كيف", "لماذا", "لم", "هل", "أي", "اي",
    "أية", "اية", "في", "على", "إلى", "الى", "عن", "مع", "هو", "هي", "هم", "الذي", "التي",
    "الذين", "كان", "كانت", "هذا", "هذه", "ذلك", "تلك", "بين", "بعد", "قبل", "عند", "منذ",
})
ARABIC_WORD = re.compile(r"[\u0621-\u064a]+")
# Function words of other languages written in Latin letters (none of them English words)
OTHER_WORDS = frozenset({
    "le", "la", "les", "des", "une", "est", "sont", "quel", "quelle", "quels", "quelles",
    "combien", "pourquoi", "comment", "avec", "dans", "pour", "qui", "que", "du", "au", "aux",
    "ont", "été", "los", "las", "una", "cuál", "cuánto", "cuántos", "cuántas", "qué", "cómo",
    "para", "del", "fue", "der", "das", "ist", "sind", "wie", "viel", "welche", "warum", "mit",
    "für", "und", "nicht", "wurde", "il", "gli", "è", "sono", "quanto", "quale", "perché",
    "não", "foi", "são", "um", "uma", "quem", "qual", "nel", "della",
})
# fmt: on


def has_letters(text: str) -> bool:
    """Whether the text has Arabic or Latin letters (an answer of figures only has none)."""
    return bool(ARABIC_LETTER.search(text) or LATIN_LETTER.search(text))


def strip_invisible(text: str) -> str:
    return INVISIBLE.sub("", text)


def is_other_language(text: str) -> bool:
    """Whether a question is in neither Arabic nor English: mostly letters of another script
    (Cyrillic, Chinese, Hebrew, Persian…) or Latin letters in the words of another language."""
    letters = [c for c in text if unicodedata.category(c).startswith("L")]
    if not letters:
        return False
    arabic = len(ARABIC_LETTER.findall(text))
    latin = len(LATIN_LETTER.findall(text))
    if (arabic + latin) * 2 < len(letters):
        return True
    if arabic and len(PERSIAN_URDU.findall(text)) >= 2:
        return True
    if arabic * 2 >= latin:
        return False
    words = re.findall(r"[^\W\d_]+", text.lower())
    return sum(w in OTHER_WORDS for w in words) >= 2 and not any(w in ENGLISH_WORDS for w in words)
