"""Reading one member of a (ZipCrypto password) zip from memory, bounded, with clear errors.

Authenticator Plus and WinAuth export a text file inside a zip. zipfile raises many kinds of
exceptions on damaged archives (BadZipFile, ValueError "negative seek value", EOFError,
zlib.error, OSError); here every one of them is a FormatError, or a WrongPasswordError when the
member is encrypted (ZipCrypto checks a password with one byte only: a wrong password that gets
past that check shows as a CRC or deflate failure).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable

from toolkit import constants as C
from toolkit.display import quoted
from toolkit.errors import FormatError, Source
from toolkit.importers.base import PasswordSource, wrong_password

ZIP_MAGIC = b"PK\x03\x04"
AES_METHOD = 99
"""WinZip AES, which zipfile cannot decrypt."""

_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
            OverflowError, IndexError, KeyError)


def first_member_name(data: bytes) -> bytes:
    """The file name in the first local header (for sniffing; empty when there is none)."""
    if not data.startswith(ZIP_MAGIC) or len(data) < 30:
        return b""
    name_len = int.from_bytes(data[26:28], "little")
    return data[30 : 30 + name_len].rsplit(b"/", 1)[-1]


def member_label(app: str, name: str) -> str:
    """The place of a file inside the zip, as an error's label: the app, then the member's
    name quoted (made visible and shortened, as it comes from the archive)."""
    return f"{app} zip member {quoted(name)}"


def read_member(data: bytes, app: str, choose: Callable[[list[zipfile.ZipInfo]],
                                                         zipfile.ZipInfo | None],
                missing: str, password: PasswordSource) -> tuple[bytes, bool]:
    """The bytes of the member `choose` picks, and whether it was encrypted."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except _DAMAGED:
        raise FormatError("the zip file is damaged", source=Source(label=app)) from None
    with archive:
        info = choose(members)
        if info is None:
            raise FormatError(missing, source=Source(label=app))
        if info.compress_type == AES_METHOD:
            raise FormatError("this zip uses WinZip AES encryption, which is not supported",
                              hint="export again from the app, or unzip it with 7-Zip first",
                              source=Source(label=app))
        member = Source(label=member_label(app, info.filename))
        if info.file_size > C.MAX_DECOMPRESSED_BYTES:
            raise FormatError(f"it would expand to {info.file_size} bytes; refusing to "
                              "decompress it", source=member)
        encrypted = bool(info.flag_bits & 1)
        pwd = password().encode("utf-8") if encrypted else None
        try:
            with archive.open(info, pwd=pwd) as stream:
                content = stream.read(C.MAX_DECOMPRESSED_BYTES + 1)
        except RuntimeError:  # zipfile's "Bad password" (the one-byte check failed)
            raise wrong_password(app) from None
        except _DAMAGED:
            if encrypted:  # CRC or deflate failure after decryption: a wrong key stream
                raise wrong_password(app) from None
            raise FormatError("the zip file is damaged", source=Source(label=app)) from None
    if len(content) > C.MAX_DECOMPRESSED_BYTES:
        raise FormatError(f"it expands to more than {C.MAX_DECOMPRESSED_BYTES} bytes; "
                          "refusing to decompress it", source=member)
    return content, encrypted
