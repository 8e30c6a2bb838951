"""Starting on an empty index (first run, or a new embedder): nothing the user added is lost."""

from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import ConfigError, Settings
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


def test_a_config_file_sets_what_the_environment_does_not(tmp_path, monkeypatch) -> None:
    config = tmp_path / "sanad.env"
    config.write_text("SANAD_PORT=7999\nSANAD_RATE_LIMIT=5/minute\n# a comment\n"
                      "SANAD_USERS=amal:pw\n", encoding="utf-8")  # fmt: skip
    monkeypatch.setenv("SANAD_CONFIG", str(config))
    monkeypatch.setenv("SANAD_RATE_LIMIT", "9/minute")
    settings = Settings()
    assert (settings.port, settings.users) == (7999, "amal:pw")
    assert settings.rate_limit == "9/minute", "the environment wins over the file"


@pytest.mark.parametrize("text, message", [
    (None, "no such file"),
    ("SANAD_PROT=7999\n", "no such setting SANAD_PROT"),
])  # fmt: skip
def test_a_wrong_config_file_is_refused_by_name(tmp_path, monkeypatch, capsys, text, message):
    config = tmp_path / "sanad.env"
    if text is not None:
        config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("SANAD_CONFIG", str(config))
    with pytest.raises(ConfigError, match=message):
        Settings()
    assert main(["ask", "hello"]) == 2
    assert message in capsys.readouterr().err


def test_a_value_a_setting_does_not_take_is_refused_by_name(monkeypatch, capsys) -> None:
    monkeypatch.setenv("SANAD_PORT", "seventy")
    with pytest.raises(ConfigError, match="SANAD_PORT='seventy': Input should be a valid integer"):
        Settings()
    assert main(["ask", "hello"]) == 2
    assert "SANAD_PORT='seventy'" in capsys.readouterr().err
