"""Microsoft Authenticator's `PhoneFactor` SQLite database, copied off a rooted Android phone.

Table `accounts`: `account_type` 0 is a standard TOTP account (base32 secret, 6 digits, 30 s),
1 a Microsoft personal account (base64 secret, 8 digits); other types (work or school push
accounts) carry no code secret and are skipped with a note. The database is opened from memory
(`sqlite3` deserialize), never written to disk.
"""

from __future__ import annotations

import base64
import binascii
from functools import partial

from toolkit.errors import AccountError, FormatError
from toolkit.importers import _limits, _sqlite
from toolkit.importers._sqlite import SQLITE_MAGIC, open_in_memory
from toolkit.importers.base import EntryCollector, Importer, ImportResult, PasswordSource
from toolkit.model import Account, secret_from_base32

APP = "Microsoft Authenticator"
TYPE_TOTP, TYPE_MICROSOFT = 0, 1


def _sniff(data: bytes, filename: str) -> int:
    if data.startswith(SQLITE_MAGIC) and b"oath_secret_key" in data:
        return 10
    return 0


def _secret(kind: int, text: str) -> bytes:
    if kind == TYPE_TOTP:
        return secret_from_base32(text)
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise AccountError("the secret is not valid base64") from None


def _row(kind: int, issuer: str, name: str, secret: str) -> Account:
    return Account(issuer=issuer, name=name, secret=_secret(kind, secret),
                   digits=8 if kind == TYPE_MICROSOFT else 6)


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    con = open_in_memory(data, "Microsoft Authenticator database")
    try:
        rows = con.execute(
            "SELECT account_type, name, username, oath_secret_key FROM accounts LIMIT ?",
            (_limits.MAX_ENTRIES + 1,),
        ).fetchall()
    except _sqlite.ERRORS:
        raise FormatError("not a Microsoft Authenticator database (no usable accounts table)") \
            from None
    finally:
        con.close()
    if len(rows) > _limits.MAX_ENTRIES:
        raise FormatError("the Microsoft Authenticator database has too many accounts")
    entries = EntryCollector(APP)
    for number, (kind, issuer, name, secret) in enumerate(rows, start=1):
        where = f"account {number} ({issuer or ''}: {name or ''})"
        if kind not in (TYPE_TOTP, TYPE_MICROSOFT):
            entries.skip(where, f"account type {kind} (a work, school or push-only account) "
                         "has no code secret")
            continue
        entries.add(where, partial(_row, kind, str(issuer or ""), str(name or ""),
                                   str(secret or "")))
    return entries.result()


IMPORTERS = [
    Importer(
        name="microsoft",
        description="Microsoft Authenticator database (PhoneFactor SQLite file, rooted phone)",
        sniff=_sniff,
        load=_load,
    )
]
