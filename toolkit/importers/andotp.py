"""andOTP backups: plain JSON, and the two encrypted `.json.aes` formats.

New format: 4-byte big-endian PBKDF2-HMAC-SHA1 iteration count, 12-byte salt, 12-byte nonce,
AES-256-GCM ciphertext and tag. Old format: key = SHA-256(password), 12-byte nonce, ciphertext
and tag. Nothing in the file says which, so the cheap old format is tried first. Tags are kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import partial
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from toolkit import constants as C
from toolkit.errors import AccountError, FormatError
from toolkit.importers import _limits
from toolkit.importers.base import (
    EntryCollector,
    Importer,
    ImportResult,
    PasswordSource,
    parse_json,
    wrong_password,
)
from toolkit.importers.google_migration import is_image
from toolkit.model import Account, secret_from_base32

APP = "andOTP"
_NONCE, _SALT, _TAG, _INT = 12, 12, 16, 4
_OTHER_MAGICS = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x1f\x8b",
                 b"SQLite format 3", b"BM", b"RIFF", b"\xac\xed", b"AUTHENTICATORPRO",
                 b"AuthenticatorPro")
_ENTRY_KEYS = {"secret", "type", "digits", "algorithm"}
_ANDOTP_KEYS = {"thumbnail", "last_used", "used_frequency"}


def _first_entry(data: bytes) -> Mapping[str, Any] | None:
    if not _is_json_list(data):
        return None
    try:
        obj = parse_json(data, APP)
    except FormatError:
        return None
    if isinstance(obj, list) and obj and isinstance(obj[0], dict):
        return obj[0]
    return None


def _is_json_list(data: bytes) -> bool:
    return data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"["


def _looks_binary(data: bytes) -> bool:
    head = data[:256]
    if b"\0" in head:
        return True
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start < len(head) - 4  # not just a character cut at the end
    return False


def _sniff(data: bytes, filename: str) -> int:
    entry = _first_entry(data)
    if entry is not None:
        keys = set(entry)
        if keys >= _ENTRY_KEYS and keys & _ANDOTP_KEYS:
            return 10
        if keys >= _ENTRY_KEYS | {"label"}:
            return 6
        return 0
    if (len(data) < _NONCE + _TAG + 1 or data.startswith(_OTHER_MAGICS) or is_image(data)
            or not _looks_binary(data)):
        return 0
    name = filename.lower()
    score = 4 if ("andotp" in name or "otp_accounts" in name or name.endswith(".aes")) else 2
    iterations = int.from_bytes(data[:_INT], "big")
    return score + 1 if 1000 <= iterations <= _limits.MAX_PBKDF2_ITERATIONS else score


def _try_gcm(key: bytes, nonce: bytes, body: bytes) -> bytes | None:
    try:
        return AESGCM(key).decrypt(nonce, body, None)
    except InvalidTag:
        return None


def _decrypt(data: bytes, password: str) -> bytes:
    if len(data) < _NONCE + _TAG + 1:
        raise FormatError("the andOTP backup is too short to hold any data")
    secret = password.encode("utf-8")
    plain = _try_gcm(hashlib.sha256(secret).digest(), data[:_NONCE], data[_NONCE:])
    if plain is not None:
        return plain
    iterations = int.from_bytes(data[:_INT], "big")
    header = _INT + _SALT + _NONCE
    if len(data) >= header + _TAG and 1 <= iterations <= _limits.MAX_PBKDF2_ITERATIONS:
        salt = data[_INT : _INT + _SALT]
        kdf = PBKDF2HMAC(algorithm=hashes.SHA1(), length=32, salt=salt,  # noqa: S303 - the format
                         iterations=iterations)
        key = kdf.derive(secret)
        plain = _try_gcm(key, data[_INT + _SALT : header], data[header:])
        if plain is not None:
            return plain
    raise wrong_password(APP)


def _entry(item: Mapping[str, Any]) -> Account:
    kind = str(item["type"]).lower()
    if "issuer" in item:
        issuer, name = str(item["issuer"] or ""), str(item.get("label") or "")
    else:  # old andOTP: "Issuer - name" in the label
        parts = str(item.get("label") or "").split(" - ")
        issuer, name = (parts[0], parts[1]) if len(parts) > 1 else ("", parts[0])
    common: dict[str, Any] = {
        "issuer": issuer,
        "name": name,
        "secret": secret_from_base32(item["secret"]),
        "tags": tuple(str(t) for t in item.get("tags") or []),
    }
    if kind == "totp":
        return Account(type="totp", algorithm=item["algorithm"], digits=item["digits"],
                       period=item["period"], **common)
    if kind == "hotp":
        return Account(type="hotp", algorithm=item["algorithm"], digits=item["digits"],
                       counter=item["counter"], **common)
    if kind == "steam":
        return Account(type="steam", period=item.get("period", C.DEFAULT_PERIOD), **common)
    raise AccountError(f"unsupported OTP type {kind!r}")


def _label(item: Any, number: int) -> str:
    if isinstance(item, dict):
        text = " ".join(str(item.get(k) or "") for k in ("issuer", "label")).strip()
        return f"entry {number} ({text})" if text else f"entry {number}"
    return f"entry {number}"


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    if _is_json_list(data):
        items = parse_json(data, APP)
    elif _looks_binary(data):
        items = parse_json(_decrypt(data, password()), APP)
    else:
        raise FormatError("not an andOTP backup (neither a JSON list nor encrypted data)")
    if not isinstance(items, list):
        raise FormatError("the andOTP backup is not a list of entries")
    if len(items) > _limits.MAX_ENTRIES:
        raise FormatError("the andOTP backup has too many entries")
    entries = EntryCollector(APP)
    for number, item in enumerate(items, start=1):
        entries.add(_label(item, number), partial(_entry, item))
    return entries.result()


IMPORTERS = [
    Importer(
        name="andotp",
        description="andOTP backup (plain JSON, or encrypted .json.aes: PBKDF2 or old format)",
        sniff=_sniff,
        load=_load,
        encrypted=True,
    )
]
