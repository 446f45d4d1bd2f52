"""Google Authenticator's legacy SQLite database (rooted copy of databases/databases).

Table `accounts`: email ("Issuer:name" or name), secret (base32), counter, type (0 totp, 1 hotp),
issuer. No algorithm, digits or period are stored: SHA1, 6 digits, 30 s. Opened from memory
(sqlite3 deserialize), never from a temporary file.
"""

from __future__ import annotations

import sqlite3
from functools import partial
from typing import Any

from toolkit.errors import AccountError, FormatError, Source
from toolkit.importers import _limits, _sqlite
from toolkit.importers._sqlite import SQLITE_MAGIC, open_in_memory
from toolkit.importers.base import EntryCollector, Importer, ImportResult, PasswordSource
from toolkit.model import Account, secret_from_base32

APP = "Google Authenticator (legacy database)"


def _sniff(data: bytes, filename: str) -> int:
    if not data.startswith(SQLITE_MAGIC):
        return 0
    if b"CREATE TABLE accounts" in data and b"email TEXT" in data and b"oath_secret" not in data:
        return 10
    return 0


def _rows(data: bytes) -> list[dict[str, Any]]:
    con = open_in_memory(data, APP)
    try:
        con.row_factory = sqlite3.Row
        rows = con.execute("SELECT * FROM accounts LIMIT ?",
                           (_limits.MAX_ENTRIES + 1,)).fetchall()
        if len(rows) > _limits.MAX_ENTRIES:  # refused, never cut short: nothing is dropped
            raise FormatError(f"more than {_limits.MAX_ENTRIES} accounts", source=Source(label=APP))
        return [dict(row) for row in rows]
    except _sqlite.ERRORS:
        raise FormatError("no readable accounts table", source=Source(label=APP)) from None
    finally:
        con.close()


def _entry(row: dict[str, Any]) -> Account:
    secret = secret_from_base32(str(row["secret"]))
    email = str(row.get("email") or "")
    issuer = str(row.get("issuer") or "")
    name = email
    if ":" in email:
        prefix, rest = email.split(":", 1)
        name = rest
        issuer = issuer or prefix
    kind = row.get("type")
    if kind == 0:
        return Account(issuer, name, secret, type="totp")
    if kind == 1:
        return Account(issuer, name, secret, type="hotp", counter=row.get("counter") or 0)
    raise AccountError(f"unsupported OTP type {kind!r}")


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    entries = EntryCollector(APP)
    for number, row in enumerate(_rows(data), start=1):
        entries.add(f"row {number} ({row.get('email', '')})", partial(_entry, row))
    return entries.result()


IMPORTERS = [
    Importer(
        name="google-legacy",
        description="Google Authenticator legacy SQLite database (rooted copy)",
        sniff=_sniff,
        load=_load,
    )
]
