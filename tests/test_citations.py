"""The citation contract: markers parsed and checked, numbers verified against passages."""

from bot.citations import (
    MarkerFilter,
    best_passage,
    build_citations,
    cite_article_figures,
    cited_numbers,
    drop_invalid_markers,
    is_refusal,
    normalize_markers,
    numbers_in,
    renumber,
    scaled_numbers,
    unverified_numbers,
)
from retrieval.documents import Passage

TRADE = "سجلت التجارة الصينية الروسية رقما قياسيا بلغ 240.1 مليار دولار في عام 2023. وقفزت الشحنات."
TREATY = "وأعلن أن موسكو ستعلّق مشاركتها في معاهدة ستارت الجديدة مع واشنطن."


def passage(text: str, start: int = 100, doc: str = "d") -> Passage:
    return Passage(text=text, doc_id=doc, title="t", source=f"{doc}.txt", start=start,
                   end=start + len(text))  # fmt: skip


def test_marker_groups_and_arabic_digits_become_single_markers() -> None:
    assert normalize_markers("x [1, 2] y [١] z [3،4]") == "x [1][2] y [1] z [3][4]"


def test_markers_pointing_nowhere_are_dropped() -> None:
    assert drop_invalid_markers("A [1] B [7] C [0].", 2) == "A [1] B C."
    assert cited_numbers("A [2] B [1] C [2]") == [2, 1]


def test_numbers_are_compared_as_written_in_either_script() -> None:
    assert numbers_in("بلغت ٢٤٠٫١ مليار [1] و 1,000 و 26.3%.") == ["240.1", "1000", "26.3"]
    passages = [passage(TRADE)]
    assert unverified_numbers("It reached 240.1 billion dollars in 2023 [1].", passages) == []
    assert unverified_numbers("It reached 250 billion dollars in 2023 [1].", passages) == ["250"]
    # shown as the answer writes them, so that a reader finds them in it
    written = unverified_numbers("بلغت ٢٥٠٫٥ مليار و22،338،618 [1].", passages)
    assert written == ["٢٥٠٫٥", "22،338،618"]


def test_a_figure_scaled_by_a_word_is_the_same_figure_in_full() -> None:
    voters = [passage("وبلغ عدد الناخبين المسجلين 186 ألف ناخب، أدلى 76 ألفا منهم بأصواتهم.")]
    assert unverified_numbers("There were 186,000 registered voters [1].", voters) == []
    assert unverified_numbers("76 thousand of them voted [1].", voters) == []
    assert unverified_numbers("There were 168,000 registered voters [1].", voters) == ["168,000"]
    assert unverified_numbers("بلغ عدد الناخبين ١٦٨٬٠٠٠ [1]", voters) == ["١٦٨٬٠٠٠"]
    assert unverified_numbers("بلغ عدد الناخبين ١٨٦٬٠٠٠ [1]", voters) == []
    full = [passage("The plant cost 2,300,000,000 dirhams and serves 310,000 homes.")]
    assert unverified_numbers("بلغت كلفتها 2.3 مليار درهم وتخدم 310 آلاف منزل [1].", full) == []
    assert unverified_numbers("بلغت كلفتها 3.2 مليار درهم [1].", full) == ["3.2"]
    assert scaled_numbers("2,7 مليون طن، في عام 2020 الفريق") == {"2,7": "2700000"}


def test_best_passage_uses_shared_words_then_similarity_then_rank() -> None:
    passages = [passage(TREATY, doc="a"), passage(TRADE, doc="b")]
    assert best_passage("بلغت التجارة 240.1 مليار دولار", passages) == 1
    assert best_passage("New START", passages, similarity=lambda a, c: [0.9, 0.1]) == 0
    assert best_passage("nothing shared", passages) == 0


def test_citations_quote_the_supporting_sentence_with_article_offsets() -> None:
    p = passage(TRADE, start=100)
    (citation,) = build_citations("بلغت 240.1 مليار دولار [1]", [p])
    assert citation.n == 1 and citation.passage == p
    assert citation.sentence.endswith("في عام 2023.")
    assert citation.sentence_start == 100
    assert TRADE[citation.sentence_start - 100 : citation.sentence_end - 100] == citation.sentence


def test_refusals_are_recognised_in_both_languages() -> None:
    assert is_refusal("I could not find this in the articles.")
    assert is_refusal("لم أجد الإجابة في المقالات.")
    assert is_refusal("لا أجد الإجابة في المقالات. [2]"), "the present tense too"
    assert not is_refusal("The trade reached 240.1 billion dollars [1].")


def test_streaming_filter_holds_markers_until_they_close() -> None:
    pieces = ["Trade rose [", "1", "] to 240.1 [", "9] billion [2", "] dollars [note]."]
    marker_filter = MarkerFilter(count=2)
    shown = [marker_filter.feed(p) for p in pieces]
    shown.append(marker_filter.flush())
    assert shown[0] == "Trade rose "
    assert "".join(shown) == "Trade rose [1] to 240.1  billion [2] dollars [note]."


def test_an_answer_for_another_year_is_caught() -> None:
    from bot.citations import other_year

    assert other_year("Trade was 190 billion dollars in 2022 [3].", "How much was trade in 2023?")
    assert not other_year("From 190 in 2022 [1] to 240.1 in 2023 [2].", "Change 2022–2023?")
    assert not other_year("بلغت 240.1 مليار دولار في عام 2023 [1].", "كم بلغت في عام ٢٠٢٣؟")
    assert not other_year("Trade was 240.1 billion dollars [1].", "How much was trade in 2023?")
    assert not other_year("It rose in 2022 [1].", "How much did trade rise?"), "no year asked"


def test_sources_are_numbered_in_the_order_the_answer_cites_them() -> None:
    passages = [Passage(f"نص {n}", f"d{n}", "t", f"{n}.txt", 0, 5) for n in range(1, 5)]
    text, ordered = renumber("زادت [4] ثم [2]، وكما قال [4] و[3].", passages)
    assert text == "زادت [1] ثم [2]، وكما قال [1] و[3]."
    assert [p.source for p in ordered] == ["4.txt", "2.txt", "3.txt", "1.txt"]


def test_a_figure_of_another_window_of_the_cited_article_is_cited_there() -> None:
    title = passage("نسبة المشاركة في الانتخابات البلدية بمدينة الواحات تبلغ 41%", doc="a")
    voters = passage("وبلغ عدد الناخبين المسجلين 186 ألف ناخب.", start=300, doc="a")
    elsewhere = passage("وبلغ عدد سكان المدينة 186 ألف نسمة.", doc="b")
    answer = "There were 186,000 registered voters [1]. Turnout was 41% [1]."
    assert cite_article_figures(answer, [title, elsewhere, voters]) == (
        "There were 186,000 registered voters [1][3]. Turnout was 41% [1]."
    ), "the window of the same article, not the other article's same figure"
    assert cite_article_figures(answer, [title, elsewhere]) == answer, "another article's: flagged"
    assert unverified_numbers(answer, [title]) == ["186,000"]
    assert cite_article_figures("It was 41% [1].", [title, voters]) == "It was 41% [1]."
