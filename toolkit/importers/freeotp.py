"""FreeOTP 1 (and FreeOTP+ internal) shared_prefs tokens.xml: one JSON token string per entry.

Also the Android shared-preferences XML reader the other rooted-copy importers use. The HOTP
counter is kept as stored, like the FreeOTP+ JSON importer, so one account reads the same from
every FreeOTP export (FreeOTP stores one below the counter Aegis would use; a site's look-ahead
window absorbs that, and `paper2fa codes` shows the next few codes to resynchronise).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from toolkit import json_input
from toolkit.errors import AccountError, FormatError, Source
from toolkit.importers import _limits, _xml
from toolkit.importers.base import EntryCollector, Importer, ImportResult, PasswordSource
from toolkit.model import Account

APP = "FreeOTP"


def shared_prefs(data: bytes, app: str) -> list[tuple[str, str, str]]:
    """(tag, name, value) of each entry of an Android shared_prefs <map> file, in file order.

    `value` is the text of <string> entries and the value attribute of the others.
    """
    head = data.lstrip()[:200]
    if not head.startswith((b"<?xml", b"<map")):
        raise FormatError(f"not a {app} shared_prefs XML file")
    root = _xml.parse(data, app)
    if root.tag != "map":
        raise FormatError(f"not a {app} shared_prefs XML file (no <map>)")
    entries = []
    for child in root:
        name = child.get("name", "")
        value = (child.text or "") if child.tag == "string" else child.get("value", "")
        entries.append((child.tag, name, value))
    if len(entries) > _limits.MAX_RECORDS:
        raise FormatError("too many entries", source=Source(label=app))
    return entries


def looks_like_prefs(data: bytes, *markers: bytes) -> bool:
    head = data.lstrip()[:200]
    return head.startswith((b"<?xml", b"<map")) and all(m in data for m in markers)


def token_secret(values: Any) -> bytes:
    """A Java byte[] as a JSON list of signed bytes."""
    if not isinstance(values, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and -128 <= v <= 255 for v in values
    ):
        raise AccountError("the secret is not a list of bytes")
    return bytes(v & 0xFF for v in values)


def token_account(token: Mapping[str, Any], secret: bytes) -> Account:
    """One FreeOTP token JSON object (shared by FreeOTP 1, FreeOTP+ and FreeOTP 2)."""
    kind = str(token["type"]).lower()
    issuer = str(token.get("issuerExt") or token.get("issuerInt") or "")
    name = str(token.get("label") or "")
    algorithm = token.get("algo") or "SHA1"
    digits = token.get("digits") or 6
    if kind == "totp" and issuer == "Steam":
        return Account(issuer, name, secret, type="steam", period=token.get("period") or 30)
    if kind == "totp":
        return Account(issuer, name, secret, type="totp", algorithm=algorithm, digits=digits,
                       period=token.get("period") or 30)
    if kind == "hotp":
        counter = token.get("counter", 0)
        if isinstance(counter, bool) or not isinstance(counter, int):
            raise AccountError("the HOTP counter is not a whole number")
        return Account(issuer, name, secret, type="hotp", algorithm=algorithm, digits=digits,
                       counter=counter)
    raise AccountError(f"unsupported OTP type {kind!r}")


def _v1_entry(value: str) -> Account:
    token = json_input.loads(value, "the token")
    if not isinstance(token, dict):
        raise ValueError("not a token object")
    return token_account(token, token_secret(token["secret"]))


def load_v1(data: bytes, app: str) -> ImportResult:
    entries = EntryCollector(app)
    for tag, name, value in shared_prefs(data, app):
        if tag != "string" or name == "tokenOrder":
            continue
        entries.add(f"token {name!r}", partial(_v1_entry, value))
    return entries.result()


def _sniff(data: bytes, filename: str) -> int:
    if looks_like_prefs(data, b"issuerExt", b"secret&quot;:["):
        return 8
    return 0


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    return load_v1(data, APP)


IMPORTERS = [
    Importer(
        name="freeotp",
        description="FreeOTP 1 tokens.xml (rooted copy of shared_prefs)",
        sniff=_sniff,
        load=_load,
    )
]
