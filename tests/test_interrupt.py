"""Ctrl-C at any moment: a real SIGINT sent to a real `paper2fa` process.

Each run starts the installed program, waits until its `main` has taken the signals (SIGTERM
appears among the caught signals in /proc/PID/status: Python itself never catches it; before
that, only the interpreter's own start-up runs), waits a random time within the command's
usual duration (drawn from the run's seed, printed with any failure), and sends SIGINT. The run
must end with exit 130 and exactly two lines on stderr (the error and what to do), no
traceback, and nothing new in the output folder unless the error names the complete files
written before the signal came; no staged temporary file anywhere. A run that finished before
the signal must have succeeded; the same moment is then tried again sooner, until the signal
lands (at the latest right after `main` started), so every run is interrupted whatever the
machine's speed or load.
"""

from __future__ import annotations

import random
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from toolkit import envelope, sharing
from toolkit.demo import demo_vault
from toolkit.model import vault_to_json
from toolkit.render.split import render_split_pdfs
from toolkit.uri import LABEL_PROBLEM_TEXTS

PAPER2FA = Path(sys.executable).with_name("paper2fa")
SIGTERM_CAUGHT = 1 << (signal.SIGTERM - 1)
TWO_LINES_END = ("paper2fa: error: interrupted", "  what to do: ")


@dataclass(frozen=True)
class Inputs:
    folder: Path
    vault: Path
    passphrase: Path
    sheets: tuple[Path, ...]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    folder = tmp_path_factory.mktemp("inputs")
    vault = demo_vault()
    (folder / "vault.json").write_bytes(vault_to_json(vault))
    (folder / "passphrase").write_text("correct horse battery staple\n")
    split = sharing.make_split(vault, 2, 3, (), "pyshamir", None,
                               kdf=envelope.KDF_PROFILES["test"],
                               now=datetime(2026, 1, 15, tzinfo=UTC))
    pdfs = render_split_pdfs(split, datetime(2026, 1, 15, tzinfo=UTC), "a4", self_check=False)
    sheets = []
    for name in sorted(n for n in pdfs if n.startswith("share-"))[:2]:
        (folder / name).write_bytes(pdfs[name])
        sheets.append(folder / name)
    return Inputs(folder, folder / "vault.json", folder / "passphrase", tuple(sheets))


def command(name: str, inputs: Inputs, out: Path) -> list[str]:
    vault = str(inputs.vault)
    return {
        "print": ["print", vault, "-o", str(out / "backup.pdf")],
        "split": ["split", vault, "-k", "2", "-n", "3", "-o", str(out)],
        "seal": ["seal", vault, "--passphrase-file", str(inputs.passphrase),
                 "-o", str(out / "vault.p2fa")],
        "restore": ["restore", *map(str, inputs.sheets), "-o", str(out / "vault.json")],
        "export": ["export", vault, "--format", "reenroll-pdf", "-o", str(out / "new.pdf")],
    }[name]


COMMANDS = ("print", "split", "seal", "restore", "export")


@dataclass(frozen=True)
class Run:
    code: int
    err: str
    seconds: float  # from `main` taking the signals to the end
    interrupted: bool


def wait_until_main_started(pid: int, proc: subprocess.Popen[bytes]) -> None:
    status = Path(f"/proc/{pid}/status")
    deadline = time.monotonic() + 600  # a hang guard: start-up is slow on a busy machine
    while proc.poll() is None:
        try:
            caught = next(line for line in status.read_text().splitlines()
                          if line.startswith("SigCgt:"))
        except (OSError, StopIteration):
            return  # the process is gone
        if int(caught.split()[1], 16) & SIGTERM_CAUGHT:
            return
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("paper2fa's main did not start within 600 s")
        time.sleep(0.001)


def run(args: list[str], delay: float | None, folder: Path) -> Run:
    err_path = folder / "stderr"
    with open(err_path, "wb") as err:
        proc = subprocess.Popen([str(PAPER2FA), "--allow-online", *args], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err)
        wait_until_main_started(proc.pid, proc)
        started = time.monotonic()
        interrupted = False
        if delay is not None:
            time.sleep(delay)
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
                interrupted = True
        code = proc.wait(timeout=600)  # a hang guard
    seconds = time.monotonic() - started
    text = err_path.read_text(errors="replace")
    err_path.unlink()
    return Run(code, text, seconds, interrupted)


def without_label_warnings(err: str) -> str:
    """stderr without the lines naming accounts whose QR code apps misread (print and export
    name the demo vault's "alice: ünïcode": tests/test_sheet_notes.py)."""
    return "".join(line for line in err.splitlines(keepends=True)
                   if not any(text in line for text in LABEL_PROBLEM_TEXTS.values()))


def check(name: str, result: Run, out: Path, inputs: Inputs, before: set[str]) -> bool:
    """Assert the outcome of one run; True when it ended interrupted."""
    where = f"{name}: exit {result.code}, stderr {result.err!r}"
    assert "Traceback" not in result.err, where
    assert sorted(p.name for p in inputs.folder.iterdir()) == sorted(before), where
    left = sorted(p.name for p in out.iterdir())
    assert not [n for n in left if n.endswith((".part", ".orig"))], where
    if result.code == 0:
        assert without_label_warnings(result.err) == "", where
        return False
    assert result.code == 130, where
    lines = result.err.splitlines()
    assert len(lines) == 2, where
    assert lines[0].startswith(TWO_LINES_END[0]) and lines[1].startswith(TWO_LINES_END[1]), where
    if "after writing" in lines[0]:  # complete files written before the signal came
        assert all(str(out / n) in lines[0] or n in lines[0] for n in left), where
    else:
        assert left == [], where
        assert lines[1] == "  what to do: nothing was written", where
    return True


def fresh(folder: Path) -> Path:
    for old in folder.glob("out-*"):
        for p in sorted(old.rglob("*"), reverse=True):
            p.unlink() if p.is_file() else p.rmdir()
        old.rmdir()
    out = folder / f"out-{time.monotonic_ns()}"
    out.mkdir()
    return out


def interrupted_run(name: str, delay: float, inputs: Inputs, tmp_path: Path,
                    before: set[str]) -> float:
    """Run `name` and interrupt it `delay` s after its main started; when it finished first
    (checked: it succeeded), the same again sooner, at last right after main started. Returns
    the delay that landed."""
    for try_delay in (delay, delay / 4, delay / 16, 0.0):
        out = fresh(tmp_path)
        result = run(command(name, inputs, out), try_delay, tmp_path)
        if check(name, result, out, inputs, before):
            return try_delay
    raise AssertionError(f"{name} ended before a signal sent as soon as its main started")


def test_ctrl_c_in_the_middle_of_each_command(inputs: Inputs, tmp_path: Path) -> None:
    before = {p.name for p in inputs.folder.iterdir()}
    for name in COMMANDS:
        interrupted_run(name, 0.25, inputs, tmp_path, before)


RANDOM_MOMENTS = 10
"""Two a command: each run costs a start of the program and part of a command, mostly spent
waiting for the moment (tests/fuzz/interrupts.py tries hundreds, outside the test suite; the
moments from the very start are tried by the test at the end of this file)."""


@pytest.mark.slow
def test_ctrl_c_at_random_moments(inputs: Inputs, tmp_path: Path, run_seed: int) -> None:
    before = {p.name for p in inputs.folder.iterdir()}
    durations = {}
    for name in COMMANDS:  # how long each command takes once `main` has started
        out = fresh(tmp_path)
        baseline = run(command(name, inputs, out), None, tmp_path)
        assert baseline.code == 0 and without_label_warnings(baseline.err) == "", (name,
                                                                                   baseline)
        durations[name] = baseline.seconds
    rng = random.Random(run_seed)
    for number in range(RANDOM_MOMENTS):
        name = COMMANDS[number % len(COMMANDS)]
        delay = rng.uniform(0, durations[name])
        try:
            interrupted_run(name, delay, inputs, tmp_path, before)
        except AssertionError as exc:
            raise AssertionError(f"run seed {run_seed} (--hypothesis-seed={run_seed}), run "
                                 f"{number}, {name}, delay {delay:.3f} s: {exc}") from None


# --- Ctrl-C before paper2fa's code runs: the console script install.sh writes -------------------

def test_the_console_script_takes_the_signals_before_the_site_start_up() -> None:
    """install.sh writes toolkit.entry's launcher over pip's console script: Python starts
    without its site start-up (-S, so no .pth file and no editable-install finder runs first),
    with Ctrl-C and SIGTERM blocked where GNU env can do it, and the script sets its handlers
    with modules built into the interpreter before anything else is imported."""
    from toolkit.entry import launcher

    text = PAPER2FA.read_text()
    blocking = subprocess.run(["/usr/bin/env", "--block-signal=INT,TERM", "true"],
                              capture_output=True, check=False).returncode == 0
    head = "\n".join(text.splitlines()[:2])  # the "#!" line, or the line sh runs
    pythons = re.findall(r"('[^']+'|/\S+) -S\b", head)
    assert pythons, "run ./install.sh: .venv/bin/paper2fa is pip's console script"
    assert text == launcher(pythons[-1].strip("'"), blocking)
    before = text.split("_signal.signal(", 1)[0]
    imported = [line.split()[1] for line in before.splitlines() if line.startswith("import ")]
    assert imported == ["_signal", "posix"]
    assert all(name in sys.builtin_module_names for name in imported)
    assert "from toolkit.entry import main" in text.split("site.main()", 1)[1]


START_MOMENTS = 8
"""Ctrl-C sent this many times within the program's start-up, from its very beginning."""


def test_ctrl_c_from_the_very_start_never_gives_a_traceback(tmp_path: Path,
                                                             run_seed: int) -> None:
    """SIGINT at random moments from the spawn of the program until its main took the signals
    (measured once here, by the same /proc check). Before Python has set its own handler the
    signal ends the process silently (killed by SIGINT, as any program); from then on the
    launcher's or toolkit.entry's handler answers: exit 130, two lines. Never a traceback (pip's
    console script gave one in about 1 run in 5 here: the .pth files ran first)."""
    args = [str(PAPER2FA), "--allow-online", "formats"]
    began = time.monotonic()
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    wait_until_main_started(proc.pid, proc)
    start_up = time.monotonic() - began
    proc.kill()
    proc.wait(timeout=600)
    rng = random.Random(run_seed)
    endings = []
    for number in range(START_MOMENTS):
        delay = rng.uniform(0, start_up * 1.2)
        with open(tmp_path / "stderr", "wb") as err:
            proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=err)
            time.sleep(delay)
            proc.send_signal(signal.SIGINT)
            code = proc.wait(timeout=600)  # a hang guard
        text = (tmp_path / "stderr").read_text(errors="replace")
        where = (f"run seed {run_seed} (--hypothesis-seed={run_seed}), run {number}, SIGINT "
                 f"{delay * 1000:.1f} ms after the spawn (start-up took {start_up * 1000:.0f} "
                 f"ms): exit {code}, stderr {text!r}")
        assert "Traceback" not in text and "KeyboardInterrupt" not in text, where
        if code == -signal.SIGINT:
            assert text == "", where
        elif code == 130:
            assert text.splitlines() == ["paper2fa: error: interrupted",
                                         "  what to do: nothing was written"], where
        else:
            assert code == 0, where  # finished first: `formats` writes nothing
        endings.append(code)
    print(f"start-up {start_up * 1000:.0f} ms; exits {endings}")


# --- after the run: CPython's note of an interrupt raised in string-exec'd code -----------------

PROBE = '''\
import sys

import toolkit.cli as cli
from toolkit import entry


def run() -> int:
    """An interrupt caught inside code that `exec` runs from a string (as dataclasses' methods
    are made while a module is imported), then the run's exit code."""
    with cli._run_setting(False, restore=False):
        try:
            exec("import os, signal\\nos.kill(os.getpid(), signal.SIGTERM)\\n"
                 "for _ in range(10**8): pass")
        except KeyboardInterrupt:
            pass
        else:
            raise SystemExit("the signal never came")
    return int(sys.argv[1])


cli.main = run
raise SystemExit(entry.main())
'''


@pytest.mark.parametrize("code", [0, 3, 130])
def test_an_interrupt_caught_in_exec_code_does_not_end_the_process_by_sigint(
        tmp_path: Path, code: int) -> None:
    """CPython notes a KeyboardInterrupt that leaves string-exec'd code as unhandled even when it
    is caught further up, and under `python -m` kills itself with SIGINT after the teardown:
    `python -m toolkit import` sent SIGTERM 20-50 ms after the start ended so in 5-9 runs of 100
    (the signal landed in `toolkit.airgap`'s dataclasses). toolkit.entry ends any run that got
    an interrupt itself, with its exit code."""
    (tmp_path / "interrupt_probe.py").write_text(PROBE)
    result = subprocess.run([sys.executable, "-m", "interrupt_probe", str(code)],
                            cwd=tmp_path, capture_output=True, text=True, timeout=600,
                            check=False)
    assert result.returncode == code, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
