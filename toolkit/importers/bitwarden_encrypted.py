"""Bitwarden password-protected JSON export ("encrypted": true, "passwordProtected": true).

Format (bitwarden.com/help/encrypted-export/; bitwarden/sdk
crates/bitwarden-exporters/src/encrypted_json.rs and crates/bitwarden-crypto): the password and
the `salt` string (its UTF-8 bytes) go through PBKDF2-HMAC-SHA256 (kdfType 0) or Argon2id
(kdfType 1: salt = SHA-256 of the salt string, kdfMemory in MiB); the 32-byte result is
stretched with HKDF-Expand-SHA256 (info "enc" and "mac") into an AES key and a MAC key.
`encKeyValidation_DO_NOT_EDIT` and `data` are EncStrings "2.IV|CIPHERTEXT|MAC" (base64 parts):
AES-256-CBC, MAC = HMAC-SHA256(mac key, IV + ciphertext), checked before decrypting. `data`
decrypts to a plain Bitwarden JSON export. Account-restricted exports use the account's own key
and cannot be opened outside Bitwarden.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

from toolkit.errors import FormatError, Source, UnknownVersionError
from toolkit.importers import _limits, _symmetric, import_bytes
from toolkit.importers.base import (
    Importer,
    ImportResult,
    PasswordSource,
    json_object_keys,
    parse_json,
    wrong_password,
)

VALIDATION_KEY = "encKeyValidation_DO_NOT_EDIT"
_KDF_PBKDF2 = 0
_KDF_ARGON2ID = 1
_ENC_TYPE_AES_CBC_HMAC = "2"
SOURCE = "Bitwarden encrypted export"


def _sniff(data: bytes, filename: str) -> int:
    keys = json_object_keys(data)
    if "encrypted" in keys and (VALIDATION_KEY in keys or "passwordProtected" in keys):
        return 15  # above the plain Bitwarden importer, which may also see "encrypted"/"items"
    return 0


def _enc_string(value: object, what: str) -> tuple[bytes, bytes, bytes]:
    """(IV, ciphertext, MAC) of a type-2 EncString."""
    if not isinstance(value, str) or "." not in value:
        raise FormatError(f"{what} is not an encrypted string", source=Source(label=SOURCE))
    enc_type, _, rest = value.partition(".")
    if enc_type != _ENC_TYPE_AES_CBC_HMAC:
        raise UnknownVersionError(f"encryption type {enc_type!r} is not supported",
                                  source=Source(label=SOURCE))
    parts = rest.split("|")
    if len(parts) != 3:
        raise FormatError(f"{what} does not have three parts", source=Source(label=SOURCE))
    iv, ciphertext, mac = (_symmetric.b64(p, what) for p in parts)
    return iv, ciphertext, mac


def _decrypt(parts: tuple[bytes, bytes, bytes], enc_key: bytes, mac_key: bytes) -> bytes | None:
    iv, ciphertext, mac = parts
    expected = hmac.new(mac_key, iv + ciphertext, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, mac):
        return None
    return _symmetric.aes_cbc_decrypt(enc_key, iv, ciphertext)


def _check_kdf(obj: dict[str, Any]) -> None:
    """Refuse unknown or too costly key derivation settings before asking for the password."""
    kdf_type = obj.get("kdfType")
    if kdf_type == _KDF_PBKDF2:
        _limits.check_cost("PBKDF2 iteration count", obj.get("kdfIterations"),
                           _limits.MAX_PBKDF2_ITERATIONS)
    elif kdf_type == _KDF_ARGON2ID:
        _limits.check_cost("Argon2 memory (MiB)", obj.get("kdfMemory"),
                           _limits.MAX_ARGON2_MEMORY_KIB // 1024)
        _limits.check_cost("Argon2 passes", obj.get("kdfIterations"),
                           _limits.MAX_ARGON2_ITERATIONS)
        _limits.check_cost("Argon2 parallelism", obj.get("kdfParallelism"),
                           _limits.MAX_ARGON2_LANES)
    else:
        raise UnknownVersionError(f"key derivation type {kdf_type!r} is not supported",
                                  source=Source(label=SOURCE))
    salt = obj.get("salt")
    if not isinstance(salt, str) or not salt:
        raise FormatError("the salt is missing", source=Source(label=SOURCE))


def _master_key(obj: dict[str, Any], password: str) -> bytes:
    salt = _symmetric.utf8(obj["salt"], "salt")
    if obj["kdfType"] == _KDF_PBKDF2:
        return _symmetric.pbkdf2(password, salt, obj.get("kdfIterations"))
    memory_mib = _limits.check_cost("Argon2 memory (MiB)", obj.get("kdfMemory"),
                                    _limits.MAX_ARGON2_MEMORY_KIB // 1024)
    return _symmetric.argon2id(password, hashlib.sha256(salt).digest(),
                               iterations=obj.get("kdfIterations"),
                               memory_kib=memory_mib * 1024, lanes=obj.get("kdfParallelism"))


def _stretch(master: bytes, info: bytes) -> bytes:
    return HKDFExpand(algorithm=hashes.SHA256(), length=32, info=info).derive(master)


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    obj = parse_json(data, SOURCE)
    if not isinstance(obj, dict) or obj.get("encrypted") is not True:
        raise FormatError("not an encrypted Bitwarden export", source=Source(label=SOURCE))
    if obj.get("passwordProtected") is not True:
        raise FormatError(
            "this Bitwarden export is account restricted (encrypted with the account's own "
            "key): it can only be opened inside Bitwarden",
            hint="in Bitwarden, export again as 'Password protected' encrypted JSON",
        )
    validation = _enc_string(obj.get(VALIDATION_KEY), VALIDATION_KEY)
    payload = _enc_string(obj.get("data"), "data")
    _check_kdf(obj)
    master = _master_key(obj, password())
    enc_key, mac_key = _stretch(master, b"enc"), _stretch(master, b"mac")
    if _decrypt(validation, enc_key, mac_key) is None:
        raise wrong_password("Bitwarden")
    plain = _decrypt(payload, enc_key, mac_key)
    if plain is None:
        raise FormatError("the data does not match its checksum (damaged file)",
                          source=Source(label=SOURCE))
    # The plaintext is a plain Bitwarden JSON export: read by that importer (tags, notes).
    return import_bytes(plain, SOURCE, forced="bitwarden")


IMPORTERS = [
    Importer(
        name="bitwarden-encrypted",
        description="Bitwarden password-protected encrypted JSON export (PBKDF2 or Argon2id)",
        sniff=_sniff,
        load=_load,
        encrypted=True,
    )
]
