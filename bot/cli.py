"""Command line: `python -m bot setup | ingest PATH... | ask "QUESTION" [--json] |
feedback-export FILE`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.settings import ConfigError, Settings
from bot.texts import TEXT

if TYPE_CHECKING:
    from bot.generation import Generator


def cmd_setup(args: argparse.Namespace, settings: Settings) -> int:
    """Join and verify the language model and the embedder, seed tiktoken's encodings: once,
    then a no-op."""
    from bot.embedding_file import ensure_embedding_model
    from bot.model_file import ModelFileError, ensure_model
    from retrieval.tokens import seed_tiktoken_cache

    def say(line: str) -> None:
        print(line, file=sys.stderr)

    seed_tiktoken_cache()
    try:
        ensure_model(settings.models_dir, say=say)
        if settings.embedder == "gemma":
            ensure_embedding_model(settings.models_dir, say=say)
    except ModelFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def tqdm_progress(quiet: bool):
    """A Progress that shows tqdm bars: files read, then passages embedded (with rate and ETA).
    Returns (progress, close)."""
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}
    units = {"read": ("Reading", "file"), "embed": ("Embedding", "passage")}

    def progress(stage: str, done: int, total: int, name: str) -> None:
        if stage not in bars:
            desc, unit = units[stage]
            bars[stage] = tqdm(total=total, unit=unit, desc=desc, disable=quiet, smoothing=0.1)
        bar = bars[stage]
        bar.set_postfix_str(name[-40:], refresh=False)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    def close() -> None:
        for bar in bars.values():
            bar.close()

    return progress, close


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from bot.wiring import build_indexer
    from retrieval.documents import IngestError
    from retrieval.store import StoreUnavailable

    indexer = build_indexer(settings)
    progress, close = tqdm_progress(args.quiet)
    try:
        report = indexer.ingest(args.paths, progress=progress, prune=args.prune)
    except IngestError as exc:
        close()
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except StoreUnavailable as exc:
        close()
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        close()
        print(
            "\ninterrupted: what was indexed is kept; run the same command again to go on "
            "(finished articles are skipped, a half-indexed one is indexed again)",
            file=sys.stderr,
        )
        return 130
    close()
    for error in report.errors:
        print(f"skipped: {error}", file=sys.stderr)
    for copy, original in report.duplicates:
        print(
            f"duplicate: {copy} is the same article as {original} (indexed once)", file=sys.stderr
        )
    for copy, original in report.near_duplicates:
        print(f"near-duplicate: {copy} is nearly the same article as {original} (indexed once)",
              file=sys.stderr)  # fmt: skip
    minutes = max(report.embed_seconds, 1e-9) / 60
    rate = (
        f" ({report.articles / minutes:.0f} articles/min, {report.passages / minutes:.0f} "
        f"passages/min while embedding)"
        if report.passages
        else ""
    )
    print(
        f"{len(report.added)} added, {len(report.replaced)} replaced, "
        f"{len(report.unchanged)} unchanged, {len(report.duplicates)} duplicates, "
        f"{len(report.near_duplicates)} near-duplicates, "
        f"{len(report.pruned)} removed, "
        f"{report.passages} passages indexed in {report.seconds:.1f}s{rate} "
        f"({indexer.store.count()} passages in the index)"
    )
    kept = (report.added or report.replaced or report.unchanged or report.duplicates
            or report.near_duplicates)  # fmt: skip
    return 1 if report.errors and not kept else 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core import Answer, QuestionError, Token, check_question
    from bot.render import dated
    from bot.wiring import build_bot, build_store, ensure_index

    try:
        check_question(args.question)
    except QuestionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from retrieval.dates import FilterError, Filters

    try:
        filters = Filters.parse(args.start, args.end, args.outlet)
    except FilterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.k:
        settings.top_k = args.k
    store = build_store(settings)
    ensure_index(settings, store=store)
    bot = build_bot(settings, store=store)
    streamed = ""
    answer = None
    for event in bot.stream(args.question, filters=filters or None):
        if isinstance(event, Token) and not args.json:
            streamed += event.text
            print(event.text, end="", flush=True)
        elif isinstance(event, Answer):
            answer = event
    assert answer is not None
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    texts = TEXT[answer.language]
    if answer.refused and streamed.strip() != answer.text:
        # the model's own words of refusal, or none at all: say it plainly, in the language
        print(("\n" if streamed else "") + answer.text)
    else:
        print()
    if answer.refused and answer.checks:  # the draft above was withdrawn: say why
        reasons = ", ".join(texts[f"check_{name}"] for name in answer.checks)
        print("\n" + texts["withdrawn"].format(reasons=reasons))
    if answer.unverified:
        print("\n" + texts["unverified"].format(numbers=", ".join(answer.unverified)))
    if answer.citations:
        print(f"\n{texts['sources']}:")
        for citation in answer.citations:
            p = citation.passage
            print(f"[{citation.n}] {p.title} — {p.source} ({dated(p, answer.language)})")
            print(f"    «{citation.sentence}»")
    elif answer.refused and answer.passages:  # declined: what was found, for the reader
        print(f"\n{texts['found']}:")
        for n, p in enumerate(answer.passages, start=1):
            print(f"[{n}] {p.title} — {p.source} ({dated(p, answer.language)})")
            print(f"    «{p.text}»")
    return 0


def llm_server_command(settings: Settings, host: str, port: int) -> list[str]:
    """llama.cpp's OpenAI-compatible server over the packaged model (joined and verified), as
    Sanad runs it in process: same context, all cores, the same model name Sanad asks for.
    One request at a time, each to its end: a new request must not cut the one being answered
    (llama-cpp-python's server does that by default)."""
    import os

    from bot.wiring import model_path

    return [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model_path(settings)), "--model_alias", settings.llm_model,
        "--n_ctx", str(settings.context_tokens), "--n_batch", str(settings.batch_tokens),
        "--n_threads", str(settings.threads or os.cpu_count() or 1),
        "--interrupt_requests", "false", "--verbose", "false",
        "--host", host, "--port", str(port),
    ]  # fmt: skip


def cmd_llm_server(args: argparse.Namespace, settings: Settings) -> int:
    import os

    command = llm_server_command(settings, args.host, args.port)
    print(f"SANAD_LLM_URL=http://{args.host}:{args.port}/v1", file=sys.stderr, flush=True)
    os.execv(command[0], command)
    return 0  # not reached


def cmd_feedback(args: argparse.Namespace, settings: Settings) -> int:
    """Export the web chat's feedback as a test set (JSON Lines, the evaluation format)."""
    from pathlib import Path

    from bot.feedback import FeedbackStore

    store = FeedbackStore(settings.feedback_db)
    count = store.export(Path(args.output), which=args.which)
    print(f"{count} questions written to {args.output}")
    return 0


def cmd_eval(
    args: argparse.Namespace, settings: Settings, generator: Generator | None = None
) -> int:
    """Score the bot on a test set; write rows, summary and chart to the report folder.
    `generator`: a model other than the settings' (bench/replay.py gives a report's answers
    back)."""
    import shlex
    from pathlib import Path

    from tqdm import tqdm

    from bot.evaluation import EvalOptions, evaluate, index_corpus, summarize
    from bot.report import markdown, write_report
    from bot.testsets import TestSetError, load_testset, select

    modes = [m.strip() for m in args.retriever.split(",") if m.strip()]
    if not modes or any(m not in ("hybrid", "dense", "keyword") for m in modes):
        print("error: --retriever takes hybrid, dense, keyword or a comma list", file=sys.stderr)
        return 2
    try:
        testset = load_testset(
            Path(args.testset),
            Path(args.corpus) if args.corpus else settings.seeds_dir,
            settings.corpora_dir,
            Path(args.questions_from) if args.questions_from else None,
        )
        testset = select(testset, args.sample, args.seed, args.unanswerable_share)
    except TestSetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    progress, close = tqdm_progress(args.quiet)
    try:
        store, report = index_corpus(testset, settings, progress)
    finally:
        close()
    for error in report.errors:
        print(f"skipped: {error}", file=sys.stderr)
    options = EvalOptions(
        retrievers=modes,  # type: ignore[arg-type]
        k=args.k,
        limit=args.limit,
        answer_limit=args.answer_limit,
        retrieval_only=args.retrieval_only,
    )
    count = min(len(testset.cases), args.limit or len(testset.cases))
    with tqdm(total=count * len(modes), unit="question", desc="Evaluating",
              disable=args.quiet) as bar:  # fmt: skip
        results = evaluate(testset, store, settings, options, generator=generator,
                           step=lambda mode: (bar.set_postfix_str(mode), bar.update()))  # fmt: skip
    summaries = {mode: summarize(rows) for mode, rows in results.items()}
    command = "python -m bot eval " + shlex.join(sys.argv[2:] if args.argv is None else args.argv)
    print(markdown(testset.name, summaries, command))
    if args.report:
        for path in write_report(Path(args.report), testset.name, results, summaries, command):
            print(f"wrote {path}", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m bot", description="Sanad: cited answers from Arabic news articles."
    )
    commands = root.add_subparsers(dest="command", required=True)
    commands.add_parser("setup", help="prepare the models (fetch, join, verify), once")
    ingest = commands.add_parser("ingest", help="index articles (.txt .md .html .jsonl .docx .pdf)")
    ingest.add_argument("paths", nargs="+", help="files or folders")
    ingest.add_argument("--prune", action="store_true", help="remove articles no longer there")
    ingest.add_argument("--quiet", action="store_true", help="no progress bar")
    ask = commands.add_parser("ask", help="ask a question, in Arabic or English")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument("--k", type=int, default=None, help="passages to give the model")
    ask.add_argument("--from", dest="start", help="only articles of this day or later, YYYY-MM-DD")
    ask.add_argument("--to", dest="end", help="only articles of this day or earlier, YYYY-MM-DD")
    ask.add_argument("--outlet", help="only articles of this outlet (as /api/articles names it)")
    ev = commands.add_parser("eval", help="score the bot on a test set (JSONL or SQuAD JSON)")
    ev.add_argument("testset", help="questions: .jsonl (our format) or SQuAD-style .json")
    ev.add_argument("--corpus", help="articles of a .jsonl test set (default: seeds/)")
    ev.add_argument("--retriever", default="hybrid", help="hybrid, dense, keyword, or a list")
    ev.add_argument("--k", type=int, default=None, help="passages given to the model")
    ev.add_argument("--limit", type=int, default=None, help="only the first N questions")
    ev.add_argument(
        "--answer-limit", type=int, default=None,
        help="answer only the first N questions (retrieval is scored on all)",
    )  # fmt: skip
    ev.add_argument(
        "--sample", type=int, default=None,
        help="N questions spread over the whole set (one drawn from each Nth of it)",
    )  # fmt: skip
    ev.add_argument("--seed", type=int, default=0, help="the sample's random seed")
    ev.add_argument(
        "--unanswerable-share", type=float, default=0.0,
        help="of the questions, this share made unanswerable by leaving their paragraph out "
        "of the index (SQuAD-style sets)",
    )  # fmt: skip
    ev.add_argument("--retrieval-only", action="store_true", help="rank, do not answer")
    ev.add_argument("--questions-from", help="SQuAD file whose parallel questions to ask")
    ev.add_argument("--report", help="folder for rows.jsonl, summary.md/.json/.png")
    ev.add_argument("--quiet", action="store_true", help="no progress bars")
    server = commands.add_parser(
        "llm-server", help="serve the packaged model over an OpenAI-compatible API"
    )
    server.add_argument("--host", default="127.0.0.1")
    server.add_argument("--port", type=int, default=8080)
    feedback = commands.add_parser(
        "feedback-export", help="feedback from the web chat as a test set"
    )
    feedback.add_argument("output", help="JSON Lines file to write")
    feedback.add_argument(
        "--which",
        choices=["up", "down", "all"],
        default="up",
        help="liked answers (gold, the default), disliked ones (to correct), or all",
    )
    return root


COMMANDS = {
    "setup": cmd_setup,
    "ingest": cmd_ingest,
    "ask": cmd_ask,
    "eval": cmd_eval,
    "feedback-export": cmd_feedback,
    "llm-server": cmd_llm_server,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.argv = None if argv is None else list(argv)[1:]
    try:
        settings = Settings()
    except ConfigError as exc:
        print(f"sanad: {exc}", file=sys.stderr)
        return 2
    return COMMANDS[args.command](args, settings)
