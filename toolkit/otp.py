"""One-time codes: HOTP (RFC 4226), TOTP (RFC 6238) and Steam Guard, with time as a parameter.

Computed with `hmac` directly so that every secret length and digit count a real app accepts
works (pyotp refuses secrets under 112 bits and has no Steam codes); the tests check these
against the RFC vectors and against pyotp where pyotp accepts the input.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass

from pyotp.utils import strings_equal

from toolkit import constants as C
from toolkit.model import Account

_HASHES = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}


def _truncated(secret: bytes, counter: int, algorithm: str) -> int:
    digest = hmac.new(secret, counter.to_bytes(8, "big"), _HASHES[algorithm]).digest()
    offset = digest[-1] & 0x0F
    return int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF


def hotp(secret: bytes, counter: int, digits: int = 6, algorithm: str = "SHA1") -> str:
    """The HOTP code for `counter` (RFC 4226 section 5.3)."""
    return str(_truncated(secret, counter, algorithm) % 10**digits).zfill(digits)


def steam(secret: bytes, counter: int) -> str:
    """The Steam Guard code for time step `counter`: 5 characters of STEAM_ALPHABET."""
    value = _truncated(secret, counter, "SHA1")
    alphabet = C.STEAM_ALPHABET
    chars = []
    for _ in range(C.STEAM_DIGITS):
        value, index = divmod(value, len(alphabet))
        chars.append(alphabet[index])
    return "".join(chars)


def time_step(at: float, period: int) -> int:
    return int(at // period)


def code_at(account: Account, at: float) -> str:
    """The code a TOTP or Steam account shows at UNIX time `at` (HOTP: the current counter)."""
    if account.type == "hotp":
        return hotp(account.secret, account.counter, account.digits, account.algorithm)
    step = time_step(at, account.period)
    if account.type == "steam":
        return steam(account.secret, step)
    return hotp(account.secret, step, account.digits, account.algorithm)


def next_hotp_codes(account: Account, count: int = 3) -> list[tuple[int, str]]:
    """The next `count` HOTP codes with their counters, starting at the stored counter."""
    return [
        (c, hotp(account.secret, c, account.digits, account.algorithm))
        for c in range(account.counter, account.counter + count)
    ]


def seconds_left(account: Account, at: float) -> int:
    """Seconds until a TOTP/Steam code changes (0 for HOTP)."""
    if account.type == "hotp":
        return 0
    return int(account.period - (at % account.period))


@dataclass(frozen=True)
class CheckCode:
    """A code at a printed reference time, so a hand-typed secret can be checked offline."""

    at: int
    code: str


def check_code(account: Account, at: int) -> CheckCode:
    """The check code of an account: its code at reference time `at` (HOTP: at counter 0)."""
    if account.type == "hotp":
        return CheckCode(0, hotp(account.secret, 0, account.digits, account.algorithm))
    return CheckCode(at, code_at(account, at))


def normalise_code(typed: str) -> str:
    """A code as a person typed it: spaces and dashes removed, letters uppercased."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", typed)).upper()


def codes_equal(expected: str, typed: str) -> bool:
    """Compare a typed code with the expected one in constant time, after normalising."""
    typed_code = normalise_code(typed)
    if not typed_code.isascii():  # no code has such characters; a lone surrogate cannot be
        return False  # compared (encoded) at all
    return bool(strings_equal(normalise_code(expected), typed_code))
