"""Magic strings, format versions and limits, each with the reason it has its value."""

from __future__ import annotations

from typing import Final

VAULT_FORMAT: Final = "paper2fa-vault"
"""The `format` member of the canonical vault JSON (docs/FORMAT.md, "Vault JSON")."""

VAULT_VERSION: Final = 1
"""Version of the canonical vault JSON; readers refuse any other."""

ALGORITHMS: Final = ("SHA1", "SHA256", "SHA512")
"""HMAC hash functions an account may use: the three of RFC 6238 that every app knows."""

OTP_TYPES: Final = ("totp", "hotp", "steam")
"""Kinds of account: time-based, counter-based, and Steam Guard (5 letters, 30 s)."""

MIN_DIGITS: Final = 1
MAX_DIGITS: Final = 10
"""Digit counts accepted: 10 is the most a 31-bit truncated HMAC can fill; apps allow 4-10."""

STEAM_DIGITS: Final = 5
"""Steam Guard codes are 5 characters from `STEAM_ALPHABET`."""

STEAM_ALPHABET: Final = "23456789BCDFGHJKMNPQRTVWXY"
"""The 26 characters Steam Guard codes are written in."""

DEFAULT_PERIOD: Final = 30
DEFAULT_DIGITS: Final = 6
DEFAULT_ALGORITHM: Final = "SHA1"
"""Key URI Format defaults; apps that ignore parameters assume these."""

MAX_PERIOD: Final = 86400 * 366
"""Longest TOTP period accepted (a year): anything longer is a broken entry."""

MAX_COUNTER: Final = 2**63 - 1
"""HOTP counters are 8-byte big-endian integers (RFC 4226); kept signed-safe for JSON readers."""

MAX_SECRET_BYTES: Final = 1024
"""Longest secret accepted; real ones are 10-64 bytes."""

MAX_INPUT_BYTES: Final = 64 * 1024 * 1024
"""Largest input file read at all: exports are kilobytes, scans megabytes."""

MAX_DECOMPRESSED_BYTES: Final = 64 * 1024 * 1024
"""Largest size any compressed input may expand to (zip, deflate) before it is refused."""

FINGERPRINT_GROUPS: Final = 4
FINGERPRINT_GROUP_LEN: Final = 4
"""A vault fingerprint is 16 base32 characters (80 bits of SHA-256) in 4 groups of 4."""

MAX_IMPORT_ENTRIES: Final = 10_000
"""Most entries (accounts, tokens, lines holding a URI, rows) one import file may hold. Real
exports hold tens to a few hundred; a 2,000-account vault is already far beyond real use. An
input over this is refused at once (a clear FormatError) instead of parsing millions of
entries (a 183 KB zip can expand to 60 MB of URIs)."""

MAX_LISTED_NOTES: Final = 5
"""Notes of one kind an import shows one by one (skipped entries, merged or shared accounts);
the rest are counted in one summary line, so a hostile file cannot print millions of lines."""

MAX_JSON_DEPTH: Final = 32
"""Deepest nesting of arrays and objects accepted in any JSON input (exports, vaults). Real
exports nest 3 to 6 levels; deeper JSON is refused before Python's recursion limit is met."""

SEALED_MAGIC: Final = b"paper2fa-sealed"
"""First bytes of a sealed vault (`toolkit.envelope.MAGIC`): importers and vault loaders
recognise paper2fa's own sealed files by it before any app format is tried."""

MAX_UNIX_TIME: Final = 253_402_300_799
"""Latest time `--at` accepts: 9999-12-31 23:59:59 UTC, the last second a date can show."""

MAX_JSON_VALUES: Final = 2_000_000
"""Most values (objects, arrays and their members) a JSON input may hold. 10,000 accounts of
about 40 values each are 400,000; two million parse in about half a second and 200 MB, where
45 MB of tiny objects would take seconds and gigabytes."""
