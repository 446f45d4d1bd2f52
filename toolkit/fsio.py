"""Safe file input and output.

Input: a data input (an export, a vault, a scan) must be a regular file, and a secret file (a
password file, `/dev/stdin`, a process substitution `<(...)`) a regular file or a pipe; both are
read up to a hard byte limit, and nothing waits forever on a pipe or a device.

Output: atomic, mode 0600, never over an existing file (nor a symbolic link to nothing) unless
asked, and never over a file the command read, asked or not (`recording_files`: the same path,
a symbolic link or a hard link to it); a file changed in place is `update_file`'s. A set of
files (a split writes many) is staged next to its targets and put in place only when every one
was written, so a failure leaves no partial output behind. Temporary files live in the
target's own folder (never in /tmp) and are removed on any failure; Ctrl-C is held while a set
is placed or removed.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

from toolkit import constants as C
from toolkit.display import quoted
from toolkit.errors import SOURCE_LIMIT, InputFileError, OutputError, OutputExistsError, Source

SECRET_MODE = 0o600

_PathT = TypeVar("_PathT", bound=str | os.PathLike[str])

_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
"""Opening never waits (a FIFO without a writer, a device) and never takes a terminal over."""

_CHUNK = 1024 * 1024

_POLL_TICK = 0.1
"""Longest wait on a pipe between two reads (seconds)."""

FOLDER = "this is a folder, not a file"
"""An input that is a folder (the error's source names it)."""

EXISTS = "the output exists already"
"""An output path that is taken (the error's source names it), without --force."""


def _kind(mode: int) -> str:
    """What a file is, in the words of an error message."""
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _open_input(p: Path, allowed: tuple[int, ...]) -> tuple[int, os.stat_result]:
    """Open `p` for reading without waiting, and the status of what was opened.

    The kind is checked once on the path (so a device is not even opened) and again on the
    open descriptor, which is what is read: swapping the file in between gains nothing.
    """
    source = Source(file=str(p))
    try:
        _refuse_kind(p, os.stat(p).st_mode, allowed)
        fd = os.open(p, _READ_FLAGS)
    except FileNotFoundError:
        raise InputFileError("no such file", source=source) from None
    except PermissionError:
        raise InputFileError("permission denied", source=source) from None
    except IsADirectoryError:
        raise InputFileError(FOLDER, source=source) from None
    except OSError as exc:
        raise InputFileError(f"cannot read ({exc.strerror})", source=source) from None
    try:
        st = os.fstat(fd)
        _refuse_kind(p, st.st_mode, allowed)
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def _refuse_kind(p: Path, mode: int, allowed: tuple[int, ...]) -> None:
    if stat.S_IFMT(mode) in allowed:
        return
    source = Source(file=str(p))
    if stat.S_ISDIR(mode):
        raise InputFileError(FOLDER, source=source)
    raise InputFileError(f"this is {_kind(mode)}, not a regular file", source=source,
                         hint="save the data to a regular file and give that file")


def _too_large(p: Path, size: int | None, limit: int) -> InputFileError:
    told = f"{size} bytes" if size is not None else "more than that"
    return InputFileError(f"the file is too large ({told}; the limit is {limit} bytes)",
                          source=Source(file=str(p)))


def read_input(path: str | os.PathLike[str], limit: int = C.MAX_INPUT_BYTES) -> bytes:
    """Read a data input (an export, a vault, a scan, a words file): a regular file only.

    A clear InputFileError when it is missing, unreadable, larger than `limit` bytes, or not a
    regular file (a device such as /dev/zero never ends, a FIFO waits for a writer forever).
    The limit is enforced on the bytes actually read, not on the size the file system reports.
    """
    p = Path(path)
    fd, st = _open_input(p, (stat.S_IFREG,))
    _note_read(p, st)
    try:
        if st.st_size > limit:
            raise _too_large(p, st.st_size, limit)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # the file grew while it was read, or reports no size (/proc)
                raise _too_large(p, None, limit)
    except OSError as exc:
        raise InputFileError(f"cannot read ({exc.strerror})",
                             source=Source(file=str(p))) from None
    finally:
        os.close(fd)


def read_secret_input(path: str | os.PathLike[str], limit: int = C.MAX_SECRET_FILE_BYTES,
                      wait: float = C.SECRET_FILE_WAIT_SECONDS) -> bytes:
    """Read a small secret (a password or passphrase file): a regular file or a pipe.

    Pipes are what `--password-file /dev/stdin` and a process substitution `<(pass show x)`
    give. At most `limit` bytes are read, and a pipe gets `wait` seconds in all to deliver
    its secret and close; after that, a clear InputFileError. A named pipe (a FIFO made with
    mkfifo) is read only when a program is writing to it already (`cmd > FIFO &` waits for
    its reader, so it is): one that nothing writes to is refused at once, not waited on. A
    terminal and other devices are refused.
    """
    p = Path(path)
    fd, st = _open_input(p, (stat.S_IFREG, stat.S_IFIFO))
    _note_read(p, st)
    try:
        if st.st_size > limit and stat.S_ISREG(st.st_mode):
            raise _too_large(p, st.st_size, limit)
        named = stat.S_ISFIFO(st.st_mode) and _named_pipe(fd)
        return _read_within(fd, p, limit, time.monotonic() + wait, wait, named)
    except OSError as exc:
        raise InputFileError(f"cannot read ({exc.strerror})",
                             source=Source(file=str(p))) from None
    finally:
        os.close(fd)


def _named_pipe(fd: int) -> bool:
    """Whether the pipe open as `fd` is a FIFO in a folder, not an anonymous pipe (a shell's
    `|` or `<(...)`, whose writer came with it). Where Linux's /proc cannot say: anonymous."""
    try:
        return not os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:")
    except OSError:
        return False


def _read_within(fd: int, p: Path, limit: int, deadline: float, wait: float,
                 named: bool) -> bytes:
    """Read to the end of `fd` (non-blocking) by `deadline`, at most `limit` bytes.

    The end is a read that returns nothing: no writer is left and nothing is waiting to be
    read. A wake-up is not relied on for it (Linux reports no hang-up on a FIFO whose writer
    closed before it was opened here), so a wait lasts at most `_POLL_TICK` before reading
    again. On a named pipe, an end at the first read means no writer at all.
    """
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    chunks: list[bytes] = []
    total = 0
    first = True
    while True:
        try:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
        except BlockingIOError:  # a writer is there; nothing more written yet
            first = False
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise InputFileError(f"nothing more came within {wait:g} seconds",
                                     source=Source(file=str(p)),
                                     hint="check that the program writing the secret ends, "
                                     "or save the secret to a file (mode 0600) and give that"
                                     ) from None
            poller.poll(int(min(remaining, _POLL_TICK) * 1000) + 1)
            continue
        if not chunk:
            if first and named:
                raise InputFileError("this is a named pipe (FIFO) that nothing is writing to",
                                     source=Source(file=str(p)),
                                     hint="start the program writing the secret into it "
                                     "first, give the secret as /dev/stdin or <(command), or "
                                     "save it to a file (mode 0600) and give that")
            return b"".join(chunks)
        first = False
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise _too_large(p, None, limit)


# --- output ---------------------------------------------------------------------------------

_HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers


@contextlib.contextmanager
def _interrupts_held() -> Iterator[list[int]]:
    """Hold Ctrl-C and SIGTERM until the block ends, then deliver them (once each).

    The block gets the list of signals held so far, to abandon its work when one came. A
    signal whose handler still does not raise is turned into KeyboardInterrupt, since the
    block's work was abandoned. Only the main thread can hold signals.
    """
    pending: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield pending
        return

    def hold(signum: int, _frame: FrameType | None) -> None:
        if signum not in pending:
            pending.append(signum)

    previous: dict[signal.Signals, _Handler] = {}
    for held in _HELD_SIGNALS:
        current = signal.getsignal(held)
        if current is not None and current != signal.SIG_IGN:  # None: set outside Python
            replaced = signal.signal(held, hold)
            if replaced is not None:
                previous[held] = replaced
    try:
        yield pending
    finally:
        for held, handler in previous.items():
            signal.signal(held, handler)
        for signum in pending:
            signal.raise_signal(signum)
        if pending:
            raise KeyboardInterrupt


def _stage(target: Path, data: bytes) -> Path:
    """Write data to a new 0600 file beside target and return its path."""
    folder = target.parent
    if not folder.is_dir():
        raise OutputError("the output folder does not exist", source=Source(file=str(folder)))
    for attempt in range(100):
        tmp = folder / f".{target.name}.{os.getpid()}.{attempt}.part"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, SECRET_MODE)
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"cannot write ({exc.strerror})",
                              source=Source(file=str(target))) from None
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise OutputError(f"cannot write ({exc.strerror})",
                              source=Source(file=str(target))) from None
        return tmp
    raise OutputError("cannot create a temporary file beside it", source=Source(file=str(target)))


def _check_free(targets: list[Path], force: bool) -> None:
    for target in targets:
        source = Source(file=str(target))
        if not force and target.is_symlink() and not target.exists():
            raise OutputExistsError("this is a symbolic link to a file that does not exist",
                                    hint="remove the link, or choose another path",
                                    source=source)
        if target.exists() and not force:
            raise OutputExistsError(EXISTS, source=source)
        if target.is_dir():
            raise OutputError("this is a folder, not a file", source=source)


def check_output_free(target: str | os.PathLike[str], force: bool = False) -> None:
    """Refuse an output path before anything is made for it (writing checks again): an
    existing file unless `force`, a symbolic link to nothing (`force` replaces the link), a
    folder, and a file this command read (`--force` or not)."""
    _check_free([Path(target)], force)
    _refuse_an_input(Path(target), None)


def write_files(files: Mapping[_PathT, bytes], force: bool = False) -> list[Path]:
    """Write every file or none: each atomically, mode 0600, refusing to replace unless force.

    Inside `recording_files` (a command run), a file the command read is never replaced."""
    return _write(files, force, None)


def update_file(path: str | os.PathLike[str], data: bytes, *, new: bool) -> Path:
    """Write the file a command changes in place (`add`, `add-recovery-codes`), atomically,
    mode 0600. `new`: the command found nothing at `path` and starts the file: it is created
    like any output, never over what appeared meanwhile nor through a symbolic link to
    nothing. Otherwise the file read is replaced; through a symbolic link, the file it points
    to (the link stays)."""
    if new:
        return _write({Path(path): data}, False, None)[0]
    target = Path(os.path.realpath(path))
    return _write({target: data}, True, target)[0]


def _write(files: Mapping[_PathT, bytes], force: bool, in_place: Path | None) -> list[Path]:
    targets = [Path(p) for p in files]
    if len(set(targets)) != len(targets):
        raise ValueError("the same output path was given twice")
    _check_free(targets, force)
    for target in targets:
        _refuse_an_input(target, in_place)
    with _interrupts_held() as interrupts:
        _place(targets, list(files.values()), force, interrupts)
        if not interrupts:
            for log in _write_logs:
                log.extend(targets)
    return targets


_write_logs: list[list[Path]] = []
_input_logs: list[dict[tuple[int, int], Path]] = []
"""Per command run (innermost last): the regular files read, by device and inode."""


@contextlib.contextmanager
def recording_files() -> Iterator[list[Path]]:
    """A command run: yields the files `write_files` puts in place during the block, in order,
    and keeps the files read meanwhile, which no output may replace.

    An interrupt held while a set was placed undoes the set; one that comes after a set is in
    place cannot: the CLI names the complete files that were written before it. A run inside
    a run (the demo runs commands) checks its outputs against its own inputs only.
    """
    log: list[Path] = []
    _write_logs.append(log)
    _input_logs.append({})
    try:
        yield log
    finally:
        _write_logs.remove(log)
        _input_logs.pop()


def note_input(path: str | os.PathLike[str]) -> None:
    """A regular file this command reads by other means than read_input (a video file that
    FFmpeg reads): no output may replace it either."""
    with contextlib.suppress(OSError):
        st = os.stat(path)
        if stat.S_ISREG(st.st_mode):
            _note_read(Path(path), st)


def _note_read(p: Path, st: os.stat_result) -> None:
    if _input_logs and stat.S_ISREG(st.st_mode):
        _input_logs[-1].setdefault((st.st_dev, st.st_ino), p)


def _refuse_an_input(target: Path, in_place: Path | None) -> None:
    """An output that is a file this command read (the same path, a symbolic link to it or
    another hard link) is refused, `--force` or not: the output would replace its input."""
    if not _input_logs or target == in_place:
        return
    try:
        st = os.stat(target)
    except OSError:
        return
    source = _input_logs[-1].get((st.st_dev, st.st_ino))
    if source is None:
        return
    same = ("" if os.path.abspath(source) == os.path.abspath(target)
            else f" (the same file as {quoted(str(source), SOURCE_LIMIT)})")
    raise OutputError("this is an input of this command: an output never replaces an input, "
                      f"--force or not{same}", hint="write the output to another path",
                      source=Source(file=str(target)))


class _Abandoned(Exception):
    """An interrupt came while files were placed: take them all back."""


def _place(targets: list[Path], contents: list[bytes], force: bool,
           interrupts: list[int]) -> None:
    """Stage every file, then put each in place; on any failure or interrupt, undo it all."""
    staged: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    kept: dict[Path, Path] = {}  # replaced target -> its original, restored if anything fails
    try:
        for target, data in zip(targets, contents, strict=True):
            staged.append((_stage(target, data), target))
            if interrupts:
                raise _Abandoned
        for tmp, target in staged:
            if force:
                if target.exists():
                    kept[target] = _keep_original(target)
                os.replace(tmp, target)
            else:
                try:
                    os.link(tmp, target)  # fails if target appeared meanwhile: no clobbering
                except FileExistsError:
                    raise OutputExistsError(EXISTS, source=Source(file=str(target))) from None
                except OSError as exc:
                    raise OutputError(f"cannot write ({exc.strerror})",
                                      source=Source(file=str(target))) from None
                tmp.unlink()
            placed.append(target)
            if interrupts:
                raise _Abandoned
        _fsync_dirs({t.parent for t in targets})
        if interrupts:
            raise _Abandoned
    except BaseException as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        for target in placed:
            target.unlink(missing_ok=True)
        for target, original in kept.items():
            with contextlib.suppress(OSError):
                os.replace(original, target)
            # rename is a no-op when both names are links to one file (target never replaced)
            original.unlink(missing_ok=True)
        if isinstance(exc, _Abandoned):
            return  # the held interrupt is delivered when the caller's block ends
        raise
    for original in kept.values():
        original.unlink(missing_ok=True)


def _keep_original(target: Path) -> Path:
    """Hard-link an existing target to a hidden name beside it, so a failed --force write can
    put it back (nothing is copied; the link goes when the write succeeds)."""
    for attempt in range(100):
        keep = target.parent / f".{target.name}.{os.getpid()}.{attempt}.orig"
        try:
            os.link(target, keep)
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"cannot replace it safely ({exc.strerror})",
                              source=Source(file=str(target))) from None
        return keep
    raise OutputError("cannot replace it safely", source=Source(file=str(target)))


def write_file(path: str | os.PathLike[str], data: bytes, force: bool = False) -> Path:
    """Write one file atomically with mode 0600 (see write_files)."""
    return write_files({path: data}, force)[0]


def _fsync_dirs(folders: set[Path]) -> None:
    for folder in folders:
        with contextlib.suppress(OSError):
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def ensure_output_dir(path: str | os.PathLike[str]) -> Path:
    """Create an output folder (mode 0700) if it does not exist."""
    p = Path(path)
    try:
        p.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder ({exc.strerror})",
                          source=Source(file=str(p))) from None
    return p
