"""Gather the benchmarks' Markdown tables into bench/results/README.md."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

RESULTS = Path("bench/results")
ORDER = ("ingestion", "retrieval", "answers", "answers-final16", "serving", "models")


def main() -> None:
    parts = [
        "# Benchmarks",
        "",
        f"`make bench`, {datetime.date.today().isoformat()}, {os.cpu_count()} cores. "
        "Each table: `python -m bench.<name>`; raw numbers in the `.json` beside it.",
    ]
    for name in ORDER:
        table = RESULTS / f"{name}.md"
        if table.exists():
            parts += ["", f"## {name}", "", table.read_text().strip()]
    (RESULTS / "README.md").write_text("\n".join(parts) + "\n")
    print("\n".join(parts))


if __name__ == "__main__":
    main()
