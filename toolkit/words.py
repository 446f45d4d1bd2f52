"""Checksum words for shares: the SLIP-39 wordlist with an RS1024 checksum of our own.

Bytes become 10-bit word indices (big-endian bit stream, zero-padded), followed by three RS1024
checksum words computed under `CUSTOMIZATION`, which differs from SLIP-39's "shamir" and
"shamir_extendable", so a paper2fa share never passes as a SLIP-39 share or the reverse. The
wordlist and RS1024 code are reused from shamir-mnemonic (docs/FORMAT.md, section 3).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from shamir_mnemonic import rs1024
from shamir_mnemonic.wordlist import WORD_INDEX_MAP, WORDLIST

from toolkit.errors import ShareError

CUSTOMIZATION = b"paper2fa-share"
"""RS1024 customization string of paper2fa share words (SLIP-39 uses b"shamir")."""

CHECKSUM_WORDS = 3
"""RS1024 checksum length; any error in up to 3 words is detected."""

RADIX_BITS = 10
PREFIX_LEN = 4
"""Every word of the list is told apart by its first 4 letters."""

_PREFIXES = {w[:PREFIX_LEN]: w for w in WORDLIST}


def wordlist() -> tuple[str, ...]:
    """The 1024 words, in index order."""
    return tuple(WORDLIST)


def data_word_count(byte_count: int) -> int:
    """Words needed for `byte_count` bytes (not counting the checksum)."""
    return (byte_count * 8 + RADIX_BITS - 1) // RADIX_BITS


def bytes_to_indices(data: bytes) -> list[int]:
    """Bytes as 10-bit indices, big-endian, the last one padded with zero bits."""
    count = data_word_count(len(data))
    value = int.from_bytes(data, "big") << (count * RADIX_BITS - len(data) * 8)
    return [(value >> (RADIX_BITS * i)) & 1023 for i in reversed(range(count))]


def indices_to_bytes(indices: Sequence[int], byte_count: int) -> bytes:
    """Inverse of bytes_to_indices; raises ShareError when the padding bits are not zero."""
    value = 0
    for index in indices:
        value = (value << RADIX_BITS) | index
    pad = len(indices) * RADIX_BITS - byte_count * 8
    if pad < 0 or pad >= RADIX_BITS or value & ((1 << pad) - 1):
        raise ShareError("the words do not encode a share (bad padding)")
    return (value >> pad).to_bytes(byte_count, "big")


def encode(data: bytes) -> list[str]:
    """Bytes -> words, with the three checksum words at the end."""
    indices = bytes_to_indices(data)
    indices += rs1024.create_checksum(indices, CUSTOMIZATION)
    return [WORDLIST[i] for i in indices]


def normalize_word(word: str) -> str:
    return word.strip().lower()


def word_index(word: str) -> int:
    """Index of one typed word: the exact word, or 4 or more of its first letters.

    Raises ShareError naming close words when it is not in the list (never auto-corrects).
    """
    w = normalize_word(word)
    if w in WORD_INDEX_MAP:
        return int(WORD_INDEX_MAP[w])
    if len(w) >= PREFIX_LEN:
        full = _PREFIXES.get(w[:PREFIX_LEN])
        if full is not None and full.startswith(w):
            return int(WORD_INDEX_MAP[full])
    hint = suggestions(w)
    shown = f"; did you mean {' or '.join(hint)}?" if hint else ""
    raise ShareError(f"{word.strip()!r} is not a share word{shown}")


def suggestions(word: str, limit: int = 4) -> list[str]:
    """Words of the list that start like `word` (longest shared prefix first), else look alike."""
    w = normalize_word(word)
    for size in range(min(len(w), PREFIX_LEN), 0, -1):
        found = [x for x in WORDLIST if x.startswith(w[:size])]
        if found and len(found) <= limit:
            return found
        if found and size >= 2:
            close = difflib.get_close_matches(w, found, n=limit, cutoff=0.0)
            return close
    return difflib.get_close_matches(w, WORDLIST, n=limit, cutoff=0.5)


def split_words(text: str) -> list[str]:
    return [w for w in text.replace(",", " ").split() if w]


def to_indices(words: Sequence[str]) -> list[int]:
    """Typed words -> indices, naming the position of the first unknown word."""
    out = []
    for pos, word in enumerate(words, 1):
        try:
            out.append(word_index(word))
        except ShareError as exc:
            raise ShareError(f"word {pos}: {exc.message}") from None
    return out


def checksum_ok(indices: Sequence[int], customization: bytes = CUSTOMIZATION) -> bool:
    return bool(rs1024.verify_checksum(list(indices), customization))


def decode(words: Sequence[str], byte_count: int) -> bytes:
    """Words -> bytes: checks each word, the word count and the checksum (never corrects)."""
    expected = data_word_count(byte_count) + CHECKSUM_WORDS
    indices = to_indices(words)
    if len(indices) != expected:
        raise ShareError(f"{len(indices)} words were given; a share has {expected}")
    if not checksum_ok(indices):
        raise ShareError("the checksum of the words is wrong: a word was written or read "
                         "wrongly; compare every word with the sheet")
    return indices_to_bytes(indices[:-CHECKSUM_WORDS], byte_count)
