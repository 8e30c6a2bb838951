"""The verification stage run again on a committed eval report's answers, with no model: every
question retrieved and focused as the eval does, and the text the model wrote for it in the
report (its `raw`, kept by the eval since 2026-12-06) given back with its token probabilities,
as if the model wrote it again. A change to the checks is then measured on a whole report in
minutes, and the decisions it moves are listed.

    python -m bench.replay reports/xquad-ar-answers [--report /tmp/replayed] [--model]

The report is read as its own command ran it (the line under its title in summary.md), with
this checkout's settings and code. Where this code gives the model another prompt than the
report's (other windows, another prompt text: the rows keep each prompt's fingerprint since
2026-12-07), the report's answer is not what the model would write: `--model` asks the model
for those questions alone, so that a change to what the model reads is measured on a whole
report in minutes too; without it they are counted and named."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.generation import Certainty, Generator, Message, Resampler, prompt_digest
from bot.language import strip_invisible


class ReplayError(RuntimeError):
    """The report cannot be replayed (no model text in it, or a question it never answered)."""


class Replay:
    """A generator that writes, for each question, what the model wrote for it in a report."""

    def __init__(self, rows: list[dict[str, Any]], model: Generator | None = None) -> None:
        if rows and not any("raw" in row for row in rows):
            raise ReplayError("the report has no model text (`raw`): write it again first")
        # each question as the bot puts it in the prompt (invisible marks taken out), the
        # longest first: one question may be part of another
        self.rows = sorted(
            ((strip_invisible(row["question"]).strip(), row) for row in rows if "raw" in row),
            key=lambda pair: -len(pair[0]),
        )
        self.missing: list[str] = []  # questions the report never asked the model
        self.model = model  # asked where the prompt is not the report's
        self.moved: list[str] = []  # questions whose prompt is not the report's

    def row(self, messages: list[Message]) -> dict[str, Any] | None:
        """The report's row of the question these messages ask."""
        asked = strip_invisible(str(messages[-1]["content"]))
        return next((r for question, r in self.rows if question in asked), None)

    def generate(self, messages: list[Message], max_new_tokens: int = 256) -> str:
        return "".join(p for p in self.stream(messages, max_new_tokens) if isinstance(p, str))

    def stream(
        self,
        messages: list[Message],
        max_new_tokens: int = 256,
        copy: object = None,
        no_arabic: bool = False,
    ) -> Iterator[str | Certainty]:
        asked = strip_invisible(str(messages[-1]["content"]))
        row = self.row(messages)
        if row is not None and row.get("prompt", "") not in ("", prompt_digest(messages)):
            self.moved.append(row["question"])
            if self.model is not None:
                yield from self.model.stream(messages, max_new_tokens, copy, no_arabic)
                return
        if row is None or not (row["raw"] or row["probabilities"]):
            self.missing.append(asked[-200:])
            return
        if row["raw"]:
            yield row["raw"]
        yield Certainty(tuple(row["probabilities"]))

    def resample(
        self,
        messages: list[Message],
        count: int,
        max_new_tokens: int,
        after: Certainty | None = None,
    ) -> Iterator[str]:
        """The report's resamples of this question where it kept them (since 2026-12-07) and
        the prompt is the report's; else the model's, when it is given."""
        row = self.row(messages)
        if row is not None and row.get("resamples") and row["question"] not in self.moved:
            yield from row["resamples"][:count]
        elif isinstance(self.model, Resampler):
            yield from self.model.resample(messages, count, max_new_tokens, after=after)


def moved(
    before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> list[tuple[str, str, str, list[str], list[str]]]:
    """(question, outcome before, after, checks failed before, after) where they differ:
    an outcome is right, wrong, declined, or for an unanswerable question shown / declined."""

    def outcome(row: dict[str, Any]) -> str:
        if row.get("unanswerable"):
            return "declined" if row["refused"] else "shown (unanswerable)"
        if row["refused"]:
            return "declined"
        return "right" if row["scores"].get("contains_answer") else "wrong"

    old = {row["id"]: row for row in before}
    return [
        (row["question"], outcome(old[row["id"]]), outcome(row),
         old[row["id"]]["checks_failed"], row["checks_failed"])
        for row in after
        if row["id"] in old and "answer" in row
        and (outcome(old[row["id"]]) != outcome(row)
             or old[row["id"]]["checks_failed"] != row["checks_failed"])
    ]  # fmt: skip


def replay(
    folder: Path, report: Path, model: Generator | None = None
) -> list[tuple[str, str, str, list[str], list[str]]]:
    from bot.cli import cmd_eval, parser
    from bot.settings import Settings

    summary = (folder / "summary.md").read_text(encoding="utf-8")
    command = next(line.strip("`") for line in summary.splitlines() if line.startswith("`"))
    words = shlex.split(command)[3:]  # after "python -m bot"
    args = parser().parse_args(words)
    args.report, args.quiet, args.argv = str(report), True, words[1:]  # after "eval"
    before = [json.loads(line) for line in (folder / "rows.jsonl").open(encoding="utf-8")]
    generator = Replay(before, model)
    if cmd_eval(args, Settings(), generator=generator) != 0:
        raise ReplayError(f"the eval command failed: {command}")
    if generator.missing:
        print(f"{len(generator.missing)} questions the report never asked the model",
              file=sys.stderr)  # fmt: skip
    if generator.moved:
        done = "the model was asked again" if model else "the report's answers given (--model)"
        print(f"{len(generator.moved)} questions read another prompt than the report's "
              f"({done}):", *generator.moved, sep="\n  ", file=sys.stderr)  # fmt: skip
    after = [json.loads(line) for line in (report / "rows.jsonl").open(encoding="utf-8")]
    return moved(before, after)


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("folder", type=Path, help="a report folder (rows.jsonl, summary.md)")
    options.add_argument("--report", type=Path, help="where to write the replayed report")
    options.add_argument("--model", action="store_true",
                         help="ask the model where the prompt is not the report's")  # fmt: skip
    args = options.parse_args(argv)
    report = args.report or Path(tempfile.mkdtemp(prefix="replay-"))
    model = None
    if args.model:
        from bot.settings import Settings
        from bot.wiring import build_generator

        model = build_generator(Settings())
    try:
        changes = replay(args.folder, report, model)
    except ReplayError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"\n{len(changes)} decisions moved (report in {report}):")
    for question, old, new, failed_before, failed_after in changes:
        print(f"- {old} -> {new}: {question} ({failed_before} -> {failed_after})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
