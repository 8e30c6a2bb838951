"""HTML for one chat message: the answer with its [n] markers as links, the unverified-number
warning, and the numbered sources with the cited sentence highlighted. Each message carries
its own direction (dir="rtl" for Arabic), so both languages read right in one conversation."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from urllib.parse import quote

from bot.citations import CITATION_PATTERN
from bot.core import Answer
from bot.language import Language, detect_language
from bot.texts import TEXT
from retrieval.dates import spoken_date
from retrieval.documents import Passage

DIRECTION = {"ar": "rtl", "en": "ltr"}


def _anchor(turn: int, n: int) -> str:
    return f"sanad-{turn}-{n}"


def _link_markers(text: str, turn: int, count: int) -> str:
    """Escaped text whose valid [n] markers link to source n of this message."""

    def link(match) -> str:
        n = int(match.group(1))
        if not 1 <= n <= count:
            return ""
        return f'<a class="cite" href="#{_anchor(turn, n)}">[{n}]</a>'

    return CITATION_PATTERN.sub(link, escape(text))


def _passage_html(passage: Passage, sentence: tuple[int, int] | None) -> str:
    """The passage, with the article span `sentence` marked when it lies inside it."""
    text = passage.text
    if sentence is not None:
        start, end = sentence[0] - passage.start, sentence[1] - passage.start
        if 0 <= start < end <= len(text):
            return (escape(text[:start]) + "<mark>" + escape(text[start:end]) + "</mark>"
                    + escape(text[end:]))  # fmt: skip
    return escape(text)


def dated(passage: Passage, language: Language) -> str:
    """ "Reuters · 9 April 2024", or "indexed 24 November 2026" for an article that gave no
    date of its own."""
    day = day_label(passage.date, passage.date_from, language)
    return f"{passage.outlet} · {day}" if passage.outlet and passage.published else day


def day_label(day: str | None, date_from: str, language: Language) -> str:
    """An article's day written out (an ISO date reads backwards in Arabic), or "indexed …"
    when the article gave none of its own."""
    spoken = spoken_date(day or None, language)
    if spoken and date_from == "ingested":
        return TEXT[language]["indexed_on"].format(date=spoken)
    return spoken


def _sources_html(
    numbered: list[tuple[int, Passage, tuple[int, int] | None]],
    language: Language,
    turn: int,
    heading: str = "sources",
) -> str:
    if not numbered:
        return ""
    items = []
    for n, p, sentence in numbered:
        date = f" · {escape(dated(p, language))}" if p.date else ""
        if p.also_in:  # the same story in other files, indexed once
            files = ", ".join(escape(f) for f in p.also_in)
            date += (f' <span class="also-in">· {TEXT[language]["also_in"]} '
                     f'<span dir="ltr">{files}</span></span>')  # fmt: skip
        start, end = sentence or (p.start, p.end)
        # opens the whole article beside the chat, at this sentence (bot/page.py's script)
        view = f"?article={quote(p.doc_id)}&amp;from={start}&amp;to={end}"
        items.append(
            f'<div class="source" id="{_anchor(turn, n)}" dir="rtl" lang="ar">'
            f'<div class="source-head"><b>[{n}]</b> {escape(p.title)}'
            f' <a class="source-open source-file" dir="ltr" href="{view}"'
            f' title="{escape(TEXT[language]["article_view"])}">{escape(p.source)}</a>{date}</div>'
            f'<blockquote dir="rtl">{_passage_html(p, sentence)}</blockquote></div>'
        )
    label = escape(TEXT[language][heading])
    title = f'<div class="sources-title">{label}</div>'
    return (f'<div class="sources" role="region" aria-label="{label}">{title}'
            f'{"".join(items)}</div>')  # fmt: skip


def _listed(items: Iterable[str], language: Language) -> str:
    """Items joined as a list is written in the language: "a, b" or "a، b"."""
    return ("، " if language == "ar" else ", ").join(items)


def message_html(
    text: str,
    language: Language,
    passages: list[Passage],
    turn: int,
    answer: Answer | None = None,
) -> str:
    """One reply: while writing, `text` so far marked as a draft, and every retrieved passage;
    when done (with `answer`), the answer, its warning, and the cited passages with their
    sentence marked. A declined answer keeps every passage found on screen, and a draft the
    verification withdrew stays visible, struck through, with the reason."""
    direction = DIRECTION[language]
    heading = "sources"
    if answer is None or answer.refused:
        numbered = [(n, p, None) for n, p in enumerate(passages, start=1)]
        heading = "sources" if answer is None else "found"
    else:
        numbered = [(c.n, c.passage, (c.sentence_start, c.sentence_end)) for c in answer.citations]
    parts = []
    if answer is None and text:
        parts.append(
            f'<div class="draft-note" role="status">{escape(TEXT[language]["draft"])}</div>'
        )
    parts.append(f'<div class="answer">{_link_markers(text, turn, len(passages))}</div>')
    if answer is not None and answer.refused and answer.draft and answer.checks:
        why = _listed((TEXT[language][f"check_{name}"] for name in answer.checks), language)
        # its markers still lead to the passages it cited, all on screen below
        withdrawn = _link_markers(answer.draft, turn, len(passages))
        parts.append(
            f'<div class="withdrawn" role="note"><del>{withdrawn}</del>'
            f"<div>{escape(TEXT[language]['withdrawn'].format(reasons=why))}</div></div>"
        )
    if answer is not None and not answer.refused and answer.corrections:
        # the draft the reader saw said another unit or currency, or left out a figure's
        # "about": say what was changed
        arrow = " ← " if language == "ar" else " → "
        said = _listed((f"{old}{arrow}{new}" for old, new in answer.corrections), language)
        note = TEXT[language]["corrected"].format(changes=said)
        parts.append(f'<div class="corrected" role="note">{escape(note)}</div>')
    if answer is not None and answer.unverified:
        warning = TEXT[language]["unverified"].format(numbers=", ".join(answer.unverified))
        parts.append(f'<div class="unverified" role="alert">{escape(warning)}</div>')
    parts.append(_sources_html(numbered, language, turn, heading))
    state = "writing" if answer is None else "refused" if answer.refused else "done"
    # the state is a class: Gradio's sanitiser drops data- attributes
    return (f'<div class="sanad-message {state}" dir="{direction}" lang="{language}">'
            f'{"".join(parts)}</div>')  # fmt: skip


def question_html(question: str) -> str:
    """The user's message, in the direction of its own language."""
    language = detect_language(question)
    return (f'<div class="sanad-question" dir="{DIRECTION[language]}" lang="{language}">'
            f"{escape(question)}</div>")  # fmt: skip


def article_html(passages: list[Passage], start: int, end: int, language: Language) -> str:
    """The whole article (put back together from its passages, by their offsets) with the
    span start..end marked, for the article view."""
    texts = TEXT[language]
    if not passages:
        return (f'<div dir="{DIRECTION[language]}"><button class="close">{texts["close"]}'
                f'</button><p>{escape(texts["no_article"])}</p></div>')  # fmt: skip
    text = ""
    for p in sorted(passages, key=lambda p: p.start):
        if p.end > len(text):  # passages overlap; what lies between them is white space
            text = text.ljust(p.start) + p.text[max(0, len(text) - p.start) :]
    first = passages[0]
    if 0 <= start < end <= len(text):
        body = (escape(text[:start]) + '<mark id="sanad-cited">' + escape(text[start:end])
                + "</mark>" + escape(text[end:]))  # fmt: skip
    else:
        body = escape(text)
    return (
        f'<div class="article-head" dir="{DIRECTION[language]}"><div><b dir="auto">'
        f'{escape(first.title)}</b><div class="source-file" dir="auto">{escape(first.source)}'
        f" · {escape(dated(first, language))}</div></div>"
        f'<button class="close" aria-label="{texts["close"]}">{texts["close"]}</button></div>'
        f'<div class="article-text" dir="rtl" lang="ar">{body}</div>'
    )


def notice_html(text: str, language: Language) -> str:
    return (f'<div class="sanad-message" dir="{DIRECTION[language]}" lang="{language}">'
            f"{escape(text)}</div>")  # fmt: skip
