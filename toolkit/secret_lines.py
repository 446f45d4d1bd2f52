"""Secrets on paper: base32 in numbered lines of 4 groups of 4, each line with a check character.

The check character of a line is one base32 character computed over GF(32) (docs/paper.md,
"The check character"): c = 0; for each value v -- first the line number (mod 32), then each
character's base32 value -- c = 2*c in GF(32) modulo x^5 + x^2 + 1, then c ^= v. It catches
every single wrong character, every swap of two characters, and a line typed under the wrong
number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.errors import AccountError

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
GROUP = 4
GROUPS_PER_LINE = 4
_POLY = 0b100101  # x^5 + x^2 + 1, primitive: 2 has order 31, so positions never collide


def check_character(line_number: int, chars: str) -> str:
    """The check character of `chars` (base32, no spaces) printed as line `line_number`."""
    c = 0
    for v in [line_number % 32, *(ALPHABET.index(ch) for ch in chars)]:
        c <<= 1
        if c & 0b100000:
            c ^= _POLY
        c ^= v
    return ALPHABET[c]


@dataclass(frozen=True)
class SecretLine:
    number: int
    groups: tuple[str, ...]
    check: str

    @property
    def text(self) -> str:
        return " ".join(self.groups)


def secret_lines(secret_base32: str) -> list[SecretLine]:
    """The printed lines of a base32 secret (no padding), numbered from 1."""
    per_line = GROUP * GROUPS_PER_LINE
    lines = []
    for number, start in enumerate(range(0, len(secret_base32), per_line), start=1):
        chars = secret_base32[start : start + per_line]
        groups = tuple(chars[i : i + GROUP] for i in range(0, len(chars), GROUP))
        lines.append(SecretLine(number, groups, check_character(number, chars)))
    return lines


def read_secret_lines(lines: list[str]) -> str:
    """The base32 secret from typed lines `GROUPS CHECK` (the check last, after a space or /).

    Raises AccountError naming the first line whose check character does not match (the
    message never repeats the secret).
    """
    secret = []
    for number, line in enumerate(lines, start=1):
        cleaned = re.sub(r"[\s/|:\-]", "", line.upper())
        if len(cleaned) < 2 or any(ch not in ALPHABET for ch in cleaned):
            raise AccountError(f"secret line {number} is not base32 followed by its check "
                               "character (0, 1 and 8 are never used: read O, I and B)")
        chars, check = cleaned[:-1], cleaned[-1]
        if check_character(number, chars) != check:
            raise AccountError(f"secret line {number} has a typing mistake (its check character "
                               "does not match)", hint="compare that line with the paper again")
        secret.append(chars)
    return "".join(secret)
