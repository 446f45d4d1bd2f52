"""Duo Mobile accounts.json (rooted copy): a list of accounts with otpGenerator.otpSecret.

Only the name, the base32 secret and (for HOTP) the counter are stored: SHA1, 6 digits, 30 s,
no issuer.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from toolkit.errors import AccountError, FormatError, Source
from toolkit.importers import _limits
from toolkit.importers.base import (
    EntryCollector,
    Importer,
    ImportResult,
    PasswordSource,
    parse_json,
)
from toolkit.model import Account, secret_from_base32

APP = "Duo"


def _sniff(data: bytes, filename: str) -> int:
    if data.lstrip()[:1] != b"[" or b"otpGenerator" not in data:
        return 0
    try:
        obj = parse_json(data, APP)
    except FormatError:
        return 0
    if isinstance(obj, list) and obj and all(
            isinstance(o, dict) and "otpGenerator" in o for o in obj):
        return 10
    return 0


def _entry(item: Mapping[str, Any]) -> Account:
    generator = item["otpGenerator"]
    if not isinstance(generator, dict):
        raise AccountError("otpGenerator is not an object")
    secret = secret_from_base32(str(generator["otpSecret"]))
    name = str(item.get("name") or "")
    counter = generator.get("counter")
    if counter is not None:
        return Account("", name, secret, type="hotp", counter=counter)
    return Account("", name, secret, type="totp")


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    obj = parse_json(data, APP)
    if not isinstance(obj, list):
        raise FormatError("not a Duo account list", source=Source(label=APP))
    if len(obj) > _limits.MAX_ENTRIES:
        raise FormatError("too many accounts", source=Source(label=APP))
    entries = EntryCollector(APP)
    for number, item in enumerate(obj, start=1):
        if not isinstance(item, dict):
            entries.skip(f"account {number}", "not an object")
            continue
        entries.add(f"account {number} ({item.get('name', '')})", partial(_entry, item))
    return entries.result()


IMPORTERS = [
    Importer(
        name="duo",
        description="Duo Mobile accounts.json (rooted copy)",
        sniff=_sniff,
        load=_load,
    )
]
