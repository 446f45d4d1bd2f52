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

MAX_SECRET_FILE_BYTES: Final = 64 * 1024
"""Largest password or passphrase file read: a passphrase is a line; more is the wrong file."""

SECRET_FILE_WAIT_SECONDS: Final = 120.0
"""How long a secret given through a pipe (`--password-file /dev/stdin`, `<(pass show x)`) may
take to arrive in all: time to type a passphrase into the program feeding the pipe, yet a FIFO
that never gets a writer does not hang a script forever."""
