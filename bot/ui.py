"""The web chat: Gradio Blocks as a thin adapter over Bot, Library and FeedbackStore
(no retrieval or prompting here)."""

import logging
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

from bot.access import Access
from bot.conversations import LOCAL_USER, ConversationStore
from bot.core import (
    UNAVAILABLE,
    Answer,
    Bot,
    QuestionError,
    Queued,
    Sources,
    Token,
    unavailable_code,
)
from bot.feedback import FeedbackStore
from bot.language import Language, detect_language
from bot.library import Library, UploadError
from bot.monitoring import CURRENT, RequestInfo
from bot.render import article_html, day_label, message_html, notice_html, question_html
from bot.texts import TEXT, browser_language, counted, questions_ahead
from retrieval.arabic import normalize
from retrieval.dates import FilterError, Filters
from retrieval.documents import SUPPORTED_SUFFIXES

CHATS_AT_ONCE = 16  # answers in progress or waiting for the model at once, over all sessions


def load_examples(path: Path) -> list[str]:
    """Example questions shown under the chat: one a line in `example-questions.txt` beside the
    default corpus (they belong to its articles); none when there is no such file."""
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


logger = logging.getLogger("sanad")
COLUMNS = ("col_title", "col_file", "col_date", "col_outlet", "col_passages")  # articles table


def matches(query: str, *fields: str) -> bool:
    """Whether every word of the query is in one of the fields (Arabic letter forms folded)."""
    words = normalize(query).split()
    haystack = normalize(" ".join(fields))
    return all(word in haystack for word in words)


def history_of(turns: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The finished turns as chat history for follow-up questions."""
    history = []
    for turn in turns:
        if turn.get("answer"):
            history += [{"role": "user", "content": turn["question"]},
                        {"role": "assistant", "content": turn["answer"]["answer"]}]  # fmt: skip
    return history


def respond(
    bot: Bot,
    message: str,
    history: list[dict[str, str]],
    turn: int,
    ready: threading.Event | None = None,
    filters: Filters | None = None,
) -> Iterator[tuple[str, Answer | None]]:
    """Stream one reply as HTML: a notice, the sources once retrieval is done, the growing
    answer, and finally the checked answer with its cited sentences (and the Answer)."""
    language: Language = detect_language(message or "")
    if ready is not None and not ready.is_set():
        yield notice_html(TEXT[language]["loading"], language), None
        ready.wait()
    yield notice_html(TEXT[language]["searching"], language), None
    try:
        events = bot.stream(message, history, filters)
        # Stop (or a closed tab) closes this generator: close the bot's stream with it, so
        # the model stops writing at once and is free for the next question
        with closing(events):
            yield from _render(events, message, turn)
    except QuestionError as exc:
        yield notice_html(str(exc), language), None
    except UNAVAILABLE as exc:
        logger.warning("%s", exc)
        yield notice_html(TEXT[language][unavailable_code(exc)], language), None
    except Exception as exc:  # the model or the index failed: say so in the chat, keep serving
        yield notice_html(TEXT[language]["error"].format(error=exc), language), None


def _render(events: Iterator, message: str, turn: int) -> Iterator[tuple[str, Answer | None]]:
    """Each event of the bot's stream as the reply's HTML so far."""
    text, passages, language = "", [], detect_language(message)
    for event in events:
        if isinstance(event, Sources):
            passages, language = event.passages, event.language
            notice = TEXT[language]["writing"]
            if event.query != message.strip():  # a follow-up: say how it was understood
                understood = TEXT[language]["searching_for"].format(query=event.query)
                notice = f"{understood}\n{notice}"
            yield message_html(notice, language, passages, turn), None
        elif isinstance(event, Queued):
            yield (
                message_html(questions_ahead(event.ahead, language), language, passages, turn),
                None,
            )
        elif isinstance(event, Token):
            text += event.text
            yield message_html(text, language, passages, turn), None
        elif isinstance(event, Answer):
            html = message_html(event.text, event.language, event.passages, turn, event)
            yield html, event


def chatbot_value(turns: list[dict[str, Any]]) -> list[dict[str, str]]:
    messages = []
    for turn in turns:
        messages += [{"role": "user", "content": question_html(turn["question"])},
                     {"role": "assistant", "content": turn["html"]}]  # fmt: skip
    return messages


def _request_language(request: Any) -> Language:
    headers = getattr(request, "headers", None) or {}
    return browser_language(headers.get("accept-language"))


def build_ui(
    bot: Bot,
    library: Library,
    feedback: FeedbackStore,
    exports_dir: Path,
    ready: threading.Event | None = None,
    examples: list[str] | None = None,
    access: Access | None = None,
    conversations: ConversationStore | None = None,
):
    """The web chat around `bot`: chat with sources and feedback, and an articles tab (adding
    articles: for the editors named in `access`, everyone on an open install)."""
    import gradio as gr

    access = access or Access()

    i18n = gr.I18n(en=TEXT["en"], ar=TEXT["ar"])

    # Stop pressed, per browser session. Stop does not cancel the Gradio event (a cancel
    # races with the event's own end and can leave it marked failed): the answer being written
    # sees the flag at its next word, closes the bot's stream (the model stops and is free at
    # once) and ends as any answer does.
    stops: dict[str, threading.Event] = {}

    def chat_turn(message: str, turns: list[dict[str, Any]], start: str, end: str,
                  outlet: str | None, request: gr.Request):  # fmt: skip
        if not (message or "").strip():
            return
        try:
            filters = Filters.parse(start, end, outlet) or None
        except FilterError as exc:
            language = detect_language(message)
            turn = {"question": message.strip(), "html": notice_html(str(exc), language),
                    "answer": None}  # fmt: skip
            yield chatbot_value([*turns, turn]), turns, message  # the question stays in the box
            return
        history, turn = history_of(turns), {"question": message.strip(), "html": "", "answer": None}
        turns = [*turns, turn]
        session = request.session_hash or ""
        stopped = stops[session] = threading.Event()
        # for the answer's log line; set again after each yield, as Gradio may resume this
        # generator in another thread (and context)
        info = RequestInfo(
            f"chat-{session}", request.username, getattr(request.client, "host", None)
        )
        CURRENT.set(info)
        try:
            with closing(respond(bot, message, history, len(turns), ready, filters)) as replies:
                for html, answer in replies:
                    if stopped.is_set():
                        language = detect_language(turn["question"])
                        turn["html"] += notice_html(TEXT[language]["stopped"], language)
                        yield chatbot_value(turns), turns, ""
                        return
                    turn["html"] = html
                    if answer is not None:
                        turn["answer"] = answer.to_dict()
                    yield chatbot_value(turns), turns, ""
                    CURRENT.set(info)
        finally:
            stops.pop(session, None)  # one flag per answer being written, not per session ever

    def stop_turn(request: gr.Request) -> None:
        if (stopped := stops.get(request.session_hash or "")) is not None:
            stopped.set()

    def answering(busy: bool):
        """While an answer is written, Stop stands where Ask was, and the question box takes
        no new question (one sent meanwhile would wait unseen behind this one)."""
        return gr.update(visible=not busy), gr.update(visible=busy), gr.update(interactive=not busy)

    def clear():
        return [], [], None, gr.update(visible=False), "", None

    def user_of(request: gr.Request) -> str:
        return request.username or LOCAL_USER

    def listed(user: str, selected: str | None = None):
        if conversations is None:
            return gr.update()
        choices = [(c.label(), c.id) for c in conversations.list(user)]
        return gr.update(choices=choices, value=selected)

    def keep(turns: list[dict[str, Any]], conversation: str | None, request: gr.Request):
        """After each answer: the conversation so far is saved for this user."""
        if conversations is None or not turns or not turns[-1].get("html"):
            return conversation, gr.update()
        user = user_of(request)
        conversation = conversations.save(user, turns, conversation)
        return conversation, listed(user, conversation)

    def reopen(conversation: str | None, request: gr.Request):
        turns = conversations.load(user_of(request), conversation) if conversation else None
        if not turns:
            return gr.update(), gr.update(), gr.update(), ""
        return chatbot_value(turns), turns, conversation, ""

    def forget(conversation: str | None, current: str | None, request: gr.Request):
        language = _request_language(request)
        user = user_of(request)
        if not conversation or not conversations.delete(user, conversation):
            return gr.update(), gr.update(), gr.update(), gr.update(), ""
        note = TEXT[language]["conversation_deleted"]
        if conversation == current:  # the open one: the chat is emptied with it
            return listed(user), [], [], None, note
        return listed(user), gr.update(), gr.update(), current, note

    def rate(turns: list[dict[str, Any]], data: gr.LikeData, request: gr.Request):
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        turn = turns[index // 2] if 0 <= index // 2 < len(turns) else None
        if not turn or not turn.get("answer"):
            return None, gr.update(visible=False), ""
        language = turn["answer"]["language"]
        liked = data.liked is True or data.liked == "Like"
        feedback_id = feedback.add(turn["answer"], liked=liked, user=request.username)
        note = TEXT[language]["thanks_up" if liked else "thanks_down"]
        return feedback_id, gr.update(visible=True), note

    def send_comment(feedback_id: int | None, text: str, request: gr.Request):
        language = _request_language(request)
        if feedback_id is None or not (text or "").strip():
            return gr.update(), ""
        feedback.comment(feedback_id, text)
        return gr.update(value=""), TEXT[language]["comment_saved"]

    def articles_table(language: Language = "en", query: str = "") -> dict[str, Any]:
        # Gradio's I18n does not reach a table's headers: they are set per browser language
        headers = [TEXT[language][k] for k in COLUMNS]
        try:
            rows = [[a.title, a.file, day_label(a.date, a.date_from, language), a.outlet,
                     a.passages] for a in library.articles()
                    if matches(query, a.title, a.file, a.outlet)]  # fmt: skip
        except UNAVAILABLE:  # the Chroma server is down: an empty list until it is back
            rows = []
        return {"headers": headers, "data": rows}

    def removable(request: gr.Request):
        if not access.may_edit(request.username):
            return gr.update(visible=False), gr.update()
        try:
            choices = [(f"{a.title} — {a.file}", a.file) for a in library.articles()]
        except UNAVAILABLE:
            choices = []
        return gr.update(visible=True), gr.update(choices=choices, value=None)

    def ask_removal(source: str | None, request: gr.Request):
        language = _request_language(request)
        found = next((a for a in library.articles() if a.file == source), None)
        if found is None or not access.may_edit(request.username):
            return gr.update(visible=False), ""
        note = TEXT[language]["confirm_remove"].format(
            title=found.title, file=found.file,
            passages=counted(found.passages, "passage", language))  # fmt: skip
        return gr.update(visible=True), note

    def remove_article(source: str | None, query: str, request: gr.Request):
        language = _request_language(request)
        if not access.may_edit(request.username):  # hidden from others; a script may not
            return gr.update(visible=False), TEXT[language]["editors_only"], gr.update()
        try:
            gone = library.remove(source or "")
        except UploadError as exc:
            return gr.update(visible=False), str(exc), articles_table(language, query)
        note = TEXT[language]["removed"].format(title=gone.title, file=gone.file)
        return gr.update(visible=False), note, articles_table(language, query)

    def search_articles(query: str, request: gr.Request):
        return articles_table(_request_language(request), query)

    def article_view(doc_id: str, start: int, end: int, language: str = "en") -> str:
        """The whole article, its cited sentence (article offsets start..end) marked."""
        language = "ar" if language == "ar" else "en"
        return article_html(library.store.where(doc_id=doc_id), int(start), int(end), language)

    def outlet_choices(language: Language) -> dict[str, Any]:
        try:
            outlets = library.outlets()
        except UNAVAILABLE:
            outlets = []
        return gr.update(choices=[(TEXT[language]["any_outlet"], ""), *outlets])

    def show_articles(request: gr.Request):
        editor, language = access.may_edit(request.username), _request_language(request)
        note = "" if editor else TEXT[language]["editors_only"]
        return (articles_table(language), gr.update(visible=editor),
                gr.update(visible=editor), note, listed(user_of(request)),
                outlet_choices(language))  # fmt: skip

    def add_articles(
        files: list[str] | None,
        request: gr.Request,
        progress=gr.Progress(),  # noqa: B008 - Gradio's way of asking for a progress bar
    ):
        language = _request_language(request)
        texts = TEXT[language]
        if not access.may_edit(request.username):  # the page hides the button; a script may not
            return texts["editors_only"], articles_table(language)
        if not files:
            return texts["no_files"], articles_table(language)

        def report_progress(stage: str, done: int, total: int, name: str) -> None:
            label = texts["reading" if stage == "read" else "indexing"]
            progress((done, total), desc=label.format(name=name) if name else None)

        try:
            report = library.add(files, progress=report_progress)
        except UploadError as exc:
            return str(exc), articles_table(language)
        except UNAVAILABLE as exc:  # the copy is kept in uploads; adding again finishes it
            return texts[unavailable_code(exc)], articles_table(language)
        lines = [texts["added"].format(
            added=len(report.added), replaced=len(report.replaced),
            unchanged=len(report.unchanged), seconds=report.seconds,
            passages=counted(report.passages, "passage", language),
        )]  # fmt: skip
        if report.duplicates or report.near_duplicates:
            copies = [f"- {copy} = {original}" for copy, original in report.duplicates]
            copies += [f"- {copy} ≈ {original}" for copy, original in report.near_duplicates]
            lines += ["", texts["duplicates"], *copies]
        if report.errors:
            lines += ["", texts["upload_errors"], *(f"- {e}" for e in report.errors)]
        return "\n".join(lines), articles_table(language)

    def export(request: gr.Request):
        language = _request_language(request)
        target, count = feedback.export_new(exports_dir)
        return str(target), TEXT[language]["exported"].format(
            count=counted(count, "question", language)
        )

    def api_ask(question: str, history: list[dict[str, str]] | None = None) -> dict[str, Any]:
        """Answer `question` (history: earlier turns as {"role", "content"}); JSON as /api/ask."""
        if ready is not None:
            ready.wait()
        return bot.ask(question, history or []).to_dict()

    with gr.Blocks(title="Sanad · سند") as demo:
        gr.Markdown(f"# {TEXT['en']['title']}")
        gr.Markdown(i18n("intro"), elem_classes=["sanad-intro"])
        loading = gr.Markdown(visible=ready is not None and not ready.is_set(),
                              value=i18n("loading"), elem_id="sanad-loading")  # fmt: skip
        turns = gr.State([])
        feedback_id = gr.State(None)
        conversation = gr.State(None)  # the id of the open conversation, once it is saved
        with gr.Tab(i18n("chat")):
            # no label or toolbar over the messages (on a phone they covered the first one);
            # each message keeps its own copy button, which copies it as text (bot/page.py)
            chatbot = gr.Chatbot(height=560, label=i18n("chat"), show_label=False,
                                 elem_id="sanad-chat", buttons=["copy"],
                                 feedback_options=("Like", "Dislike"))  # fmt: skip
            # the comment box after 👎 opens under the messages, not at the page's foot
            note = gr.Markdown(elem_id="sanad-feedback-note")
            with gr.Row(visible=False) as comment_row:
                comment = gr.Textbox(label=i18n("comment"), scale=8, elem_id="sanad-comment")
                comment_button = gr.Button(i18n("send_comment"), scale=1)
            with gr.Row():
                box = gr.Textbox(placeholder=i18n("placeholder"), show_label=False, scale=8,
                                 elem_id="sanad-question", rtl=False)  # fmt: skip
                send = gr.Button(i18n("send"), variant="primary", scale=1, elem_id="sanad-send")
                stop = gr.Button(i18n("stop"), variant="stop", scale=1, visible=False,
                                 elem_id="sanad-stop")  # fmt: skip
                clear_button = gr.Button(i18n("clear"), scale=1, elem_id="sanad-clear")
            if examples:
                gr.Examples(examples, inputs=box, label=i18n("examples"))
            with gr.Accordion(i18n("filters"), open=False, elem_id="sanad-filters"), gr.Row():
                start = gr.Textbox(label=i18n("from_day"), elem_id="sanad-from", max_lines=1)
                end = gr.Textbox(label=i18n("to_day"), elem_id="sanad-to", max_lines=1)
                outlet = gr.Dropdown(choices=[(TEXT["en"]["any_outlet"], "")], value="",
                                     label=i18n("outlet"),
                                     elem_id="sanad-outlet", interactive=True)  # fmt: skip
            with gr.Accordion(i18n("conversations"), open=False, visible=conversations is not None,
                              elem_id="sanad-conversations"):  # fmt: skip
                with gr.Row():
                    picker = gr.Dropdown(choices=[], label=i18n("conversations"), scale=6,
                                         show_label=False, elem_id="sanad-picker",
                                         interactive=True)  # fmt: skip
                    open_button = gr.Button(i18n("open"), scale=1, elem_id="sanad-open")
                    delete_button = gr.Button(i18n("delete"), scale=1, variant="stop",
                                              elem_id="sanad-delete")  # fmt: skip
                conversation_note = gr.Markdown(elem_id="sanad-conversation-note")
        with gr.Tab(i18n("articles")):
            upload = gr.File(label=i18n("upload"), file_count="multiple", elem_id="sanad-upload",
                             file_types=list(SUPPORTED_SUFFIXES))  # fmt: skip
            add_button = gr.Button(i18n("add"), variant="primary", elem_id="sanad-add")
            upload_report = gr.Markdown(elem_id="sanad-upload-report")
            search = gr.Textbox(label=i18n("search_articles"), elem_id="sanad-search",
                                max_lines=1)  # fmt: skip
            table = gr.Dataframe(
                headers=[TEXT["en"][k] for k in COLUMNS],
                label=i18n("indexed"),
                elem_id="sanad-articles",
                interactive=False,
                wrap=True,
                # wide enough to read on a desktop; on a phone the table scrolls sideways
                column_widths=["300px", "210px", "150px", "110px", "80px"],
                max_height=800,
            )
            with gr.Row(visible=False, elem_id="sanad-removal") as removal:
                # the list is the session's (filled on load); the name is checked on removal
                doomed = gr.Dropdown(choices=[], label=i18n("remove_which"), scale=6,
                                     elem_id="sanad-remove-which", interactive=True,
                                     allow_custom_value=True)  # fmt: skip
                remove_button = gr.Button(i18n("remove"), variant="stop", scale=2,
                                          elem_id="sanad-remove")  # fmt: skip
            with gr.Row(visible=False, elem_id="sanad-confirm") as confirm_row:
                confirm_note = gr.Markdown(elem_id="sanad-confirm-note")
                confirm_button = gr.Button(i18n("confirm"), variant="stop", scale=1,
                                           elem_id="sanad-confirm-remove")  # fmt: skip
                cancel_button = gr.Button(i18n("cancel"), scale=1, elem_id="sanad-cancel")
            with gr.Accordion(i18n("feedback"), open=False):
                export_button = gr.Button(i18n("export"))
                export_note = gr.Markdown()
                export_file = gr.File(interactive=False, show_label=False, elem_id="sanad-export")

        for trigger in (box.submit, send.click):
            trigger(
                lambda: answering(True),
                None,
                [send, stop, box],
                queue=False,
                api_visibility="private",
            ).then(
                # chats at once go on to the bot, which tells each its place in the model's
                # line (Gradio's own queue, one at a time by default, would say nothing)
                chat_turn, [box, turns, start, end, outlet], [chatbot, turns, box],
                api_visibility="private",
                concurrency_limit=CHATS_AT_ONCE, concurrency_id="chat",
            ).then(
                keep, [turns, conversation], [conversation, picker], queue=False,
                api_visibility="private",
            ).then(
                lambda: answering(False), None, [send, stop, box], queue=False,
                api_visibility="private")  # fmt: skip
        stop.click(stop_turn, None, None, queue=False, api_visibility="private")
        cleared = [chatbot, turns, feedback_id, comment_row, note, conversation]
        clear_button.click(clear, None, cleared, api_visibility="private")
        open_button.click(reopen, [picker], [chatbot, turns, conversation, conversation_note],
                          api_visibility="private")  # fmt: skip
        delete_button.click(forget, [picker, conversation],
                            [picker, chatbot, turns, conversation, conversation_note],
                            api_visibility="private")  # fmt: skip
        chatbot.like(rate, [turns], [feedback_id, comment_row, note], api_visibility="private")
        comment_button.click(send_comment, [feedback_id, comment], [comment, note],
                             api_visibility="private")  # fmt: skip
        add_button.click(
            add_articles, [upload], [upload_report, table], api_visibility="private"
        ).then(removable, None, [removal, doomed], api_visibility="private")
        search.change(search_articles, [search], [table], api_visibility="private")
        remove_button.click(ask_removal, [doomed], [confirm_row, confirm_note],
                            api_visibility="private")  # fmt: skip
        cancel_button.click(lambda: gr.update(visible=False), None, [confirm_row],
                            api_visibility="private")  # fmt: skip
        confirm_button.click(
            remove_article,
            [doomed, search],
            [confirm_row, upload_report, table],
            api_visibility="private",
        ).then(removable, None, [removal, doomed], api_visibility="private")
        export_button.click(export, None, [export_file, export_note], api_visibility="private")
        demo.load(show_articles, None,
                  [table, upload, add_button, upload_report, picker, outlet],
                  api_visibility="private")  # fmt: skip
        if ready is not None and not ready.is_set():
            timer = gr.Timer(1.0)
            timer.tick(
                lambda: (
                    gr.update(visible=not ready.is_set()),
                    gr.Timer(active=not ready.is_set()),
                ),  # fmt: skip
                None,
                [loading, timer],
                api_visibility="private",
            )
        demo.load(removable, None, [removal, doomed], api_visibility="private")
        gr.api(api_ask, api_name="ask")
        gr.api(article_view, api_name="article")
    return demo, i18n
