"""Ente Auth plain-text export: one `otpauth://` URI a line, each with a `codeDisplay` JSON
parameter holding Ente's own data (tags, note, pinned, trashed).

The plain `otpauth` importer reads these files too; this one also keeps Ente's tags and notes,
and marks entries from Ente's trash. Encrypted Ente exports are read by `ente-encrypted`.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any
from urllib.parse import unquote

from toolkit import json_input
from toolkit.display import counted
from toolkit.importers.base import EntryCollector, Importer, ImportResult, PasswordSource, lines_of
from toolkit.model import Account
from toolkit.uri import parse_otpauth

APP = "Ente Auth"
TRASH_TAG = "ente-trash"
_CODE_DISPLAY = re.compile(r"[?&]codeDisplay=([^&#]*)", re.IGNORECASE)


def _display(uri: str) -> dict[str, Any]:
    match = _CODE_DISPLAY.search(uri)
    if match is None:
        return {}
    value = json_input.loads_or_none(unquote(match.group(1)))
    return value if isinstance(value, dict) else {}


def _entry(uri: str) -> Account:
    account = parse_otpauth(uri)
    display = _display(uri)
    tags = [t for t in display.get("tags") or [] if isinstance(t, str)]
    if display.get("trashed") is True:
        tags.append(TRASH_TAG)
    note = display.get("note")
    return account.with_changes(tags=tuple(tags), notes=note if isinstance(note, str) else "")


def _sniff(data: bytes, filename: str) -> int:
    head = data.lstrip()[:64].lower()
    if head.startswith((b"otpauth://", b"steam://")) and b"codedisplay=" in data[:65536].lower():
        return 8  # above the plain otpauth list (6): the same URIs, plus Ente's own data
    return 0


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    entries = EntryCollector(APP)
    trashed = 0
    for number, line in enumerate(lines_of(data), start=1):
        if not line or line.startswith("#"):
            continue
        trashed += _display(line).get("trashed") is True
        entries.add(f"line {number}", partial(_entry, line))
    if trashed:
        were = counted(trashed, "account was", "accounts were")
        entries.note(f"{APP}: {were} in Ente's trash; they are kept with the tag {TRASH_TAG!r}")
    return entries.result()


IMPORTERS = [
    Importer(
        name="ente",
        description="Ente Auth plain-text export (otpauth:// URIs; keeps Ente's tags and notes)",
        sniff=_sniff,
        load=_load,
    )
]
