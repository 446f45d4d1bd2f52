"""Images and PDFs -> QR texts: the only image input on the way back from paper.

This first version decodes images and rasterized PDF pages with zxing-cpp; the restore issue
extends it with a decoder cascade, more input types and positions.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import zxingcpp
from PIL import Image, ImageOps, UnidentifiedImageError

from toolkit.errors import ScanError

PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class FoundCode:
    """One QR code read from a page: its text, raw bytes, page number (1-based) and position."""

    text: str
    raw: bytes
    page: int
    position: tuple[tuple[int, int], ...]


def decode_image(image: Image.Image, page: int = 1) -> list[FoundCode]:
    """Every QR code in one image (one plain zxing-cpp pass)."""
    gray = image.convert("L")
    found = []
    for code in zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode):
        p = code.position
        corners = tuple((pt.x, pt.y) for pt in (p.top_left, p.top_right, p.bottom_right,
                                                 p.bottom_left))
        found.append(FoundCode(code.text, bytes(code.bytes), page, corners))
    return found


def pdf_pages(data: bytes, dpi: int = 200) -> Iterator[Image.Image]:
    """Rasterize each page of a PDF (pdfium) at `dpi`."""
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise ScanError("the PDF cannot be read (damaged or not a PDF)") from exc
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                yield page.render(scale=dpi / 72, grayscale=True).to_pil()
            finally:
                page.close()
    finally:
        pdf.close()


def images_of(data: bytes, dpi: int = 200) -> Iterator[Image.Image]:
    """The pages of a PDF, or the frames of an image file (EXIF rotation applied)."""
    if data.startswith(PDF_MAGIC):
        yield from pdf_pages(data, dpi)
        return
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise ScanError("not an image or PDF that paper2fa can read") from exc
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        yield ImageOps.exif_transpose(image.copy()) or image.copy()


def decode_bytes(data: bytes, dpi: int = 200) -> list[FoundCode]:
    """Every QR code in an image file or PDF given as bytes."""
    found: list[FoundCode] = []
    for number, image in enumerate(images_of(data, dpi), start=1):
        found.extend(decode_image(image, page=number))
    return found
