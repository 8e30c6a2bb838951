"""Writing a benchmark's results: JSON for programs, a Markdown table for people."""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.metrics import percentile


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def p95(values: Sequence[float]) -> float | None:
    return percentile(values, 95) if values else None


def write(path: Path, results: dict[str, Any], table: str) -> None:
    """`path` (.json) and the table beside it (.md); the table is printed too."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=float))
    path.with_suffix(".md").write_text(table + "\n")
    print(table)
    print(f"wrote {path} and {path.with_suffix('.md')}")
