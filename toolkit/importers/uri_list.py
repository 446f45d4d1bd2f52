"""Plain lists of otpauth:// URIs, one per line (also WinAuth's text export)."""

from __future__ import annotations

from toolkit.importers.base import EntryCollector, Importer, ImportResult, PasswordSource, lines_of

_STARTS = (b"otpauth://totp", b"otpauth://hotp", b"otpauth://steam", b"steam://")


def _sniff(data: bytes, filename: str) -> int:
    """A text whose first meaningful line (comments and blank lines skipped) is a Key URI."""
    for raw in data[:65536].splitlines():
        line = raw.strip().lower()
        if not line or line.startswith(b"#"):
            continue
        return 6 if line.startswith(_STARTS) else 0
    return 0


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    entries = EntryCollector("URI list")
    for number, line in enumerate(lines_of(data), start=1):
        if not line or line.startswith("#"):
            continue
        entries.add_uri(f"line {number}", line)
    return entries.result()


IMPORTERS = [
    Importer(
        name="otpauth",
        description="otpauth:// URI list, one per line (plain text; also WinAuth text and Ente "
        "Auth plain exports, though `ente` also keeps their tags and notes)",
        sniff=_sniff,
        load=_load,
    )
]
