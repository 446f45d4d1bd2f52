"""Damaged exports give a clear paper2fa error, never an uncaught exception (a traceback).

Every real sample file is truncated and bit-flipped; each result must either import or raise a
Paper2faError (which the CLI turns into one line and an exit code).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from toolkit.errors import Paper2faError
from toolkit.importers import all_importers, import_bytes


def _damaged(data: bytes, seed: int) -> list[bytes]:
    rnd = random.Random(seed)
    out = [data[: len(data) // 2], data[: max(1, len(data) - 7)], data[:1], b""]
    for _ in range(4):
        buf = bytearray(data)
        for _ in range(3):
            i = rnd.randrange(len(buf))
            buf[i] ^= 1 << rnd.randrange(8)
        out.append(bytes(buf))
    return out


def test_damaged_samples_never_escape_as_tracebacks(samples: Path,
                                                    expected_by_file: dict[str, Any],
                                                    kdf_cache: Any) -> None:
    for index, name in enumerate(sorted(expected_by_file)):
        data = (samples / name).read_bytes()
        password = expected_by_file[name]["password"] or "test"
        for damaged in _damaged(data, index):
            try:
                import_bytes(damaged, name, password=lambda p=password: p)
            except Paper2faError:
                pass
            except Exception as exc:  # the point of the test: anything else is a bug
                pytest.fail(f"{name}: damaged input raised {type(exc).__name__}: {exc}")


def test_forced_format_on_wrong_file_is_a_clear_error(samples: Path,
                                                      expected_by_file: dict[str, Any]) -> None:
    names = sorted(expected_by_file)
    for importer in all_importers():
        for name in names[:: max(1, len(names) // 8)]:
            data = (samples / name).read_bytes()
            try:
                importer.load(data, lambda: "test")
            except Paper2faError:
                pass
            except Exception as exc:
                pytest.fail(f"--format {importer.name} on {name}: {type(exc).__name__}: {exc}")


# --- every field of every JSON format, retyped ---------------------------------------------

JSON_SAMPLES = ["2fas_authenticator.json", "2fas_authenticator_plain.2fas",
                "2fas_authenticator_plain_v3.2fas", "2fas_authenticator_plain_v4.2fas",
                "aegis_plain.json", "andotp_plain.json", "bitwarden.json", "duo.json",
                "freeotp_plus.json", "proton_authenticator.json", "steam.json", "steam_old.json",
                "stratum_plain.json"]
RETYPED: list[Any] = [5, -1, 10**30, 1.5, "x", "", "\ud800", "ZZ" * 600, [], {}, None, True,
                      [1], {"a": 1}, [[[[[]]]]]]
"""What a field may be replaced with: wrong types, huge and negative numbers, a lone surrogate,
a long non-base32 string, nested containers."""


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path in a JSON document (the first 3 items of each list)."""
    yield prefix
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(obj, list):
        for index, value in enumerate(obj[:3]):
            yield from _paths(value, (*prefix, index))


def _replaced(obj: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = json.loads(json.dumps(obj))
    node = copy
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return copy


@pytest.mark.parametrize("name", JSON_SAMPLES)
def test_every_field_of_wrong_type_is_a_clear_error_or_a_note(samples: Path, name: str) -> None:
    """Wrong JSON types where a list, object, string or number is expected; truncation, bad
    base32 and huge numbers: each ends in a Paper2faError or an import with notes."""
    sample = json.loads((samples / name).read_text())
    for path in _paths(sample):
        for value in RETYPED:
            data = json.dumps(_replaced(sample, path, value)).encode()
            try:
                result = import_bytes(data, name, password=lambda: "test")
            except Paper2faError:
                continue
            except Exception as exc:  # the point of the test: anything else is a bug
                pytest.fail(f"{name} with {path} = {value!r:.20}: {type(exc).__name__}: {exc}")
            for account in result.vault.accounts:  # what was imported can be saved and shown
                account.to_json()


@pytest.mark.slow
def test_every_sample_with_a_byte_removed_changed_or_cut(samples: Path,
                                                          expected_by_file: dict[str, Any],
                                                          kdf_cache: Any) -> None:
    """About 100 damaged copies of each real sample (a byte removed, set to 0xff, or the file
    cut there), at the start, the end and random places. A key derived from the same password,
    salt and costs is derived once (`kdf_cache`): damage elsewhere gives the same key."""
    for name in sorted(expected_by_file):
        data = (samples / name).read_bytes()
        password = expected_by_file[name]["password"] or "test"
        rnd = random.Random(name)
        size = len(data)
        places = sorted({rnd.randrange(size) for _ in range(20)} | set(range(0, min(size, 48), 5))
                        | set(range(max(0, size - 48), size, 5)))
        for at in places:
            for damaged in (data[:at] + data[at + 1:], data[:at] + b"\xff" + data[at + 1:],
                            data[:at]):
                try:
                    import_bytes(damaged, name, password=lambda p=password: p)
                except Paper2faError:
                    pass
                except Exception as exc:
                    pytest.fail(f"{name} damaged at {at}: {type(exc).__name__}: {exc}")


# --- entry caps -------------------------------------------------------------------------------


def _many(samples: Path, name: str, count: int) -> bytes:
    """The sample with its first entry repeated `count` times."""
    data = (samples / name).read_bytes()
    if name.endswith(".txt"):
        first = next(line for line in data.splitlines() if line.strip())
        return (first + b"\n") * count
    if name.endswith(".csv"):
        header, first = data.splitlines()[:2]
        return header + b"\n" + (first + b"\n") * count
    obj = json.loads(data)
    if isinstance(obj, list):
        return json.dumps(obj[:1] * count).encode()
    for key in ("entries", "services", "tokens", "Authenticators", "items"):
        holder = obj.get("db", obj) if key == "entries" and "db" in obj else obj
        if isinstance(holder.get(key), list):
            holder[key] = holder[key][:1] * count
            return json.dumps(obj).encode()
    raise AssertionError(name)


CAPPED = ["aegis_plain.json", "2fas_authenticator_plain_v4.2fas", "andotp_plain.json",
          "freeotp_plus.json", "stratum_plain.json", "proton_authenticator.json", "duo.json",
          "bitwarden.csv", "plain.txt", "ente_auth.txt"]


@pytest.mark.parametrize("name", CAPPED)
def test_every_importer_caps_its_entries(samples: Path, name: str, accounts_built: Any) -> None:
    """One entry over the limit is refused having read no more entries than that: the work is
    counted (accounts made), so the check holds however busy the machine is."""
    from toolkit import constants as C
    from toolkit.errors import FormatError

    if name in ("aegis_plain.json", "plain.txt"):  # exactly at the limit is still read
        at_limit = import_bytes(_many(samples, name, C.MAX_IMPORT_ENTRIES), name)
        assert len(at_limit.vault) == 1  # the same account 10,000 times is one account
        assert len(at_limit.notes) == 1 and "given more than once" in at_limit.notes[0]
    data = _many(samples, name, C.MAX_IMPORT_ENTRIES + 1)
    accounts_built.n = 0
    with pytest.raises(FormatError, match=f"more than {C.MAX_IMPORT_ENTRIES}|too many"):
        import_bytes(data, name)
    # at most two accounts an entry (an otpauth line is parsed, then given the file's names)
    assert accounts_built.n <= 2 * (C.MAX_IMPORT_ENTRIES + 1), accounts_built.n


def test_google_migration_batches_are_capped_too() -> None:
    from toolkit import constants as C
    from toolkit.errors import FormatError
    from toolkit.gauth_migration import build_migration_uri, encode_payload
    from toolkit.model import Account

    batch = [Account(issuer="Site", name=f"user {n}", secret=bytes([n % 250 + 1]) * 10)
             for n in range(500)]
    uri = build_migration_uri(encode_payload(batch, batch_id=1, batch_index=0, batch_size=1))
    lines = "\n".join([uri] * 21).encode()  # the same QR code is read once: 500 accounts
    assert len(import_bytes(lines, "export.txt").vault) == 500
    many = "\n".join(
        build_migration_uri(encode_payload(batch, batch_id=n, batch_index=0, batch_size=1))
        for n in range(1, 22)).encode()
    with pytest.raises(FormatError, match=f"more than {C.MAX_IMPORT_ENTRIES} entries"):
        import_bytes(many, "export.txt")


ENCRYPTED_JSON = {"bitwarden_pbkdf2.json": "bitwarden pass 1",
                  "bitwarden_argon2id.json": "bitwarden pass 2",
                  "ente_tag_final.json": "ente pass", "proton_encrypted.json": "proton pass"}
ENCRYPTED_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "encrypted"


@pytest.mark.parametrize("name", [
    *sorted(ENCRYPTED_JSON), "2fas_authenticator_encrypted_v4.2fas",
    pytest.param("aegis_encrypted.json", marks=pytest.mark.slow),  # a scrypt per variant
])
def test_every_field_of_an_encrypted_export_retyped(samples: Path, name: str,
                                                    kdf_cache: Any) -> None:
    """KDF settings, salts, nonces and ciphertexts of the wrong type or size (a salt holding a
    lone surrogate raised UnicodeEncodeError): a clear error, never another exception."""
    folder = ENCRYPTED_FIXTURES if name in ENCRYPTED_JSON else samples
    password = ENCRYPTED_JSON.get(name, "test")
    sample = json.loads((folder / name).read_text())
    for path in _paths(sample):
        for value in RETYPED:
            data = json.dumps(_replaced(sample, path, value)).encode()
            try:
                import_bytes(data, name, password=lambda: password)
            except Paper2faError:
                continue
            except Exception as exc:
                pytest.fail(f"{name} with {path} = {value!r:.20}: {type(exc).__name__}: {exc}")


@pytest.mark.parametrize("name", ["authy_plain.xml", "totp_authenticator_internal.xml",
                                  "freeotp.xml"])
def test_deep_json_inside_xml_and_text_formats(samples: Path, name: str) -> None:
    """The JSON these formats keep inside an XML string goes through the same bounded loader."""
    import re
    from xml.sax.saxutils import escape

    from toolkit.errors import FormatError

    text = (samples / name).read_text()
    deep = escape("[" * 100_000 + "]" * 100_000)
    damaged = re.sub(r'(<string name="[^"]*">)(\[|\{)', lambda m: m.group(1) + deep + ",",
                     text, count=1)
    assert damaged != text
    try:
        result = import_bytes(damaged.encode(), name, password=lambda: "testtest")
    except FormatError as exc:
        assert "nested more than 32 levels" in exc.message or "not valid JSON" in exc.message
    else:  # FreeOTP: one token of several is damaged, and skipped with a note
        assert any("nested more than 32 levels" in note for note in result.notes)
    ente = (samples / "ente_auth.txt").read_bytes().replace(
        b"codeDisplay=", b"codeDisplay=" + b"%5B" * 50_000 + b"%5D" * 50_000, 1)
    assert len(import_bytes(ente, "ente_auth.txt").vault) >= 1
