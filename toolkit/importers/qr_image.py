"""A photo or screenshot (PNG, JPEG, ...) of `otpauth://` QR codes, as sites show them.

Images of Google Authenticator transfer codes (`otpauth-migration://`) are sniffed by the
`google-migration` importer; either importer reads both kinds of code when forced.
"""

from __future__ import annotations

from toolkit.errors import ScanError
from toolkit.importers.base import Importer, ImportResult, PasswordSource
from toolkit.importers.google_migration import (
    accounts_from_texts,
    image_qr_texts,
    is_image,
    texts_of_image,
)

APP = "QR image"


def _sniff(data: bytes, filename: str) -> int:
    if not is_image(data):
        return 0
    try:
        texts = image_qr_texts(data)
    except ScanError:
        return 1  # load gives the clear error
    if any(t.lower().startswith("otpauth-migration://") for t in texts):
        return 0
    if any(t.lower().startswith(("otpauth://", "steam://")) for t in texts):
        return 10
    return 1


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    texts = texts_of_image(data)
    if not any(t.lower().startswith(("otpauth", "steam://")) for _, t in texts):
        raise ScanError("the QR code in the image is not an otpauth:// account code",
                        hint="use the QR code the site shows when you set up two-factor login")
    return accounts_from_texts(texts, APP)


IMPORTERS = [
    Importer(
        name="qr-image",
        description="image (PNG, JPEG, GIF, BMP, TIFF, WebP) of otpauth:// QR codes",
        sniff=_sniff,
        load=_load,
    )
]
