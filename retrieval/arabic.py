"""Arabic normalisation and a light prefix stemmer, for keyword search and answer matching."""

from __future__ import annotations

import re

DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
TATWEEL = "\u0640"
# Zero-width and bidi control characters: invisible, but they split words for a tokenizer.
INVISIBLES = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# Arabic-Indic and Eastern Arabic-Indic digits, and the Arabic decimal and thousands separators
DIGITS = {
    **{chr(0x0660 + n): str(n) for n in range(10)},
    **{chr(0x06F0 + n): str(n) for n in range(10)},
    "٫": ".", "٬": ",",
}  # fmt: skip
_WESTERN = str.maketrans(DIGITS)
_FOLD = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و", "ئ": "ي",
        **DIGITS,
    }
)  # fmt: skip
TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
# Longest first: "وال" before "و". Conjunctions and prepositions fused to the next word.
PREFIXES = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
MIN_STEM = 2
_STOPWORDS = """في من الى على عن ان او ثم مع هذا هذه ذلك تلك التي الذي الذين قد لا ما لم لن كان
    كانت هو هي هم بين حيث عند كل بعد قبل منذ حول اي the a an of in on at to for and or is are
    was were be by with from as that this it its what which who how did does do"""


def normalize(text: str) -> str:
    """Fold spelling variants: hamza, ta marbuta, alef maqsura, diacritics, tatweel, digits."""
    text = INVISIBLES.sub("", text)
    text = DIACRITICS.sub("", text).replace(TATWEEL, "")
    return text.translate(_FOLD).lower()


def western_digits(text: str) -> str:
    """`text` with its figures in the digits 0-9 ("٤٢ ألف" → "42 ألف", "٧٫٥" → "7.5"), the
    rest as written."""
    return text.translate(_WESTERN)


ARABIC_LETTER = re.compile(r"[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff]")
LETTER = re.compile(r"[^\W\d_]")


def arabic_share(text: str) -> float:
    """The share of the letters of `text` that are Arabic (1.0 when it has no letters)."""
    letters = len(LETTER.findall(text))
    return len(ARABIC_LETTER.findall(text)) / letters if letters else 1.0


def stem(token: str) -> str:
    """Strip one fused prefix (و ف ب ل ك ال and their combinations) when a stem remains."""
    for prefix in PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= MIN_STEM:
            return token[len(prefix) :]
    return token


def tokenize(text: str, drop_stopwords: bool = True) -> list[str]:
    """Normalised, stemmed word and number tokens of Arabic or English text."""
    tokens = [stem(t) for t in TOKEN.findall(normalize(text))]
    if drop_stopwords:
        tokens = [t for t in tokens if t not in STOPWORDS]
    return tokens


STOPWORDS = frozenset(stem(normalize(word)) for word in _STOPWORDS.split())
