"""Check our own output: read back every QR code drawn on a freshly made PDF or PNG.

toolkit.render calls these on every sheet it makes (`layout.render_document`,
`qr.checked_png`); nothing else needs to.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from toolkit.errors import SelfCheckError
from toolkit.progress import NO_PROGRESS, Progress
from toolkit.scan import decode_bytes, decode_image, images_of

SELF_CHECK_DPI = 150
"""Rasterizing at the lowest scan resolution we promise proves the codes are big enough."""


def check_pdf(pdf: bytes, expected: Sequence[str], dpi: int = SELF_CHECK_DPI, *,
              progress: Progress = NO_PROGRESS) -> None:
    """Raise SelfCheckError unless every expected QR text is read back byte for byte.

    One plain zxing-cpp pass, no retries: a code that needs help to read now will not survive
    printing and scanning. `progress` advances by one as each page is read.
    """
    read: Counter[str] = Counter()
    for number, image in enumerate(images_of(pdf, dpi), start=1):
        read.update(code.text for code in decode_image(image, number))
        progress.advance()
    missing = Counter(expected) - read
    if missing:
        count = sum(missing.values())
        raise SelfCheckError(
            f"{count} of {len(expected)} QR codes on the new PDF did not read back exactly"
        )


def check_png(png: bytes, expected: str) -> None:
    """Raise SelfCheckError unless the PNG holds exactly the one expected QR text."""
    read = [code.text for code in decode_bytes(png)]
    if read != [expected]:
        raise SelfCheckError("a QR image made for this export did not read back exactly")
