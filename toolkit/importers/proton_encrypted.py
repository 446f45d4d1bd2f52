"""Proton Authenticator password-protected export (version 1).

Format (protonpass/proton-pass-common proton-authenticator/src/entry/password_exporter.rs and
src/crypto.rs): JSON {"version": 1, "salt": base64 of 16 bytes, "content": base64}. The key is
Argon2id v0x13 with fixed costs (19 MiB, 2 passes, 1 lane, 32 bytes); `content` is a 12-byte
nonce followed by AES-256-GCM ciphertext and tag, with associated data
"proton.authenticator.export.v1". It decrypts to the plain Proton Authenticator JSON export:
{"version": 1, "entries": [{"content": {"uri", "entry_type", "name"}, "note"}]}.
"""

from __future__ import annotations

from toolkit.errors import FormatError, Source, UnknownVersionError
from toolkit.importers import _symmetric, import_bytes
from toolkit.importers.base import (
    Importer,
    ImportResult,
    PasswordSource,
    json_object_keys,
    parse_json,
    wrong_password,
)

SOURCE = "Proton Authenticator encrypted export"
ASSOCIATED_DATA = b"proton.authenticator.export.v1"
_ARGON2_MEMORY_KIB = 19 * 1024
_ARGON2_PASSES = 2
_ARGON2_LANES = 1
_SALT_BYTES = 16
_NONCE_BYTES = 12


def _sniff(data: bytes, filename: str) -> int:
    keys = json_object_keys(data)
    return 10 if {"version", "salt", "content"} <= keys and "entries" not in keys else 0


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    obj = parse_json(data, SOURCE)
    if not isinstance(obj, dict):
        raise FormatError("not a JSON object", source=Source(label=SOURCE))
    if obj.get("version") != 1:
        raise UnknownVersionError(f"version {obj.get('version')!r} is not supported",
                                  source=Source(label=SOURCE))
    salt = _symmetric.b64(obj.get("salt"), "salt")
    content = _symmetric.b64(obj.get("content"), "content")
    if len(salt) != _SALT_BYTES:
        raise FormatError(f"the salt is not {_SALT_BYTES} bytes", source=Source(label=SOURCE))
    if len(content) < _NONCE_BYTES + 16:
        raise FormatError("the content is truncated", source=Source(label=SOURCE))
    key = _symmetric.argon2id(password(), salt, _ARGON2_PASSES, _ARGON2_MEMORY_KIB,
                              _ARGON2_LANES)
    plain = _symmetric.aes_gcm_decrypt(key, content[:_NONCE_BYTES], content[_NONCE_BYTES:],
                                       ASSOCIATED_DATA)
    if plain is None:
        raise wrong_password("Proton Authenticator")
    # The plaintext is a plain Proton Authenticator export: read by that importer.
    return import_bytes(plain, SOURCE, forced="proton")


IMPORTERS = [
    Importer(
        name="proton-encrypted",
        description="Proton Authenticator password-protected export (Argon2id + AES-GCM)",
        sniff=_sniff,
        load=_load,
        encrypted=True,
    )
]
