"""The web chat: a thin Gradio adapter over Bot.stream (no retrieval or prompting here)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.core import Answer, Bot, QuestionError, Sources, Token
from bot.language import Language, detect_language
from bot.texts import TEXT
from retrieval.documents import Passage

TITLE = "Sanad · سند"
DESCRIPTION = (
    "Ask about the news articles in Arabic or English; every answer cites its passages.  \n"
    "اسأل عن المقالات الإخبارية بالعربية أو الإنجليزية؛ كل إجابة تذكر مصادرها."
)
EXAMPLES = [
    "كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟",
    "Which arms-control treaty did Putin say Moscow would suspend?",
    "How did China-Russia trade change between 2022 and 2023?",
    "ما الذي اتفق عليه لافروف ووانغ يي في بكين؟",
]
# Each paragraph takes the direction of its own first strong letter: Arabic right-to-left,
# English left-to-right, in the same conversation.
CSS = """
.prose p, .message p, .message li, .message blockquote, button {
  unicode-bidi: plaintext; text-align: start;
}
"""


def _quote(text: str) -> str:
    return " ".join(text.split())


def render_sources(numbered: list[tuple[int, Passage, str]], language: Language) -> str:
    """The sources block: number, title, file, date, and the quoted sentence or passage."""
    if not numbered:
        return ""
    lines = [f"**{TEXT[language]['sources']}**", ""]
    for n, p, quote in numbered:
        date = f" · {p.date}" if p.date else ""
        lines += [f"**[{n}]** {p.title} — `{p.source}`{date}", f"> {_quote(quote)}", ""]
    return "\n".join(lines)


def render(text: str, language: Language, passages: list[Passage],
           answer: Answer | None = None) -> str:  # fmt: skip
    """Markdown for one reply: the answer, the unverified-number warning, then the sources
    (while writing: every retrieved passage; when done: the cited ones, sentence quoted)."""
    parts = [text]
    if answer is None:
        numbered = [(n, p, p.text) for n, p in enumerate(passages, start=1)]
    else:
        if answer.unverified:
            numbers = ", ".join(answer.unverified)
            parts.append(TEXT[language]["unverified"].format(numbers=numbers))
        numbered = [(c.n, c.passage, c.sentence) for c in answer.citations]
    parts.append(render_sources(numbered, language))
    return "\n\n".join(part for part in parts if part)


def respond(bot: Bot, message: str, history: list[dict[str, Any]]) -> Iterator[str]:
    """Stream one reply: the sources as soon as retrieval is done, then the growing answer."""
    yield TEXT[detect_language(message or "")]["searching"]
    try:
        events = bot.stream(message)
        text, passages, language = "", [], "en"
        for event in events:
            if isinstance(event, Sources):
                passages, language = event.passages, event.language
                yield render(TEXT[language]["writing"], language, passages)
            elif isinstance(event, Token):
                text += event.text
                yield render(text, language, passages)
            elif isinstance(event, Answer):
                yield render(event.text, event.language, event.passages, answer=event)
    except QuestionError as exc:
        yield str(exc)


def build_ui(bot: Bot):
    """A Gradio chat around `bot`."""
    import gradio as gr

    def chat(message: str, history: list[dict[str, Any]]) -> Iterator[str]:
        yield from respond(bot, message, history)  # a generator function: Gradio streams it

    return gr.ChatInterface(
        fn=chat,
        chatbot=gr.Chatbot(height=560, label=TITLE),
        title=TITLE,
        description=DESCRIPTION,
        examples=EXAMPLES,
        cache_examples=False,
        api_name="chat",
    )
