"""The question's words in bold in the passages the model reads (bot/marking.py)."""

from bot.marking import marker, unmarked

SENTENCE = ("وتصدر كورت كولمان الفريق بسبعة اعتراضات، في حين قام جوش نورمان بأربع اعتراضات، "
            "تم إرجاع اثنين منها للهدف.")  # fmt: skip


def test_the_question_s_words_are_bold_in_any_of_their_forms_and_runs_are_one() -> None:
    mark = marker("كم عدد الاعتراضات التي سجلها جوش نورمان؟")
    assert mark(SENTENCE) == (
        "وتصدر كورت كولمان الفريق بسبعة **اعتراضات**، في حين قام **جوش نورمان** بأربع "
        "**اعتراضات**، تم إرجاع اثنين منها للهدف."
    ), "الاعتراضات is اعتراضات; the name's two words one run; punctuation outside"


def test_interrogatives_stop_words_and_other_words_are_left_as_they_are() -> None:
    assert marker("كم في من؟")(SENTENCE) == SENTENCE, "nothing asked about: nothing marked"
    assert marker("How many interceptions did Josh Norman make?")(SENTENCE) == SENTENCE
    marked = marker("متى تأسست الشركة؟")("تأسست الشركة في عام 1998 في القاهرة.")
    assert marked == "**تأسست الشركة** في عام 1998 في القاهرة."


def test_the_marks_the_model_copies_are_taken_out_of_its_answer() -> None:
    assert unmarked("قام **جوش نورمان** بأربع اعتراضات [1].") == (
        "قام جوش نورمان بأربع اعتراضات [1]."
    )
    assert unmarked("*") == ""
