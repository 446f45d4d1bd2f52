"""WinAuth exports: a text file of otpauth:// URIs, or the same text in a (password) zip.

The plain text is also read by the `otpauth` importer (sniffing leaves it there); this importer
adds the zip form. WinAuth's password zip uses ZipCrypto, which checks a password with one byte
only: a wrong password that gets past it fails the entry's CRC-32 or yields no URI, and is
reported as a wrong password too. WinZip-AES zips are refused with a clear message.
"""

from __future__ import annotations

from toolkit.errors import FormatError
from toolkit.importers import _zip
from toolkit.importers.base import (
    EntryCollector,
    Importer,
    ImportResult,
    PasswordSource,
    lines_of,
    wrong_password,
)

APP = "WinAuth"


def _sniff(data: bytes, filename: str) -> int:
    name = _zip.first_member_name(data)
    if not name.lower().endswith(b".txt") or name == b"Accounts.txt":
        return 0
    return 10 if b"winauth" in name.lower() or "winauth" in filename.lower() else 6


def _text_of_zip(data: bytes, password: PasswordSource) -> tuple[bytes, bool]:
    return _zip.read_member(
        data, APP,
        lambda members: next((m for m in members if m.filename.lower().endswith(".txt")), None),
        "no .txt file inside the zip", password)


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    encrypted = False
    if data.startswith(_zip.ZIP_MAGIC):
        data, encrypted = _text_of_zip(data, password)
    try:
        lines = list(lines_of(data))
    except FormatError:
        if encrypted:
            raise wrong_password(APP) from None
        raise
    uris = [(n, ln) for n, ln in enumerate(lines, start=1) if ln and not ln.startswith("#")]
    if encrypted and not any(ln.lower().startswith("otpauth://") for _, ln in uris):
        raise wrong_password(APP)
    entries = EntryCollector(APP)
    for number, line in uris:
        entries.add_uri(f"line {number}", line)
    return entries.result()


IMPORTERS = [
    Importer(
        name="winauth",
        description="WinAuth export: otpauth text, or its password-protected zip",
        sniff=_sniff,
        load=_load,
        encrypted=True,
    )
]
