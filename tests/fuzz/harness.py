"""Run inputs through targets, one forked worker per input, and count what happened.

The worker limits its address space (RLIMIT_AS: 1 GiB above what it maps when it starts) and,
before each target, its CPU time (a profiling timer, ITIMER_PROF: 10.1 s of CPU from the
target's start; RLIMIT_CPU a second later as a backstop) and, for a target that
waits instead of working, its time on the clock (an alarm at 12 times that); the kernel's
signal ends the worker even inside C code (SIGPROF, SIGXCPU and SIGALRM are left to their
default action, which ends the process). CPU time, not time on the clock, is the
budget: another program keeping the cores busy makes a target take longer, not use more CPU.
Each target's outcome goes back over a pipe as one JSON line:

- "valid": a result; "error": a Paper2faError subclass (a documented error);
- "crash": any other exception (its type and the innermost toolkit frame name the family);
- "bad-message": a documented error whose message echoes a secret-looking part of the input,
  holds a raw control character or is too long (tests/fuzz/messages.py);
- "memory-out": MemoryError, or the worker killed while near its memory limit;
- "timeout": over its CPU budget, or waiting past the alarm (or the parent killed a worker
  that did not stop), both when run beside the others and again when run alone.

A worker that dies part-way is replaced by a new one for the targets it had not run. A target
over its budget is run again alone once every other input is done: only when it is over
again is it a timeout; when it is not, its outcome says it overran beside the others
(`overran`), so a busy machine reports a slow input instead of failing it.
"""

from __future__ import annotations

import contextlib
import faulthandler
import json
import math
import os
import resource
import select
import signal
import time
import traceback
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from toolkit.errors import Paper2faError

from . import messages
from . import targets as T

BUDGET_SECONDS = 10
"""CPU seconds one target may use on one input."""

WAIT_FACTOR = 12
"""A target may take this many times its CPU budget on the clock before the alarm ends it: the
alarm is for a target that waits (on a FIFO) instead of working, and it must not fire on one
that works on a busy machine (a load of 8 on 2 cores leaves it a quarter of a core)."""

TIMER_MARGIN = 0.1
"""CPU seconds the profiling timer gives beyond the budget: it and the kernel's count of a
process's CPU time (getrusage) differ by a few ms a second."""

MEMORY_LIMIT = 1 << 30
GRACE_SECONDS = 5
"""The parent kills a worker whose target has run this long past its alarm."""


@dataclass(frozen=True)
class Job:
    """One input: its reproducer name, family, the targets to feed it to, and its bytes or file."""

    name: str
    family: str
    targets: tuple[str, ...]
    data: bytes | None = None
    path: str | None = None


@dataclass(frozen=True)
class Outcome:
    job: str
    family: str
    target: str
    kind: str  # valid | error | bad-message | crash | memory-out | timeout
    detail: str = ""
    where: str = ""
    seconds: float = 0.0
    peak_rss: int = 0  # bytes, of the worker (ru_maxrss at its end)
    warned: str = ""
    cpu_seconds: float = 0.0
    overran: str = ""  # over its budget beside other workers, not when run again alone


# --- the worker ----------------------------------------------------------------------------------

def _where(exc: BaseException) -> str:
    """The innermost frame in toolkit (else the innermost frame) as module:function."""
    frames = traceback.extract_tb(exc.__traceback__)
    inside = [f for f in frames if "/toolkit/" in f.filename]
    frame = (inside or frames or [None])[-1]
    if frame is None:
        return ""
    path = Path(frame.filename)
    module = path.stem
    if "/toolkit/" in frame.filename:
        parts = frame.filename.split("/toolkit/", 1)[1].removesuffix(".py").split("/")
        module = ".".join(["toolkit", *parts])
    return f"{module}:{frame.name}"


def _run_target(target: str, data: bytes, name: str) -> dict[str, str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            summary = T.TARGETS[target].run(data, name)
            out = {"kind": "valid", "detail": summary[:80]}
        except Paper2faError as exc:
            out = {"kind": "error", "detail": type(exc).__name__, "where": _where(exc)}
            wrong = messages.faults(target, exc.message, exc.hint, data)
            if wrong:
                out = {"kind": "bad-message", "detail": f"{type(exc).__name__}: "
                       + ", ".join(wrong), "where": _where(exc)}
        except MemoryError as exc:
            out = {"kind": "memory-out", "detail": "MemoryError", "where": _where(exc)}
        except BaseException as exc:  # every other exception is a finding
            out = {"kind": "crash", "detail": type(exc).__name__, "where": _where(exc)}
    categories = sorted({w.category.__name__ for w in caught})
    if categories:
        out["warned"] = ",".join(categories)
    return out


def _mapped_now() -> int:
    """The address space this process maps already (bytes): the limit is set above it, so
    an input gets its 1 GiB whatever the test run loaded before (decoders, thread arenas)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _child(job: Job, todo: tuple[str, ...], wfd: int, budget: int, wait: int,
           memory: int) -> None:
    faulthandler.disable()  # a dying worker is counted, not dumped on the test run's stderr
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    signal.signal(signal.SIGPROF, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    limit = _mapped_now() + memory
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # SIGXCPU and SIGSEGV would dump core
    out = os.fdopen(wfd, "w", buffering=1)
    if job.data is not None:
        data, name = job.data, job.name
    elif job.path is not None and Path(job.path).is_file() and not job.path.startswith("/dev/"):
        data, name = Path(job.path).read_bytes(), job.path
    else:
        data, name = b"", job.path or job.name
    for target in todo:
        out.write(json.dumps({"target": target, "event": "start"}) + "\n")
        start, cpu = time.perf_counter(), _cpu_used()
        # the budget to the tick (RLIMIT_CPU counts whole seconds from the worker's start, so
        # alone it gave a target up to a second more); the rlimit is the backstop. The soft
        # limit only: it may be raised again for the next target (the hard one not)
        resource.setrlimit(resource.RLIMIT_CPU,
                           (math.ceil(cpu) + budget + 1, resource.RLIM_INFINITY))
        signal.setitimer(signal.ITIMER_PROF, budget + TIMER_MARGIN)
        signal.alarm(wait)
        result = _run_target(target, data, name)
        signal.alarm(0)
        signal.setitimer(signal.ITIMER_PROF, 0)
        result["seconds"] = f"{time.perf_counter() - start:.3f}"
        result["cpu"] = f"{_cpu_used() - cpu:.3f}"
        result["target"] = target
        out.write(json.dumps(result) + "\n")
    out.flush()
    os._exit(0)


# --- the parent ---------------------------------------------------------------------------------

@dataclass
class _Running:
    job: Job
    todo: tuple[str, ...]
    fd: int
    buffer: bytes = b""
    current: str | None = None
    started: float = 0.0
    done: list[str] = field(default_factory=list)
    results: list[dict[str, str]] = field(default_factory=list)
    killed: bool = False


def _spawn(job: Job, todo: tuple[str, ...], budget: int, wait: int,
           memory: int) -> tuple[int, _Running]:
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the worker
        try:
            os.close(rfd)
            _child(job, todo, wfd, budget, wait, memory)
        finally:
            os._exit(70)
    os.close(wfd)
    return pid, _Running(job, todo, rfd)


def _signal_name(status: int) -> str:
    if os.WIFSIGNALED(status):
        try:
            return signal.Signals(os.WTERMSIG(status)).name
        except ValueError:
            return f"signal {os.WTERMSIG(status)}"
    return f"exit {os.WEXITSTATUS(status)}"


def run_jobs(jobs: Iterable[Job], workers: int = 2, budget: int = BUDGET_SECONDS,
             memory: int = MEMORY_LIMIT, deadline: float | None = None,
             wait: int | None = None) -> Iterator[Outcome]:
    """Run every (job, target), at most `workers` at once; yields outcomes as they finish.
    With `deadline` (a time.monotonic() value), no new job starts after it. `budget` is CPU
    seconds a target; `wait` the seconds on the clock (default `WAIT_FACTOR` times `budget`).
    A target over its budget is run again alone at the end (see the module docstring)."""
    wait = wait if wait is not None else budget * WAIT_FACTOR
    overran: list[tuple[Job, Outcome]] = []
    for job, outcome in _run_all(jobs, workers, budget, wait, memory, deadline):
        if outcome.kind == "timeout":
            overran.append((job, outcome))  # decided once nothing else runs beside it
        else:
            yield outcome
    for job, first in overran:
        alone = Job(job.name, job.family, (first.target,), job.data, job.path)
        again = next((o for _, o in _run_all([alone], 1, budget, wait, memory, None)), first)
        beside = f"{first.detail} beside other work ({first.seconds:.1f} s)"
        if again.kind == "timeout":
            yield replace(again, detail=f"{again.detail}, also when run alone ({beside})")
        else:
            yield replace(again, overran=f"{beside}; {again.cpu_seconds:.1f} s of CPU and "
                                         f"{again.seconds:.1f} s alone")


def _run_all(jobs: Iterable[Job], workers: int, budget: int, wait: int, memory: int,
             deadline: float | None) -> Iterator[tuple[Job, Outcome]]:
    pending: list[tuple[Job, tuple[str, ...]]] = []
    source = iter(jobs)
    running: dict[int, _Running] = {}
    exhausted = False
    while True:
        while len(running) < workers and (pending or not exhausted):
            if deadline is not None and time.monotonic() > deadline:
                exhausted, pending = True, []
                break
            if pending:
                job, todo = pending.pop(0)
            else:
                nxt = next(source, None)
                if nxt is None:
                    exhausted = True
                    break
                job, todo = nxt, nxt.targets
            pid, run = _spawn(job, todo, budget, wait, memory)
            running[pid] = run
        if not running:
            return
        fds = {run.fd: pid for pid, run in running.items()}
        ready, _, _ = select.select(list(fds), [], [], 0.5)
        now = time.monotonic()
        for fd in ready:
            pid = fds[fd]
            run = running[pid]
            chunk = os.read(fd, 65536)
            if chunk:
                run.buffer += chunk
                *lines, run.buffer = run.buffer.split(b"\n")
                for line in lines:
                    msg = json.loads(line)
                    if msg.get("event") == "start":
                        run.current, run.started = msg["target"], time.monotonic()
                    else:
                        run.results.append(msg)
                        run.done.append(msg["target"])
                        run.current = None
                continue
            os.close(fd)
            _, status, usage = os.wait4(pid, 0)
            del running[pid]
            peak = usage.ru_maxrss * 1024
            for msg in run.results:
                yield run.job, Outcome(run.job.name, run.job.family, msg["target"], msg["kind"],
                                       msg.get("detail", ""), msg.get("where", ""),
                                       float(msg.get("seconds", 0)), peak,
                                       msg.get("warned", ""), float(msg.get("cpu", 0)))
            if run.current is not None:
                how = _signal_name(status)
                seconds = now - run.started
                cpu = usage.ru_utime + usage.ru_stime
                if how in ("SIGPROF", "SIGXCPU"):
                    kind, detail = "timeout", f"over {budget} s of CPU"
                elif how == "SIGALRM" or run.killed:
                    kind, detail = "timeout", f"over {wait} s waiting"
                elif how == "SIGKILL" or peak > memory * 0.9:
                    kind, detail = "memory-out", how
                else:
                    kind, detail = "crash", how
                yield run.job, Outcome(run.job.name, run.job.family, run.current, kind, detail,
                                       "", seconds, peak, cpu_seconds=cpu)
                rest = tuple(t for t in run.todo if t not in run.done and t != run.current)
                if rest:
                    pending.insert(0, (run.job, rest))
        for pid, run in running.items():
            if (run.current is not None and not run.killed
                    and now - run.started > wait + GRACE_SECONDS):
                run.killed = True
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


# --- counting ------------------------------------------------------------------------------------

@dataclass
class TargetStats:
    runs: int = 0
    valid: int = 0
    errors: int = 0
    crashes: dict[str, list[str]] = field(default_factory=dict)  # "Type at where" -> inputs
    timeouts: list[str] = field(default_factory=list)
    memory_outs: list[str] = field(default_factory=list)
    warned: dict[str, list[str]] = field(default_factory=dict)
    bad_messages: dict[str, list[str]] = field(default_factory=dict)  # "what at where" -> inputs
    overran: list[str] = field(default_factory=list)  # "input: how", within budget alone
    seconds: float = 0.0


@dataclass
class Summary:
    targets: dict[str, TargetStats] = field(default_factory=dict)
    families: Counter[str] = field(default_factory=Counter)
    outcomes: list[Outcome] = field(default_factory=list)

    def add(self, o: Outcome) -> None:
        self.outcomes.append(o)
        s = self.targets.setdefault(o.target, TargetStats())
        s.runs += 1
        s.seconds += o.seconds
        self.families[o.family] += 1
        if o.kind == "valid":
            s.valid += 1
        elif o.kind == "error":
            s.errors += 1
        elif o.kind == "bad-message":
            s.errors += 1
            key = f"{o.detail} at {o.where}" if o.where else o.detail
            s.bad_messages.setdefault(key, []).append(o.job)
        elif o.kind == "crash":
            key = f"{o.detail} at {o.where}" if o.where else o.detail
            s.crashes.setdefault(key, []).append(o.job)
        elif o.kind == "timeout":
            s.timeouts.append(o.job)
        elif o.kind == "memory-out":
            s.memory_outs.append(o.job)
        if o.warned:
            s.warned.setdefault(o.warned, []).append(o.job)
        if o.overran:
            s.overran.append(f"`{o.job}` ({o.overran})")

    @property
    def bad(self) -> list[Outcome]:
        return [o for o in self.outcomes
                if o.kind in ("crash", "timeout", "memory-out", "bad-message")]

    @property
    def overran(self) -> list[Outcome]:
        """Over budget beside other work, within it when run again alone (not failures)."""
        return [o for o in self.outcomes if o.overran]

    def table(self) -> list[str]:
        rows = ["| target | inputs | valid | documented errors | crashes | timeouts | "
                "memory-outs | warnings |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for name in sorted(self.targets):
            s = self.targets[name]
            crashes = sum(len(v) for v in s.crashes.values())
            warned = sum(len(v) for v in s.warned.values())
            rows.append(f"| {name} | {s.runs} | {s.valid} | {s.errors} | {crashes} | "
                        f"{len(s.timeouts)} | {len(s.memory_outs)} | {warned} |")
        return rows

    def findings(self, per_family: int = 3) -> list[str]:
        """Each crash family, timeout and memory-out, with up to `per_family` reproducers."""
        lines = []
        for name in sorted(self.targets):
            s = self.targets[name]
            module = T.TARGETS[name].module if name in T.TARGETS else "?"
            for key, jobs in sorted(s.crashes.items()):
                lines.append(f"- {name} ({module}): crash {key}: {len(jobs)} inputs, e.g. "
                             + ", ".join(f"`{j}`" for j in sorted(jobs, key=len)[:per_family]))
            if s.timeouts:
                lines.append(f"- {name} ({module}): timeout (over {BUDGET_SECONDS} s of CPU, "
                             "also alone): "
                             f"{len(s.timeouts)} inputs: "
                             + ", ".join(f"`{j}`" for j in s.timeouts[:per_family * 2]))
            if s.memory_outs:
                lines.append(f"- {name} ({module}): memory-out (over 1 GiB): "
                             f"{len(s.memory_outs)} inputs: "
                             + ", ".join(f"`{j}`" for j in s.memory_outs[:per_family * 2]))
            for key, jobs in sorted(s.bad_messages.items()):
                lines.append(f"- {name} ({module}): message with {key}: {len(jobs)} inputs, "
                             "e.g. " + ", ".join(f"`{j}`" for j in sorted(jobs, key=len)
                                                 [:per_family]))
            if s.overran:
                lines.append(f"- {name} ({module}): over its budget only beside other work, "
                             f"not alone (not a failure): " + ", ".join(s.overran[:per_family]))
            for key, jobs in sorted(s.warned.items()):
                lines.append(f"- {name} ({module}): a Python warning ({key}) escaped: "
                             f"{len(jobs)} inputs, e.g. "
                             + ", ".join(f"`{j}`" for j in jobs[:per_family]))
        return lines
