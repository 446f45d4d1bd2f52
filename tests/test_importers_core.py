"""The core importers against the real sample exports, the Google migration fixtures, and bad
input: wrong passwords, damaged files, unknown versions and hostile KDF costs."""

from __future__ import annotations

import base64
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from toolkit.cli.image_import import import_export
from toolkit.errors import (
    FormatError,
    PasswordRequiredError,
    ScanError,
    UnknownVersionError,
    WrongPasswordError,
)
from toolkit.importers import _sqlite, find_importer, import_bytes
from toolkit.model import Account, vault_from_json

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "gauth"

CORE_SAMPLES = {
    "aegis_plain.json": "aegis",
    "aegis_encrypted.json": "aegis",
    "2fas_authenticator.json": "2fas",
    "2fas_authenticator_plain.2fas": "2fas",
    "2fas_authenticator_plain_v3.2fas": "2fas",
    "2fas_authenticator_plain_v4.2fas": "2fas",
    "2fas_authenticator_encrypted.2fas": "2fas",
    "2fas_authenticator_encrypted_v3.2fas": "2fas",
    "2fas_authenticator_encrypted_v4.2fas": "2fas",
    "andotp_plain.json": "andotp",
    "andotp_encrypted.bin": "andotp",
    "andotp_encrypted_old.bin": "andotp",
    "bitwarden.json": "bitwarden",
    "bitwarden.csv": "bitwarden-csv",
    "ente_auth.txt": "ente",
    "plain.txt": "otpauth",
    "proton_authenticator.json": "proton",
    "freeotp_plus.json": "freeotp-plus",
    "microsoft_authenticator.sqlite": "microsoft",
}
ENCRYPTED = sorted(n for n in CORE_SAMPLES if "encrypted" in n)
# expected-by-file.json's notes: Bitwarden's bare steam:// entry carries no issuer or name, so
# it is compared on secret and Steam-ness only (this importer names it after the item).
NAME_FREE_STEAM = {"bitwarden.json", "bitwarden.csv"}


def _key(issuer: str, name: str, type_: str, algorithm: str, digits: int, period: int,
         counter: int, secret: str) -> tuple[Any, ...]:
    return (issuer, name, type_, algorithm, digits, counter if type_ == "hotp" else period,
            secret)


def _got(accounts: tuple[Account, ...] | list[Account]) -> set[tuple[Any, ...]]:
    return {_key(a.issuer, a.name, a.type, a.algorithm, a.digits, a.period, a.counter,
                 a.secret_base32) for a in accounts}


def _want(entries: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    return {_key(e["issuer"], e["name"], e["type"], e["algorithm"], e["digits"],
                 e.get("period", 30), e.get("counter", 0), e["secret"]) for e in entries}


def _split_steam(keys: set[tuple[Any, ...]]) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    steam = {(k[2], k[6]) for k in keys if k[2] == "steam"}
    return {k for k in keys if k[2] != "steam"}, steam


def _password_of(expected_by_file: dict[str, Any], name: str) -> Any:
    password = expected_by_file[name]["password"]

    def get() -> str:
        assert password is not None, f"{name} asked for a password but is not encrypted"
        return str(password)

    return get


@pytest.mark.parametrize("name", sorted(CORE_SAMPLES))
def test_sample_imports_exactly_the_expected_accounts(
    name: str, samples: Path, expected_by_file: dict[str, Any]
) -> None:
    data = (samples / name).read_bytes()
    assert find_importer(data, name).name == CORE_SAMPLES[name]
    result = import_bytes(data, name, password=_password_of(expected_by_file, name))
    got, want = _got(result.vault.accounts), _want(expected_by_file[name]["accounts"])
    assert len(result.vault) == len(expected_by_file[name]["accounts"])
    if name in NAME_FREE_STEAM:
        got, got_steam = _split_steam(got)
        want, want_steam = _split_steam(want)
        assert got_steam == want_steam
    assert got == want
    assert result.notes == ()


@pytest.mark.parametrize("name", sorted(CORE_SAMPLES))
def test_sample_imports_through_the_cli(
    name: str, samples: Path, expected_by_file: dict[str, Any], tmp_path: Path, cli: Any
) -> None:
    out = tmp_path / "vault.json"
    args = ["import", samples / name, "-o", out]
    password = expected_by_file[name]["password"]
    if password is not None:
        (tmp_path / "pw").write_text(password + "\n")
        args[2:2] = ["--password-file", tmp_path / "pw"]
    result = cli(*args)
    assert result.code == 0, result.err
    vault = vault_from_json(out.read_bytes())
    assert len(vault) == len(expected_by_file[name]["accounts"])
    assert out.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("name", ENCRYPTED)
def test_wrong_password_exits_5_without_output(
    name: str, samples: Path, tmp_path: Path, cli: Any
) -> None:
    pw = tmp_path / "pw"
    pw.write_text("not the password\n")
    out = tmp_path / "vault.json"
    result = cli("import", samples / name, "--password-file", pw, "-o", out)
    assert result.code == 5
    errors = [line for line in result.err.splitlines() if line.startswith("paper2fa: error:")]
    assert len(errors) == 1 and "wrong password" in errors[0]
    assert "Traceback" not in result.err and "not the password" not in result.err
    assert not out.exists() and list(tmp_path.iterdir()) == [pw]


def test_wrong_password_message_names_the_app(samples: Path) -> None:
    data = (samples / "aegis_encrypted.json").read_bytes()
    with pytest.raises(WrongPasswordError, match="wrong password for this Aegis export"):
        import_bytes(data, "a.json", password=lambda: "nope")


def test_encrypted_file_without_a_terminal_asks_for_password_file(
    samples: Path, tmp_path: Path, cli: Any
) -> None:
    out = tmp_path / "vault.json"
    result = cli("import", samples / "aegis_encrypted.json", "-o", out)
    assert result.code == 5
    assert "--password-file" in result.err and "Traceback" not in result.err
    assert not out.exists()


def test_no_password_source_raises_password_required(samples: Path) -> None:
    with pytest.raises(PasswordRequiredError):
        import_bytes((samples / "andotp_encrypted.bin").read_bytes(), "andotp_encrypted.bin")


# --- damaged and hostile input ----------------------------------------------------------------


def test_truncated_json_is_a_format_error(samples: Path, tmp_path: Path, cli: Any) -> None:
    data = (samples / "aegis_plain.json").read_bytes()
    cut = tmp_path / "cut.json"
    cut.write_bytes(data[: len(data) // 2])
    out = tmp_path / "vault.json"
    sniffed = cli("import", cut, "-o", out)
    assert sniffed.code == 4 and "Traceback" not in sniffed.err
    forced = cli("import", cut, "--format", "aegis", "-o", out)
    assert forced.code == 4 and "not valid JSON" in forced.err
    assert not out.exists()


def _aegis_plain(samples: Path) -> dict[str, Any]:
    obj: dict[str, Any] = json.loads((samples / "aegis_plain.json").read_text())
    return obj


def test_file_with_nothing_valid_is_an_error(samples: Path, tmp_path: Path, cli: Any) -> None:
    obj = _aegis_plain(samples)
    for entry in obj["db"]["entries"]:
        entry["info"]["secret"] = "not base32 at all!"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(obj))
    with pytest.raises(FormatError, match="no usable accounts"):
        import_bytes(path.read_bytes(), "broken.json")
    result = cli("import", path, "-o", tmp_path / "out.json")
    assert result.code == 4 and "no usable accounts" in result.err
    assert not (tmp_path / "out.json").exists()


def test_bad_entries_are_skipped_with_notes(samples: Path) -> None:
    obj = _aegis_plain(samples)
    obj["db"]["entries"][0]["info"]["algo"] = "MD5"
    obj["db"]["entries"][1]["type"] = "yandex"
    result = import_bytes(json.dumps(obj).encode(), "a.json")
    assert len(result.vault) == len(obj["db"]["entries"]) - 2
    assert len(result.notes) == 2
    assert "MD5" in result.notes[0] and "yandex" in result.notes[1]


def test_unknown_aegis_db_version(samples: Path) -> None:
    obj = _aegis_plain(samples)
    obj["db"]["version"] = 4
    with pytest.raises(UnknownVersionError, match="database version 4"):
        import_bytes(json.dumps(obj).encode(), "a.json")
    obj["db"]["version"] = 1
    obj["version"] = 2
    with pytest.raises(UnknownVersionError):
        import_bytes(json.dumps(obj).encode(), "a.json")


def test_unknown_2fas_schema(samples: Path) -> None:
    obj = json.loads((samples / "2fas_authenticator_plain_v4.2fas").read_text())
    obj["schemaVersion"] = 5
    with pytest.raises(UnknownVersionError, match="schema version 5"):
        import_bytes(json.dumps(obj).encode(), "x.2fas")


@pytest.mark.parametrize("field,value", [("n", 2**40), ("r", 10_000), ("p", 1000), ("n", 3)])
def test_absurd_scrypt_cost_is_refused_before_any_kdf(
    samples: Path, field: str, value: int, kdf_runs: list[Any]
) -> None:
    obj = json.loads((samples / "aegis_encrypted.json").read_text())
    obj["header"]["slots"][0][field] = value

    def never() -> str:
        raise AssertionError("the password was asked for: a KDF would have run")

    with pytest.raises(FormatError):
        import_bytes(json.dumps(obj).encode(), "aegis_encrypted.json", password=never)
    assert kdf_runs == []  # refused on its parameters: no KDF was started


def test_a_kdf_that_runs_is_recorded(samples: Path, kdf_runs: list[Any]) -> None:
    """The control of the test above: a wrong password does start scrypt, and it is seen."""
    data = (samples / "aegis_encrypted.json").read_bytes()
    with pytest.raises(WrongPasswordError):
        import_bytes(data, "a.json", password=lambda: "nope")
    assert kdf_runs and {run.kind for run in kdf_runs} == {"scrypt"}
    assert kdf_runs[0].kwargs["n"] == json.loads(data)["header"]["slots"][0]["n"]


def test_absurd_scrypt_cost_through_the_cli(samples: Path, tmp_path: Path, cli: Any) -> None:
    obj = json.loads((samples / "aegis_encrypted.json").read_text())
    obj["header"]["slots"][0]["n"] = 2**40
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(obj))
    (tmp_path / "pw").write_text("test")
    result = cli("import", path, "--password-file", tmp_path / "pw", "-o", tmp_path / "o.json")
    assert result.code == 4 and "scrypt N" in result.err
    assert not (tmp_path / "o.json").exists()


def test_aegis_damaged_ciphertext_with_right_password_is_damage(samples: Path) -> None:
    obj = json.loads((samples / "aegis_encrypted.json").read_text())
    db = bytearray(base64.b64decode(obj["db"]))
    db[10] ^= 1
    obj["db"] = base64.b64encode(bytes(db)).decode()
    with pytest.raises(FormatError, match="damaged"):
        import_bytes(json.dumps(obj).encode(), "a.json", password=lambda: "test")


def test_2fas_damaged_encrypted_field(samples: Path) -> None:
    obj = json.loads((samples / "2fas_authenticator_encrypted_v4.2fas").read_text())
    obj["servicesEncrypted"] = "only-one-part"
    with pytest.raises(FormatError, match="damaged"):
        import_bytes(json.dumps(obj).encode(), "x.2fas", password=lambda: "test")


def test_andotp_too_short_is_a_format_error() -> None:
    with pytest.raises(FormatError):
        import_bytes(b"\x00\x01\x02", "x.bin", password=lambda: "test", forced="andotp")


# --- notes and groups -------------------------------------------------------------------------


def test_aegis_notes_and_groups_become_notes_and_tags(samples: Path) -> None:
    obj = _aegis_plain(samples)
    obj["db"]["version"] = 3
    obj["db"]["groups"] = [{"uuid": "11111111-1111-1111-1111-111111111111", "name": "Work"}]
    obj["db"]["entries"][0]["groups"] = ["11111111-1111-1111-1111-111111111111", "unknown"]
    obj["db"]["entries"][0]["note"] = "backup codes in the safe"
    result = import_bytes(json.dumps(obj).encode(), "a.json")
    first = next(a for a in result.vault.accounts if a.issuer == "Deno")
    assert first.tags == ("Work",) and first.notes == "backup codes in the safe"
    obj["db"]["version"] = 2
    del obj["db"]["entries"][0]["groups"]
    obj["db"]["entries"][0]["group"] = "Personal"
    result = import_bytes(json.dumps(obj).encode(), "a.json")
    assert next(a for a in result.vault.accounts if a.issuer == "Deno").tags == ("Personal",)


def test_andotp_tags_are_kept(samples: Path) -> None:
    items = json.loads((samples / "andotp_plain.json").read_text())
    items[0]["tags"] = ["Work", "Mail"]
    result = import_bytes(json.dumps(items).encode(), "andotp.json")
    assert next(a for a in result.vault.accounts if a.issuer == "Deno").tags == ("Mail", "Work")


def test_ente_tags_notes_and_trash(samples: Path) -> None:
    display = '{"pinned":false,"trashed":true,"tags":["Fun"],"note":"old phone"}'
    from urllib.parse import quote

    line = ("otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno"
            f"&codeDisplay={quote(display)}\n")
    result = import_bytes(line.encode(), "ente.txt")
    (account,) = result.vault.accounts
    assert account.tags == ("Fun", "ente-trash") and account.notes == "old phone"
    assert any("trash" in note for note in result.notes)


def test_microsoft_types(samples: Path) -> None:
    con = sqlite3.connect(":memory:")
    con.deserialize((samples / "microsoft_authenticator.sqlite").read_bytes())
    row = con.execute("SELECT * FROM accounts LIMIT 1").fetchone()
    columns = [d[0] for d in con.execute("SELECT * FROM accounts").description]
    extra = dict(zip(columns, row, strict=True))
    for id_, kind, secret in ((100, 1, base64.b64encode(b"personal-secret!").decode()),
                              (101, 2, "")):
        extra.update(_id=id_, account_type=kind, oath_secret_key=secret, name=f"Type{kind}")
        marks = ",".join("?" * len(columns))
        con.execute(f"INSERT INTO accounts ({','.join(columns)}) VALUES ({marks})",
                    [extra[c] for c in columns])
    con.commit()
    data = con.serialize()
    result = import_bytes(data, "PhoneFactor")
    personal = next(a for a in result.vault.accounts if a.issuer == "Type1")
    assert personal.digits == 8 and personal.secret == b"personal-secret!"
    assert len(result.notes) == 1 and "account type 2" in result.notes[0]


def test_microsoft_import_writes_no_temporary_files(samples: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import_bytes((samples / "microsoft_authenticator.sqlite").read_bytes(), "PhoneFactor")
    assert list(tmp_path.iterdir()) == []


def test_bitwarden_bare_secret_and_names(tmp_path: Path) -> None:
    export = {"encrypted": False, "folders": [{"id": "f1", "name": "Banks"}], "items": [
        {"type": 1, "name": "MyBank", "notes": "call 555", "folderId": "f1",
         "login": {"username": "me", "totp": "JBSW Y3DP EHPK 3PXP"}},
        {"type": 1, "name": "No 2FA", "login": {"username": "x", "totp": None}},
        {"type": 2, "name": "A secure note"},
    ]}
    result = import_bytes(json.dumps(export).encode(), "bitwarden.json")
    (account,) = result.vault.accounts
    assert (account.issuer, account.name, account.secret_base32) == ("MyBank", "me",
                                                                     "JBSWY3DPEHPK3PXP")
    assert account.notes == "call 555" and account.tags == ("Banks",)


# --- Google migration fixtures (tests/fixtures/make_gauth_fixtures.py) ------------------------


def _fixture_specs() -> dict[str, Any]:
    specs: dict[str, Any] = json.loads((FIXTURES / "expected.json").read_text())
    return specs


@pytest.mark.parametrize("name", sorted(_fixture_specs()))
def test_google_fixtures(name: str) -> None:
    spec = _fixture_specs()[name]
    data = (FIXTURES / name).read_bytes()
    if name.endswith(".png"):  # the CLI reads an image's QR codes, the importers their texts
        with pytest.raises(FormatError):  # no importer opens an image
            find_importer(data, name)
        result = import_export(data, name)
    else:
        assert find_importer(data, name).name == spec.get("format", "google-migration")
        result = import_bytes(data, name)
    assert _got(result.vault.accounts) == _want(spec["accounts"])
    assert len(result.notes) == spec["notes"], result.notes


def test_google_missing_batch_is_named() -> None:
    result = import_bytes((FIXTURES / "multi_missing.txt").read_bytes(), "m.txt")
    assert result.notes == ("Google Authenticator export: QR code 2 of 3 was not given: the "
                            "accounts in it are missing; scan it too",)


def test_google_fixture_through_the_cli(tmp_path: Path, cli: Any) -> None:
    out = tmp_path / "vault.json"
    result = cli("import", FIXTURES / "unsupported.txt", "-o", out)
    assert result.code == 0
    assert "MD5" in result.err
    assert len(vault_from_json(out.read_bytes())) == 1


def test_google_damaged_uri_is_an_error() -> None:
    text = (FIXTURES / "single.txt").read_text().strip()
    with pytest.raises(FormatError):
        import_bytes((text[:-30] + "\n").encode(), "cut.txt")
    with pytest.raises(FormatError):
        import_bytes(b"otpauth-migration://offline?data=%%%%\n", "bad.txt")


def test_image_without_qr_code_is_a_scan_error() -> None:
    import io

    from PIL import Image

    blank = io.BytesIO()
    Image.new("L", (200, 200), 255).save(blank, format="PNG")
    with pytest.raises(ScanError, match="no QR code"):
        import_export(blank.getvalue(), "blank.png")
    with pytest.raises(FormatError, match="an image"):  # the importers never open an image
        import_bytes(blank.getvalue(), "blank.png", forced="qr-image")


def test_fixture_generator_is_reproducible(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_gauth_fixtures", FIXTURES.parent / "make_gauth_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    for path in sorted(FIXTURES.iterdir()):
        fresh = tmp_path / path.name
        if path.suffix == ".png":
            from toolkit.scan import decode_bytes

            assert sorted(c.text for c in decode_bytes(path.read_bytes())) == sorted(
                c.text for c in decode_bytes(fresh.read_bytes()))
        else:
            assert path.read_bytes() == fresh.read_bytes(), path.name


@pytest.mark.timeout(120)  # a hang guard: the budget is asserted by counting below
def test_microsoft_hostile_view_is_cut_short() -> None:
    con = sqlite3.connect(":memory:")
    con.execute(
        "CREATE VIEW accounts AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
        " SELECT 0 AS account_type, 'a' AS name, 'b' AS username,"
        " 'JBSWY3DPEHPK3PXP' AS oath_secret_key FROM c WHERE x < 0")
    data = con.serialize()
    progress: list[int] = []

    class Counted(sqlite3.Connection):
        """Counts the calls of the work budget's progress handler (each 1000 VM steps)."""

        def set_progress_handler(self, handler: Any, n: int) -> None:
            def counted() -> Any:
                progress.append(n)
                return handler()
            super().set_progress_handler(counted, n)

    real_connect = sqlite3.connect
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sqlite3, "connect",
                      lambda *a, **k: real_connect(*a, **{**k, "factory": Counted}))
        with pytest.raises(FormatError):
            import_bytes(data, "PhoneFactor")
    # the endless view was cut short by the step budget, not left to run
    print(len(progress), sum(progress))
    assert 0 < sum(progress) <= (_sqlite.MAX_STEPS + 1) * 1000 * 4, len(progress)


def _aegis_encrypted_vault(slot_password: bytes, repaired: bool) -> bytes:
    """An encrypted Aegis vault built here from the format (small scrypt cost, fixed keys)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    master, salt = bytes(range(32)), b"s" * 32
    db = {"version": 3, "groups": [], "entries": [{
        "type": "totp", "uuid": "u", "name": "n", "issuer": "Legacy", "note": "",
        "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA1", "digits": 6, "period": 30}}]}
    sealed_db = AESGCM(master).encrypt(b"d" * 12, json.dumps(db).encode(), None)
    slot_key = Scrypt(salt=salt, length=32, n=1024, r=8, p=1).derive(slot_password)
    wrapped = AESGCM(slot_key).encrypt(b"k" * 12, master, None)
    vault = {"version": 1, "header": {
        "slots": [
            {"type": 2, "uuid": "bio", "key": "00" * 32,
             "key_params": {"nonce": "00" * 12, "tag": "00" * 16}},
            {"type": 1, "uuid": "pw", "key": wrapped[:32].hex(),
             "key_params": {"nonce": (b"k" * 12).hex(), "tag": wrapped[32:].hex()},
             "n": 1024, "r": 8, "p": 1, "salt": salt.hex(), "repaired": repaired}],
        "params": {"nonce": (b"d" * 12).hex(), "tag": sealed_db[-16:].hex()}},
        "db": base64.b64encode(sealed_db[:-16]).decode()}
    return json.dumps(vault).encode()


def test_aegis_unrepaired_slot_with_java_padded_password() -> None:
    # 62 characters: Java's encode buffer (issue #95) is int(62 * 1.1) = 68 bytes, zero-padded,
    # past HMAC's 64-byte block, so old Aegis derived a different key from it.
    password = "correct horse battery staple " * 2 + "!!!!"
    legacy = password.encode() + b"\0" * (int(len(password) * 1.1) - len(password))
    assert len(legacy) > 64
    old = _aegis_encrypted_vault(legacy, repaired=False)
    result = import_bytes(old, "aegis.json", password=lambda: password)
    assert [a.issuer for a in result.vault.accounts] == ["Legacy"]
    with pytest.raises(WrongPasswordError):  # a repaired slot is only tried with exact bytes
        import_bytes(_aegis_encrypted_vault(legacy, repaired=True), "a.json",
                     password=lambda: password)
    fresh = _aegis_encrypted_vault(password.encode(), repaired=True)
    assert len(import_bytes(fresh, "a.json", password=lambda: password).vault) == 1


def test_aegis_vault_without_password_slot() -> None:
    obj = json.loads(_aegis_encrypted_vault(b"x", repaired=True))
    obj["header"]["slots"] = obj["header"]["slots"][:1]
    with pytest.raises(FormatError, match="no password slot"):
        import_bytes(json.dumps(obj).encode(), "a.json", password=lambda: "x")


def test_2fas_groups_become_tags(samples: Path) -> None:
    obj = json.loads((samples / "2fas_authenticator_plain_v4.2fas").read_text())
    obj["groups"] = [{"id": "g1", "name": "Travel", "isExpanded": True}]
    obj["services"][0]["groupId"] = "g1"
    result = import_bytes(json.dumps(obj).encode(), "x.2fas")
    assert next(a for a in result.vault.accounts if a.issuer == "Deno").tags == ("Travel",)
