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
