"""Authy rooted copy: shared_prefs com.authy.storage.tokens.authenticator.xml.

One <string> holds a JSON list of tokens with the base32 secret either plain (decryptedSecret)
or encrypted (encryptedSecret: AES-256-CBC, zero IV, key PBKDF2-HMAC-SHA1(password, salt,
1000 iterations)). Authy stores no algorithm or period: SHA1 and 30 s. The encryption has no
integrity check, so a wrong password shows as bad padding or a secret that is not base32.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from toolkit import json_input
from toolkit.errors import AccountError, FormatError, Source
from toolkit.importers import _limits, _symmetric
from toolkit.importers.base import (
    EntryCollector,
    Importer,
    ImportResult,
    PasswordSource,
    wrong_password,
)
from toolkit.importers.freeotp import looks_like_prefs, shared_prefs
from toolkit.model import Account, secret_from_base32

APP = "Authy"
KEY = "com.authy.storage.tokens.authenticator.key"
ITERATIONS = 1000
_ZERO_IV = bytes(16)


def _sniff(data: bytes, filename: str) -> int:
    return 10 if looks_like_prefs(data, KEY.encode()) else 0


def _tokens(data: bytes) -> list[Mapping[str, Any]]:
    for tag, name, value in shared_prefs(data, APP):
        if tag == "string" and name == KEY:
            tokens = json_input.loads(value, f"{APP}: the token list")
            if not isinstance(tokens, list) or len(tokens) > _limits.MAX_ENTRIES:
                raise FormatError("the token list is damaged", source=Source(label=APP))
            return [t for t in tokens if isinstance(t, dict)]
    raise FormatError(f"no token list ({KEY}) in this file", source=Source(label=APP))


def _names(token: Mapping[str, Any]) -> tuple[str, str]:
    """Issuer and name as the app shows them: 'Issuer: name' minus the issuer prefix."""
    original = str(token.get("originalName") or "")
    name = str(token.get("name") or "")
    issuer = str(token.get("originalIssuer") or "")
    separator = ":"
    if not issuer and ":" in original:
        issuer = original.split(":", 1)[0]
    elif not issuer and " - " in name:
        issuer, separator = name.split(" - ", 1)[0], " - "
    if issuer:
        for prefix in (f"{issuer}{separator} ", f"{issuer}{separator}", f"{issuer} - "):
            if name.startswith(prefix):
                name = name[len(prefix):]
                break
    if not name and ":" in original:
        name = original.split(":", 1)[1]
    return issuer, name


def _decrypt(token: Mapping[str, Any], password: str) -> bytes:
    if not isinstance(token.get("salt"), str):
        raise FormatError("an encrypted token has no salt", source=Source(label=APP))
    salt = _symmetric.utf8(token["salt"], "salt")
    key = _symmetric.pbkdf2(password, salt, ITERATIONS, "sha1", 32)
    ciphertext = _symmetric.b64(token.get("encryptedSecret"), "encrypted secret")
    plain = _symmetric.aes_cbc_decrypt(key, _ZERO_IV, ciphertext)
    if plain is None:
        raise wrong_password(APP)
    try:
        return secret_from_base32(plain.decode("ascii"))
    except (UnicodeDecodeError, AccountError):
        raise wrong_password(APP) from None


def _entry(token: Mapping[str, Any], secret: bytes | None) -> Account:
    if secret is None:
        secret = secret_from_base32(str(token["decryptedSecret"]))
    issuer, name = _names(token)
    return Account(issuer, name, secret, type="totp", algorithm="SHA1",
                   digits=token.get("digits") or 6, period=30)


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    tokens = _tokens(data)
    pw: str | None = None
    entries = EntryCollector(APP)
    for number, token in enumerate(tokens, start=1):
        secret = None
        if "decryptedSecret" not in token and "encryptedSecret" in token:
            if pw is None:
                pw = password()
            secret = _decrypt(token, pw)  # a wrong password fails the whole file
        entries.add(f"token {number} ({token.get('name', '')})", partial(_entry, token, secret))
    return entries.result()


IMPORTERS = [
    Importer(
        name="authy",
        description="Authy rooted copy of shared_prefs (plain or password-encrypted secrets)",
        sniff=_sniff,
        load=_load,
        encrypted=True,
    )
]
