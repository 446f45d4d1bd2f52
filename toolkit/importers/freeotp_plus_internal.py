"""FreeOTP+ internal tokens.xml (rooted copy): the FreeOTP 1 layout, counters kept as stored."""

from __future__ import annotations

from toolkit.importers.base import Importer, ImportResult, PasswordSource
from toolkit.importers.freeotp import load_v1, looks_like_prefs

APP = "FreeOTP+"


def _sniff(data: bytes, filename: str) -> int:
    # Same bytes as FreeOTP 1; only the file name can tell them apart (and the result is alike).
    if "plus" in filename.lower() and looks_like_prefs(data, b"issuerExt", b"secret&quot;:["):
        return 9
    return 0


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    return load_v1(data, APP)


IMPORTERS = [
    Importer(
        name="freeotp-plus-xml",
        description="FreeOTP+ internal tokens.xml (rooted copy of shared_prefs)",
        sniff=_sniff,
        load=_load,
    )
]
