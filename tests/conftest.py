from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import Settings
from retrieval.chunking import Chunker
from retrieval.indexer import Indexer
from retrieval.search import HybridRetriever
from retrieval.store import PassageStore
from tests.fakes import HashEmbeddings
from tests.server import ChromaServer

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# Resolved before any test moves the data directory: the real models stay where setup put them.
MODELS_DIR = Settings().models_dir
_real_connect = socket.socket.connect
OUTPUT = ROOT / "test-output"  # screenshots, for a person to look at
CHROMIUM = os.environ.get("SANAD_CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium keeps trying to reach Google's services from a closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def _loopback_only(self: socket.socket, address) -> None:
    """Nothing in the test suite may reach the network: only loopback and local sockets."""
    if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1", "localhost"):
        raise RuntimeError(f"test tried to reach the network: {address}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANAD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SANAD_MODEL_DIR", str(MODELS_DIR))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("GRADIO_ANALYTICS_ENABLED", "False")
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """One real Chroma server for the session (tests keep to collections of their own)."""
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server")).start()
    yield server
    server.stop()


@pytest.fixture(params=["embedded", "server"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> PassageStore:
    """The store's contract holds for the embedded Chroma and for a Chroma server alike."""
    if request.param == "embedded":
        return PassageStore(tmp_path / "index", HashEmbeddings())
    server = request.getfixturevalue("chroma_server")
    corpus = f"t-{uuid.uuid4().hex[:12]}"  # a collection of this test's own on the server
    return PassageStore(tmp_path / "index", HashEmbeddings(), corpus=corpus, url=server.url)


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def hash_store(tmp_path: Path) -> PassageStore:
    return PassageStore(tmp_path / "index", HashEmbeddings())


@pytest.fixture
def hash_indexer(hash_store: PassageStore) -> Indexer:
    return Indexer(hash_store, Chunker(window_count=HashEmbeddings().token_count))


@pytest.fixture
def seeded_indexer(hash_indexer: Indexer, seeds_dir: Path) -> Indexer:
    hash_indexer.ingest([seeds_dir])
    return hash_indexer


@pytest.fixture
def seeded_retriever(hash_indexer: Indexer, seeds_dir: Path) -> HybridRetriever:
    hash_indexer.ingest([seeds_dir])
    return HybridRetriever(store=hash_indexer.store, k=4)


# Real models, loaded once per session.


@pytest.fixture(scope="session")
def e5():
    from bot.wiring import e5

    return e5()


@pytest.fixture(scope="session")
def e5_store(e5, tmp_path_factory: pytest.TempPathFactory) -> PassageStore:
    store = PassageStore(tmp_path_factory.mktemp("e5-index"), e5)
    Indexer(store, Chunker(window_count=e5.token_count)).ingest([SEEDS])
    return store


@pytest.fixture(scope="session")
def gemma():
    from bot.embedding_file import EMBEDDING_GEMMA
    from bot.model_file import verify
    from retrieval.embedding import GemmaEmbeddings

    return GemmaEmbeddings(verify(MODELS_DIR / EMBEDDING_GEMMA.filename, EMBEDDING_GEMMA))


@pytest.fixture(scope="session")
def gemma_store(gemma, tmp_path_factory: pytest.TempPathFactory) -> PassageStore:
    store = PassageStore(tmp_path_factory.mktemp("gemma-index"), gemma)
    Indexer(store, Chunker(window_count=gemma.token_count)).ingest([SEEDS])
    return store


@pytest.fixture(scope="session")
def llama():
    from bot.generation import LlamaCppGenerator
    from bot.model_file import QWEN_CODER_1_5B, verify

    path = verify(MODELS_DIR / QWEN_CODER_1_5B.filename, QWEN_CODER_1_5B)
    return LlamaCppGenerator(path, threads=os.cpu_count())


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium, driven by Playwright (which downloads no browser of its own)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    OUTPUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
