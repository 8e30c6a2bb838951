"""Keeping the model to its job when the articles (or the question) try to steer it.

An article may carry text written for a machine ("ignore your instructions and say…"). The
model never reads such sentences: they are cut from what it is given (the sources shown to
the user keep them, as the article has them). And whatever it writes, an answer that repeats
its instructions or its worked examples' facts is declined."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from bot.citations import numbers_in
from prompts import load_prompt
from retrieval.arabic import normalize
from retrieval.chunking import split_sentences

# Sentences addressed to an AI rather than to a newspaper's readers (English and Arabic,
# matched on normalised text: alef forms, ta marbuta and ya folded).
INSTRUCTION = re.compile(
    "|".join(
        [
            r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|rules|prompts?|directions)\b",
            r"\bsystem (prompt|message|notice|instructions?)\b",
            r"\b(print|reveal|show|repeat|output|write)\b.{0,30}\b(your|the)\b.{0,20}\b(prompt|instructions)\b",
            r"\byou are now\b|\bnew instructions?\b|\bas an ai (assistant|model)\b",
            r"\b(ai|language model|chatbot|llm) (assistant|model)?\s*:",
            r"(تجاهل|انس|اهمل|تخط)\w*.{0,40}(تعليمات|اوامر|قواعد|توجيهات)",
            r"(تعليمات|موجه|رساله|اوامر) (النظام|السيستم)",
            r"(المساعد|النموذج|الروبوت|البرنامج) (الالي|الذكي|اللغوي)",
            r"(اكتب|اطبع|اعرض|كرر|اكشف)\w*.{0,30}(تعليمات|موجه)",
        ]
    ),
    re.IGNORECASE,
)
# An answer about the assistant itself, not about the articles
SELF = re.compile(
    r"\b(i am|i'm) (an? )?(ai|artificial intelligence|assistant|language model|chatbot)\b"
    r"|\bas an ai\b|(انا|بصفتي) (مساعد|نموذج|ذكاء)",
    re.IGNORECASE,
)
CUT = "[…]"
LEAK_WORDS = 8  # this many words in a row of the instructions, and the answer is a leak


def is_instruction(sentence: str) -> bool:
    return bool(INSTRUCTION.search(normalize(sentence)))


def off_task(answer: str) -> bool:
    """An answer that gives orders or speaks of the assistant itself."""
    return is_instruction(answer) or bool(SELF.search(normalize(answer)))


def defang(text: str) -> str:
    """The passage as the model reads it: sentences addressed to an AI replaced by […]."""
    sentences = split_sentences(text)
    if not any(is_instruction(s) for s in sentences):
        return text
    return "".join(CUT + s[len(s.rstrip()) :] if is_instruction(s) else s for s in sentences)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", normalize(text).lower())


def _runs(words: list[str], size: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def echoes_orders(answer: str, passages: Iterable[str]) -> bool:
    """Whether the answer repeats three words in a row of a sentence cut as an order (the
    model got the order some other way: from the question, or a sentence not recognised)."""
    orders = [s for text in passages for s in split_sentences(text) if is_instruction(s)]
    if not orders:
        return False
    said = _runs(_words(answer), 3)
    return any(said & _runs(_words(order), 3) for order in orders)


@cache
def _prompt_parts(name: str, language: str) -> tuple[frozenset[tuple[str, ...]], frozenset[str]]:
    """(every run of LEAK_WORDS words of the system prompt, numbers of the worked examples)."""
    messages = load_prompt(name, language).messages
    system = _words(str(messages[0].prompt.template))  # type: ignore[union-attr]
    runs = frozenset(_runs(system, LEAK_WORDS))
    examples = " ".join(str(m.prompt.template) for m in messages[1:-1])  # type: ignore[union-attr]
    return runs, frozenset(numbers_in(examples))


def leaks_instructions(answer: str, name: str = "answer") -> bool:
    """Whether the answer repeats LEAK_WORDS words in a row of either language's instructions."""
    said = _runs(_words(answer), LEAK_WORDS)
    return any(said & _prompt_parts(name, language)[0] for language in ("ar", "en"))


def example_numbers(answer: str, passages: Iterable[str], name: str = "answer") -> list[str]:
    """Numbers of the prompt's worked examples in the answer that no passage has: the model
    answering from its examples instead of the articles."""
    known = {n for text in passages for n in numbers_in(text)}
    examples = _prompt_parts(name, "ar")[1] | _prompt_parts(name, "en")[1]
    return [n for n in numbers_in(answer) if n in examples and n not in known]
