"""Ingest into Chroma and the keyword index: idempotent, replacing changed articles, persisted."""

import shutil
from pathlib import Path

import pytest

from retrieval.chunking import Chunker
from retrieval.indexer import Indexer
from retrieval.store import KeywordIndex, PassageStore, collection_name
from tests.fakes import HashEmbeddings


@pytest.fixture
def hash_indexer(any_store: PassageStore) -> Indexer:
    """Every test here runs on the embedded store and on a real Chroma server."""
    return Indexer(any_store, Chunker(window_count=HashEmbeddings().token_count))


def copy_seeds(seeds_dir: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(seeds_dir, folder)
    return folder


def test_ingesting_the_same_articles_twice_adds_nothing(
    hash_indexer: Indexer, seeds_dir: Path
) -> None:
    first = hash_indexer.ingest([seeds_dir])
    count = hash_indexer.store.count()
    second = hash_indexer.ingest([seeds_dir])
    assert len(first.added) == 5 and first.passages == count > 5
    assert second.added == [] and len(second.unchanged) == 5 and second.passages == 0
    assert hash_indexer.store.count() == count


def test_a_changed_article_replaces_its_old_passages(hash_indexer: Indexer, seeds_dir: Path,
                                                    tmp_path: Path) -> None:  # fmt: skip
    corpus = copy_seeds(seeds_dir, tmp_path)
    hash_indexer.ingest([corpus])
    store = hash_indexer.store
    path = corpus / "000_479f4305cba7f61e.txt"
    path.write_text(path.read_text().replace("240.1 مليار دولار", "999.9 مليار دولار"))
    report = hash_indexer.ingest([corpus])
    assert report.replaced == ["000_479f4305cba7f61e.txt"] and len(report.unchanged) == 4
    texts = [p.text for p in store.passages()]
    assert any("999.9" in t for t in texts) and not any("240.1" in t for t in texts)
    doc_ids = {p.doc_id for p in store.passages() if p.source == "000_479f4305cba7f61e.txt"}
    assert len(doc_ids) == 1, "old chunks of the article are left behind"
    assert [p.source for p in store.keyword_search("999.9", 3)][0] == "000_479f4305cba7f61e.txt"


def test_prune_removes_articles_whose_files_are_gone(hash_indexer: Indexer, seeds_dir: Path,
                                                     tmp_path: Path) -> None:  # fmt: skip
    corpus = copy_seeds(seeds_dir, tmp_path)
    hash_indexer.ingest([corpus])
    (corpus / "004_aa184c3cf74723ce.txt").unlink()
    kept = hash_indexer.ingest([corpus])
    assert kept.pruned == [] and "004_aa184c3cf74723ce.txt" in hash_indexer.store.sources()
    pruned = hash_indexer.ingest([corpus], prune=True)
    assert pruned.pruned == ["004_aa184c3cf74723ce.txt"]
    assert "004_aa184c3cf74723ce.txt" not in hash_indexer.store.sources()
    assert not hash_indexer.store.keyword_search("ستارت", 5)


def test_bad_files_are_reported_and_the_rest_indexed(hash_indexer: Indexer, seeds_dir: Path,
                                                     tmp_path: Path) -> None:  # fmt: skip
    corpus = copy_seeds(seeds_dir, tmp_path)
    (corpus / "empty.txt").write_bytes(b"")
    report = hash_indexer.ingest([corpus])
    assert len(report.added) == 5
    assert report.errors == ["empty.txt is empty"]


def test_index_persists_across_processes(hash_indexer: Indexer, seeds_dir: Path) -> None:
    store = hash_indexer.store
    hash_indexer.ingest([seeds_dir])
    count = store.count()
    # as a new process would open it
    reopened = PassageStore(store.directory, HashEmbeddings(), corpus=store.corpus, url=store.url)
    assert reopened.count() == count
    assert len(reopened.keywords) == count
    best = reopened.keyword_search("معاهدة ستارت الجديدة", 1)[0]
    assert best.source == "004_aa184c3cf74723ce.txt" and "ستارت" in best.text


def test_collection_is_cosine_per_corpus_and_embedder(tmp_path: Path) -> None:
    store = PassageStore(tmp_path, HashEmbeddings(), corpus="my news")
    assert store.collection_name == collection_name("my news", "hash64") == "my-news--hash64"
    config = store.vectors._collection.configuration
    assert config["hnsw"]["space"] == "cosine"
    assert store.vectors.embeddings.__class__ is HashEmbeddings  # never Chroma's default


def test_keyword_index_ranks_by_normalised_stemmed_terms(tmp_path: Path) -> None:
    index = KeywordIndex(tmp_path / "kw")
    index.build(["a", "b", "c"], ["التجارة الصينية الروسية", "الأمن الأوراسي", "حلف الناتو"])
    assert [pid for pid, _ in index.search("والتجاره", 3)] == ["a"]
    assert index.search("كلمة غائبة", 3) == []
    assert index.search("", 3) == []


def brief(i: int) -> str:
    return (
        f"نشرة رقم {i} عن التجارة\nارتفع حجم التبادل التجاري بنسبة {i} بالمئة هذا العام. "
        f"وقال مسؤولون إن الرقم {i} يعكس نمو العلاقات. وأضافوا أن الزيادة ستستمر.\n"
    )


def write_briefs(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"brief-{i:03d}.txt").write_text(brief(i), encoding="utf-8")
    return folder


def test_an_interrupted_ingest_resumes_without_duplicates(hash_indexer: Indexer,
                                                          tmp_path: Path) -> None:  # fmt: skip
    corpus = write_briefs(tmp_path / "briefs", 30)
    hash_indexer.batch_passages = 8
    batches = []

    def interrupt(stage: str, done: int, total: int, name: str) -> None:
        if stage == "embed" and done:
            batches.append(done)
            if len(batches) == 2:
                raise KeyboardInterrupt  # Ctrl-C in the middle of the ingest

    with pytest.raises(KeyboardInterrupt):
        hash_indexer.ingest([corpus], progress=interrupt)
    store = hash_indexer.store
    kept = store.count()
    assert 0 < kept < 30 and kept == batches[-1], "what was written before Ctrl-C is kept"
    resumed = hash_indexer.ingest([corpus])
    assert len(resumed.unchanged) == kept and len(resumed.added) == 30 - kept
    again = hash_indexer.ingest([corpus])
    assert len(again.unchanged) == 30 and again.passages == 0
    ids = [p.id for p in store.passages()]
    assert len(ids) == len(set(ids)) == store.count() == len(store.keywords)
    assert all(a.complete(d) for a in store.sources().values() for d in a.versions)
    assert [p.source for p in store.keyword_search("نشرة رقم 17", 1)] == ["brief-017.txt"]


def test_a_half_indexed_article_is_indexed_again(hash_indexer: Indexer, seeds_dir: Path) -> None:
    store = hash_indexer.store
    hash_indexer.ingest([seeds_dir])
    count = store.count()
    article = store.sources()["000_479f4305cba7f61e.txt"]
    ((doc_id, ids),) = article.versions.items()
    store.delete_ids(ids[len(ids) // 2 :])  # as if killed after writing half of its passages
    assert not store.sources()["000_479f4305cba7f61e.txt"].complete(doc_id)
    report = hash_indexer.ingest([seeds_dir])
    assert report.added == ["000_479f4305cba7f61e.txt"] and len(report.unchanged) == 4
    assert store.count() == count and store.sources()["000_479f4305cba7f61e.txt"].complete(doc_id)


def test_a_replacement_cut_short_is_finished(hash_indexer: Indexer, seeds_dir: Path,
                                             tmp_path: Path) -> None:  # fmt: skip
    corpus = copy_seeds(seeds_dir, tmp_path)
    store = hash_indexer.store
    hash_indexer.ingest([corpus])
    path = corpus / "001_322b6b5cc92a09ad.txt"
    path.write_text(path.read_text() + "\nفقرة جديدة أضيفت إلى المقال لاحقا.\n")
    from retrieval.documents import load_file

    # killed after the new version's passages went in, before the old ones went out
    store.add(hash_indexer.chunker.split(load_file(path, path.name)[0]))
    assert len(store.sources()["001_322b6b5cc92a09ad.txt"].versions) == 2
    report = hash_indexer.ingest([corpus])
    assert report.unchanged.count("001_322b6b5cc92a09ad.txt") == 1 and not report.added
    assert len(store.sources()["001_322b6b5cc92a09ad.txt"].versions) == 1


def test_identical_articles_are_indexed_once_within_and_across_ingests(
    hash_indexer: Indexer, seeds_dir: Path, tmp_path: Path
) -> None:
    text = (seeds_dir / "000_479f4305cba7f61e.txt").read_text(encoding="utf-8")
    folder = tmp_path / "wire"
    folder.mkdir()
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "b.txt").write_text(text, encoding="utf-8")
    first = hash_indexer.ingest([folder])  # Chroma refused the repeated ids: nothing indexed
    assert first.added == ["a.txt"] and first.duplicates == [("b.txt", "a.txt")]
    count = hash_indexer.store.count()
    assert set(hash_indexer.store.sources()) == {"a.txt"}
    (folder / "c.txt").write_text(text, encoding="utf-8")
    second = hash_indexer.ingest([folder], prune=True)
    assert second.unchanged == ["a.txt"] and second.pruned == []
    assert second.duplicates == [("b.txt", "a.txt"), ("c.txt", "a.txt")]
    assert hash_indexer.store.count() == count, "no passage twice"
    (folder / "a.txt").unlink()  # the copy that was indexed goes: another one takes its place
    third = hash_indexer.ingest([folder], prune=True)
    assert third.added == ["b.txt"] and third.pruned == ["a.txt"]
    assert set(hash_indexer.store.sources()) == {"b.txt"}
    assert hash_indexer.store.count() == count
