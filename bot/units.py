"""The unit a figure is counted in, in Arabic or English: "١٣٠ مليمترا" and "130 millimetres"
both count 130 in millimetres. An English answer translates the unit from its passage and a
small model slips to a neighbour ("130 meters of rain" for "١٣٠ مليمترا"): the figure is then
wrong though its digits are right.

Written here, as the currencies are (bot/currencies.py): unit libraries (pint, quantulum3)
read English only, and not "كلم" or "بالمئة"."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.citations import CITATION_PATTERN, numbers_in
from bot.numbers import SCALES
from retrieval.arabic import TOKEN, normalize, stem

# a unit: its English words and its Arabic ones, each a whole word (Arabic after its fused
# prefixes, and with a case or number ending: مترا، مترين، كيلومترات; not مترجم or كما)
_UNITS: dict[str, tuple[str, tuple[str, ...]]] = {
    "millimetre": (r"mm|millimet(?:er|re)s?", ("مليمتر", "ملليمتر", "ميليمتر", "ملم")),
    "centimetre": (r"cm|centimet(?:er|re)s?", ("سنتيمتر", "سنتمتر", "سم")),
    "metre": (r"m|met(?:er|re)s?", ("متر", "أمتار")),
    "kilometre": (r"km|kilomet(?:er|re)s?", ("كيلومتر", "كلم", "كم")),
    "mile": (r"miles?", ("ميل", "أميال")),
    "gram": (r"g|grams?|grammes?", ("غرام", "جرام")),
    "kilogram": (r"kg|kilos?|kilogram(?:me)?s?", ("كيلوغرام", "كيلوجرام", "كغ", "كلغ")),
    "tonne": (r"tons?|tonnes?", ("طن", "أطنان")),
    "litre": (r"lit(?:er|re)s?", ("لتر",)),
    "hectare": (r"hectares?|ha", ("هكتار",)),
    "megawatt": (r"mw|megawatts?", ("ميغاواط", "ميجاوات", "ميغاوات", "ميجاواط")),
    "degree": (r"degrees?|°", ("درجة", "درجات")),
    "second": (r"seconds?", ("ثانية", "ثوان")),
    "minute": (r"minutes?", ("دقيقة", "دقائق")),
    "hour": (r"hours?", ("ساعة", "ساعات")),
    "day": (r"days?", ("يوم", "أيام")),
    "week": (r"weeks?", ("أسبوع", "أسابيع")),
    "month": (r"months?", ("شهر", "أشهر", "شهور")),
    "year": (r"years?", ("عام", "أعوام", "سنة", "سنوات", "سنين")),
}
_ENGLISH = {name: re.compile(rf"(?:{w})$", re.IGNORECASE) for name, (w, _) in _UNITS.items()}
_ARABIC = {name: tuple(normalize(w) for w in words) for name, (_, words) in _UNITS.items()}
# words that may stand between a figure and its unit: its scale, "square", "cubic"
BETWEEN = set(SCALES) | {"square", "cubic", "sq", "cu"}


_ENDINGS = ("", "ا", "ان", "ين", "ات")
# abbreviations take no ending: كما is "as", not kilometres
_ABBREVIATIONS = {normalize(w) for w in ("كم", "كلم", "سم", "ملم", "كغ", "كلغ")}


def unit_of(word: str) -> str | None:
    """The unit `word` (one token, normalised) names, or None."""
    for name, pattern in _ENGLISH.items():
        if pattern.match(word):
            return name
    for form in (word, stem(word), stem(stem(word))):
        for ending in _ENDINGS:
            base = form[: len(form) - len(ending)] if ending else form
            if ending and (not form.endswith(ending) or base in _ABBREVIATIONS):
                continue
            for name, words in _ARABIC.items():
                if base in words:
                    return name
    return None


def figure_units(text: str, read: Callable[[str], str | None] = unit_of) -> dict[str, set[str]]:
    """Each figure of `text` followed by a unit (its scale or "square" between them allowed),
    as `numbers_in` writes it, with the units it is counted in there (`read`: the unit a word
    names)."""
    tokens = TOKEN.findall(normalize(CITATION_PATTERN.sub(" ", text)).replace("°", " degree "))
    found: dict[str, set[str]] = {}
    for i, token in enumerate(tokens):
        figure = numbers_in(token) if token[0].isdigit() else []
        if not figure:
            continue
        after = i + 1
        while after < len(tokens) and tokens[after] in BETWEEN:
            after += 1
        unit = read(tokens[after]) if after < len(tokens) else None
        if unit:
            found.setdefault(figure[0], set()).add(unit)
    return found


def other_unit(answer: str, sources: list[str]) -> dict[str, set[str]]:
    """The answer's figures given in a unit that the same figure is never counted in by its
    sources, where they count it in some unit: {"130": {"metre"}} for "130 meters" over
    "١٣٠ مليمترا". A figure the sources give with no unit is not compared."""
    counted: dict[str, set[str]] = {}
    for source in sources:
        for figure, units in figure_units(source).items():
            counted.setdefault(figure, set()).update(units)
    return {
        figure: units
        for figure, units in figure_units(answer).items()
        if figure in counted and not units & counted[figure]
    }
