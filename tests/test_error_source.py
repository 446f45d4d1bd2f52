"""Errors name their place from the `source` field, on the terminal and in `--json`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from toolkit import envelope
from toolkit.model import Account, Vault, vault_to_json


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(envelope.KDF_PROFILES, "default", envelope.KDF_PROFILES["test"])


@pytest.fixture
def split_out(cli: Any, tmp_path: Path) -> Path:
    vault = tmp_path / "vault.json"
    vault.write_bytes(vault_to_json(Vault((Account(issuer="Example", name="alice",
                                                   secret=b"0123456789"),))))
    out = tmp_path / "out"
    r = cli("split", vault, "-k", "2", "-n", "3", "-o", out, "--no-self-check")
    assert r.code == 0, r.err
    return out


def _words_of(path: Path) -> list[str]:
    block = path.read_text().split("words (")[1].split("qr:")[0].split("\n", 1)[1]
    return [w for w in block.split() if not w.rstrip(".").isdigit()]


def test_a_bad_line_of_a_words_file_is_named_by_its_place(cli: Any, tmp_path: Path,
                                                           split_out: Path) -> None:
    good = _words_of(split_out / "share-1-of-3.txt")
    bad = _words_of(split_out / "share-2-of-3.txt")
    bad[7] = "zebra"
    words = tmp_path / "words.txt"
    words.write_text(f"{' '.join(good)}\n{' '.join(bad)}\n")
    r = cli("restore", split_out / "vault.p2fa", "--words-file", words, "--dry-run", "--json")
    report = json.loads(r.out)
    assert r.code == 7 and report["exit_code"] == 7
    [unusable] = report["unusable"]
    assert unusable["error"] == "ShareError" and unusable["exit_code"] == 7
    assert unusable["message"].startswith("word 8 is not a share word")
    assert unusable["source"] == {"file": str(words), "page": None, "line": 2, "label": None}
    assert "zebra" not in r.out


def test_a_damaged_share_file_is_named_once_on_the_error_line(cli: Any, tmp_path: Path,
                                                              split_out: Path) -> None:
    words = _words_of(split_out / "share-1-of-3.txt")
    words[3] = "zebra"
    share = tmp_path / "share.txt"
    share.write_text(" ".join(words) + "\n")
    r = cli("inspect", share)
    first = r.err.splitlines()[0]
    assert r.code == 7, r.err
    assert first.startswith(f"paper2fa: error: {share}: word 4 is not a share word")


def test_a_sealed_file_that_is_damaged_names_its_path(cli: Any, tmp_path: Path,
                                                      split_out: Path) -> None:
    data = bytearray((split_out / "vault.p2fa").read_bytes())
    data[-5] ^= 0xFF
    sealed = tmp_path / "damaged.p2fa"
    sealed.write_bytes(bytes(data))
    r = cli("restore", sealed, "--dry-run")
    assert r.code != 0
    line = r.err.splitlines()[0]
    assert line.startswith(f"paper2fa: error: {sealed}: ") and line.count(str(sealed)) == 1


def test_a_hostile_missing_path_is_escaped_and_cut_on_the_error_line(cli: Any,
                                                                     tmp_path: Path) -> None:
    folder = tmp_path
    for _ in range(3):
        folder = folder / ("d" * 100)
    folder.mkdir(parents=True)
    missing = folder / "\x1b[2Jshare\u202e.txt"
    r = cli("inspect", missing)
    assert r.code == 3, r.err
    line, hint = r.err.splitlines()
    assert line.startswith("paper2fa: error: ") and line.endswith(": no such file")
    assert "\x1b" not in line and "\u202e" not in line and "\\x1b[2Jshare\\u202e.txt" in line
    assert "…[" in line and len(line) < 300  # a path of 400 characters is cut in the middle
    assert hint.startswith("  what to do: ")
