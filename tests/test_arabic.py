"""Arabic normalisation and light stemming, as the keyword index sees text."""

from retrieval.arabic import normalize, stem, tokenize, western_digits


def test_hamza_forms_ta_marbuta_and_alef_maqsura_fold() -> None:
    assert normalize("أإآٱا") == "ااااا"
    assert normalize("مدرسة") == "مدرسه"
    assert normalize("مستشفى") == "مستشفي"


def test_diacritics_tatweel_and_invisible_characters_go() -> None:
    assert normalize("مُحَمَّدٌ") == "محمد"
    assert normalize("العـــربية") == "العربيه"
    assert normalize("رو\u200bسيا\u200f") == "روسيا"


def test_arabic_indic_digits_become_ascii() -> None:
    assert normalize("٢٤٠٫١ مليار") == "240.1 مليار"
    assert normalize("۱۹۰") == "190"
    assert western_digits("أمام ٤٢ ألف متفرج، و٧٫٥ ملايين") == "أمام 42 ألف متفرج، و7.5 ملايين"


def test_prefixes_are_stripped_once_and_short_words_kept() -> None:
    assert stem("والصين") == "صين"
    assert stem("بالتجارة") == "تجارة"
    assert stem("للتعاون") == "تعاون"
    assert stem("وروسيا") == "روسيا"
    assert stem("ال") == "ال"
    assert stem("في") == "في"


def test_spelling_variants_meet_in_the_same_tokens() -> None:
    assert tokenize("والتجارة الصينية") == tokenize("التجاره الصينيه")
    assert tokenize("إستراتيجية") == tokenize("استراتيجيه")


def test_tokenize_keeps_numbers_whole_and_drops_stopwords() -> None:
    tokens = tokenize("بلغت التجارة 240.1 مليار دولار في عام 2023")
    assert "240.1" in tokens and "2023" in tokens
    assert "في" not in tokens
    assert tokenize("What is the trade of China") == ["trade", "china"]
