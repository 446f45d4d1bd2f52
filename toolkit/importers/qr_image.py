"""A photo or screenshot (PNG, JPEG, ...) of `otpauth://` QR codes, as sites show them.

The CLI reads the image's QR codes (toolkit.scan, the one reader of images) and gives their
texts to `import_qr_texts`, which reads Google Authenticator transfer codes
(`otpauth-migration://`, the `google-migration` format) and `otpauth://` codes; either format,
when forced, reads both kinds of code. Importers never open an image themselves.
"""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.errors import FormatError, ScanError, UsageError
from toolkit.gauth_migration import is_migration_uri
from toolkit.importers import google_migration
from toolkit.importers.base import Importer, ImportResult, PasswordSource
from toolkit.importers.google_migration import accounts_from_texts, is_image, qr_code_texts

APP = "QR image"

QR_FORMATS = ("google-migration", "qr-image")
"""The formats read from the QR codes of an image."""


def import_qr_texts(texts: Sequence[str], forced: str | None = None) -> ImportResult:
    """The accounts of the QR codes read from one image: transfer codes as `google-migration`,
    otpauth codes as `qr-image` (or as `forced`, one of QR_FORMATS)."""
    if forced is not None and forced not in QR_FORMATS:
        raise UsageError(f"the format {forced} is not read from an image",
                         hint=f"use --format {' or --format '.join(QR_FORMATS)}, or give the "
                         "export file itself")
    if not texts:
        raise ScanError("no QR code was found in the image",
                        hint="photograph or screenshot the QR code again, flat and sharp")
    migration = any(is_migration_uri(t.strip()) for t in texts)
    if forced == "google-migration" or (forced is None and migration):
        return google_migration.load_qr_texts(texts)
    pairs = qr_code_texts(texts)
    if not any(t.lower().startswith(("otpauth", "steam://")) for _, t in pairs):
        raise ScanError("the QR code in the image is not an otpauth:// account code",
                        hint="use the QR code the site shows when you set up two-factor login")
    return accounts_from_texts(pairs, APP)


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    what = "an image: its QR codes are" if is_image(data) else "not an image: QR codes are"
    raise FormatError(f"{what} read before an importer sees them",
                      hint="give the image to paper2fa import, which reads its QR codes")


IMPORTERS = [
    Importer(
        name="qr-image",
        description="image (PNG, JPEG, GIF, BMP, TIFF, WebP) of otpauth:// QR codes",
        sniff=lambda data, filename: 0,  # images are read by the CLI: import_qr_texts
        load=_load,
    )
]
