"""The bad messages that the fuzz run of 2026-12-07 left open (docs/bad-input.md), each through
the real CLI, each also judged by the fuzz harness's own message check (tests/fuzz/messages.py)
so the harness and the test agree on what an echo is.

- FreeOTP 2 quoted up to 40 characters of its key-derivation name (and of its cipher name): a
  damaged file can hold anything there (mut-freeotp_v2_api27.xml--bitflip-28).
- `model.from_json` listed unknown account fields whole: a duplicated chunk put part of a secret
  into a field name (mut-tpl-vault.json--duplicate-48).
- Stratum's "no AUTHENTICATORPRO header" names the program's own constant, which a mutated input
  may hold elsewhere (mut-stratum_encrypted.bin--lines-8): not an echo.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fuzz import messages

from toolkit.errors import FormatError
from toolkit.importers import freeotp2, stratum

SECRET = "JBSWY3DPEHPK3PXPJBSW"
"""A base32 secret of 20 characters, as long as `PBKDF2withHmacSHA512`."""


def one_error(err: str) -> tuple[str, str]:
    """The error line and its hint (stderr holds nothing else)."""
    lines = err.strip("\n").split("\n")
    assert len(lines) == 2 and lines[0].startswith("paper2fa: error: "), err
    return lines[0], lines[1]


def import_refused(cli: Any, tmp_path: Path, path: Path, *more: str) -> tuple[str, str]:
    out = tmp_path / "vault.json"
    r = cli("import", path, "-o", out, *more)
    assert r.code != 0 and not out.exists(), (r.code, r.err)
    return one_error(r.err)


def test_freeotp2_key_derivation_name_is_described_not_quoted(
        cli: Any, tmp_path: Path, samples: Path) -> None:
    data = (samples / "freeotp_v2_api27.xml").read_bytes()
    assert data.count(b"PBKDF2withHmacSHA512") == 1
    path = tmp_path / "externalBackup.xml"
    path.write_bytes(data.replace(b"PBKDF2withHmacSHA512", SECRET.encode()))  # same length
    (tmp_path / "pw").write_text("test")
    line, hint = import_refused(cli, tmp_path, path, "--password-file", tmp_path / "pw")
    assert SECRET[:8] not in line and SECRET[-8:] not in line, line
    assert "unexpected key derivation: a name that looks like a base32 secret (20 characters)" \
        in line, line
    assert "PBKDF2withHmacSHA1 or PBKDF2withHmacSHA512" in line
    assert messages.faults("import:freeotp2", line, hint, path.read_bytes()) == []


@pytest.mark.parametrize(("value", "said"), [
    (None, "none is named"), ([1], "a list, not a name"), ({}, "an object, not a name"),
    (7, "a number, not a name"), ("", "an empty name")])
def test_freeotp2_key_derivation_of_another_json_type(value: Any, said: str) -> None:
    """A list or an object there raised TypeError (unhashable) before the names were checked."""
    master = json.dumps({"mAlgorithm": value})
    with pytest.raises(FormatError) as info:
        freeotp2._master_key({"masterKey": master}, "test")
    assert f"unexpected key derivation: {said};" in info.value.message


def test_unknown_vault_field_holding_a_secret_is_described(cli: Any, tmp_path: Path) -> None:
    account = {"type": "totp", "issuer": "Ex", "name": "me", "secret": "JBSWY3DPEHPK3PXP",
               "algorithm": "SHA1", "digits": 6, "period": 30, "counter": 0, "notes": "",
               "tags": [], "recovery_codes": [], "other_factors": []}
    field = "secrQZTEMJQPJ4XQ53Wet"  # the key of mut-tpl-vault.json--duplicate-48
    damaged = dict(account, **{field: "x", "isuer": "Ex"})
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"format": "paper2fa-vault", "version": 1,
                                "accounts": [damaged]}))
    line, hint = import_refused(cli, tmp_path, path)
    assert field not in line and "QZTEMJQPJ4XQ" not in line, line
    assert line.endswith("unknown account fields: isuer, a name that looks like a base32 "
                         "secret (21 characters)"), line
    assert messages.faults("import:paper2fa", line, hint, path.read_bytes()) == []


def test_many_unknown_fields_are_counted(cli: Any, tmp_path: Path) -> None:
    """The list was unbounded: every unknown name of the object, whole."""
    path = tmp_path / "in.json"
    extra = {f"field_{chr(97 + i % 26)}{i}": 1 for i in range(500)}
    path.write_text(json.dumps({"format": "paper2fa-vault", "version": 1, "accounts": [],
                                **extra}))
    line, _ = import_refused(cli, tmp_path, path)
    assert "unknown top-level fields" in line and "497 more" in line and len(line) < 200, line


def test_stratum_header_named_in_its_message_is_not_an_echo(cli: Any, tmp_path: Path) -> None:
    """A damaged backup that holds the header, but not at its start: the message names the
    header the program looks for, which the harness must not count as an echo of the input;
    a real echo in the same message still counts."""
    data = b"\x00" * 40 + stratum.HEADER + bytes(range(64))
    path = tmp_path / "backup.authpro"
    path.write_bytes(data)
    (tmp_path / "pw").write_text("test")
    line, hint = import_refused(cli, tmp_path, path, "--format", "stratum-encrypted",
                                "--password-file", tmp_path / "pw")
    assert "no AUTHENTICATORPRO header" in line, line
    assert messages.faults("import:stratum-encrypted", line, hint, data) == []
    echo = data + b" QZTEMJQPJ4XQ53WE"
    assert messages.faults("import:stratum-encrypted", line + " QZTEMJQPJ4XQ53WE", hint,
                           echo) == ["a secret-looking run of the input echoed"]
