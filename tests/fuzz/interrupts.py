"""Ctrl-C at random moments: `python -m tests.fuzz.interrupts [--tries N] [--command NAME]`.

Runs real `paper2fa` commands in child processes and sends SIGINT after a random delay (from
the seed), counted from the moment the program took the signals (toolkit.entry, its first act:
SIGTERM appears among its caught signals; before that only Python's own start-up runs), so the
start-up imports are tried too (`start-up`: `list`, up to 0.3 s). Then it records how each run
ended: exit 130 with one line (the rule), another exit code, a traceback, or death by a signal
(the segfault seen once during `export --format reenroll-pdf`, issue 11). Prints a table per
command and every bad run with its delay, so a run can be repeated. Files go to a temporary
folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from . import corpus

PAPER2FA = Path(sys.executable).with_name("paper2fa")


def _setup(work: Path) -> dict[str, list[str]]:
    from toolkit.model import vault_to_json
    vault = work / "vault.json"
    vault.write_bytes(vault_to_json(corpus.demo_vault(12)))
    passphrase = work / "pass.txt"
    passphrase.write_text("a long passphrase\n")
    return {
        "export-reenroll-pdf": ["export", str(vault), "--format", "reenroll-pdf", "-o",
                                "{out}/out.pdf", "--date", "2026-01-15"],
        "print": ["print", str(vault), "-o", "{out}/backup.pdf", "--date", "2026-01-15"],
        "seal": ["seal", str(vault), "-o", "{out}/vault.p2fa", "--passphrase-file",
                 str(passphrase)],
        "split": ["split", str(vault), "-k", "2", "-n", "3", "-o", "{out}/sheets"],
        "start-up": ["list", str(vault)],
    }


START_UP_DELAY = 0.3
"""Longest delay of the `start-up` runs: the command line's modules are being imported."""

SIGTERM_CAUGHT = 1 << (signal.SIGTERM - 1)


def wait_until_signals_taken(proc: subprocess.Popen[bytes]) -> None:
    """Until the program took the signals (Python never catches SIGTERM itself): counted on
    the process's state, not on a time (60 s at most)."""
    status = Path(f"/proc/{proc.pid}/status")
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            caught = next(line for line in status.read_text().splitlines()
                          if line.startswith("SigCgt:"))
        except (OSError, StopIteration):
            return
        if int(caught.split()[1], 16) & SIGTERM_CAUGHT:
            return
        time.sleep(0.0005)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.interrupts")
    parser.add_argument("--tries", type=int, default=20, help="per command")
    parser.add_argument("--command", action="append", help="only these (default: all)")
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--max-delay", type=float, default=3.0)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="paper2fa-interrupts-"))
    bad: list[str] = []
    table: dict[str, Counter[str]] = {}
    try:
        commands = _setup(work)
        for name, template in commands.items():
            if args.command and name not in args.command:
                continue
            counts = table.setdefault(name, Counter())
            for attempt in range(args.tries):
                out = work / f"{name}-{attempt}"
                out.mkdir()
                cmd = [str(PAPER2FA), "--allow-online",
                       *(a.replace("{out}", str(out)) for a in template)]
                longest = START_UP_DELAY if name == "start-up" else args.max_delay
                delay = round(rng.uniform(0.0, longest), 3)
                proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        stdin=subprocess.DEVNULL, cwd=work)
                wait_until_signals_taken(proc)
                time.sleep(delay)
                proc.send_signal(signal.SIGINT)
                try:
                    _, err = proc.communicate(timeout=60)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    _, err = proc.communicate()
                    counts["hung"] += 1
                    bad.append(f"{name} after {delay} s: did not stop within 60 s")
                    continue
                text = err.decode("utf-8", "replace")
                code = proc.returncode
                if "Traceback" in text:
                    kind = "traceback " + text.strip().splitlines()[-1].split(":")[0][:40]
                elif code < 0:
                    kind = f"killed by {signal.Signals(-code).name}"
                elif code == 130:
                    kind = "exit 130" if len(text.strip().splitlines()) <= 2 else "exit 130, long"
                elif code == 0:
                    kind = "finished first"
                elif "internal error" in text:
                    kind = f"exit {code}, " + text.split("internal error", 1)[1].split(")")[0][:40]\
                        .strip() + ")"
                else:
                    kind = f"exit {code}"
                counts[kind] += 1
                left = [p.name for p in out.rglob("*") if p.is_file()] if code != 0 else []
                if left:
                    counts["left files"] += 1
                if kind not in ("exit 130", "finished first") or left:
                    last = text.strip().splitlines()[-1:] or [""]
                    bad.append(f"{name} after {delay} s: {kind}; {last[0][:100]}"
                               + (f"; left {left}" if left else ""))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("| command | runs | outcomes |\n| --- | ---: | --- |")
    for name, counts in table.items():
        print(f"| {name} | {sum(v for k, v in counts.items() if k != 'left files')} | "
              + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) + " |")
    print("\n".join(["", *bad]) if bad else "\nevery run ended in exit 130 or finished")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
