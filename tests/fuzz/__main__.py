"""`python -m tests.fuzz`: the fuzz run (docs/bad-input.md says what it tries and what it found).

    .venv/bin/python -m tests.fuzz --short              # what the test suite runs (< 2 min)
    .venv/bin/python -m tests.fuzz --minutes 60         # the whole corpus, then coverage-guided
    .venv/bin/python -m tests.fuzz --only NAME          # one reproducer again, every target
    .venv/bin/python -m tests.fuzz --only NAME --write FILE   # and write its bytes to FILE

Each input runs in its own forked worker (1 GiB of address space, 10 s per target). The run
prints a table per target and every crash, timeout and memory-out with its reproducer name,
writes .cache/fuzz/report.json, adds new crash families to tests/fuzz/regressions (--keep) and
refreshes the generated section of docs/bad-input.md (not with --only or --no-docs).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from . import corpus, coverage_guided
from .harness import Summary, run_jobs
from .run import Plan, execute, keep, resolve, sample_formats

DOC = corpus.ROOT / "docs" / "bad-input.md"
BEGIN = "<!-- BEGIN GENERATED: python -m tests.fuzz -->"
END = "<!-- END GENERATED -->"
REPORT = corpus.CACHE / "report.json"


def refresh_doc(summary: Summary, how: str, seconds: float) -> None:
    if not DOC.is_file():
        return
    text = DOC.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        return
    families = ", ".join(f"{name} {count}" for name, count in sorted(summary.families.items()))
    bad = summary.bad
    lines = [BEGIN, "",
             f"Last run: `{how}`, {datetime.now(UTC):%Y-%m-%d}, {seconds / 60:.1f} minutes, "
             f"{len(summary.outcomes)} target runs, {len(bad)} crashes, timeouts or "
             "memory-outs.", "",
             f"Target runs per family: {families}.", "",
             *summary.table(), ""]
    findings = summary.findings()
    lines += ["Findings (reproducer names; `python -m tests.fuzz --only NAME` runs one again):",
              ""] + (findings or ["- none"]) + ["", END]
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    DOC.write_text(head + "\n".join(lines) + tail, encoding="utf-8")


def print_summary(summary: Summary) -> None:
    print("\n".join(summary.table()))
    findings = summary.findings()
    print("\nfindings:" if findings else "\nno crash, timeout or memory-out")
    print("\n".join(findings))


def only(name: str, seed: int, write: str | None) -> int:
    job = resolve(name, seed)
    if job is None:
        print(f"no input named {name!r}", file=sys.stderr)
        return 2
    if write:
        data = job.data if job.data is not None else Path(job.path or "").read_bytes()
        Path(write).write_bytes(data)
    summary = Summary()
    for outcome in run_jobs([job], workers=1):
        summary.add(outcome)
        print(f"{outcome.target:28} {outcome.kind:10} {outcome.detail} {outcome.where} "
              f"({outcome.seconds:.2f} s, peak {outcome.peak_rss >> 20} MiB)")
    return 1 if summary.bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__.split(
        "\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--short", action="store_true", help="the test suite's subset")
    parser.add_argument("--minutes", type=float, default=None,
                        help="long run: this many minutes in all (corpus, mutants, then "
                             "coverage-guided fuzzing)")
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--engine", choices=("auto", "atheris", "hypothesis", "none"),
                        default="auto", help="coverage-guided engine of the long run")
    parser.add_argument("--only", metavar="NAME", help="run one reproducer")
    parser.add_argument("--write", metavar="FILE", help="with --only: write its bytes here")
    parser.add_argument("--keep", action="store_true",
                        help="add new crash families to tests/fuzz/regressions")
    parser.add_argument("--no-docs", action="store_true", help="leave docs/bad-input.md alone")
    args = parser.parse_args(argv)
    if args.only:
        return only(args.only, args.seed, args.write)
    start = time.monotonic()
    corpus.clean_other_seeds(args.seed)
    short = args.short or args.minutes is None
    how = "python -m tests.fuzz --short" if short else f"python -m tests.fuzz --minutes " \
        f"{args.minutes:g}"
    plan = Plan(seed=args.seed, short=short, rounds=0 if not short else None)
    print(f"{how}: {len(sample_formats())} samples in ../shared, seed {args.seed}, "
          f"{args.workers} workers", flush=True)
    summary = execute(plan, workers=args.workers, progress=True)
    if not short and args.minutes is not None and args.engine != "none":
        left = args.minutes * 60 - (time.monotonic() - start)
        if left > 30:
            half = left / 2
            more = Plan(seed=args.seed, short=False, rounds=None, corpus=False)
            print(f"random mutation rounds for {half / 60:.1f} minutes", flush=True)
            for o in execute(more, workers=args.workers, minutes=half / 60,
                             progress=True).outcomes:
                summary.add(o)
            left = args.minutes * 60 - (time.monotonic() - start)
            coverage_guided.run(summary, engine=args.engine, seconds=left, seed=args.seed,
                                workers=args.workers)
    seconds = time.monotonic() - start
    print_summary(summary)
    print(f"\n{len(summary.outcomes)} target runs in {seconds:.0f} s")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps([asdict(o) for o in summary.outcomes]) + "\n")
    if args.keep:
        added = keep(summary.bad, args.seed)
        print(f"{added} new crash families kept in tests/fuzz/regressions")
    if not args.no_docs:
        refresh_doc(summary, how, seconds)
    return 1 if summary.bad else 0


if __name__ == "__main__":
    sys.exit(main())
