"""The evaluation: metrics by hand-worked examples, test-set formats, the runner and report."""

import json
from pathlib import Path

import pytest

from bot.evaluation import EvalOptions, evaluate, summarize
from bot.metrics import (
    citation_scores,
    contains_answer,
    exact_match,
    normalize_answer,
    percentile,
    retrieval_scores,
    token_f1,
)
from bot.report import write_report
from bot.settings import Settings
from bot.testsets import TestSetError, load_testset, select
from retrieval.arabic import normalize
from retrieval.documents import find_files, load_file
from retrieval.indexer import Indexer
from tests.fakes import ScriptedGenerator

ROOT = Path(__file__).resolve().parent.parent
SQUAD = {
    "version": "1.1",
    "data": [{"title": "Trade", "paragraphs": [
        {"context": "سجلت التجارة الصينية الروسية 240.1 مليار دولار في عام 2023.",
         "qas": [{"id": "q1", "question": "كم بلغت التجارة في 2023؟",
                  "answers": [{"text": "240.1 مليار دولار", "answer_start": 29}]}]},
        {"context": "أعلن بوتين تعليق مشاركة موسكو في معاهدة ستارت الجديدة.",
         "qas": [{"id": "q2", "question": "ما المعاهدة التي علقتها موسكو؟",
                  "answers": [{"text": "ستارت الجديدة", "answer_start": 40}]}]},
    ]}],
}  # fmt: skip


def test_answers_are_normalised_the_squad_way_with_arabic_rules() -> None:
    assert normalize_answer("The New START treaty.") == "new start treaty"
    assert normalize_answer("الإتفاقية، ٢٠٢٣") == normalize_answer("اتفاقية 2023") == "اتفاقيه 2023"
    assert exact_match("ستارت الجديدة.", ["معاهدة ستارت", "ستارت الجديده"]) == 1.0
    assert token_f1("new start treaty", ["New START"]) == pytest.approx(0.8)
    assert token_f1("nothing alike", ["New START"]) == 0.0
    assert contains_answer("Trade reached 240.1 billion dollars [1].", ["240.1 billion"]) == 1.0
    assert contains_answer("Trade reached 1240.1 billion.", ["240.1"]) == 0.0, "whole words"


def test_retrieval_and_citation_scores_by_hand() -> None:
    scores = retrieval_scores(["c", "a", "x", "b"], ["a", "b"])
    assert scores["recall@1"] == 0.0 and scores["recall@5"] == 1.0 and scores["mrr"] == 0.5
    log2_3, log2_5 = 1.5849625007211562, 2.321928094887362
    assert scores["ndcg@10"] == pytest.approx((1 / log2_3 + 1 / log2_5) / (1 + 1 / log2_3))
    assert retrieval_scores(["a"], ["a"]) == {"recall@1": 1.0, "recall@5": 1.0, "recall@10": 1.0,
                                               "mrr": 1.0, "ndcg@10": 1.0}  # fmt: skip
    assert citation_scores(["a", "x", "a"], ["a", "b"]) == {
        "citation_precision": pytest.approx(2 / 3), "citation_recall": 0.5}  # fmt: skip
    assert citation_scores([], ["a"]) == {}
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5 and percentile([5.0], 95) == 5.0


def test_jsonl_test_sets_keep_unknown_fields_and_detect_language(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(
        '{"id": "a", "question": "Which treaty?", "answers": ["New START"], "sources": ["x.txt"],'
        ' "topic": "arms"}\n\n{"id": "b", "question": "من فاز؟", "unanswerable": true}\n',
        encoding="utf-8",
    )
    testset = load_testset(path, ROOT / "seeds", tmp_path)
    first, second = testset.cases
    assert first.lang == "en" and first.extra == {"topic": "arms"} and not first.unanswerable
    assert second.lang == "ar" and second.unanswerable and second.answers == []
    assert testset.corpus == [ROOT / "seeds"] and testset.corpus_name == "eval-seeds"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"question": "ok", ', "line 2 is not valid JSON"),
        ('{"question": ""}', 'line 2: "question" must be a non-empty string'),
        ('{"question": "ok", "answers": "New START"}', '"answers" must be a list'),
        ('{"question": "ok", "lang": "fr"}', '"lang" must be "ar" or "en"'),
    ],
)
def test_broken_test_sets_name_the_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text('{"question": "fine?"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(TestSetError, match=message):
        load_testset(path, ROOT / "seeds", tmp_path)


def test_squad_paragraphs_become_a_corpus_and_parallel_questions_swap_in(tmp_path) -> None:
    arabic = tmp_path / "mini.ar.json"
    arabic.write_text(json.dumps(SQUAD, ensure_ascii=False), encoding="utf-8")
    english = json.loads(json.dumps(SQUAD))
    english["data"][0]["paragraphs"][1]["qas"][0] |= {
        "question": "Which treaty did Moscow suspend?",
        "answers": [{"text": "New START"}],
    }
    (tmp_path / "mini.en.json").write_text(json.dumps(english), encoding="utf-8")
    testset = load_testset(arabic, ROOT / "seeds", tmp_path / "corpora")
    (corpus,) = testset.corpus
    articles = load_file(corpus)
    assert [a.source for a in articles] == ["mini.ar.jsonl#0-0", "mini.ar.jsonl#0-1"]
    assert "240.1" in articles[0].text and testset.cases[0].sources == ["mini.ar.jsonl#0-0"]
    swapped = load_testset(arabic, ROOT / "seeds", tmp_path / "corpora", tmp_path / "mini.en.json")
    assert swapped.cases[1].question == "Which treaty did Moscow suspend?"
    assert swapped.cases[1].lang == "en" and swapped.cases[1].answers == ["New START"]
    assert swapped.cases[1].sources == ["mini.ar.jsonl#0-1"]
    assert swapped.corpus_name == testset.corpus_name, "the same paragraphs, the same index"


def squad_of(paragraphs: int, questions: int) -> dict:
    """A SQuAD-style set: `paragraphs` paragraphs with `questions` questions each."""
    return {"data": [{"title": "t", "paragraphs": [
        {"context": f"الفقرة رقم {p} تذكر العدد {p * 7}.",
         "qas": [{"id": f"p{p}q{q}", "question": f"ما العدد في الفقرة {p}؟ ({q})",
                  "answers": [{"text": str(p * 7)}]} for q in range(questions)]}
        for p in range(paragraphs)]}]}  # fmt: skip


def test_a_spread_sample_covers_the_whole_set_and_repeats_with_its_seed(tmp_path) -> None:
    path = tmp_path / "big.ar.json"
    path.write_text(json.dumps(squad_of(50, 4), ensure_ascii=False), encoding="utf-8")
    testset = load_testset(path, ROOT / "seeds", tmp_path / "corpora")
    sample = select(testset, sample=20, seed=3)
    ids = [c.id for c in sample.cases]
    assert len(ids) == 20 and len(set(ids)) == 20
    paragraphs = [int(i[1 : i.index("q")]) for i in ids]
    # one from each tenth of the 50 paragraphs × 4 questions: the last stretch is reached
    assert paragraphs == sorted(paragraphs) and paragraphs[0] < 5 and paragraphs[-1] >= 45
    assert ids == [c.id for c in select(testset, sample=20, seed=3).cases]
    assert ids != [c.id for c in select(testset, sample=20, seed=4).cases]
    assert sample.corpus == testset.corpus, "nothing held out: the whole corpus"


def test_questions_made_unanswerable_lose_their_paragraph_from_the_corpus(tmp_path) -> None:
    path = tmp_path / "big.ar.json"
    path.write_text(json.dumps(squad_of(50, 4), ensure_ascii=False), encoding="utf-8")
    testset = load_testset(path, ROOT / "seeds", tmp_path / "corpora")
    chosen = select(testset, sample=20, seed=1, unanswerable_share=0.25)
    unanswerable = [c for c in chosen.cases if c.unanswerable]
    answerable = [c for c in chosen.cases if not c.unanswerable]
    assert len(unanswerable) == 5 and len(answerable) == 15
    assert all(c.answers == [] for c in unanswerable)
    (corpus,) = chosen.corpus
    sources = {a.source for a in load_file(corpus)}
    assert len(sources) == 45 and corpus.name == testset.corpus[0].name
    assert not {c.sources[0] for c in unanswerable} & sources, "their paragraphs are gone"
    assert {c.sources[0] for c in answerable} <= sources, "every other question's stays"
    with pytest.raises(TestSetError, match="below 1"):
        select(testset, sample=20, unanswerable_share=1.0)
    seeds = load_testset(ROOT / "seeds" / "questions.jsonl", ROOT / "seeds", tmp_path)
    with pytest.raises(TestSetError, match="SQuAD-style"):
        select(seeds, sample=5, unanswerable_share=0.2)


def test_the_runner_scores_rows_and_writes_the_report(hash_indexer: Indexer, tmp_path) -> None:
    hash_indexer.ingest([ROOT / "seeds"])
    path = tmp_path / "set.jsonl"
    cases = [
        {"id": "trade", "question": "كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟",
         "answers": ["240.1 مليار دولار"], "sources": ["000_479f4305cba7f61e.txt"],
         "dated": True},
        {"id": "cup", "question": "من فاز بكأس العالم 2022؟", "unanswerable": True},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases), encoding="utf-8")
    testset = load_testset(path, ROOT / "seeds", tmp_path)
    generator = ScriptedGenerator("بلغت 240.1 مليار دولار [1].", "بلغت 12 مليار [1].")
    settings = Settings(min_relevance_ar=0, min_relevance_en=0, sentence_windows=False)
    options = EvalOptions(retrievers=["hybrid", "keyword"], answer_limit=1)
    results = evaluate(testset, hash_indexer.store, settings, options, generator=generator)
    trade, cup = results["hybrid"]
    assert trade["ranked_sources"][0] == "000_479f4305cba7f61e.txt"
    assert trade["scores"]["recall@1"] == 1.0 and trade["scores"]["contains_answer"] == 1.0
    assert trade["scores"]["citation_precision"] == 1.0 and trade["answer"].startswith("بلغت")
    assert "answer" not in cup, "answer_limit=1: only the first question is answered"
    summary = summarize(results["hybrid"])
    assert summary["all"]["questions"] == 2 and summary["all"]["answered"] == 1
    assert summary["ar"]["recall@1"] == 1.0 and summary["all"]["language_match"] == 1.0
    assert summary["all"]["refusal_accuracy"] is None, "no unanswerable question was answered"
    assert summary["dated"]["questions"] == 1, "dated questions are reported apart"
    summaries = {mode: summarize(rows) for mode, rows in results.items()}
    files = write_report(tmp_path / "report", "set", results, summaries, "python -m bot eval x")
    rows, summary_json, summary_md, png = files
    assert len(rows.read_text("utf-8").splitlines()) == 4
    assert "| recall@1 | 1.000 | 1.000 |" in summary_md.read_text("utf-8")
    assert json.loads(summary_json.read_text())["keyword"]["all"]["questions"] == 2
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000


def test_the_gold_seed_questions_hold_up() -> None:
    """At least 40, half in each language, 6+ unanswerable, sources real, and every Arabic gold
    answer found in one of its sources' text."""
    testset = load_testset(ROOT / "seeds" / "questions.jsonl", ROOT / "seeds", ROOT)
    cases = testset.cases
    assert len(cases) >= 40 and len({c.id for c in cases}) == len(cases)
    assert sum(c.lang == "ar" for c in cases) == sum(c.lang == "en" for c in cases)
    assert sum(c.unanswerable for c in cases) >= 6
    assert sum(len(c.sources) >= 2 for c in cases) >= 4, "questions that need two articles"
    assert sum(bool(c.extra.get("dated")) for c in cases) >= 10, "answers that change with time"
    texts = {p.name: normalize(load_file(p)[0].text) for p, _ in find_files([ROOT / "seeds"])}
    for case in cases:
        assert all(source in texts for source in case.sources), case.id
        assert case.unanswerable == (not case.answers) == (not case.sources), case.id
        if case.lang == "ar" and not case.unanswerable:
            found = [a for a in case.answers if any(normalize(a) in texts[s] for s in case.sources)]
            assert found, f"{case.id}: no gold answer appears in its sources"


def test_the_report_counts_what_each_check_threw_away_and_stopped(hash_indexer, tmp_path) -> None:
    from bot.report import markdown

    hash_indexer.ingest([ROOT / "seeds"])
    path = tmp_path / "set.jsonl"
    question = "كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟"
    cases = [
        {"id": "right", "question": question, "answers": ["240.1 مليار دولار"]},
        {"id": "wrong", "question": question, "answers": ["240.1 مليار دولار"]},
        {"id": "none", "question": "من فاز بكأس العالم 2022؟", "unanswerable": True},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases), encoding="utf-8")
    testset = load_testset(path, ROOT / "seeds", tmp_path)
    generator = ScriptedGenerator(
        "بلغت قيمة التجارة 240.1 مليار دولار [1].",  # right, passes
        "بلغت قيمة التجارة 777 مليار دولار [1].",  # wrong: a number in no passage
        "فاز منتخب 1930 بكأس العالم [1].",  # unanswerable: a number in no passage
    )
    settings = Settings(min_relevance_ar=0, min_relevance_en=0, sentence_windows=False)
    rows = evaluate(testset, hash_indexer.store, settings, EvalOptions(), generator=generator)
    right, wrong, none = rows["hybrid"]
    assert right["checks_failed"] == [] and right["scores"]["contains_answer"] == 1.0
    assert wrong["refused"] and wrong["checks_failed"] == ["numbers"]
    assert wrong["draft"].startswith("بلغت قيمة التجارة 777")
    assert wrong["scores"]["draft_contains_answer"] == 0.0
    assert none["refused"] and "numbers" in none["checks_failed"]
    summary = summarize(rows["hybrid"])["all"]
    assert summary["drafts right"] == 1 and summary["drafts wrong"] == 1
    assert summary["check numbers: wrong"] == 1 and summary["check numbers: unanswerable"] == 1
    assert "check numbers: right" not in summary, "it threw no right draft away"
    table = markdown("set", {"hybrid": summarize(rows["hybrid"])}, "python -m bot eval x")
    assert "| check numbers: wrong | 1 |" in table and "| draft_contains_answer | 0.500 |" in table


def test_corrected_answers_are_counted_by_whether_the_answer_shown_is_right() -> None:
    from bot.evaluation import check_counts

    def row(corrections, right, unanswerable=False):
        scores = {"draft_contains_answer": 0.0, "contains_answer": float(right)}
        return {"draft": "x [1]", "unanswerable": unanswerable, "checks_failed": [],
                "corrections": corrections, "scores": scores}  # fmt: skip

    fixed = [{"written": "dinars", "corrected": "dirhams"}]
    counts = check_counts([row(fixed, True), row(fixed, False), row(fixed, False, True),
                           row([], True)])  # fmt: skip
    assert counts["corrected: right"] == 1 and counts["corrected: wrong"] == 1
    assert counts["corrected: unanswerable"] == 1 and counts["drafts wrong"] == 3
