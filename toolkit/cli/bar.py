"""The progress bar of long commands (tqdm), on stderr, only when stderr is a terminal.

One bar at a time, on one line, cleared when the work ends however it ends: the error line of
a failure or a Ctrl-C starts on a clean line. Notes and warnings printed while it runs go above
it (`write_line`); a prompt clears it first (`paused`). Every text it shows goes through
`display.visible()`. Where stderr is not a terminal (a pipe, a file, the tests' capture) the
work gets `NO_PROGRESS` and stderr holds no trace of a bar.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from toolkit.display import visible
from toolkit.progress import NO_PROGRESS, Progress

REFRESH = 0.1
"""Seconds between two redraws at most ten times a second: drawing costs little then."""

WITH_TOTAL = "{desc} {n_fmt}/{total_fmt} |{bar}| {elapsed}<{remaining}{postfix}"
WITHOUT_TOTAL = "{desc}…{postfix}"


def shown_on(stream: IO[str]) -> bool:
    """Whether a bar may be drawn on `stream`: a terminal that understands a carriage return."""
    try:
        return stream.isatty() and os.environ.get("TERM", "") != "dumb"
    except (AttributeError, ValueError):
        return False


def _ascii_only() -> bool:
    """The Linux console (the offline image's) has no eighth-block glyphs in its fonts: the
    bar is drawn with # there."""
    return os.environ.get("TERM", "") == "linux"


class Bar:
    """A Progress drawn with tqdm: each stage is a bar of its own on the same line."""

    def __init__(self, title: str, stream: IO[str]) -> None:
        self.title = title
        self.stream = stream
        self._bar: Any = None
        self._drawn = 0.0

    def start(self, total: int | None, what: str) -> None:
        self._close_bar()
        tqdm = _tqdm_class()
        self._bar = tqdm(total=total, desc=visible(f"{self.title}: {what}"),
                         file=self.stream, leave=False, dynamic_ncols=True,
                         mininterval=REFRESH, ascii=" #" if _ascii_only() else None,
                         bar_format=WITH_TOTAL if total is not None else WITHOUT_TOTAL)
        self._drawn = time.monotonic()

    def advance(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(n)
            if self._bar.total is not None and self._bar.n >= self._bar.total:
                self._bar.refresh()  # a stage's end is shown, however soon it came

    def note(self, text: str) -> None:
        if self._bar is None:
            self.start(None, "working")
        self._bar.set_postfix_str(visible(text), refresh=False)
        now = time.monotonic()
        if now - self._drawn >= REFRESH:
            self._drawn = now
            self._bar.refresh()

    def close(self) -> None:
        self._close_bar()

    def write(self, line: str) -> None:
        """A line of text above the bar (the bar is drawn again under it)."""
        with self.paused():
            print(line, file=self.stream, flush=True)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """The bar off the screen while the block runs (a prompt), drawn again after it."""
        if self._bar is not None:
            self._bar.clear()
        try:
            yield
        finally:
            if self._bar is not None:
                self._bar.refresh()

    def _close_bar(self) -> None:
        bar, self._bar = self._bar, None
        if bar is not None:
            bar.close()  # leave=False: its line is cleared


_tqdm: Any = None


def _tqdm_class() -> Any:
    """tqdm, set up once: no monitor thread, and a plain thread lock (its default lock makes a
    multiprocessing semaphore, which can start a helper process)."""
    global _tqdm
    if _tqdm is None:
        from tqdm import tqdm

        class Tqdm(tqdm):  # type: ignore[misc]
            monitor_interval = 0

        Tqdm.set_lock(threading.RLock())
        _tqdm = Tqdm
    return _tqdm


_active: list[Bar] = []


@contextmanager
def progress_bar(title: str, stream: IO[str] | None = None) -> Iterator[Progress]:
    """A Progress for the work of one command (`title`: its name), closed at the end of the
    block whatever happens; NO_PROGRESS when `stream` (stderr) is not a terminal."""
    out = stream if stream is not None else sys.stderr
    if not shown_on(out):
        yield NO_PROGRESS
        return
    bar = Bar(title, out)
    _active.append(bar)
    try:
        yield bar
    finally:
        _active.remove(bar)
        bar.close()


def write_line(line: str) -> None:
    """A line on stderr, above the bar if one is shown."""
    if _active:
        _active[-1].write(line)
    else:
        print(line, file=sys.stderr)


@contextmanager
def paused() -> Iterator[None]:
    """No bar on the screen during the block (around a prompt)."""
    if not _active:
        yield
        return
    with _active[-1].paused():
        yield
