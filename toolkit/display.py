"""Names as shown to people: control, bidi and zero-width characters made visible.

An issuer, account name, holder name or file name comes from a file someone else may have
written. Shown raw, `ESC[2J` clears the terminal, a newline forges a line of output, and U+202E
reverses the text that follows. `visible()` writes every such character as a Python-style escape
(`\\x1b`, `\\n`, `\\u202e`), so what is shown is what the data holds, and the data itself is never
changed. The same function serves the terminal and the PDFs.
"""

from __future__ import annotations

import unicodedata

HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Unicode categories never shown raw: controls, format characters (bidi controls, zero-width
joiners and spaces, soft hyphen), surrogates, private use, unassigned, line/paragraph separators."""

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def is_hidden(char: str) -> bool:
    """True for a character that must not reach a terminal or a page as itself."""
    return unicodedata.category(char) in HIDDEN_CATEGORIES


def escape_char(char: str) -> str:
    """One hidden character as a visible escape."""
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(text: str) -> str:
    """`text` with every hidden character escaped (other characters, backslashes included,
    are kept as they are: an escape never forges a line or moves the cursor)."""
    if not has_hidden(text):
        return text
    return "".join(escape_char(ch) if is_hidden(ch) else ch for ch in text)


def has_hidden(text: str) -> bool:
    """True when `visible(text)` would differ from `text` because of a hidden character."""
    return any(is_hidden(ch) for ch in text)


QUOTE_LIMIT = 60
"""The most characters of a name or a path that a message quotes (longer ones are cut in the
middle, the cut marked): a message stays one readable line whatever the input holds."""

CUT = "…"


def shortened(text: str, limit: int = QUOTE_LIMIT) -> str:
    """`text` made visible and, past `limit` characters, cut in the middle with a marked cut
    saying how long it is (start and end kept: they tell files apart). The work is bounded by
    `limit`, not by the length of `text`."""
    if len(text) <= limit:
        return visible(text)
    keep = max(limit // 2 - 2, 1)
    return f"{visible(text[:keep])}{CUT}[{len(text):,} characters]{CUT}{visible(text[-keep:])}"


def quoted(text: str, limit: int = QUOTE_LIMIT) -> str:
    """A name or a path (never a secret) as a message quotes it: visible, shortened, in quotes."""
    return f"'{shortened(text, limit)}'"


def counted(count: int, one: str, other: str) -> str:
    """`count` with the English noun that fits it ("1 account", "2 accounts"), never "(s)".
    Terminal lines in English only; texts that are translated take their plural forms from
    templates/<lang>/ (toolkit.texts)."""
    return f"{count} {one if count == 1 else other}"
