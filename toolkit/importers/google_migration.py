"""Google Authenticator "Transfer accounts" exports: `otpauth-migration://` URIs.

Read from a text file (one URI a line, as QR scanner apps save them) or from the texts of the
QR codes of an image, which the CLI reads with toolkit.scan before any importer sees them
(importers take bytes and texts only: paper out imports nothing of paper in). An export of
many accounts is split into several QR codes ("batches"); every batch given is read (the same
QR code given twice is read once), and a missing batch is reported in the notes. Plain
`otpauth://` lines or QR codes met beside them are read too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from toolkit.errors import FormatError, Source
from toolkit.gauth_migration import is_migration_uri, parse_migration_uri, read_payload
from toolkit.importers.base import EntryCollector, Importer, ImportResult, PasswordSource

APP = "Google Authenticator export"
IMAGE_MAGICS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM",
                b"II*\x00", b"MM\x00*")

HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"mif1", b"msf1")


def is_image(data: bytes) -> bool:
    """PNG, JPEG, GIF, BMP, TIFF, WebP or HEIC (iPhone photos), by their magic bytes."""
    return (
        data.startswith(IMAGE_MAGICS)
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
        or (data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS)
    )


def accounts_from_texts(texts: Iterable[tuple[str, str]], source: str) -> ImportResult:
    """Accounts from (where, text) pairs: migration URIs, otpauth URIs; anything else noted."""
    entries = EntryCollector(source)
    seen_batches: set[tuple[int, int, bytes]] = set()
    batch_sets: dict[int, tuple[int, set[int]]] = {}
    found_any = False
    for where, text in texts:
        if is_migration_uri(text):
            found_any = True
            try:
                payload = parse_migration_uri(text)
                batch = read_payload(payload)
            except FormatError as exc:
                entries.skip(where, exc.located)
                continue
            key = (batch.batch_id, batch.batch_index, hashlib.sha256(payload).digest())
            if key in seen_batches:
                continue  # the same QR code given twice
            seen_batches.add(key)
            batch_sets.setdefault(batch.batch_id, (batch.batch_size, set()))[1].add(
                batch.batch_index)
            for note in batch.notes:
                entries.skipped_elsewhere(f"{where}: {note}")
            entries.extend(batch.accounts)
        elif text.lower().startswith(("otpauth://", "steam://")):
            found_any = True
            entries.add_uri(where, text)
        elif text:
            entries.skip(where, "not an otpauth-migration:// or otpauth:// code")
    for size, indexes in batch_sets.values():
        missing = sorted(set(range(size)) - indexes)
        if missing:
            shown = ", ".join(str(i + 1) for i in missing)
            one = len(missing) == 1
            entries.note(
                f"{source}: QR code{'' if one else 's'} {shown} of {size} "
                f"{'was' if one else 'were'} not given: the accounts in "
                f"{'it are' if one else 'them are'} missing; scan {'it' if one else 'them'} too"
            )
    if not found_any:
        raise FormatError("no otpauth-migration:// or otpauth:// code found",
                          source=Source(label=source))
    return entries.result()


def qr_code_texts(texts: Sequence[str]) -> list[tuple[str, str]]:
    """(where, text) of the QR codes read from an image, numbered as read."""
    return [(f"QR code {n}", t.strip()) for n, t in enumerate(texts, start=1)]


def _text_lines(data: bytes) -> Sequence[tuple[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormatError("not a text file of otpauth-migration:// URIs") from None
    return [(f"line {n}", line.strip()) for n, line in enumerate(text.splitlines(), start=1)
            if line.strip() and not line.strip().startswith("#")]


def _sniff(data: bytes, filename: str) -> int:
    if is_image(data):
        return 0  # the CLI reads an image's QR codes first (load_qr_texts)
    lines = [line.strip().lower() for line in data[:8192].splitlines()]
    lines = [line for line in lines if line and not line.startswith(b"#")]
    if lines and lines[0].lstrip(b"\xef\xbb\xbf").startswith(b"otpauth-migration://"):
        return 10
    # 7: above a plain otpauth list (6), whose importer cannot read the migration lines
    return 7 if any(line.startswith(b"otpauth-migration://") for line in lines) else 0


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    if is_image(data):
        raise FormatError("an image: its QR codes are read before an importer sees them",
                          hint="give it to paper2fa import, which reads its QR codes")
    return accounts_from_texts(_text_lines(data), APP)


def load_qr_texts(texts: Sequence[str]) -> ImportResult:
    """The accounts of QR codes read from an image (the CLI reads them with toolkit.scan):
    Google Authenticator transfer codes, and any otpauth codes beside them."""
    return accounts_from_texts(qr_code_texts(texts), APP)


IMPORTERS = [
    Importer(
        name="google-migration",
        description="Google Authenticator transfer QR codes (otpauth-migration://): "
        "text file of URIs, or PNG/JPEG images of the codes",
        sniff=_sniff,
        load=_load,
    )
]
