"""Prompt texts live in this folder as files, loaded by name and language, placeholders checked."""

from __future__ import annotations

import re
import string
from functools import cache
from pathlib import Path

from langchain_core.prompts import ChatPromptTemplate

PROMPTS_DIR = Path(__file__).resolve().parent
SECTION = re.compile(r"^\[(system|user)\]\s*$", re.MULTILINE)
# What each prompt must receive; a file asking for more or less is refused at load.
PLACEHOLDERS = {"answer": {"passages", "question"}}


class PromptError(ValueError):
    """A prompt file is missing or does not have the placeholders its code fills in."""


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@cache
def load_prompt(name: str, language: str) -> ChatPromptTemplate:
    """`prompts/<name>.<language>.txt`: a [system] section and a [user] section."""
    path = PROMPTS_DIR / f"{name}.{language}.txt"
    if not path.exists():
        raise PromptError(f"no prompt {path.name} in {PROMPTS_DIR}")
    parts = SECTION.split(path.read_text(encoding="utf-8"))
    sections = dict(zip(parts[1::2], (p.strip() for p in parts[2::2]), strict=True))
    if set(sections) != {"system", "user"}:
        raise PromptError(f"{path.name} needs a [system] and a [user] section")
    expected = PLACEHOLDERS.get(name)
    found = _fields(sections["system"]) | _fields(sections["user"])
    if expected is not None and found != expected:
        raise PromptError(
            f"{path.name} has placeholders {sorted(found)}, expected {sorted(expected)}"
        )
    return ChatPromptTemplate.from_messages(
        [("system", sections["system"]), ("human", sections["user"])]
    )
