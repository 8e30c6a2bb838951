"""Adding articles: kept in the uploads folder, indexed, listed, and searchable at once."""

from pathlib import Path

import pytest

from bot.library import Library, UploadError
from retrieval.indexer import Indexer
from retrieval.search import HybridRetriever

ARTICLE = (
    "المغرب يفتتح أكبر محطة لتحلية المياه في أفريقيا\n\n"
    "افتتح المغرب اليوم محطة لتحلية مياه البحر في الدار البيضاء بطاقة 300 مليون متر مكعب سنويا، "
    "وهي الأكبر في القارة الأفريقية بحسب وزارة التجهيز والماء.\n"
)


def test_an_added_article_is_listed_and_found(hash_indexer: Indexer, tmp_path: Path) -> None:
    upload = tmp_path / "browser-temp" / "desalination.txt"
    upload.parent.mkdir()
    upload.write_text(ARTICLE, encoding="utf-8")
    library = Library(hash_indexer.store, hash_indexer, tmp_path / "uploads")
    seen = []
    report = library.add(
        [upload], progress=lambda stage, done, total, name: seen.append((stage, done, total))
    )
    assert report.added == ["desalination.txt"] and report.passages >= 1
    assert (tmp_path / "uploads" / "desalination.txt").read_text("utf-8") == ARTICLE
    assert ("read", 1, 1) in seen and seen[-1] == ("embed", report.passages, report.passages)
    (article,) = library.articles()
    assert article.file == "desalination.txt" and article.title.startswith("المغرب يفتتح")
    hits = HybridRetriever(store=hash_indexer.store, k=2).search("محطة تحلية المياه في المغرب")
    assert hits[0].source == "desalination.txt" and "300 مليون" in hits[0].text
    assert library.add([upload]).unchanged == ["desalination.txt"], "the same file twice: no-op"


def test_files_sanad_cannot_read_are_refused_before_anything_is_indexed(
    hash_indexer: Indexer, tmp_path: Path
) -> None:
    good, bad = tmp_path / "a.txt", tmp_path / "scan.tiff"
    good.write_text(ARTICLE, encoding="utf-8")
    bad.write_bytes(b"%PDF-1.4")
    library = Library(hash_indexer.store, hash_indexer, tmp_path / "uploads")
    with pytest.raises(UploadError, match=r"scan\.tiff: only \.txt"):
        library.add([good, bad])
    with pytest.raises(UploadError, match="No file"):
        library.add([])
    assert library.articles() == []


def test_a_broken_file_is_reported_and_the_others_added(hash_indexer, tmp_path: Path) -> None:
    good, empty = tmp_path / "good.txt", tmp_path / "empty.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    empty.write_bytes(b"")
    library = Library(hash_indexer.store, hash_indexer, tmp_path / "uploads")
    report = library.add([good, empty])
    assert report.added == ["good.txt"] and len(report.errors) == 1 and "empty" in report.errors[0]
