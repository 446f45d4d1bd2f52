"""QR codes drawn as vector squares at an exact module size, error correction M, with the quiet
zone the frames format requires (constants from toolkit.frames).

Codes are encoded with python-qrcode (mask chosen by the standard penalty rules; no ECI
header): frame and share texts in alphanumeric mode (FORMAT.md), otpauth URIs with qrcode's own
segmentation. Its codes read at least as well as zxing-cpp's writer's across zxing-cpp, zbar
and OpenCV (docs/print-parameters.md, "Which QR writer").
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import qrcode
from PIL import Image
from qrcode.exceptions import DataOverflowError
from qrcode.util import MODE_ALPHA_NUM, QRData
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from toolkit.errors import AccountError, Source
from toolkit.frames import (
    QR_ERROR_CORRECTION,
    QUIET_ZONE_MODULES,
    RECOMMENDED_MODULE_MM,
    is_qr_alphanumeric,
)
from toolkit.selfcheck import check_png

FRAME_MODULE: float = RECOMMENDED_MODULE_MM * mm
"""Module size of frame codes (points): measured to scan at 150 DPI with light blur and after
a 94 % fit-to-page shrink (docs/print-parameters.md)."""

_LEVELS = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
           "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}

SHARE_ERROR_CORRECTION = "H"
"""A share's QR code is small (about 80 characters) and is the one code a sheet cannot lose:
level H survives a blot over 30 % of it, at the cost of a few more modules."""


@lru_cache(maxsize=8192)
def _rows(text: str, ec: str = QR_ERROR_CORRECTION) -> tuple[bytes, ...]:
    """The code's rows as bytes, 0 for a dark module and 255 for a light one."""
    if not text.isascii():
        raise ValueError("QR texts on the sheets are ASCII (URIs are percent-encoded)")
    code = qrcode.QRCode(error_correction=_LEVELS[ec], box_size=1, border=0)
    if is_qr_alphanumeric(text):  # frame and share texts: one alphanumeric segment
        code.add_data(QRData(text.encode("ascii"), mode=MODE_ALPHA_NUM))
    else:
        code.add_data(text)
    try:
        code.make(fit=True)
    except DataOverflowError:
        raise ValueError("too much text for one QR code") from None
    modules: Any = code.modules
    return tuple(bytes(0 if dark else 255 for dark in row) for row in modules)


_DARK_RUN = re.compile(rb"\x00+")


@lru_cache(maxsize=8192)
def _path_ops(text: str, ec: str) -> str:
    """PDF operators filling the dark modules, in module units (row 0 at the top, y down)."""
    ops: list[str] = []
    for r, row in enumerate(_rows(text, ec)):
        y = -(r + 1)
        ops.extend(f"{m.start()} {y} {m.end() - m.start()} 1 re" for m in _DARK_RUN.finditer(row))
    return "\n".join(ops)


def prepare(text: str) -> None:
    """Encode a code ahead of drawing (kept for `QrCode` and `draw_qr`): encoding is the slow
    part of a sheet, and a caller that does it first can report its progress."""
    _rows(text)


def qr_fits(text: str) -> bool:
    """Whether the text fits one QR code at the error correction level used."""
    try:
        _rows(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class QrCode:
    """One QR code's text and module matrix (True = dark), without quiet zone."""

    text: str
    ec: str = QR_ERROR_CORRECTION

    @property
    def matrix(self) -> list[list[bool]]:
        return [[v == 0 for v in row] for row in _rows(self.text, self.ec)]

    @property
    def modules(self) -> int:
        return len(_rows(self.text, self.ec))

    def size(self, module: float) -> float:
        """Side in points including the quiet zone, at `module` points per module."""
        return (self.modules + 2 * QUIET_ZONE_MODULES) * module


def module_for(code: QrCode, box: float, largest: float = 0.9 * mm) -> float:
    """The module size (points) that fits `box` with its quiet zone, never below the minimum."""
    fitted = box / (code.modules + 2 * QUIET_ZONE_MODULES)
    return float(max(FRAME_MODULE, min(largest, fitted)))


def draw_qr(canvas: Canvas, code: QrCode, x: float, y_top: float, module: float) -> float:
    """Draw the code with its quiet zone; (x, y_top) is the quiet zone's top-left corner.

    Returns the side drawn (points). Dark runs of a row are one rectangle each, all filled as
    one path so rasterizers leave no seams between modules; the path is written in module
    units under a scaling matrix (reportlab's per-rectangle calls dominate the run time at
    2000 accounts).
    """
    left = x + QUIET_ZONE_MODULES * module
    top = y_top - QUIET_ZONE_MODULES * module
    canvas.addLiteral(f"q 0 g {module:.4f} 0 0 {module:.4f} {left:.3f} {top:.3f} cm\n"
                      f"{_path_ops(code.text, code.ec)}\nf Q")
    return code.size(module)


PNG_MODULE_PIXELS = 10
"""Pixels per QR module in PNG files: sharp on any screen and when printed at 300 DPI."""


def qr_code(text: str, what: str) -> QrCode:
    """The QR code of `text`; AccountError naming `what` when it does not fit in one code."""
    if not qr_fits(text):
        raise AccountError("too much data for one QR code (a very long name or "
                           "secret)", source=Source(label=what))
    return QrCode(text)


def qr_png(text: str, what: str, *, module_px: int = PNG_MODULE_PIXELS,
           self_check: bool = True) -> bytes:
    """A QR code (error correction M, 4-module quiet zone) as a black-and-white PNG, read back
    before it is returned unless `self_check` is off (benchmarks only)."""
    code = qr_code(text, what)
    quiet = QUIET_ZONE_MODULES
    modules = code.modules + 2 * quiet
    small = Image.new("L", (modules, modules), 255)
    for r, row in enumerate(code.matrix):
        for c, dark in enumerate(row):
            if dark:
                small.putpixel((c + quiet, r + quiet), 0)
    side = modules * module_px
    image = small.resize((side, side), Image.Resampling.NEAREST).convert("1")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    png = out.getvalue()
    if self_check:
        check_png(png, text)
    return png
