"""The citation contract: [n] markers parsed from the reply, checked against the passages."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from bot.numbers import SCALES, spelled_numbers
from retrieval.arabic import normalize, tokenize
from retrieval.chunking import split_sentences
from retrieval.documents import Passage

# One marker: [3]. Groups such as [1, 2] or [١] are rewritten to this form first.
CITATION_PATTERN = re.compile(r"\[(\d+)\]")
MARKER_GROUP = re.compile(r"[\[【]\s*([\d٠-٩]+(?:\s*[,،]\s*[\d٠-٩]+)*)\s*[\]】]")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# the Arabic comma between groups of three digits is a thousands separator
ARABIC_THOUSANDS = re.compile(r"(?<=\d)،(?=\d{3}(?!\d))")
REFUSALS = {
    "en": "I could not find this in the articles.",
    "ar": "لم أجد الإجابة في المقالات.",
}
# How the model says it has no answer, in its own words; the user sees REFUSALS instead.
REFUSAL_CUES = re.compile(
    r"(could not|couldn't|cannot|can't|unable to) find|not (mentioned|stated|found) in the "
    r"(passages|articles)|(لم|لا) (أجد|اجد|أعثر|اعثر)|لا (توجد|تذكر|تتضمن) (المقاطع|معلومات)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Citation:
    """Source `n` of an answer: its passage, and the sentence in it that supports the answer
    (`sentence_start`/`sentence_end` are offsets into the cleaned article)."""

    n: int
    passage: Passage
    sentence_start: int
    sentence_end: int

    @property
    def sentence(self) -> str:
        offset = self.passage.start
        return self.passage.text[self.sentence_start - offset : self.sentence_end - offset]


def is_refusal(text: str) -> bool:
    return bool(REFUSAL_CUES.search(text))


def normalize_markers(text: str) -> str:
    """[1, 2] → [1][2]; Arabic-Indic digits inside markers → ASCII."""

    def expand(match: re.Match) -> str:
        numbers = re.split(r"\s*[,،]\s*", normalize(match.group(1)))
        return "".join(f"[{n}]" for n in numbers)

    return MARKER_GROUP.sub(expand, text)


def drop_invalid_markers(text: str, count: int) -> str:
    """Remove markers that point at no passage (outside 1..count); they are never shown."""

    def keep(match: re.Match) -> str:
        return match.group(0) if 1 <= int(match.group(2)) <= count else ""

    text = re.sub(r"([ \t]?)\[(\d+)\]", keep, text)
    return re.sub(r"[ \t]+([.،,؟?!])", r"\1", text).strip()


def cited_numbers(text: str) -> list[int]:
    """Distinct passage numbers cited, in order of first appearance."""
    seen: list[int] = []
    for match in CITATION_PATTERN.finditer(text):
        n = int(match.group(1))
        if n not in seen:
            seen.append(n)
    return seen


def renumber(text: str, passages: Sequence[Passage]) -> tuple[str, list[Passage]]:
    """Sources numbered in the order the answer first cites them ([4] then [2] become [1]
    then [2]); the passages it does not cite follow in their order."""
    cited = cited_numbers(text)
    order = cited + [n for n in range(1, len(passages) + 1) if n not in cited]
    new = {old: position for position, old in enumerate(order, start=1)}
    text = CITATION_PATTERN.sub(lambda m: f"[{new.get(int(m.group(1)), m.group(1))}]", text)
    return text, [passages[n - 1] for n in order]


def numbers_in(text: str) -> list[str]:
    """Numbers as written (digits folded to ASCII, thousands separators removed)."""
    text = CITATION_PATTERN.sub(" ", normalize(text))
    text = ARABIC_THOUSANDS.sub(",", text)  # 22،338،618
    found = []
    for raw in NUMBER.findall(text):
        value = re.sub(r",(?=\d{3}\b)", "", raw).rstrip(".,")
        if value not in found:
            found.append(value)
    return found


SCALED = re.compile(rf"(\d+(?:[.,]\d+)*)\s*({'|'.join(SCALES)})(?!\w)", re.IGNORECASE)


def scaled_numbers(text: str) -> dict[str, str]:
    """Each figure `text` scales by a word, as `numbers_in` writes it, and its full value:
    {"186": "186000"} for "186 ألف", {"2,7": "2700000"} for "2,7 مليون"."""
    found = {}
    for raw, word in SCALED.findall(ARABIC_THOUSANDS.sub(",", normalize(text))):
        figure = re.sub(r",(?=\d{3}\b)", "", raw)
        value = Decimal(figure.replace(",", ".")) * SCALES[word.lower()]
        found[figure] = str(value.quantize(Decimal(1)) if value == value.to_integral() else value)
    return found


def known_numbers(texts: Sequence[str]) -> set[str]:
    """The numbers the texts give, in digits or in words ("أربع" counts as 4), and the full
    value of a scaled one ("186 ألف" is also 186000)."""
    return {
        n
        for text in texts
        for n in [*numbers_in(text), *spelled_numbers(text), *scaled_numbers(text).values()]
    }


def unverified_numbers(answer: str, passages: Sequence[Passage]) -> list[str]:
    """Numbers in the answer that appear in none of the given passages (compared by value,
    and by their full value: "186,000" and "186 ألف" are one figure, either way round), as
    the answer writes them."""
    written = written_numbers(answer)
    return [written.get(n, n) for n in unknown_numbers(answer, [p.text for p in passages])]


def unknown_numbers(answer: str, texts: Sequence[str]) -> list[str]:
    """The answer's numbers (as `numbers_in` gives them) that none of `texts` gives."""
    known = known_numbers(texts)
    scaled = scaled_numbers(answer)
    return [n for n in numbers_in(answer) if n not in known and scaled.get(n) not in known]


def cite_article_figures(answer: str, passages: Sequence[Passage]) -> str:
    """The answer with a marker added for each of its figures that its cited passages do not
    give but another passage of the same article does (the model read an article's windows
    and cited the wrong one): "186,000 voters [1]" becomes "… [1][3]" when [3] is the sentence
    of [1]'s article that says "186 ألف". A figure of another article stays uncited, and
    flagged."""
    cited = [n for n in cited_numbers(answer) if 1 <= n <= len(passages)]
    if not cited:
        return answer
    articles = {passages[n - 1].doc_id for n in cited}
    written, scaled = written_numbers(answer), scaled_numbers(answer)
    for number in unknown_numbers(answer, [passages[n - 1].text for n in cited]):
        holders = (k for k, p in enumerate(passages, start=1)
                   if k not in cited and p.doc_id in articles
                   and {number, scaled.get(number)} & known_numbers([p.text]))  # fmt: skip
        if (holder := next(holders, None)) is None:
            continue
        at = answer.find(written.get(number, number))
        after = next(CITATION_PATTERN.finditer(answer, max(at, 0)), None)
        end = after.end() if after else len(answer)
        answer = f"{answer[:end]}[{holder}]{answer[end:]}"
        cited.append(holder)
    return answer


# a number as a reader sees it written: any digits, its decimal point or thousands separators
WRITTEN = re.compile(r"\d+(?:(?:[.,٫٬]|،(?=\d{3}(?!\d)))\d+)*")


def written_numbers(text: str) -> dict[str, str]:
    """Each number of `text` as `numbers_in` gives it, and as `text` writes it ("186000":
    "186,000"; "250.5": "٢٥٠٫٥"), so that what is shown to a reader can be found in the answer."""
    found: dict[str, str] = {}
    for raw in WRITTEN.findall(CITATION_PATTERN.sub(" ", text)):
        for value in numbers_in(raw):
            found.setdefault(value, raw)
    return found


YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def years(text: str) -> set[str]:
    """The years `text` names (in any digits)."""
    return set(YEAR.findall(normalize(text)))


def other_year(answer: str, question: str) -> bool:
    """The question asks about a year and the answer names other years but not that one: it
    answers for the wrong year (the passages often give several years' figures)."""
    asked = years(question)
    given = years(CITATION_PATTERN.sub(" ", answer))
    return bool(asked and given and not asked & given)


def year_not_cited(question: str, cited: Sequence[Passage]) -> bool:
    """The question asks about a year that none of the cited passages names, in its text (or
    the passage a sentence window was cut from: "In 1964 … . The winds reached …"), its
    article's title or as its article's date: they tell of another time (a meeting of another
    year, another hurricane's winds), whatever the answer says."""
    asked = years(question)
    if not asked or not cited:
        return False
    for passage in cited:
        named = years(f"{passage.title}\n{passage.context or passage.text}")
        if passage.published and passage.date:
            named.add(passage.date[:4])
        if asked & named:
            return False
    return True


def _overlap(answer_tokens: set[str], text: str) -> float:
    tokens = set(tokenize(text))
    numbers = {t for t in answer_tokens & tokens if t[0].isdigit()}
    return len(answer_tokens & tokens) + len(numbers)  # a shared number counts twice


def best_passage(
    answer: str,
    passages: Sequence[Passage],
    similarity: Callable[[str, Sequence[str]], list[float]] | None = None,
) -> int:
    """Index of the passage that best supports `answer`: shared words and numbers, else
    `similarity` (e.g. embeddings, which work across languages), else the top-ranked one."""
    answer_tokens = set(tokenize(answer))
    overlaps = [_overlap(answer_tokens, p.text) for p in passages]
    if max(overlaps, default=0) > 0:
        return overlaps.index(max(overlaps))
    if similarity is not None and passages:
        scores = similarity(answer, [p.text for p in passages])
        return scores.index(max(scores))
    return 0


def supporting_sentence(answer: str, passage: Passage) -> tuple[int, int]:
    """Article offsets of the sentence in `passage` that shares most with the answer."""
    answer_tokens = set(tokenize(answer))
    best, best_score, offset = (passage.start, passage.end), -1.0, passage.start
    for sentence in split_sentences(passage.text):
        score = _overlap(answer_tokens, sentence)
        stripped = sentence.rstrip()
        if score > best_score and stripped:
            best, best_score = (offset, offset + len(stripped)), score
        offset += len(sentence)
    return best


def build_citations(answer: str, passages: Sequence[Passage]) -> list[Citation]:
    citations = []
    for n in cited_numbers(answer):
        passage = passages[n - 1]
        start, end = supporting_sentence(answer, passage)
        citations.append(Citation(n, passage, start, end))
    return citations


class MarkerFilter:
    """Cleans a streamed reply piece by piece: a marker is held back until it closes, then
    shown only if it points at a passage (so a bad [7] never flashes on screen)."""

    LONGEST_MARKER = 16

    def __init__(self, count: int) -> None:
        self.count = count
        self._pending = ""

    def feed(self, piece: str) -> str:
        self._pending += piece
        shown = ""
        while self._pending:
            open_at = self._pending.find("[")
            if open_at < 0:
                shown, self._pending = shown + self._pending, ""
                break
            shown += self._pending[:open_at]
            rest = self._pending[open_at:]
            close_at = rest.find("]")
            if close_at < 0:
                if len(rest) > self.LONGEST_MARKER:  # not a marker: let the bracket through
                    shown, self._pending = shown + "[", rest[1:]
                    continue
                self._pending = rest
                break
            marker, self._pending = rest[: close_at + 1], rest[close_at + 1 :]
            if MARKER_GROUP.fullmatch(marker):
                shown += drop_invalid_markers(normalize_markers(marker), self.count)
            else:
                shown += marker
        return shown

    def flush(self) -> str:
        rest, self._pending = self._pending, ""
        return rest
