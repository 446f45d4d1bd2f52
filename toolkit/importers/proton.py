"""Proton Authenticator plain JSON export: `entries[].content` with an otpauth:// URI.

The name is `content.name`, the issuer comes from the URI; an entry's note is kept. Encrypted
Proton exports are read by the `proton-encrypted` importer.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from toolkit.errors import FormatError, UnknownVersionError
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
from toolkit.uri import parse_otpauth

APP = "Proton Authenticator"
VERSIONS = (1,)


def _sniff(data: bytes, filename: str) -> int:
    if not {"version", "entries"} <= json_object_keys(data):
        return 0
    entries = parse_json(data, APP).get("entries")
    if isinstance(entries, list) and entries and isinstance(entries[0], dict):
        content = entries[0].get("content")
        if isinstance(content, dict) and "uri" in content and "entry_type" in content:
            return 10
    return 5 if isinstance(entries, list) and not entries else 0


def _entry(item: Mapping[str, Any]) -> Account:
    content = item["content"]
    account = parse_otpauth(content["uri"])
    name = content.get("name")
    note = item.get("note")
    return account.with_changes(
        name=name if isinstance(name, str) and name else account.name,
        notes=note if isinstance(note, str) else "",
    )


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    obj = parse_json(data, APP)
    if not isinstance(obj, dict) or not isinstance(obj.get("entries"), list):
        raise FormatError("not a Proton Authenticator export (no entry list)")
    if obj.get("version") not in VERSIONS:
        raise UnknownVersionError(f"Proton Authenticator export version {obj.get('version')!r} "
                                  "is not supported")
    if len(obj["entries"]) > _limits.MAX_ENTRIES:
        raise FormatError("the Proton Authenticator export has too many entries")
    entries = EntryCollector(APP)
    for number, item in enumerate(obj["entries"], start=1):
        entries.add(f"entry {number}", partial(_entry, item))
    return entries.result()


IMPORTERS = [
    Importer(
        name="proton",
        description="Proton Authenticator plain JSON export",
        sniff=_sniff,
        load=_load,
    )
]
