"""Check our own output: rasterize a freshly made PDF and read back every QR code drawn on it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from toolkit.errors import SelfCheckError
from toolkit.scan import decode_bytes

SELF_CHECK_DPI = 150
"""Rasterizing at the lowest scan resolution we promise proves the codes are big enough."""


def check_pdf(pdf: bytes, expected: Sequence[str], dpi: int = SELF_CHECK_DPI) -> None:
    """Raise SelfCheckError unless every expected QR text is read back byte for byte.

    One plain zxing-cpp pass, no retries: a code that needs help to read now will not survive
    printing and scanning.
    """
    read = Counter(code.text for code in decode_bytes(pdf, dpi))
    missing = Counter(expected) - read
    if missing:
        count = sum(missing.values())
        raise SelfCheckError(
            f"{count} of {len(expected)} QR codes on the new PDF did not read back exactly"
        )
