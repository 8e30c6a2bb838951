"""A figure's "about" or "more than" put back from its sources.

The model copies "37,547,686 نسمة" out of "بحوالي 37,547,686 نسمة", or writes "22 provinces"
where its source says "أكثر من 22 مقاطعة": the digits are right and the claim is not (an
estimate read as a count, a floor read as the total). When every cited passage that gives the
figure qualifies it the same way and the answer does not qualify it at all, the qualifier is
written before the figure in the answer's language: the source's own words for an Arabic
answer, "about", "more than", "less than", "at least" or "at most" for an English one.

Written here rather than taken from a library: no package on the stored lists reads Arabic
number qualifiers; the words are a closed class of the language, not of any corpus."""

from __future__ import annotations

import re

from bot.citations import CITATION_PATTERN, WRITTEN, numbers_in
from retrieval.arabic import normalize

# (kind, phrase) said before a figure, the kind as an English answer says it; longer phrases
# first, so that "ما لا يقل عن" is read as a floor, not as "يقل عن". Matched as `normalize`
# writes them (hamza and ta marbuta folded).
_BEFORE = [
    ("at least", "ما لا يقل عن"), ("at least", "لا يقل عن"),
    ("at most", "ما لا يزيد عن"), ("at most", "ما لا يزيد على"),
    ("at most", "لا يزيد عن"), ("at most", "لا يزيد على"),
    ("more than", "ما يزيد عن"), ("more than", "ما يزيد على"), ("more than", "ما يربو على"),
    ("more than", "يزيد عن"), ("more than", "يزيد على"), ("more than", "أكثر من"),
    ("more than", "أزيد من"), ("more than", "ما يفوق"),
    ("less than", "ما يقل عن"), ("less than", "يقل عن"), ("less than", "أقل من"),
    ("about", "ما يقارب"), ("about", "ما يناهز"), ("about", "يقارب"), ("about", "يناهز"),
    ("about", "حوالي"), ("about", "حوالى"), ("about", "نحو"), ("about", "قرابة"),
    ("about", "زهاء"), ("about", "تقريبا"),
]  # fmt: skip
# with a fused "و", "ب" or "ل" before it: "بحوالي", "وأكثر من", "لأقل من"
_BEFORE_PATTERNS = [
    (kind, phrase, re.compile(rf"(?:^|\s)و?[بل]?{normalize(phrase)}\s*$"))
    for kind, phrase in _BEFORE
]
# "25 نوعا تقريبا": the same, said after the figure and a word or two
_AFTER = re.compile(r"^\s*(?:\S+\s+){0,2}?تقريبا(?!\w)")
# a qualifier the answer already gives near its figure, in either language (as normalized)
_QUALIFIED = re.compile(
    r"(?<!\w)(about|around|approximately|approx|nearly|almost|roughly|some|over|more|less|fewer|"
    r"least|most|up to|under|above|below|exceeding|estimated|or so|حوالي|نحو|قرابه|زهاء|يقارب|"
    r"يناهز|تقريبا|اكثر|اقل|ازيد|يزيد|يقل|يربو|يفوق|فوق|دون)(?!\w)"
)


def _qualifier(before: str, after: str) -> tuple[str, str] | None:
    """The kind of qualifier a source puts around a figure, and its Arabic words."""
    before, after = normalize(before[-40:]), normalize(after[:40])
    for kind, phrase, pattern in _BEFORE_PATTERNS:
        if pattern.search(before):
            return kind, phrase
    if _AFTER.match(after):
        return "about", "نحو"  # said before the figure in the answer
    return None


def _source_qualifiers(sources: list[str]) -> dict[str, tuple[set[str | None], str]]:
    """Each figure of the sources: the kinds of qualifier its mentions have (None: none), and
    the Arabic words of the first qualified one."""
    kinds: dict[str, set[str | None]] = {}
    words: dict[str, str] = {}
    for source in sources:
        source = CITATION_PATTERN.sub(" ", source)
        for match in WRITTEN.finditer(source):
            if not (figure := numbers_in(match[0])):
                continue
            said = _qualifier(source[: match.start()], source[match.end() :])
            kinds.setdefault(figure[0], set()).add(said[0] if said else None)
            if said:
                words.setdefault(figure[0], said[1])
    return {figure: (said, words.get(figure, "")) for figure, said in kinds.items()}


def qualified_figures(
    answer: str, sources: list[str], language: str
) -> tuple[str, list[tuple[str, str]]]:
    """The answer with each unqualified figure qualified as all its sources qualify it, and the
    changes made ((written, corrected) pairs: ("22", "more than 22"))."""
    qualifiers = _source_qualifiers(sources)
    changes: list[tuple[str, str]] = []
    done: set[str] = set()  # a figure said twice is qualified once
    pieces: list[str] = []
    last = 0
    markers = [m.span() for m in CITATION_PATTERN.finditer(answer)]
    for match in WRITTEN.finditer(answer):
        if any(a <= match.start() < b for a, b in markers):
            continue
        figure = numbers_in(match[0])
        kinds, words = qualifiers.get(figure[0], ({None}, "")) if figure else ({None}, "")
        if len(kinds) != 1 or None in kinds or figure[0] in done:
            continue
        (kind,) = kinds
        near = normalize(answer[max(0, match.start() - 30) : match.end() + 20])
        if _QUALIFIED.search(near):
            continue
        start = match.start()
        if language == "en":
            # "$5 million", "US$5": the qualifier goes before the currency sign
            sign = re.search(r"(?:US)?[$€£]\s*$", answer[:start])
            start = sign.start() if sign else start
            words = kind
        pieces += [answer[last:start], f"{words} "]
        last = start
        changes.append((figure[0], f"{words} {answer[start : match.end()]}"))
        done.add(figure[0])
    pieces.append(answer[last:])
    return "".join(pieces), changes
