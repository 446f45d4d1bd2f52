"""What a refused piece of typed or read text looks like, said without quoting it.

Share words, secrets and recovery codes are secrets: a message about a word or a line that was
refused never repeats it. It names the position and says what kind of thing the text looks
like ("an otpauth URI", "a base32 secret", "a recovery code"), which is what the person needs to
see that the wrong file or the wrong line was given. The one owner of that judgement: words
files, share texts and typed-secret files all ask `looks_like`.

The work is bounded: only the first `LOOKED_AT` characters are examined, whatever the length.
"""

from __future__ import annotations

import re
from enum import Enum

LOOKED_AT = 256
"""Characters of a refused text examined (its length is still known and said)."""


class Looks(Enum):
    """Kinds of refused text, each with how a message names it (after "looks like")."""

    OTPAUTH_URI = "an otpauth URI"
    MIGRATION_URI = "a Google Authenticator export link"
    WEB_ADDRESS = "a web address"
    SHARE_QR = "a share's QR text"
    BASE32_SECRET = "a base32 secret"  # noqa: S105 - a description, not a password
    HEX_SECRET = "a secret written in hex"  # noqa: S105
    RECOVERY_CODE = "a recovery code"
    NUMBER = "a number"
    WORD = "a word"
    RUN_TOGETHER = "words run together"
    FIELD = "a 'field: value' line"
    LONG_TEXT = "a long run of text"
    OTHER = "signs or digits that no word has"

    @property
    def phrase(self) -> str:
        return self.value

    @property
    def secret_like(self) -> bool:
        """A kind that holds or may be a secret (what people give by mistake for share words)."""
        return self in _SECRET_LIKE


_SECRET_LIKE = frozenset({Looks.OTPAUTH_URI, Looks.MIGRATION_URI, Looks.BASE32_SECRET,
                          Looks.HEX_SECRET, Looks.RECOVERY_CODE, Looks.NUMBER})

_BASE32 = re.compile(r"[A-Za-z2-7]{16,}=*")
_BASE32_GROUPED = re.compile(r"[A-Za-z2-7]{4}(?:[ -][A-Za-z2-7]{4}){3,}=*")
_HEX = re.compile(r"(?:0x)?[0-9A-Fa-f]{16,}")
_RECOVERY = re.compile(r"[A-Za-z0-9]{3,10}(?:[-\s][A-Za-z0-9]{3,10}){1,5}")
_NUMBER = re.compile(r"[0-9][0-9 \-]*")
_WORD = re.compile(r"[^\W\d_]+")
_FIELD = re.compile(r"\s*[\w -]{1,20}:\s*\S")

WORD_LIKE = 11
"""A letters-only token up to this long may be a mistyped share word (the list's longest word
has 8 letters): only those get suggestions of list words."""


def looks_like(text: str) -> Looks:
    """What `text` (one refused word or line) looks like; never fails, bounded work."""
    head = text.strip()[:LOOKED_AT]
    lower = head.lower()
    if lower.startswith("otpauth-migration:"):
        return Looks.MIGRATION_URI
    if lower.startswith(("otpauth:", "steam:")):
        return Looks.OTPAUTH_URI
    if lower.startswith(("p2fa-share:", "p2fa-slip39:")):
        return Looks.SHARE_QR
    if "://" in lower[:16] or lower.startswith("www."):
        return Looks.WEB_ADDRESS
    if len(text) > LOOKED_AT:
        return Looks.LONG_TEXT
    if _HEX.fullmatch(head) and any(ch.isdigit() for ch in head):
        return Looks.HEX_SECRET
    if _BASE32.fullmatch(head) or _BASE32_GROUPED.fullmatch(head):
        return Looks.BASE32_SECRET
    if _NUMBER.fullmatch(head):
        return Looks.NUMBER
    if _RECOVERY.fullmatch(head) and (any(ch.isdigit() for ch in head) or "-" in head):
        return Looks.RECOVERY_CODE
    if _WORD.fullmatch(head):
        return Looks.WORD if len(head) <= WORD_LIKE else Looks.RUN_TOGETHER
    if _FIELD.match(head):
        return Looks.FIELD
    return Looks.OTHER


def first_line(text: str) -> str:
    """The first line of `text` that holds anything, read from its first few kilobytes only."""
    head = text[:16 * LOOKED_AT]
    return next((line for line in head.splitlines() if line.strip()), "")


def described(text: str, kind: Looks | None = None) -> str:
    """"looks like a base32 secret (32 characters)": the kind and the length, never the text."""
    kind = kind or looks_like(text)
    size = len(text.strip())
    if kind is Looks.OTHER:
        return f"holds {kind.phrase} ({size:,} character{'s' if size != 1 else ''})"
    return f"looks like {kind.phrase} ({size:,} character{'s' if size != 1 else ''})"
