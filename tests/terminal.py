"""Running paper2fa on a pseudo-terminal, as a person at a terminal would, and reading what the
screen shows at the end (carriage returns overwrite, as on a real terminal)."""

from __future__ import annotations

import os
import re
import signal

COLUMNS, ROWS = 100, 40
"""The size the pseudo-terminal reports (a new one says 0 x 0, which programs take as none)."""


def _environment(extra: dict[str, str] | None, lang: str | None) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if k != "PAPER2FA_LANG"}
    if lang is not None:
        out["PAPER2FA_LANG"] = lang
    return {**out, **(extra or {})}


def run_in_pty(args: list[str], answers: list[tuple[str, str]], timeout: float = 600, *,
               interrupt_after: str | None = None,
               env: dict[str, str] | None = None, lang: str | None = "en") -> tuple[int, str]:
    """Run a program on a pseudo-terminal; for each (expected text, answer), wait for the text
    on its screen and type the answer. With `interrupt_after`, send SIGINT (Ctrl-C) once that
    text has shown. `lang` is given as PAPER2FA_LANG (None: unset, so the first screen asks
    for a language first). Returns the exit code and everything it showed."""
    import fcntl
    import pty
    import select
    import struct
    import subprocess
    import sys
    import termios
    import time

    main_fd, child_fd = pty.openpty()
    fcntl.ioctl(child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    proc = subprocess.Popen([sys.executable, *args], stdin=child_fd, stdout=child_fd,
                            stderr=child_fd, close_fds=True,
                            env=_environment(env, lang))
    os.close(child_fd)
    shown = ""
    deadline = time.monotonic() + timeout
    todo = list(answers)

    def read_some() -> bool:
        nonlocal shown
        ready, _, _ = select.select([main_fd], [], [], 0.2)
        if not ready:
            return True
        try:
            chunk = os.read(main_fd, 4096)
        except OSError:
            return False
        shown += chunk.decode("utf-8", "replace")
        return bool(chunk)

    while time.monotonic() < deadline:
        if todo and todo[0][0] in shown:
            expected, answer = todo.pop(0)
            shown = shown.replace(expected, f"[{expected}]", 1)
            os.write(main_fd, answer.encode() + b"\r")
        if interrupt_after is not None and interrupt_after in shown:
            interrupt_after = None
            proc.send_signal(signal.SIGINT)
        if not read_some() and proc.poll() is not None:
            break
    else:
        proc.kill()
    proc.wait(timeout=10)
    os.close(main_fd)
    assert not todo, f"never saw {todo[0][0]!r} in:\n{shown}"
    return proc.returncode, shown


_CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def screen(shown: str) -> list[str]:
    """The lines a terminal shows after `shown` was written to it: a carriage return moves to
    the start of the line and later text overwrites it; trailing spaces are dropped."""
    lines: list[list[str]] = [[]]
    column = 0
    for char in _CONTROL.sub("", shown):
        if char == "\n":
            lines.append([])
            column = 0
        elif char == "\r":
            column = 0
        else:
            line = lines[-1]
            if column < len(line):
                line[column] = char
            else:
                line.append(char)
            column += 1
    return ["".join(line).rstrip() for line in lines]
