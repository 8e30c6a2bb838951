"""A figure's qualifier ("about", "more than") put back from the sentences that give it."""

import pytest

from bot.core import Bot
from bot.hedges import qualified_figures
from tests.fakes import ScriptedGenerator, one_article


@pytest.mark.parametrize(
    ("text", "sources", "language", "corrected", "changes"),
    [
        # the source's own words for an Arabic answer, its fused "ب" left out
        ("37,547,686 نسمة [1]", ["ويقدر عدد السكان بحوالي 37,547,686 نسمة."], "ar",
         "حوالي 37,547,686 نسمة [1]", [("37547686", "حوالي 37,547,686")]),
        ("22 مقاطعة [1].", ["وتضم البلاد أكثر من 22 مقاطعة."], "ar",
         "أكثر من 22 مقاطعة [1].", [("22", "أكثر من 22")]),
        ("٥ ملايين [1]", ["وصل قرابة 5 ملايين زائر."], "ar",
         "قرابة ٥ ملايين [1]", [("5", "قرابة ٥")]),
        # an English answer says it in English, before a currency sign
        ("There are 22 provinces [1].", ["وتضم البلاد أكثر من 22 مقاطعة."], "en",
         "There are more than 22 provinces [1].", [("22", "more than 22")]),
        ("It cost $5 million [1].", ["بلغت الكلفة ما لا يقل عن 5 ملايين دولار."], "en",
         "It cost at least $5 million [1].", [("5", "at least $5")]),
        ("Fewer were hurt: 40 people [1].", ["أصيب أقل من 40 شخصا."], "en",
         "Fewer were hurt: 40 people [1].", []),  # "fewer" already qualifies it
        ("There are 25 species [1].", ["ويوجد 25 نوعا تقريبًا لم تسمّ بعد."], "en",
         "There are about 25 species [1].", [("25", "about 25")]),
        # already qualified, in either language
        ("about 5 million people [1]", ["نحو 5 ملايين شخص"], "en",
         "about 5 million people [1]", []),
        ("نحو 5 ملايين [1]", ["حوالي 5 ملايين"], "ar", "نحو 5 ملايين [1]", []),
        # a figure its sources also give plainly: which mention is meant is not known
        ("5 ملايين [1]", ["نحو 5 ملايين", "وبلغ العدد 5 ملايين"], "ar", "5 ملايين [1]", []),
        # plain figures, and the markers, are left alone
        ("في عام 2021 [1]", ["في عام 2021 ارتفعت الصادرات"], "ar", "في عام 2021 [1]", []),
        ("It rose to 12 [1].", ["نحو 1 مليون وارتفع إلى 12"], "en", "It rose to 12 [1].", []),
    ],
)  # fmt: skip
def test_a_figure_is_qualified_as_every_source_that_gives_it_qualifies_it(
    text, sources, language, corrected, changes
) -> None:
    assert qualified_figures(text, sources, language) == (corrected, changes)


def test_the_answer_says_about_and_says_it_was_corrected(hash_indexer, tmp_path) -> None:
    """The model drops "بنحو" from the figure it copies: the answer shown puts it back, the
    draft keeps the model's words, and the change is listed for the reader."""
    body = "قدرت الوزارة محصول القمح هذا العام بنحو 3.4 مليون طن، بعد موسم جاف."
    retriever = one_article(hash_indexer, tmp_path / "articles", "موسم الحصاد", body)
    bot = Bot(retriever, ScriptedGenerator())
    passages = bot.retriever.search("كم بلغ محصول القمح؟")
    answer = bot.finish("كم بلغ محصول القمح؟", "ar", "3.4 مليون طن [1].", passages, {})
    assert not answer.refused and answer.text == "نحو 3.4 مليون طن [1]."
    assert answer.draft == "3.4 مليون طن [1]."
    assert answer.to_dict()["corrections"] == [{"written": "3.4", "corrected": "نحو 3.4"}]
    english = bot.finish("How big was the wheat harvest?", "en", "3.4 million tonnes [1].",
                         passages, {})  # fmt: skip
    assert english.text == "about 3.4 million tonnes [1]."
