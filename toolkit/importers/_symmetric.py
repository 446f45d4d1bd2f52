"""Decryption helpers the encrypted-export importers share: bounded KDFs, AES, strict base64.

Every KDF cost read from a file goes through `_limits.check_cost` here, so an importer cannot
forget it. Decrypt helpers return None on failure; the importer turns that into
WrongPasswordError (opaque: wrong password, truncation and tampering look the same).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from toolkit import json_input
from toolkit.errors import FormatError
from toolkit.importers import _limits


def b64(text: object, what: str, urlsafe: bool = False) -> bytes:
    """Strict base64 of a field read from a file; FormatError naming the field otherwise."""
    if not isinstance(text, str | bytes):
        raise FormatError(f"the file's {what} is missing or not text")
    raw = text.encode("ascii", errors="replace") if isinstance(text, str) else text
    raw = b"".join(raw.split())
    try:
        if urlsafe:
            return base64.urlsafe_b64decode(raw + b"=" * (-len(raw) % 4))
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise FormatError(f"the file's {what} is not valid base64") from None


def utf8(text: object, what: str) -> bytes:
    """The UTF-8 bytes of a text field read from a file (a salt, associated data); a field that
    is not text, or holds a lone surrogate (JSON's "\\ud800"), is a FormatError."""
    if not isinstance(text, str):
        raise FormatError(f"the file's {what} is missing or not text")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise FormatError(f"the file's {what} is not valid text (a lone surrogate)") from None


def pbkdf2(password: str, salt: bytes, iterations: object, hash_name: str = "sha256",
           length: int = 32) -> bytes:
    rounds = _limits.check_cost("PBKDF2 iteration count", iterations,
                                _limits.MAX_PBKDF2_ITERATIONS)
    return hashlib.pbkdf2_hmac(hash_name, password.encode("utf-8"), salt, rounds, length)


def argon2id(password: str | bytes, salt: bytes, iterations: object, memory_kib: object,
             lanes: object, length: int = 32) -> bytes:
    """Argon2id (version 0x13) with every cost checked against the limits first."""
    passes = _limits.check_cost("Argon2 passes", iterations, _limits.MAX_ARGON2_ITERATIONS)
    lanes_ = _limits.check_cost("Argon2 parallelism", lanes, _limits.MAX_ARGON2_LANES)
    memory = _limits.check_cost("Argon2 memory (KiB)", memory_kib,
                                _limits.MAX_ARGON2_MEMORY_KIB, minimum=8 * lanes_)
    if len(salt) < 8:
        raise FormatError("the file's Argon2 salt is too short")
    secret = password.encode("utf-8") if isinstance(password, str) else password
    kdf = Argon2id(salt=salt, length=length, iterations=passes, lanes=lanes_,
                   memory_cost=memory)
    return kdf.derive(secret)


def aes_cbc_decrypt(key: bytes, iv: bytes, ciphertext: bytes) -> bytes | None:
    """AES-CBC with PKCS#7 padding; None when the length or the padding is wrong."""
    if len(iv) != 16 or not ciphertext or len(ciphertext) % 16:
        return None
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:
        return None


def aes_gcm_decrypt(key: bytes, nonce: bytes, ciphertext_and_tag: bytes,
                    aad: bytes | None = None) -> bytes | None:
    """AES-GCM (16-byte tag appended); None when the tag does not verify."""
    if len(ciphertext_and_tag) < 16 or not 8 <= len(nonce) <= 128:
        return None
    try:
        return AESGCM(key).decrypt(nonce, ciphertext_and_tag, aad)
    except InvalidTag:
        return None


def json_or_none(data: bytes) -> Any:
    """Parsed JSON, or None when the bytes are not UTF-8 JSON (used to validate decryptions)."""
    return json_input.loads_or_none(data)
