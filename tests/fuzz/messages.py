"""What a documented error says, checked on every fuzz input (issue 21): a message never repeats
a secret-looking part of the input, holds no raw control character, and stays short.

- **Length**: the message at most MESSAGE_LIMIT characters, the hint at most HINT_LIMIT (a
  4 MiB line once gave a 4 MiB message).
- **Raw characters**: no control, bidi or zero-width character (toolkit.display.is_hidden) in
  the message or the hint: a name from the input is escaped (`visible`) where it is quoted.
- **Echo**: no run of SECRET_RUN or more letters and digits of the input that looks like a
  secret (base32, hex, base64: digits among letters, or all capitals) appears in the message;
  and where the input is share words or typed secrets (QUOTE_TARGETS), nothing quoted in the
  message ('…' or "…") of QUOTE_RUN or more characters is a piece of the input. The program's
  own constants that messages name (PROGRAM_WORDS: a file header, the names of the algorithms
  an app uses) are not echoes, though a damaged file may hold them too.
"""

from __future__ import annotations

import re

from toolkit.display import is_hidden
from toolkit.importers import freeotp2, stratum

MESSAGE_LIMIT = 400
HINT_LIMIT = 400
SECRET_RUN = 16
"""A base32 secret of 10 bytes has 16 characters."""

QUOTE_RUN = 3
QUOTE_TARGETS = {"share": QUOTE_RUN, "share.file": QUOTE_RUN, "recovery.inputs": QUOTE_RUN,
                 "textlines": QUOTE_RUN, "frames": QUOTE_RUN, "typed": 15}
"""Targets whose input is secret through and through (share words, typed secrets, QR texts),
with the shortest quote of their input that counts as an echo (typed secrets may quote an
unknown field name no longer than the longest known one, `check-letters`)."""

_RUN = re.compile(rf"[A-Za-z0-9+/=]{{{SECRET_RUN},}}")
_QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")
LOOKED_AT = 1 << 20
"""Bytes of the input searched for secret-looking runs (a run is found in the first MiB)."""


PROGRAM_WORDS = (stratum.HEADER.decode("ascii"), *freeotp2.KDF_NAMES)
"""Constants of the program that its messages name ("no AUTHENTICATORPRO header", "FreeOTP 2
uses PBKDF2withHmacSHA1 or PBKDF2withHmacSHA512"): taken out of a message before it is searched
for runs of the input, which may hold them too (mut-stratum_encrypted.bin--lines-8)."""


def _secret_looking(run: str) -> bool:
    """Base32, hex or base64: a digit among letters, or all capitals (a number alone is not:
    messages name counters, versions and sizes)."""
    return (any(ch.isdigit() for ch in run) and not run.isdigit()) or run.isupper()


def faults(target: str, message: str, hint: str, data: bytes) -> list[str]:
    """What is wrong with a documented error's message for this input (empty: nothing)."""
    found = []
    if len(message) > MESSAGE_LIMIT:
        found.append(f"a message of {len(message):,} characters")
    if len(hint) > HINT_LIMIT:
        found.append(f"a hint of {len(hint):,} characters")
    if any(is_hidden(ch) for ch in message[:10_000] + hint[:10_000]):
        found.append("a raw control character in the message")
    text = data[:LOOKED_AT].decode("utf-8", "surrogateescape")
    shown = message[:4 * MESSAGE_LIMIT]
    for word in PROGRAM_WORDS:
        shown = shown.replace(word, " ")
    for run in set(_RUN.findall(text)):
        if _secret_looking(run) and run in shown:
            found.append("a secret-looking run of the input echoed")
            break
    shortest = QUOTE_TARGETS.get(target)
    if shortest is not None:
        for single, double in _QUOTED.findall(shown):
            quote = single or double
            if len(quote) >= shortest and quote in text:
                found.append("a piece of the input quoted")
                break
    return found
