"""FreeOTP 2 backups: a Java-serialised HashMap<String, String> (despite the .xml name).

`masterKey` holds a PBKDF2 (HMAC-SHA1 or -SHA512) wrapped AES-GCM master key; each token has an
entry `<uuid>` with its secret AES-GCM-encrypted under the master key and `<uuid>-token` with
its parameters (FreeOTP 1's token JSON). HOTP counters here are the real next counters.
"""

from __future__ import annotations

import io
import logging
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
from toolkit.importers.freeotp import token_account, token_secret
from toolkit.looks import described
from toolkit.model import Account

APP = "FreeOTP 2"
FROM = Source(label=APP)
"""Where this importer's errors come from (shown before their words)."""
JAVA_MAGIC = b"\xac\xed\x00\x05"
_KDFS = {"PBKDF2withHmacSHA1": "sha1", "PBKDF2withHmacSHA512": "sha512"}
KDF_NAMES = tuple(_KDFS)
"""The key derivations FreeOTP 2 writes (named in the message about any other)."""
_CIPHER = "AES/GCM/NoPadding"


def _unknown(value: object) -> str:
    """What an unexpected algorithm field holds, said without quoting it: a damaged file can
    hold anything there, a piece of a key included (toolkit/looks.py's rule for secrets)."""
    if value is None:
        return "none is named"
    if isinstance(value, str):
        return f"a name that {described(value)}" if value.strip() else "an empty name"
    if isinstance(value, bool):
        return "true or false, not a name"
    if isinstance(value, int | float):
        return "a number, not a name"
    return "a list, not a name" if isinstance(value, list) else "an object, not a name"


def _sniff(data: bytes, filename: str) -> int:
    return 10 if data.startswith(JAVA_MAGIC) and b"masterKey" in data else 0


def _read_map(data: bytes) -> dict[str, str]:
    import javaobj

    logging.getLogger("javaobj").setLevel(logging.CRITICAL)  # it logs parse details
    try:
        obj = javaobj.load(io.BytesIO(data))  # type: ignore[no-untyped-call]
    except Exception:  # javaobj raises many kinds on damaged streams
        raise FormatError("the backup is damaged (not a readable Java object)",
                          source=FROM) from None
    if not isinstance(obj, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in obj.items()
    ):
        raise FormatError("the backup does not hold a map of strings", source=FROM)
    if len(obj) > 2 * _limits.MAX_ENTRIES:
        raise FormatError("too many entries", source=FROM)
    return {str(k): str(v) for k, v in obj.items()}


def _bytes(values: Any, what: str) -> bytes:
    try:
        return token_secret(values)
    except AccountError:
        raise FormatError(f"the {what} is not a list of bytes", source=FROM) from None


def _nonce(parameters: bytes) -> bytes:
    """The GCM nonce from Java's AlgorithmParameters DER: OCTET STRING, or SEQUENCE holding one."""
    if parameters[:1] == b"\x30" and len(parameters) >= 2:
        parameters = parameters[2:]
    if len(parameters) >= 2 and parameters[0] == 0x04 and parameters[1] <= len(parameters) - 2:
        return parameters[2 : 2 + parameters[1]]
    raise FormatError("the encryption parameters are damaged", source=FROM)


def _json(text: str, what: str) -> dict[str, Any]:
    try:
        obj = json_input.loads(text, f"the {what}")
    except FormatError as exc:  # the part's name stays in the words, the app is the source
        raise FormatError(exc.located, exc.hint, source=FROM) from None
    if not isinstance(obj, dict):
        raise FormatError(f"the {what} is not a JSON object", source=FROM)
    return obj


def _open_key(key_obj: Mapping[str, Any], key: bytes) -> bytes | None:
    cipher = key_obj.get("mCipher")
    if cipher != _CIPHER:
        raise FormatError(f"unexpected cipher: {_unknown(cipher)}; FreeOTP 2 uses {_CIPHER}",
                          source=FROM)
    ciphertext = _bytes(key_obj.get("mCipherText"), "ciphertext")
    nonce = _nonce(_bytes(key_obj.get("mParameters"), "parameters"))
    aad = _symmetric.utf8(str(key_obj.get("mToken", "")), "token name")
    return _symmetric.aes_gcm_decrypt(key, nonce, ciphertext, aad)


def _master_key(entries: Mapping[str, str], password: str) -> bytes:
    master = _json(entries["masterKey"], "master key")
    algorithm = master.get("mAlgorithm")
    if not isinstance(algorithm, str) or algorithm not in _KDFS:
        raise FormatError(f"unexpected key derivation: {_unknown(algorithm)}; FreeOTP 2 uses "
                          f"{' or '.join(KDF_NAMES)}", source=FROM)
    salt = _bytes(master.get("mSalt"), "salt")
    encrypted = master.get("mEncryptedKey")
    if not isinstance(encrypted, dict):
        raise FormatError("the master key is damaged", source=FROM)
    pass_key = _symmetric.pbkdf2(password, salt, master.get("mIterations"), _KDFS[algorithm])
    key = _open_key(encrypted, pass_key)
    if key is None:
        raise wrong_password(APP)
    if len(key) not in (16, 24, 32):
        raise FormatError("the master key has an impossible length", source=FROM)
    return key


def _entry(sealed: str, token_text: str | None, master: bytes) -> Account:
    if token_text is None:
        raise AccountError("its parameters (the -token entry) are missing")
    try:
        token = _json(token_text, "token")
        key_obj = _json(str(_json(sealed, "token key").get("key", "")), "token key")
        secret = _open_key(key_obj, master)
    except FormatError as exc:  # one damaged token is a note, not a failed import
        raise AccountError(exc.message) from None  # noted under the app's name already
    if secret is None:
        raise AccountError("its secret does not decrypt (the backup is damaged)")
    return token_account(token, secret)


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    entries = _read_map(data)
    if "masterKey" not in entries:
        raise FormatError("no master key in the backup", source=FROM)
    master = _master_key(entries, password())
    collector = EntryCollector(APP)
    for name, value in entries.items():
        if name == "masterKey" or name.endswith("-token"):
            continue
        label = ""
        token = json_input.loads_or_none(entries.get(f"{name}-token", "{}"))
        if isinstance(token, dict):
            label = f" ({token.get('issuerExt', '')}: {token.get('label', '')})"
        collector.add(f"token {name}{label}",
                      partial(_entry, value, entries.get(f"{name}-token"), master))
    return collector.result()


IMPORTERS = [
    Importer(
        name="freeotp2",
        description="FreeOTP 2 encrypted backup (externalBackup.xml, a Java-serialised map)",
        sniff=_sniff,
        load=_load,
        encrypted=True,
    )
]
