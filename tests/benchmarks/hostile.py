"""Time and peak memory of every hostile input, per target (run on demand; not collected by pytest).

Each (input, target) runs alone in a forked worker (tests/fuzz/harness.py), with more room than
the fuzz run gives (default 30 s and 2 GiB) so that what goes over the goal is measured, not
just cut off. The goal (issue 11): every input under 10 s and under 1 GiB on 2 cores.

    .venv/bin/python tests/benchmarks/hostile.py                  # all families, 1 worker
    .venv/bin/python tests/benchmarks/hostile.py --family pdf-huge-page,png-huge
    .venv/bin/python tests/benchmarks/hostile.py --write-docs     # refresh docs/bad-input.md

Peak memory is the worker's maximum resident set (ru_maxrss), which includes the ~40 MiB of
the forked interpreter.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/, for the fuzz package
sys.path.insert(0, str(HERE.parents[1]))  # the repository, for toolkit

from fuzz import corpus, harness  # noqa: E402

DOC = HERE.parents[1] / "docs" / "bad-input.md"
BEGIN = "<!-- BEGIN GENERATED: tests/benchmarks/hostile.py -->"
END = "<!-- END GENERATED: tests/benchmarks/hostile.py -->"
GOAL_SECONDS = 10
GOAL_BYTES = 1 << 30


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--family", help="only these families (comma-separated)")
    parser.add_argument("--budget", type=int, default=30, help="seconds per target")
    parser.add_argument("--memory", type=int, default=2048, help="MiB per worker")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--worst", type=int, default=10)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args(argv)
    families = set(args.family.split(",")) if args.family else None
    jobs = []
    for recipe in corpus.recipes(args.seed):
        if recipe.family == "json-type-swap" and not recipe.short:
            continue  # thousands of small files: the short subset stands for them
        if families and recipe.family not in families:
            continue
        path = str(corpus.materialize(recipe, args.seed))
        for target in recipe.targets:
            jobs.append(harness.Job(recipe.name, recipe.family, (target,), path=path))
    start = time.monotonic()
    rows = []
    for o in harness.run_jobs(jobs, workers=args.workers, budget=args.budget,
                              memory=args.memory << 20):
        rows.append(o)
    seconds = time.monotonic() - start
    over = [o for o in rows if o.seconds >= GOAL_SECONDS or o.peak_rss >= GOAL_BYTES
            or o.kind in ("timeout", "memory-out")]
    inputs = {o.job for o in rows}
    bad_inputs = {o.job for o in over}

    def line(o: harness.Outcome) -> str:
        secs = f"> {args.budget}" if o.kind == "timeout" else f"{o.seconds:.2f}"
        mib = f"> {args.memory}" if o.kind == "memory-out" else f"{o.peak_rss / 2**20:.0f}"
        outcome = f"{o.kind} {o.detail}".strip()
        return f"| `{o.job}` | {o.target} | {secs} | {mib} | {outcome} |"

    head = ["| input | target | seconds | peak MiB | outcome |",
            "| --- | --- | ---: | ---: | --- |"]
    by_time = sorted(rows, key=lambda o: -(o.seconds if o.kind != "timeout" else 1e9))
    by_memory = sorted(rows, key=lambda o: -(o.peak_rss if o.kind != "memory-out" else 1e18))
    out = [f"{len(inputs)} hostile inputs, {len(rows)} (input, target) runs in {seconds:.0f} s "
           f"on {platform.machine()} with {args.workers} worker(s), {datetime.now(UTC):%Y-%m-%d}; "
           f"caps {args.budget} s and {args.memory} MiB per run.",
           "",
           f"Over the goal (10 s or 1 GiB): {len(bad_inputs)} inputs, {len(over)} runs.",
           "", f"The {args.worst} slowest:", "", *head,
           *(line(o) for o in by_time[:args.worst]),
           "", f"The {args.worst} largest:", "", *head,
           *(line(o) for o in by_memory[:args.worst])]
    print("\n".join(out))
    if args.write_docs and DOC.is_file() and not families:
        text = DOC.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            before, rest = text.split(BEGIN, 1)
            after = rest.split(END, 1)[1]
            DOC.write_text(before + BEGIN + "\n\n" + "\n".join(out) + "\n\n" + END + after,
                           encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
