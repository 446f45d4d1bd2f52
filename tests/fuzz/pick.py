"""`python -m tests.fuzz.pick`: which inputs of its larger families the short fuzz run keeps.

The short run's mutants of the samples and of paper2fa's own documents, its JSON type swaps and
its zips with a byte removed (`PICKED`) are many inputs that mostly reach the same code. This
runs each of them once per target under branch coverage (of toolkit and of Python's standard
library: json, zipfile, xml...; each input in a forked child, 60 s of CPU at most), then keeps,
family by family, inputs until they reach every (target, branch) and every (target, outcome:
result or exception type and place) that the whole family reaches, most new reach per CPU
second first. The others are written to tests/fuzz/short-run.json (`left_out`), which
`run.jobs` leaves out of the short run. The long run (`--minutes`) runs them all, and more.

    .venv/bin/python -m tests.fuzz.pick           # measure (about a minute of CPU) and write

Run it again when an importer, a sample or a template changes. A stale list only leaves out
inputs that were measured redundant: a new sample's or template's mutants are run.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import corpus
from . import targets as T
from .harness import Job, _where

PICKED = ("sample-mutant", "template-mutant", "json-type-swap", "zip-byte-removed")
"""Families whose inputs differ in place and value only (not in size or cost: the hostile
families that check time and memory are run whole)."""

FILE = Path(__file__).resolve().parent / "short-run.json"

FORK_SECONDS = 0.01
"""CPU a forked worker costs the short run besides its targets (added to each input's cost)."""

Reach = frozenset[tuple[str, ...]]


def load() -> dict[str, Any]:
    """The inputs left out of the short run, or {} when there is no list."""
    if not FILE.is_file():
        return {}
    picked: dict[str, Any] = json.loads(FILE.read_text(encoding="utf-8"))
    return picked


def _reach(job: Job) -> tuple[str, str, float, list[tuple[str, ...]]]:
    """In a forked child: every (target, file, arc) and (target, outcome) of one input."""
    import coverage

    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))
    data = job.data if job.data is not None else Path(job.path or "").read_bytes()
    name = job.name if job.data is not None else job.path or job.name
    reach: set[tuple[str, ...]] = set()
    cpu = 0.0
    here = str(Path(__file__).resolve().parent)
    for target in job.targets:
        cov = coverage.Coverage(data_file=None, branch=True, config_file=False,
                                cover_pylib=True, omit=[f"{here}/*", "*/coverage/*"])
        start = time.process_time()
        cov.start()
        try:
            T.TARGETS[target].run(data, name)
            outcome: tuple[str, ...] = ("valid",)
        except BaseException as exc:  # the outcome is part of what an input reaches
            outcome = (type(exc).__name__, _where(exc))
        cov.stop()
        cpu += time.process_time() - start
        reach.add((target, "outcome", *outcome))
        measured = cov.get_data()
        for path in measured.measured_files():
            short = path.split("/site-packages/")[-1].split("/toolkit/")[-1]
            for a, b in measured.arcs(path) or ():
                reach.add((target, short, str(a), str(b)))
    return job.name, job.family, cpu, sorted(reach)


def measure(jobs: Iterable[Job], workers: int = 2) -> dict[str, tuple[str, float, Reach]]:
    context = multiprocessing.get_context("fork")
    out: dict[str, tuple[str, float, Reach]] = {}
    with context.Pool(workers, maxtasksperchild=1) as pool:
        for count, (name, family, cpu, reach) in enumerate(
                pool.imap_unordered(_reach, list(jobs)), start=1):
            out[name] = (family, cpu, frozenset(reach))
            if count % 50 == 0:
                print(f"  {count} inputs measured", flush=True)
    return out


def choose(measured: dict[str, tuple[str, float, Reach]]) -> dict[str, list[str]]:
    """Per family, a greedy cover of everything the family reaches, most new reach per CPU
    second first (ties: the shorter name)."""
    chosen: dict[str, list[str]] = {}
    for family in PICKED:
        members = {n: (cpu, reach) for n, (f, cpu, reach) in measured.items() if f == family}
        if not members:
            continue
        everything = frozenset().union(*(reach for _, reach in members.values()))
        covered: set[tuple[str, ...]] = set()
        kept: list[str] = []
        while len(covered) < len(everything):
            name = max(members, key=lambda n: (len(members[n][1] - covered)
                                               / (members[n][0] + FORK_SECONDS), -len(n), n))
            kept.append(name)
            covered |= members.pop(name)[1]
        chosen[family] = sorted(kept)
    return chosen


def main(argv: list[str] | None = None) -> int:
    from .run import Plan, jobs

    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.pick", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    plan = Plan(seed=corpus.DEFAULT_SEED, short=True, picked=False)
    candidates = [j for j in jobs(plan) if j.family in PICKED]
    print(f"{len(candidates)} inputs of {', '.join(PICKED)}", flush=True)
    measured = measure(candidates, args.workers)
    chosen = choose(measured)
    summary, left_out = {}, {}
    for family, names in chosen.items():
        members = {n: m for n, m in measured.items() if m[0] == family}
        reach = frozenset().union(*(m[2] for m in members.values()))
        left_out[family] = sorted(set(members) - set(names))
        summary[family] = {"inputs": len(members), "kept": len(names), "reach": len(reach)}
        print(f"{family}: {len(names)} of {len(members)} inputs reach all {len(reach)} "
              "(target, branch) and (target, outcome) pairs of the family")
    FILE.write_text(json.dumps({"seed": plan.seed, "measured": summary, "left_out": left_out},
                               indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
