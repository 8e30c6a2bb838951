"""Follow-up questions: rewrite "and in 2022?" into a question that stands on its own,
using the conversation so far, before anything is retrieved."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.citations import CITATION_PATTERN
from bot.generation import Generator
from bot.language import detect_language
from prompts import chat_messages

# Earlier turns, oldest first: {"role": "user" | "assistant", "content": "..."}.
History = Sequence[Mapping[str, str]]

SPEAKERS = {
    "en": {"user": "User", "assistant": "Sanad"},
    "ar": {"user": "المستخدم", "assistant": "سند"},
}
# What a small model sometimes puts before its rewrite, though asked not to.
_LEAD_IN = re.compile(
    r"^\s*(?:standalone question|rewritten question|question|السؤال(?: الأخير| المستقل)?)"
    r"\s*[:：]\s*",
    re.IGNORECASE,
)
_QUOTES = "\"'«»“”"


def recent_turns(history: History, language: str, max_turns: int = 2, max_chars: int = 300) -> str:
    """The last `max_turns` question/answer pairs as plain lines, answers without their
    citation markers and cut to `max_chars` (the model needs the topic, not the details)."""
    speakers = SPEAKERS["ar" if language == "ar" else "en"]
    lines = []
    for turn in list(history)[-2 * max_turns :]:
        role, content = turn.get("role"), " ".join(str(turn.get("content", "")).split())
        if role not in speakers or not content:
            continue
        content = CITATION_PATTERN.sub("", content).strip()
        if len(content) > max_chars:
            content = content[:max_chars].rsplit(" ", 1)[0] + "…"
        lines.append(f"{speakers[role]}: {content}")
    return "\n".join(lines)


# Words that lean on an earlier turn: pronouns, demonstratives, "also", "then"…
_REFERRING = {
    "en": frozenset([
        "it", "its", "it's", "itself", "they", "them", "their", "theirs", "he", "him",
        "his", "she", "her", "hers", "this", "that", "these", "those", "there", "then",
        "also", "same", "former", "latter", "one", "ones", "such"
    ]),
    "ar": frozenset([
        "هو", "هي", "هم", "هما", "هن", "ذلك", "تلك", "هذا", "هذه", "هؤلاء", "هناك",
        "هنالك", "أيضا", "ايضا", "نفسه", "نفسها", "عنه", "عنها", "عنهم", "فيه", "فيها",
        "فيهم", "له", "لها", "لهم", "منه", "منها", "منهم", "به", "بها", "بهم", "إليه",
        "إليها", "اليه", "اليها", "عليه", "عليها", "بعده", "بعدها", "قبله", "قبلها",
        "معه", "معها", "الأخير", "الأخيرة", "الاخير"
    ]),
}  # fmt: skip
_CONTINUING = re.compile(
    r"^\s*(?:(?:and|but|what about|how about|or|so|أو|او|لكن|ماذا عن)\b"
    r"|و(?=ماذا|في|كم|متى|من|ما|هل|أين|اين|لماذا|كيف|عن|ال|بعد|قبل))",  # "وفي 2022؟"
    re.IGNORECASE,
)
_ASKING = re.compile(r"\b(ما|من|ماذا)\s+(?:هو|هي|هم)\b")  # "ما هي…": a question word, no pointer
_ATTACHED = re.compile(r"\w{2,}(?:ها|هم|هما|هن)$")  # an Arabic word with "her/its/their" attached
_WORD = re.compile(r"\w+")


def stands_alone(question: str, min_words: int = 4) -> bool:
    """Whether a follow-up can be searched as it is, without asking the model to rewrite it
    with the conversation (6–27 s before any source under load): long enough, not opening
    with "and…"/"what about…", and nothing in it that points back (it, they, that, هذا,
    عنها, an attached -ها/-هم). Errs towards the rewrite: a question that stands alone but
    looks otherwise costs only time."""
    language = "ar" if detect_language(question) == "ar" else "en"
    words = [w.lower() for w in _WORD.findall(_ASKING.sub(r"\1", question))]
    if len(words) < min_words or _CONTINUING.match(question):
        return False
    if any(w in _REFERRING[language] for w in words):
        return False
    return language != "ar" or not any(_ATTACHED.fullmatch(w) for w in words)


class QuestionRewriter:
    """Condenses the conversation and a follow-up into one standalone question."""

    def __init__(self, generator: Generator, max_new_tokens: int = 64) -> None:
        self.generator = generator
        self.max_new_tokens = max_new_tokens

    def rewrite(self, question: str, history: History | None) -> str:
        """The standalone question; `question` itself when there is no history, or when the
        model's rewrite is unusable (empty, another language, far longer than asked)."""
        language = detect_language(question)
        turns = recent_turns(history or [], language)
        if not turns or not any(t.get("role") == "user" for t in history or []):
            return question
        if stands_alone(question):
            return question
        reply = self.generator.generate(
            chat_messages("condense", language, history=turns, question=question),
            max_new_tokens=self.max_new_tokens,
        )
        return self.clean(reply, question, language)

    def warm_up(self, language: str) -> None:
        """Read the fixed part of the rewrite prompt once, so that it stays cached."""
        self.generator.generate(
            chat_messages("condense", language, history="?", question="?"), max_new_tokens=1
        )

    @staticmethod
    def clean(reply: str, question: str, language: str) -> str:
        lines = [line for line in reply.strip().splitlines() if line.strip()]
        if not lines:
            return question
        rewritten = _LEAD_IN.sub("", lines[0]).strip().strip(_QUOTES).strip()
        if not rewritten or detect_language(rewritten) != language:
            return question
        if len(rewritten) > max(200, 4 * len(question)):
            return question
        return rewritten
