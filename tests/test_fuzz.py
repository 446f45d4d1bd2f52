"""The short fuzz run (tests/fuzz): every parser of outside data, fed the hostile corpus, mutants of
paper2fa's own documents and of the real samples, and the kept regressions, each input in a
forked worker limited to 1 GiB and 10 s of CPU per target. Of the mutants, type swaps and zips
with a byte removed, it runs those that reach all the code their whole family reaches
(tests/fuzz/pick.py, tests/fuzz/short-run.json). Every input must end in a documented
error (a Paper2faError) or a valid result. An input over its budget beside the other workers is
run again alone: over again, it fails the test; within it, it is reported as a warning (a busy
machine, not a failure). The long run is `python -m tests.fuzz --minutes 60`
(docs/bad-input.md)."""

from __future__ import annotations

import time
import warnings

from fuzz import corpus, mutate
from fuzz.harness import Summary
from fuzz.run import Plan, execute


def test_short_fuzz_run_ends_every_input_in_a_documented_error_or_a_valid_result() -> None:
    start = time.monotonic()
    summary: Summary = execute(Plan(seed=corpus.DEFAULT_SEED, short=True), workers=2)
    seconds = time.monotonic() - start
    report = "\n".join(["", f"{len(summary.outcomes)} target runs in {seconds:.0f} s", "",
                        *summary.table(), "", *summary.findings()])
    # the harness itself works: every valid document was read as valid by each of its targets
    valid = [o for o in summary.outcomes if o.family == "valid"]
    assert valid and all(o.kind == "valid" for o in valid), report
    # every family of inputs is tried (tests/fuzz/pick.py only leaves out some of a family)
    families = {r.family for r in corpus.recipes(corpus.DEFAULT_SEED) if r.short}
    families |= {"template-mutant", "regression"} | ({"sample-mutant"} if mutate.samples()
                                                     else set())
    assert families <= set(summary.families), report
    every_target = {o.target for o in summary.outcomes}
    assert {"import", "sealed", "share.file", "otpauth", "migration", "textlines", "typed",
            "scan.read_page", "fsio.read_input"} <= every_target
    for slow in summary.overran:
        warnings.warn(f"fuzz input {slow.job} on {slow.target}: {slow.overran}", stacklevel=1)
    assert not summary.bad, (f"{len(summary.bad)} crashes, timeouts or memory-outs "
                             f"(reproduce one with `python -m tests.fuzz --only NAME`):{report}")
