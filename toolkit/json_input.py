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
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from toolkit import constants as C
from toolkit.errors import FormatError, Source

_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_HOSTILE = "this file is damaged or was made to break programs; export it again from the app"
_CHUNK = 1 << 20
"""Bytes of JSON text looked at at a time while strings are removed (bounds the pieces held)."""


@dataclass(frozen=True)
class Structure:
    """What the structure of JSON text (strings removed) holds: `values` counted up to the
    point where they passed the limit asked for, and its brackets in order."""

    values: int
    brackets: bytes


def _outside_strings(data: bytes) -> Iterator[bytes]:
    """The parts of JSON text outside its strings, a chunk at a time (linear time and bounded
    memory, also on invalid JSON). Escaped backslashes and quotes are dropped first, so every
    quote left opens or closes a string."""
    plain = data.replace(b"\\\\", b"").replace(b'\\"', b"") if b"\\" in data else data
    inside = False
    for start in range(0, len(plain), _CHUNK):
        parts = plain[start:start + _CHUNK].split(b'"')
        outside = parts[1::2] if inside else parts[::2]
        if len(parts) % 2 == 0:  # an odd number of quotes in this chunk
            inside = not inside
        yield b"".join(outside)


def structure_of(data: bytes, limit: int = C.MAX_JSON_VALUES) -> Structure:
    """The values and brackets of JSON text, strings removed; counting stops (and brackets are
    no longer kept) once more than `limit` values are seen, so a hostile file costs at most a
    pass over its bytes, never a copy of each of its millions of pieces."""
    values = 0
    brackets: list[bytes] = []
    for piece in _outside_strings(data):
        values += value_count(piece)
        if values > limit:
            break
        brackets.append(piece.translate(None, _NOT_BRACKET))
    return Structure(values, b"".join(brackets))


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
    skeleton = structure.translate(None, _NOT_BRACKET)  # a no-op on Structure.brackets
    for _ in range(limit):
        if not skeleton:
            return True
        shorter = skeleton.replace(b"[]", b"").replace(b"{}", b"")
        if len(shorter) == len(skeleton):
            return False  # unbalanced: not reached for valid JSON
        skeleton = shorter
    return not skeleton


def loads(data: bytes | str, what: str) -> Any:
    """Parse JSON (UTF-8, an optional byte-order mark); FormatError from `what` otherwise (its
    source's label)."""
    source = Source(label=what)
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FormatError("not valid JSON (not UTF-8 text)", source=source) from None
        raw = data
    else:
        text = data.removeprefix("\ufeff")
        raw = text.encode("utf-8", errors="surrogatepass")
    structure = structure_of(raw)
    if structure.values > C.MAX_JSON_VALUES:
        raise FormatError(f"JSON with more than {C.MAX_JSON_VALUES} values; no export is that "
                          "large", hint=_HOSTILE, source=source)
    shallow = nesting_within(structure.brackets, C.MAX_JSON_DEPTH)
    too_deep = FormatError(f"JSON nested more than {C.MAX_JSON_DEPTH} levels deep",
                           hint=_HOSTILE, source=source)
    try:
        obj = json.loads(text)
    except RecursionError:
        raise too_deep from None
    except ValueError:  # JSONDecodeError, and numbers longer than Python's digit limit
        raise FormatError("not valid JSON", source=source) from None
    if not shallow:
        raise too_deep
    return obj


def loads_or_none(data: bytes | str) -> Any:
    """Parsed JSON, or None when it is not (used to sniff formats and validate decryptions)."""
    try:
        return loads(data, "input")
    except FormatError:
        return None
