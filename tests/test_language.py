from bot.language import detect_language


def test_arabic_and_english_questions() -> None:
    assert detect_language("كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟") == "ar"
    assert detect_language("Which treaty did Putin suspend?") == "en"


def test_arabic_with_latin_names_is_still_arabic() -> None:
    assert detect_language("ما موقف NATO من معاهدة New START؟") == "ar"


def test_no_letters_or_other_scripts_default_to_english() -> None:
    assert detect_language("2023?") == "en"
    assert detect_language("Quelle est la population du Brésil ?") == "en"


def test_figures_alone_have_no_letters() -> None:
    from bot.language import has_letters

    assert not has_letters("26.3٪ [1].") and has_letters("26.3% rise [1]")
    assert has_letters("ارتفعت 26.3٪")


def test_the_small_words_decide_where_a_name_is_in_the_other_script() -> None:
    """A long name in the other script does not turn the question: its question words,
    prepositions and pronouns say which language it is asked in."""
    assert detect_language("أين يقع Energiprojekt AB؟") == "ar"
    assert detect_language("وكم موظفا لدى Deutsche Telekom AG؟") == "ar"
    assert detect_language("What did محمد بن سلمان say?") == "en"
    assert detect_language("Who is عبد الرحمن المهندي?") == "en"
    # neither has its small words: the letters decide, as before
    assert detect_language("Energiprojekt AB السويد") == "en"
    assert detect_language("عبد الرحمن المهندي OPEC") == "ar"
