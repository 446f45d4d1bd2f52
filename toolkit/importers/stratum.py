"""Stratum (formerly Authenticator Pro): JSON backup, its two encrypted forms, its database.

Encrypted backups start with a 16-byte header: `AUTHENTICATORPRO` (Argon2id t=3, m=64 MiB, p=4,
16-byte salt, AES-256-GCM with a 12-byte IV) or the legacy `AuthenticatorPro` (PBKDF2-HMAC-SHA1,
64000 rounds, 20-byte salt, AES-256-CBC with a 16-byte IV). Both costs are fixed by the format.
The database (`authenticator.db3`, copied off a rooted phone) is read from memory only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from functools import partial
from typing import Any

from toolkit.errors import FormatError, Source
from toolkit.importers import _limits, _sqlite, _symmetric
from toolkit.importers._sqlite import SQLITE_MAGIC, is_table, open_in_memory
from toolkit.importers.base import (
    EntryCollector,
    Importer,
    ImportResult,
    PasswordSource,
    json_object_keys,
    parse_json,
    wrong_password,
)
from toolkit.model import Account, secret_from_base32

HEADER = b"AUTHENTICATORPRO"
HEADER_LEGACY = b"AuthenticatorPro"

_TYPES = {1: "hotp", 2: "totp", 4: "steam"}
_TYPE_NAMES = {3: "mOTP", 5: "Yandex"}
_ALGORITHMS = ("SHA1", "SHA256", "SHA512")

_ARGON2_PASSES = 3
_ARGON2_MEMORY_KIB = 64 * 1024
_ARGON2_LANES = 4
_LEGACY_ROUNDS = 64000


def _account(row: Mapping[str, Any], tags: Mapping[str, tuple[str, ...]]) -> Account:
    """One authenticator (a JSON entry or a database row; keys lower-cased); its categories
    (looked up by its secret, as Stratum links them) become tags."""
    type_code = row["type"]
    if isinstance(type_code, bool) or not isinstance(type_code, int) or type_code not in _TYPES:
        kind = _TYPE_NAMES.get(type_code, f"type {type_code!r}")
        raise ValueError(f"{kind} accounts are not supported")
    algorithm = row.get("algorithm") or 0
    if not isinstance(algorithm, int) or not 0 <= algorithm < len(_ALGORITHMS):
        raise ValueError("unknown algorithm")
    secret = row["secret"]
    if not isinstance(secret, str):
        raise TypeError("secret is not text")
    return Account(
        issuer=row.get("issuer") or "",
        name=row.get("username") or "",
        secret=secret_from_base32(secret),
        type=_TYPES[type_code],
        algorithm=_ALGORITHMS[algorithm],
        digits=row["digits"],
        period=row.get("period") or 30,
        counter=row.get("counter") or 0,
        tags=tags.get(secret, ()),
    )


def _add(entries: EntryCollector, where: str, row: Mapping[str, Any],
         tags: Mapping[str, tuple[str, ...]]) -> None:
    type_code = row.get("type")
    if isinstance(type_code, int) and type_code in _TYPE_NAMES:
        entries.skip(where, f"{_TYPE_NAMES[type_code]} accounts are not supported")
        return
    entries.add(where, partial(_account, row, tags))


def _category_tags(categories: Any, links: Any, id_key: str, name_key: str,
                   link_category: str, link_secret: str) -> dict[str, tuple[str, ...]]:
    """Secret -> names of its categories (JSON lists of objects or database rows as dicts)."""
    if not isinstance(categories, list) or not isinstance(links, list):
        return {}
    names = {c.get(id_key): c.get(name_key) for c in categories if isinstance(c, dict)}
    tags: dict[str, list[str]] = {}
    if len(links) > _limits.MAX_RECORDS:
        raise FormatError(f"Stratum: more than {_limits.MAX_RECORDS} category links")
    for link in links:
        if not isinstance(link, dict):
            continue
        name, secret = names.get(link.get(link_category)), link.get(link_secret)
        if isinstance(name, str) and name.strip() and isinstance(secret, str):
            tags.setdefault(secret, []).append(name)
    return {secret: tuple(found) for secret, found in tags.items()}


def _from_backup(obj: Any, source: str) -> ImportResult:
    if not isinstance(obj, dict) or not isinstance(obj.get("Authenticators"), list):
        raise FormatError("no \"Authenticators\" list", source=Source(label=source))
    if len(obj["Authenticators"]) > _limits.MAX_ENTRIES:
        raise FormatError("too many entries", source=Source(label=source))
    tags = _category_tags(obj.get("Categories"), obj.get("AuthenticatorCategories"),
                          "Id", "Name", "CategoryId", "AuthenticatorSecret")
    entries = EntryCollector(source)
    for number, item in enumerate(obj["Authenticators"], start=1):
        if not isinstance(item, dict):
            entries.skip(f"entry {number}", "not a JSON object")
            continue
        _add(entries, f"entry {number}", {k.lower(): v for k, v in item.items()}, tags)
    return entries.result()


# --- plain JSON backup ---------------------------------------------------------------------


def _sniff_plain(data: bytes, filename: str) -> int:
    return 10 if "Authenticators" in json_object_keys(data) else 0


def _load_plain(data: bytes, password: PasswordSource) -> ImportResult:
    return _from_backup(parse_json(data, "Stratum backup"), "Stratum backup")


# --- encrypted backups ---------------------------------------------------------------------


def _sniff_encrypted(data: bytes, filename: str) -> int:
    return 10 if data[:16] in (HEADER, HEADER_LEGACY) else 0


def _decrypt(data: bytes, password: PasswordSource) -> bytes:
    body = data[16:]
    if data[:16] == HEADER:
        if len(body) < 16 + 12 + 16:
            raise FormatError("Stratum backup: the file is truncated")
        salt, iv, ciphertext = body[:16], body[16:28], body[28:]
        key = _symmetric.argon2id(password(), salt, _ARGON2_PASSES, _ARGON2_MEMORY_KIB,
                                  _ARGON2_LANES)
        plain = _symmetric.aes_gcm_decrypt(key, iv, ciphertext)
    elif data[:16] == HEADER_LEGACY:
        if len(body) < 20 + 16 + 16:
            raise FormatError("Stratum backup: the file is truncated")
        salt, iv, ciphertext = body[:20], body[20:36], body[36:]
        key = _symmetric.pbkdf2(password(), salt, _LEGACY_ROUNDS, "sha1")
        plain = _symmetric.aes_cbc_decrypt(key, iv, ciphertext)
    else:
        raise FormatError("not an encrypted Stratum backup (no AUTHENTICATORPRO header)")
    if plain is None:
        raise wrong_password("Stratum")
    return plain


def _load_encrypted(data: bytes, password: PasswordSource) -> ImportResult:
    obj = _symmetric.json_or_none(_decrypt(data, password))
    # CBC has no integrity check: a wrong password unpads about once in 256 tries.
    if not isinstance(obj, dict) or not isinstance(obj.get("Authenticators"), list):
        raise wrong_password("Stratum")
    return _from_backup(obj, "Stratum backup")


# --- internal database ---------------------------------------------------------------------


def _sniff_db(data: bytes, filename: str) -> int:
    if not data.startswith(SQLITE_MAGIC):
        return 0
    head = data[:65536]
    if b"authenticatorcategory" in head and b'"authenticator"' in head:
        return 10
    return 0


def _table(conn: sqlite3.Connection, name: str, limit: int) -> list[dict[str, Any]]:
    """Rows of a table (name from this module, never from the file), keys lower-cased; more
    than `limit` rows is refused (never cut short, which would drop accounts or tags)."""
    cursor = conn.execute(f'SELECT * FROM "{name}"')  # noqa: S608 - fixed table names
    columns = [d[0].lower() for d in cursor.description]
    rows = cursor.fetchmany(limit + 1)
    if len(rows) > limit:
        raise FormatError(f"Stratum database: more than {limit} rows in {name}")
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _load_db(data: bytes, password: PasswordSource) -> ImportResult:
    source = "Stratum database"
    conn = open_in_memory(data, "Stratum database")
    try:
        if not is_table(conn, "authenticator"):
            raise FormatError("no authenticator table", source=Source(label=source))
        rows = _table(conn, "authenticator", _limits.MAX_ENTRIES)
        tags = (_category_tags(_table(conn, "category", _limits.MAX_RECORDS),
                               _table(conn, "authenticatorcategory", _limits.MAX_RECORDS),
                               "id", "name", "categoryid", "authenticatorsecret")
                if is_table(conn, "category") and is_table(conn, "authenticatorcategory")
                else {})
    except _sqlite.ERRORS:
        raise FormatError("the database is damaged or not Stratum's",
                          source=Source(label=source)) from None
    finally:
        conn.close()
    entries = EntryCollector(source)
    for number, row in enumerate(rows, start=1):
        _add(entries, f"row {number}", row, tags)
    result = entries.result()
    if data[18:20] == b"\x02\x02":
        note = (f"{source}: the database is in WAL mode; changes still in its -wal file "
                "(if one was beside it on the phone) are not included")
        return ImportResult(result.vault, (*result.notes, note))
    return result


IMPORTERS = [
    Importer(
        name="stratum",
        description="Stratum / Authenticator Pro JSON backup (unencrypted)",
        sniff=_sniff_plain,
        load=_load_plain,
    ),
    Importer(
        name="stratum-encrypted",
        description="Stratum / Authenticator Pro encrypted backup (both header versions)",
        sniff=_sniff_encrypted,
        load=_load_encrypted,
        encrypted=True,
    ),
    Importer(
        name="stratum-db",
        description="Stratum / Authenticator Pro database authenticator.db3 (rooted phone)",
        sniff=_sniff_db,
        load=_load_db,
    ),
]
