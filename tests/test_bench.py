"""The benchmarks' own parts: the synthetic corpus, the LangChain baseline, percentiles."""

from pathlib import Path

from bench.baseline import Baseline
from bench.corpus import write_corpus
from bench.report import p95
from retrieval.documents import find_files, load_file
from tests.fakes import HashEmbeddings, ScriptedGenerator


def test_the_synthetic_corpus_has_distinct_dated_articles(tmp_path: Path) -> None:
    write_corpus(tmp_path, 1200)
    files = find_files([tmp_path])
    assert len(files) == 1200 and files[0][1] == "000/brief-000000.txt"
    articles = [load_file(path, source)[0] for path, source in files[::97]]
    assert len({a.id for a in articles}) == len(articles), "two articles with the same text"
    assert all(a.date and a.title for a in articles)


def test_the_baseline_stuffs_four_chunks_of_1000_characters(seeds_dir: Path,
                                                            tmp_path: Path) -> None:  # fmt: skip
    generator = ScriptedGenerator("240.1 billion dollars.", "I don't know.")
    baseline = Baseline(seeds_dir, HashEmbeddings(), generator, tmp_path / "chroma")
    assert max(len(c.page_content) for c in baseline.chunks) <= 1000
    messages, documents = baseline.messages("التجارة الصينية الروسية 2023")
    assert len(documents) == 4 and len(messages) == 1
    prompt = messages[0]["content"]
    assert (
        prompt.startswith("Use the following pieces of context")
        and documents[0].page_content in prompt
    )
    assert "".join(baseline.stream(messages)) == "240.1 billion dollars."
    assert Baseline.refused("".join(baseline.stream(messages)))


def test_p95_interpolates_between_ranks() -> None:
    assert p95(list(range(101))) == 95 and p95([1.0]) == 1.0 and p95([]) is None
