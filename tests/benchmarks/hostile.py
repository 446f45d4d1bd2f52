"""Time and peak memory of every hostile input, per target (run on demand; not collected by pytest).

Each (input, target) runs alone in a forked worker (tests/fuzz/harness.py), with more room than
the fuzz run gives (default 30 s and 2 GiB) so that what goes over the goal is measured, not
just cut off. The goal (issue 11): every input under 10 s and under 1 GiB on 2 cores.

    .venv/bin/python tests/benchmarks/hostile.py                  # all families, 1 worker
    .venv/bin/python tests/benchmarks/hostile.py --family pdf-huge-page,png-huge
    .venv/bin/python tests/benchmarks/hostile.py --write-docs     # refresh docs/bad-input.md
    .venv/bin/python tests/benchmarks/hostile.py --issue21 --before /work/main/.venv/bin/paper2fa

`--issue21` runs the four inputs of issue 21 (memory over 1 GiB on accepted input) through the
commands that read them, as a person would (the installed `paper2fa`, its peak memory read with
wait4, which counts its pdfium child too), and prints their time and peak memory; `--before
PROGRAM` runs another build of paper2fa on the same inputs for a before/after table.

Peak memory is the worker's maximum resident set (ru_maxrss), which includes the ~40 MiB of
the forked interpreter.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import threading
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


ISSUE21 = {
    "pdf-content-inflates-1gib.pdf": ("scan", "restore", "verify"),
    "tiff-12-frames-144-megapixels.tif": ("scan", "restore", "verify", "import"),
    "aegis-400k-entries.json": ("import",),
    "json-1m-keys.json": ("import",),
}
"""Each reproducer of issue 21 (tests/fuzz/corpus.py) and the commands that read it."""


def _run(program: str, command: str, path: Path, work: Path, vault: Path,
         timeout: float) -> tuple[int, float, int]:
    """(exit code, seconds, peak bytes) of `program command path`, killed after `timeout`."""
    args = [program, "--allow-online", command, str(path)]
    if command in ("restore", "import"):
        args += ["-o", str(work / "out.json"), "--force"]
    if command == "verify":
        args += ["--against", str(vault)]
    started = time.monotonic()
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    stop = threading.Timer(timeout, proc.kill)
    stop.start()
    _, status, usage = os.wait4(proc.pid, 0)  # reaped here, to read its peak memory
    stop.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, time.monotonic() - started, usage.ru_maxrss * 1024


def issue21(seed: int, before: str | None, timeout: float,
            families: set[str] | None = None) -> list[str]:
    """The before/after table of issue 21's inputs (markdown lines)."""
    from toolkit.model import vault_to_json

    after = str(Path(sys.executable).with_name("paper2fa"))
    programs = [("before", before)] if before else []
    programs.append(("now", after))
    recipes = {r.name: r for r in corpus.recipes(seed)}
    head = "| input | size | command |" + "".join(
        f" {label} exit | {label} s | {label} peak MiB |" for label, _ in programs)
    rows = [head, "| --- | ---: | --- |" + " ---: | ---: | ---: |" * len(programs)]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        vault = work / "vault.json"
        vault.write_bytes(vault_to_json(corpus.demo_vault(3)))
        for name, commands in ISSUE21.items():
            if families and recipes[name].family not in families:
                continue
            path = corpus.materialize(recipes[name], seed)
            size = f"{path.stat().st_size / 2**20:.1f} MiB"
            for command in commands:
                cells = []
                for _, program in programs:
                    assert program is not None
                    code, seconds, peak = _run(program, command, path, work, vault, timeout)
                    shown = f"> {timeout:.0f}" if seconds >= timeout else f"{seconds:.2f}"
                    cells.append(f" {code} | {shown} | {peak / 2**20:.0f} |")
                rows.append(f"| `{name}` | {size} | {command} |" + "".join(cells))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--family", help="only these families (comma-separated)")
    parser.add_argument("--budget", type=int, default=30, help="seconds per target")
    parser.add_argument("--memory", type=int, default=2048, help="MiB per worker")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--worst", type=int, default=10)
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--issue21", action="store_true",
                        help="time and peak memory of issue 21's inputs through the commands")
    parser.add_argument("--before", metavar="PROGRAM",
                        help="with --issue21: another paper2fa program to compare with")
    args = parser.parse_args(argv)
    families = set(args.family.split(",")) if args.family else None
    if args.issue21:
        print(f"issue 21 inputs, {platform.machine()}, {datetime.now(UTC):%Y-%m-%d}; each "
              f"command stopped after {args.budget} s")
        print("\n".join(issue21(args.seed, args.before, args.budget, families)))
        return 0
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
