"""Hybrid retrieval: dense and keyword rankings fused; English questions find Arabic passages."""

import pytest

from retrieval.documents import Passage
from retrieval.search import HybridRetriever, diversify, reciprocal_rank_fusion
from retrieval.store import PassageStore


@pytest.fixture
def hash_store(any_store: PassageStore) -> PassageStore:
    """Searching works alike on the embedded store and on a Chroma server."""
    return any_store


def passage(pid: str, doc: str = "d", score: float = 0.0) -> Passage:
    return Passage(text=pid, doc_id=doc, title="", source=doc, start=0, end=1, score=score, id=pid)


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    fused = reciprocal_rank_fusion(
        {
            "dense": [passage("a", score=0.9), passage("b", score=0.8)],
            "keyword": [passage("b", score=7.0), passage("c", score=3.0)],
        }  # fmt: skip
    )
    assert [p.id for p in fused] == ["b", "a", "c"]
    assert fused[0].score == pytest.approx(1 / 62 + 1 / 61)
    assert fused[0].scores == {"dense": 0.8, "keyword": 7.0}


def test_diversify_limits_passages_per_article_unless_there_is_no_other() -> None:
    ranked = [passage("a1", "A"), passage("a2", "A"), passage("a3", "A"), passage("b1", "B")]
    assert [p.id for p in diversify(ranked, 3, per_article=2)] == ["a1", "a2", "b1"]
    assert [p.id for p in diversify(ranked[:3], 3, per_article=2)] == ["a1", "a2", "a3"]


def test_hybrid_finds_the_trade_figure_with_fake_embeddings(
    seeded_retriever: HybridRetriever,
) -> None:
    best = seeded_retriever.search("كم بلغت التجارة الصينية الروسية في عام 2023؟")[0]
    assert "240.1" in best.text and best.source.startswith("000_")
    assert set(best.scores) == {"dense", "keyword"}


def test_modes_and_langchain_interface(seeded_retriever: HybridRetriever) -> None:
    question = "معاهدة ستارت الجديدة"
    keyword = seeded_retriever.model_copy(update={"mode": "keyword"}).search(question, 2)
    assert keyword[0].source.startswith("004_") and set(keyword[0].scores) == {"keyword"}
    docs = seeded_retriever.invoke(question)
    assert len(docs) == 4
    assert {"doc_id", "source", "start", "end", "score"} <= set(docs[0].metadata)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "source", "must_contain"),
    [
        ("كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟", "000_", "240.1"),
        ("Which arms-control treaty did Putin say Moscow would suspend?", "004_", "ستارت"),
        ("How did China-Russia trade change between 2022 and 2023?", "004_", "190"),
        ("What did Chinese customs data show about China-Russia trade in 2023?", "000_", "240.1"),
    ],
    ids=["ar-trade-2023", "en-treaty", "en-trade-2022", "en-customs-2023"],
)
def test_real_e5_hybrid_retrieval_finds_the_passage(
    e5_store, question, source, must_contain
) -> None:
    found = HybridRetriever(store=e5_store, k=4).search(question)
    assert any(p.source.startswith(source) and must_contain in p.text for p in found), [
        p.text[:60] for p in found
    ]


@pytest.mark.slow
def test_a_question_is_embedded_once(e5, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dense search and the sentence windows both need the question's vector."""
    first = e5.embed_query("كم بلغت التجارة بين الصين وروسيا؟")

    class Engine:
        def query(self, text):
            raise AssertionError("embedded again")

    monkeypatch.setattr(e5, "_model", Engine())
    assert e5.embed_query("كم بلغت التجارة بين الصين وروسيا؟") == first
    with pytest.raises(AssertionError, match="embedded again"):
        e5.embed_query("another question")
