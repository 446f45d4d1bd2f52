"""Ente Auth encrypted export (version 1).

Format (ente-io/ente docs/docs/auth/migration/export.md; auth/lib/ui/settings/data/
export_widget.dart and import/encrypted_ente_import.dart): JSON with `version`, `kdfParams`
{`memLimit` (bytes), `opsLimit`, `salt` (base64)}, `encryptedData` and `encryptionNonce`
(base64). The key is libsodium crypto_pwhash Argon2id13 (32 bytes); the data is one libsodium
secretstream XChaCha20-Poly1305 message whose header is `encryptionNonce`. The plaintext is the
otpauth:// URIs, one per line. The app writes TAG_FINAL; TAG_MESSAGE is accepted too.
"""

from __future__ import annotations

from nacl import bindings, exceptions, pwhash

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

SOURCE = "Ente Auth encrypted export"
_KEYS = {"version", "kdfParams", "encryptedData", "encryptionNonce"}
_HEADER_BYTES = bindings.crypto_secretstream_xchacha20poly1305_HEADERBYTES
_ACCEPTED_TAGS = (
    bindings.crypto_secretstream_xchacha20poly1305_TAG_FINAL,
    bindings.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
)


def _sniff(data: bytes, filename: str) -> int:
    return 10 if json_object_keys(data) >= _KEYS else 0


def _derive_key(params: object, password: PasswordSource) -> bytes:
    """The key, after refusing too costly settings (before the password is asked for)."""
    if not isinstance(params, dict):
        raise FormatError("kdfParams is missing", source=Source(label=SOURCE))
    memory = _limits.check_cost("Argon2 memory (bytes)", params.get("memLimit"),
                                _limits.MAX_ARGON2_MEMORY_KIB * 1024,
                                minimum=pwhash.argon2id.MEMLIMIT_MIN)
    passes = _limits.check_cost("Argon2 passes", params.get("opsLimit"),
                                _limits.MAX_ARGON2_ITERATIONS,
                                minimum=pwhash.argon2id.OPSLIMIT_MIN)
    salt = _symmetric.b64(params.get("salt"), "salt")
    if len(salt) != pwhash.argon2id.SALTBYTES:
        raise FormatError(f"the salt is not {pwhash.argon2id.SALTBYTES} bytes",
                          source=Source(label=SOURCE))
    key: bytes = pwhash.argon2id.kdf(32, password().encode("utf-8"), salt,
                                     opslimit=passes, memlimit=memory)
    return key


def _decrypt(key: bytes, header: bytes, ciphertext: bytes) -> bytes | None:
    state = bindings.crypto_secretstream_xchacha20poly1305_state()
    try:
        bindings.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key)
        message, tag = bindings.crypto_secretstream_xchacha20poly1305_pull(state, ciphertext)
    except (exceptions.CryptoError, exceptions.ValueError, exceptions.TypeError):
        return None
    if tag not in _ACCEPTED_TAGS:
        return None
    return bytes(message)


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    obj = parse_json(data, SOURCE)
    if not isinstance(obj, dict) or not set(obj) >= _KEYS:
        raise FormatError("missing fields", source=Source(label=SOURCE))
    if obj["version"] != 1:
        raise UnknownVersionError(f"version {obj['version']!r} is not supported",
                                  source=Source(label=SOURCE))
    header = _symmetric.b64(obj["encryptionNonce"], "encryptionNonce")
    ciphertext = _symmetric.b64(obj["encryptedData"], "encryptedData")
    if len(header) != _HEADER_BYTES:
        raise FormatError(f"encryptionNonce is not {_HEADER_BYTES} bytes",
                          source=Source(label=SOURCE))
    if len(ciphertext) < bindings.crypto_secretstream_xchacha20poly1305_ABYTES:
        raise FormatError("encryptedData is truncated", source=Source(label=SOURCE))
    plain = _decrypt(_derive_key(obj["kdfParams"], password), header, ciphertext)
    if plain is None:
        raise wrong_password("Ente Auth")
    # The plaintext is Ente's plain export (URIs with codeDisplay): read by that importer.
    return import_bytes(plain, SOURCE, forced="ente")


IMPORTERS = [
    Importer(
        name="ente-encrypted",
        description="Ente Auth encrypted export (Argon2id + XChaCha20-Poly1305)",
        sniff=_sniff,
        load=_load,
        encrypted=True,
    )
]
