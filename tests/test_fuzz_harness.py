"""The fuzz harness tells outcomes apart and enforces its budget; the corpus is deterministic."""

from __future__ import annotations

import json
import time

import pytest
from fuzz import corpus, harness, mutate, run
from fuzz import targets as T

from toolkit.errors import FormatError


def _valid(data: bytes, name: str) -> str:
    return "ok"


def _documented(data: bytes, name: str) -> str:
    raise FormatError("bad")


def _crash(data: bytes, name: str) -> str:
    return {}["missing"]  # type: ignore[no-any-return]


def _slow(data: bytes, name: str) -> str:
    time.sleep(30)
    return "late"


def _greedy(data: bytes, name: str) -> str:
    return str(len(bytearray(2 << 30)))


def _dies(data: bytes, name: str) -> str:
    import os
    import signal
    os.kill(os.getpid(), signal.SIGSEGV)
    return "never"


FAKES = {"t.valid": _valid, "t.documented": _documented, "t.crash": _crash, "t.slow": _slow,
         "t.greedy": _greedy, "t.dies": _dies}


@pytest.fixture
def fake_targets() -> object:
    for name, fn in FAKES.items():
        T.TARGETS[name] = T.Target(name, fn, "tests")
    yield
    for name in FAKES:
        del T.TARGETS[name]


def test_each_outcome_is_told_apart_and_a_dead_worker_is_replaced(fake_targets: object) -> None:
    job = harness.Job("input-1", "test", ("t.valid", "t.slow", "t.documented", "t.dies",
                                          "t.crash", "t.greedy"), data=b"x")
    start = time.monotonic()
    outcomes = list(harness.run_jobs([job], workers=1, budget=1))
    assert time.monotonic() - start < 15
    kinds = [(o.target, o.kind) for o in outcomes]
    assert sorted(kinds) == sorted([("t.valid", "valid"), ("t.slow", "timeout"),
                                    ("t.documented", "error"), ("t.dies", "crash"),
                                    ("t.crash", "crash"), ("t.greedy", "memory-out")])
    crash = next(o for o in outcomes if o.target == "t.crash")
    assert crash.detail == "KeyError" and crash.where.endswith(":_crash")
    assert next(o for o in outcomes if o.target == "t.dies").detail == "SIGSEGV"
    summary = harness.Summary()
    for o in outcomes:
        summary.add(o)
    assert len(summary.bad) == 4
    assert any("t.crash (tests): crash KeyError" in line and "`input-1`" in line
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
