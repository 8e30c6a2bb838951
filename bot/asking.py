"""What kind of fact a question asks for, and whether an answer gives one: "how many …?"
wants a figure, "when …?" a time. An answer with neither ("زخمًا مستمرًا" for "بكم قفزت
الصادرات؟", "Ibn Khaldun was born in Tunis" for "When was he born?") does not answer it,
whatever its sources say."""

from __future__ import annotations

import re

from bot.citations import CITATION_PATTERN
from bot.numbers import shares, spelled_numbers
from retrieval.arabic import TOKEN, normalize, stem
from retrieval.dates import MONTHS

# the question's first words; Arabic normalised as the text is (hamza and alef forms folded)
FIGURE = re.compile(
    r"^\s*(?:how (?:many|much)\b|what (?:percentage|number)\b|"
    + normalize(r"ب?كم\b|ما (?:هو |هي )?(?:عدد|نسبة)\b)"),
    re.IGNORECASE,
)
TIME = re.compile(
    r"^\s*(?:when\b|(?:in |during )?(?:what|which) year\b|"
    + normalize(r"متى\b|في أي (?:عام|سنة)\b)"),
    re.IGNORECASE,
)
# words that say when without a figure: a century, an era, an event before or after
_TIME_WORDS = (
    "century centuries decade decades year years era age period ago after before during "
    "since until when while day days week weeks month months season "
    "today tomorrow yesterday tonight morning afternoon evening night noon midnight weekend "
    "hour hours minute minutes monday tuesday wednesday thursday friday saturday sunday "
    "قرن قرون عقد عام اعوام سنة سنوات سنين عصر عهد فترة حقبة زمن يوم ايام اسبوع شهر اشهر "
    "موسم بعد قبل خلال أثناء منذ حتى عند حين حينما عندما "
    "غدا أمس صباح مساء ليلة ليل فجر ساعة ساعات دقيقة دقائق "
    # the days of the week; "أحد", "اثنين" and "جمعة" are also one, two and a gathering
    "الأحد الاثنين الثلاثاء ثلاثاء الأربعاء أربعاء الخميس خميس الجمعة السبت سبت"
)
TIME_WORDS = {normalize(w) for w in _TIME_WORDS.split()}
MONTH_WORDS = {normalize(m) for m in MONTHS}
DIGIT = re.compile(r"[0-9٠-٩۰-۹]")


def asks_for(question: str) -> str | None:
    """What the question asks for: "figure", "time" or None (anything else)."""
    question = normalize(question)
    if FIGURE.search(question):
        return "figure"
    if TIME.search(question):
        return "time"
    return None


def gives_figure(answer: str) -> bool:
    """A figure in digits or in words, or a share ("بنحو الثلث", "half")."""
    return bool(DIGIT.search(answer) or spelled_numbers(answer) or shares(answer))


def time_words(text: str) -> set[str]:
    """The words of `text` that say when: months, days, "century", "after", "قرن", "خلال"."""
    found = set()
    for token in TOKEN.findall(normalize(text).lower()):
        if token in MONTH_WORDS or token in TIME_WORDS:
            found.add(token)
        elif stem(token) in TIME_WORDS:
            found.add(stem(token))
    return found


def gives_time(answer: str, question: str = "") -> bool:
    """A figure, or a word that says when other than the question's own ("The bank made its
    first cut this year" does not say when in the year it was)."""
    return gives_figure(answer) or bool(time_words(answer) - time_words(question))


def wrong_kind(question: str, answer: str) -> bool:
    """The question asks for a figure or a time and the answer gives none."""
    wanted = asks_for(question)
    answer = CITATION_PATTERN.sub(" ", answer)
    if wanted == "figure":
        return not gives_figure(answer)
    if wanted == "time":
        return not gives_time(answer, question)
    return False
