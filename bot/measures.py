"""An English answer's figure put back in the unit or currency its sources count it in.

The model translates "٢.٣ مليار درهم" and slips to a neighbour: "2.3 billion dinars", "130
meters" of rain for "١٣٠ مليمترا". Its digits are right and its sources say, next to the very
same figure, what it counts: the word is rewritten from them ("2.3 billion dirhams") instead of
the answer being declined, when the sources count that figure in one unit alone and of the
same kind (a length stays a length, money stays money). Arabic answers copy their sources'
words and are left as written."""

from __future__ import annotations

import re

from bot.citations import numbers_in
from bot.currencies import currency_of
from bot.units import figure_units, unit_of

# each unit's kind and its English words (singular, plural)
_WORDS: dict[str, tuple[str, str, str]] = {
    "millimetre": ("length", "millimetre", "millimetres"),
    "centimetre": ("length", "centimetre", "centimetres"),
    "metre": ("length", "metre", "metres"),
    "kilometre": ("length", "kilometre", "kilometres"),
    "mile": ("length", "mile", "miles"),
    "gram": ("mass", "gram", "grams"),
    "kilogram": ("mass", "kilogram", "kilograms"),
    "tonne": ("mass", "tonne", "tonnes"),
    "second": ("time", "second", "seconds"),
    "minute": ("time", "minute", "minutes"),
    "hour": ("time", "hour", "hours"),
    "day": ("time", "day", "days"),
    "week": ("time", "week", "weeks"),
    "month": ("time", "month", "months"),
    "year": ("time", "year", "years"),
    "dollar": ("money", "dollar", "dollars"),
    "euro": ("money", "euro", "euros"),
    "pound": ("money", "pound", "pounds"),
    "dinar": ("money", "dinar", "dinars"),
    "dirham": ("money", "dirham", "dirhams"),
    "riyal": ("money", "riyal", "riyals"),
    "lira": ("money", "lira", "liras"),
    "yen": ("money", "yen", "yen"),
    "yuan": ("money", "yuan", "yuan"),
    "rouble": ("money", "rouble", "roubles"),
    "rupee": ("money", "rupee", "rupees"),
    "shekel": ("money", "shekel", "shekels"),
    "franc": ("money", "franc", "francs"),
}
# a figure, its scale or "square" words, then the word that says what it counts
_FIGURE_WORD = re.compile(
    r"(?<![\w.,])(\d[\d,]*(?:\.\d+)?)((?:\s+(?:thousand|million|billion|square|cubic))*)"
    r"\s+([A-Za-z]+)\b",
    re.IGNORECASE,
)


def measure_of(word: str) -> str | None:
    """The unit or currency a word names."""
    return unit_of(word) or currency_of(word)


def corrected_measures(answer: str, sources: list[str]) -> tuple[str, list[tuple[str, str]]]:
    """The answer with each figure's unit or currency as its sources count that figure, and the
    words changed ((written, corrected) pairs)."""
    counted: dict[str, set[str]] = {}
    for source in sources:
        for figure, measures in figure_units(source, measure_of).items():
            counted.setdefault(figure, set()).update(measures)
    changes: list[tuple[str, str]] = []

    def correct(match: re.Match[str]) -> str:
        figures, word = numbers_in(match[1]), match[3]
        said = measure_of(word.lower())
        known = counted.get(figures[0], set()) if figures else set()
        if said not in _WORDS or said in known or len(known) != 1:
            return match[0]
        (right,) = known
        kind, singular, plural = _WORDS.get(right, ("", "", ""))
        if kind != _WORDS[said][0]:
            return match[0]
        new = singular if figures[0] == "1" and not match[2] else plural
        changes.append((word, new))
        return match[0][: match.start(3) - match.start(0)] + new

    return _FIGURE_WORD.sub(correct, answer), changes
