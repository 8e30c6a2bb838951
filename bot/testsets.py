"""Test sets: our JSON Lines format, and SQuAD-style JSON (XQuAD, ARCD, TyDi QA GoldP, MLQA),
whose paragraphs become a corpus of their own."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bot.language import detect_language

FIELDS = ("id", "question", "lang", "answers", "sources", "unanswerable")


class TestSetError(ValueError):
    """A test set Sanad cannot read; the message names the file and line."""

    __test__ = False  # not a pytest test class, despite its name


@dataclass
class Case:
    id: str
    question: str
    lang: str
    answers: list[str]
    sources: list[str]  # gold article sources (file names in the corpus)
    unanswerable: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # unknown fields, kept


@dataclass
class TestSet:
    __test__ = False

    name: str
    cases: list[Case]
    corpus: list[Path]  # files or folders to index
    corpus_name: str  # the Chroma collection's corpus part
    # SQuAD-style sets: the corpus without the given paragraphs (gold sources), for
    # questions made unanswerable by leaving their paragraph out
    held_out_corpus: Callable[[set[str]], list[Path]] | None = None


def collection_name(text: str) -> str:
    """A corpus name Chroma accepts: letters, digits, dot, dash, underscore."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._") or "corpus"


def _case(record: dict[str, Any], where: str) -> Case:
    question = record.get("question")
    if not isinstance(question, str) or not question.strip():
        raise TestSetError(f'{where}: "question" must be a non-empty string')
    answers, sources = record.get("answers", []), record.get("sources", [])
    if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
        raise TestSetError(f'{where}: "answers" must be a list of strings')
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise TestSetError(f'{where}: "sources" must be a list of file names')
    lang = record.get("lang") or detect_language(question)
    if lang not in ("ar", "en"):
        raise TestSetError(f'{where}: "lang" must be "ar" or "en", not {lang!r}')
    return Case(
        id=str(record.get("id") or where),
        question=question.strip(),
        lang=lang,
        answers=answers,
        sources=sources,
        unanswerable=bool(record.get("unanswerable", False)),
        extra={k: v for k, v in record.items() if k not in FIELDS},
    )


def load_jsonl(path: Path, corpus: Path) -> TestSet:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TestSetError(f"{where} is not valid JSON: {exc.msg}") from exc
        if not isinstance(record, dict):
            raise TestSetError(f"{where} is not a JSON object")
        cases.append(_case(record, where))
    if not cases:
        raise TestSetError(f"{path.name} has no questions")
    # a collection of the evaluation's own: the app's index (with its uploads) is left alone
    return TestSet(path.stem, cases, [corpus], collection_name(f"eval-{corpus.resolve().name}"))


def _squad(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        articles = data["data"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise TestSetError(f"{path.name} is not SQuAD-style JSON ({{'data': [...]}})") from exc
    return articles


def load_squad(path: Path, corpora_dir: Path, questions_from: Path | None = None) -> TestSet:
    """Paragraphs → `<corpora_dir>/<name>.jsonl` (one article each); each question's gold source
    is its paragraph. With `questions_from`, the parallel questions (and answers) of another
    language replace the originals by id, over the same paragraphs."""
    corpora_dir.mkdir(parents=True, exist_ok=True)
    corpus = corpora_dir / f"{collection_name(path.stem)}.jsonl"
    swap: dict[str, dict[str, Any]] = {}
    if questions_from is not None:
        for article in _squad(questions_from):
            for paragraph in article["paragraphs"]:
                swap.update({qa["id"]: qa for qa in paragraph["qas"]})
    cases, lines = [], []
    for a, article in enumerate(_squad(path)):
        for p, paragraph in enumerate(article["paragraphs"]):
            key = f"{a}-{p}"
            record = {"id": key, "title": article.get("title") or key,
                      "text": paragraph["context"]}  # fmt: skip
            lines.append(json.dumps(record, ensure_ascii=False))
            for qa in paragraph["qas"]:
                if questions_from is not None and qa["id"] not in swap:
                    continue
                asked = swap.get(qa["id"], qa)
                cases.append(Case(
                    id=qa["id"],
                    question=asked["question"].strip(),
                    lang=detect_language(asked["question"]),
                    answers=[answer["text"] for answer in asked.get("answers", [])],
                    sources=[f"{corpus.name}#{key}"],
                    unanswerable=bool(qa.get("is_impossible", False)),
                ))  # fmt: skip
    text = "\n".join(lines) + "\n"
    if not corpus.exists() or corpus.read_text(encoding="utf-8") != text:
        corpus.write_text(text, encoding="utf-8")
    name = path.stem if questions_from is None else f"{path.stem}+{questions_from.stem}"

    def held_out(sources: set[str]) -> list[Path]:
        # the same file name, so that gold sources keep naming the paragraphs left in
        folder = corpora_dir / "held-out"
        folder.mkdir(exist_ok=True)
        kept = [line for line in lines
                if f"{corpus.name}#{json.loads(line)['id']}" not in sources]  # fmt: skip
        (folder / corpus.name).write_text("\n".join(kept) + "\n", encoding="utf-8")
        return [folder / corpus.name]

    return TestSet(name, cases, [corpus], collection_name(path.stem), held_out)


def load_testset(
    path: Path, corpus: Path, corpora_dir: Path, questions_from: Path | None = None
) -> TestSet:
    """A .jsonl test set over `corpus`, or a SQuAD-style .json file with its own corpus."""
    if not path.is_file():
        raise TestSetError(f"{path} does not exist")
    if path.suffix.lower() == ".json":
        return load_squad(path, corpora_dir, questions_from)
    if questions_from is not None:
        raise TestSetError("--questions-from works with SQuAD-style .json test sets only")
    return load_jsonl(path, corpus)


def spread(items: list[Any], count: int, rng: random.Random) -> list[Any]:
    """`count` items spread over the whole list: one drawn at random from each of `count`
    equal stretches, in the list's order (all of them when there are no more than `count`)."""
    if count >= len(items):
        return list(items)
    bounds = [round(i * len(items) / count) for i in range(count + 1)]
    return [items[rng.randrange(bounds[i], bounds[i + 1])] for i in range(count)]


def _paragraph(case: Case) -> str:
    return case.sources[0] if case.sources else case.id


def select(
    testset: TestSet, sample: int | None = None, seed: int = 0, unanswerable_share: float = 0.0
) -> TestSet:
    """A spread sample of the test set (`sample` questions, seeded), of which a share is made
    unanswerable: their paragraphs leave the corpus, with every question on them, so that the
    index holds no answer to them. Needs a corpus made from a SQuAD-style set."""
    if not 0.0 <= unanswerable_share < 1.0:
        raise TestSetError("--unanswerable-share must be at least 0 and below 1")
    rng = random.Random(seed)
    cases = [c for c in testset.cases if not c.unanswerable or not unanswerable_share]
    count = min(sample or len(cases), len(cases))
    removed: list[str] = []
    if unanswerable_share:
        if not testset.held_out_corpus:
            raise TestSetError(
                "--unanswerable-share works with SQuAD-style .json test sets only (it leaves "
                "each chosen question's paragraph out of the index)"
            )
        paragraphs = list(dict.fromkeys(_paragraph(c) for c in cases))
        removed = spread(paragraphs, round(count * unanswerable_share), rng)
    gone = set(removed)
    kept = spread([c for c in cases if _paragraph(c) not in gone], count - len(removed), rng)
    held_out = [
        replace(rng.choice([c for c in cases if _paragraph(c) == p]), unanswerable=True,
                answers=[])
        for p in removed
    ]  # fmt: skip
    order = {id(c): n for n, c in enumerate(testset.cases)}
    chosen = sorted(kept, key=lambda c: order[id(c)]) + held_out
    corpus = testset.held_out_corpus(gone) if gone else testset.corpus
    return replace(testset, cases=chosen, corpus=corpus)
