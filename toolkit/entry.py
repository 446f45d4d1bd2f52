"""The `paper2fa` program itself (the console script and `python -m toolkit`).

Its first act is to take Ctrl-C and SIGTERM, before the command line's modules are imported:
an interrupt from then until `toolkit.cli.main` takes the signals itself (with its cleanup of
files being written) ends the run with exit 130 and the same two lines as any other
interrupt, never a traceback. Nothing can have been written by then, so the handler only
writes its lines and exits.

What Python runs before this module is its own start-up and `site` (the `.pth` files, among
them the editable install's import finder: 20-200 ms). `launcher` is the text of the console
script that install.sh writes over pip's: it runs Python with `-S`, takes the two signals with
modules built into the interpreter (`_signal`, `posix`), and only then runs `site.main()` and
this module, so that window is covered too (docs/exit-codes.md says what remains).

This module imports nothing of paper2fa but the package itself (kept import-light), and its
lines are constants: the templates and the error classes may not be loaded yet.
"""

from __future__ import annotations

import os
import signal
from types import FrameType

EXIT_INTERRUPTED = 130
"""The exit code of an interrupted run (toolkit.errors.Interrupted.exit_code)."""

EARLY_LINES = {
    signal.SIGINT: b"paper2fa: error: interrupted\n  what to do: nothing was written\n",
    signal.SIGTERM: b"paper2fa: error: stopped by SIGTERM\n  what to do: nothing was written\n",
}
"""What an interrupt during start-up prints (as `toolkit.cli` reports an Interrupted)."""


def _ended_at_start(signum: int, _frame: FrameType | None) -> None:
    """Write the two lines and exit at once: no file is open for writing yet, and raising
    KeyboardInterrupt inside an import could be lost or turned into an abort."""
    line = EARLY_LINES[signal.SIGTERM if signum == signal.SIGTERM else signal.SIGINT]
    try:
        os.write(2, line)
    finally:
        os._exit(EXIT_INTERRUPTED)


LAUNCHER = """\
# paper2fa's console script, written by install.sh (toolkit/entry.py, `launcher`) over pip's.
# Python runs without its site start-up (-S): this script takes Ctrl-C and SIGTERM first, with
# modules built into the interpreter, then runs the site start-up (.pth files, the editable
# install's finder) and toolkit.entry. An interrupt in between: exit {code}, two lines. Started
# through `env --block-signal`, the signals wait (blocked) until the handler is set.
import _signal
import posix


def _ended_at_start(signum, frame):
    try:
        posix.write(2, {term_line!r} if signum == {term} else {int_line!r})
    finally:
        posix._exit({code})


_signal.signal({int}, _ended_at_start)
_signal.signal({term}, _ended_at_start)
_signal.pthread_sigmask(_signal.SIG_UNBLOCK, ({int}, {term}))
import site  # noqa: E402
import sys  # noqa: E402

site.main()
from toolkit.entry import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
"""
"""The body of the console script install.sh writes (`launcher`)."""

BLOCK_SIGNALS = "--block-signal=INT,TERM"
"""GNU env's option (coreutils 8.31 or later) that starts Python with Ctrl-C and SIGTERM
blocked: one that comes while the interpreter starts waits until the launcher has set its
handler and unblocks them, instead of reaching Python's own handler (a KeyboardInterrupt
traceback) or none (the process killed)."""

_SH_HEAD = "#!/bin/sh\n'''exec' {start}{python} -S \"$0\" \"$@\"\n' '''\n"
"""The start of a script that sh runs and Python reads (the quotes are a no-op in Python): for
an interpreter path that a "#!" line cannot carry."""


def launcher(python: str, block_signals: bool) -> str:
    """The `paper2fa` console script that install.sh writes (`write_launcher`) for `python`.

    Before its handler is set, only the interpreter's own start-up has run, with the signals
    blocked when `block_signals` (install.sh checks that `env --block-signal` works). The
    handler does what `_ended_at_start` does, with the same lines, using only modules built
    into the interpreter (the standard library's `signal` and `os` are not, nor is this package
    before `site.main()` has installed the editable finder)."""
    if " " not in python and "'" not in python and len(python) <= 120:
        env = f"/usr/bin/env -S {BLOCK_SIGNALS} " if block_signals else ""
        head = f"#!{env}{python} -S\n"
    else:
        quoted = "'" + python.replace("'", "'\"'\"'") + "'"
        head = _SH_HEAD.format(start=f"/usr/bin/env {BLOCK_SIGNALS} " if block_signals else "",
                               python=quoted)
    return head + LAUNCHER.format(
        code=EXIT_INTERRUPTED, int=int(signal.SIGINT), term=int(signal.SIGTERM),
        int_line=EARLY_LINES[signal.SIGINT], term_line=EARLY_LINES[signal.SIGTERM])


def write_launcher(path: str, python: str, block_signals: bool) -> None:
    """Write `launcher(python, block_signals)` at `path` (over pip's script), mode 0755."""
    temporary = f"{path}.part"
    with open(temporary, "w", encoding="utf-8") as out:
        out.write(launcher(python, block_signals))
    os.chmod(temporary, 0o755)  # noqa: S103 - a program, as pip writes it
    os.replace(temporary, path)


def main() -> int:
    """Take the interrupt signals, then import and run the command line."""
    for signum in EARLY_LINES:
        signal.signal(signum, _ended_at_start)
    from toolkit.cli import interrupt_raised
    from toolkit.cli import main as run_command_line

    code = run_command_line()
    if code == EXIT_INTERRUPTED or interrupt_raised():
        _end_now(code)
    return code


def _end_now(code: int) -> None:
    """End a run that got Ctrl-C or SIGTERM at once with `code`, after flushing, as an
    interrupt during start-up does, not through the interpreter's teardown.

    CPython (3.11) notes "an unhandled KeyboardInterrupt" whenever one leaves code that
    `exec` or `eval` runs from a string (the methods `dataclasses` generates while a module
    is imported, for one), even when paper2fa catches it further up; under `python -m`, the
    interpreter then kills itself with SIGINT after its teardown, whatever the exit code. So
    `python -m toolkit import` sent SIGTERM 20-50 ms after the start ended killed by SIGINT
    (exit status -2) in 5-9 of 100 runs, its two lines written and nothing else, and a menu
    run that went on after an interrupted command and ended with 0 could too
    (tests/test_interrupt.py reproduces the note with exits 0, 3 and 130). The installed
    `paper2fa` script exits through `Py_Exit`, which does not look at that note; this ends
    both the same way."""
    import contextlib
    import sys

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # closed, or none
            stream.flush()
    os._exit(code)
