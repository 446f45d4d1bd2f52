"""FreeOTP+ JSON export (`tokens` and `tokenOrder`): secrets as signed byte arrays.

The HOTP counter is kept as stored (FreeOTP+ stores one less than the next counter, and so
does its own export and re-import). A TOTP token whose issuer is "Steam" is a Steam account.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from toolkit.errors import AccountError, FormatError
from toolkit.importers import _limits
from toolkit.importers.base import (
    EntryCollector,
    Importer,
    ImportResult,
    PasswordSource,
    json_object_keys,
    parse_json,
)
from toolkit.model import Account

APP = "FreeOTP+"


def _sniff(data: bytes, filename: str) -> int:
    return 10 if {"tokens", "tokenOrder"} <= json_object_keys(data) else 0


def _secret(values: Any) -> bytes:
    if not isinstance(values, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and -128 <= v <= 255 for v in values
    ):
        raise AccountError("the secret is not a list of bytes")
    return bytes(v & 0xFF for v in values)


def _entry(item: Mapping[str, Any]) -> Account:
    kind = str(item["type"]).lower()
    issuer = str(item.get("issuerExt") or item.get("issuerInt") or "")
    common: dict[str, Any] = {
        "issuer": issuer,
        "name": str(item.get("label") or ""),
        "secret": _secret(item["secret"]),
    }
    if kind == "totp" and issuer == "Steam":
        return Account(type="steam", period=item.get("period", 30), **common)
    if kind == "totp":
        return Account(type="totp", algorithm=item.get("algo", "SHA1"),
                       digits=item.get("digits", 6), period=item.get("period", 30), **common)
    if kind == "hotp":
        return Account(type="hotp", algorithm=item.get("algo", "SHA1"),
                       digits=item.get("digits", 6), counter=item.get("counter", 0), **common)
    raise AccountError(f"unsupported OTP type {kind!r}")


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    obj = parse_json(data, APP)
    if not isinstance(obj, dict) or not isinstance(obj.get("tokens"), list):
        raise FormatError("not a FreeOTP+ export (no token list)")
    if len(obj["tokens"]) > _limits.MAX_ENTRIES:
        raise FormatError("the FreeOTP+ export has too many tokens")
    entries = EntryCollector(APP)
    for number, item in enumerate(obj["tokens"], start=1):
        label = item.get("label", "") if isinstance(item, dict) else ""
        entries.add(f"token {number} ({label})", partial(_entry, item))
    return entries.result()


IMPORTERS = [
    Importer(
        name="freeotp-plus",
        description="FreeOTP+ JSON export",
        sniff=_sniff,
        load=_load,
    )
]
