"""Starting on an empty index (first run, or a new embedder): nothing the user added is lost."""

from pathlib import Path

from bot.settings import Settings
from bot.wiring import ensure_index
from retrieval.documents import find_files
from retrieval.store import PassageStore
from tests.fakes import HashEmbeddings

DESALINATION = (
    "المغرب يفتتح محطة لتحلية المياه\n\n"
    "افتتح المغرب في الدار البيضاء محطة لتحلية مياه البحر تبلغ طاقتها 300 مليون متر مكعب سنويا.\n"
)


def test_an_empty_index_gets_the_seeds_and_the_uploaded_articles(
    tmp_path: Path, seeds_dir: Path
) -> None:
    settings = Settings(data_dir=tmp_path / "data", embedder="e5")
    settings.uploads_dir.mkdir(parents=True)
    (settings.uploads_dir / "desalination.txt").write_text(DESALINATION, encoding="utf-8")
    store = PassageStore(settings.index_dir, HashEmbeddings())
    report = ensure_index(settings, store=store)
    assert report is not None
    sources = set(store.sources())
    assert "desalination.txt" in sources
    assert {source for _, source in find_files([seeds_dir])} <= sources
    assert ensure_index(settings, store=store) is None, "an index with passages is left alone"
