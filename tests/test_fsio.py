"""Safe output: atomic, 0600, no overwrite without force, all-or-nothing file sets."""

from __future__ import annotations

import stat
from pathlib import Path

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
