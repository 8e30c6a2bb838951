"""Chat messages as HTML: direction per message, markers as links, cited sentence marked."""

from bot.core import Bot
from bot.render import message_html, question_html
from tests.fakes import ScriptedGenerator

AR_TRADE = "كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟"


def test_an_arabic_answer_is_right_to_left_with_linked_markers(seeded_retriever) -> None:
    answer = Bot(seeded_retriever, ScriptedGenerator("بلغت 240.1 مليار دولار [1].")).ask(AR_TRADE)
    html = message_html(answer.text, "ar", answer.passages, turn=3, answer=answer)
    assert html.startswith('<div class="sanad-message done" dir="rtl" lang="ar">')
    assert 'بلغت 240.1 مليار دولار <a class="cite" href="#sanad-3-1">[1]</a>.' in html
    assert 'id="sanad-3-1"' in html and "000_479f4305cba7f61e.txt" in html
    assert f"<mark>{answer.citations[0].sentence}</mark>" in html
    assert "240.1" in answer.citations[0].sentence
    assert 'id="sanad-3-2"' not in html, "only cited sources once the answer is done"


def test_while_writing_every_retrieved_source_is_listed(seeded_retriever) -> None:
    passages = seeded_retriever.search(AR_TRADE)
    html = message_html("Trade grew [2] [9]", "en", passages, turn=1)
    assert html.startswith('<div class="sanad-message writing" dir="ltr" lang="en">')
    assert len(passages) == 4
    assert all(f'id="sanad-1-{n}"' in html for n in range(1, len(passages) + 1))
    assert 'href="#sanad-1-2"' in html and "[9]" not in html, "a marker pointing nowhere is gone"
    assert "<mark>" not in html and "<b>Sources</b>" not in html and ">Sources<" in html


def test_text_is_escaped_and_questions_take_their_own_direction(seeded_retriever) -> None:
    html = message_html("<img src=x onerror=alert(1)> [1]", "en", seeded_retriever.search("x"), 1)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert question_html(AR_TRADE).startswith('<div class="sanad-question" dir="rtl" lang="ar">')
    assert 'dir="ltr"' in question_html("How much? <b>")
    assert "&lt;b&gt;" in question_html("How much? <b>")


def test_a_corrected_unit_is_said_under_the_answer(seeded_retriever) -> None:
    """The reader saw the draft say euros: the checked answer says what it changed."""
    bot = Bot(seeded_retriever, ScriptedGenerator())
    passages = seeded_retriever.search(AR_TRADE)[:1]
    written = "Trade reached 240.1 billion euros [1]."
    answer = bot.finish("How much was the trade?", "en", written, passages, {})
    html = message_html(answer.text, "en", answer.passages, turn=2, answer=answer)
    assert "240.1 billion dollars" in html and "euros" not in html.split('class="corrected"')[0]
    note = "Corrected from the sources: euros → dollars"
    assert f'<div class="corrected" role="note">{note}</div>' in html
    arabic = message_html(answer.text, "ar", answer.passages, turn=2, answer=answer)
    assert "صُحّح من المصادر: euros ← dollars" in arabic
    plain = Bot(seeded_retriever, ScriptedGenerator()).finish(
        "How much was the trade?", "en", "Trade reached 240.1 billion dollars [1].", passages, {}
    )
    assert 'class="corrected"' not in message_html(plain.text, "en", plain.passages, 2, plain)
