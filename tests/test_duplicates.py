"""Wire stories republished under many names (issue 13): an identical or nearly identical
article (another headline, a paragraph trimmed) is indexed once, reported by name, and its
sources say "also in: …" instead of showing the same sentence twice."""

import random
from pathlib import Path

from bot.core import passage_dict
from bot.render import message_html
from retrieval.documents import find_files, read_articles
from retrieval.duplicates import NearDuplicates
from retrieval.indexer import Indexer


def seed_text(seeds_dir: Path, n: int = 0) -> str:
    path, source = find_files([seeds_dir])[n]
    return read_articles(path, source)[0][0].text


def rewritten(text: str) -> str:
    """The same story as another outlet runs it: its own headline, the last paragraph cut."""
    paragraphs = [p for p in text.split("\n") if p.strip()]
    return "\n\n".join(["عنوان آخر للقصة نفسها من وكالة أخرى", *paragraphs[1:-1]])


def test_a_near_copy_in_the_same_ingest_is_indexed_once(hash_indexer: Indexer, seeds_dir: Path,
                                                        tmp_path: Path) -> None:  # fmt: skip
    folder = tmp_path / "wire"
    folder.mkdir()
    (folder / "a.txt").write_text(seed_text(seeds_dir), encoding="utf-8")
    (folder / "b.txt").write_text(rewritten(seed_text(seeds_dir)), encoding="utf-8")
    (folder / "c.txt").write_text(seed_text(seeds_dir, 1), encoding="utf-8")
    report = hash_indexer.ingest([folder])
    assert report.added == ["a.txt", "c.txt"] and report.near_duplicates == [("b.txt", "a.txt")]
    passages = hash_indexer.store.passages()
    assert {p.source for p in passages} == {"a.txt", "c.txt"}
    assert all(p.also_in == ("b.txt",) for p in passages if p.source == "a.txt")
    assert all(p.also_in == () for p in passages if p.source == "c.txt")
    shown = next(p for p in passages if p.source == "a.txt")
    assert passage_dict(1, shown)["also_in"] == ["b.txt"]
    html = message_html("…", "en", [shown], 1)
    assert "also in:" in html and "b.txt" in html and html.count("a.txt") == 1


def test_a_near_copy_in_a_later_ingest_is_recognised(hash_indexer: Indexer, seeds_dir: Path,
                                                     tmp_path: Path) -> None:  # fmt: skip
    first, second = tmp_path / "monday", tmp_path / "tuesday"
    first.mkdir(), second.mkdir()
    (first / "reuters.txt").write_text(seed_text(seeds_dir, 2), encoding="utf-8")
    hash_indexer.ingest([first])
    count = hash_indexer.store.count()
    (second / "afp.txt").write_text(rewritten(seed_text(seeds_dir, 2)), encoding="utf-8")
    (second / "same.txt").write_text(seed_text(seeds_dir, 2), encoding="utf-8")
    report = hash_indexer.ingest([second])
    assert report.near_duplicates == [("afp.txt", "reuters.txt")]
    assert report.duplicates == [("same.txt", "reuters.txt")]
    assert hash_indexer.store.count() == count, "no passage added"
    also = {p.also_in for p in hash_indexer.store.passages()}
    assert also == {("afp.txt", "same.txt")} or also == {("same.txt", "afp.txt")}


def test_different_stories_on_one_subject_are_kept_apart(seeds_dir: Path) -> None:
    near = NearDuplicates()
    for n in range(5):
        near.add(f"{n}.txt", seed_text(seeds_dir, n))
    assert [near.match(seed_text(seeds_dir, n)) for n in range(5)] == [f"{n}.txt" for n in range(5)]
    assert near.match("خبر قصير لا يشبه أي مقال آخر في المجموعة على الإطلاق") is None
    assert near.match(rewritten(seed_text(seeds_dir, 4))) == "4.txt"


def test_a_thousand_articles_with_a_tenth_copied(hash_indexer: Indexer, seeds_dir: Path,
                                                 tmp_path: Path) -> None:  # fmt: skip
    words = sorted({w for n in range(5) for w in seed_text(seeds_dir, n).split() if len(w) > 2})
    rng = random.Random(13)
    folder = tmp_path / "collection"
    folder.mkdir()
    stories = []
    for n in range(900):
        paragraphs = [" ".join(rng.choices(words, k=20)) + "." for _ in range(8)]
        stories.append("\n\n".join([f"الخبر رقم {n}", *paragraphs]))
        (folder / f"story-{n:04d}.txt").write_text(stories[-1], encoding="utf-8")
    for n in range(50):  # republished as they were, and as other outlets edit them
        (folder / f"wire-copy-{n:02d}.txt").write_text(stories[n], encoding="utf-8")
        edited = rewritten(stories[100 + n]) + "\n\nالمصدر: وكالة"
        (folder / f"wire-edit-{n:02d}.txt").write_text(edited, encoding="utf-8")
    report = hash_indexer.ingest([folder])
    assert not report.errors and len(report.added) == 900
    assert len(report.duplicates) == 50 and len(report.near_duplicates) == 50
    assert {original for _, original in report.near_duplicates} == {
        f"story-{n:04d}.txt" for n in range(100, 150)}  # fmt: skip
    passages = hash_indexer.store.passages()
    assert len({p.text for p in passages}) == len(passages) == hash_indexer.store.count()
