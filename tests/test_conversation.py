"""Follow-up questions are rewritten with the conversation before anything is retrieved."""

import pytest

from bot.conversation import QuestionRewriter, recent_turns, stands_alone
from bot.core import Bot, Sources
from tests.fakes import ScriptedGenerator

AR_2023 = "كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟"
AR_2022 = "كم بلغت قيمة التجارة الصينية الروسية في عام 2022؟"
HISTORY = [
    {"role": "user", "content": AR_2023},
    {"role": "assistant", "content": "بلغت 240.1 مليار دولار في عام 2023 [1]."},
]


def test_recent_turns_keep_the_last_pairs_without_markers() -> None:
    long_answer = "Trade grew [2] " + "and grew " * 100
    history = [
        {"role": "user", "content": "old question"},
        {"role": "assistant", "content": "old answer"},
        {"role": "user", "content": "How much was trade in 2023?"},
        {"role": "assistant", "content": "It was 240.1 billion dollars [1]."},
        {"role": "user", "content": "Why?"},
        {"role": "assistant", "content": long_answer},
    ]
    text = recent_turns(history, "en")
    assert "old question" not in text
    assert text.splitlines()[0] == "User: How much was trade in 2023?"
    assert "Sanad: It was 240.1 billion dollars ." in text and "[1]" not in text
    assert text.endswith("…") and len(text.splitlines()[-1]) < 320
    assert recent_turns(HISTORY, "ar").startswith("المستخدم: كم بلغت")


def test_the_rewrite_prompt_carries_the_history_in_the_question_language() -> None:
    generator = ScriptedGenerator(AR_2022)
    assert QuestionRewriter(generator).rewrite("وفي عام 2022؟", HISTORY) == AR_2022
    (messages,) = generator.requests
    assert messages[0]["role"] == "system" and "أعد صياغة" in messages[0]["content"]
    assert AR_2023 in messages[-1]["content"] and "وفي عام 2022؟" in messages[-1]["content"]


def test_no_history_no_rewrite() -> None:
    generator = ScriptedGenerator()
    assert QuestionRewriter(generator).rewrite("Who is Lavrov?", []) == "Who is Lavrov?"
    assert generator.requests == []


def test_unusable_rewrites_fall_back_to_the_question() -> None:
    clean = QuestionRewriter.clean
    assert clean("Standalone question: Who met Lavrov?\nextra", "Who?", "en") == "Who met Lavrov?"
    assert clean("«كم بلغت التجارة في 2022؟»", "وفي 2022؟", "ar") == "كم بلغت التجارة في 2022؟"
    assert clean("", "and in 2022?", "en") == "and in 2022?"
    assert clean("كم بلغت التجارة؟", "and in 2022?", "en") == "and in 2022?", "language kept"
    assert clean("word " * 200, "and in 2022?", "en") == "and in 2022?", "a rambling reply"


def test_a_follow_up_retrieves_what_the_rewritten_question_asks(seeded_retriever) -> None:
    # the model cites the passage of 2022 that the rewritten question finds
    found = [p.text for p in seeded_retriever.search(AR_2022)]
    n = next(i for i, text in enumerate(found, 1) if "190 مليار دولار" in text)
    generator = ScriptedGenerator(AR_2022, f"بلغت 190 مليار دولار [{n}].")
    bot = Bot(seeded_retriever, generator, rewriter=QuestionRewriter(generator))
    events = list(bot.stream("وفي عام 2022؟", HISTORY))
    sources, answer = events[0], events[-1]
    assert isinstance(sources, Sources) and sources.query == AR_2022
    assert any("190 مليار دولار" in p.text for p in sources.passages)
    assert answer.question == "وفي عام 2022؟" and answer.query == AR_2022
    assert "rewrite" in answer.timings and not answer.refused
    assert AR_2022 in generator.requests[-1][-1]["content"], "the model answers the full question"


@pytest.mark.parametrize("question, alone", [
    ("How much was China-Russia trade worth in 2023?", True),
    ("كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟", True),
    ("ما هي عاصمة الصين الاقتصادية الكبرى؟", True),  # "ما هي" asks, it points at nothing
    ("وزير الخارجية الروسي زار أي مدينة صينية؟", True),  # a word that begins with و
    ("and in 2022?", False),
    ("What about Russia?", False),
    ("What did he say about it?", False),
    ("Who is the prime minister of that country?", False),
    ("وفي عام 2022؟", False),
    ("ماذا قال عنها وزير الخارجية؟", False),
    ("ما هي عاصمتها الاقتصادية الكبرى؟", False),  # -ها: "its"
])  # fmt: skip
def test_a_follow_up_that_stands_alone_needs_no_rewrite(question: str, alone: bool) -> None:
    assert stands_alone(question) is alone
    model = ScriptedGenerator("Rewritten question about the trade?")
    history = [{"role": "user", "content": "Who visited Beijing?"},
               {"role": "assistant", "content": "Lavrov [1]."}]  # fmt: skip
    rewritten = QuestionRewriter(model).rewrite(question, history)
    assert len(model.requests) == (0 if alone else 1), "the model is asked only when needed"
    assert rewritten == question or not alone
