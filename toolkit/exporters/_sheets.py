"""What the PDF and PNG exporters share: drawing laid-out pages with a footer, and QR PNGs."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from PIL import Image
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from toolkit import __version__
from toolkit.errors import AccountError, SelfCheckError
from toolkit.render.fonts import BOLD, SANS, register_fonts
from toolkit.render.layout import FOOTER, HEADER, MARGIN, Block, Page, Paper, content_width
from toolkit.render.qr import QrCode
from toolkit.render.wrap import one_line, wrap
from toolkit.scan import decode_bytes

PNG_MODULE_PIXELS = 10
"""Pixels per QR module in PNG files: sharp on any screen and when printed at 300 DPI."""


def render_pdf(pages: Sequence[Page], paper: Paper, footer: Callable[[int, int], str],
               doc_title: str) -> bytes:
    """Draw laid-out pages into a PDF; `footer(page, pages)` gives each page's footer text.

    reportlab's invariant mode fixes the document's dates and ID: same input, same bytes.
    """
    register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(paper.width, paper.height), invariant=1, pageCompression=1)
    c.setTitle(doc_title)
    c.setCreator(f"paper2fa {__version__}")
    c.setAuthor("")
    left, width, top = MARGIN, content_width(paper), paper.height - MARGIN
    for number, page in enumerate(pages, start=1):
        c.setFont(BOLD, 12)
        c.drawString(left, top - 12, one_line(page.title, BOLD, 12, width))
        c.setLineWidth(0.4)
        c.line(left, top - HEADER + 2 * mm, left + width, top - HEADER + 2 * mm)
        for offset, block in page.blocks:
            block.draw(c, left, top - HEADER - offset)
        c.setLineWidth(0.4)
        c.line(left, MARGIN + FOOTER - 3 * mm, left + width, MARGIN + FOOTER - 3 * mm)
        c.setFont(SANS, 7)
        for n, line in enumerate(wrap(footer(number, len(pages)), SANS, 7, width, max_lines=2)):
            c.drawString(left, MARGIN + FOOTER - 7 * mm - n * 9, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def qr_code(text: str, what: str) -> QrCode:
    """The QR code of `text`; AccountError naming `what` when it does not fit in one code."""
    code = QrCode(text)
    try:
        code.matrix  # noqa: B018 - computed here so that overflow is reported, not raised later
    except ValueError:  # the encoder's "input too long"
        raise AccountError(f"{what}: too much data for one QR code (a very long name or "
                           "secret)") from None
    return code


def qr_png(text: str, what: str, module_px: int = PNG_MODULE_PIXELS) -> bytes:
    """A QR code (error correction M, 4-module quiet zone) as a black-and-white PNG."""
    code = qr_code(text, what)
    matrix = code.matrix
    quiet = round((code.size(1.0) - code.modules) / 2)
    modules = code.modules + 2 * quiet
    small = Image.new("L", (modules, modules), 255)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                small.putpixel((c + quiet, r + quiet), 0)
    side = modules * module_px
    image = small.resize((side, side), Image.Resampling.NEAREST).convert("1")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def check_png(png: bytes, expected: str) -> None:
    """Raise SelfCheckError unless the PNG holds exactly the one expected QR text."""
    read = [code.text for code in decode_bytes(png)]
    if read != [expected]:
        raise SelfCheckError("a QR image made for this export did not read back exactly")


def tick_box(c: Canvas, x: float, y: float, side: float = 4.5 * mm) -> None:
    """An empty square to tick by hand, its bottom-left corner at (x, y)."""
    c.setLineWidth(0.9)
    c.rect(x, y, side, side, stroke=1, fill=0)


__all__ = ["Block", "check_png", "qr_code", "qr_png", "render_pdf", "tick_box"]
