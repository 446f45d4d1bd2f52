"""seal, open, split, combine, inspect through the real entry point: outputs, exit codes, errors."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from toolkit.cli import seal_cmds
from toolkit.model import Account, Vault, vault_from_json, vault_to_json

FAST = ("--kdf-profile", "test")


@pytest.fixture
def vault_file(tmp_path: Path) -> Path:
    v = Vault((Account(issuer="Example", name="alice", secret=b"0123456789"),
               Account(issuer="Bank", name="bob", secret=b"abcdefghij", type="hotp", counter=3)))
    path = tmp_path / "vault.json"
    path.write_bytes(vault_to_json(v))
    return path


@pytest.fixture
def pass_file(tmp_path: Path) -> Path:
    path = tmp_path / "pass.txt"
    path.write_text("correct horse\n")
    return path


def _split(cli: Any, vault_file: Path, out: Path, *extra: str | Path) -> Any:
    return cli("split", vault_file, "-k", "2", "-n", "3", "-o", out, *FAST, *extra)


def test_seal_open_round_trip(cli: Any, tmp_path: Path, vault_file: Path,
                              pass_file: Path) -> None:
    sealed = tmp_path / "v.p2fa"
    r = cli("seal", vault_file, "-o", sealed, "--passphrase-file", pass_file, *FAST)
    assert r.code == 0, r.err
    assert stat.S_IMODE(sealed.stat().st_mode) == 0o600
    assert sealed.read_bytes().startswith(b"paper2fa-sealed\x01")
    out = tmp_path / "back.json"
    r = cli("open", sealed, "-o", out, "--passphrase-file", pass_file)
    assert r.code == 0, r.err
    assert out.read_bytes() == vault_file.read_bytes()
    r = cli("open", sealed, "-o", out, "--passphrase-file", pass_file)
    assert r.code == 8 and "exists already" in r.err
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("nope\n")
    r = cli("open", sealed, "-o", tmp_path / "x.json", "--passphrase-file", wrong)
    assert r.code == 5 and "wrong passphrase" in r.err
    assert not (tmp_path / "x.json").exists()
    data = bytearray(sealed.read_bytes())
    data[-50] ^= 1
    sealed.write_bytes(bytes(data))
    r = cli("open", sealed, "-o", tmp_path / "y.json", "--passphrase-file", pass_file)
    assert r.code == 6 and "damaged or tampered" in r.err and "Traceback" not in r.err


def test_split_writes_vault_and_shares(cli: Any, tmp_path: Path, vault_file: Path) -> None:
    out = tmp_path / "out"
    r = _split(cli, vault_file, out, "--holder", "Ann", "--holder", "Bo b", "--holder", "C/D")
    assert r.code == 0, r.err
    assert "self-test passed" in r.out
    names = sorted(p.name for p in out.iterdir())
    assert names == ["share-1-of-3-Ann.txt", "share-2-of-3-Bo-b.txt", "share-3-of-3-C-D.txt",
                     "vault.p2fa"]
    for p in out.iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
    r = _split(cli, vault_file, out)
    assert r.code == 8 and "exists already" in r.err
    restored = tmp_path / "r.json"
    r = cli("combine", out / "vault.p2fa", "--share", out / "share-1-of-3-Ann.txt",
            "--share", out / "share-3-of-3-C-D.txt", "-o", restored)
    assert r.code == 0, r.err
    assert restored.read_bytes() == vault_file.read_bytes()
    assert "combined sheets 1, 3 of 3" in r.out


def test_split_usage_errors(cli: Any, tmp_path: Path, vault_file: Path) -> None:
    r = cli("split", vault_file, "-k", "4", "-n", "3", "-o", tmp_path / "o", *FAST)
    assert r.code == 2 and "2 <= k <= n <= 16" in r.err
    r = cli("split", vault_file, "-k", "2", "-n", "3", "--holder", "a", "-o", tmp_path / "o",
            *FAST)
    assert r.code == 2 and "one per share" in r.err
    assert not (tmp_path / "o").exists()


def _words_of(path: Path) -> str:
    text = path.read_text()
    block = text.split("words (")[1].split("qr:")[0].split("\n", 1)[1]
    return " ".join(w for w in block.split() if not w.rstrip(".").isdigit())


def test_combine_with_words_file_and_bad_shares(cli: Any, tmp_path: Path,
                                                vault_file: Path) -> None:
    out = tmp_path / "out"
    assert _split(cli, vault_file, out).code == 0
    sealed = out / "vault.p2fa"
    w1, w2 = _words_of(out / "share-1-of-3.txt"), _words_of(out / "share-2-of-3.txt")
    words = tmp_path / "words.txt"
    words.write_text(f"# my shares\n\n{w1}\n{w2}  # from Bob\n")
    r = cli("combine", sealed, "--words-file", words, "-o", tmp_path / "a.json")
    assert r.code == 0, r.err
    assert vault_from_json((tmp_path / "a.json").read_bytes()) == \
        vault_from_json(vault_file.read_bytes())

    words.write_text(w1 + "\n")
    r = cli("combine", sealed, "--words-file", words, "-o", tmp_path / "b.json")
    assert r.code == 7 and "1 of 2 needed shares: need 1 more" in r.err

    bad = w2.split()
    bad[7] = "zebra"
    words.write_text(f"{w1}\n{' '.join(bad)}\n")
    r = cli("combine", sealed, "--words-file", words, "-o", tmp_path / "c.json")
    assert r.code == 7 and "line 2: word 8: 'zebra' is not a share word" in r.err

    bad = w2.split()
    bad[7] = "academic" if bad[7] != "academic" else "acid"
    words.write_text(f"{w1}\n{' '.join(bad)}\n")
    r = cli("combine", sealed, "--words-file", words, "-o", tmp_path / "c.json")
    assert r.code == 7 and "line 2" in r.err and "checksum" in r.err

    words.write_text(f"{w1}\n{' '.join(w2.split()[:-1])}\n")
    r = cli("combine", sealed, "--words-file", words, "-o", tmp_path / "c.json")
    assert r.code == 7 and "36 words were given; a share has 37" in r.err
    assert not (tmp_path / "c.json").exists()


def test_combine_names_the_bad_one_among_more_than_k(cli: Any, tmp_path: Path,
                                                     vault_file: Path) -> None:
    out, other = tmp_path / "out", tmp_path / "other"
    assert _split(cli, vault_file, out).code == 0
    assert _split(cli, vault_file, other).code == 0
    r = cli("combine", out / "vault.p2fa", "--share", out / "share-1-of-3.txt",
            "--share", other / "share-2-of-3.txt", "--share", out / "share-3-of-3.txt",
            "-o", tmp_path / "r.json")
    assert r.code == 0, r.err
    assert f"left out {other / 'share-2-of-3.txt'}: it belongs to set" in r.err


def test_split_with_passphrase_needs_it_to_combine(cli: Any, tmp_path: Path, vault_file: Path,
                                                   pass_file: Path) -> None:
    out = tmp_path / "out"
    r = _split(cli, vault_file, out, "--passphrase-file", pass_file, "--scheme", "slip39")
    assert r.code == 0, r.err
    shares = ["--share", out / "share-1-of-3.txt", "--share", out / "share-2-of-3.txt"]
    r = cli("combine", out / "vault.p2fa", *shares, "-o", tmp_path / "a.json")
    assert r.code == 5 and "--passphrase-file" in r.err  # no terminal to ask on
    wrong = tmp_path / "w.txt"
    wrong.write_text("horse correct")
    r = cli("combine", out / "vault.p2fa", *shares, "-o", tmp_path / "a.json",
            "--passphrase-file", wrong)
    assert r.code == 5 and "wrong passphrase" in r.err
    r = cli("combine", out / "vault.p2fa", *shares, "-o", tmp_path / "a.json",
            "--passphrase-file", pass_file)
    assert r.code == 0, r.err
    assert (tmp_path / "a.json").read_bytes() == vault_file.read_bytes()


def test_inspect_sealed_and_share(cli: Any, tmp_path: Path, vault_file: Path) -> None:
    out, other = tmp_path / "out", tmp_path / "other"
    assert _split(cli, vault_file, out, "--generation", "4").code == 0
    assert _split(cli, vault_file, other).code == 0
    r = cli("inspect", out / "vault.p2fa", "--json")
    info = r.json()
    assert r.code == 0 and info["kind"] == "sealed-vault" and info["generation"] == 4
    assert (info["threshold"], info["share_count"], info["scheme"]) == (2, 3, "pyshamir")
    assert info["vault_fingerprint"] == Vault(vault_from_json(vault_file.read_bytes())
                                              .accounts).fingerprint
    r = cli("inspect", out / "share-2-of-3.txt", "--sealed", out / "vault.p2fa", "--json")
    assert r.code == 0
    assert r.json()["matches_sealed_vault"] is True and r.json()["sheet"] == 2
    assert r.json()["set_id"] == info["set_id"]
    r = cli("inspect", other / "share-2-of-3.txt", "--sealed", out / "vault.p2fa")
    assert r.code == 7 and "does NOT match" in r.out
    text = json.dumps(cli("inspect", out / "share-1-of-3.txt", "--json").json())
    assert "words" not in text and "P2FA-SHARE" not in text  # no secrets
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\xff\xfe\x00")
    assert cli("inspect", junk).code == 3


def test_open_refuses_split_and_combine_refuses_passphrase_seal(
        cli: Any, tmp_path: Path, vault_file: Path, pass_file: Path) -> None:
    out = tmp_path / "out"
    assert _split(cli, vault_file, out).code == 0
    r = cli("open", out / "vault.p2fa", "-o", tmp_path / "a.json")
    assert r.code == 2 and "paper2fa combine" in r.err
    sealed = tmp_path / "s.p2fa"
    assert cli("seal", vault_file, "-o", sealed, "--passphrase-file", pass_file, *FAST).code == 0
    r = cli("combine", sealed, "--share", out / "share-1-of-3.txt", "-o", tmp_path / "b.json")
    assert r.code == 2 and "paper2fa open" in r.err
    r = cli("combine", vault_file, "-o", tmp_path / "b.json")
    assert r.code == 4


def test_typed_words_are_checked_as_they_come(tmp_path: Path) -> None:
    from toolkit import sharing
    from toolkit.envelope import SCHEME_PYSHAMIR

    share = sharing.Share(b"ABCDE", 1, 2, 3, 9, bytes(range(32)))
    good = share.words()
    wrong = list(good)
    wrong[3] = "academic" if wrong[3] != "academic" else "acid"
    typed = iter([" ".join(wrong), " ".join(good[:5]) + " zebra", *good[5:]])
    told: list[str] = []
    got = seal_cmds.enter_words(lambda prompt: next(typed), told.append, 1, SCHEME_PYSHAMIR)
    assert got == [("typed share 1", share)]
    assert any("checksum" in t for t in told)
    assert any("'zebra' is not a share word" in t for t in told)


def test_hidden_kdf_profile_is_not_in_help(cli: Any) -> None:
    for command in ("seal", "split"):
        r = cli(command, "--help")
        assert r.code == 0 and "kdf-profile" not in r.out


def test_no_secret_in_output(cli: Any, tmp_path: Path, vault_file: Path) -> None:
    out = tmp_path / "out"
    r = _split(cli, vault_file, out)
    share_text = (out / "share-1-of-3.txt").read_text()
    qr = next(line for line in share_text.splitlines() if line.startswith("P2FA-SHARE:"))
    assert qr not in r.out + r.err
    assert "MFRGGZDFMZTWQ2LK" not in r.out + r.err  # bob's secret in base32
    assert os.listdir(out) and not [p for p in os.listdir(out) if p.endswith(".part")]


def test_combine_without_shares_and_without_terminal(cli: Any, tmp_path: Path,
                                                     vault_file: Path) -> None:
    out = tmp_path / "out"
    assert _split(cli, vault_file, out).code == 0
    r = cli("combine", out / "vault.p2fa", "-o", tmp_path / "a.json")
    assert r.code == 2 and "--words-file" in r.err
