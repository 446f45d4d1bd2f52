"""The `paper2fa` program itself (the console script and `python -m toolkit`).

Its first act is to take Ctrl-C and SIGTERM, before the command line's modules are imported:
an interrupt from then until `toolkit.cli.main` takes the signals itself (with its cleanup of
files being written) ends the run with exit 130 and the same two lines as any other
interrupt, never a traceback. Nothing can have been written by then, so the handler only
writes its lines and exits. What Python runs before this module (its own start-up, `site`
and `.pth` files) is not paper2fa's and ends as Python ends it.

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


def main() -> int:
    """Take the interrupt signals, then import and run the command line."""
    for signum in EARLY_LINES:
        signal.signal(signum, _ended_at_start)
    from toolkit.cli import main as run_command_line

    return run_command_line()
