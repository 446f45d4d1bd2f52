"""seal, open, split, combine, inspect through the real entry point: outputs, exit codes, errors."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from toolkit import envelope, recovery
from toolkit.model import Account, Vault, vault_from_json, vault_to_json

REAL_KDF = envelope.KDF_PROFILES["default"]


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI has no option to weaken the KDF; tests make the real profile cheap instead."""
    monkeypatch.setitem(envelope.KDF_PROFILES, "default", envelope.KDF_PROFILES["test"])


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
    return cli("split", vault_file, "-k", "2", "-n", "3", "-o", out, *extra)


def _quick_split(cli: Any, vault_file: Path, out: Path, *extra: str | Path) -> Any:
    """A split whose PDFs are not read back (test_render and test_split_writes_vault_and_shares
    cover that), for the tests of what comes after: combine, inspect, open (the files are the
    same; the self-check reads them back, about 0.3 s of CPU a split)."""
    return _split(cli, vault_file, out, "--no-self-check", *extra)


def test_seal_open_round_trip(cli: Any, tmp_path: Path, vault_file: Path,
                              pass_file: Path) -> None:
    sealed = tmp_path / "v.p2fa"
    r = cli("seal", vault_file, "-o", sealed, "--passphrase-file", pass_file)
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
    assert names == ["cover.pdf", "share-1-of-3-Ann.pdf", "share-1-of-3-Ann.txt",
                     "share-2-of-3-Bo-b.pdf", "share-2-of-3-Bo-b.txt", "share-3-of-3-C-D.pdf",
                     "share-3-of-3-C-D.txt", "vault.p2fa"]
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
    r = cli("split", vault_file, "-k", "4", "-n", "3", "-o", tmp_path / "o",)
    assert r.code == 2 and "2 <= k <= n <= 16" in r.err
    r = cli("split", vault_file, "-k", "2", "-n", "3", "--holder", "a", "-o", tmp_path / "o",
           )
    assert r.code == 2 and "one per share" in r.err
    assert not (tmp_path / "o").exists()


def _words_of(path: Path) -> str:
    text = path.read_text()
    block = text.split("words (")[1].split("qr:")[0].split("\n", 1)[1]
    return " ".join(w for w in block.split() if not w.rstrip(".").isdigit())


def test_combine_with_words_file_and_bad_shares(cli: Any, tmp_path: Path,
                                                vault_file: Path) -> None:
    out = tmp_path / "out"
    assert _quick_split(cli, vault_file, out).code == 0
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
    assert r.code == 7 and "need 1 more share: you have share 1 of set" in r.err

    bad = w2.split()
    bad[7] = "zebra"
    words.write_text(f"{w1}\n{' '.join(bad)}\n")
    r = cli("combine", sealed, "--words-file", words, "-o", tmp_path / "c.json")
    assert r.code == 7 and "line 2: word 8 is not a share word" in r.err and "zebra" not in r.err

    bad = w2.split()
    bad[7] = "academic" if bad[7] != "academic" else "acid"
    words.write_text(f"{w1}\n{' '.join(bad)}\n")
    r = cli("combine", sealed, "--words-file", words, "-o", tmp_path / "c.json")
    assert r.code == 7 and "line 2" in r.err and "checksum" in r.err

    words.write_text(f"{w1}\n{' '.join(w2.split()[:-1])}\n")
    r = cli("combine", sealed, "--words-file", words, "-o", tmp_path / "c.json")
    assert r.code == 7 and "36 words were given; a paper2fa share has 37" in r.err
    assert not (tmp_path / "c.json").exists()


def test_combine_names_the_bad_one_among_more_than_k(cli: Any, tmp_path: Path,
                                                     vault_file: Path) -> None:
    out, other = tmp_path / "out", tmp_path / "other"
    assert _quick_split(cli, vault_file, out).code == 0
    assert _quick_split(cli, vault_file, other).code == 0
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
    assert _quick_split(cli, vault_file, out, "--generation", "4").code == 0
    assert _quick_split(cli, vault_file, other).code == 0
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
    assert cli("inspect", junk).code == 4


def test_open_refuses_split_and_combine_refuses_passphrase_seal(
        cli: Any, tmp_path: Path, vault_file: Path, pass_file: Path) -> None:
    out = tmp_path / "out"
    assert _quick_split(cli, vault_file, out).code == 0
    r = cli("open", out / "vault.p2fa", "-o", tmp_path / "a.json")
    assert r.code == 2 and "paper2fa combine" in r.err
    sealed = tmp_path / "s.p2fa"
    assert cli("seal", vault_file, "-o", sealed, "--passphrase-file", pass_file).code == 0
    r = cli("combine", sealed, "--share", out / "share-1-of-3.txt", "-o", tmp_path / "b.json")
    assert r.code == 2 and "paper2fa open" in r.err
    r = cli("combine", vault_file, "-o", tmp_path / "b.json")
    assert r.code == 4


def test_typed_words_are_checked_as_they_come(tmp_path: Path) -> None:
    from toolkit import sharing

    share = sharing.Share(b"ABCDE", 1, 2, 3, 9, bytes(range(32)))
    good = share.words()
    wrong = list(good)
    wrong[3] = "academic" if wrong[3] != "academic" else "acid"
    typed = iter([" ".join(wrong), " ".join(good[:5]) + " zebra", *good[5:]])
    told: list[str] = []
    state = recovery.RecoveryState()
    recovery.enter_shares(state, lambda prompt: next(typed), told.append,
                          done=lambda: len(state.shares) == 1, needed=lambda: 2)
    assert [r.share for r in state.share_reads()] == [share]
    assert state.share_reads()[0].sources == ["typed share 1"]
    assert any("checksum" in t for t in told)
    assert any("word 6 is not a share word" in t for t in told)
    assert not any("zebra" in t for t in told)


def test_no_cli_option_weakens_the_kdf(cli: Any, tmp_path: Path, vault_file: Path,
                                       pass_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for command in ("seal", "split"):
        r = cli(command, "--help")
        assert r.code == 0 and "kdf" not in r.out
    r = cli("seal", vault_file, "-o", tmp_path / "weak.p2fa", "--passphrase-file", pass_file,
            "--kdf-profile", "test")
    assert r.code == 2 and not (tmp_path / "weak.p2fa").exists()
    monkeypatch.setitem(envelope.KDF_PROFILES, "default", REAL_KDF)
    sealed = tmp_path / "real.p2fa"
    r = cli("seal", vault_file, "-o", sealed, "--passphrase-file", pass_file)
    assert r.code == 0, r.err
    kdf = envelope.SealedVault.from_bytes(sealed.read_bytes()).header.kdf
    assert kdf == envelope.KdfParams(log_n=17, r=8, p=1)


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
    assert _quick_split(cli, vault_file, out).code == 0
    r = cli("combine", out / "vault.p2fa", "-o", tmp_path / "a.json")
    assert r.code == 2 and "--words-file" in r.err


def test_passphrase_file_that_is_not_utf8_is_a_clean_error(cli: Any, tmp_path: Path,
                                                          vault_file: Path,
                                                          pass_file: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfepass")
    out = tmp_path / "out"
    assert _quick_split(cli, vault_file, out, "--passphrase-file", pass_file).code == 0
    sealed = tmp_path / "s.p2fa"
    assert cli("seal", vault_file, "-o", sealed, "--passphrase-file", pass_file).code == 0
    shares = ("--share", out / "share-1-of-3.txt", "--share", out / "share-2-of-3.txt")
    for args in [("seal", vault_file, "-o", tmp_path / "a.p2fa"),
                 ("split", vault_file, "-k", "2", "-n", "3", "-o", tmp_path / "b"),
                 ("open", sealed, "-o", tmp_path / "c.json"),
                 ("combine", out / "vault.p2fa", *shares, "-o", tmp_path / "d.json")]:
        r = cli(*args, "--passphrase-file", bad)
        assert r.code == 3 and "is not UTF-8 text" in r.err, (args, r.err)
        assert "Traceback" not in r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["bad.txt", "out", "pass.txt", "s.p2fa", "vault.json"])


def test_passphrase_file_with_bom_and_crlf_is_the_typed_passphrase(
        cli: Any, tmp_path: Path, vault_file: Path, pass_file: Path) -> None:
    windows = tmp_path / "windows.txt"
    windows.write_bytes("\ufeffcorrect horse\r\n".encode())
    sealed = tmp_path / "s.p2fa"
    assert cli("seal", vault_file, "-o", sealed, "--passphrase-file", windows).code == 0
    r = cli("open", sealed, "-o", tmp_path / "v.json", "--passphrase-file", pass_file)
    assert r.code == 0, r.err
    assert (tmp_path / "v.json").read_bytes() == vault_file.read_bytes()


def test_wrong_passphrase_error_does_not_echo_it(cli: Any, tmp_path: Path, vault_file: Path,
                                                pass_file: Path) -> None:
    sealed = tmp_path / "s.p2fa"
    assert cli("seal", vault_file, "-o", sealed, "--passphrase-file", pass_file).code == 0
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("Tr0ub4dor&3 unique\n")
    r = cli("-v", "open", sealed, "-o", tmp_path / "v.json", "--passphrase-file", wrong)
    assert r.code == 5 and "Tr0ub4dor" not in r.out + r.err


def test_accidental_header_damage_is_reported_as_damage(cli: Any, tmp_path: Path,
                                                        vault_file: Path) -> None:
    out = tmp_path / "out"
    assert _quick_split(cli, vault_file, out).code == 0
    good = (out / "vault.p2fa").read_bytes()
    shares = ("--share", out / "share-1-of-3.txt", "--share", out / "share-2-of-3.txt")
    for pos, value in [(23, 7), (24, 0), (25, 200), (26 + 3 * 16, 9)]:  # scheme, k, n, KDF id
        damaged = tmp_path / f"damaged-{pos}.p2fa"
        damaged.write_bytes(good[:pos] + bytes([value]) + good[pos + 1:])
        r = cli("combine", damaged, *shares, "-o", tmp_path / "v.json")
        assert r.code == 6 and "damaged or tampered" in r.err, (pos, r.err)
        r = cli("inspect", damaged)
        assert r.code == 6, (pos, r.err)
    assert not (tmp_path / "v.json").exists()


def test_self_test_failure_is_a_clean_error_and_writes_nothing(
        cli: Any, tmp_path: Path, vault_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit import sharing

    monkeypatch.setattr(sharing, "interpolate_at_zero", lambda points: bytes(32))
    out = tmp_path / "out"
    r = _quick_split(cli, vault_file, out)
    assert r.code == 9 and "self-test" in r.err and "Traceback" not in r.err
    assert not out.exists() or not list(out.iterdir())


@pytest.mark.parametrize("holder", ["", "  ", "Ann\nqr:\nP2FA-SHARE:AAAA", "Bob\u2028Lee",
                                    "tab\there"])
def test_holder_names_that_would_break_the_sheet_are_refused(
        cli: Any, tmp_path: Path, vault_file: Path, holder: str) -> None:
    out = tmp_path / "out"
    r = _quick_split(cli, vault_file, out, "--holder", "Ann", "--holder", holder, "--holder", "Cy")
    assert r.code == 2 and "holder name" in r.err
    assert not out.exists() or not list(out.iterdir())


def test_odd_but_valid_holder_names_restore(cli: Any, tmp_path: Path, vault_file: Path) -> None:
    out = tmp_path / "out"
    r = _quick_split(cli, vault_file, out, "--holder", "../../etc/passwd", "--holder", "Zoë 日本",
               "--holder", "../../etc/passwd")
    assert r.code == 0, r.err
    assert sorted(p.name for p in out.iterdir() if p.suffix != ".pdf") == [
        "share-1-of-3-etc-passwd.txt", "share-2-of-3-Zoe-RiBen.txt", "share-3-of-3-etc-passwd.txt",
        "vault.p2fa"]
    assert (out / "share-2-of-3-Zoe-RiBen.pdf").is_file()
    assert "for Zoë 日本" in (out / "share-2-of-3-Zoe-RiBen.txt").read_text(encoding="utf-8")
    r = cli("combine", out / "vault.p2fa", "--share", out / "share-2-of-3-Zoe-RiBen.txt",
            "--share", out / "share-3-of-3-etc-passwd.txt", "-o", tmp_path / "v.json")
    assert r.code == 0, r.err


def test_more_than_k_with_one_unreadable_share_restores_and_names_it(
        cli: Any, tmp_path: Path, vault_file: Path) -> None:
    out = tmp_path / "out"
    assert _quick_split(cli, vault_file, out).code == 0
    w1, w2, w3 = (_words_of(out / f"share-{i}-of-3.txt") for i in (1, 2, 3))
    bad = w2.split()
    bad[7] = "academic" if bad[7] != "academic" else "acid"
    words = tmp_path / "words.txt"
    words.write_text(f"{w1}\n{' '.join(bad)}\n{w3}\n")
    r = cli("combine", out / "vault.p2fa", "--words-file", words, "-o", tmp_path / "v.json")
    assert r.code == 0, r.err
    assert "left out" in r.err and "line 2" in r.err and "checksum" in r.err
    assert "combined sheets 1, 3 of 3" in r.out
    # an unknown share version among too few keeps its own error kind (exit 4) and hint
    v9 = tmp_path / "v9.txt"
    v9.write_text("P2FA-SHARE:" + "A" * 8 + "BE" + "A" * 58 + "\n")
    r = cli("combine", out / "vault.p2fa", "--share", v9, "--share", out / "share-1-of-3.txt",
            "-o", tmp_path / "w.json")
    assert r.code == 4 and "version" in r.err and "need 1 more share: you have share 1" in r.err
    assert "newer paper2fa" in r.err


def test_a_slip39_share_for_a_pyshamir_vault_is_named(cli: Any, tmp_path: Path,
                                                       vault_file: Path) -> None:
    out, slip = tmp_path / "out", tmp_path / "slip"
    assert _quick_split(cli, vault_file, out).code == 0
    assert _quick_split(cli, vault_file, slip, "--scheme", "slip39").code == 0
    r = cli("combine", out / "vault.p2fa", "--share", slip / "share-1-of-3.txt",
            "--share", out / "share-1-of-3.txt", "-o", tmp_path / "v.json")
    assert r.code == 7
    assert "it is a slip39 share, but the sealed vault was split as pyshamir" in r.err


def test_split_edges(cli: Any, tmp_path: Path, vault_file: Path) -> None:
    r = cli("split", vault_file, "-k", "1", "-n", "3", "--scheme", "slip39", "-o",
            tmp_path / "a")
    assert r.code == 2 and "2 <= k <= n <= 16" in r.err
    empty = tmp_path / "empty.json"
    empty.write_bytes(vault_to_json(Vault(())))
    out = tmp_path / "b"
    r = cli("split", empty, "-k", "16", "-n", "16", "-o", out, "--no-self-check")
    assert r.code == 0, r.err
    shares = [a for i in range(1, 17) for a in ("--share", out / f"share-{i}-of-16.txt")]
    r = cli("combine", out / "vault.p2fa", *shares, "-o", tmp_path / "e.json")
    assert r.code == 0, r.err
    assert vault_from_json((tmp_path / "e.json").read_bytes()) == Vault(())
    r = cli("combine", out / "vault.p2fa", *shares[:-2], "-o", tmp_path / "f.json")
    assert r.code == 7 and "need 1 more share: you have shares 1, 2, 3" in r.err
    assert "(16 needed)" in r.err


def test_cli_splits_draw_fresh_randomness(cli: Any, tmp_path: Path, vault_file: Path) -> None:
    import secrets

    import pyshamir._utils
    import shamir_mnemonic.shamir

    assert pyshamir._utils.secrets is secrets
    assert shamir_mnemonic.shamir.RANDOM_BYTES is secrets.token_bytes
    a, b = tmp_path / "a", tmp_path / "b"
    assert _quick_split(cli, vault_file, a).code == 0 and _quick_split(cli, vault_file, b).code == 0
    assert (a / "vault.p2fa").read_bytes()[16:21] != (b / "vault.p2fa").read_bytes()[16:21]
    assert (a / "share-1-of-3.txt").read_text() != (b / "share-1-of-3.txt").read_text()


def test_typed_entry_checks_each_share_against_the_sealed_vault() -> None:
    from toolkit import sharing
    from toolkit.errors import NotEnoughError

    v = Vault((Account(issuer="Example", name="alice", secret=b"0123456789"),))
    mine = sharing.make_split(v, 2, 3)
    other = sharing.make_split(v, 2, 3)
    lines = iter([" ".join(other.shares[0].words()), " ".join(mine.shares[1].words()),
                  " ".join(mine.shares[1].words()), " ".join(mine.shares[2].words())])
    told: list[str] = []

    def fresh() -> recovery.RecoveryState:
        state = recovery.RecoveryState()
        state.add_sealed_file(mine.sealed_bytes, "vault.p2fa")
        return state

    state = fresh()
    recovery.enter_shares(state, lambda prompt: next(lines), told.append,
                          done=lambda: recovery.restorable(state), needed=lambda: 2)
    assert [r.share for r in state.share_reads()] == sorted(
        [mine.shares[1], mine.shares[2]], key=lambda s: s.x)
    assert any("belongs to set" in t for t in told)
    assert any("read already" in t for t in told)

    def eof(prompt: str) -> str:
        raise EOFError

    state = fresh()
    with pytest.raises(NotEnoughError, match="ended after 0 typed shares"):
        recovery.enter_shares(state, eof, told.append, done=lambda: recovery.restorable(state),
                              needed=lambda: 2)


def test_a_passphrase_file_with_only_a_byte_order_mark_is_empty(cli: Any, tmp_path: Path,
                                                                vault_file: Path) -> None:
    notepad = tmp_path / "empty.txt"
    notepad.write_bytes(b"\xef\xbb\xbf\r\n")
    r = cli("seal", vault_file, "-o", tmp_path / "s.p2fa", "--passphrase-file", notepad)
    assert r.code == 2 and "empty" in r.err and not (tmp_path / "s.p2fa").exists()
    r = _quick_split(cli, vault_file, tmp_path / "out", "--passphrase-file", notepad)
    assert r.code == 2 and "empty" in r.err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_wrong_file_as_words_file_fails_fast_and_short(cli: Any, tmp_path: Path,
                                                         vault_file: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.recovery.state import RecoveryState

    out = tmp_path / "out"
    assert _quick_split(cli, vault_file, out).code == 0
    junk = tmp_path / "junk.txt"
    junk.write_text("".join(f"qx{i}zz yy\n" for i in range(50_000)))
    tried: list[str] = []
    real = RecoveryState.add_share_text

    def counted(self: RecoveryState, text: str, source: str = "typed share") -> Any:
        tried.append(source)
        return real(self, text, source)

    monkeypatch.setattr(RecoveryState, "add_share_text", counted)
    r = cli("combine", out / "vault.p2fa", "--words-file", junk, "-o", tmp_path / "v.json")
    assert r.code == 7 and "more than 64 lines of words" in r.err
    assert tried == []  # fast: refused on its line count, before any line is read as a share
    junk.write_text("".join(f"qx{i}zz yy\n" for i in range(20)))
    r = cli("combine", out / "vault.p2fa", "--words-file", junk, "-o", tmp_path / "v.json")
    assert r.code == 7 and "you have no share of set" in r.err and "and 12 more" in r.err
    assert len(r.err.splitlines()) == 2  # the error line and its hint
