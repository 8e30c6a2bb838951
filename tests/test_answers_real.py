"""The real models end to end: the answers our users ask for, in their language, cited.

Greedy decoding, so each answer is the same on every run; the assertions are on content."""

import pytest

from bot.settings import Settings
from bot.wiring import build_bot

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bot(gemma_store, llama):
    """The default configuration: EmbeddingGemma's passages, e5's sentence windows."""
    return build_bot(Settings(), generator=llama, store=gemma_store)


def cited_files(answer) -> set[str]:
    return {c.passage.source for c in answer.citations}


def test_arabic_trade_figure_for_2023(bot) -> None:
    answer = bot.ask("كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟")
    assert answer.language == "ar" and not answer.refused
    assert "240.1" in answer.text and "مليار" in answer.text
    assert "000_479f4305cba7f61e.txt" in cited_files(answer)
    assert answer.unverified == []


@pytest.mark.xfail(
    strict=True,
    reason="issue 11, open: without the seed glossary the model misreads the treaty's Arabic "
    "name (answers 'arms control talks with China'); answering in Arabic first and translating "
    "did not help English answers overall (bench.reading arfirst, 72 XQuAD questions)",
)
def test_english_treaty_question_gets_new_start(bot) -> None:
    answer = bot.ask("Which arms-control treaty did Putin say Moscow would suspend?")
    assert answer.language == "en" and not answer.refused
    assert "New START" in answer.text
    assert cited_files(answer) == {"004_aa184c3cf74723ce.txt"}
    assert "ستارت" in answer.citations[0].sentence


def test_english_trade_change_cites_both_years_articles(bot) -> None:
    answer = bot.ask("How did China-Russia trade change between 2022 and 2023?")
    assert "190" in answer.text and "240.1" in answer.text
    assert {"000_479f4305cba7f61e.txt", "004_aa184c3cf74723ce.txt"} <= cited_files(answer)
    assert answer.unverified == []
    assert not any("\u0600" <= ch <= "\u06ff" for ch in answer.text), "answer is not in English"


@pytest.mark.parametrize(
    ("question", "refusal"),
    [
        ("What is the population of Brazil?", "I could not find this in the articles."),
        ("ما هو عدد سكان البرازيل؟", "لم أجد الإجابة في المقالات."),
        ("ما هي عاصمة فرنسا؟", "لم أجد الإجابة في المقالات."),
        ("Who won the 2022 World Cup?", "I could not find this in the articles."),
        ("What was China-Russia trade in 2019?", "I could not find this in the articles."),
        ("كم بلغت التجارة بين روسيا والهند في 2023؟", "لم أجد الإجابة في المقالات."),
    ],
    ids=["en-brazil", "ar-brazil", "ar-france", "en-world-cup", "en-trade-2019", "ar-india"],
)
def test_questions_the_articles_do_not_answer_are_refused(bot, question, refusal) -> None:
    answer = bot.ask(question)
    assert answer.refused and answer.text == refusal and answer.citations == []


@pytest.mark.xfail(
    strict=True,
    reason="issue 11, open: the model spells سيرجي لافروف 'Nikolay Batsyrushkin'. It did so in "
    "the web chat before too (read on from the warm-up); this test passed only because of the "
    "questions asked before it in the session. Answers no longer depend on that "
    "(bot/prompt_states.py), so the web chat, the CLI and this test read it alike",
)
def test_english_question_about_a_person_names_them_in_english(bot) -> None:
    answer = bot.ask("Who did Wang Yi meet in Moscow?")
    assert not answer.refused
    assert any(name in answer.text for name in ("Lavrov", "Patrushev", "Putin"))
    assert "004_aa184c3cf74723ce.txt" in cited_files(
        answer
    ) or "003_b3014ee5dfb3bcc9.txt" in cited_files(answer)


def test_sources_arrive_before_the_first_token(bot) -> None:
    from bot.core import Sources, Token

    kinds = [
        type(e).__name__
        for e in bot.stream("ما المعاهدة التي قال بوتين إن موسكو ستعلق مشاركتها فيها؟")
    ]
    assert kinds[0] == Sources.__name__ and kinds[1] == Token.__name__ and kinds[-1] == "Answer"


@pytest.mark.parametrize(
    ("first", "first_answer", "follow_up"),
    [
        ("How much was China-Russia trade worth in 2023?",
         "China-Russia trade reached 240.1 billion dollars in 2023 [1].", "and in 2022?"),
        ("كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟",
         "بلغت قيمة التجارة الصينية الروسية 240.1 مليار دولار في عام 2023 [1].", "وفي عام 2022؟"),
    ],
)  # fmt: skip
def test_a_follow_up_question_uses_the_conversation(bot, first, first_answer, follow_up) -> None:
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": first_answer}]
    answer = bot.ask(follow_up, history)
    assert "2022" in answer.query and ("trade" in answer.query or "التجارة" in answer.query)
    assert not answer.refused and "190" in answer.text
    assert "004_aa184c3cf74723ce.txt" in cited_files(answer)
