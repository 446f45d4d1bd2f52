"""Bitwarden unencrypted exports (JSON and CSV): the TOTP field of each login.

The field holds an `otpauth://` URI, a `steam://` secret or a bare base32 secret (a default
TOTP). Where the field names no issuer or account, the item's name and user name are used.
Item notes are kept; folders become tags. Password-protected JSON exports are read by the
`bitwarden-encrypted` importer.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from functools import partial
from typing import Any

from toolkit.errors import FormatError
from toolkit.importers import _limits
from toolkit.importers.base import (
    EntryCollector,
    Importer,
    ImportResult,
    PasswordSource,
    json_object_keys,
    parse_json,
)
from toolkit.model import Account, secret_from_base32
from toolkit.uri import parse_otpauth

APP = "Bitwarden"


def totp_account(totp: str, item_name: str, username: str, notes: str, tags: tuple[str, ...]
                 ) -> Account:
    """The account a Bitwarden TOTP field describes, named from the item where it says nothing."""
    text = totp.strip()
    if text.lower().startswith("otpauth://"):
        account = parse_otpauth(text)
        return account.with_changes(
            issuer=account.issuer or item_name,
            name=account.name or username,
            notes=notes,
            tags=tags,
        )
    if text.lower().startswith("steam://"):
        secret = secret_from_base32(text[len("steam://"):])
        return Account(issuer=item_name or "Steam", name=username, secret=secret, type="steam",
                       notes=notes, tags=tags)
    return Account(issuer=item_name, name=username, secret=secret_from_base32(text),
                   notes=notes, tags=tags)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _sniff_json(data: bytes, filename: str) -> int:
    keys = json_object_keys(data)
    if "items" not in keys or "encrypted" not in keys:
        return 0
    obj = parse_json(data, APP)
    return 10 if obj.get("encrypted") is False and isinstance(obj.get("items"), list) else 0


def _load_json(data: bytes, password: PasswordSource) -> ImportResult:
    obj = parse_json(data, APP)
    if not isinstance(obj, dict) or not isinstance(obj.get("items"), list):
        raise FormatError("not a Bitwarden export (no item list)")
    if obj.get("encrypted") is True:
        raise FormatError("this Bitwarden export is encrypted",
                          hint="use --format bitwarden-encrypted")
    if len(obj["items"]) > _limits.MAX_RECORDS:
        raise FormatError("the Bitwarden export has too many items")
    listed = obj.get("folders")
    if listed is not None and not isinstance(listed, list):
        raise FormatError("the Bitwarden export's folder list is damaged (not a list)")
    folders = {
        f["id"]: _text(f.get("name"))
        for f in listed or []
        if isinstance(f, dict) and isinstance(f.get("id"), str)
    }
    entries = EntryCollector(APP)
    for number, item in enumerate(obj["items"], start=1):
        login = item.get("login") if isinstance(item, Mapping) else None
        if not isinstance(login, Mapping) or not _text(login.get("totp")).strip():
            continue  # a password entry without two-factor: nothing to import
        name = _text(item.get("name"))
        folder_id = item.get("folderId")
        folder = folders.get(folder_id, "") if isinstance(folder_id, str) else ""
        entries.add(f"item {number} ({name})", partial(
            totp_account, _text(login.get("totp")), name, _text(login.get("username")),
            _text(item.get("notes")), (folder,) if folder else ()))
    if not entries.accounts and not entries.notes:
        raise FormatError("the Bitwarden export has no login with a TOTP secret")
    return entries.result()


def _csv_header(data: bytes) -> list[str]:
    first = data[:4096].decode("utf-8-sig", errors="replace").splitlines()[:1]
    return [h.strip() for h in first[0].split(",")] if first else []


def _sniff_csv(data: bytes, filename: str) -> int:
    return 10 if "login_totp" in _csv_header(data) else 0


def _load_csv(data: bytes, password: PasswordSource) -> ImportResult:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormatError("the Bitwarden CSV is not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text))
    try:
        fields = reader.fieldnames
    except csv.Error:  # a field over the csv module's limit, a NUL...: not a CSV export
        raise FormatError("not a Bitwarden CSV export (not readable as CSV)") from None
    if not fields or "login_totp" not in fields:
        raise FormatError("not a Bitwarden CSV export (no login_totp column)")
    entries = EntryCollector(APP)
    try:
        for number, row in enumerate(reader, start=2):
            if number > _limits.MAX_RECORDS:
                raise FormatError("the Bitwarden CSV has too many rows")
            totp = (row.get("login_totp") or "").strip()
            if not totp:
                continue
            name = row.get("name") or ""
            folder = (row.get("folder") or "").strip()
            entries.add(f"line {number} ({name})", partial(
                totp_account, totp, name, row.get("login_username") or "",
                row.get("notes") or "", (folder,) if folder else ()))
    except csv.Error:
        raise FormatError("the Bitwarden CSV is damaged") from None
    if not entries.accounts and not entries.notes:
        raise FormatError("the Bitwarden CSV has no login with a TOTP secret")
    return entries.result()


IMPORTERS = [
    Importer(
        name="bitwarden",
        description="Bitwarden unencrypted JSON export (the logins' TOTP fields)",
        sniff=_sniff_json,
        load=_load_json,
    ),
    Importer(
        name="bitwarden-csv",
        description="Bitwarden CSV export (the login_totp column)",
        sniff=_sniff_csv,
        load=_load_csv,
    ),
]
