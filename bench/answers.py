"""Time to first token and total answer time for a set of questions, through the real Bot.

python -m bench.answers            # the five reference questions, on the seeds index
python -m bench.answers --json out.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

QUESTIONS = [
    "كم بلغت قيمة التجارة الصينية الروسية في عام 2023؟",
    "Which arms-control treaty did Putin say Moscow would suspend?",
    "How did China-Russia trade change between 2022 and 2023?",
    "What is the population of Brazil?",
    "ما المعاهدة التي قال بوتين إن موسكو ستعلق مشاركتها فيها؟",
]


def main() -> None:
    from bot.settings import Settings
    from bot.wiring import build_bot, build_store, ensure_index

    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--json", help="write the rows and medians to this file")
    args.add_argument("questions", nargs="*", help="questions (default: the reference five)")
    options = args.parse_args()
    settings = Settings()
    store = build_store(settings)
    ensure_index(settings, store=store)
    bot = build_bot(settings, store=store)
    started = time.perf_counter()
    bot.warm_up()  # model load and the fixed prompt prefixes are reported apart
    load_seconds = time.perf_counter() - started
    rows = []
    for question in options.questions or QUESTIONS:
        answer = bot.ask(question)
        rows.append({
            "question": question,
            "answer": answer.text,
            "cited": [c.passage.source for c in answer.citations],
            "unverified": answer.unverified,
            **{k: round(v, 3) for k, v in answer.timings.items()},
        })  # fmt: skip
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    # Timings of the model's answers only: a question declined before generation takes
    # a fraction of a second and would flatter the medians.
    generated = [r for r in rows if "first_token" in r] or rows
    summary = {
        "model_load_and_warm_up_s": round(load_seconds, 2),
        "questions": len(rows),
        "declined_before_generation": len(rows) - len([r for r in rows if "first_token" in r]),
        "median_first_token_s": round(
            statistics.median(r.get("first_token", r["total"]) for r in generated), 2
        ),
        "median_total_s": round(statistics.median(r["total"] for r in generated), 2),
        "median_retrieval_ms": round(1000 * statistics.median(r["retrieval"] for r in rows), 1),
    }
    print(json.dumps(summary))
    if options.json:
        with open(options.json, "w") as handle:
            json.dump({"rows": rows, "summary": summary}, handle, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
