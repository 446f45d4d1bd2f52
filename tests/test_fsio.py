"""Safe output: atomic, 0600, no overwrite without force, all-or-nothing file sets."""

from __future__ import annotations

import contextlib
import os
import pty
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from toolkit import fsio
from toolkit.errors import InputFileError, OutputError, OutputExistsError


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_write_is_0600_and_refuses_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "vault.json"
    fsio.write_file(target, b"one")
    assert target.read_bytes() == b"one" and _mode(target) == 0o600
    with pytest.raises(OutputExistsError):
        fsio.write_file(target, b"two")
    assert target.read_bytes() == b"one"
    fsio.write_file(target, b"two", force=True)
    assert target.read_bytes() == b"two" and _mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["vault.json"]  # no temp files left


def test_file_set_is_all_or_nothing(tmp_path: Path) -> None:
    (tmp_path / "b").write_bytes(b"old")
    with pytest.raises(OutputExistsError):
        fsio.write_files({tmp_path / "a": b"1", tmp_path / "b": b"2"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]
    assert (tmp_path / "b").read_bytes() == b"old"


def test_missing_output_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        fsio.write_file(tmp_path / "nope" / "x", b"1")


def test_failure_midway_removes_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_link = fsio.os.link
    calls = []

    def flaky_link(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_link(src, dst)

    monkeypatch.setattr(fsio.os, "link", flaky_link)
    with pytest.raises(OutputError, match="No space left"):
        fsio.write_files({tmp_path / "a": b"1", tmp_path / "b": b"2", tmp_path / "c": b"3"})
    assert list(tmp_path.iterdir()) == []


def test_read_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        fsio.read_input(tmp_path / "missing")
    with pytest.raises(InputFileError, match="folder"):
        fsio.read_input(tmp_path)
    big = tmp_path / "big"
    big.write_bytes(b"x" * 100)
    with pytest.raises(InputFileError, match="too large"):
        fsio.read_input(big, limit=10)


def test_failed_forced_write_puts_the_old_files_back(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a").write_bytes(b"old a")
    (tmp_path / "b").write_bytes(b"old b")
    real_replace = fsio.os.replace
    calls = []

    def flaky_replace(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(fsio.os, "replace", flaky_replace)
    with pytest.raises(OSError):
        fsio.write_files({tmp_path / "a": b"new a", tmp_path / "b": b"new b"}, force=True)
    monkeypatch.setattr(fsio.os, "replace", real_replace)
    assert (tmp_path / "a").read_bytes() == b"old a"
    assert (tmp_path / "b").read_bytes() == b"old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


def test_forced_write_leaves_no_kept_originals(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"old")
    fsio.write_files({tmp_path / "a": b"new", tmp_path / "b": b"b"}, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]
    assert (tmp_path / "a").read_bytes() == b"new"


# --- inputs that are not regular files ---------------------------------------------------------


class CountingOs:
    """fsio's `os`, counting the files it opens and the bytes it reads (work, not time)."""

    def __init__(self) -> None:
        self.opened: list[str] = []
        self.bytes_read = 0

    def __getattr__(self, name: str) -> object:
        return getattr(os, name)

    def open(self, path: Any, flags: int, *args: Any) -> int:
        self.opened.append(str(path))
        return os.open(path, flags, *args)

    def read(self, fd: int, n: int) -> bytes:
        data = os.read(fd, n)
        self.bytes_read += len(data)
        return data


@pytest.fixture
def counting_os(monkeypatch: pytest.MonkeyPatch) -> CountingOs:
    counting = CountingOs()
    monkeypatch.setattr(fsio, "os", counting)
    return counting


@pytest.mark.timeout(60)  # a hang guard; what is asserted is that nothing was opened
def test_data_input_refuses_devices_without_reading(tmp_path: Path,
                                                    counting_os: CountingOs) -> None:
    with pytest.raises(InputFileError, match="is a device, not a regular file") as info:
        fsio.read_input("/dev/zero")
    assert "regular file" in info.value.hint
    assert counting_os.opened == [] and counting_os.bytes_read == 0
    assert info.value.exit_code == 3


@pytest.mark.timeout(60)  # a hang guard: opening a FIFO without a writer would wait forever
def test_data_input_refuses_a_fifo_without_blocking(tmp_path: Path,
                                                    counting_os: CountingOs) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(InputFileError, match="is a pipe, not a regular file"):
        fsio.read_input(fifo)
    assert counting_os.opened == [] and counting_os.bytes_read == 0


def test_data_input_reads_what_a_regular_file_holds_once(tmp_path: Path,
                                                         counting_os: CountingOs) -> None:
    """The control of the counts above: a regular file is opened once and read once."""
    (tmp_path / "data").write_bytes(b"x" * 3000)
    assert fsio.read_input(tmp_path / "data") == b"x" * 3000
    assert counting_os.opened == [str(tmp_path / "data")] and counting_os.bytes_read == 3000


def test_data_input_limit_counts_bytes_read_not_reported_size() -> None:
    """Files in /proc report a size of 0: the limit applies to what is actually read."""
    assert b"Name:" in fsio.read_input("/proc/self/status")
    with pytest.raises(InputFileError, match="too large"):
        fsio.read_input("/proc/self/status", limit=16)


def test_data_input_follows_a_symlink_to_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "real").write_bytes(b"data")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert fsio.read_input(tmp_path / "link") == b"data"
    (tmp_path / "to-dev").symlink_to("/dev/zero")
    with pytest.raises(InputFileError, match="device"):
        fsio.read_input(tmp_path / "to-dev")


@contextlib.contextmanager
def _writer(fifo: Path, data: bytes | None, delay: float = 0.0) -> Iterator[None]:
    """A program writing to the named pipe `fifo`, connected before it is read (as `cmd >
    FIFO &` is: it waits in open() for a reader). It writes `data` after `delay` seconds and
    closes; with None it writes nothing and stays open until the block ends."""
    keep = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader, so the writer's open returns
    end = os.open(fifo, os.O_WRONLY)

    def write() -> None:
        time.sleep(delay)
        with contextlib.suppress(BrokenPipeError), open(end, "wb", closefd=True) as fh:
            fh.write(data or b"")

    thread = threading.Thread(target=write, daemon=True)
    if data is not None:
        thread.start()
    try:
        yield
    finally:
        os.close(keep)  # a writer blocked on a full pipe now gets EPIPE and ends
        if data is None:
            os.close(end)
        else:
            thread.join(timeout=10)


def test_secret_input_reads_a_regular_file_and_a_pipe(tmp_path: Path) -> None:
    (tmp_path / "pw").write_bytes(b"pass word\n")
    assert fsio.read_secret_input(tmp_path / "pw") == b"pass word\n"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with _writer(fifo, b"from a pipe\n", delay=0.2):  # the reader waits for the data
        assert fsio.read_secret_input(fifo, wait=10) == b"from a pipe\n"


def test_secret_input_reads_an_anonymous_pipe_to_its_end() -> None:
    """/dev/stdin and <(command) are anonymous pipes: an empty one is an empty secret, read
    at once (what to say about it is the caller's business), never a wait."""
    for data in (b"s3cret\n", b""):
        read_end, write_end = os.pipe()
        try:
            os.write(write_end, data)
            os.close(write_end)
            assert fsio.read_secret_input(f"/proc/self/fd/{read_end}", wait=10) == data
        finally:
            os.close(read_end)


def test_secret_input_from_stdin_through_the_real_command(tmp_path: Path) -> None:
    """`--password-file /dev/stdin` with a pipe: the way scripts hand over a password."""
    code = ("import sys; from toolkit.cli.common import read_secret_file; "
            "print(repr(read_secret_file('/dev/stdin')))")
    proc = subprocess.run([sys.executable, "-c", code], input=b"s3cret\n", capture_output=True,
                          timeout=600)
    assert proc.stdout.strip() == b"'s3cret'", proc.stderr


@pytest.mark.timeout(60)
def test_secret_input_refuses_a_named_pipe_nothing_writes_to(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # nobody ever writes: refused at the first read, not after a wait
    with pytest.raises(InputFileError, match=r"is a named pipe \(FIFO\) that nothing is "
                       "writing to") as info:
        fsio.read_secret_input(fifo, wait=3600)
    assert info.value.exit_code == 3 and "/dev/stdin" in info.value.hint


@pytest.mark.timeout(60)
def test_secret_input_never_waits_forever(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with _writer(fifo, None), pytest.raises(InputFileError,
                                            match=r"nothing more came within 0.3 seconds"):
        fsio.read_secret_input(fifo, wait=0.3)  # a writer that never writes nor closes


def test_secret_input_has_a_hard_byte_cap(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with _writer(fifo, b"x" * 200_000), pytest.raises(InputFileError, match="too large"):
        fsio.read_secret_input(fifo, limit=64 * 1024, wait=10)
    (tmp_path / "big").write_bytes(b"x" * 100)
    with pytest.raises(InputFileError, match="too large"):
        fsio.read_secret_input(tmp_path / "big", limit=10)


def test_secret_input_refuses_terminals_and_devices() -> None:
    leader, follower = pty.openpty()
    try:
        with pytest.raises(InputFileError, match="is a device"):
            fsio.read_secret_input(os.ttyname(follower), wait=0.5)
    finally:
        os.close(leader)
        os.close(follower)
    with pytest.raises(InputFileError, match="is a device"):
        fsio.read_secret_input("/dev/zero")


# --- Ctrl-C while a set of files is placed ----------------------------------------------------


@pytest.mark.parametrize("when", [1, 2, 3])
def test_interrupt_while_writing_leaves_nothing_behind(tmp_path: Path, when: int,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A real SIGINT lands while the 1st, 2nd or 3rd staged file is flushed to disk."""
    (tmp_path / "b").write_bytes(b"old b")
    real_fsync = fsio.os.fsync
    calls = []

    def interrupted_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == when:
            signal.raise_signal(signal.SIGINT)
        real_fsync(fd)

    monkeypatch.setattr(fsio.os, "fsync", interrupted_fsync)
    with pytest.raises(KeyboardInterrupt):
        fsio.write_files({tmp_path / "a": b"1", tmp_path / "b": b"2", tmp_path / "c": b"3"},
                         force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]
    assert (tmp_path / "b").read_bytes() == b"old b"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


# --- outputs and the inputs of the same run ------------------------------------------------------

def test_an_output_never_replaces_a_file_read_in_the_same_run(tmp_path: Path) -> None:
    source = tmp_path / "vault.json"
    source.write_bytes(b"the vault")
    (tmp_path / "link").symlink_to(source)
    os.link(source, tmp_path / "hard")
    with fsio.recording_files():
        assert fsio.read_input(source) == b"the vault"
        for same in (source, tmp_path / "link", tmp_path / "hard"):
            with pytest.raises(OutputError, match="is an input of this command") as info:
                fsio.write_file(same, b"a PDF", force=True)
            assert info.value.exit_code == 8
            with pytest.raises(OutputError, match="is an input of this command"):
                fsio.check_output_free(same, force=True)
        fsio.write_file(tmp_path / "other.pdf", b"a PDF")  # anything else is written
        with fsio.recording_files():  # a run inside a run: its own inputs only
            fsio.write_file(source, b"inner", force=True)
    assert source.read_bytes() == b"inner"
    fsio.write_file(source, b"outside any run", force=True)  # the library alone: no rule
    assert source.read_bytes() == b"outside any run"


def test_update_file_replaces_the_file_read_and_follows_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_bytes(b"v1")
    link = tmp_path / "vault.json"
    link.symlink_to(real)
    with fsio.recording_files():
        fsio.read_input(link)
        assert fsio.update_file(link, b"v2", new=False) == real
    assert link.is_symlink() and real.read_bytes() == b"v2" and _mode(real) == 0o600
    dangling = tmp_path / "new.json"
    dangling.symlink_to(tmp_path / "nowhere.json")
    with pytest.raises(OutputExistsError, match="symbolic link to a file that does not exist"):
        fsio.update_file(dangling, b"v1", new=True)
    with pytest.raises(OutputExistsError, match="symbolic link to a file that does not exist"):
        fsio.check_output_free(dangling)
    assert not (tmp_path / "nowhere.json").exists()
    fsio.write_file(dangling, b"forced", force=True)  # --force replaces the link itself
    assert not dangling.is_symlink() and dangling.read_bytes() == b"forced"
