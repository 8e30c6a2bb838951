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
from bot.currencies import NAMES as CURRENCIES
from bot.currencies import currency_of
from bot.units import BETWEEN, figure_units, unit_of

# the kind of each unit that has neighbours to slip to; every currency is money
_KINDS = {
    **dict.fromkeys(("millimetre", "centimetre", "metre", "kilometre", "mile"), "length"),
    **dict.fromkeys(("gram", "kilogram", "tonne"), "mass"),
    **dict.fromkeys(("second", "minute", "hour", "day", "week", "month", "year"), "time"),
    **dict.fromkeys(CURRENCIES, "money"),
}
_UNCOUNTED = {"yen", "yuan"}  # no plural "s"
# a figure, its scale or "square" words (as the units module skips them), then the word that
# says what it counts
_SCALES = "|".join(sorted(word for word in BETWEEN if word.isascii()))
_FIGURE_WORD = re.compile(
    rf"(?<![\w.,])(\d[\d,]*(?:\.\d+)?)((?:\s+(?:{_SCALES}))*)\s+([A-Za-z]+)\b", re.IGNORECASE
)


def english_word(name: str, plural: bool) -> str:
    """A unit's or currency's English word: "dirham", "dirhams", "yen"."""
    return f"{name}s" if plural and name not in _UNCOUNTED else name


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
        if said not in _KINDS or said in known or len(known) != 1:
            return match[0]
        (right,) = known
        if _KINDS.get(right) != _KINDS[said]:
            return match[0]
        new = english_word(right, plural=figures[0] != "1" or bool(match[2]))
        changes.append((word, new))
        return match[0][: match.start(3) - match.start(0)] + new

    return _FIGURE_WORD.sub(correct, answer), changes
