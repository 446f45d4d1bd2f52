"""Importers for rooted-phone copies and other app files: FreeOTP 1/2, FreeOTP+ XML, Authy,
Steam, Battle.net, Duo, WinAuth and Google Authenticator's legacy database, against the real
sample exports (sniffed, no --format), plus wrong passwords and damaged input."""

from __future__ import annotations

import io
import json
import random
import struct
import zipfile
import zlib
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from toolkit.errors import FormatError, WrongPasswordError
from toolkit.importers import find_importer, import_bytes
from toolkit.model import Account, vault_from_json

ROOTED = {
    "freeotp.xml": "freeotp",
    "freeotp_plus_internal.xml": "freeotp-plus-xml",
    "freeotp_v2_api23.xml": "freeotp2",
    "freeotp_v2_api25.xml": "freeotp2",
    "freeotp_v2_api27.xml": "freeotp2",
    "freeotp_v2_api34.xml": "freeotp2",
    "freeotp_v2_null_algo.xml": "freeotp2",
    "authy_plain.xml": "authy",
    "authy_encrypted.xml": "authy",
    "steam.json": "steam",
    "steam_old.json": "steam",
    "battle_net_authenticator.xml": "battlenet",
    "duo.json": "duo",
    "google_authenticator.sqlite": "google-legacy",
}
ENCRYPTED = [n for n, fmt in ROOTED.items() if fmt == "freeotp2" or n == "authy_encrypted.xml"]


def key_of(a: Account) -> tuple[Any, ...]:
    return (a.issuer, a.name, a.type, a.algorithm, a.digits,
            a.counter if a.type == "hotp" else a.period, a.secret_base32)


def expected_keys(entry: dict[str, Any], counter_offset: int) -> set[tuple[Any, ...]]:
    return {
        (e["issuer"], e["name"], e["type"], e["algorithm"], e["digits"],
         e["counter"] + counter_offset if e["type"] == "hotp" else e["period"], e["secret"])
        for e in entry["accounts"]
    }


def load(samples: Path, name: str, password: str | None) -> tuple[str, set[tuple[Any, ...]]]:
    data = (samples / name).read_bytes()
    importer = find_importer(data, name)

    def give() -> str:
        assert password is not None, "asked for a password on a plain file"
        return password

    result = importer.load(data, give)
    return importer.name, {key_of(a) for a in result.vault.accounts}


@pytest.mark.parametrize("name", sorted(ROOTED))
def test_sample_imports_exactly_the_expected_accounts(
    name: str, samples: Path, expected_by_file: dict[str, Any]
) -> None:
    entry = expected_by_file[name]
    fmt, got = load(samples, name, entry["password"])
    assert fmt == ROOTED[name]
    assert got == expected_keys(entry, 0)


def test_winauth_text_is_the_otpauth_list(samples: Path, expected_by_file: dict[str, Any]) -> None:
    data = (samples / "plain.txt").read_bytes()
    assert find_importer(data, "plain.txt").name == "otpauth"  # sniffing leaves text there
    forced = import_bytes(data, "plain.txt", forced="winauth")
    assert {key_of(a) for a in forced.vault.accounts} == expected_keys(
        expected_by_file["plain.txt"], 0)


# --- WinAuth zips, written here: stored, and ZipCrypto-encrypted --------------------------------


def _zipcrypto_stream(password: bytes, plain: bytes, check: int, rng: random.Random) -> bytes:
    keys = [0x12345678, 0x23456789, 0x34567890]

    def crc_byte(crc: int, byte: int) -> int:
        return zlib.crc32(bytes([byte]), crc ^ 0xFFFFFFFF) ^ 0xFFFFFFFF

    def update(byte: int) -> None:
        keys[0] = crc_byte(keys[0], byte)
        keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = crc_byte(keys[2], keys[1] >> 24)

    for byte in password:
        update(byte)
    out = bytearray()
    for byte in bytes(rng.randrange(256) for _ in range(11)) + bytes([check]) + plain:
        temp = (keys[2] | 2) & 0xFFFF
        out.append(byte ^ (((temp * (temp ^ 1)) >> 8) & 0xFF))
        update(byte)
    return bytes(out)


def winauth_zip(text: bytes, password: bytes | None, name: str = "winauth-2024-01-01.txt") -> bytes:
    crc = zlib.crc32(text)
    flags = 1 if password else 0
    body = (_zipcrypto_stream(password, text, crc >> 24, random.Random(5)) if password
            else text)
    fname = name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 0, 0, 0, crc, len(body),
                        len(text), len(fname), 0) + fname
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, 0, 0, 0, crc,
                          len(body), len(text), len(fname), 0, 0, 0, 0, 0, 0) + fname
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central),
                      len(local) + len(body), 0)
    return local + body + central + end


def test_winauth_zip_plain_and_encrypted(samples: Path, expected_by_file: dict[str, Any]) -> None:
    text = (samples / "plain.txt").read_bytes()
    expected = expected_keys(expected_by_file["plain.txt"], 0)
    plain = winauth_zip(text, None)
    assert zipfile.ZipFile(io.BytesIO(plain)).read("winauth-2024-01-01.txt") == text
    assert find_importer(plain, "export.zip").name == "winauth"
    got = import_bytes(plain, "export.zip")
    assert {key_of(a) for a in got.vault.accounts} == expected
    sealed = winauth_zip(text, b"s3cret")
    assert find_importer(sealed, "export.zip").name == "winauth"
    got = import_bytes(sealed, "export.zip", password=lambda: "s3cret")
    assert {key_of(a) for a in got.vault.accounts} == expected
    for wrong in ["s3creT", "", "other", "x" * 40]:
        with pytest.raises(WrongPasswordError, match="wrong password for this WinAuth export"):
            import_bytes(sealed, "export.zip", password=partial(str, wrong))


def test_winauth_zip_with_garbage_is_format_error() -> None:
    with pytest.raises(FormatError, match="no usable accounts"):
        import_bytes(winauth_zip(b"hello\nworld\n", None), "w.zip")


# --- wrong passwords through the CLI ------------------------------------------------------------


@pytest.mark.parametrize("name", ENCRYPTED)
def test_wrong_password_exits_5_without_output(
    name: str, samples: Path, tmp_path: Path, cli: Any
) -> None:
    pw = tmp_path / "pw"
    pw.write_text("not the password\n")
    out = tmp_path / "vault.json"
    result = cli("import", samples / name, "--password-file", pw, "-o", out)
    assert result.code == 5, result.err
    errors = [ln for ln in result.err.splitlines() if ln.startswith("paper2fa: error:")]
    assert len(errors) == 1 and "wrong password" in errors[0]
    assert "Traceback" not in result.err and "not the password" not in result.err
    assert not out.exists() and list(tmp_path.iterdir()) == [pw]


def test_winauth_wrong_password_exits_5(samples: Path, tmp_path: Path, cli: Any) -> None:
    src = tmp_path / "winauth.zip"
    src.write_bytes(winauth_zip((samples / "plain.txt").read_bytes(), b"right"))
    pw = tmp_path / "pw"
    pw.write_text("wrong\n")
    out = tmp_path / "vault.json"
    result = cli("import", src, "--password-file", pw, "-o", out)
    assert result.code == 5 and "wrong password" in result.err
    assert not out.exists()
    pw.write_text("right\n")
    result = cli("import", src, "--password-file", pw, "-o", out)
    assert result.code == 0, result.err
    assert len(vault_from_json(out.read_bytes())) == 7


@pytest.mark.parametrize("name", ["authy_encrypted.xml", "freeotp_v2_api34.xml", "steam.json"])
def test_cli_import_sniffed(name: str, samples: Path, tmp_path: Path, cli: Any,
                            expected_by_file: dict[str, Any]) -> None:
    out = tmp_path / "vault.json"
    args: list[Any] = ["import", samples / name, "-o", out]
    password = expected_by_file[name]["password"]
    if password:
        (tmp_path / "pw").write_text(password + "\n")
        args[2:2] = ["--password-file", tmp_path / "pw"]
    result = cli(*args)
    assert result.code == 0, result.err
    vault = vault_from_json(out.read_bytes())
    assert {key_of(a) for a in vault.accounts} == expected_keys(expected_by_file[name], 0)
    assert out.stat().st_mode & 0o777 == 0o600


# --- damaged and hostile input ------------------------------------------------------------------


def test_freeotp2_hostile_iteration_count_is_refused(samples: Path) -> None:
    data = (samples / "freeotp_v2_api23.xml").read_bytes()
    assert data.count(b'"mIterations":100000') == 1
    hostile = data.replace(b'"mIterations":100000', b'"mIterations":-10000')
    with pytest.raises(FormatError, match="PBKDF2 iteration count"):
        import_bytes(hostile, "x.xml", password=lambda: "test")


@pytest.mark.parametrize("cut", [10, 200, 1000])
def test_freeotp2_truncated_is_format_error(samples: Path, cut: int) -> None:
    data = (samples / "freeotp_v2_api25.xml").read_bytes()[:cut]
    with pytest.raises(FormatError):
        import_bytes(data, "x.xml", password=lambda: "test")


def test_freeotp2_tampered_token_is_skipped_with_a_note(samples: Path) -> None:
    data = bytearray((samples / "freeotp_v2_api27.xml").read_bytes())
    marker = b'\\"mCipherText\\":['  # inside a token entry (the master key's has no backslash)
    at = data.index(marker) + len(marker)
    while chr(data[at + 1]).isdigit():  # the last digit of the first byte value
        at += 1
    data[at] = ord("1") if data[at] == ord("0") else data[at] - 1  # the GCM tag fails now
    result = import_bytes(bytes(data), "x.xml", password=lambda: "test")
    assert len(result.vault.accounts) == 5
    assert len(result.notes) == 1 and "does not decrypt" in result.notes[0]


def test_authy_tampered_ciphertext_is_wrong_password(samples: Path) -> None:
    text = (samples / "authy_encrypted.xml").read_text()
    tampered = text.replace("94mk0erEKRYU7UKn4o6WAPWR", "94mk0erEKRYU7UKn4o6WAPWQ")
    with pytest.raises(WrongPasswordError):
        import_bytes(tampered.encode(), "a.xml", password=lambda: "testtest")


def test_xml_with_doctype_is_refused() -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE map [<!ENTITY a "aaaa">]>'
            b'<map><string name="com.authy.storage.tokens.authenticator.key">&a;</string></map>')
    with pytest.raises(FormatError, match="DOCTYPE"):
        import_bytes(bomb, "a.xml")


def test_bad_entries_become_notes() -> None:
    duo = json.dumps([
        {"name": "good", "otpGenerator": {"otpSecret": "JBSWY3DPEHPK3PXP"}},
        {"name": "bad", "otpGenerator": {"otpSecret": "not base32!"}},
    ]).encode()
    result = import_bytes(duo, "duo.json")
    assert [a.name for a in result.vault.accounts] == ["good"]
    assert len(result.notes) == 1 and "bad" in result.notes[0]
    assert "not base32!" not in result.notes[0]
    steam = json.dumps({"accounts": {"1": {"shared_secret": "%%%", "account_name": "x"},
                                     "2": {"shared_secret": "THIl8+Jl6ugxr8x0X6eRMg==",
                                           "account_name": "y", "revocation_code": "R1"}}})
    result = import_bytes(steam.encode(), "steam.json")
    assert [(a.name, a.type, a.notes) for a in result.vault.accounts] == [
        ("y", "steam", "Steam revocation code: R1")]


def test_google_legacy_wal_mode_copy_reads(samples: Path) -> None:
    data = bytearray((samples / "google_authenticator.sqlite").read_bytes())
    data[18:20] = b"\x02\x02"
    assert len(import_bytes(bytes(data), "databases").vault.accounts) == 6
    with pytest.raises(FormatError):
        import_bytes(bytes(data[:2000]), "databases", forced="google-legacy")


def test_battlenet_without_secret_is_format_error(samples: Path) -> None:
    text = (samples / "battle_net_authenticator.xml").read_text()
    lines = [ln for ln in text.splitlines() if "DEVICE_SECRET" not in ln]
    with pytest.raises(FormatError, match="no device secret"):
        import_bytes("\n".join(lines).encode(), "b.xml", forced="battlenet")
