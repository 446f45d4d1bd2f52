"""Fonts for the sheets: DejaVu (shipped in toolkit/data/) so accented names print, and a
visible stand-in for any character the font lacks, so no text is ever silently dropped."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources
from itertools import repeat

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

SANS = "P2FA-Sans"
BOLD = "P2FA-Sans-Bold"
MONO = "P2FA-Mono"

_FILES = {SANS: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", MONO: "DejaVuSansMono.ttf"}


@cache
def register_fonts() -> None:
    """Register the three fonts with reportlab once per process."""
    data = resources.files("toolkit").joinpath("data")
    for name, filename in _FILES.items():
        with resources.as_file(data.joinpath(filename)) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))


@cache
def _covered(font: str) -> frozenset[int]:
    register_fonts()
    face = pdfmetrics.getFont(font).face
    return frozenset(face.charToGlyph)


def covered_by(char: str, font: str = SANS) -> bool:
    """Whether `font` has a glyph for `char` (what `printable` keeps)."""
    return ord(char) in _covered(font)


def printable(text: str, font: str = SANS) -> str:
    """The text with every character the font cannot draw written as `[U+XXXX]`.

    Control characters (tabs, newlines inside a name) become spaces.
    """
    covered = _covered(font)
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if code < 32 or 0x7F <= code < 0xA0:
            out.append(" ")
        elif code in covered:
            out.append(ch)
        else:
            out.append(f"[U+{code:04X}]")
    return "".join(out)


@cache
def _widths(font: str) -> tuple[Callable[[int, float], float], float]:
    register_fonts()
    face = pdfmetrics.getFont(font).face
    return face.charWidths.get, face.defaultWidth


def measure(text: str, font: str, size: float) -> float:
    """reportlab's `stringWidth` for its TrueType fonts (`instanceStringWidthTTF`: no kerning,
    the characters' widths added in order, then scaled), made in C loops: the same float, bit
    for bit, about five times faster (wrapping measures some 200,000 texts at 2,000 accounts).
    Every width on the sheets is measured here (tests/test_layout_bounded.py counts them)."""
    get, default = _widths(font)
    return float(0.001 * size * sum(map(get, map(ord, text), repeat(default))))


def width(text: str, font: str, size: float) -> float:
    """Width in points of text already passed through `printable`."""
    return measure(text, font, size)
