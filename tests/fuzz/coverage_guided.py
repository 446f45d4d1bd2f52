"""The long run's coverage-guided part: atheris (libFuzzer) where it installs, else Hypothesis.

atheris runs one target at a time in its own process (`python -m tests.fuzz.atheris_target`),
seeded with the corpus' small inputs, its coverage corpus kept in .cache/fuzz/atheris/TARGET.
It does not stop at a finding: an undocumented exception is saved under findings/ (one input
per exception type and place), and a libFuzzer timeout or out-of-memory restarts it. Every
saved input is then run again through the forked workers, so it is counted by the same rules.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

from . import corpus
from .harness import Job, Summary, run_jobs

ENGINE_TARGETS = ("import", "sealed", "share.file", "otpauth", "migration.payload", "textlines",
                  "typed", "frames", "recovery.inputs", "scan.images_of")
"""Targets fuzzed with coverage guidance, in turn."""

SEED_LIMIT = 64 * 1024
WORK = corpus.CACHE / "atheris"


def finding_name(engine: str, target: str, file: str) -> str:
    """The reproducer name of a saved input: ENGINE~TARGET~FILE."""
    return f"{engine}~{target}~{file}"


def finding_path(name: str) -> tuple[str, Path] | None:
    """The target and file of a finding's name (None: not a finding's name)."""
    parts = name.split("~")
    if len(parts) != 3 or parts[0] not in ("atheris", "hypothesis"):
        return None
    path = WORK / parts[1].replace(":", "-") / "findings" / parts[2]
    return (parts[1], path) if path.is_file() else None


def atheris_available() -> bool:
    return importlib.util.find_spec("atheris") is not None


def seed_inputs(target: str, seed: int) -> list[bytes]:
    """Small inputs of the corpus that feed `target` (the templates and small recipes)."""
    out = []
    for make, feeds in corpus.TEMPLATES.values():
        if target in feeds or target == "import":
            out.append(make())
    for recipe in corpus.recipes(seed):
        if target in recipe.targets and recipe.short and recipe.special is None:
            path = corpus.materialize(recipe, seed)
            if path.stat().st_size <= SEED_LIMIT:
                out.append(path.read_bytes())
    return out


def _prepare(target: str, seed: int) -> tuple[Path, Path]:
    work = WORK / target.replace(":", "-")
    queue, findings = work / "corpus", work / "findings"
    queue.mkdir(parents=True, exist_ok=True)
    findings.mkdir(parents=True, exist_ok=True)
    if not any(queue.iterdir()):
        for i, data in enumerate(seed_inputs(target, seed)):
            (queue / f"seed-{i}").write_bytes(data)
    return queue, findings


def _atheris(target: str, seconds: float, seed: int) -> Path:
    queue, findings = _prepare(target, seed)
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 5:
        cmd = [sys.executable, "-m", "tests.fuzz.atheris_target", target, str(findings),
               str(queue), f"-max_total_time={int(left)}", "-timeout=10", "-rss_limit_mb=2048",
               "-max_len=65536", f"-artifact_prefix={findings}/", f"-seed={seed}",
               "-print_final_stats=0", "-close_fd_mask=3"]
        subprocess.run(["nice", "-n", "10", *cmd], cwd=corpus.ROOT, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=left + 60)
    return findings


def _hypothesis(target: str, seconds: float, seed: int) -> Path:
    """Hypothesis' binary strategy, in-process, each surprise saved like atheris' findings."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from . import atheris_target

    _, findings = _prepare(target, seed)
    check = atheris_target.checker(target, findings)
    end = time.monotonic() + seconds
    seeds = seed_inputs(target, seed)

    @settings(max_examples=200, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(st.one_of(st.binary(max_size=4096),
                     st.sampled_from(seeds or [b""]).flatmap(
                         lambda s: st.binary(max_size=64).map(lambda b, s=s: s[:len(s) // 2]
                                                              + b + s[len(s) // 2:]))))
    def one(data: bytes) -> None:
        check(data)

    while time.monotonic() < end:
        one()
    return findings


def run(summary: Summary, engine: str, seconds: float, seed: int, workers: int) -> None:
    """Fuzz ENGINE_TARGETS in turn for `seconds` in all; add re-run findings to `summary`."""
    use = engine
    if engine == "auto":
        use = "atheris" if atheris_available() else "hypothesis"
    slice_ = max(60.0, seconds / len(ENGINE_TARGETS))
    end = time.monotonic() + seconds
    print(f"coverage-guided ({use}) for {seconds / 60:.1f} minutes", flush=True)
    for target in ENGINE_TARGETS:
        left = end - time.monotonic()
        if left < 20:
            break
        fuzz = _atheris if use == "atheris" else _hypothesis
        findings = fuzz(target, min(slice_, left), seed)
        jobs = [Job(finding_name(use, target, p.name), f"{use}-finding", (target,),
                    p.read_bytes()) for p in sorted(findings.iterdir()) if p.is_file()
                and os.path.getsize(p) <= 16 << 20]
        print(f"  {target}: {len(jobs)} saved inputs to check again", flush=True)
        for outcome in run_jobs(jobs, workers=workers):
            summary.add(outcome)
