"""Careless and hostile input through the real CLI: files that are not what a command expects,
damaged and hostile exports, inputs too large to parse, names that would drive the terminal.

Each case ends in a documented exit code and one error line with a "what to do" line (never a
traceback or "unexpected internal error"), no output file, and the user's files unchanged.
Large inputs are made here, never committed.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from toolkit import constants as C
from toolkit import envelope, sharing
from toolkit.demo import demo_vault
from toolkit.model import Account, Vault, vault_from_json, vault_to_json

S = "JBSWY3DPEHPK3PXP"
TEST_KDF = envelope.KDF_PROFILES["test"]
DEEP = 100_000
"""Nesting that raised RecursionError in every JSON format."""


def clean_error(result: Any, code: int, *absent: Path) -> str:
    """The error line of a one-line error with exit `code`; no file in `absent` exists."""
    assert result.code == code, (result.code, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 2, result.err
    assert lines[0].startswith("paper2fa: error: "), result.err
    assert lines[1].startswith("  what to do: "), result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    for path in absent:
        assert not path.exists(), path
    return lines[0]


def _vault_file(tmp_path: Path, vault: Vault | None = None, name: str = "vault.json") -> Path:
    path = tmp_path / name
    path.write_bytes(vault_to_json(demo_vault() if vault is None else vault))
    return path


def _frozen(path: Path) -> tuple[bytes, int]:
    """Content and mtime of a file, the mtime set far in the past so any write shows."""
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    return path.read_bytes(), path.stat().st_mtime_ns


# --- commands that change a file in place refuse anything but a paper2fa vault --------------

EXPORTS = ["aegis_plain.json", "bitwarden.csv", "2fas_authenticator_plain_v4.2fas", "plain.txt",
           "andotp_encrypted.bin", "stratum_internal.db"]


@pytest.mark.parametrize("name", EXPORTS)
def test_add_and_add_recovery_codes_leave_an_export_unchanged(
        cli: Any, tmp_path: Path, samples: Path, name: str) -> None:
    target = tmp_path / name
    shutil.copyfile(samples / name, target)
    before = _frozen(target)
    secret = tmp_path / "secret.txt"
    secret.write_text(S)
    codes = tmp_path / "codes.txt"
    codes.write_text("AAAA-1111\n")
    table = tmp_path / "codes.csv"
    table.write_text("issuer,name,code\nDeno,Mason,X-1\n")
    runs = [
        ("add", target, "--issuer", "X", "--name", "me", "--secret-file", secret, "--yes"),
        ("add-recovery-codes", target, "--account", "Deno", "--file", codes),
        ("add-recovery-codes", target, "--csv", table),
    ]
    for args in runs:
        line = clean_error(cli(*args), 4)
        assert "is not a paper2fa vault file" in line and "nothing was changed" in line
        assert (target.read_bytes(), target.stat().st_mtime_ns) == before, args
    assert "paper2fa import" in cli(*runs[0]).err  # the hint says how to get a vault


def test_add_refuses_a_sealed_vault_unchanged(cli: Any, tmp_path: Path) -> None:
    sealed = tmp_path / "vault.p2fa"
    sealed.write_bytes(envelope.seal_with_passphrase(demo_vault(), "pw", kdf=TEST_KDF)
                       .to_bytes())
    before = _frozen(sealed)
    secret = tmp_path / "secret.txt"
    secret.write_text(S)
    result = cli("add", sealed, "--issuer", "X", "--name", "me", "--secret-file", secret,
                 "--yes")
    assert "sealed vault" in clean_error(result, 4)
    assert "paper2fa open" in result.err
    assert (sealed.read_bytes(), sealed.stat().st_mtime_ns) == before


def test_missing_files_exit_3(cli: Any, tmp_path: Path) -> None:
    vault = _vault_file(tmp_path)
    missing = tmp_path / "nothing-here.txt"
    clean_error(cli("add-recovery-codes", missing, "--account", "Example Shop (demo)",
                    "--file", vault), 3, missing)
    clean_error(cli("add-recovery-codes", vault, "--account", "Example Shop (demo)",
                    "--file", missing), 3)
    clean_error(cli("add-recovery-codes", vault, "--csv", missing), 3)
    new = tmp_path / "new.json"
    clean_error(cli("add", new, "--issuer", "X", "--name", "me", "--secret-file", missing,
                    "--yes"), 3, new)
    secret = tmp_path / "secret.txt"
    secret.write_text(S)
    clean_error(cli("add", new, "--issuer", "X", "--name", "me", "--secret-file", secret,
                    "--recovery-codes-file", missing, "--yes"), 3, new)
    for command in ("list", "codes", "audit"):
        clean_error(cli(command, missing), 3)
    clean_error(cli("diff", vault, missing), 3)
    clean_error(cli("import", missing, "-o", tmp_path / "out.json"), 3, tmp_path / "out.json")


def test_binary_files_where_text_is_expected(cli: Any, tmp_path: Path) -> None:
    vault = _vault_file(tmp_path)
    before = vault.read_bytes()
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\xff\xfe" + bytes(range(256)))
    for args in (("--account", "Example Shop (demo)", "--file", binary), ("--csv", binary)):
        line = clean_error(cli("add-recovery-codes", vault, *args), 4)
        assert "not a text file" in line
        assert vault.read_bytes() == before
    secret = tmp_path / "secret.txt"
    secret.write_text(S)
    new = tmp_path / "new.json"
    line = clean_error(cli("add", new, "--issuer", "X", "--name", "me", "--secret-file", secret,
                           "--recovery-codes-file", binary, "--yes"), 4, new)
    assert "not a text file" in line


def test_a_damaged_csv_of_recovery_codes(cli: Any, tmp_path: Path) -> None:
    vault = _vault_file(tmp_path)
    table = tmp_path / "codes.csv"
    table.write_text('issuer,name,code\n"Example Shop (demo),ALICE,X\n')
    result = cli("add-recovery-codes", vault, "--csv", table)
    assert result.code in (2, 4) and "Traceback" not in result.err
    short = tmp_path / "short.csv"
    short.write_text("issuer,name,code\nExample Shop (demo)\n")
    assert "holds no recovery code" in clean_error(cli("add-recovery-codes", vault, "--csv",
                                                       short), 4)
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("issuer,name,code\n,,X-1\n")
    assert "no account matches" in clean_error(cli("add-recovery-codes", vault, "--csv",
                                                   unknown), 2)
    assert vault.read_bytes() == vault_to_json(demo_vault())


@pytest.mark.parametrize("at", ["-1", "99999999999999", str(C.MAX_UNIX_TIME + 1)])
def test_codes_at_outside_the_range(cli: Any, tmp_path: Path, at: str) -> None:
    line = clean_error(cli("codes", _vault_file(tmp_path), "--at", at), 2)
    assert f"--at {at} is outside the accepted range 0 to {C.MAX_UNIX_TIME}" in line


def test_codes_at_the_ends_of_the_range(cli: Any, tmp_path: Path) -> None:
    path = _vault_file(tmp_path)
    assert cli("codes", path, "--at", "0").code == 0
    last = cli("codes", path, "--at", str(C.MAX_UNIX_TIME), "--json")
    assert last.code == 0 and last.json()["utc"] == "9999-12-31 23:59:59 UTC"


# --- paper2fa's own sealed vault ---------------------------------------------------------------


def _sealed_files(tmp_path: Path) -> dict[str, Path]:
    copy = tmp_path / "copy.p2fa"
    copy.write_bytes(envelope.seal_with_passphrase(demo_vault(), "pw", kdf=TEST_KDF).to_bytes())
    split = tmp_path / "split.p2fa"
    split.write_bytes(sharing.make_split(demo_vault(), 2, 3, kdf=TEST_KDF).sealed_bytes)
    return {"passphrase": copy, "split": split}


@pytest.mark.parametrize("command", ["list", "codes", "import", "audit", "diff", "export",
                                     "seal"])
def test_sealed_vault_is_recognised_before_any_app_format(cli: Any, tmp_path: Path,
                                                          command: str) -> None:
    """Never taken for an andOTP export, never a password asked: the error says which command
    opens it. (Without a terminal, a password prompt would be exit 5, not 4.)"""
    out = tmp_path / "out"
    for scheme, path in _sealed_files(tmp_path).items():
        args: list[Any] = {
            "import": ["import", path, "-o", out],
            "diff": ["diff", path, path],
            "export": ["export", path, "--format", "aegis", "-o", out],
            "seal": ["seal", path, "-o", out],
        }.get(command, [command, path])
        for forced in ([], ["--input-format" if command == "export" else "--format", "andotp"]):
            result = cli(*args, *forced)
            line = clean_error(result, 4, out)
            assert "is a paper2fa sealed vault" in line
            assert "andOTP" not in result.err and "password" not in line
            if scheme == "passphrase":
                assert "paper2fa open" in result.err
            else:
                assert "2 of 3 shares" in line
                assert "paper2fa combine" in result.err and "paper2fa restore" in result.err


def test_sealed_vault_library_message_names_no_command(tmp_path: Path) -> None:
    from toolkit.errors import FormatError
    from toolkit.importers import import_bytes

    data = _sealed_files(tmp_path)["split"].read_bytes()
    assert data.startswith(C.SEALED_MAGIC) and envelope.MAGIC == C.SEALED_MAGIC
    with pytest.raises(FormatError, match="sealed vault") as caught:
        import_bytes(data, "split.p2fa", password=lambda: pytest.fail("asked for a password"))
    for command in ("paper2fa open", "paper2fa combine", "paper2fa restore", "--"):
        assert command not in caught.value.message


# --- hostile JSON ---------------------------------------------------------------------------

JSON_SAMPLES = ["aegis_plain.json", "2fas_authenticator_plain_v4.2fas", "andotp_plain.json",
                "bitwarden.json", "stratum_plain.json", "proton_authenticator.json",
                "freeotp_plus.json", "duo.json", "steam.json"]


def _deepened(data: bytes) -> bytes:
    """The sample with a value nested DEEP levels added where the format has room for it."""
    obj = json.loads(data)
    deep = "[" * DEEP + "]" * DEEP
    text = json.dumps(obj)
    if isinstance(obj, list):
        return (text[:-1] + ", " + deep + "]").encode()
    return (text[:-1] + ', "extra": ' + deep + "}").encode()


@pytest.mark.parametrize("name", JSON_SAMPLES)
def test_deeply_nested_json_in_every_json_format(cli: Any, tmp_path: Path, samples: Path,
                                                 name: str, expected_by_file: Any) -> None:
    from toolkit.importers import find_importer

    path = tmp_path / name
    path.write_bytes(_deepened((samples / name).read_bytes()))
    out = tmp_path / "out.json"
    line = clean_error(cli("import", path, "-o", out), 4, out)  # while sniffing
    assert "nested more than 32 levels deep" in line
    forced = find_importer((samples / name).read_bytes(), name).name
    line = clean_error(cli("list", path, "--format", forced), 4)  # while loading
    assert "nested more than 32 levels deep" in line


def test_deeply_nested_vault_and_bare_json(cli: Any, tmp_path: Path) -> None:
    vault = tmp_path / "vault.json"
    vault.write_bytes(b'{"format": "paper2fa-vault", "version": 1, "accounts": '
                      + b"[" * DEEP + b"]" * DEEP + b"}")
    bare = tmp_path / "bare.json"
    bare.write_bytes(b"[" * DEEP)
    for path in (vault, bare):
        for command in ("list", "audit"):
            assert "nested more than 32" in clean_error(cli(command, path), 4)
    secret = tmp_path / "secret.txt"
    secret.write_text(S)
    before = vault.read_bytes()
    clean_error(cli("add", vault, "--issuer", "X", "--name", "me", "--secret-file", secret,
                    "--yes"), 4)
    assert vault.read_bytes() == before


def test_truncated_json_export_says_so(cli: Any, tmp_path: Path, samples: Path) -> None:
    path = tmp_path / "aegis.json"
    path.write_bytes((samples / "aegis_plain.json").read_bytes()[:-40])
    assert "not valid JSON" in clean_error(cli("list", path), 4)


def test_2fas_groups_of_the_wrong_type(cli: Any, tmp_path: Path, samples: Path) -> None:
    obj = json.loads((samples / "2fas_authenticator_plain_v4.2fas").read_text())
    for groups in (5, "x", {"a": 1}):
        obj["groups"] = groups
        path = tmp_path / "backup.2fas"
        path.write_text(json.dumps(obj))
        assert "group list is damaged" in clean_error(cli("list", path), 4)


SURROGATE_VAULT = ('{"format": "paper2fa-vault", "version": 1, "accounts": [{"type": "totp", '
                   '"issuer": "Bad\\ud800", "name": "me", "secret": "JBSWY3DPEHPK3PXP", '
                   '"algorithm": "SHA1", "digits": 6, "period": 30, "counter": 0, '
                   '"notes": "", "tags": [], "recovery_codes": [], "other_factors": []}]}')


def test_lone_surrogate_in_a_vault_is_refused_by_every_command(cli: Any, tmp_path: Path) -> None:
    vault = tmp_path / "vault.json"
    vault.write_text(SURROGATE_VAULT)
    before = _frozen(vault)
    good = _vault_file(tmp_path, name="good.json")
    phrase = tmp_path / "phrase.txt"
    phrase.write_text("a long enough passphrase for the test\n")
    secret = tmp_path / "secret.txt"
    secret.write_text(S)
    codes = tmp_path / "codes.txt"
    codes.write_text("AAAA\n")
    out = tmp_path / "out"
    runs: list[tuple[Any, ...]] = [
        ("import", vault, "-o", out), ("list", vault), ("list", vault, "--json"),
        ("codes", vault), ("audit", vault), ("audit", vault, "--json"), ("diff", good, vault),
        ("export", vault, "--format", "otpauth", "-o", out),
        ("seal", vault, "--passphrase-file", phrase, "-o", out),
        ("split", vault, "-k", "2", "-n", "3", "-o", out),
        ("print", vault, "-o", out),
        ("add", vault, "--issuer", "X", "--name", "me", "--secret-file", secret, "--yes"),
        ("add-recovery-codes", vault, "--account", "Bad", "--file", codes),
    ]
    for args in runs:
        line = clean_error(cli(*args), 4, out)
        assert "the issuer holds a lone surrogate (\\ud800)" in line, args
    assert (vault.read_bytes(), vault.stat().st_mtime_ns) == before


# --- bounded time and memory ------------------------------------------------------------------

URI = f"otpauth://totp/Example:alice@example.com?secret={S}&issuer=Example\n"


def _uri_text(size: int) -> bytes:
    return URI.encode() * (size // len(URI))


def test_a_small_zip_holding_60_mb_of_uris_ends_fast(cli: Any, tmp_path: Path,
                                                    accounts_built: Any) -> None:
    """Ends fast: refused after reading one entry more than the limit, of its million (the
    work is counted, not timed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("winauth-2024-01-01.txt", _uri_text(60_000_000))
    path = tmp_path / "winauth.zip"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 400_000
    out = tmp_path / "out.json"
    line = clean_error(cli("import", path, "-o", out), 4, out)
    assert f"more than {C.MAX_IMPORT_ENTRIES} entries" in line
    assert accounts_built.n <= 2 * (C.MAX_IMPORT_ENTRIES + 1), accounts_built.n


def test_a_60_mb_uri_list_ends_fast(cli: Any, tmp_path: Path, accounts_built: Any) -> None:
    path = tmp_path / "uris.txt"
    path.write_bytes(_uri_text(60_000_000))
    out = tmp_path / "out.json"
    line = clean_error(cli("import", path, "-o", out), 4, out)
    assert f"more than {C.MAX_IMPORT_ENTRIES} entries" in line
    assert accounts_built.n <= 2 * (C.MAX_IMPORT_ENTRIES + 1), accounts_built.n


def test_huge_flat_json_is_refused_before_parsing(cli: Any, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "flat.json"
    path.write_bytes(b"[" + b"{}," * (C.MAX_JSON_VALUES + 1) + b"{}]")
    parsed: list[int] = []
    real_loads = json.loads

    def loads(text: Any, *args: Any, **kwargs: Any) -> Any:
        parsed.append(len(text))
        return real_loads(text, *args, **kwargs)

    monkeypatch.setattr(json, "loads", loads)
    line = clean_error(cli("list", path), 4)
    assert f"more than {C.MAX_JSON_VALUES} values" in line
    assert not [n for n in parsed if n > 1_000_000], parsed  # counted before any parse


def test_repeated_notes_are_summarised(cli: Any, tmp_path: Path) -> None:
    """Thousands of the same entry and of broken entries: a few lines, not thousands."""
    path = tmp_path / "uris.txt"
    path.write_text(URI * 3000 + "otpauth://totp/Broken:me?secret=ABC\n" * 3000)
    out = tmp_path / "out.json"
    result = cli("import", path, "-o", out)
    assert result.code == 0, result.err
    assert "imported 1 account " in result.out
    lines = result.err.strip().splitlines()
    assert len(lines) == C.MAX_LISTED_NOTES + 2, result.err
    assert lines[C.MAX_LISTED_NOTES] == (
        f"paper2fa: URI list: skipped {3000 - C.MAX_LISTED_NOTES} more entries: the secret has "
        f"an impossible length (3 characters): a character is missing or extra "
        f"({3000 - C.MAX_LISTED_NOTES})")
    assert "3000 entries were 1 account given more than once" in lines[-1]


def test_authenticator_plus_zip_with_a_byte_removed(cli: Any, tmp_path: Path,
                                                   samples: Path) -> None:
    data = (samples / "authenticator_plus.zip").read_bytes()
    password = tmp_path / "pw"
    password.write_text("testtesttest\n")
    path = tmp_path / "backup.zip"
    out = tmp_path / "out.json"
    for cut in range(0, len(data), max(1, len(data) // 40)):
        path.write_bytes(data[:cut] + data[cut + 1:])
        result = cli("import", path, "--password-file", password, "-o", out)
        if result.code == 0:  # a byte the format does not need (zip comment, padding)
            out.unlink()
            continue
        clean_error(result, result.code, out)
        assert result.code in (4, 5), (cut, result.err)


# --- what reaches the terminal ----------------------------------------------------------------

ESC_ISSUER = "\x1b[2J\x1b[31mRed"
FAKE_LINE = "me\nvault fingerprint: AAAA-BBBB-CCCC-DDDD"
HIDDEN_VAULT = Vault((
    Account(issuer=ESC_ISSUER, name="alice", secret=b"1" * 20, tags=("\u202eevil",)),
    Account(issuer="Forged", name=FAKE_LINE, secret=b"2" * 20),
    Account(issuer="Zero\u200bwidth", name="bob", secret=b"2" * 20, type="hotp"),
))


def _shows_nothing_hidden(text: str) -> None:
    assert "\x1b" not in text and "\u202e" not in text and "\u200b" not in text
    assert not any(line.startswith("vault fingerprint: AAAA") for line in text.splitlines())


@pytest.mark.parametrize("args", [("list",), ("codes", "--at", "59"), ("audit",)])
def test_names_from_data_are_shown_escaped(cli: Any, tmp_path: Path, args: tuple[str, ...]
                                           ) -> None:
    path = _vault_file(tmp_path, HIDDEN_VAULT)
    result = cli(args[0], path, *args[1:])
    assert result.code == 0, result.err
    _shows_nothing_hidden(result.out + result.err)
    assert "\\x1b[2J\\x1b[31mRed" in result.out
    assert "me\\nvault fingerprint: AAAA-BBBB-CCCC-DDDD" in result.out or args[0] == "list"
    # --json keeps the data exact for a reader, with no raw control or bidi character
    as_json = cli(args[0], path, *args[1:], "--json")
    assert as_json.code == 0
    _shows_nothing_hidden(as_json.out)
    issuers = json.dumps(as_json.json())
    assert json.dumps(ESC_ISSUER) in issuers and "Zero\\u200bwidth" in issuers


def test_diff_and_import_notes_show_names_escaped(cli: Any, tmp_path: Path) -> None:
    path = _vault_file(tmp_path, HIDDEN_VAULT)
    other = _vault_file(tmp_path, Vault(HIDDEN_VAULT.accounts[1:]), name="other.json")
    result = cli("diff", other, path)
    assert result.code == 1
    _shows_nothing_hidden(result.out + result.err)
    uris = tmp_path / "uris.txt"
    uris.write_text(f"otpauth://totp/%1B%5B2J%1B%5B31mRed:x?secret={S}\n"
                    f"otpauth://totp/Fine:x?secret={S}\n"
                    f"otpauth://totp/x%0Avault%20fingerprint%3A%20AAAA-BBBB-CCCC-DDDD:y?"
                    f"secret={S}\n")
    imported = cli("import", uris, "-o", tmp_path / "v.json")
    assert imported.code == 0, imported.err
    _shows_nothing_hidden(imported.out + imported.err)
    assert "\\x1b[2J" in imported.err and "share a secret" in imported.err


def test_escaping_never_changes_the_vault(cli: Any, tmp_path: Path) -> None:
    path = _vault_file(tmp_path, HIDDEN_VAULT)
    codes = tmp_path / "codes.txt"
    codes.write_text("AAAA\n")
    result = cli("add-recovery-codes", path, "--account", "Forged:" + FAKE_LINE, "--file", codes)
    assert result.code == 0, result.err
    saved = vault_from_json(path.read_bytes())
    assert {a.issuer for a in saved.accounts} == {a.issuer for a in HIDDEN_VAULT.accounts}
    assert {a.name for a in saved.accounts} == {a.name for a in HIDDEN_VAULT.accounts}


@pytest.mark.parametrize("holder", ["Ann\u202e", "A\u200bnn", "Ann\x1b[2J", "Ann\nBen",
                                    "An\u2028n"])
def test_holder_names_must_show_as_typed(cli: Any, tmp_path: Path, holder: str) -> None:
    out = tmp_path / "sheets"
    result = cli("split", _vault_file(tmp_path), "-k", "2", "-n", "2", "--holder", holder,
                 "--holder", "Ben", "-o", out)
    line = clean_error(result, 2, out)
    assert "do not show as themselves" in line
    _shows_nothing_hidden(result.err)
    with pytest.raises(Exception, match="do not show as themselves"):
        sharing.check_holder(holder)
    assert sharing.check_holder("  Zoë O'Brien-Łukasz ") == "Zoë O'Brien-Łukasz"
