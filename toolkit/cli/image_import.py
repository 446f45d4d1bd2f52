"""Images given to import (a screenshot or photo of QR codes): the CLI reads their QR codes
with toolkit.scan, the one reader of images on the way in, and hands the texts to the
importers (toolkit.importers.qr_image.import_qr_texts). Importers take bytes and texts only:
paper out imports nothing of paper in."""

from __future__ import annotations

from toolkit.errors import FormatError, ScanError
from toolkit.importers import import_bytes
from toolkit.importers.base import ImportResult, PasswordSource, no_password
from toolkit.importers.google_migration import is_image
from toolkit.importers.qr_image import QR_FORMATS, import_qr_texts

UNREADABLE_HINT = "export the QR codes again, or photograph them flat and sharp"


def image_qr_texts(data: bytes) -> list[str]:
    """The texts of every QR code in an image; an image that cannot be read is bad data for an
    import (FormatError, exit 4), with the scan's words and place."""
    from PIL import Image  # pillow and zxing load only when an image is given

    from toolkit import scan

    try:
        return [code.text for code in scan.decode_bytes(data)]
    except ScanError as exc:
        raise FormatError(exc.message, source=exc.source, hint=UNREADABLE_HINT) from None
    except (Image.DecompressionBombError, OSError, ValueError):
        raise FormatError("the image cannot be read (damaged, or too large)",
                          hint=UNREADABLE_HINT) from None


def import_export(data: bytes, filename: str = "input", password: PasswordSource = no_password,
                  forced: str | None = None) -> ImportResult:
    """One export file's bytes into a vault: an image's QR codes read first (when no format,
    or a format of QR codes, is forced), anything else through the importers' registry."""
    if is_image(data) and (forced is None or forced in QR_FORMATS):
        return import_qr_texts(image_qr_texts(data), forced)
    return import_bytes(data, filename, password, forced)
