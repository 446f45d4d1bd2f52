"""Safe file output: atomic, mode 0600, never over an existing file unless asked.

A set of files (a split writes many) is staged next to its targets and put in place only when
every one was written, so a failure leaves no partial output behind. Temporary files live in the
target's own folder (never in /tmp) and are removed on any failure.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar

from toolkit import constants as C
from toolkit.errors import InputFileError, OutputError, OutputExistsError

SECRET_MODE = 0o600

_PathT = TypeVar("_PathT", bound=str | os.PathLike[str])


def read_input(path: str | os.PathLike[str], limit: int = C.MAX_INPUT_BYTES) -> bytes:
    """Read an input file, with a clear error when it is missing, unreadable or too large."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise InputFileError(f"{p} is a folder, not a file")
        if size > limit:
            raise InputFileError(f"{p} is too large ({size} bytes; the limit is {limit})")
        return p.read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"{p}: no such file") from None
    except PermissionError:
        raise InputFileError(f"{p}: permission denied") from None
    except IsADirectoryError:
        raise InputFileError(f"{p} is a folder, not a file") from None
    except OSError as exc:
        raise InputFileError(f"{p}: cannot read ({exc.strerror})") from None


def _stage(target: Path, data: bytes) -> Path:
    """Write data to a new 0600 file beside target and return its path."""
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(f"{folder}: the output folder does not exist")
    for attempt in range(100):
        tmp = folder / f".{target.name}.{os.getpid()}.{attempt}.part"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, SECRET_MODE)
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"{target}: cannot write ({exc.strerror})") from None
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise OutputError(f"{target}: cannot write ({exc.strerror})") from None
        return tmp
    raise OutputError(f"{target}: cannot create a temporary file beside it")


def _check_free(targets: list[Path], force: bool) -> None:
    for target in targets:
        if target.exists() and not force:
            raise OutputExistsError(f"{target} exists already")
        if target.is_dir():
            raise OutputError(f"{target} is a folder")


def write_files(files: Mapping[_PathT, bytes], force: bool = False) -> list[Path]:
    """Write every file or none: each atomically, mode 0600, refusing to replace unless force."""
    targets = [Path(p) for p in files]
    if len(set(targets)) != len(targets):
        raise ValueError("the same output path was given twice")
    _check_free(targets, force)
    staged: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    kept: dict[Path, Path] = {}  # replaced target -> its original, restored if anything fails
    try:
        for target, data in zip(targets, files.values(), strict=True):
            staged.append((_stage(target, data), target))
        for tmp, target in staged:
            if force:
                if target.exists():
                    kept[target] = _keep_original(target)
                os.replace(tmp, target)
            else:
                try:
                    os.link(tmp, target)  # fails if target appeared meanwhile: no clobbering
                except FileExistsError:
                    raise OutputExistsError(f"{target} exists already") from None
                except OSError as exc:
                    raise OutputError(f"{target}: cannot write ({exc.strerror})") from None
                tmp.unlink()
            placed.append(target)
        _fsync_dirs({t.parent for t in targets})
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        for target in placed:
            target.unlink(missing_ok=True)
        for target, original in kept.items():
            with contextlib.suppress(OSError):
                os.replace(original, target)
            # rename is a no-op when both names are links to one file (target never replaced)
            original.unlink(missing_ok=True)
        raise
    for original in kept.values():
        original.unlink(missing_ok=True)
    return targets


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
            raise OutputError(f"{target}: cannot replace it safely ({exc.strerror})") from None
        return keep
    raise OutputError(f"{target}: cannot replace it safely")


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
        raise OutputError(f"{p}: cannot create the folder ({exc.strerror})") from None
    return p
