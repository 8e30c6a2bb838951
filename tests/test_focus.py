"""Sentence windows: the sentences that answer, with their offsets into the article."""

from retrieval.documents import Passage
from retrieval.focus import SentenceFocus
from tests.fakes import HashEmbeddings

ARTICLE = (
    "عززت الصين وروسيا تعاونهما في السنوات الأخيرة. "
    "سجلت التجارة الصينية الروسية رقما قياسيا بلغ 240.1 مليار دولار في عام 2023. "
    "وقال لافروف إن البلدين سيبدآن حوارا حول الأمن في أوراسيا. "
    "وأعلنت موسكو تعليق مشاركتها في معاهدة ستارت الجديدة."
)


def chunk(start: int, end: int, doc: str = "d1") -> Passage:
    return Passage(
        text=ARTICLE[start:end], doc_id=doc, title="t", source="a.txt", start=start, end=end
    )


def test_the_best_sentence_comes_first_with_article_offsets() -> None:
    focus = SentenceFocus(HashEmbeddings(), max_windows=2, min_words=1)
    windows = focus.focus("التجارة الصينية الروسية 2023", [chunk(0, len(ARTICLE))])
    assert len(windows) == 2
    best = windows[0]
    assert best.text.startswith("سجلت التجارة") and best.text.endswith("في عام 2023.")
    assert ARTICLE[best.start : best.end] == best.text
    assert best.score >= windows[1].score


def test_overlapping_chunks_give_each_sentence_once() -> None:
    focus = SentenceFocus(HashEmbeddings(), max_windows=10, min_words=1)
    middle = ARTICLE.index("وقال")
    windows = focus.focus(
        "معاهدة ستارت", [chunk(0, middle + 20), chunk(ARTICLE.index("سجلت"), len(ARTICLE))]
    )
    spans = sorted((w.start, w.end) for w in windows)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False))
    assert len({w.text for w in windows}) == len(windows)


def test_a_sentence_two_articles_share_is_read_once() -> None:
    # a wire story two outlets carry: the same sentences, the second article with one more
    lead = ARTICLE[: ARTICLE.index("وقال")]
    text = lead + "وقالت الوكالة إن الزيارة تستمر يومين."
    other = Passage(text=text, doc_id="d2", title="t", source="b.txt", start=0, end=len(text))
    focus = SentenceFocus(HashEmbeddings(), max_windows=3, min_words=1, other=1.0)
    windows = focus.focus("التجارة الصينية الروسية 2023", [chunk(0, len(ARTICLE)), other])
    texts = [w.text for w in windows]
    assert len(texts) == 3 and len(set(texts)) == 3, texts
    assert sum("240.1" in t for t in texts) == 1, "the shared sentence once"
    shared = next(w for w in windows if "240.1" in w.text)
    assert shared.doc_id == "d1", "in the better ranked article"
    assert focus.focus("الزيارة تستمر يومين", [chunk(0, len(ARTICLE)), other])[0].doc_id == "d2"


def test_short_sentences_are_widened_to_the_next() -> None:
    text = "نعم. سجلت التجارة رقما قياسيا بلغ 240.1 مليار دولار في عام 2023 بحسب الجمارك الصينية."
    passage = Passage(text=text, doc_id="d", title="t", source="s", start=10, end=10 + len(text))
    focus = SentenceFocus(HashEmbeddings(), max_windows=1, min_words=5)
    (window,) = focus.focus("نعم", [passage])
    assert window.text == text and window.start == 10


def test_sentence_vectors_are_cached() -> None:
    embeddings = HashEmbeddings()
    focus = SentenceFocus(embeddings, max_windows=2)
    focus.focus("التجارة", [chunk(0, len(ARTICLE))])
    calls = embeddings.calls
    focus.focus("الأمن في أوراسيا", [chunk(0, len(ARTICLE))])
    assert embeddings.calls == calls


def test_more_windows_only_while_they_are_as_close_as_the_last() -> None:
    passages = [chunk(0, len(ARTICLE))]
    everything = SentenceFocus(HashEmbeddings(), max_windows=10, min_words=1)
    scores = [w.score for w in everything.focus("التجارة الصينية الروسية", passages)]
    assert len(scores) > 3
    strict = SentenceFocus(HashEmbeddings(), max_windows=10, min_words=1, min_windows=2, margin=0)
    kept = strict.focus("التجارة الصينية الروسية", passages)
    # two always; then only windows scoring at least as high as the last one taken (ties)
    expected = 2 + sum(1 for s in scores[2:] if s >= scores[1])
    assert len(kept) == expected < len(scores)
    loose = SentenceFocus(HashEmbeddings(), max_windows=3, min_words=1, min_windows=2, margin=1)
    assert len(loose.focus("التجارة الصينية الروسية", passages)) == 3


def test_one_window_when_it_clearly_wins() -> None:
    passages = [chunk(0, len(ARTICLE))]
    every = SentenceFocus(HashEmbeddings(), max_windows=4, min_words=1)
    best, second = every.focus("التجارة الصينية الروسية", passages)[:2]
    gap = best.score - second.score
    assert gap > 0
    alone = SentenceFocus(HashEmbeddings(), max_windows=4, min_words=1, lead=gap / 2)
    assert [w.text for w in alone.focus("التجارة الصينية الروسية", passages)] == [best.text]
    both = SentenceFocus(HashEmbeddings(), max_windows=4, min_words=1, lead=gap * 2)
    assert len(both.focus("التجارة الصينية الروسية", passages)) == 4


def test_a_close_window_of_another_article_joins() -> None:
    first = chunk(0, len(ARTICLE))
    text = "وتراجع حجم التجارة مع اليابان."
    second = Passage(text=text, doc_id="other", title="t", source="o.txt", start=0, end=len(text))
    question = "سجلت التجارة الصينية الروسية رقما قياسيا"  # the first article's sentence
    alone = SentenceFocus(HashEmbeddings(), max_windows=4, min_words=1, min_windows=1, margin=0)
    kept = alone.focus(question, [first, second])
    assert [w.doc_id for w in kept] == ["d1"] and "240.1" in kept[0].text
    close = SentenceFocus(HashEmbeddings(), max_windows=4, min_words=1, min_windows=1,
                          margin=0, other=1.0).focus(question, [first, second])  # fmt: skip
    assert close[0] == kept[0] and close[-1].doc_id == "other" and close[-1].text == text
    far = SentenceFocus(HashEmbeddings(), max_windows=4, min_words=1, min_windows=1,
                        margin=0, other=1e-9).focus(question, [first, second])  # fmt: skip
    assert far == kept, "another article's window joins only when it is close"


class SameVector(HashEmbeddings):
    """Every text the same vector: the embedder cannot tell the sentences apart."""

    def _vector(self, text: str) -> list[float]:
        return [1.0] + [0.0] * (self.dim - 1)


def test_the_sentence_with_the_asked_words_wins_a_tie_of_the_embedder() -> None:
    article = (
        "وقال الوزير إن الحكومة ستدعم المزارعين هذا العام. "
        "وقال الوزير إن صادرات القمح بلغت 12.5 مليون طن. "
        "وقال الوزير إن الحكومة ستفتتح ميناء جديدا."
    )
    passage = Passage(text=article, doc_id="d", title="t", source="a.txt", start=0,
                      end=len(article))  # fmt: skip
    question = "ماذا قال الوزير عن صادرات القمح؟"
    (best, *_) = SentenceFocus(SameVector(), max_windows=1, min_words=1, lexical=0.05).focus(
        question, [passage]
    )
    assert best.text == "وقال الوزير إن صادرات القمح بلغت 12.5 مليون طن."
    assert best.score > 1.0 and best.scores["sentence"] == 1.0, "the cosine kept apart"
    # "الوزير" is in every sentence: it weighs nothing against the words only one sentence has
    plain = SentenceFocus(SameVector(), max_windows=1, min_words=1).focus(question, [passage])
    assert plain[0].text.startswith("وقال الوزير إن الحكومة ستدعم"), "without it, the first"
