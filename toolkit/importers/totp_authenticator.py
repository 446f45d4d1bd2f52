"""TOTP Authenticator (com.authenticator.authservice2): encrypted backup and internal prefs.

The backup is base64 of AES-256-CBC (key = SHA-256 of the password, zero IV, PKCS#7); the
plaintext is a JSON object whose first key is the account list, itself JSON text. The internal
file is Android shared_prefs XML holding the same list as `STATIC_TOTP_CODES_LIST`. Entries keep
the digits and period they store; the app has no algorithm setting (SHA1).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from functools import partial
from typing import Any

from toolkit import json_input
from toolkit.errors import FormatError, Source
from toolkit.importers import _limits, _symmetric, _xml
from toolkit.importers.base import (
    EntryCollector,
    Importer,
    ImportResult,
    PasswordSource,
    wrong_password,
)
from toolkit.model import Account, secret_from_base32

PREF_KEY = "STATIC_TOTP_CODES_LIST"
_ZERO_IV = bytes(16)
_B64_CHARS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\r\n")


def _secret(entry: dict[str, Any]) -> bytes:
    key = entry["key"]
    base = int(entry.get("base", 16))
    if not isinstance(key, str):
        raise TypeError("key is not text")
    if base == 16:
        return bytes.fromhex(key)
    if base == 32:
        return secret_from_base32(key)
    if base == 64:
        try:
            return base64.b64decode(key, validate=True)
        except binascii.Error:
            raise ValueError("bad base64 key") from None
    raise ValueError(f"unsupported key encoding base {base}")


def _account(entry: dict[str, Any]) -> Account:
    return Account(
        issuer=entry.get("issuer") or "",
        name=entry.get("name") or "",
        secret=_secret(entry),
        digits=int(entry.get("digits") or 6),
        period=int(entry.get("period") or 30),
    )


def _entries_from_list(items: list[Any], source: str) -> ImportResult:
    if len(items) > _limits.MAX_ENTRIES:
        raise FormatError("too many entries", source=Source(label=source))
    entries = EntryCollector(source)
    for number, item in enumerate(items, start=1):
        if isinstance(item, str):  # older versions store each entry as JSON text
            try:
                item = json_input.loads(item, "the entry")
            except FormatError:
                entries.skip(f"entry {number}", "not JSON")
                continue
        if not isinstance(item, dict):
            entries.skip(f"entry {number}", "not a JSON object")
            continue
        entries.add(f"entry {number}", partial(_account, item))
    return entries.result()


# --- encrypted backup ----------------------------------------------------------------------


def _sniff_backup(data: bytes, filename: str) -> int:
    text = data.strip()
    if len(text) < 44 or text.translate(None, bytes(_B64_CHARS)):  # C speed on 64 MiB
        return 0
    try:
        raw = base64.b64decode(text, validate=False)
    except (binascii.Error, ValueError):
        return 0
    return 4 if len(raw) >= 32 and len(raw) % 16 == 0 else 0


def _account_list(plain: bytes) -> list[Any] | None:
    """The list inside a decrypted backup, or None when it is not one (a wrong password)."""
    obj = _symmetric.json_or_none(plain)
    if not isinstance(obj, dict) or not obj:
        return None
    items = json_input.loads_or_none(next(iter(obj)))
    return items if isinstance(items, list) else None


def _load_backup(data: bytes, password: PasswordSource) -> ImportResult:
    ciphertext = _symmetric.b64(data.strip(), "backup text")
    if not ciphertext or len(ciphertext) % 16:
        raise FormatError("TOTP Authenticator backup: the data is not a whole number of blocks")
    key = hashlib.sha256(password().encode("utf-8")).digest()
    plain = _symmetric.aes_cbc_decrypt(key, _ZERO_IV, ciphertext)
    # CBC has no integrity check: a wrong password unpads about once in 256 tries.
    items = None if plain is None else _account_list(plain)
    if items is None:
        raise wrong_password("TOTP Authenticator")
    return _entries_from_list(items, "TOTP Authenticator backup")


# --- internal shared_prefs XML --------------------------------------------------------------


def _sniff_prefs(data: bytes, filename: str) -> int:
    head = data[:200].lstrip()
    if head.startswith((b"<?xml", b"<map")) and f'name="{PREF_KEY}"'.encode() in data:
        return 10
    return 0


def _load_prefs(data: bytes, password: PasswordSource) -> ImportResult:
    source = "TOTP Authenticator preferences"
    root = _xml.parse(data, source)
    value = None
    for element in root.iter("string"):
        if element.get("name") == PREF_KEY:
            value = element.text or ""
    if value is None:
        raise FormatError(f"no {PREF_KEY} entry", source=Source(label=source))
    items = json_input.loads(value, f"{source}: {PREF_KEY}")
    if not isinstance(items, list):
        raise FormatError(f"{PREF_KEY} is not a list", source=Source(label=source))
    return _entries_from_list(items, source)


IMPORTERS = [
    Importer(
        name="totp-authenticator",
        description="TOTP Authenticator encrypted backup (.bin, base64 text)",
        sniff=_sniff_backup,
        load=_load_backup,
        encrypted=True,
    ),
    Importer(
        name="totp-authenticator-xml",
        description="TOTP Authenticator shared_prefs XML (rooted phone)",
        sniff=_sniff_prefs,
        load=_load_prefs,
    ),
]
