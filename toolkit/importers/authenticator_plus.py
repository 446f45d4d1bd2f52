"""Authenticator Plus: a password-protected zip (ZipCrypto) holding Accounts.txt, a URI list.

Decrypted in memory with zipfile. ZipCrypto checks the password with one byte only, so about one
wrong password in 256 gets past it; the CRC-32 of the entry and the URI list that must come out
of it catch those, and they are reported as a wrong password too.
"""

from __future__ import annotations

from toolkit.errors import FormatError
from toolkit.importers import _limits, _zip
from toolkit.importers.base import (
    EntryCollector,
    Importer,
    ImportResult,
    PasswordSource,
    wrong_password,
)

APP = "Authenticator Plus"
ENTRY = "Accounts.txt"


def _sniff(data: bytes, filename: str) -> int:
    if not data.startswith(_zip.ZIP_MAGIC):
        return 0
    # The local header of the first entry: flag bit 0 = encrypted, then the name.
    flags = int.from_bytes(data[6:8], "little")
    name_len = int.from_bytes(data[26:28], "little")
    name = data[30:30 + name_len]
    is_accounts = name.rsplit(b"/", 1)[-1] == ENTRY.encode()
    if is_accounts and flags & 1:
        return 10
    return 2 if is_accounts else 0


def _read_entry(data: bytes, password: PasswordSource) -> tuple[bytes, bool]:
    """The bytes of Accounts.txt and whether they were encrypted."""
    return _zip.read_member(
        data, APP,
        lambda members: next((m for m in members if m.filename.rsplit("/", 1)[-1] == ENTRY),
                             None),
        f"the zip has no {ENTRY}", password)


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    content, encrypted = _read_entry(data, password)
    try:
        lines = [line.strip() for line in content.decode("utf-8-sig").splitlines()]
    except UnicodeDecodeError:
        lines = [""]
    uris = [line for line in lines if line and not line.startswith("#")]
    if not uris or not all(u.lower().startswith(("otpauth://", "steam://")) for u in uris):
        if encrypted:  # what a wrong password that passed both checks would give
            raise wrong_password(APP)
        raise FormatError(f"Authenticator Plus: {ENTRY} is not a list of otpauth:// URIs")
    if len(uris) > _limits.MAX_ENTRIES:
        raise FormatError("Authenticator Plus: too many accounts")
    entries = EntryCollector("Authenticator Plus")
    for number, uri in enumerate(uris, start=1):
        entries.add_uri(f"line {number}", uri)
    return entries.result()


IMPORTERS = [
    Importer(
        name="authenticator-plus",
        description="Authenticator Plus encrypted backup (zip with Accounts.txt)",
        sniff=_sniff,
        load=_load,
        encrypted=True,
    )
]
