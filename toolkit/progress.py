"""Progress of long work: the library reports it, the CLI shows it (a bar on a terminal).

Library functions that can take seconds (drawing and self-checking PDFs, reading scans,
importing exports) take `progress: Progress = NO_PROGRESS` and report through it; they never
print. A report is a sequence of stages: `start(total, what)` opens one ("pages drawn", with
its number of steps, or None when that is not known), `advance(n)` counts steps done, and
`note(text)` says what is being worked on (a file name, the codes found so far; never a
secret). Whoever made the Progress closes it; a library function never does, so one report
can run over several calls (the reading, then the drawing, of one command).
"""

from __future__ import annotations

from typing import Final, Protocol


class Progress(Protocol):
    def start(self, total: int | None, what: str) -> None:
        """A new stage of `total` steps (None: not known), named by what its steps are."""

    def advance(self, n: int = 1) -> None:
        """`n` more steps of the stage are done."""

    def note(self, text: str) -> None:
        """What is being worked on now, shown beside the count until the next note."""

    def close(self) -> None:
        """The work is over (done, failed or interrupted): nothing more is reported."""


class NoProgress:
    """Reports nothing: the default, and what the CLI uses when stderr is not a terminal."""

    def start(self, total: int | None, what: str) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass

    def note(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


NO_PROGRESS: Final[Progress] = NoProgress()


class Part:
    """One part of a job made of several (a sheet of a split), reported on `outer` as a note
    ("share-2-of-5.pdf: pages checked 3/12"), so that the outer stage can count whole parts:
    the caller advances `outer` by one as each part ends."""

    def __init__(self, outer: Progress, name: str) -> None:
        self.outer = outer
        self.name = name
        self.what = ""
        self.total: int | None = None
        self.done = 0

    def start(self, total: int | None, what: str) -> None:
        self.what, self.total, self.done = what, total, 0
        self._show()

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._show()

    def note(self, text: str) -> None:
        self.outer.note(f"{self.name}: {text}")

    def close(self) -> None:
        pass

    def _show(self) -> None:
        count = f"{self.done}/{self.total}" if self.total is not None else str(self.done)
        self.outer.note(f"{self.name}: {self.what} {count}")
