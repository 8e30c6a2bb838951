"""The verification stage: each check on drafts built by hand, spelling variants matched."""

from dataclasses import replace

import pytest

from bot.asking import wrong_kind
from bot.currencies import currencies
from bot.texts import TEXT
from bot.verify import (
    Draft,
    Verifier,
    agreement,
    confidence,
    new_numbers,
    skeleton,
    support,
    topic,
)
from retrieval.documents import Passage
from retrieval.focus import SentenceFocus
from tests.fakes import HashEmbeddings

SOURCE = Passage(
    text="وقال وزير الخارجية أنتوني بلينكن إن صادرات القمح بلغت ١٢٫٥ مليون طن في عام 2023.",
    doc_id="d", title="t", source="a.txt", start=0, end=80,
)  # fmt: skip
OTHER = Passage(text="وزار الرئيس برلين في عام 2024.", doc_id="e", title="t", source="b.txt",
                start=0, end=30)  # fmt: skip


def draft(text: str, question: str = "ماذا قال الوزير؟", language="ar", cited=(SOURCE,)) -> Draft:
    return Draft(question, language, text, [SOURCE, OTHER], list(cited))


def test_a_name_spelt_with_another_long_vowel_is_the_same_name() -> None:
    assert skeleton("بالينكن") == skeleton("بلينكن") == "بلنكن"
    assert support(draft("قال أنتوني بالينكن إن الصادرات بلغت 12.5 مليون طن [1].")) == 1.0
    assert support(draft("قال ماكرون إن باريس سترد [1].")) < 0.5, "names in no source"


def test_numbers_are_matched_across_digit_forms_and_against_every_passage_read() -> None:
    assert new_numbers(draft("بلغت 12.5 مليون طن [1].")) == [], "١٢٫٥ in the passage"
    assert new_numbers(draft("زار برلين في عام 2024 [1].")) == [], "a passage read, not cited"
    assert new_numbers(draft("بلغت 13.5 مليون طن [1].")) == ["13.5"]


@pytest.mark.parametrize(
    ("text", "question", "language", "failed"),
    [
        ("Exports reached 12.5 million tonnes in 2023 [1].", "How much in 2023?", "en", []),
        ("Exports reached 14 million tonnes [1].", "How much wheat?", "en", ["numbers"]),
        ("Exports reached 12.5 million tonnes in 2023 [1].", "How much in 2022?", "en",
         ["year", "when"]),  # and its passage tells of 2023, not 2022
        ("بلغت 12.5 مليون طن [1].", "كم بلغت صادرات القمح في عام 2024؟", "ar", ["when"]),
        ("قال ماكرون إن باريس سترد [1].", "ماذا قال؟", "ar", ["support"]),
        ("Macron said Paris would respond [1].", "What was said?", "en", []),
        ("I am an AI assistant and cannot say [1].", "What was said?", "en", ["instructions"]),
        ("Exports rose from 9.8 to 12.5 million tonnes [1].", "How much?", "en",
         ["instructions", "numbers"]),  # 9.8: a number of the prompt's worked examples
        ("قال وزير الخارجية [1].", "ماذا قال وزير الخارجية؟", "ar", ["echo"]),
        ("الرئيسة هي رئيس مجلس الإدارة [1].", "من هي رئيسة مجلس الإدارة؟", "ar",
         ["echo"]),  # the question's words with other endings: no name given
        ("Wheat exports were reported [1].", "When were wheat exports reported?", "en",
         ["echo", "kind"]),  # and no time is given for "when"
        ("وزير الخارجية [1].", "بكم قفزت صادرات القمح؟", "ar", ["kind"]),  # no figure
        ("Wheat exports reached four million tonnes [1].", "How much wheat?", "en", []),
        ("ولد في تونس [1].", "متى ولد الوزير؟", "ar", ["kind"]),  # a place for "when"
        ("Exports were reported by the minister [1].", "In what year were exports reported?",
         "en", ["kind"]),
        ("عندما قال وزير الخارجية [1].", "متى قيل ذلك؟", "ar", []),  # an event says when
        ("Wheat exports are expected to recover on Thursday [1].",
         "When are wheat exports expected to recover?", "en", []),  # a day of the week
        ("ابتداء من الخميس [1].", "متى تتعافى صادرات القمح؟", "ar",
         ["support"]),  # a day says when (not a word of the source, though)
        ("Wheat exports reached their peak this year [1].",
         "When did wheat exports reach their peak this year?", "en", ["kind"]),  # its own year
        ("ألفي طن [1].", "كم طنا من القمح صدر؟", "ar", []),  # two thousand: a figure
        ("صادرات القمح [1].", "هل قال الوزير صادرات القمح أم الأرز؟", "ar", []),  # a choice
    ],
)  # fmt: skip
def test_each_check_fails_the_drafts_it_is_for(text, question, language, failed) -> None:
    assert Verifier().failures(draft(text, question, language)) == failed


MONEY = Passage(text="وبلغت تكلفة المحطة 2.3 مليار درهم، أي نحو 626 مليون دولار.", doc_id="m",
                title="t", source="m.txt", start=0, end=60)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "failed"),
    [
        ("The plant cost 2.3 billion dinars [1].", True),  # the passage has dirhams
        ("The plant cost 2.3 billion euros [1].", True),
        ("The plant cost 2.3 billion dirhams [1].", False),
        ("The plant cost about $626 million [1].", False),
        ("بلغت تكلفة المحطة 2.3 مليار درهم [1].", False),
        ("بلغت تكلفة المحطة 2.3 مليار دينار [1].", True),
        ("The plant cost 2.3 billion [1].", False),  # no currency named
    ],
)
def test_a_figure_in_a_currency_its_source_does_not_name_is_declined(text, failed) -> None:
    checked = Draft("How much did the plant cost?", "en", text, [MONEY], [MONEY])
    assert ("currency" in Verifier().failures(checked)) is failed


RAIN = Passage(
    text="وسجلت المحطة ١٣٠ مليمترا من الأمطار، وارتفع منسوب المياه إلى 2.5 متر خلال 48 ساعة.",
    doc_id="r", title="t", source="r.txt", start=0, end=80,
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "failed"),
    [
        ("The station recorded 130 meters of rain [1].", True),  # the passage has millimetres
        ("The station recorded 130 mm of rain [1].", False),
        ("The station recorded 130 millimetres of rain [1].", False),
        ("سجلت المحطة 130 مترا من الأمطار [1].", True),
        ("سجلت المحطة 130 ملم [1].", False),
        ("The water rose to 2.5 metres within 48 hours [1].", False),
        ("The water rose to 2.5 metres within 48 days [1].", True),
        ("The station recorded 130 [1].", False),  # no unit given
        ("It rained for 3 hours [1].", False),  # a figure the passage does not count
    ],
)
def test_a_figure_in_a_unit_its_source_does_not_count_it_in_is_declined(text, failed) -> None:
    checked = Draft("How much rain fell?", "en", text, [RAIN], [RAIN])
    assert ("unit" in Verifier().failures(checked)) is failed


def test_a_unit_is_a_whole_word_not_the_start_of_another() -> None:
    from bot.units import figure_units

    assert figure_units("وبلغ 5 كما وصل 12 مترجما و3 مترو") == {}, "as, translators, metro"
    assert figure_units("بلغ 5 كم و12 مترا و3 أطنان و7 دقائق") == {
        "5": {"kilometre"},
        "12": {"metre"},
        "3": {"tonne"},
        "7": {"minute"},
    }
    assert figure_units("It is 130 mm, 2.5 square kilometres and 38 years") == {
        "130": {"millimetre"},
        "2.5": {"kilometre"},
        "38": {"year"},
    }


PLANTS = Passage(
    text="وافتتح المغرب محطة واحة الشمس للطاقة الشمسية بكلفة 2.3 مليار درهم. وفي العام الماضي "
    "افتتحت مصر مصنعا للسيارات بقيمة 5 مليارات دولار.", doc_id="p", title="t", source="p.txt",
    start=100, end=220,
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "question", "language", "failed"),
    [
        ("2.3 مليار درهم [1].", "كم بلغت كلفة محطة واحة الشمس؟", "ar", False),
        ("5 مليارات دولار [1].", "كم بلغت كلفة محطة واحة الشمس؟", "ar", True),  # the car plant
        ("بلغت كلفة محطة واحة الشمس 5 مليارات دولار [1].", "كم بلغت كلفة محطة واحة الشمس؟",
         "ar", True),  # the question's words said back do not make the car plant's sentence
        ("The plant cost 5 billion dollars [1].", "How much did the plant cost?", "en", False),
    ],
)  # fmt: skip
def test_an_answer_read_from_a_sentence_about_something_else_is_declined(
    text, question, language, failed
) -> None:
    checked = Draft(question, language, text, [PLANTS], [PLANTS])
    assert ("topic" in Verifier(min_topic=0.3).failures(checked)) is failed
    assert "topic" not in Verifier().failures(checked), "off unless a floor is set"


def test_a_question_word_with_another_ending_is_the_same_word() -> None:
    water = Passage(
        text="وقال الوزير إن المشروع سيكلف 1.8 مليار دولار، ومن المتوقع أن يبدأ "
        "تشغيله في عام 2030.",
        doc_id="w",
        title="t",
        source="w.txt",
        start=0,
        end=90,
    )
    asked = Draft("متى يبدأ تشغيل المشروع؟", "ar", "في عام 2030 [1].", [water], [water])
    assert topic(asked) == 1.0, "تشغيله is تشغيل with a pronoun"


def test_the_words_that_ask_are_not_the_question_s_topic() -> None:
    asked = Draft("متى افتتح المغرب محطة واحة الشمس؟", "ar", "2.3 مليار درهم [1].", [PLANTS],
                  [PLANTS])  # fmt: skip
    assert topic(asked) == 1.0, "every word but متى is in the plant's sentence"


def test_a_name_in_latin_letters_is_sought_only_in_sentences_that_have_latin_letters() -> None:
    """An Arabic question may name a company in English: an Arabic sentence cannot have that
    word, so it is left out rather than counted missing; a sentence in Latin letters is read."""
    question = "ما كلفة محطة Noor Solar Energy Complex؟"
    asked = Draft(question, "ar", "2.3 مليار درهم [1].", [PLANTS], [PLANTS])
    assert topic(asked) == 1.0, "كلفة and محطة are in the plant's sentence"
    latin = replace(PLANTS, text="وافتتح المغرب محطة Noor للطاقة بكلفة 2.3 مليار درهم.")
    asked = Draft(question, "ar", "2.3 مليار درهم [1].", [latin], [latin])
    assert topic(asked) == pytest.approx(3 / 6), "Noor is there; Solar, Energy, Complex are not"
    elsewhere = Draft(question, "ar", "5 مليارات دولار [1].", [PLANTS], [PLANTS])
    assert topic(elsewhere) < 1.0, "the factory's sentence has neither word"


def test_currencies_are_read_in_their_arabic_and_english_forms() -> None:
    assert currencies("بالدولارات وبالدراهم والجنيهات والين الياباني") == {
        "dollar",
        "dirham",
        "pound",
        "yen",
    }
    assert currencies("500 مليون ين") == currencies("تراجع الين الياباني") == {"yen"}
    assert currencies("$5 and €3, 40 pounds sterling, 9 riyals") == {"dollar", "euro", "pound",
                                                                      "riyal"}  # fmt: skip
    assert currencies("the Yuan dynasty") == currencies("أسرة يوان") == {"yuan"}
    assert currencies("Real Madrid won; rub it in; بين نيويورك وتعيين الديوان الإمبريالي") == set()
    # names, not the yen
    assert currencies("حصل جاريد ألين على 5 استحواذات، وقالت سارة بالين") == set()


def test_a_year_asked_about_may_stand_in_the_cited_passage_its_title_or_date() -> None:
    question = "كم بلغت صادرات القمح في عام 2024؟"
    assert "when" in Verifier().failures(draft("بلغت 12.5 مليون طن [1].", question))
    published = replace(SOURCE, date="2024-04-09", date_from="text")
    cited = draft("بلغت 12.5 مليون طن [1].", question, cited=(published,))
    assert "when" not in Verifier().failures(cited), "an article of 2024 tells of 2024"
    titled = replace(SOURCE, title="صادرات القمح في 2024")  # an undated article's headline
    cited = draft("بلغت 12.5 مليون طن [1].", question, cited=(titled,))
    assert "when" not in Verifier().failures(cited)
    indexed = replace(SOURCE, date="2024-04-09", date_from="ingested")
    cited = draft("بلغت 12.5 مليون طن [1].", question, cited=(indexed,))
    assert "when" in Verifier().failures(cited), "the day it was indexed is not the article's"
    both = draft("بلغت 12.5 مليون طن [1] وزار برلين [2].", question, cited=(SOURCE, OTHER))
    assert "when" not in Verifier().failures(both), "one cited passage names 2024"


def test_a_year_said_before_the_window_the_answer_was_read_from_counts() -> None:
    text = ("ضرب إعصار دورا المدينة في عام 1964 . وواجهت المدينة رياحا بلغت سرعتها 110 أميال "
            "في الساعة وفق سجلات الأرصاد الجوية في الولاية .")  # fmt: skip
    chunk = Passage(text=text, doc_id="d", title="t", source="a.txt", start=0, end=len(text))
    focus = SentenceFocus(HashEmbeddings(), max_windows=1, min_words=5)
    (window,) = focus.focus("رياحا بلغت سرعتها 110 أميال في الساعة", [chunk])
    assert "1964" not in window.text and window.context == text
    question = "ما سرعة الرياح في المدينة في إعصار 1964؟"
    windowed = Draft(question, "ar", "110 أميال في الساعة [1].", [window], [window])
    assert "when" not in Verifier().failures(windowed)
    other = replace(window, context=window.text.replace("110", "120"))  # no year around it
    alone = Draft(question, "ar", "110 أميال في الساعة [1].", [other], [other])
    assert "when" in Verifier().failures(alone)


def test_checks_can_be_measured_without_declining_and_unknown_ones_are_refused() -> None:
    verifier = Verifier(decline=["instructions"])
    assert verifier.failures(draft("Exports reached 14 million tonnes [1].", "How?", "en")) == [
        "numbers"
    ]
    assert not verifier.declines(["numbers"]) and verifier.declines(["instructions", "numbers"])
    with pytest.raises(ValueError, match="unknown checks"):
        Verifier(decline=["names"])


def test_support_counts_the_question_words_too() -> None:
    question = "ما هي عاصمة فرنسا؟"
    assert support(draft("عاصمة فرنسا أسطنبول [1].", question)) == 2 / 3


def test_a_draft_citing_passages_about_something_else_is_not_grounded() -> None:
    asked: list[tuple[str, list[str]]] = []

    def similarity(question: str, passages) -> list[float]:
        asked.append((question, [p.text for p in passages]))
        return [0.6 if "القمح" in p.text else 0.2 for p in passages]

    verifier = Verifier(similarity=similarity, min_grounding=0.33)
    on_topic = draft("Exports reached 12.5 million tonnes [1].", "How much wheat?", "en")
    assert verifier.failures(on_topic) == [] and verifier.grounding(on_topic) == 0.6
    assert asked[-1] == ("How much wheat?", [SOURCE.text]), "the cited passages only"
    elsewhere = draft("The president visited Berlin in 2024 [2].", "Who won?", "en", [OTHER])
    assert verifier.failures(elsewhere) == ["grounding"]
    assert Verifier(similarity=similarity).failures(elsewhere) == [], "off unless a threshold"


def test_a_number_the_passage_writes_in_words_is_a_known_number() -> None:
    source = Passage(text="وتصدر الفريق بسبعة اعتراضات، وقام نورمان بأربع منها، وخمس وعشرين عرقلة.",
                     doc_id="f", title="t", source="c.txt", start=0, end=70)  # fmt: skip
    spelled = Draft("كم؟", "ar", "قام نورمان بـ 4 اعتراضات و25 عرقلة [1].", [source], [source])
    assert new_numbers(spelled) == []
    assert new_numbers(replace(spelled, text="قام نورمان بـ 6 اعتراضات [1].")) == ["6"]
    for monday in ("وصل الوزير يوم الاثنين.", "وصل الوزير يوم الأحد."):
        day = Passage(text=monday, doc_id="h", title="t", source="e.txt", start=0, end=24)
        assert new_numbers(Draft("كم؟", "ar", "2 أو 1 [1].", [day], [day])) == ["2", "1"]
    dual = Passage(text="وتستمر الزيارة يومين.", doc_id="i", title="t", source="f.txt", start=0,
                   end=21)  # fmt: skip
    assert new_numbers(Draft("كم؟", "ar", "تستمر يومين، 2 [1].", [dual], [dual])) == []
    english = Passage(text="He made fourteen tackles and twenty-four passes.", doc_id="g",
                      title="t", source="d.txt", start=0, end=48)  # fmt: skip
    said = Draft("How many?", "en", "14 tackles and 24 passes [1].", [english], [english])
    assert new_numbers(said) == []
    duals = Passage(text="وأجلت ألفي أسرة، ومنحت مليونا دينار، وأدلى 76 ألفا بأصواتهم، ونصف مليون.",
                    doc_id="k", title="t", source="h.txt", start=0, end=70)  # fmt: skip
    read = Draft("كم؟", "ar", "2000 أسرة و2,000,000 دينار و76 ألفا و500 ألف [1].", [duals], [duals])
    assert new_numbers(read) == [], "a dual is two of the thing; half a million is 500000"
    assert new_numbers(replace(read, text="1000 أسرة [1].")) == ["1000"]
    assert new_numbers(replace(read, text="2 أسرة [1].")) == ["2"], "76 ألفا is not a dual"
    hundred = Passage(text="قبل مائة عام، وبلغ 22،338،618 رقما.", doc_id="j", title="t",
                      source="g.txt", start=0, end=34)  # fmt: skip
    assert new_numbers(Draft("?", "en", "100 years; 22,338,618 [1].", [hundred], [hundred])) == []


def test_a_draft_the_model_wrote_unsurely_is_declined_by_its_language_floor() -> None:
    """The geometric mean of the draft's token probabilities, its last step (the end of the
    answer) left out, against a floor for the draft's language; unknown probabilities (a
    model server) and no floor never fail."""
    verifier = Verifier(min_confidence={"ar": 0.7, "en": 0.8})
    sure = replace(draft("بلغت 12.5 مليون طن [1]."), probabilities=(0.9, 0.9, 0.9, 0.01))
    assert confidence(sure.probabilities) == pytest.approx(0.9) and verifier.failures(sure) == []
    mixed = replace(sure, probabilities=(1.0, 0.25, 1.0, 1.0))  # one token of four at 1/4
    assert confidence(mixed.probabilities) == pytest.approx(0.25 ** (1 / 3))
    assert verifier.failures(mixed) == ["confidence"]
    between = replace(sure, probabilities=(0.75, 0.75, 1.0))
    assert verifier.failures(between) == [], "Arabic: 0.75 is above 0.7"
    english = draft("Exports reached 12.5 million tonnes [1].", "How much?", "en")
    assert verifier.failures(replace(english, probabilities=(0.75, 0.75, 1.0))) == ["confidence"]
    assert confidence(english.probabilities) is None, "not known"
    assert verifier.failures(english) == []
    assert Verifier().failures(mixed) == [], "no floor: off"


def test_a_draft_the_model_writes_another_fact_for_when_asked_again_is_declined() -> None:
    """The agreement check: of the draft's resamples, fewer than `min_agreement` give its
    figures (in any digits, or in words), or, without one, half its words that are not the
    question's; a refusal gives none. Not asked (no resamples): it passes."""
    verifier = Verifier(min_agreement=2)
    figure = draft("بلغت الصادرات 12.5 مليون طن [1].", "كم بلغت صادرات القمح؟")
    same = replace(figure, resamples=("بلغت ١٢٫٥ مليون طن [1].", "12.5 مليون طن", "9.8 مليون"))
    assert agreement(same) == 2 and verifier.failures(same) == []
    other = replace(same, resamples=("9.8 مليون طن [1].", "لم أجد الإجابة في المقالات.",
                                     "بلغت 12.5 مليون طن [1]."))  # fmt: skip
    assert agreement(other) == 1 and verifier.failures(other) == ["agreement"]
    assert verifier.failures(figure) == [], "not asked again"
    aged = draft("كان عمره في عام 2023 سبعين عاما [1].", "كم كان عمره في عام 2023؟")
    assert agreement(replace(aged, resamples=("70 عاما", "سبعون"))) == 2, "the asked year apart"
    name = draft("قال ذلك أنتوني بلينكن [1].", "من قال ذلك؟")
    spelled = replace(name, resamples=("أنتوني بالينكن [1].", "بلينكن.", "ماكرون [1]."))
    assert agreement(spelled) == 2, "a name's other spelling is the same name"
    guessed = replace(name, resamples=("ماكرون [1].", "الرئيس الفرنسي", "أنتوني بلينكن"))
    assert verifier.failures(guessed) == ["agreement"]
    assert Verifier().failures(guessed) == [], "no floor: off"


def test_every_check_has_a_reason_in_both_languages() -> None:
    for check in Verifier().checks:
        assert TEXT["en"][f"check_{check.name}"] and TEXT["ar"][f"check_{check.name}"]


def test_a_share_in_words_answers_how_much() -> None:
    question = "بكم قلت الأمطار عن معدلها هذا الموسم؟"
    assert not wrong_kind(question, "جاءت الأمطار أقل من معدلها بنحو الثلث [1].")
    assert not wrong_kind("ما نسبة السكان في المدن؟", "ثلثا السكان [1].")
    assert not wrong_kind("How much of the budget went to schools?", "Half of it [1].")
    assert wrong_kind(question, "جاءت الأمطار أقل من معدلها في الربيع [1]."), "a season"
    assert wrong_kind(question, "قلت الأمطار يوم الثلاثاء [1]."), "a day, not a third"


@pytest.mark.parametrize(
    ("text", "sources", "corrected", "changes"),
    [
        ("It cost 2.3 billion dinars [1].", ["بكلفة 2.3 مليار درهم."],
         "It cost 2.3 billion dirhams [1].", [("dinars", "dirhams")]),
        ("It recorded 130 meters of rain [1].", ["سجلت 130 مليمترا من الأمطار."],
         "It recorded 130 millimetres of rain [1].", [("meters", "millimetres")]),
        ("It lasted 1 week [1].", ["استمر 1 يوم."], "It lasted 1 day [1].", [("week", "day")]),
        # the source counts that figure in two currencies: which one is meant is not known
        ("He paid 20 pounds [1].", ["دفع 20 دولارا و20 يورو."], "He paid 20 pounds [1].", []),
        # another kind of unit is another fact, not a slip
        ("It is 5 km long [1].", ["وزنه 5 كيلوغرامات."], "It is 5 km long [1].", []),
        # a figure the sources give with no unit, or do not give at all
        ("It cost 7 dollars [1].", ["بلغ 7 وبلغت الكلفة 9 يورو."], "It cost 7 dollars [1].", []),
        ("It cost 2.3 billion dirhams [1].", ["بكلفة 2.3 مليار درهم."],
         "It cost 2.3 billion dirhams [1].", []),
    ],
)  # fmt: skip
def test_a_figure_s_unit_or_currency_is_corrected_only_from_its_sources_one_reading(
    text, sources, corrected, changes
) -> None:
    from bot.measures import corrected_measures

    assert corrected_measures(text, sources) == (corrected, changes)
