"""How much text one QR code holds, from the standard's tables alone (no QR writer): the version
a text needs at error correction level M, and whether it fits one code at all.

A text of QR alphanumeric characters only (frames, shares) is one alphanumeric segment, as
FORMAT.md requires of the writer, so its version here is exact. Any other text (otpauth URIs,
ASCII since they are percent-encoded) is counted as one byte-mode segment: a bound every writer
meets, since writers that split a URI into segments (python-qrcode, zxing-cpp) fit a little
more, never less.

A core module: the home-safe sheet prints an account's own QR code when its URI fits by this
count (render/home_safe.py), and `paper2fa verify` expects a code read back for exactly those
accounts (recovery/verify.py). Both judge by the same rule, whatever writer draws the codes,
and the read side needs no QR writer to know what was printed.
"""

from __future__ import annotations

from typing import Final

from toolkit.frames import is_qr_alphanumeric

DATA_CODEWORDS_M: Final = (
    16, 28, 44, 64, 86, 108, 124, 154, 182, 216,
    254, 290, 334, 365, 415, 453, 507, 563, 627, 669,
    714, 782, 860, 914, 1000, 1062, 1128, 1193, 1267, 1373,
    1455, 1541, 1631, 1725, 1812, 1914, 1992, 2102, 2216, 2334,
)
"""Data codewords (bytes) of QR versions 1 to 40 at error correction level M (ISO/IEC 18004,
table 7): the room for mode indicators, character counts and data. Level M is the sheets' level
for every code but shares (`frames.QR_ERROR_CORRECTION`; tests/test_qr_capacity.py checks)."""

MAX_VERSION: Final = len(DATA_CODEWORDS_M)
"""The largest QR version (177 x 177 modules)."""

_MODE_BITS: Final = 4
"""Bits of a segment's mode indicator."""


def _count_bits(alphanumeric: bool, version: int) -> int:
    """Bits of a segment's character count: they grow at versions 10 and 27 (ISO/IEC 18004,
    table 3)."""
    band = 0 if version < 10 else 1 if version < 27 else 2
    return (9, 11, 13)[band] if alphanumeric else (8, 16, 16)[band]


def data_bits(text: str, version: int) -> int:
    """Bits of `text` as one segment in a code of `version`: alphanumeric mode (11 bits a pair
    of characters, 6 for one left over) when every character allows it, else byte mode (8 bits a
    byte of its UTF-8)."""
    alphanumeric = is_qr_alphanumeric(text)
    head = _MODE_BITS + _count_bits(alphanumeric, version)
    if alphanumeric:
        return head + 11 * (len(text) // 2) + 6 * (len(text) % 2)
    return head + 8 * len(text.encode("utf-8"))


def qr_version(text: str) -> int | None:
    """The smallest QR version holding `text` at level M in one segment, None when even the
    largest does not or the text is not ASCII (the sheets' QR texts are ASCII)."""
    if not text.isascii():
        return None
    for version, codewords in enumerate(DATA_CODEWORDS_M, start=1):
        if data_bits(text, version) <= 8 * codewords:
            return version
    return None


def fits_one_code(text: str) -> bool:
    """Whether `text` fits one QR code at level M (see `qr_version`)."""
    return qr_version(text) is not None
