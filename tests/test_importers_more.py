"""Importers for Stratum, TOTP Authenticator, Authenticator Plus and the encrypted exports of
Bitwarden, Ente Auth and Proton Authenticator: real samples, generated fixtures, wrong
passwords, hostile parameters, and nothing written outside memory."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import random
import sqlite3
import tempfile
import zipfile
import zlib
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from fixtures.make_encrypted_fixtures import cbc_unpads

from toolkit.errors import FormatError, Paper2faError, WrongPasswordError
from toolkit.importers import bitwarden_encrypted, find_importer, import_bytes
from toolkit.model import Account, vault_from_json

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "encrypted"
MANIFEST: dict[str, Any] = json.loads((FIXTURES / "manifest.json").read_text())

SAMPLES = {  # sample file -> the --format name it must be sniffed as
    "stratum_plain.json": "stratum",
    "stratum_encrypted.bin": "stratum-encrypted",
    "stratum_encrypted_legacy.bin": "stratum-encrypted",
    "stratum_internal.db": "stratum-db",
    "totp_authenticator.bin": "totp-authenticator",
    "totp_authenticator_internal.xml": "totp-authenticator-xml",
    "authenticator_plus.zip": "authenticator-plus",
}
ENCRYPTED_SAMPLES = ["stratum_encrypted.bin", "stratum_encrypted_legacy.bin",
                     "totp_authenticator.bin", "authenticator_plus.zip"]
FIXTURES_WITH_ACCOUNTS = sorted(n for n, info in MANIFEST.items() if info["accounts"])

Key = tuple[str, str, str, str, int, int, str]


def expected_keys(accounts: list[dict[str, Any]]) -> set[Key]:
    return {
        (a["issuer"], a["name"], a["type"], a["algorithm"], a["digits"],
         a["counter"] if a["type"] == "hotp" else a["period"], a["secret"])
        for a in accounts
    }


def account_keys(accounts: tuple[Account, ...]) -> set[Key]:
    return {
        (a.issuer, a.name, a.type, a.algorithm, a.digits,
         a.counter if a.type == "hotp" else a.period, a.secret_base32)
        for a in accounts
    }


def run_import(cli: Any, tmp_path: Path, source: Path, password: str | None) -> Any:
    out = tmp_path / "vault.json"
    args = ["import", str(source), "-o", str(out)]
    if password is not None:
        pw = tmp_path / "password.txt"
        pw.write_text(password + "\n")
        args += ["--password-file", str(pw)]
    return cli(*args), out


def assert_one_line_error(err: str, text: str) -> None:
    errors = [line for line in err.splitlines() if line.startswith("paper2fa: error:")]
    assert len(errors) == 1, err
    assert text in errors[0]
    assert "Traceback" not in err


# --- real sample files ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_imports_exactly(cli: Any, tmp_path: Path, samples: Path,
                                expected_by_file: dict[str, Any], name: str) -> None:
    data = (samples / name).read_bytes()
    assert find_importer(data, name).name == SAMPLES[name]
    expected = expected_by_file[name]
    result, out = run_import(cli, tmp_path, samples / name, expected["password"])
    assert result.code == 0, result.err
    vault = vault_from_json(out.read_bytes())
    assert account_keys(vault.accounts) == expected_keys(expected["accounts"])


@pytest.mark.parametrize("name", ENCRYPTED_SAMPLES)
def test_sample_wrong_password(cli: Any, tmp_path: Path, samples: Path, name: str) -> None:
    result, out = run_import(cli, tmp_path, samples / name, "not the password")
    assert result.code == 5
    assert_one_line_error(result.err, "wrong password")
    assert not out.exists()


# --- generated fixtures (tests/fixtures/make_encrypted_fixtures.py) -------------------------


@pytest.mark.parametrize("name", FIXTURES_WITH_ACCOUNTS)
def test_fixture_imports_exactly(cli: Any, tmp_path: Path, name: str) -> None:
    info = MANIFEST[name]
    data = (FIXTURES / name).read_bytes()
    assert find_importer(data, name).name == info["format"]
    result, out = run_import(cli, tmp_path, FIXTURES / name, info["password"])
    assert result.code == 0, result.err
    vault = vault_from_json(out.read_bytes())
    assert account_keys(vault.accounts) == expected_keys(info["accounts"])


def test_stratum_categories_become_tags() -> None:
    info = MANIFEST["stratum_legacy_unpads.bin"]
    data = (FIXTURES / "stratum_legacy_unpads.bin").read_bytes()
    vault = import_bytes(data, "backup.bin", partial(str, info["password"])).vault
    assert {a.secret_base32: list(a.tags) for a in vault.accounts} == {
        a["secret"]: a["tags"] for a in info["accounts"]}
    assert any(a.tags for a in vault.accounts)


def test_stratum_database_categories_become_tags(samples: Path) -> None:
    image = bytearray((samples / "stratum_internal.db").read_bytes())
    image[18:20] = b"\x01\x01"  # out of WAL mode, to edit it in memory here
    conn = sqlite3.connect(":memory:")
    conn.deserialize(bytes(image))
    conn.execute("INSERT INTO category VALUES ('k1', 'Travel', 0)")
    conn.execute("INSERT INTO authenticatorcategory VALUES "
                 "('k1', 'KUVJJOM753IHTNDSZVCNKL7GII', 0)")
    conn.commit()
    data = conn.serialize()
    conn.close()
    vault = import_bytes(data, "authenticator.db3").vault
    tagged = {a.issuer: a.tags for a in vault.accounts if a.tags}
    assert tagged == {"Air Canada": ("Travel",)}


@pytest.mark.parametrize("name", FIXTURES_WITH_ACCOUNTS)
def test_fixture_wrong_password(cli: Any, tmp_path: Path, name: str) -> None:
    result, out = run_import(cli, tmp_path, FIXTURES / name, "not the password")
    assert result.code == 5
    assert_one_line_error(result.err, "wrong password")
    assert not out.exists()


def test_account_restricted_bitwarden_is_refused(cli: Any, tmp_path: Path) -> None:
    result, out = run_import(cli, tmp_path, FIXTURES / "bitwarden_account_restricted.json",
                             "any password")
    assert result.code == 4
    assert_one_line_error(result.err, "can only be opened inside Bitwarden")
    assert not out.exists()


def test_fixture_wrong_passwords_really_unpad() -> None:
    """The recorded wrong passwords decrypt to valid padding, so only validation stops them."""
    totp = MANIFEST["totp_authenticator_unpads.bin"]["wrong_password_that_unpads"]
    ciphertext = base64.b64decode((FIXTURES / "totp_authenticator_unpads.bin").read_bytes())
    assert cbc_unpads(hashlib.sha256(totp.encode()).digest(), bytes(16), ciphertext)

    stratum = MANIFEST["stratum_legacy_unpads.bin"]["wrong_password_that_unpads"]
    data = (FIXTURES / "stratum_legacy_unpads.bin").read_bytes()
    salt, iv, body = data[16:36], data[36:52], data[52:]
    key = PBKDF2HMAC(hashes.SHA1(), 32, salt, 64000).derive(stratum.encode())
    assert cbc_unpads(key, iv, body)


@pytest.mark.parametrize("name", ["totp_authenticator_unpads.bin", "stratum_legacy_unpads.bin"])
def test_wrong_password_that_unpads_is_a_wrong_password(cli: Any, tmp_path: Path,
                                                        name: str) -> None:
    wrong = MANIFEST[name]["wrong_password_that_unpads"]
    result, out = run_import(cli, tmp_path, FIXTURES / name, wrong)
    assert result.code == 5
    assert_one_line_error(result.err, "wrong password")
    assert not out.exists()


def test_bitwarden_key_stretch_matches_published_vector() -> None:
    """bitwarden/sdk crates/bitwarden-crypto/src/keys/utils.rs, test_stretch_kdf_key."""
    master = bytes([31, 79, 104, 226, 150, 71, 177, 90, 194, 80, 172, 209, 17, 129, 132, 81,
                    138, 167, 69, 167, 254, 149, 2, 27, 39, 197, 64, 42, 22, 195, 86, 75])
    assert bitwarden_encrypted._stretch(master, b"enc") == bytes(
        [111, 31, 178, 45, 238, 152, 37, 114, 143, 215, 124, 83, 135, 173, 195, 23, 142, 134,
         120, 249, 61, 132, 163, 182, 113, 197, 189, 204, 188, 21, 237, 96])
    assert bitwarden_encrypted._stretch(master, b"mac") == bytes(
        [221, 127, 206, 234, 101, 27, 202, 38, 86, 52, 34, 28, 78, 28, 185, 16, 48, 61, 127,
         166, 209, 247, 194, 87, 232, 26, 48, 85, 193, 249, 179, 155])


def test_bitwarden_damaged_data_is_not_a_wrong_password(cli: Any, tmp_path: Path) -> None:
    obj = json.loads((FIXTURES / "bitwarden_pbkdf2.json").read_text())
    iv, ct, mac = obj["data"][2:].split("|")
    raw = bytearray(base64.b64decode(ct))
    raw[0] ^= 1
    obj["data"] = f"2.{iv}|{base64.b64encode(bytes(raw)).decode()}|{mac}"
    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps(obj))
    result, out = run_import(cli, tmp_path, damaged, MANIFEST["bitwarden_pbkdf2.json"]["password"])
    assert result.code == 4
    assert_one_line_error(result.err, "damaged")
    assert not out.exists()


# --- hostile input --------------------------------------------------------------------------


def _edited(name: str, edit: dict[str, Any]) -> bytes:
    obj = json.loads((FIXTURES / name).read_text())
    for key, value in edit.items():
        if isinstance(value, dict):
            obj[key].update(value)
        else:
            obj[key] = value
    return json.dumps(obj).encode()


HOSTILE = [
    ("bitwarden_pbkdf2.json", {"kdfIterations": 2**31 - 1}, "PBKDF2 iteration count"),
    ("bitwarden_argon2id.json", {"kdfMemory": 4_000_000}, "Argon2 memory"),
    ("bitwarden_argon2id.json", {"kdfIterations": 10_000}, "Argon2 passes"),
    ("bitwarden_argon2id.json", {"kdfParallelism": 2**24}, "Argon2 parallelism"),
    ("ente_tag_final.json", {"kdfParams": {"memLimit": 2**42}}, "Argon2 memory"),
    ("ente_tag_final.json", {"kdfParams": {"opsLimit": 10**6}}, "Argon2 passes"),
    ("ente_tag_final.json", {"kdfParams": {"opsLimit": "3"}}, "Argon2 passes"),
]


@pytest.mark.parametrize(("name", "edit", "what"), HOSTILE)
def test_hostile_kdf_parameters_are_refused_before_any_kdf(name: str, edit: dict[str, Any],
                                                           what: str, kdf_runs: list[Any]
                                                           ) -> None:
    asked: list[bool] = []

    def password() -> str:
        asked.append(True)
        return "whatever"

    with pytest.raises(FormatError) as caught:
        import_bytes(_edited(name, edit), name, password)
    assert what in caught.value.message
    assert asked == []  # refused before the password was even asked for
    assert kdf_runs == []  # and no KDF was started


def test_hostile_kdf_parameter_exit_code(cli: Any, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.json"
    hostile.write_bytes(_edited("bitwarden_pbkdf2.json", {"kdfIterations": 10**12}))
    result, out = run_import(cli, tmp_path, hostile, "whatever")
    assert result.code == 4
    assert_one_line_error(result.err, "refusing to process it")
    assert not out.exists()


def test_zip_entry_too_large_is_refused_before_reading(samples: Path) -> None:
    data = bytearray((samples / "authenticator_plus.zip").read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 24:central + 28] = (0xFFFFFFF0).to_bytes(4, "little")  # uncompressed size
    with pytest.raises(FormatError, match="refusing to decompress"):
        import_bytes(bytes(data), "authenticator_plus.zip", lambda: "testtesttest")


def test_plain_zip_with_other_content_is_a_format_error() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Accounts.txt", "hello, not a URI\n")
    with pytest.raises(FormatError, match="not a list of otpauth"):
        import_bytes(buffer.getvalue(), "plain.zip", forced="authenticator-plus")


def test_stratum_database_with_a_view_is_refused() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE authenticatorcategory (categoryId varchar)")
    conn.execute('CREATE VIEW "authenticator" AS SELECT 2 AS type, \'A\' AS secret')
    data = conn.serialize()
    conn.close()
    with pytest.raises(FormatError, match="no authenticator table"):
        import_bytes(data, "x.db", forced="stratum-db")


@pytest.mark.parametrize(("name", "edit"), [
    ("proton_encrypted.json", {"version": 2}),
    ("ente_tag_final.json", {"version": 2}),
])
def test_unknown_versions_are_refused(name: str, edit: dict[str, Any]) -> None:
    with pytest.raises(FormatError, match="version 2 is not supported"):
        import_bytes(_edited(name, edit), name, lambda: "whatever")


# --- nothing written anywhere ---------------------------------------------------------------


def test_nothing_is_written_to_temp_or_beside_the_input(
        samples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    trap = tmp_path / "tmp-trap"
    trap.mkdir()
    trap.chmod(0o500)
    monkeypatch.setenv("TMPDIR", str(trap))
    monkeypatch.setattr(tempfile, "tempdir", str(trap))
    before = {p: sorted(os.listdir(p)) for p in (samples, FIXTURES)}
    sample_passwords = {"totp_authenticator.bin": "Testtest1",
                        "authenticator_plus.zip": "testtesttest"}
    jobs = [(samples / n, sample_passwords.get(n, "test")) for n in ENCRYPTED_SAMPLES]
    jobs += [(FIXTURES / n, MANIFEST[n]["password"]) for n in FIXTURES_WITH_ACCOUNTS]
    try:
        for path, password in jobs:
            data = path.read_bytes()
            assert len(import_bytes(data, path.name, partial(str, password)).vault) > 0
            with pytest.raises(WrongPasswordError):
                import_bytes(data, path.name, lambda: "wrong wrong")
        database = samples / "stratum_internal.db"
        assert len(import_bytes(database.read_bytes(), database.name).vault) == 7
        assert os.listdir(trap) == []
        assert {p: sorted(os.listdir(p)) for p in (samples, FIXTURES)} == before
    finally:
        trap.chmod(0o700)


ALL_FILES = [*[(n, SAMPLES[n]) for n in sorted(SAMPLES)],
             *[(n, MANIFEST[n]["format"]) for n in sorted(MANIFEST)]]


@pytest.mark.parametrize(("name", "fmt"), ALL_FILES)
def test_damaged_files_give_clear_errors(samples: Path, name: str, fmt: str) -> None:
    """Truncated or bit-flipped files raise paper2fa errors (exit codes), never a traceback."""
    path = FIXTURES / name if name in MANIFEST else samples / name
    data = path.read_bytes()
    rng = random.Random(name)
    slow = name == "stratum_encrypted.bin"  # fixed Argon2id 64 MiB x 3: fewer full decryptions
    cuts = (0, 17) if slow else (0, 17, 60, len(data) // 2, len(data) - 1)
    variants = [data[:k] for k in cuts]
    for _ in range(1 if slow else 3):
        flipped = bytearray(data)
        flipped[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        variants.append(bytes(flipped))
    for variant in variants:
        try:
            import_bytes(variant, name, lambda: "test", forced=fmt)
        except Paper2faError as exc:
            assert "\n" not in exc.message


def test_preferences_xml_with_entities_is_refused() -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE map [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<map><string name="STATIC_TOTP_CODES_LIST">&b;</string></map>')
    with pytest.raises(FormatError, match="DOCTYPE"):
        import_bytes(bomb, "prefs.xml")


def test_zipcrypto_wrong_password_past_the_check_byte(samples: Path) -> None:
    """ZipCrypto checks one byte: find a wrong password that passes it, and see it refused."""
    data = (samples / "authenticator_plus.zip").read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo("Accounts.txt")
    for number in range(5000):
        candidate = f"wrong-{number}"
        try:
            with archive.open(info, pwd=candidate.encode()) as stream:
                stream.read()
        except RuntimeError:  # "Bad password": stopped by the check byte
            continue
        except (zipfile.BadZipFile, zlib.error):
            break  # past the check byte, stopped later by deflate or CRC-32
        pytest.fail("a wrong password decrypted the zip entry")  # pragma: no cover
    else:  # pragma: no cover
        pytest.fail("no wrong password passed the check byte")
    with pytest.raises(WrongPasswordError):
        import_bytes(data, "authenticator_plus.zip", partial(str, candidate))


def test_aes_zip_is_refused_clearly(samples: Path) -> None:
    data = bytearray((samples / "authenticator_plus.zip").read_bytes())
    central = data.index(b"PK\x01\x02")
    data[8:10] = data[central + 10:central + 12] = (99).to_bytes(2, "little")
    with pytest.raises(FormatError, match="WinZip AES encryption, which is not supported"):
        import_bytes(bytes(data), "authenticator_plus.zip", lambda: "testtesttest")
