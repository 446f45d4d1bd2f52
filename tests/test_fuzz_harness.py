"""The fuzz harness tells outcomes apart and enforces its budget; the corpus is deterministic."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fuzz import corpus, harness, mutate, pick, run
from fuzz import targets as T

from toolkit.errors import FormatError


def _valid(data: bytes, name: str) -> str:
    return "ok"


def _documented(data: bytes, name: str) -> str:
    raise FormatError("bad")


def _crash(data: bytes, name: str) -> str:
    return {}["missing"]  # type: ignore[no-any-return]


def _spins(data: bytes, name: str) -> str:
    while True:  # CPU work without end: the CPU budget ends it
        pass


def _waits(data: bytes, name: str) -> str:
    time.sleep(30)  # waits without working (as on a FIFO): the alarm ends it
    return "late"


def _greedy(data: bytes, name: str) -> str:
    return str(len(bytearray(2 << 30)))


def _dies(data: bytes, name: str) -> str:
    import os
    import signal
    os.kill(os.getpid(), signal.SIGSEGV)
    return "never"


def _slow_once(data: bytes, name: str) -> str:
    """Over its budget the first time (as on a busy machine), within it the second."""
    marker = Path(data.decode())
    if not marker.exists():
        marker.write_text("ran once")
        while True:
            pass
    return "ok"


FAKES = {"t.valid": _valid, "t.documented": _documented, "t.crash": _crash, "t.spins": _spins,
         "t.waits": _waits, "t.greedy": _greedy, "t.dies": _dies, "t.slow_once": _slow_once}


@pytest.fixture
def fake_targets() -> object:
    for name, fn in FAKES.items():
        T.TARGETS[name] = T.Target(name, fn, "tests")
    yield
    for name in FAKES:
        del T.TARGETS[name]


@pytest.mark.timeout(600)  # a hang guard: the budgets are asserted through the outcomes
def test_each_outcome_is_told_apart_and_a_dead_worker_is_replaced(fake_targets: object) -> None:
    job = harness.Job("input-1", "test", ("t.valid", "t.waits", "t.documented", "t.dies",
                                          "t.crash", "t.greedy"), data=b"x")
    outcomes = list(harness.run_jobs([job], workers=1, budget=1, wait=2))
    kinds = [(o.target, o.kind) for o in outcomes]
    assert sorted(kinds) == sorted([("t.valid", "valid"), ("t.waits", "timeout"),
                                    ("t.documented", "error"), ("t.dies", "crash"),
                                    ("t.crash", "crash"), ("t.greedy", "memory-out")])
    by_target = {o.target: o for o in outcomes}
    # a timeout is decided on a second run, alone
    assert by_target["t.waits"].detail.startswith("over 2 s waiting, also when run alone")
    crash = by_target["t.crash"]
    assert crash.detail == "KeyError" and crash.where.endswith(":_crash")
    assert by_target["t.dies"].detail == "SIGSEGV"
    summary = harness.Summary()
    for o in outcomes:
        summary.add(o)
    assert len(summary.bad) == 4
    assert any("t.crash (tests): crash KeyError" in line and "`input-1`" in line
               for line in summary.findings())


@pytest.mark.timeout(600)
def test_cpu_work_is_ended_by_the_cpu_budget_not_the_clock(fake_targets: object) -> None:
    """However little of a core a busy machine leaves the worker, the CPU budget ends a target
    that works without end (the alarm on the clock is 600 s away)."""
    job = harness.Job("input-2", "test", ("t.spins", "t.valid"), data=b"x")
    outcomes = list(harness.run_jobs([job], workers=1, budget=1, wait=600))
    by_target = {o.target: o for o in outcomes}
    assert by_target["t.valid"].kind == "valid"  # the target after it ran in a new worker
    spins = by_target["t.spins"]
    # the CPU limit ended it (the clock's alarm would say "over 600 s waiting"); its CPU as
    # wait4 counts it is not compared with the budget: under load (two busy processes beside
    # a whole suite) the profiling timer ended a target whose rusage said 0.91 s of CPU
    assert spins.kind == "timeout" and spins.cpu_seconds > 0, spins
    assert spins.detail.startswith("over 1 s of CPU, also when run alone"), spins


@pytest.mark.timeout(600)
def test_an_input_over_budget_only_beside_other_work_is_reported_not_failed(
        fake_targets: object, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    job = harness.Job("slow-1", "test", ("t.slow_once", "t.valid"), data=str(marker).encode())
    outcomes = list(harness.run_jobs([job], workers=2, budget=1, wait=600))
    assert sorted((o.target, o.kind) for o in outcomes) == [("t.slow_once", "valid"),
                                                           ("t.valid", "valid")]
    (slow,) = [o for o in outcomes if o.target == "t.slow_once"]
    assert slow.overran.startswith("over 1 s of CPU beside other work"), slow
    summary = harness.Summary()
    for o in outcomes:
        summary.add(o)
    assert summary.bad == [] and summary.overran == [slow]
    assert any("over its budget only beside other work" in line and "`slow-1`" in line
               for line in summary.findings())


def test_the_corpus_is_the_same_for_the_same_seed(tmp_path: object) -> None:
    small = [r for r in corpus.recipes(7) if r.name in ("binary-random-4k.bin",
                                                        "json-deep-dict-1000.json")]
    assert len(small) == 2
    for recipe in small:
        assert recipe.make is not None
        first = recipe.make(__import__("random").Random(f"7:{recipe.name}"))
        again = recipe.make(__import__("random").Random(f"7:{recipe.name}"))
        assert first == again
    names = [r.name for r in corpus.recipes(7)]
    assert len(names) == len(set(names)), "reproducer names must be unique"
    assert [r.name for r in corpus.recipes(7)] == names


def test_mutants_are_named_by_their_recipe() -> None:
    data = corpus.aegis_json()
    for op in mutate.OPERATORS:
        name = mutate.mutant_name("tpl-aegis.json", op, 3)
        assert mutate.parse_name(name) == ("tpl-aegis.json", op, 3)
        job = run.resolve(name, 11)
        assert job is not None and job.data == mutate.mutant(11, "tpl-aegis.json", data, op, 3)


def test_every_kept_regression_can_be_run_again() -> None:
    for entry in run.load_index():
        name = str(entry.get("input") or entry.get("recipe"))
        assert set(entry["targets"]) <= set(T.TARGETS), entry
        if entry.get("recipe", "").startswith("mut-") and not mutate.samples():
            continue  # a mutant of a sample in ../shared, which is absent here
        assert run.resolve(name, int(entry.get("seed", corpus.DEFAULT_SEED))) is not None, name
    assert json.loads(run.INDEX.read_text()) if run.INDEX.is_file() else True


def test_the_short_run_leaves_out_only_inputs_of_its_measured_families() -> None:
    """tests/fuzz/short-run.json names inputs of the short run's plan (tests/fuzz/pick.py), of
    the families it measured, each with fewer than all of that family's inputs left out."""
    measured = pick.load()
    assert measured["seed"] == corpus.DEFAULT_SEED
    recipes = {r.name: r.family for r in corpus.recipes(corpus.DEFAULT_SEED) if r.short}
    samples = {p.name for p in mutate.samples()}
    for family, names in measured["left_out"].items():
        assert family in pick.PICKED
        assert len(names) < measured["measured"][family]["inputs"]
        for name in names:
            if family in ("template-mutant", "sample-mutant"):
                source, operator, index = mutate.parse_name(name)
                assert operator in run.SHORT_OPERATORS and index == 0, name
                if family == "template-mutant":
                    assert source.removeprefix("tpl-") in corpus.TEMPLATES, name
                elif samples:
                    assert source in samples, name
            else:
                assert recipes.get(name) == family, name
