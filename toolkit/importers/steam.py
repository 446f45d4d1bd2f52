"""Steam Guard secrets: Steam Desktop Authenticator .maFile and the Steam app's JSON.

Either one account object (`shared_secret`, `account_name`, ...) or {"accounts": {id: object}}.
The shared secret is base64; codes are Steam's 5 characters (type steam).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from toolkit.errors import AccountError, FormatError, Source
from toolkit.importers import _limits, _symmetric
from toolkit.importers.base import (
    EntryCollector,
    Importer,
    ImportResult,
    PasswordSource,
    json_object_keys,
    parse_json,
)
from toolkit.model import Account

APP = "Steam"


def _sniff(data: bytes, filename: str) -> int:
    keys = json_object_keys(data)
    if "shared_secret" in keys:
        return 10
    if keys == {"accounts"} and b"shared_secret" in data:
        return 10
    return 0


def _entry(obj: Mapping[str, Any]) -> Account:
    try:
        secret = _symmetric.b64(obj["shared_secret"], "shared_secret")
    except FormatError as exc:
        raise AccountError(exc.message) from None
    name = str(obj.get("account_name") or obj.get("steamid") or "")
    notes = ""
    if obj.get("revocation_code"):
        notes = f"Steam revocation code: {obj['revocation_code']}"
    return Account("Steam", name, secret, type="steam", notes=notes)


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    obj = parse_json(data, APP)
    if not isinstance(obj, dict):
        raise FormatError("not a Steam Guard file", source=Source(label=APP))
    if "shared_secret" in obj:
        items: list[Any] = [obj]
    elif isinstance(obj.get("accounts"), dict):
        items = list(obj["accounts"].values())
    else:
        raise FormatError("no shared_secret in this file", source=Source(label=APP))
    if len(items) > _limits.MAX_ENTRIES:
        raise FormatError("too many accounts", source=Source(label=APP))
    entries = EntryCollector(APP)
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            entries.skip(f"account {number}", "not an object")
            continue
        entries.add(f"account {number} ({item.get('account_name', '')})", partial(_entry, item))
    return entries.result()


IMPORTERS = [
    Importer(
        name="steam",
        description="Steam Guard secrets (.maFile from Steam Desktop Authenticator, steam.json)",
        sniff=_sniff,
        load=_load,
    )
]
