"""Checksum words for shares: the SLIP-39 wordlist with an RS1024 checksum of our own.

Bytes become 10-bit word indices (big-endian bit stream, zero-padded), followed by three RS1024
checksum words computed under `CUSTOMIZATION`, which differs from SLIP-39's "shamir" and
"shamir_extendable", so a paper2fa share never passes as a SLIP-39 share or the reverse. The
wordlist and RS1024 code are reused from shamir-mnemonic (docs/FORMAT.md, section 3).
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Sequence

from shamir_mnemonic import rs1024
from shamir_mnemonic.wordlist import WORD_INDEX_MAP, WORDLIST

from toolkit.errors import ShareError
from toolkit.looks import WORD_LIKE, Looks, described, first_line, looks_like

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


MAX_TYPED_WORDS = 64
"""More words than any share has (paper2fa's 37, SLIP-39's 20 to 59): a text with more is not
one share, and no more of it is read."""


def word_index(word: str, name: str = "the word") -> int:
    """Index of one typed word: the exact word, or 4 or more of its first letters.

    Raises ShareError when it is not in the list (never auto-corrects), naming it by `name`
    ("word 7") and never quoting it: share words are secrets. A token that could be a typo of a
    list word gets the close words of the list; any other token is said to look like what it
    looks like (an otpauth URI, a base32 secret...)."""
    w = normalize_word(word) if len(word) <= 4 * WORD_LIKE else ""  # a long one is not copied
    if 0 < len(w) <= WORD_LIKE:
        if w in WORD_INDEX_MAP:
            return int(WORD_INDEX_MAP[w])
        if len(w) >= PREFIX_LEN:
            full = _PREFIXES.get(w[:PREFIX_LEN])
            if full is not None and full.startswith(w):
                return int(WORD_INDEX_MAP[full])
    kind = looks_like(word)
    if kind is not Looks.WORD and not (kind is Looks.OTHER and 0 < len(w) <= WORD_LIKE):
        raise ShareError(f"{name} {described(word, kind)}, not a share word")
    hint = suggestions(w)
    shown = f"; did you mean {' or '.join(hint)}?" if hint else ""
    raise ShareError(f"{name} is not a share word{shown}")


def suggestions(word: str, limit: int = 4) -> list[str]:
    """Words of the list that start like `word` (longest shared prefix first), else look alike.
    Nothing for a token much longer than any list word (the work stays bounded)."""
    w = normalize_word(word)
    if len(w) > WORD_LIKE:
        return []
    for size in range(min(len(w), PREFIX_LEN), 0, -1):
        found = [x for x in WORDLIST if x.startswith(w[:size])]
        if found and len(found) <= limit:
            return found
        if found and size >= 2:
            close = difflib.get_close_matches(w, found, n=limit, cutoff=0.0)
            return close
    return difflib.get_close_matches(w, WORDLIST, n=limit, cutoff=0.5)


_TOKEN = re.compile(r"[^\s,]+")


def split_words(text: str, limit: int | None = None) -> list[str]:
    """The words of a typed text (separated by spaces or commas); with `limit`, at most that
    many are read (the rest of a long text is not looked at)."""
    found = (m.group() for m in _TOKEN.finditer(text))
    return list(found if limit is None else itertools.islice(found, limit))


def to_indices(words: Sequence[str]) -> list[int]:
    """Typed words -> indices, naming the position of the first unknown word."""
    return [word_index(word, f"word {pos}") for pos, word in enumerate(words, 1)]


def text_indices(text: str) -> tuple[list[str], list[int]]:
    """The words of a text said to be one share, and their indices; at most
    MAX_TYPED_WORDS + 1 words are read. A text whose first word is not a share word and whose
    first line looks like a secret (an otpauth URI, a base32 secret in groups, a recovery
    code) is said to look like that, without a word of it."""
    seq = split_words(text, MAX_TYPED_WORDS + 1)
    try:
        return seq, to_indices(seq)
    except ShareError:
        line = first_line(text)
        kind = looks_like(line)
        if seq and kind.secret_like and not _is_word(seq[0]):
            raise ShareError(f"the text {described(line, kind)}, not share words") from None
        raise


def _is_word(token: str) -> bool:
    try:
        word_index(token)
    except ShareError:
        return False
    return True


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
