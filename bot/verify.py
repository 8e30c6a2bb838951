"""One verification stage between the model's draft and the user: each check is a question
asked of the draft and its sources, named, and measured on the dev sets (the eval report
counts, for each, the right drafts it throws away and the wrong ones it stops).

A draft that fails a check is not shown as an answer: Sanad declines, says why, and keeps
the sources it found on screen so the user can read them."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import snowballstemmer

from bot.asking import wrong_kind
from bot.citations import (
    CITATION_PATTERN,
    build_citations,
    is_refusal,
    known_numbers,
    numbers_in,
    other_year,
    unverified_numbers,
    year_not_cited,
)
from bot.currencies import other_currency
from bot.guard import echoes_orders, example_numbers, leaks_instructions, off_task
from bot.language import LATIN_LETTER, LATIN_WORD, Language
from bot.numbers import WORDS as NUMBER_WORDS
from bot.numbers import spelled_numbers
from bot.units import other_unit
from retrieval.arabic import STOPWORDS, TOKEN, normalize, stem
from retrieval.documents import Passage

# A long vowel inside a word is the usual difference between two spellings of one foreign
# name (بالينكن / بلينكن, ماكرون / مكرون): words also match on their consonants.
LONG_VOWELS = re.compile(r"(?<=.)[اوي]")


def skeleton(token: str) -> str:
    return LONG_VOWELS.sub("", token) if not token[0].isdigit() else token


# Snowball's Arabic stemmer takes endings off as well as prefixes
ARABIC_STEMMER = snowballstemmer.stemmer("arabic")


def word_forms(text: str, suffixes: bool = False) -> list[set[str]]:
    """Each word of `text` (stop words left out) as the forms it may be matched by: as
    written, stemmed, and the consonants of both (a fused ب or ل is also a name's first
    letter: بلينكن is not ب + لينكن). With `suffixes`, also Snowball's Arabic stem, which takes
    off endings too (تشغيله، تشغيل: a pronoun, a plural, a case ending)."""
    forms = []
    for token in TOKEN.findall(normalize(CITATION_PATTERN.sub(" ", text))):
        stemmed = stem(token)
        if stemmed in STOPWORDS and token not in NUMBER_WORDS:  # "ألفي" is not ال + في
            continue
        forms.append({token, stemmed, skeleton(token), skeleton(stemmed)})
        if suffixes:
            forms[-1].add(normalize(ARABIC_STEMMER.stemWord(token)))
    return forms


def all_forms(text: str, suffixes: bool = False) -> set[str]:
    """Every form of every word of `text` together (`word_forms`), to look words up in."""
    return set().union(*word_forms(text, suffixes))


@dataclass(frozen=True)
class Draft:
    """What the model wrote, with what it was given."""

    question: str
    language: Language
    text: str  # markers normalised, every one valid
    passages: Sequence[Passage]  # all the model read
    cited: Sequence[Passage]  # those its markers name
    probabilities: Sequence[float] = ()  # the model's for each token it wrote (may be unknown)
    # the same prompt written again with some freedom (sampled): None when not asked
    resamples: Sequence[str] | None = None


def support(draft: Draft) -> float:
    """Share of the draft's words found, in any of their forms, in its cited passages or the
    question: an Arabic answer built from its sources scores near 1, an invented one near 0."""
    words = word_forms(draft.text)
    if not words:
        return 1.0
    known = all_forms(" ".join([draft.question, *(p.text for p in draft.cited)]))
    return sum(bool(forms & known) for forms in words) / len(words)


# "X or Y?": an answer made of the question's own words is the right kind of answer
CHOICE = re.compile(r"(?:^|\s)(?:او|أو|أم|ام|or)\s", re.IGNORECASE)


def restates(draft: Draft) -> bool:
    """The draft says nothing the question did not: every word of it is one of the
    question's (in any form, endings off too) — "Tesla was shown interest again [1]" for
    "When was…?", "الرئيسة هي رئيس مجلس الإدارة" for "من هي رئيسة مجلس الإدارة؟"."""
    if CHOICE.search(draft.question):
        return False
    asked = all_forms(draft.question, suffixes=True)
    return all(forms & asked for forms in word_forms(draft.text, suffixes=True))


# the words that ask, not what is asked about
_INTERROGATIVES = "متى كم بكم أين لماذا كيف ماذا هل أي وما ومن ولماذا"
INTERROGATIVES = {stem(normalize(word)) for word in _INTERROGATIVES.split()}


def asked_words(question: str) -> list[set[str]]:
    """The question's words that name what it asks about, each as its forms (`word_forms`,
    endings off too): its stop words and interrogatives left out."""
    return [f for f in word_forms(question, suffixes=True) if not f & INTERROGATIVES]


def answer_sentences(draft: Draft) -> list[str]:
    """In each cited passage, the sentence the answer comes from (the one sharing most words
    with it): the sentences its citations show."""
    return [citation.sentence for citation in build_citations(draft.text, draft.passages)]


def topic(draft: Draft) -> float:
    """Share of the question's words (interrogatives left out) that the sentences its answer
    comes from have, in any of their forms: a figure read from a sentence about something else
    (a neighbouring paragraph, another event of the article) scores low. 1.0 with nothing to
    compare."""
    sentences = answer_sentences(draft)
    question = draft.question
    if not LATIN_LETTER.search(" ".join(sentences)):
        # a name the question writes in Latin letters cannot be in sentences that have none:
        # left out, not counted missing ("كم طائرة لدى Pearl Airways؟" of "طيران اللؤلؤ")
        question = LATIN_WORD.sub(" ", question)
    asked = asked_words(question)
    if not asked or not sentences:
        return 1.0
    known = all_forms(" ".join(sentences), suffixes=True)
    return sum(bool(forms & known) for forms in asked) / len(asked)


def agrees(question: str, text: str, other: str) -> bool:
    """Whether `other` (the model's answer written again) gives the fact `text` gives: each of
    its figures that the question does not give, or, without one, half of its words that are
    not the question's (in any form); a refusal gives none."""
    if not other.strip() or is_refusal(other):
        return False
    if figures := {*numbers_in(text), *spelled_numbers(text)} - known_numbers([question]):
        return figures <= known_numbers([other])
    asked = all_forms(question, suffixes=True)
    facts = [forms for forms in word_forms(text, suffixes=True) if not forms & asked]
    if not facts:
        return True
    written = all_forms(other, suffixes=True)
    return sum(bool(forms & written) for forms in facts) >= len(facts) / 2


def agreement(draft: Draft) -> int:
    """How many of the draft's resamples give its fact."""
    return sum(agrees(draft.question, draft.text, other) for other in draft.resamples or ())


def new_numbers(draft: Draft) -> list[str]:
    """Numbers of the draft that none of the passages it read has, in digits or in words (a
    figure of the question repeated counts too: the question is not a source)."""
    return unverified_numbers(draft.text, draft.passages)


def new_currency(draft: Draft) -> bool:
    """The draft names a currency that none of its cited passages (all it read, when it
    cites none) names: the figure is another figure, however right its digits."""
    return bool(other_currency(draft.text, [p.text for p in draft.cited or draft.passages]))


def new_unit(draft: Draft) -> bool:
    """The draft counts a figure in a unit its cited passages (all it read, when it cites
    none) never count that figure in: "130 meters" of rain where the passage has "١٣٠ مليمترا"."""
    return bool(other_unit(draft.text, [p.text for p in draft.cited or draft.passages]))


def confidence(probabilities: Sequence[float]) -> float | None:
    """How sure the model was of a draft, token by token: the geometric mean of the
    probabilities it gave the tokens it wrote (its last step, the end of the answer, left
    out); None when they are not known (a model server)."""
    steps = list(probabilities[:-1] or probabilities)
    if not steps:
        return None
    return math.exp(sum(math.log(max(p, 1e-9)) for p in steps) / len(steps))


def unsure(draft: Draft, floor: float) -> bool:
    sure = confidence(draft.probabilities)
    return sure is not None and sure < floor


def instructions(draft: Draft) -> bool:
    texts = [p.text for p in draft.passages]
    return (
        leaks_instructions(draft.text)
        or off_task(draft.text)
        or echoes_orders(draft.text, texts)
        or bool(example_numbers(draft.text, texts))
    )


Closeness = Callable[[str, Sequence[Passage]], list[float]]  # a question against passages


@dataclass(frozen=True)
class Check:
    """A named test a draft fails (True) or passes."""

    name: str
    fails: Callable[[Draft], bool]


class Verifier:
    """Runs every check on a draft; `decline` names those that make Sanad decline (all by
    default). Every check is computed either way, for the eval report."""

    def __init__(
        self,
        min_support: float = 0.5,
        decline: Sequence[str] | None = None,
        similarity: Closeness | None = None,
        min_grounding: float = 0.0,
        min_confidence: Mapping[str, float] | None = None,
        min_topic: float = 0.0,
        min_agreement: int = 0,
    ) -> None:
        self.min_support = min_support
        self.min_agreement = min_agreement
        self.min_topic = min_topic
        self.similarity = similarity
        self.min_grounding = min_grounding
        self.min_confidence = dict(min_confidence or {})  # by the draft's language
        self.checks = [
            Check("instructions", instructions),  # its instructions, itself, its examples
            Check("numbers", lambda d: bool(new_numbers(d))),  # a figure no passage has
            Check("currency", new_currency),  # a figure in dinars where its source has dirhams
            Check("unit", new_unit),  # 130 metres where its source has 130 millimetres
            Check("year", lambda d: other_year(d.text, d.question)),  # another year's figure
            Check("when", lambda d: year_not_cited(d.question, d.cited)),  # another year's news
            Check("echo", restates),  # the question said back, no fact in it
            # "how many …?" answered with no figure, "when …?" with no time
            Check("kind", lambda d: wrong_kind(d.question, d.text)),
            # Arabic words that none of its sources has: invented (English answers translate)
            Check("support", lambda d: d.language == "ar" and support(d) < self.min_support),
            # an Arabic answer read from sentences that share few of the question's words: they
            # tell of something else (English questions share no words with Arabic sentences)
            Check("topic", lambda d: d.language == "ar" and topic(d) < self.min_topic),
            # the passages it cites are not about what was asked (the question's own passage
            # is often missing and a neighbour's figure is given instead)
            Check(
                "grounding",
                lambda d: self.min_grounding > 0 and self.grounding(d) < self.min_grounding,
            ),  # fmt: skip
            # the model was unsure of what it wrote: a name it could not spell, a figure it
            # hesitated over (measured by language: English answers translate their sources)
            Check("confidence", lambda d: unsure(d, self.min_confidence.get(d.language, 0.0))),
            # written again with some freedom, the model gives another fact most times: a
            # guess (asked only of drafts it was not sure of that pass every other check)
            Check(
                "agreement",
                lambda d: d.resamples is not None and agreement(d) < self.min_agreement,
            ),
        ]
        names = [c.name for c in self.checks]
        unknown = set(decline or ()) - set(names)
        if unknown:
            raise ValueError(f"unknown checks {sorted(unknown)}; known: {names}")
        self.decline = list(names if decline is None else decline)

    def grounding(self, draft: Draft) -> float:
        """How close the question is to the closest passage the draft cites (each read as
        part of its article, by the retriever's cross-lingual embedder); 1.0 without one."""
        if self.similarity is None or not draft.cited:
            return 1.0
        return max(self.similarity(draft.question, draft.cited))

    def failures(self, draft: Draft, only: Sequence[str] | None = None) -> list[str]:
        """Names of the checks the draft fails, in order (of those named in `only`)."""
        return [check.name for check in self.checks
                if (only is None or check.name in only) and check.fails(draft)]  # fmt: skip

    def declines(self, failures: Sequence[str]) -> bool:
        return any(name in self.decline for name in failures)
