"""Answering: prompt tokens, time to first token, tokens per second and total time for the
gold seed questions, Sanad and the plain LangChain baseline (bench/baseline.py) taking turns
question by question in one process, on the same model, so the ratios hold on a noisy machine.

python -m bench.answers [--limit N] [--json bench/results/answers.json]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.report import median, p95, write
from bot.core import Answer, Sources, Token
from bot.evaluation import score_answer
from bot.settings import PROJECT_ROOT, Settings
from bot.testsets import load_jsonl

GOLD = PROJECT_ROOT / "seeds" / "questions.jsonl"


def run_sanad(bot, llama, question: str) -> dict[str, Any]:
    started = time.perf_counter()
    row: dict[str, Any] = {}
    for event in bot.stream(question):
        now = time.perf_counter() - started
        if isinstance(event, Sources):
            row["sources_s"] = now
            sources = event
        elif isinstance(event, Token) and "first_token_s" not in row:
            row["first_token_s"] = now
        elif isinstance(event, Answer):
            row["total_s"] = now
            answer = event
    row["answer"], row["refused"] = answer.text, answer.refused
    row["citations"] = [{"file": c.passage.source} for c in answer.citations]
    if "first_token_s" in row:  # declined before generation: the model read nothing
        messages = bot.messages(answer.query, sources.passages, sources.language)
        row["prompt_tokens"] = llama.prompt_tokens(messages)
        row["output_tokens"] = llama.prompt_tokens([{"role": "a", "content": answer.text}]) - 8
    return row


def run_baseline(baseline, llama, question: str) -> dict[str, Any]:
    started = time.perf_counter()
    messages, documents = baseline.messages(question)
    row: dict[str, Any] = {"sources_s": time.perf_counter() - started}
    text = ""
    for piece in baseline.stream(messages):
        if not isinstance(piece, str):  # the model's notes (its place in line, certainty)
            continue
        if not text:
            row["first_token_s"] = time.perf_counter() - started
        text += piece
    row["total_s"] = time.perf_counter() - started
    row["answer"], row["refused"] = text.strip(), baseline.refused(text)
    row["citations"] = [{"file": d.metadata["source"]} for d in documents]
    row["prompt_tokens"] = llama.prompt_tokens(messages)
    row["output_tokens"] = llama.prompt_tokens([{"role": "a", "content": text}]) - 8
    return row


def summarize(rows: list[dict[str, Any]]) -> dict[str, float | None]:
    generated = [r for r in rows if "first_token_s" in r]
    speeds = [
        r["output_tokens"] / (r["total_s"] - r["first_token_s"])
        for r in generated
        if r["output_tokens"] > 1 and r["total_s"] > r["first_token_s"]
    ]
    answerable = [r for r in rows if "contains_answer" in r]
    unanswerable = [r for r in rows if r["unanswerable"]]
    return {
        "questions": len(rows),
        "answered_by_the_model": len(generated),
        "prompt_tokens_median": median([r["prompt_tokens"] for r in generated]),
        "sources_ms_median": median([1000 * r["sources_s"] for r in rows]),
        "sources_ms_p95": p95([1000 * r["sources_s"] for r in rows]),
        "first_token_s_median": median([r["first_token_s"] for r in generated]),
        "first_token_s_p95": p95([r["first_token_s"] for r in generated]),
        "tokens_per_s_median": median(speeds),
        "total_s_median": median([r["total_s"] for r in generated]),
        "total_s_p95": p95([r["total_s"] for r in generated]),
        "total_s_median_all": median([r["total_s"] for r in rows]),
        "contains_answer": sum(r["contains_answer"] for r in answerable) / len(answerable),
        "refusal_accuracy": sum(r["refused"] for r in unanswerable) / max(len(unanswerable), 1),
        "false_refusal": sum(r["refused"] for r in answerable) / len(answerable),
    }


def main() -> None:
    from bench.baseline import Baseline
    from bot.wiring import build_bot, build_generator, build_indexer, build_store, embedder

    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--limit", type=int, help="only the first N gold questions")
    args.add_argument("--json", type=Path, default=Path("bench/results/answers.json"))
    options = args.parse_args()
    settings = Settings()
    cases = load_jsonl(GOLD, PROJECT_ROOT / "seeds").cases[: options.limit]
    store = build_store(settings, "bench-seeds")
    build_indexer(settings, store).ingest([PROJECT_ROOT / "seeds"])
    llama = build_generator(settings)
    bot = build_bot(settings, generator=llama, store=store)
    baseline = Baseline(PROJECT_ROOT / "seeds", embedder(), llama, Path(tempfile.mkdtemp()))
    started = time.perf_counter()
    bot.warm_up()
    baseline.warm_up()
    warm_up_s = time.perf_counter() - started
    rows: dict[str, list[dict[str, Any]]] = {"sanad": [], "baseline": []}
    for number, case in enumerate(cases, 1):
        # taking turns, so that a slow minute of the machine falls on both
        for name, run in (("sanad", run_sanad), ("baseline", run_baseline)):
            row = run(bot if name == "sanad" else baseline, llama, case.question)
            row |= {"id": case.id, "lang": case.lang, "unanswerable": case.unanswerable}
            row |= score_answer(case, row)
            rows[name].append(row)
            print(f"{number}/{len(cases)} {name:8} {row.get('first_token_s', 0):5.2f}s "
                  f"{row['total_s']:5.2f}s {row['answer'][:70]!r}", flush=True)  # fmt: skip
    summary = {name: summarize(group) for name, group in rows.items()}
    summary["warm_up_s"] = warm_up_s  # type: ignore[assignment]
    write(options.json, {"summary": summary, "rows": rows}, answers_table(summary))


def answers_table(summary: dict[str, Any]) -> str:
    ours, base = summary["sanad"], summary["baseline"]
    lines = [
        "| answering (gold seed questions) | Sanad | LangChain baseline | ratio |",
        "| --- | ---: | ---: | ---: |",
    ]
    for key, label in [
        ("prompt_tokens_median", "prompt tokens, median"),
        ("sources_ms_median", "sources ready (ms), median"),
        ("first_token_s_median", "time to first token (s), median"),
        ("first_token_s_p95", "time to first token (s), p95"),
        ("tokens_per_s_median", "tokens per second, median"),
        ("total_s_median", "full answer (s), median"),
        ("total_s_p95", "full answer (s), p95"),
        ("contains_answer", "answerable: contains the gold answer"),
        ("refusal_accuracy", "unanswerable: declined"),
        ("false_refusal", "answerable: declined"),
    ]:
        a, b = ours[key], base[key]
        ratio = f"{a / b:.2f}" if a is not None and b else "–"
        lines.append(f"| {label} | {a:.2f} | {b:.2f} | {ratio} |")
    lines.append(f"\nQuestions: {ours['questions']} ({ours['answered_by_the_model']} answered by "
                 f"Sanad's model, the others declined before generation; timings of generated "
                 f"answers only). Warm-up of both: {summary['warm_up_s']:.1f} s. The baseline's "
                 "sources come right after Sanad's for the same question, so its question "
                 "vector is already cached (e5 keeps the last 64).")  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    main()
