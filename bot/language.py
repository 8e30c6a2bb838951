"""Which language a question is in: Arabic or English (the two Sanad answers in)."""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["ar", "en"]
ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff\ufb50-\ufdff\ufe70-\ufefc]")
LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")


def detect_language(text: str) -> Language:
    """ "ar" when Arabic letters make up at least a third of the letters, else "en".

    A third, not a half: an Arabic question often carries Latin names ("NATO", "New START")."""
    arabic = len(ARABIC_LETTER.findall(text))
    latin = len(LATIN_LETTER.findall(text))
    if arabic == 0:
        return "en"
    return "ar" if arabic * 2 >= latin else "en"
