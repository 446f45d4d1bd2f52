"""Names and paths that would drive the terminal reach it escaped (issue 21): every line a
command prints, on stdout and stderr, is scanned for raw control, bidi and zero-width
characters, and for a line forged by a newline inside a name.

Through the real CLI entry point; the camera is replaced by a source that only says it opened
a video of a hostile name and ended (what the person sees is what is checked).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from toolkit import envelope, sharing
from toolkit.camera import Ended, Opened
from toolkit.cli import camera_restore
from toolkit.display import is_hidden
from toolkit.model import Account, Vault, vault_to_json

FORGED = "FORGED"
HOSTILE = f"x\x1b[2J\x1b[H\n{FORGED}\u202eyz\u200b"
"""Clears the screen, forges a line, reverses the text after it, hides a character."""

SECRET = "JBSWY3DPEHPK3PXP"


def assert_shown_safely(*outputs: str) -> None:
    for text in outputs:
        for line in text.split("\n"):
            assert not any(is_hidden(ch) for ch in line), repr(line)
            assert not line.startswith(FORGED), repr(text)


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(envelope.KDF_PROFILES, "default", envelope.KDF_PROFILES["test"])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    hostile = tmp_path / f"d{HOSTILE}"
    hostile.mkdir()
    return hostile


def test_add_prints_the_current_code_with_the_names_escaped(cli: Any, folder: Path) -> None:
    secret = folder / f"s{HOSTILE}.txt"
    secret.write_text(SECRET)
    vault = folder / f"v{HOSTILE}.json"
    r = cli("add", vault, "--issuer", "\x1b[2J\x1b[H", "--name", HOSTILE,
            "--secret-file", secret, "--yes")
    assert r.code == 0, r.err
    assert "current code" in r.out and "\\x1b[2J\\x1b[H" in r.out
    assert_shown_safely(r.out, r.err)
    r = cli("add", vault, "--issuer", HOSTILE, "--name", "hotp", "--type", "hotp",
            "--secret-file", secret, "--yes")
    assert r.code == 0 and "next code" in r.out
    assert_shown_safely(r.out, r.err)
    for args in (("list", vault), ("codes", vault), ("audit", vault)):
        r = cli(*args)
        assert r.code == 0, (args, r.err)
        assert_shown_safely(r.out, r.err)


def test_seal_split_inspect_combine_verify_and_restore_show_paths_escaped(
        cli: Any, folder: Path) -> None:
    vault = Vault((Account(issuer=HOSTILE, name=HOSTILE, secret=b"0123456789"),))
    source = folder / f"v{HOSTILE}.json"
    source.write_bytes(vault_to_json(vault))
    imported = folder / f"i{HOSTILE}.json"
    runs = [("import", source, "-o", imported)]
    sealed = folder / f"s{HOSTILE}.p2fa"
    passphrase = folder / "pass.txt"
    passphrase.write_text("a long enough passphrase\n")
    runs += [("seal", source, "-o", sealed, "--passphrase-file", passphrase),
             ("inspect", sealed),
             ("open", sealed, "-o", folder / f"o{HOSTILE}.json", "--passphrase-file",
              passphrase)]
    result = sharing.make_split(vault, 2, 3, rng=random.Random(7).randbytes,
                                kdf=envelope.KDF_PROFILES["test"])
    split_vault = folder / f"sv{HOSTILE}.p2fa"
    split_vault.write_bytes(result.sealed_bytes)
    shares = []
    for i in (1, 2):
        path = folder / f"share{i}{HOSTILE}.txt"
        path.write_text(sharing.share_file_text(result, i))
        shares.append(path)
    runs += [("inspect", shares[0], "--sealed", split_vault),
             ("combine", split_vault, "--share", shares[0], "--share", shares[1], "-o",
              folder / f"c{HOSTILE}.json"),
             ("verify", split_vault, *shares, "--against", source),
             ("restore", split_vault, *shares, "-o", folder / f"r{HOSTILE}.json")]
    for args in runs:
        r = cli(*args)
        assert r.code == 0, (args[0], r.err)
        assert_shown_safely(r.out, r.err)
    # errors name hostile paths escaped too
    for args in (("inspect", folder / f"missing{HOSTILE}"),
                 ("combine", split_vault, "--share", shares[0], "-o", folder / "x.json"),
                 ("restore", "--words-file", source, split_vault, "-o", folder / "y.json")):
        r = cli(*args)
        assert r.code != 0
        assert_shown_safely(r.out, r.err)


def test_the_camera_names_a_hostile_video_path_escaped(
        cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = str(tmp_path / "cam\x1b[31m\n\u202e.mp4")

    def events(source: object) -> Iterator[object]:
        yield Opened("video", name, 640, 480, 30.0)
        yield Ended(frames=1, dropped=0, damaged=0)

    monkeypatch.setattr(camera_restore, "open_source", lambda path, realtime=False: path)
    monkeypatch.setattr(camera_restore, "watch", events)
    r = cli("restore", "--camera-device", name, "-o", tmp_path / "out.json")
    assert "Reading the video" in r.err and "\\x1b[31m\\n\\u202e.mp4" in r.err, r.err
    assert_shown_safely(r.out, r.err)
