"""The Bot with a scripted generator: sources first, markers checked, refusals, numbers."""

import threading
import time
from dataclasses import replace

import pytest

from bot.citations import REFUSALS, numbers_in
from bot.copying import fold
from bot.core import Answer, Bot, QuestionError, Sources, Token
from retrieval.documents import Passage
from retrieval.search import HybridRetriever
from tests.fakes import ResamplingGenerator, ScriptedGenerator, UnsureOneAtATime, one_article

AR_TRADE = "كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟"


def make_bot(retriever: HybridRetriever, *replies: str) -> tuple[Bot, ScriptedGenerator]:
    generator = ScriptedGenerator(*replies)
    return Bot(retriever, generator), generator


def test_sources_come_before_the_first_token_and_the_answer_last(seeded_retriever) -> None:
    bot, _ = make_bot(seeded_retriever, "بلغت 240.1 مليار دولار [1].")
    events = list(bot.stream(AR_TRADE))
    assert isinstance(events[0], Sources) and len(events[0].passages) == 4
    assert all(isinstance(e, Token) for e in events[1:-1]) and len(events) > 3
    answer = events[-1]
    assert isinstance(answer, Answer)
    assert "".join(e.text for e in events[1:-1]) == answer.text == "بلغت 240.1 مليار دولار [1]."
    assert answer.language == "ar" and not answer.refused and answer.unverified == []
    assert answer.citations[0].passage.source.startswith("000_")
    assert "240.1" in answer.citations[0].sentence
    assert {"retrieval", "first_token", "total"} <= set(answer.timings)


def test_the_prompt_numbers_the_passages_and_is_in_the_question_language(seeded_retriever) -> None:
    bot, generator = make_bot(seeded_retriever, "x [1]", "y [1]")
    bot.ask(AR_TRADE)
    bot.ask("How much was China-Russia trade in 2023?")
    arabic, english = generator.requests
    assert arabic[0]["role"] == "system" and "تجيب بالعربية" in arabic[0]["content"]
    assert english[0]["role"] == "system" and "answer in English" in english[0]["content"]
    for messages, question in ((arabic, AR_TRADE), (english, "How much was China")):
        last = messages[-1]
        assert last["role"] == "user" and question in last["content"]
        assert "[1] " in last["content"] and "[4] " in last["content"]
        examples = [m["role"] for m in messages[1:-1]]  # worked examples: user/assistant pairs
        assert examples and examples == ["user", "assistant"] * (len(examples) // 2)


def test_a_marker_pointing_nowhere_is_dropped(seeded_retriever) -> None:
    bot, _ = make_bot(seeded_retriever, "بلغت 240.1 مليار دولار [1][9].")
    answer = bot.ask(AR_TRADE)
    assert answer.text == "بلغت 240.1 مليار دولار [1]."
    assert [c.n for c in answer.citations] == [1]


def test_an_answer_without_citations_gets_its_best_passage(seeded_retriever) -> None:
    bot, _ = make_bot(seeded_retriever, "بلغت التجارة الصينية الروسية 240.1 مليار دولار")
    answer = bot.ask(AR_TRADE)
    assert answer.text.endswith("]") and len(answer.citations) == 1
    assert "240.1" in answer.citations[0].passage.text


def test_a_refusal_is_given_in_the_question_language_without_sources(seeded_retriever) -> None:
    bot, _ = make_bot(
        seeded_retriever, "I could not find this in the articles.", "I could not find this"
    )
    answer = bot.ask("ما هو عدد سكان البرازيل؟")
    assert (
        answer.refused and answer.text == "لم أجد الإجابة في المقالات." and answer.citations == []
    )
    answer = bot.ask("What is the population of Brazil?")
    assert answer.refused and answer.text == "I could not find this in the articles."


def test_a_number_in_no_passage_declines_and_keeps_the_draft_and_sources(seeded_retriever) -> None:
    bot, _ = make_bot(seeded_retriever, "بلغت 250.7 مليار دولار في عام 2023 [1].")
    answer = bot.ask(AR_TRADE)
    assert answer.refused and answer.text == "لم أجد الإجابة في المقالات."
    assert answer.checks == ["numbers"], "2023 is in the passages, 250.7 in none"
    assert answer.draft == "بلغت 250.7 مليار دولار في عام 2023 [1]."
    assert len(answer.passages) == 4, "the sources found stay, for the user to read"
    assert answer.to_dict()["checks_failed"] == ["numbers"]


def test_a_number_of_another_article_than_the_cited_one_is_flagged(seeded_retriever) -> None:
    bot, generator = make_bot(seeded_retriever)
    sources = bot.retriever.search(AR_TRADE)
    known = {n for p in sources if p.doc_id == sources[0].doc_id for n in numbers_in(p.text)}
    other = next(n for p in sources if p.doc_id != sources[0].doc_id
                 for n in numbers_in(p.text) if n not in known)  # fmt: skip
    generator.enqueue(f"بلغت قيمة التجارة {other} [1].")
    answer = bot.ask(AR_TRADE)
    assert not answer.refused and answer.unverified == [other]


def test_a_number_of_another_window_of_the_cited_article_is_cited_there(
    seeded_retriever,
) -> None:
    bot, generator = make_bot(seeded_retriever)
    sources = bot.retriever.search(AR_TRADE)
    first, *rest = sources
    window = next((p for p in rest if p.doc_id == first.doc_id
                   and set(numbers_in(p.text)) - set(numbers_in(first.text))), None)  # fmt: skip
    assert window is not None, "the seeded sources hold a second window of the first article"
    other = next(n for n in numbers_in(window.text) if n not in numbers_in(first.text))
    generator.enqueue(f"بلغت قيمة التجارة {other} [1].")
    answer = bot.ask(AR_TRADE)
    assert not answer.refused and answer.unverified == []
    assert [c.passage for c in answer.citations] == [first, window]


def test_a_draft_the_model_was_unsure_of_is_declined_and_keeps_its_sources(
    seeded_retriever,
) -> None:
    """The model's token probabilities come after its text; a draft below its language's
    floor is declined (check "confidence"), keeping the draft and the sources found."""
    reply = "بلغت 240.1 مليار دولار [1]."
    unsure = ScriptedGenerator(reply, probabilities=(0.9, 0.3, 0.4, 0.5, 1.0))
    bot = Bot(seeded_retriever, unsure, min_confidence={"ar": 0.7})
    answer = bot.ask(AR_TRADE)
    assert answer.refused and answer.checks == ["confidence"] and answer.draft == reply
    assert answer.text == REFUSALS["ar"] and len(answer.passages) == 4
    assert answer.probabilities == (0.9, 0.3, 0.4, 0.5, 1.0)
    geometric_mean = (0.9 * 0.3 * 0.4 * 0.5) ** 0.25  # the last step, the end, left out
    assert answer.to_dict()["confidence"] == pytest.approx(geometric_mean, abs=1e-3)
    sure = ScriptedGenerator(reply, probabilities=(0.9, 0.95, 0.8, 0.99, 0.2))
    answer = Bot(seeded_retriever, sure, min_confidence={"ar": 0.7}).ask(AR_TRADE)
    assert not answer.refused and answer.text == reply


def test_a_draft_the_model_was_not_sure_of_is_written_again_and_declined_on_another_fact(
    seeded_retriever,
) -> None:
    """Below `resample_below`, a draft every other check passes is written again; fewer than
    `min_agreement` samples giving its figure decline it (check "agreement"), and the
    samples are kept with the answer. A draft the model was sure of is not written again."""
    reply = "بلغت 240.1 مليار دولار [1]."
    unsure = (0.8, 0.85, 0.9, 0.8, 1.0)
    guesses = ("بلغت 190 مليار دولار [1].", "240.1 مليار دولار", "لم أجد الإجابة في المقالات.")
    generator = ResamplingGenerator(reply, probabilities=unsure, resamples=guesses)
    options = {"resamples": 3, "resample_below": 0.9, "min_agreement": 2}
    answer = Bot(seeded_retriever, generator, **options).ask(AR_TRADE)
    assert answer.refused and answer.checks == ["agreement"] and answer.draft == reply
    assert answer.resamples == guesses and len(answer.passages) == 4
    ((messages, count, tokens),) = generator.resampled
    assert messages == generator.requests[0] and count == 3 and tokens == len(unsure) + 8
    assert generator.after[0].probabilities == unsure, "asked after the draft's own note"
    assert answer.timings["total"] >= answer.timings["check"] > 0
    agreeing = ResamplingGenerator(reply, probabilities=unsure, resamples=(reply, *guesses[1:]))
    answer = Bot(seeded_retriever, agreeing, **options).ask(AR_TRADE)
    assert not answer.refused and answer.text == reply and answer.checks == []
    assert answer.resamples == (reply, guesses[1]), "two of three agree: the third is not written"
    sure = ResamplingGenerator(reply, probabilities=(0.95, 0.99, 0.97, 0.98, 1.0),
                               resamples=guesses)  # fmt: skip
    answer = Bot(seeded_retriever, sure, **options).ask(AR_TRADE)
    assert not answer.refused and sure.resampled == [] and answer.resamples == ()
    plain = ScriptedGenerator(reply, probabilities=unsure)  # a model that cannot sample
    assert not Bot(seeded_retriever, plain, **options).ask(AR_TRADE).refused


def test_a_doubtful_draft_is_written_again_in_its_own_turn_at_the_model(
    seeded_retriever,
) -> None:
    """The samples of a doubtful draft are written before the next chat in line gets the
    model, from the prompt the model has just read (at the back of the line another prompt
    would be read in between, and this chat would wait for every draft queued behind it)."""
    english = "What was the value of China-Russia trade in 2023?"
    model = UnsureOneAtATime(
        {AR_TRADE: "بلغت 240.1 مليار دولار [1].", english: "It reached 240.1 billion dollars [1]."},
        probabilities=(0.8, 0.85, 0.9, 0.8, 1.0),
        samples=("240.1 مليار دولار", "بلغت 240.1 مليار دولار [1].", "لم أجد"),
        delay=0.1,
    )
    bot = Bot(seeded_retriever, model, resamples=3, resample_below=0.9, min_agreement=2)
    answers = {}
    first = threading.Thread(target=lambda: answers.update(ar=bot.ask(AR_TRADE)))
    first.start()
    while not model.uses:
        time.sleep(0.01)
    second = threading.Thread(target=lambda: answers.update(en=bot.ask(english)))
    second.start()
    while model.turns.waiting < 1:  # the English question waits behind the Arabic draft
        time.sleep(0.01)
    first.join(timeout=10)
    second.join(timeout=10)
    assert model.uses == [
        ("draft", AR_TRADE),
        ("sample", AR_TRADE),
        ("sample", AR_TRADE),
        ("draft", english),
    ]  # its draft fails other checks: never sampled
    assert model.most_inside == 1 and model.turns.ahead(model.turns.join()) == 0, "all let go"
    assert not answers["ar"].refused and len(answers["ar"].resamples) == 2
    assert answers["en"].refused and answers["en"].resamples == ()


def test_a_chat_dropped_at_any_point_of_a_doubtful_draft_leaves_the_model_free(
    seeded_retriever,
) -> None:
    """The draft's turn is kept past its text for the samples: a reader that goes away at
    any event (the last words included) still hands the model on."""
    model = UnsureOneAtATime({AR_TRADE: "بلغت 240.1 مليار دولار [1]."},
                             probabilities=(0.8, 0.85, 0.9, 0.8, 1.0),
                             samples=("240.1 مليار دولار", "لم أجد"), delay=0.0)  # fmt: skip
    bot = Bot(seeded_retriever, model, resamples=2, resample_below=0.9, min_agreement=1)
    events = list(bot.stream(AR_TRADE))
    assert isinstance(events[-1], Answer) and events[-1].resamples == ("240.1 مليار دولار",)
    for read in range(1, len(events)):
        stream = bot.stream(AR_TRADE)
        for _ in range(read):
            next(stream)
        stream.close()
        assert model.turns.ahead(ticket := model.turns.join()) == 0, f"held after {read} events"
        model.turns.leave(ticket)


def test_samples_asked_once_the_draft_s_turn_is_over_wait_their_turn(seeded_retriever) -> None:
    """A draft's note is no key to the model once its stream has ended: the samples asked
    after it join the back of the line like anyone (here behind another holder)."""
    model = UnsureOneAtATime({"q": "one two"}, probabilities=(0.5,), samples=("one",))
    messages = [{"role": "user", "content": "q"}]
    *_, note = model.stream(messages)  # the stream read to its end: its turn is over
    holder = model.turns.join()
    pieces = model.resample(messages, 1, 8, after=note)
    waited = threading.Thread(target=lambda: model.uses.append(("got", next(pieces))))
    waited.start()
    time.sleep(0.3)
    assert model.uses == [("draft", "q")], "still waiting behind the holder"
    model.turns.leave(holder)
    waited.join(timeout=5)
    assert model.uses == [("draft", "q"), ("sample", "q"), ("got", "one")]


def test_json_shape(seeded_retriever) -> None:
    bot, _ = make_bot(seeded_retriever, "بلغت 240.1 مليار دولار [1].")
    data = bot.ask(AR_TRADE).to_dict()
    citation = data["citations"][0]
    assert set(citation) >= {"n", "doc_id", "title", "file", "start", "end", "text", "score"}
    assert citation["file"].startswith("000_") and citation["end"] > citation["start"]
    assert data["confidence"] is None, "a model that does not say how sure it was"


@pytest.mark.parametrize("question", ["", "   \n", "x" * 2001])
def test_bad_questions_are_refused_with_a_message(seeded_retriever, question: str) -> None:
    bot, generator = make_bot(seeded_retriever)
    with pytest.raises(QuestionError):
        bot.ask(question)
    assert generator.requests == []


def test_the_runnable_streams_the_answer_text(seeded_retriever) -> None:
    bot, _ = make_bot(seeded_retriever, "بلغت 240.1 مليار دولار [1].")
    chunks = list(bot.as_runnable().stream({"question": AR_TRADE}))
    assert len(chunks) > 1 and "".join(chunks) == "بلغت 240.1 مليار دولار [1]."


def test_warm_up_reads_each_language_prompt_once(seeded_retriever) -> None:
    bot, generator = make_bot(seeded_retriever, "x", "y")
    bot.warm_up()
    systems = [messages[0]["content"] for messages in generator.requests]
    assert len(systems) == 2 and "تجيب بالعربية" in systems[0] and "English" in systems[1]


def test_an_arabic_answer_made_of_words_in_no_source_is_declined(seeded_retriever) -> None:
    bot, _ = make_bot(seeded_retriever, "أسطنبول. [1]")
    answer = bot.ask("ما هي عاصمة فرنسا؟")
    assert answer.refused and answer.text == "لم أجد الإجابة في المقالات."


def test_an_answer_about_a_year_its_sources_never_mention_is_declined(seeded_retriever) -> None:
    bot, _ = make_bot(seeded_retriever, "بلغت التجارة 240.1 مليار دولار في عام 2019 [1].")
    answer = bot.ask("كم بلغت التجارة الصينية الروسية في عام 2019؟")
    assert answer.refused and answer.citations == []


def test_off_topic_questions_are_declined_without_asking_the_model(seeded_retriever) -> None:
    generator = ScriptedGenerator("Paris [1].")
    bot = Bot(seeded_retriever, generator, min_relevance={"ar": 1.01, "en": 1.01})
    answer = bot.ask("What is the capital of France?")
    assert answer.refused and answer.text == "I could not find this in the articles."
    assert generator.requests == [], "the model was asked anyway"
    assert "first_token" not in answer.timings
    relaxed = Bot(seeded_retriever, ScriptedGenerator("بلغت 240.1 مليار دولار [1]."),
                  min_relevance={"ar": -1, "en": -1})  # fmt: skip
    assert not relaxed.ask(AR_TRADE).refused


def test_the_relevance_floor_is_the_question_languages(seeded_retriever) -> None:
    """An English question over Arabic sentences scores lower than the same in Arabic: each
    language has its own floor."""
    generator = ScriptedGenerator("It reached 240.1 billion dollars [1].")
    bot = Bot(seeded_retriever, generator, min_relevance={"ar": 1.01, "en": -1})
    assert bot.ask(AR_TRADE).refused
    assert generator.requests == [], "the Arabic question was read below the Arabic floor"
    bot.ask("How much was China-Russia trade worth in 2023?")
    assert len(generator.requests) == 1, "the English question was not read above its floor"


@pytest.mark.parametrize(
    ("question", "reply"),
    [
        ("How much was China-Russia trade worth in 2023?",
         "China-Russia trade was worth 190 billion dollars in 2022 [1]."),
    ],
)  # fmt: skip
def test_answers_for_another_year_or_place_are_declined(seeded_retriever, question, reply) -> None:
    bot, _ = make_bot(seeded_retriever, reply)
    answer = bot.ask(question)
    assert answer.refused and answer.text == "I could not find this in the articles."


def test_arabic_answers_are_copied_from_the_passages_the_model_reads(seeded_retriever) -> None:
    generator = ScriptedGenerator("240.1 مليار دولار [1]", "It was 240.1 billion dollars [1].")
    bot = Bot(seeded_retriever, generator, copy_arabic=True)
    sources, *_, arabic = list(bot.stream(AR_TRADE))
    bot.ask("How much was China-Russia trade in 2023?")
    rule, none = generator.copies
    assert none is None, "English answers are written, not copied"
    assert "حرفًا بحرف" in generator.requests[0][0]["content"]  # the copy prompt
    read = [fold(" ".join(p.text.split()).encode()) for p in sources.passages]
    assert [s.text for s in rule.sources] == read
    assert rule.complete(REFUSALS["ar"].encode())
    assert not rule.allows("بلغت".encode()) and not rule.allows(b"240.1 [2]")
    assert arabic.text.startswith("240.1 مليار دولار [1]") and not arabic.refused


def test_the_copy_prompt_refuses_in_the_words_the_bot_reads_as_a_refusal() -> None:
    from prompts import chat_messages

    messages = chat_messages("copy", "ar", passages="[1] نص", question="سؤال؟")
    assert REFUSALS["ar"] in [m["content"] for m in messages if m["role"] == "assistant"]


def test_the_grounding_check_reads_each_cited_passage_with_its_title(seeded_retriever) -> None:
    bot, _ = make_bot(seeded_retriever)
    fair = Passage(text="وشاركت فيه 640 دار نشر.", doc_id="f", title="معرض الإسكندرية للكتاب",
                   source="f.txt", start=0, end=23)  # fmt: skip
    question = "كم دار نشر شاركت في معرض الإسكندرية للكتاب؟"
    titled = bot.closeness(question, [fair])[0]
    assert titled > bot.similarity(question, [fair.text])[0] + 0.1, "the title's words count"
    plain = bot.similarity(question, [fair.text])
    assert bot.closeness(question, [replace(fair, title="")]) == pytest.approx(plain)


def test_the_arabic_question_s_words_are_bold_only_in_what_the_model_reads(
    seeded_retriever,
) -> None:
    generator = ScriptedGenerator("بلغت **240.1** مليار دولار [1].", "It was 240.1 billion [1].")
    bot = Bot(seeded_retriever, generator, mark_words=True)
    events = list(bot.stream(AR_TRADE))
    sources, answer = events[0], events[-1]
    arabic = generator.requests[0][-1]["content"]
    assert "**التجارة الصينية الروسية**" in arabic, "the question's words stand out"
    assert not any("*" in p.text for p in sources.passages), "the user's sources are as written"
    streamed = "".join(e.text for e in events[1:-1])
    assert streamed == answer.text == "بلغت 240.1 مليار دولار [1].", "copied marks taken out"
    assert not answer.refused
    bot.ask("How much was China-Russia trade in 2023?")
    assert "**" not in generator.requests[1][-1]["content"], "English shares no words with them"


def test_the_model_reads_figures_in_digits_0_9_and_the_user_sees_them_as_written(
    hash_indexer, tmp_path
) -> None:
    """The model misreads Arabic-Indic digits ("٤٢ ألف" read as 52 thousand): the passages it
    reads have 0-9; the sources, the citations and the checks keep the article's own."""
    body = "أقيمت المباراة النهائية أمام ٤٢ ألف متفرج، وسجل الهدف الثالث في الدقيقة ٨٩."
    retriever = one_article(hash_indexer, tmp_path / "articles", "نهائي الكأس", body)
    bot, generator = make_bot(retriever, "42 ألف متفرج [1].")
    answer = bot.ask("كم عدد المتفرجين الذين حضروا المباراة النهائية؟")
    read = generator.requests[0][-1]["content"]
    assert "أمام 42 ألف متفرج" in read and "الدقيقة 89" in read and "٤٢" not in read
    assert not answer.refused and answer.unverified == []
    assert "٤٢ ألف" in answer.citations[0].sentence, "the sentence as the article writes it"


def test_an_english_figure_s_currency_is_corrected_from_its_source(seeded_retriever) -> None:
    """The model translates "240.1 مليار دولار" as euros: the digits are the source's, and the
    source counts them in dollars alone, so the answer says dollars (and says it was changed)
    instead of being declined; the model's own words stay the draft."""
    bot, _ = make_bot(seeded_retriever)
    passages = seeded_retriever.search(AR_TRADE)[:1]  # the customs figures' passage
    assert "240.1 مليار دولار" in passages[0].text
    written = "Trade reached 240.1 billion euros in 2023 [1]."
    answer = bot.finish("How much was China-Russia trade in 2023?", "en", written, passages, {})
    assert not answer.refused and answer.checks == []
    assert answer.text == "Trade reached 240.1 billion dollars in 2023 [1]."
    assert answer.draft == written
    assert answer.to_dict()["corrections"] == [{"written": "euros", "corrected": "dollars"}]
    # an Arabic answer copies its source's words and is left as the model wrote it
    arabic = bot.finish(AR_TRADE, "ar", "بلغت 240.1 مليار يورو [1].", passages, {})
    assert arabic.refused and arabic.checks == ["currency"] and arabic.corrections == []
