"""Which inputs a fuzz run feeds, and the run itself (used by `python -m tests.fuzz` and pytest).

Sources, in order: the kept regressions (tests/fuzz/regressions), the hostile corpus
(tests/fuzz/corpus.py), mutants of paper2fa's own valid documents, and mutants of the real
samples in ../shared (skipped when absent). The short run takes a fixed, seeded subset of each;
the long run takes all of them and then keeps mutating until its time is up.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import corpus, coverage_guided, mutate
from . import targets as T
from .harness import Job, Outcome, Summary, run_jobs

REGRESSIONS = Path(__file__).resolve().parent / "regressions"
INDEX = REGRESSIONS / "index.json"
SMALL = 64 * 1024
"""Crash inputs up to this size are kept as files; larger ones as recipes."""

SHORT_OPERATORS = ("bitflip", "truncate", "remove", "digits", "jsonswap", "duplicate")


@dataclass(frozen=True)
class Plan:
    seed: int = corpus.DEFAULT_SEED
    short: bool = True
    mutants_per_operator: int = 1
    rounds: int | None = None  # long run: mutation rounds after the corpus (None: until time)
    corpus: bool = True  # False: only the mutation rounds
    picked: bool = True
    """Short run: without the inputs tests/fuzz/short-run.json leaves out (tests/fuzz/pick.py
    measured that the rest of their family reaches all the code they reach)."""


def sample_formats() -> dict[str, tuple[Path, str | None]]:
    """Each sample's path and the format the registry sniffs for it."""
    out = {}
    for path in mutate.samples():
        data = path.read_bytes()
        out[path.name] = (path, T.importer_of(data, path.name))
    return out


def _sample_targets(fmt: str | None) -> tuple[str, ...]:
    return ("import", f"import:{fmt}") if fmt else ("import",)


def _template_jobs(plan: Plan, index_range: range, operators: tuple[str, ...]) -> Iterator[Job]:
    for tname, (make, feeds) in corpus.TEMPLATES.items():
        data = make()
        for op in operators:
            for i in index_range:
                name = mutate.mutant_name(f"tpl-{tname}", op, i)
                yield Job(name, "template-mutant", feeds,
                          mutate.mutant(plan.seed, f"tpl-{tname}", data, op, i))


def _sample_jobs(plan: Plan, formats: dict[str, tuple[Path, str | None]], index_range: range,
                 operators: tuple[str, ...]) -> Iterator[Job]:
    for sname, (path, fmt) in formats.items():
        data = path.read_bytes()
        for op in operators:
            for i in index_range:
                yield Job(mutate.mutant_name(sname, op, i), "sample-mutant", _sample_targets(fmt),
                          mutate.mutant(plan.seed, sname, data, op, i))


def load_index() -> list[dict[str, object]]:
    if not INDEX.is_file():
        return []
    entries: list[dict[str, object]] = json.loads(INDEX.read_text())
    return entries


@functools.cache
def _recipes(seed: int) -> tuple[corpus.Recipe, ...]:
    """The corpus of a seed, made once for the names `resolve` looks up (about 10 ms each)."""
    return tuple(corpus.recipes(seed))


def resolve(name: str, seed: int, formats: dict[str, tuple[Path, str | None]] | None = None
            ) -> Job | None:
    """The job of any reproducer name (a recipe, a mutant or a kept regression file)."""
    file = REGRESSIONS / name
    for entry in load_index():
        if entry.get("input") == name and file.is_file():
            return Job(name, "regression", tuple(entry["targets"]), file.read_bytes())  # type: ignore[arg-type]
    for recipe in _recipes(seed):
        if recipe.name == name:
            return Job(name, recipe.family, recipe.targets,
                       path=str(corpus.materialize(recipe, seed)))
    found = coverage_guided.finding_path(name)
    if found is not None:
        return Job(name, "engine-finding", (found[0],), found[1].read_bytes())
    if name.startswith("mut-"):
        source, op, index = mutate.parse_name(name)
        if source.startswith("tpl-"):
            make, feeds = corpus.TEMPLATES[source.removeprefix("tpl-")]
            return Job(name, "template-mutant", feeds, mutate.mutant(seed, source, make(), op,
                                                                     index))
        formats = formats if formats is not None else sample_formats()
        if source in formats:
            path, fmt = formats[source]
            return Job(name, "sample-mutant", _sample_targets(fmt),
                       mutate.mutant(seed, source, path.read_bytes(), op, index))
    return None


def regression_jobs(seed: int, formats: dict[str, tuple[Path, str | None]],
                    already: dict[str, tuple[str, ...]] | None = None) -> Iterator[Job]:
    """The kept regressions, each on the targets it failed; the targets the corpus runs the
    same input on anyway (`already`: name -> targets) are left out."""
    for entry in load_index():
        name = str(entry.get("input") or entry.get("recipe"))
        targets = tuple(entry.get("targets", ()))  # type: ignore[call-overload]
        if already and name in already:
            targets = tuple(t for t in targets if t not in already[name])
            if not targets:
                continue
        job = resolve(name, int(entry.get("seed", seed)), formats)  # type: ignore[call-overload]
        if job is not None:
            yield Job(job.name, "regression", targets or job.targets, job.data, job.path)


def jobs(plan: Plan, formats: dict[str, tuple[Path, str | None]] | None = None) -> Iterator[Job]:
    formats = formats if formats is not None else sample_formats()
    operators = SHORT_OPERATORS if plan.short else tuple(mutate.OPERATORS)
    if plan.corpus:
        yield from _corpus_jobs(plan, formats, operators)
    if plan.short:
        return
    rounds = itertools.count(1) if plan.rounds is None else range(1, plan.rounds + 1)
    for r in rounds:
        more = range(plan.mutants_per_operator * r, plan.mutants_per_operator * (r + 1))
        yield from _template_jobs(plan, more, operators)
        yield from _sample_jobs(plan, formats, more, operators)


def _corpus_jobs(plan: Plan, formats: dict[str, tuple[Path, str | None]],
                 operators: tuple[str, ...]) -> Iterator[Job]:
    left_out = _left_out(plan)
    planned = {}
    for recipe in corpus.recipes(plan.seed):
        if plan.short and not recipe.short:
            continue
        if recipe.name in left_out.get(recipe.family, ()):
            continue
        planned[recipe.name] = (recipe, recipe.short_targets if plan.short and
                                recipe.short_targets else recipe.targets)
    yield from regression_jobs(plan.seed, formats, {n: t for n, (_, t) in planned.items()})
    for name, (recipe, feeds) in planned.items():
        yield Job(name, recipe.family, feeds, path=str(corpus.materialize(recipe, plan.seed)))
    first = range(plan.mutants_per_operator)
    for job in (*_template_jobs(plan, first, operators),
                *_sample_jobs(plan, formats, first, operators)):
        if job.name not in left_out.get(job.family, ()):
            yield job


def _left_out(plan: Plan) -> dict[str, set[str]]:
    """Family -> the inputs the short run leaves out (tests/fuzz/pick.py), for this seed."""
    from . import pick

    measured = pick.load() if plan.short and plan.picked else {}
    if measured.get("seed") != plan.seed:
        return {}
    return {family: set(names) for family, names in measured.get("left_out", {}).items()}


def execute(plan: Plan, workers: int = 2, minutes: float | None = None,
            progress: bool = False) -> Summary:
    summary = Summary()
    deadline = time.monotonic() + minutes * 60 if minutes is not None else None
    for count, outcome in enumerate(run_jobs(jobs(plan), workers=workers, deadline=deadline),
                                    start=1):
        summary.add(outcome)
        if progress and outcome.kind in ("crash", "timeout", "memory-out", "bad-message"):
            print(f"  {outcome.kind:10} {outcome.target:24} {outcome.detail} {outcome.where} "
                  f"<- {outcome.job}", flush=True)
        elif progress and count % 500 == 0:
            print(f"  {count} target runs", flush=True)
    return summary


def _found(o: Outcome) -> str:
    return f"{o.kind} {o.detail} at {o.where}" if o.where else f"{o.kind} {o.detail}"


def keep(outcomes: list[Outcome], seed: int) -> int:
    """Keep one input of each new crash family (target, kind, type, place) as a regression: a
    file when small and not made from a sample, its recipe name otherwise. Returns how many
    inputs were added."""
    entries = load_index()
    known = {(t, f) for e in entries for t, f in dict(e.get("found", {})).items()}  # type: ignore[call-overload]
    chosen: dict[str, dict[str, str]] = {}
    families: dict[str, str] = {}
    for o in sorted(outcomes, key=lambda o: (len(o.job), o.job)):
        if o.family == "regression" or (o.target, _found(o)) in known:
            continue
        known.add((o.target, _found(o)))
        chosen.setdefault(o.job, {})[o.target] = _found(o)
        families[o.job] = o.family
    formats = sample_formats() if chosen else {}
    added = 0
    for name, found in chosen.items():
        job = resolve(name, seed, formats)
        if job is None:
            continue
        data = job.data
        if job.path and Path(job.path).is_file() and Path(job.path).stat().st_size <= SMALL:
            data = Path(job.path).read_bytes()
        entry: dict[str, object] = {"targets": sorted(found), "found": found,
                                    "modules": sorted({T.TARGETS[t].module for t in found})}
        if data is not None and len(data) <= SMALL and families[name] != "sample-mutant":
            suffix = Path(name).suffix if Path(name).suffix in (".json", ".txt", ".zip", ".p2fa",
                                                                ".2fas", ".tif", ".pdf",
                                                                ".png") else ".bin"
            fname = f"{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
            REGRESSIONS.mkdir(exist_ok=True)
            (REGRESSIONS / fname).write_bytes(data)
            entry = {"input": fname, "from": name, **entry}
        else:
            entry = {"recipe": name, "seed": seed, **entry}
        entries.append(entry)
        added += 1
    if added:
        REGRESSIONS.mkdir(exist_ok=True)
        INDEX.write_text(json.dumps(entries, indent=1, ensure_ascii=True) + "\n")
    return added
