"""Work done in a forked copy of this process: the self-check's second reader, the frame codes
encoded ahead, pdfium's isolated renderer (toolkit.scan). The copy holds this process's memory
(secrets, maybe), so it writes no core file, dies with its parent, ignores Ctrl-C (the parent
handles it) and prints nothing; it runs no other program (the network guard allows `os.fork`,
not exec).
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
from collections.abc import Callable
from typing import BinaryIO, NoReturn


def cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def no_core_dump_and_die_with_parent() -> None:  # pragma: no cover - child
    """The child holds a copy of the parent's memory (secrets, maybe): no core file is written
    when a limit ends it (PR_SET_DUMPABLE 0), and it is killed if the parent dies first
    (PR_SET_PDEATHSIG). Linux only; elsewhere the limits still hold."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


class Worker:
    """A forked copy of this process doing `job(sink)` (sink: a binary stream back here) while
    this process does something else; used by the self-check and to encode frame codes ahead.

    The worker ignores Ctrl-C (the parent handles it), writes no core file, is killed if the
    parent dies, prints nothing, and is killed and reaped when the `with` block ends, however
    it ends; it runs no other program (the network guard allows `os.fork`, not exec)."""

    def __init__(self, job: Callable[[BinaryIO], None]) -> None:
        self._job = job
        self._pid = 0
        self.fd = -1
        """The read end of the worker's answers (non-blocking)."""

    def __enter__(self) -> Worker:
        answer_r, answer_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the worker (measured through its answers)
            os.close(answer_r)
            _run_worker(self._job, answer_w)
        os.close(answer_w)
        os.set_blocking(answer_r, False)
        self._pid, self.fd = pid, answer_r
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)  # done by now, or this process is interrupted
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self._pid, 0)

    def read_some(self, into: bytearray) -> None:
        """Add what the worker has sent so far (maybe nothing) to `into`."""
        with contextlib.suppress(BlockingIOError):
            into.extend(os.read(self.fd, 1 << 16))

    def read_rest(self, into: bytearray) -> None:
        """Add everything the worker sends until it ends to `into`."""
        os.set_blocking(self.fd, True)
        while chunk := os.read(self.fd, 1 << 16):
            into.extend(chunk)


def _run_worker(job: Callable[[BinaryIO], None],
                answers: int) -> NoReturn:  # pragma: no cover - worker
    status = 70
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        no_core_dump_and_die_with_parent()
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        with os.fdopen(answers, "wb") as sink:
            job(sink)
        status = 0
    finally:
        os._exit(status)
