"""Plain lists of otpauth:// URIs, one per line (also WinAuth's text export)."""

from __future__ import annotations

from toolkit.importers.base import EntryCollector, Importer, ImportResult, PasswordSource, lines_of
from toolkit.uri import parse_otpauth


def _sniff(data: bytes, filename: str) -> int:
    head = data.lstrip()[:64].lower()
    if head.startswith((b"otpauth://totp", b"otpauth://hotp", b"otpauth://steam", b"steam://")):
        return 6
    return 0


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    entries = EntryCollector("URI list")
    for number, line in enumerate(lines_of(data), start=1):
        if not line or line.startswith("#"):
            continue
        entries.add(f"line {number}", lambda line=line: parse_otpauth(line))
    return entries.result()


IMPORTERS = [
    Importer(
        name="otpauth",
        description="otpauth:// URI list, one per line (plain text; also WinAuth text)",
        sniff=_sniff,
        load=_load,
    )
]
