"""The serving process as users meet it: `app.py` started on a free port, questions over
`/api/ask/stream` one after another (sources, first token, full answer as the client sees
them), a client that drops its stream after the first words and the question right after it,
then eight chats at once (with the place in the model's line each was told), with the
process's resident memory sampled throughout.

python -m bench.serving [--questions 12] [--rounds 2] [--json bench/results/serving.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil

from bench.report import median, p95, write
from bot.settings import PROJECT_ROOT, Settings
from bot.testsets import load_jsonl


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Memory:
    """Resident memory of a process (and its children), sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self.samples: list[int] = []
        self._stop = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def now(self) -> int:
        processes = [self.process, *self.process.children(recursive=True)]
        return sum(p.memory_info().rss for p in processes if p.is_running())

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            try:
                rss = self.now()
            except psutil.Error:
                return
            self.samples.append(rss)
            self.peak = max(self.peak, rss)

    def stop(self) -> None:
        self._stop.set()


def ask(url: str, question: str) -> dict[str, float]:
    """Times (from sending the question) of the sources event, the first token, the answer."""
    started = time.perf_counter()
    times: dict[str, float] = {}
    with httpx.stream("POST", f"{url}/api/ask/stream", json={"question": question},
                      timeout=900) as response:  # fmt: skip
        for line in response.iter_lines():
            if line.startswith("event: "):
                event = line[7:]
                key = {"sources": "sources_s", "token": "first_token_s", "answer": "total_s"}
                if event in key and key[event] not in times:
                    times[key[event]] = time.perf_counter() - started
            elif line.startswith("data: ") and "total_s" in times and "refused" not in times:
                times["refused"] = float(json.loads(line[6:])["refused"])
            elif line.startswith("data: ") and event == "queue" and "ahead" not in times:
                times["ahead"] = json.loads(line[6:])["ahead"]  # the first place told
    return times


def drop(url: str, question: str) -> float:
    """Read a stream up to its first words and go away; seconds until those words came."""
    started = time.perf_counter()
    with httpx.stream("POST", f"{url}/api/ask/stream", json={"question": question},
                      timeout=900) as response:  # fmt: skip
        for line in response.iter_lines():
            if line == "event: token":
                break
    return time.perf_counter() - started


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--questions", type=int, default=12)
    args.add_argument("--rounds", type=int, default=2, help="rounds of eight chats at once")
    args.add_argument("--json", type=Path, default=Path("bench/results/serving.json"))
    options = args.parse_args()
    cases = [c for c in load_jsonl(PROJECT_ROOT / "seeds" / "questions.jsonl",
                                   PROJECT_ROOT / "seeds").cases if not c.unanswerable]  # fmt: skip
    port = free_port()
    env = {**os.environ, "SANAD_DATA_DIR": tempfile.mkdtemp(), "SANAD_PORT": str(port),
           "SANAD_MODEL_DIR": str(Settings().models_dir)}  # fmt: skip
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "app.py"], cwd=PROJECT_ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    memory = Memory(server.pid)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None:
                raise SystemExit("app.py stopped before it was ready")
            time.sleep(0.5)
        ready_s = time.perf_counter() - started
        rss_ready = memory.now()
        one_by_one = []
        for case in cases[: options.questions]:
            one_by_one.append(ask(url, case.question))
            print("one", case.id, one_by_one[-1], flush=True)
        peak_one_by_one = memory.peak
        long_question = "Summarise everything the articles say about China and Russia."
        dropped_after = drop(url, long_question)
        # a question not asked before: its prompt is not in the model's cache
        after_drop = ask(url, cases[options.questions % len(cases)].question)
        print("after a dropped stream", dropped_after, after_drop, flush=True)
        together: list[dict[str, float]] = []
        for round_ in range(options.rounds):
            chosen = cases[8 * round_ : 8 * round_ + 8]
            results: list[dict[str, float]] = []
            threads = [threading.Thread(target=lambda q=c.question, out=results:
                                        out.append(ask(url, q))) for c in chosen]  # fmt: skip
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            together += results
            print("eight", [round(r["total_s"], 1) for r in results], flush=True)
    finally:
        memory.stop()
        server.terminate()
        server.wait(timeout=30)
    generated = [r for r in one_by_one if "first_token_s" in r]
    summary = {
        "ready_s": ready_s,
        "rss_ready_mb": rss_ready / 2**20,
        "rss_peak_mb": memory.peak / 2**20,
        "rss_peak_one_by_one_mb": peak_one_by_one / 2**20,
        "sources_ms_median": median([1000 * r["sources_s"] for r in one_by_one]),
        "sources_ms_p95": p95([1000 * r["sources_s"] for r in one_by_one]),
        "first_token_s_median": median([r["first_token_s"] for r in generated]),
        "total_s_median": median([r["total_s"] for r in generated]),
        "eight_at_once_total_s_median": median([r["total_s"] for r in together]),
        "eight_at_once_total_s_p95": p95([r["total_s"] for r in together]),
        "eight_at_once_sources_ms_median": median([1000 * r["sources_s"] for r in together]),
        "after_drop_first_token_s": after_drop.get("first_token_s"),
        "after_drop_total_s": after_drop["total_s"],
        "eight_at_once_places_told": sorted(r.get("ahead", 0) for r in together),
        "questions_one_by_one": len(one_by_one),
        "chats_at_once": len(together),
    }
    write(options.json, {"summary": summary, "one_by_one": one_by_one, "together": together},
          table(summary))  # fmt: skip


def table(s: dict) -> str:
    return "\n".join([
        "| serving (`app.py`, over `/api/ask/stream`) | value |",
        "| --- | ---: |",
        f"| start to health `ok` (index, model load, warm-up) | {s['ready_s']:.1f} s |",
        f"| resident memory: when ready / peak one by one / peak overall | "
        f"{s['rss_ready_mb']:.0f} MB / {s['rss_peak_one_by_one_mb']:.0f} MB / "
        f"{s['rss_peak_mb']:.0f} MB |",
        f"| sources event, median / p95 ({s['questions_one_by_one']} questions, one by one) | "
        f"{s['sources_ms_median']:.0f} ms / {s['sources_ms_p95']:.0f} ms |",
        f"| first token, median (one by one) | {s['first_token_s_median']:.2f} s |",
        f"| full answer, median (one by one) | {s['total_s_median']:.2f} s |",
        f"| after a client dropped its stream: the next question's first token / answer | "
        f"{s['after_drop_first_token_s'] or 0:.2f} s / {s['after_drop_total_s']:.2f} s |",
    ] + ([] if not s["chats_at_once"] else [  # --rounds 0: no chats at once
        f"| eight chats at once: places in the model's line told | "
        f"{', '.join(map(str, s['eight_at_once_places_told']))} |",
        f"| eight chats at once: full answer median / p95 ({s['chats_at_once']} chats) | "
        f"{s['eight_at_once_total_s_median']:.1f} s / {s['eight_at_once_total_s_p95']:.1f} s |",
        f"| eight chats at once: sources event, median | "
        f"{s['eight_at_once_sources_ms_median']:.0f} ms |",
    ]))  # fmt: skip


if __name__ == "__main__":
    main()
