"""The web chat: sources before the answer, warnings shown, feedback and uploads wired."""

import threading

from bot.core import Bot
from bot.ui import history_of, respond
from tests.fakes import ScriptedGenerator

AR_TRADE = "كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟"


def test_sources_are_shown_before_the_answer_and_cited_ones_after(seeded_retriever) -> None:
    bot = Bot(seeded_retriever, ScriptedGenerator("بلغت 240.1 مليار دولار [1]."))
    updates = list(respond(bot, AR_TRADE, [], turn=1))
    assert "جارٍ البحث في المقالات…" in updates[0][0] and 'dir="rtl"' in updates[0][0]
    writing = updates[1][0]
    assert "جارٍ كتابة الإجابة" in writing and ">المصادر<" in writing
    assert 'id="sanad-1-4"' in writing, "all retrieved sources are listed while writing"
    final, answer = updates[-1]
    assert answer is not None and answer.text == "بلغت 240.1 مليار دولار [1]."
    assert "000_479f4305cba7f61e.txt" in final and 'id="sanad-1-4"' not in final
    assert all(a is None for _, a in updates[:-1])


def test_a_withdrawn_draft_stays_visible_with_its_reason_and_the_sources(seeded_retriever) -> None:
    bot = Bot(seeded_retriever, ScriptedGenerator("Trade reached 250.7 billion dollars [1]."))
    updates = list(respond(bot, "How much was trade between China and Russia?", [], 1))
    drafts = [html for html, answer in updates if answer is None and "250.7" in html]
    assert drafts and all("Draft: checked against the sources" in html for html in drafts)
    final, answer = updates[-1]
    assert answer is not None and answer.refused
    assert "I could not find this in the articles." in final
    assert "<del>Trade reached 250.7 billion dollars" in final, "what the user saw stays"
    withdrawn = final.split("<del>")[1].split("</del>")[0]
    assert '<a class="cite" href="#sanad-1-1">[1]</a>' in withdrawn, "it shows what it cited"
    assert "a figure that none of the passages has" in final
    assert ">Passages found<" in final and 'id="sanad-1-4"' in final, "every source stays"


def test_bad_question_gets_a_message_not_a_crash(seeded_retriever) -> None:
    bot = Bot(seeded_retriever, ScriptedGenerator())
    final, answer = list(respond(bot, "   ", [], 1))[-1]
    assert answer is None and "The question is empty. / السؤال فارغ." in final


def test_a_friendly_message_while_the_model_loads(seeded_retriever) -> None:
    bot = Bot(seeded_retriever, ScriptedGenerator("Putin said so [1]."))
    ready = threading.Event()
    replies = respond(bot, "What did Putin say?", [], 1, ready)
    first, _ = next(replies)
    assert "language model is loading" in first
    threading.Timer(0.2, ready.set).start()
    assert "Putin said so" in list(replies)[-1][0]


def test_history_holds_finished_turns_only() -> None:
    turns = [
        {"question": "Q1", "html": "", "answer": {"answer": "A1 [1]"}},
        {"question": "Q2", "html": "", "answer": None},
    ]
    assert history_of(turns) == [
        {"role": "user", "content": "Q1"},
        {"role": "assistant", "content": "A1 [1]"},
    ]


def test_a_follow_up_shows_how_it_was_understood(seeded_retriever) -> None:
    from bot.conversation import QuestionRewriter

    standalone = "كم بلغت قيمة التجارة الصينية الروسية في عام 2022؟"
    generator = ScriptedGenerator(standalone, "بلغت 190 مليار دولار [1].")
    bot = Bot(seeded_retriever, generator, rewriter=QuestionRewriter(generator))
    history = [{"role": "user", "content": AR_TRADE}, {"role": "assistant", "content": "240.1 [1]"}]
    writing = list(respond(bot, "وفي عام 2022؟", history, 2))[1][0]
    assert f"فُهم السؤال على أنه: {standalone}" in writing


def test_a_failing_model_gets_a_message_in_the_chat(seeded_retriever) -> None:
    class Broken(ScriptedGenerator):
        def stream(self, messages, max_new_tokens=256, copy=None, no_arabic=False):
            raise RuntimeError("model file missing")

    final, answer = list(respond(Bot(seeded_retriever, Broken()), "What did Putin say?", [], 1))[-1]
    assert answer is None and "Something went wrong: model file missing" in final


def test_example_questions_come_from_the_corpus_folder_not_the_code(tmp_path) -> None:
    from bot.ui import load_examples
    from retrieval.documents import EXAMPLES_FILE, find_files

    (tmp_path / "a.txt").write_text("مقال", encoding="utf-8")
    (tmp_path / EXAMPLES_FILE).write_text("# about a.txt\nما الخبر؟\n\nWhat happened?\n", "utf-8")
    assert load_examples(tmp_path / EXAMPLES_FILE) == ["ما الخبر؟", "What happened?"]
    assert load_examples(tmp_path / "none.txt") == [], "a corpus without examples shows none"
    assert [source for _, source in find_files([tmp_path])] == ["a.txt"], "not an article"
