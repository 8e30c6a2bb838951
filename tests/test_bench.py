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


def test_the_models_table_counts_each_models_answers_and_its_speed() -> None:
    from bench.models import table, totals

    def asked(right: bool, refused: bool, seconds: float, draft_right: bool | None = None):
        return {"right": right, "refused": refused, "seconds": seconds,
                "draft_right": right if draft_right is None else draft_right}  # fmt: skip

    rows = [
        {"unanswerable": False, "big": asked(True, False, 4.0), "small": asked(False, False, 2.0)},
        {"unanswerable": False, "big": asked(False, True, 3.0, draft_right=True),
         "small": asked(False, True, 1.0)},
        {"unanswerable": True, "big": asked(False, True, 2.0), "small": asked(False, False, 1.5)},
    ]  # fmt: skip
    big, small = totals(rows, "big"), totals(rows, "small")
    assert (big["drafts_right"], big["right"], big["wrong_shown"], big["declined"]) == (2, 1, 0, 1)
    assert (small["right"], small["wrong_shown"], small["unanswerable_shown"]) == (0, 1, 1)
    assert (big["seconds_median"], small["seconds_median"]) == (3.0, 1.5)
    lines = table({"xq-ar": {"big": big, "small": small}}, 3, 5).splitlines()
    assert lines[2] == "| XQuAD Arabic | big | 2 / 2 | 1 / 2 | 0 | 1 | 0 / 1 | 3.00 | 1.00 |"
    assert lines[3] == "| XQuAD Arabic | small | 0 / 2 | 0 / 2 | 1 | 1 | 1 / 1 | 1.50 | 0.50 |"
