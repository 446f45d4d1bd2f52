"""JSON read from files someone else wrote: one loader with bounded nesting and one clear error.

Python's `json` recurses once per nested array or object, so a file of 100,000 `[` raises
RecursionError (and a value nested 900 deep parses, then breaks whatever walks or prints it).
`loads` checks the text first (strings removed: how deep it nests, how many values it holds),
refuses nesting deeper than `constants.MAX_JSON_DEPTH` or more than `MAX_JSON_VALUES` values,
and turns every failure into a FormatError. Every JSON input (app exports while sniffing and
loading, paper2fa vaults) goes through it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from toolkit import constants as C
from toolkit.errors import FormatError

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_HOSTILE = "this file is damaged or was made to break programs; export it again from the app"


def without_strings(data: bytes) -> bytes:
    """JSON text with its strings removed (linear time, also on invalid JSON)."""
    return _STRING.sub(b"", data)


def value_count(structure: bytes) -> int:
    """About how many values JSON text without strings holds: one per array or object, plus
    one per separator (it counts the members of arrays and objects)."""
    return sum(structure.count(c) for c in (b"[", b"{", b","))


def nesting_within(structure: bytes, limit: int) -> bool:
    """True when JSON text without strings nests arrays and objects at most `limit` levels deep
    (False too when its brackets do not pair up: then it is not valid JSON).

    Every innermost `[]` or `{}` pair is removed once per level: a document of depth d is empty
    after d passes. Each pass is one C-level scan of what is left.
    """
    skeleton = structure.translate(None, _NOT_BRACKET)
    for _ in range(limit):
        if not skeleton:
            return True
        shorter = skeleton.replace(b"[]", b"").replace(b"{}", b"")
        if len(shorter) == len(skeleton):
            return False  # unbalanced: not reached for valid JSON
        skeleton = shorter
    return not skeleton


def loads(data: bytes | str, what: str) -> Any:
    """Parse JSON (UTF-8, an optional byte-order mark); FormatError naming `what` otherwise."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FormatError(f"{what}: not valid JSON (not UTF-8 text)") from None
        raw = data
    else:
        text = data.removeprefix("\ufeff")
        raw = text.encode("utf-8", errors="surrogatepass")
    structure = without_strings(raw)
    if value_count(structure) > C.MAX_JSON_VALUES:
        raise FormatError(f"{what}: JSON with more than {C.MAX_JSON_VALUES} values; no export "
                          "is that large", hint=_HOSTILE)
    shallow = nesting_within(structure, C.MAX_JSON_DEPTH)
    too_deep = FormatError(f"{what}: JSON nested more than {C.MAX_JSON_DEPTH} levels deep",
                           hint=_HOSTILE)
    try:
        obj = json.loads(text)
    except RecursionError:
        raise too_deep from None
    except ValueError:  # JSONDecodeError, and numbers longer than Python's digit limit
        raise FormatError(f"{what}: not valid JSON") from None
    if not shallow:
        raise too_deep
    return obj


def loads_or_none(data: bytes | str) -> Any:
    """Parsed JSON, or None when it is not (used to sniff formats and validate decryptions)."""
    try:
        return loads(data, "input")
    except FormatError:
        return None
