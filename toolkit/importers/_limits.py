"""Bounds on what a hostile export file can make an importer do (KDF cost, sizes)."""

from __future__ import annotations

from typing import Final

from toolkit import constants as C
from toolkit.display import shortened
from toolkit.errors import FormatError

MAX_PBKDF2_ITERATIONS: Final = 10_000_000
"""Apps use 10k-600k; ten million is already ~10 s here. More is refused, not attempted."""

MAX_SCRYPT_N: Final = 2**20
MAX_SCRYPT_R: Final = 32
MAX_SCRYPT_P: Final = 16
"""Aegis uses N=2^15, r=8, p=1; 2^20 with r=32 needs 4 GiB and is the ceiling."""

MAX_ARGON2_MEMORY_KIB: Final = 1024 * 1024
MAX_ARGON2_ITERATIONS: Final = 64
MAX_ARGON2_LANES: Final = 16
"""Stratum, Bitwarden, Ente and Proton use 16-1024 MiB and 3-10 passes; 1 GiB is the ceiling."""

MAX_ENTRIES: Final = C.MAX_IMPORT_ENTRIES
"""Entries (accounts) one file may hold: see `constants.MAX_IMPORT_ENTRIES`. Importers check a
list's length before reading it; `EntryCollector` counts every entry it is given as well."""

MAX_RECORDS: Final = 10 * C.MAX_IMPORT_ENTRIES
"""Records of which only some are accounts (Bitwarden items, most of them passwords;
shared_prefs entries; category links): read up to this many, refused beyond."""


def check_cost(what: str, value: object, maximum: int, minimum: int = 1) -> int:
    """Return `value` as an int when minimum <= value <= maximum, else a clear FormatError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise FormatError(f"the file's {what} is not a whole number")
    if not minimum <= value <= maximum:
        raise FormatError(
            f"the file asks for {what} = {shortened(str(value), 20)}, outside the accepted range "
            f"{minimum}..{maximum}; refusing to process it",
            hint="this file is damaged or was made to exhaust this machine",
        )
    return value
