"""Prompt texts live in this folder as files, loaded by name and language, placeholders checked."""

from __future__ import annotations

import re
import string
from functools import cache
from pathlib import Path

from langchain_core.prompts import ChatPromptTemplate

PROMPTS_DIR = Path(__file__).resolve().parent
SECTION = re.compile(r"^\[(system|user|assistant)\]\s*$", re.MULTILINE)
# What each prompt must receive; a file asking for more or less is refused at load.
PLACEHOLDERS = {
    "answer": {"passages", "question"},
    "condense": {"history", "question"},
    "read": {"passages", "question"},
    "copy": {"passages", "question"},
}


class PromptError(ValueError):
    """A prompt file is missing or does not have the placeholders its code fills in."""


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@cache
def load_prompt(name: str, language: str) -> ChatPromptTemplate:
    """`prompts/<name>.<language>.txt`: a [system] section, optional worked examples as
    [user]/[assistant] pairs, and a last [user] section with the placeholders."""
    path = PROMPTS_DIR / f"{name}.{language}.txt"
    if not path.exists():
        raise PromptError(f"no prompt {path.name} in {PROMPTS_DIR}")
    parts = SECTION.split(path.read_text(encoding="utf-8"))
    sections = list(zip(parts[1::2], (p.strip() for p in parts[2::2]), strict=True))
    roles = [role for role, _ in sections]
    if not roles or roles[0] != "system" or roles[-1] != "user" or "system" in roles[1:]:
        raise PromptError(f"{path.name} needs a [system] section first and a [user] section last")
    expected = PLACEHOLDERS.get(name)
    found = _fields(sections[-1][1])
    if expected is not None and found != expected:
        raise PromptError(
            f"{path.name} has placeholders {sorted(found)}, expected {sorted(expected)}"
        )
    if any(_fields(text) for _, text in sections[:-1]):
        raise PromptError(f"{path.name}: only the last [user] section may have placeholders")
    messages = [("system", sections[0][1])]
    for role, text in sections[1:-1]:
        # worked examples are fixed text: braces in them are not placeholders
        messages.append((_ROLE[role], text.replace("{", "{{").replace("}", "}}")))
    messages.append(("human", sections[-1][1]))
    return ChatPromptTemplate.from_messages(messages)


_ROLE = {"user": "human", "assistant": "ai"}
_CHAT_ROLE = {"system": "system", "human": "user", "ai": "assistant"}


def chat_messages(name: str, language: str, **values: str) -> list[dict[str, str]]:
    """The prompt `name` filled in, as chat messages ({"role", "content"}) for a generator."""
    rendered = load_prompt(name, language).invoke(values)
    return [{"role": _CHAT_ROLE[m.type], "content": str(m.content)} for m in rendered.to_messages()]
