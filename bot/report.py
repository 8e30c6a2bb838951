"""The evaluation report: per-question rows (JSONL), the summary (JSON and Markdown, retrievers
side by side), and a PNG chart of the main figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

Summaries = dict[str, dict[str, dict[str, float | int | None]]]  # retriever → group → metric

MAIN = ("recall@1", "recall@5", "mrr", "contains_answer", "f1", "citation_precision",
        "refusal_accuracy", "false_refusal_rate", "language_match")  # fmt: skip
COLUMNS = ("questions", "answered", "recall@1", "recall@5", "recall@10", "mrr", "ndcg@10",
           "exact_match", "f1", "contains_answer", "draft_contains_answer",
           "citation_precision", "citation_recall",
           "refusal_accuracy", "false_refusal_rate", "language_match", "first_token_median",
           "first_token_p95", "total_median", "total_p95")  # fmt: skip


def _cell(value: float | int | None, name: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, int) or name in ("questions", "answered"):
        return str(value)
    return f"{value:.2f} s" if name.endswith(("_median", "_p95")) else f"{value:.3f}"


def markdown(title: str, summaries: Summaries, command: str) -> str:
    lines = [f"# Evaluation: {title}", "", f"`{command}`", ""]
    groups = list(next(iter(summaries.values())))
    for group in groups:
        label = {
            "all": "All questions",
            "ar": "Arabic questions",
            "en": "English questions",
            "dated": "Dated questions (the answer changes with time across articles)",
        }
        lines += [f"## {label.get(group, group)}", "",
                  "| metric | " + " | ".join(summaries) + " |",
                  "| --- |" + " ---: |" * len(summaries)]  # fmt: skip
        for name in COLUMNS:
            values = [summaries[mode][group].get(name) for mode in summaries]
            if all(v is None for v in values):
                continue
            lines.append(f"| {name} | " + " | ".join(_cell(v, name) for v in values) + " |")
        # the verification stage: drafts by kind, and what each check failed of them
        counted = sorted({name for mode in summaries for name in summaries[mode][group]
                          if name.startswith(("drafts ", "check "))})  # fmt: skip
        for name in counted:
            values = [summaries[mode][group].get(name, 0) for mode in summaries]
            lines.append(f"| {name} | " + " | ".join(str(v) for v in values) + " |")
        lines.append("")
    return "\n".join(lines)


def chart(path: Path, title: str, summaries: Summaries) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no screen
    import matplotlib.pyplot as plt

    names = [n for n in MAIN if any(s["all"].get(n) is not None for s in summaries.values())]
    fig, ax = plt.subplots(figsize=(max(6, 1.3 * len(names)), 4.2), dpi=110)
    width = 0.8 / len(summaries)
    for i, (mode, summary) in enumerate(summaries.items()):
        values = [summary["all"].get(n) or 0.0 for n in names]
        positions = [x + i * width - 0.4 + width / 2 for x in range(len(names))]
        bars = ax.bar(positions, values, width, label=mode)
        ax.bar_label(bars, fmt="%.2f", fontsize=7)
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize=8)
    ax.set_ylim(0, 1.1)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def write_report(
    directory: Path,
    title: str,
    results: dict[str, list[dict[str, Any]]],
    summaries: Summaries,
    command: str,
) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    rows = directory / "rows.jsonl"
    with rows.open("w", encoding="utf-8") as out:
        for mode_rows in results.values():
            for row in mode_rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    summary_json = directory / "summary.json"
    summary_json.write_text(json.dumps(summaries, indent=2, ensure_ascii=False), encoding="utf-8")
    summary_md = directory / "summary.md"
    summary_md.write_text(markdown(title, summaries, command), encoding="utf-8")
    png = directory / "summary.png"
    chart(png, title, summaries)
    return [rows, summary_json, summary_md, png]
