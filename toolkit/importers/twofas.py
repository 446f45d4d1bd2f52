"""2FAS Authenticator backup (`.2fas`, schema versions 1-4), plain or password-encrypted.

Encrypted backups hold `servicesEncrypted` = base64(ciphertext+tag):base64(salt):base64(iv),
with the key from PBKDF2-HMAC-SHA256 (10 000 iterations, fixed by the app) and AES-256-GCM.
Schema 1 stores no algorithm, digits or period (default TOTP); schema 2 no token type (TOTP);
schemas 3-4 add HOTP and Steam. Groups become tags.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from functools import partial
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from toolkit import constants as C
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

APP = "2FAS"
SCHEMA_VERSIONS = (1, 2, 3, 4)
PBKDF2_ITERATIONS = 10_000
"""2FAS derives its backup key with a fixed 10 000 iterations (not stored in the file)."""


def _sniff(data: bytes, filename: str) -> int:
    keys = json_object_keys(data)
    if "schemaVersion" in keys and keys & {"services", "servicesEncrypted"}:
        return 10
    return 0


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise FormatError("the 2FAS backup's encrypted data is damaged (not base64)") from None


def _decrypt(blob: str, password: PasswordSource) -> Any:
    parts = blob.split(":")
    if len(parts) < 3:
        raise FormatError("the 2FAS backup's encrypted data is damaged (expected data:salt:iv)")
    ciphertext, salt, iv = _b64(parts[0]), _b64(parts[1]), _b64(parts[2])
    if len(ciphertext) < 16 or not 8 <= len(iv) <= 64 or not salt:
        raise FormatError("the 2FAS backup's encrypted data is damaged (bad sizes)")
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt,
                     iterations=PBKDF2_ITERATIONS)
    key = kdf.derive(password().encode("utf-8"))
    try:
        plain = AESGCM(key).decrypt(iv, ciphertext, None)
    except InvalidTag:
        raise wrong_password(APP) from None
    return parse_json(plain, APP)


def _service(item: Mapping[str, Any], groups: Mapping[str, str]) -> Account:
    otp = item.get("otp") or {}
    if not isinstance(otp, dict):
        raise AccountError("the entry's otp settings are damaged")
    issuer = item.get("name") or otp.get("issuer") or ""
    name = otp.get("account") or ""
    kind = otp.get("tokenType")
    algorithm = otp.get("algorithm") or C.DEFAULT_ALGORITHM
    digits = otp.get("digits") or C.DEFAULT_DIGITS
    note = item.get("additionalInfo")
    group = item.get("groupId")
    tags = (groups[group],) if isinstance(group, str) and group in groups else ()
    common: dict[str, Any] = {
        "issuer": str(issuer),
        "name": str(name),
        "secret": secret_from_base32(item["secret"]),
        "notes": note if isinstance(note, str) else "",
        "tags": tags,
    }
    if kind in (None, "TOTP"):
        return Account(type="totp", algorithm=algorithm, digits=digits,
                       period=otp.get("period") or C.DEFAULT_PERIOD, **common)
    if kind == "HOTP":
        return Account(type="hotp", algorithm=algorithm, digits=digits,
                       counter=otp.get("counter") or 0, **common)
    if kind == "STEAM":
        return Account(type="steam", period=otp.get("period") or C.DEFAULT_PERIOD, **common)
    raise AccountError(f"unsupported token type {kind!r}")


def _label(item: Any, number: int) -> str:
    if isinstance(item, dict) and isinstance(item.get("name"), str):
        return f"service {number} ({item['name']})"
    return f"service {number}"


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    obj = parse_json(data, APP)
    if not isinstance(obj, dict):
        raise FormatError("not a 2FAS backup (not a JSON object)")
    version = obj.get("schemaVersion")
    if version not in SCHEMA_VERSIONS:
        shown = shortened(repr(version), 20)
        raise UnknownVersionError(f"2FAS schema version {shown} is not supported "
                                  f"(known: {', '.join(map(str, SCHEMA_VERSIONS))})")
    encrypted = obj.get("servicesEncrypted")
    if isinstance(encrypted, str) and encrypted:
        services = _decrypt(encrypted, password)
    else:
        services = obj.get("services")
    if not isinstance(services, list):
        raise FormatError("the 2FAS backup has no service list")
    if len(services) > _limits.MAX_ENTRIES:
        raise FormatError("the 2FAS backup has too many services")
    listed = obj.get("groups")
    if listed is not None and not isinstance(listed, list):
        raise FormatError("the 2FAS backup's group list is damaged (not a list)")
    groups = {
        str(g["id"]): str(g.get("name") or "")
        for g in listed or []
        if isinstance(g, dict) and isinstance(g.get("id"), str | int)
    }
    entries = EntryCollector(APP)
    for number, item in enumerate(services, start=1):
        entries.add(_label(item, number), partial(_service, item, groups))
    return entries.result()


IMPORTERS = [
    Importer(
        name="2fas",
        description="2FAS Authenticator backup (.2fas / JSON, schema 1-4, plain or encrypted)",
        sniff=_sniff,
        load=_load,
        encrypted=True,
    )
]
