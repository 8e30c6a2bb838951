"""Sentence-aware, token-aware chunks with exact offsets into the cleaned article."""

from pathlib import Path

import pytest

from retrieval.chunking import Chunker, SentenceSplitter, split_sentences
from retrieval.documents import Article, find_files, load_file
from retrieval.tokens import count_tokens

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed_articles() -> list[Article]:
    return [load_file(p)[0] for p, _ in find_files([SEEDS])]


def test_sentences_split_at_arabic_punctuation_but_never_inside_numbers() -> None:
    text = "بلغت التجارة 240.1 مليار دولار. هل ارتفعت؟ نعم! قال؛ ثم\nسطر جديد"
    pieces = split_sentences(text)
    assert "".join(pieces) == text
    assert [p.strip() for p in pieces] == [
        "بلغت التجارة 240.1 مليار دولار.",
        "هل ارتفعت؟",
        "نعم!",
        "قال؛",
        "ثم",
        "سطر جديد",
    ]


@pytest.mark.parametrize("article", seed_articles(), ids=lambda a: a.source[:3])
def test_chunks_of_the_seeds_have_exact_offsets_and_fit(article: Article) -> None:
    passages = Chunker(chunk_tokens=160, overlap_tokens=40).split(article)
    assert passages
    for p in passages:
        assert article.text[p.start : p.end] == p.text
        # a chunk holds whole sentences of up to twice its size rather than cut one
        assert count_tokens(p.text) <= 2 * 160
    covered = set()
    for p in passages:
        covered.update(range(p.start, p.end))
    story = {i for i, ch in enumerate(article.text) if not ch.isspace()}
    assert story <= covered, "a part of the article is in no chunk"


def test_numbers_are_never_cut() -> None:
    for article in seed_articles():
        for p in Chunker(chunk_tokens=40, overlap_tokens=10).split(article):
            assert not p.text.startswith(("1 مليار", ".1 ")), p.text


def test_consecutive_chunks_overlap_by_whole_sentences() -> None:
    article = seed_articles()[0]
    passages = Chunker(chunk_tokens=192, overlap_tokens=96).split(article)
    overlaps = [b.start < a.end for a, b in zip(passages, passages[1:], strict=False)]
    assert any(overlaps)


def test_a_long_sentence_stays_whole_up_to_twice_the_chunk_then_is_cut() -> None:
    splitter = SentenceSplitter(chunk_size=20, chunk_overlap=0)
    sentence = " ".join(["كلمة"] * 8) + "."
    assert 20 < count_tokens(sentence) <= 40
    assert splitter.split_text(sentence) == [sentence]
    text = " ".join(["كلمة"] * 200)
    spans = splitter.spans(text)
    assert len(spans) > 5
    assert all(count_tokens(text[s:e]) <= 20 for s, e in spans)


def test_the_long_2022_trade_sentence_is_kept_whole() -> None:
    article = seed_articles()[4]
    sentence = next(s for s in article.text.split("\n") if "190 مليار" in s)
    assert any(sentence in p.text for p in Chunker().split(article))


def test_chunks_over_the_embedder_window_are_split_again() -> None:
    article = seed_articles()[4]
    window = 30  # a tiny window, counted in words, forces a second split
    chunker = Chunker(chunk_tokens=160, overlap_tokens=0, window_tokens=window,
                      window_count=lambda t: len(t.split()))  # fmt: skip
    passages = chunker.split(article)
    assert all(len(p.text.split()) <= window for p in passages)
    assert all(article.text[p.start : p.end] == p.text for p in passages)


@pytest.mark.slow
def test_no_seed_chunk_exceeds_the_e5_window(e5) -> None:
    chunker = Chunker(window_count=e5.token_count)
    for article in seed_articles():
        for p in chunker.split(article):
            assert e5.token_count(p.text) <= 512
