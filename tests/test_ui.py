"""The web chat: sources before the answer, warnings shown; served and called over HTTP."""

import socket

from bot.core import Bot
from bot.ui import build_ui, respond
from tests.fakes import ScriptedGenerator

AR_TRADE = "كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟"


def test_sources_are_shown_before_the_answer_and_cited_ones_after(seeded_retriever) -> None:
    bot = Bot(seeded_retriever, ScriptedGenerator("بلغت 240.1 مليار دولار [1]."))
    updates = list(respond(bot, AR_TRADE, []))
    assert updates[0] == "جارٍ البحث في المقالات…"
    assert updates[1].startswith("جارٍ كتابة الإجابة") and "**المصادر**" in updates[1]
    assert "[4]" in updates[1], "all retrieved sources are listed while the answer is written"
    final = updates[-1]
    assert final.startswith("بلغت 240.1 مليار دولار [1].")
    assert "**[1]**" in final and "000_479f4305cba7f61e.txt" in final and "[4]" not in final


def test_unverified_numbers_are_warned_about(seeded_retriever) -> None:
    bot = Bot(seeded_retriever, ScriptedGenerator("Trade reached 250.7 billion dollars [1]."))
    final = list(respond(bot, "How much was trade between China and Russia?", []))[-1]
    assert "Unverified" in final and "250.7" in final


def test_bad_question_gets_a_message_not_a_crash(seeded_retriever) -> None:
    bot = Bot(seeded_retriever, ScriptedGenerator())
    assert list(respond(bot, "   ", []))[-1] == "The question is empty. / السؤال فارغ."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_chat_is_served_and_answers_over_http(seeded_retriever) -> None:
    from gradio_client import Client

    bot = Bot(seeded_retriever, ScriptedGenerator("بلغت 240.1 مليار دولار [1]."))
    demo = build_ui(bot)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        reply = client.predict(AR_TRADE, api_name="/chat")
        assert "240.1" in reply and "000_479f4305cba7f61e.txt" in reply
    finally:
        demo.close()
