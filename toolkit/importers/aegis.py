"""Aegis Authenticator vault export: plain or encrypted JSON (vault file version 1, db 1-3).

Encrypted vaults keep the master key in "slots"; a password slot wraps it with a key derived by
scrypt (N, r, p and salt stored in the slot) using AES-256-GCM, and the master key opens the
`db` (base64, AES-256-GCM with the header's nonce and tag). Entry notes are kept; groups (db 2:
a name per entry, db 3: group UUIDs) become tags.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from functools import partial
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from toolkit.display import shortened
from toolkit.errors import AccountError, FormatError, UnknownVersionError
from toolkit.importers import _limits
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

APP = "Aegis"
FILE_VERSION = 1
DB_VERSIONS = (1, 2, 3)
PASSWORD_SLOT = 1
MAX_PASSWORD_SLOTS = 8
"""Aegis writes one password slot plus backup-password slots; more is not a real vault."""


def _sniff(data: bytes, filename: str) -> int:
    return 10 if {"version", "header", "db"} <= json_object_keys(data) else 0


def _hex(obj: Mapping[str, Any], key: str, length: int | None = None) -> bytes:
    value = obj.get(key)
    try:
        raw = bytes.fromhex(value) if isinstance(value, str) else None
    except ValueError:
        raw = None
    if raw is None or (length is not None and len(raw) != length):
        raise FormatError(f"the Aegis vault's {key!r} is damaged")
    return raw


def _java_utf8_array(password: str) -> bytes:
    """The bytes old Aegis versions derived from (issue #95): Java's whole encode buffer."""
    exact = password.encode("utf-8")
    units = len(password.encode("utf-16-le")) // 2
    size = int(units * 1.1)
    while size < len(exact):
        size = 2 * size + 1
    return exact + b"\0" * (size - len(exact))


def _scrypt_costs(slot: Mapping[str, Any]) -> tuple[int, int, int]:
    n = _limits.check_cost("scrypt N", slot.get("n"), _limits.MAX_SCRYPT_N, 2)
    r = _limits.check_cost("scrypt r", slot.get("r"), _limits.MAX_SCRYPT_R)
    p = _limits.check_cost("scrypt p", slot.get("p"), _limits.MAX_SCRYPT_P)
    if n & (n - 1):
        raise FormatError("the Aegis vault's scrypt N is not a power of two")
    return n, r, p


def _scrypt(password: bytes, slot: Mapping[str, Any]) -> bytes:
    n, r, p = _scrypt_costs(slot)
    return Scrypt(salt=_hex(slot, "salt"), length=32, n=n, r=r, p=p).derive(password)


def _checked_slots(header: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The password slots, every cost and field checked before any key is derived."""
    slots = header.get("slots")
    if not isinstance(slots, list) or not all(isinstance(s, dict) for s in slots):
        raise FormatError("the Aegis vault's key slots are damaged")
    password_slots = [s for s in slots if s.get("type") == PASSWORD_SLOT]
    if not password_slots:
        raise FormatError(
            "this Aegis vault has no password slot (only biometric or raw keys)",
            hint="export the vault from Aegis again with a password, or without encryption",
        )
    if len(password_slots) > MAX_PASSWORD_SLOTS:
        raise FormatError(f"the Aegis vault has {len(password_slots)} password slots; refusing")
    for slot in password_slots:
        _scrypt_costs(slot)
        _hex(slot, "salt")
        _hex(slot, "key", 32)
        params = slot.get("key_params")
        if not isinstance(params, dict):
            raise FormatError("the Aegis vault's key slot is damaged")
        _hex(params, "nonce", 12)
        _hex(params, "tag", 16)
    return password_slots


def _master_key(slots: list[Mapping[str, Any]], password: str) -> bytes:
    for slot in slots:
        candidates = [password.encode("utf-8")]
        legacy = _java_utf8_array(password)
        if not slot.get("repaired", False) and len(legacy) > 64:
            candidates.append(legacy)  # shorter inputs give the same scrypt key (HMAC padding)
        for candidate in candidates:
            key = _scrypt(candidate, slot)
            params = slot["key_params"]
            wrapped = _hex(slot, "key", 32) + _hex(params, "tag", 16)
            try:
                return AESGCM(key).decrypt(_hex(params, "nonce", 12), wrapped, None)
            except InvalidTag:
                continue
    raise wrong_password(APP)


def _decrypt_db(obj: Mapping[str, Any], password: PasswordSource) -> Any:
    header = obj["header"]
    params = header.get("params")
    if not isinstance(params, dict) or not isinstance(obj.get("db"), str):
        raise FormatError("the encrypted Aegis vault is damaged (no parameters or data)")
    nonce, tag = _hex(params, "nonce", 12), _hex(params, "tag", 16)
    try:
        ciphertext = base64.b64decode(obj["db"], validate=True)
    except (binascii.Error, ValueError):
        raise FormatError("the encrypted Aegis vault's data is not valid base64") from None
    slots = _checked_slots(header)
    master = _master_key(slots, password())
    try:
        plain = AESGCM(master).decrypt(nonce, ciphertext + tag, None)
    except (InvalidTag, ValueError):
        raise FormatError("the encrypted Aegis vault is damaged (its data fails the integrity "
                          "check although the password is right)") from None
    return parse_json(plain, APP)


def _entry(item: Mapping[str, Any], groups: Mapping[str, str]) -> Account | None:
    kind = str(item["type"]).lower()
    info = item["info"]
    tags: list[str] = []
    if isinstance(item.get("groups"), list):
        tags = [groups[g] for g in item["groups"] if g in groups]
    elif isinstance(item.get("group"), str):
        tags = [item["group"]]
    note = item.get("note")
    common: dict[str, Any] = {
        "issuer": str(item.get("issuer") or ""),
        "name": str(item.get("name") or ""),
        "secret": secret_from_base32(info["secret"]),
        "notes": note if isinstance(note, str) else "",
        "tags": tuple(tags),
    }
    if kind == "hotp":
        return Account(type="hotp", algorithm=info["algo"], digits=info["digits"],
                       counter=info["counter"], **common)
    if kind == "totp":
        return Account(type="totp", algorithm=info["algo"], digits=info["digits"],
                       period=info["period"], **common)
    if kind == "steam":
        return Account(type="steam", period=info.get("period", 30), **common)
    raise AccountError(f"unsupported OTP type {kind!r} (mOTP and Yandex are not TOTP/HOTP)")


def load_db(db: Any, source: str = APP) -> ImportResult:
    """The accounts of a decrypted Aegis `db` object (versions 1-3)."""
    if not isinstance(db, dict) or not isinstance(db.get("entries"), list):
        raise FormatError("the Aegis vault has no entry list")
    version = db.get("version")
    if version not in DB_VERSIONS:
        shown = shortened(repr(version), 20)
        raise UnknownVersionError(f"Aegis database version {shown} is not supported "
                                  f"(known: {', '.join(map(str, DB_VERSIONS))})")
    if len(db["entries"]) > _limits.MAX_ENTRIES:
        raise FormatError("the Aegis vault has too many entries")
    groups: dict[str, str] = {}
    listed = db.get("groups") or []
    if not isinstance(listed, list):
        raise FormatError("the Aegis vault's group list is damaged")
    for group in listed:
        if isinstance(group, dict) and isinstance(group.get("uuid"), str):
            groups[group["uuid"]] = str(group.get("name") or "")
    entries = EntryCollector(source)
    for number, item in enumerate(db["entries"], start=1):
        entries.add(_label(item, number), partial(_entry, item, groups))
    return entries.result()


def _label(item: Any, number: int) -> str:
    if isinstance(item, dict):
        issuer, name = item.get("issuer") or "", item.get("name") or ""
        if issuer or name:
            return f"entry {number} ({issuer}: {name})" if issuer else f"entry {number} ({name})"
    return f"entry {number}"


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    obj = parse_json(data, APP)
    if not isinstance(obj, dict) or not isinstance(obj.get("header"), dict):
        raise FormatError("not an Aegis vault (no header)")
    if obj.get("version") != FILE_VERSION:
        shown = shortened(repr(obj.get("version")), 20)
        raise UnknownVersionError(f"Aegis vault file version {shown} is not supported")
    header = obj["header"]
    encrypted = header.get("slots") is not None or header.get("params") is not None
    db = _decrypt_db(obj, password) if encrypted else obj.get("db")
    return load_db(db)


IMPORTERS = [
    Importer(
        name="aegis",
        description="Aegis Authenticator vault export (JSON, plain or password-encrypted)",
        sniff=_sniff,
        load=_load,
        encrypted=True,
    )
]
