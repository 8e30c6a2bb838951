"""EmbeddingGemma through llama.cpp, the real model: English questions find their Arabic
passage first, a sentence and its translation are neighbours, a passage read with its
article's title is about what the title names, Matryoshka sizes are unit vectors of their own
length."""

import numpy as np
import pytest

from retrieval.embedding import GemmaEmbeddings
from retrieval.search import HybridRetriever

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("question", "source", "must_contain"),
    [
        ("Which arms-control treaty did Putin say Moscow would suspend?", "004_", "ستارت"),
        ("How much was China-Russia trade worth in 2023?", "000_", "240.1"),
        ("Which Chinese premier held talks with Mishustin in Beijing?", "001_", "ميشوستين"),
        ("كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟", "000_", "240.1"),
    ],
    ids=["en-treaty", "en-trade-2023", "en-premier", "ar-trade-2023"],
)
def test_the_first_dense_neighbour_is_the_passage_that_answers(
    gemma_store, question, source, must_contain
) -> None:
    first = HybridRetriever(store=gemma_store, k=1, mode="dense").search(question)[0]
    assert first.source.startswith(source) and must_contain in first.text, first.text[:80]
    assert 0.3 < first.score < 1.0  # cosine of unit vectors, on the model's own scale


def test_a_sentence_and_its_translation_are_neighbours(gemma) -> None:
    english = gemma.embed_query("The central bank raised interest rates by half a point.")
    arabic, other = gemma.embed_documents([
        "رفع البنك المركزي أسعار الفائدة بمقدار نصف نقطة.",
        "افتتحت وزارة الثقافة مكتبة عامة جديدة في مدينة فاس.",
    ])  # fmt: skip
    same, different = np.dot(english, arabic), np.dot(english, other)
    assert same > different + 0.15, (same, different)
    assert abs(np.linalg.norm(english) - 1) < 1e-5 and len(english) == 768


def test_a_passage_read_with_its_title_is_about_what_the_title_names(gemma) -> None:
    question = "How many publishers took part in the Cairo book fair?"
    passage = "وشاركت في المعرض هذا العام 520 دار نشر من 31 دولة."  # "the fair": which one?
    title = "اختتام معرض القاهرة الدولي للكتاب"
    query = np.array(gemma.embed_query(question))
    alone, titled = gemma.embed_titled([("", passage), (title, passage)])
    assert query @ np.array(titled) > query @ np.array(alone) + 0.05
    # no title is the model card's "title: none", as the index reads passages (a batch of two
    # is read in other steps than one alone: the same vector to float precision, not bits)
    assert np.dot(alone, gemma.embed_documents([passage])[0]) > 0.999
    other = gemma.embed_titled([("افتتاح معرض للسيارات الكهربائية في دبي", passage)])[0]
    assert query @ np.array(titled) > query @ np.array(other)


def test_matryoshka_vectors_keep_their_order(gemma) -> None:
    small = GemmaEmbeddings(gemma.model_path, dims=512)
    small._model = gemma._model or (gemma.warm_up() or gemma._model)  # one engine, two sizes
    texts = ["رفع البنك المركزي أسعار الفائدة.", "افتتحت وزارة الثقافة مكتبة عامة."]
    query = "interest rates"
    full = np.array(gemma.embed_documents(texts)) @ np.array(gemma.embed_query(query))
    cut = np.array(small.embed_documents(texts)) @ np.array(small.embed_query(query))
    assert len(small.embed_query(query)) == 512 and small.name == "embeddinggemma-q8-512"
    assert np.argmax(full) == np.argmax(cut) == 0
