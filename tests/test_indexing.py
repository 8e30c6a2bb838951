"""Ingest into Chroma and the keyword index: idempotent, replacing changed articles, persisted."""

import shutil
from pathlib import Path

from retrieval.chunking import Chunker
from retrieval.indexer import Indexer
from retrieval.store import KeywordIndex, PassageStore, collection_name
from tests.fakes import HashEmbeddings


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


def test_index_persists_across_processes(tmp_path: Path, seeds_dir: Path) -> None:
    store = PassageStore(tmp_path / "index", HashEmbeddings())
    Indexer(store, Chunker()).ingest([seeds_dir])
    count = store.count()
    reopened = PassageStore(tmp_path / "index", HashEmbeddings())  # as a new process would
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
