"""WinAuth exports: a text file of otpauth:// URIs, or the same text in a (password) zip.

The plain text is also read by the `otpauth` importer (sniffing leaves it there); this importer
adds the zip form. WinAuth's password zip uses ZipCrypto, which checks a password with one byte
only: a wrong password that gets past it fails the entry's CRC-32 or yields no URI, and is
reported as a wrong password too. WinZip-AES zips are refused with a clear message.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from functools import partial

from toolkit import constants as C
from toolkit.errors import FormatError
from toolkit.importers.base import (
    EntryCollector,
    Importer,
    ImportResult,
    PasswordSource,
    lines_of,
    wrong_password,
)
from toolkit.uri import parse_otpauth

APP = "WinAuth"
_ZIP_MAGIC = b"PK\x03\x04"
_AES_METHOD = 99


def _first_name(data: bytes) -> bytes:
    name_len = int.from_bytes(data[26:28], "little")
    return data[30 : 30 + name_len].rsplit(b"/", 1)[-1]


def _sniff(data: bytes, filename: str) -> int:
    if not data.startswith(_ZIP_MAGIC) or len(data) < 30:
        return 0
    name = _first_name(data)
    if not name.lower().endswith(b".txt") or name == b"Accounts.txt":
        return 0
    return 10 if b"winauth" in name.lower() or "winauth" in filename.lower() else 6


def _text_of_zip(data: bytes, password: PasswordSource) -> tuple[bytes, bool]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if m.filename.lower().endswith(".txt")]
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FormatError(f"{APP}: the zip file is damaged") from None
    if not members:
        raise FormatError(f"{APP}: no .txt file inside the zip")
    member = members[0]
    if member.compress_type == _AES_METHOD:
        raise FormatError(f"{APP}: this zip uses WinZip AES encryption, which is not supported",
                          hint="export again from WinAuth, or unzip it with 7-Zip first")
    if member.file_size > C.MAX_DECOMPRESSED_BYTES:
        raise FormatError(f"{APP}: the text inside the zip is too large")
    encrypted = bool(member.flag_bits & 1)
    pwd = password().encode("utf-8") if encrypted else None
    try:
        with archive.open(member, pwd=pwd) as handle:
            text = handle.read(C.MAX_DECOMPRESSED_BYTES + 1)
    except RuntimeError:  # zipfile's "Bad password"
        raise wrong_password(APP) from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError):
        if encrypted:
            raise wrong_password(APP) from None
        raise FormatError(f"{APP}: the zip file is damaged") from None
    if len(text) > C.MAX_DECOMPRESSED_BYTES:
        raise FormatError(f"{APP}: the text inside the zip is too large")
    return text, encrypted


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    encrypted = False
    if data.startswith(_ZIP_MAGIC):
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
        entries.add(f"line {number}", partial(parse_otpauth, line))
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
