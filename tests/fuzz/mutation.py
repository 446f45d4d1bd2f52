"""Mutation testing of the five core modules with mutmut, at low priority, in a copy of the project.

    .venv/bin/python -m tests.fuzz.mutation                 # run (resumes), print, refresh docs
    .venv/bin/python -m tests.fuzz.mutation --report        # only print and refresh the docs
    .venv/bin/python -m tests.fuzz.mutation --survivors     # list surviving mutants with diffs
    .venv/bin/python -m tests.fuzz.mutation --retest        # test the survivors again (after
                                                            # adding tests)

The project's tracked files are copied to .cache/mutation/project (ignored by git), with a
`shared` link to ../shared so the sample and vector tests run there too; mutmut keeps its
`mutants/` tree and results in that copy, so a second run only re-tests what changed. Which
modules and tests: `[tool.mutmut]` in pyproject.toml. Scores go to docs/mutation-testing.md
between the generated markers.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / ".cache" / "mutation" / "project"
DOC = ROOT / "docs" / "mutation-testing.md"
BEGIN = "<!-- BEGIN GENERATED: python -m tests.fuzz.mutation -->"
END = "<!-- END GENERATED -->"
MODULES = ("envelope", "sharing", "words", "frames", "otp")

STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests",
          34: "skipped", 36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout",
          255: "timeout", -11: "segfault", -9: "segfault", 37: "caught by type check"}


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                         check=True, capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line and (ROOT / line).is_file()]


def sync_copy() -> None:
    """Bring the copy up to date with the work tree (keeps mutants/ and its results)."""
    WORK.mkdir(parents=True, exist_ok=True)
    files = tracked_files()
    for rel in files:
        src, dst = ROOT / rel, WORK / rel
        if dst.is_file() and dst.read_bytes() == src.read_bytes():
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    shared = ROOT.parent / "shared"
    link = WORK / "shared"
    if shared.is_dir() and not link.exists():
        link.symlink_to(shared)


def mutmut(*args: str) -> list[str]:
    exe = Path(sys.executable).with_name("mutmut")
    return ["nice", "-n", "19", str(exe), *args]


def results() -> dict[str, dict[str, object]]:
    """Per module: counts by status, and the names of surviving mutants."""
    out: dict[str, dict[str, object]] = {}
    for name in MODULES:
        meta = WORK / "mutants" / "toolkit" / f"{name}.py.meta"
        counts: dict[str, int] = {}
        survivors: list[str] = []
        if meta.is_file():
            data = json.loads(meta.read_text())
            for key, code in data["exit_code_by_key"].items():
                status = STATUS.get(code, "not checked" if code is None else "suspicious")
                counts[status] = counts.get(status, 0) + 1
                if status in ("survived", "no tests"):
                    survivors.append(key)
        out[name] = {"counts": counts, "survivors": sorted(survivors)}
    return out


def score_table(res: dict[str, dict[str, object]]) -> list[str]:
    rows = ["| module | mutants | killed | timeout | survived | no tests | not checked | score |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, r in res.items():
        c = r["counts"]
        assert isinstance(c, dict)
        total = sum(c.values())
        killed, timeout = c.get("killed", 0), c.get("timeout", 0)
        tested = total - c.get("not checked", 0) - c.get("skipped", 0)
        score = f"{100 * (killed + timeout) / tested:.1f}%" if tested else "-"
        rows.append(f"| toolkit/{name}.py | {total} | {killed} | {timeout} | "
                    f"{c.get('survived', 0)} | {c.get('no tests', 0)} | "
                    f"{c.get('not checked', 0)} | {score} |")
    return rows


def refresh_doc(res: dict[str, dict[str, object]], seconds: float | None) -> None:
    if not DOC.is_file():
        return
    text = DOC.read_text()
    if BEGIN not in text or END not in text:
        return
    lines = [BEGIN, "", *score_table(res), ""]
    if seconds is not None:
        lines += [f"Last full run: {seconds / 60:.0f} minutes (nice 19, 2 cores shared).", ""]
    lines.append(END)
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    DOC.write_text(head + "\n".join(lines) + tail)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.mutation")
    parser.add_argument("--report", action="store_true", help="do not run; print the scores")
    parser.add_argument("--survivors", action="store_true", help="show each surviving mutant")
    parser.add_argument("--retest", action="store_true",
                        help="also test the surviving mutants again (after adding tests)")
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("mutants", nargs="*", help="only these mutant names (globs allowed)")
    args = parser.parse_args(argv)
    seconds = None
    if not args.report and not args.survivors:
        sync_copy()
        start = time.monotonic()
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        names = list(args.mutants)
        if args.retest:
            names += [k for r in results().values() for k in r["survivors"]]  # type: ignore[attr-defined]
        subprocess.run(mutmut("run", "--max-children", str(args.max_children), *names),
                       cwd=WORK, env=env, check=False)
        if names and not args.mutants:  # then the mutants never checked yet
            subprocess.run(mutmut("run", "--max-children", str(args.max_children)),
                           cwd=WORK, env=env, check=False)
        seconds = time.monotonic() - start
    res = results()
    if args.survivors:
        for r in res.values():
            for key in r["survivors"]:  # type: ignore[attr-defined]
                subprocess.run(mutmut("show", key), cwd=WORK, check=False)
        return 0
    print("\n".join(score_table(res)))
    if not args.mutants and not any(r["counts"].get("not checked")  # type: ignore[attr-defined]
                                    for r in res.values()):
        refresh_doc(res, seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
