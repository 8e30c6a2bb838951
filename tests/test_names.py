"""People's names in English letters in an English question's passages (bot/names.py)."""

import pytest

from bot.core import Bot, Token
from bot.names import NameSpeller
from retrieval.documents import Passage
from tests.fakes import ScriptedGenerator

SENTENCE = "وقال وزير المياه سامر الخطيب إن المحطة ستنتج 140 مليون متر مكعب سنويا."


@pytest.fixture(scope="module")
def speller() -> NameSpeller:
    return NameSpeller()


def test_a_name_is_followed_by_its_english_spelling_with_the_article_it_has(speller) -> None:
    assert speller.mark(SENTENCE) == (
        "وقال وزير المياه سامر الخطيب (Samer Al-Khatib) إن المحطة ستنتج 140 مليون متر مكعب سنويا."
    ), "الخطيب keeps its article: a reader's Al-Khatib holds Khatib, not the other way round"


def test_a_particle_belongs_to_the_name_and_a_comma_ends_one(speller) -> None:
    text = "وقال الرئيس التنفيذي، منير بن عاشور، إن الإنتاج ارتفع. وأضاف بن عاشور أن"
    assert [text[a:b] for a, b, _ in speller.names(text)] == ["منير بن عاشور", "بن عاشور"]
    assert [s.text for _, _, s in speller.names(text)] == ["Mounir Ben Achour", "Ben Achour"]
    two = speller.names("التقى سامر الخطيب، ريم النجار.")
    assert [s.text for _, _, s in two] == ["Samer Al-Khatib", "Reem Al-Najjar"], "two people"


def test_a_family_name_of_the_nisba_form_is_a_name_after_a_given_name(speller) -> None:
    text = "وقال الرئيس التنفيذي للشركة خالد المهندي إن الشركة نقلت 9.6 مليون مسافر."
    assert [text[a:b] for a, b, _ in speller.names(text)] == ["خالد المهندي"], "held once"
    for other in ("احتشد المشجعون أمام النادي", "حرصا على سلامة المرضى"):
        assert speller.mark(other) == other, "a preposition; a plural in ى"


def test_a_last_name_alone_is_spelled_where_the_full_name_was_read(speller) -> None:
    paragraph = f"{SENTENCE} وأوضح الخطيب أن نصيب الفرد من المياه لا يتجاوز 58 مترا مكعبا."
    surnames = speller.surnames([paragraph])
    assert surnames == {"الخطيب": "Al-Khatib"}
    window = "وأوضح الخطيب أن نصيب الفرد من المياه لا يتجاوز 58 مترا مكعبا."
    assert speller.mark(window, surnames).startswith("وأوضح الخطيب (Al-Khatib) أن")
    assert speller.mark(window) == window, "a last name alone is nobody's without the full one"
    assert speller.mark(SENTENCE, surnames).count("(") == 1, "the full name is marked once"


def test_words_that_are_also_names_are_not_taken_for_one(speller) -> None:
    for text in (
        "وقال رئيس تركي سابق إن",  # تركي is a given name too; رئيس opens none
        "وصرح السيد كوستا للصحفيين",  # a title, and a surname the index barely knows
        "وأصدرت الوزارة بيان رسمي",  # بيان is somebody's name; the pair is nobody's
        "أعلنت الحكومة ارتفاع الإقبال على التصويت في آسيا",
        "قال أنتوني بلينكن إن",  # a foreign name the index does not hold: left to the model
        "الحرب المعروفة باسم حرب السنوات السبع",  # known as: not Bassem Harb
        "وُلد أندي في المدينة",  # Andy was born: not Ould Andy
        "تمثال جان دي آرك",  # Jean de: not Jean DJ
    ):
        assert speller.mark(text) == text, text


def test_only_an_english_question_s_passages_carry_the_spellings(seeded_retriever) -> None:
    passage = Passage(SENTENCE, "water", "المياه", "water.txt", 0, len(SENTENCE))
    bot = Bot(seeded_retriever, ScriptedGenerator(), names=NameSpeller())
    english = bot.messages("Who is the water minister?", [passage], "en")[-1]["content"]
    arabic = bot.messages("من هو وزير المياه؟", [passage], "ar")[-1]["content"]
    assert "سامر الخطيب (Samer Al-Khatib)" in english
    assert "Samer" not in arabic and SENTENCE in arabic
    plain = Bot(seeded_retriever, ScriptedGenerator())
    assert (
        "Samer" not in plain.messages("Who is the water minister?", [passage], "en")[-1]["content"]
    ), "without a speller the passages are as written"


def test_the_setting_reaches_the_bot(monkeypatch, hash_store) -> None:
    from bot.settings import Settings
    from bot.wiring import build_bot

    settings = Settings(sentence_windows=False)
    assert settings.english_names, "on by default"
    assert build_bot(settings, generator=ScriptedGenerator(), store=hash_store).names
    monkeypatch.setenv("SANAD_ENGLISH_NAMES", "false")
    off = Settings(sentence_windows=False)
    assert build_bot(off, generator=ScriptedGenerator(), store=hash_store).names is None


def test_a_spelling_the_model_copies_after_the_name_is_taken_out(tmp_path, hash_indexer) -> None:
    from retrieval.search import HybridRetriever

    (tmp_path / "water.txt").write_text(f"المياه\n\n{SENTENCE}", encoding="utf-8")
    hash_indexer.ingest([tmp_path / "water.txt"])
    retriever = HybridRetriever(store=hash_indexer.store, k=2)
    reply = "The water minister is Samer Al-Khatib (Samer Al-Khatib) [1]. It will make (140) [1]."
    bot = Bot(retriever, ScriptedGenerator(reply), names=NameSpeller())
    streamed, answer = "", None
    for event in bot.stream("Who is the water minister?"):
        streamed += event.text if isinstance(event, Token) else ""
        answer = event
    expected = "The water minister is Samer Al-Khatib [1]. It will make (140) [1]."
    assert streamed == expected, "never shown, so never taken back; other brackets stay"
    assert answer.text == expected and not answer.refused
