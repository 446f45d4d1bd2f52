"""Fit text into a width: wrap at spaces, break words that are too long, and shorten visibly
(with …) when a line limit is reached. Text is never drawn past its box.

The work is linear in the text's length: a long word is broken and a long line shortened by
adding up the widths of its characters (a font's width of a text is the sum of its characters'
widths), never by measuring ever longer or shorter copies of it; with a line limit, wrapping
stops at the first line past it."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from toolkit.render.fonts import printable, width

ELLIPSIS = "…"


@cache
def char_width(char: str, font: str, size: float) -> float:
    """Width in points of one character (already through `printable`)."""
    return width(char, font, size)


def _fitting(text: str, font: str, size: float, limit: float) -> int:
    """How many characters of `text`, from its start, fit in `limit` points (at least one)."""
    total = 0.0
    for count, ch in enumerate(text):
        total += char_width(ch, font, size)
        if total > limit:
            return max(count, 1)
    return len(text)


def _break_word(word: str, font: str, size: float, limit: float) -> list[str]:
    pieces: list[str] = []
    start = 0
    while start < len(word):
        end = start + _fitting(word[start:start + _most_chars(font, size, limit)], font, size,
                               limit)
        pieces.append(word[start:end])
        start = end
    return pieces


def _most_chars(font: str, size: float, limit: float) -> int:
    """More characters than any line of `limit` points holds (the narrowest character of the
    font is no narrower than a tenth of the size): slices stay short."""
    return int(limit / (size * 0.1)) + 2


def _wrap_paragraph(text: str, font: str, size: float, limit: float) -> Iterator[str]:
    most = _most_chars(font, size, limit)

    def fits(line: str) -> bool:
        return len(line) <= most and width(line, font, size) <= limit

    # the line's width is kept and each word measured once (widths add up within a font:
    # no kerning in the fonts used), so a paragraph costs its length, not length x words
    space = width(" ", font, size)
    current, current_width = "", 0.0
    for word in text.split(" "):
        word_width = width(word, font, size) if len(word) <= most else limit + 1
        extra = word_width + (space if current else 0.0)
        length = len(current) + 1 + len(word) if current else len(word)
        if length <= most and current_width + extra <= limit:
            current = f"{current} {word}" if current else word
            current_width += extra
            continue
        if current:
            yield current
        if fits(word):
            current, current_width = word, word_width
        else:
            *full, current = _break_word(word, font, size, limit) or [""]
            current_width = width(current, font, size)
            yield from full
    yield current


def shorten(line: str, font: str, size: float, limit: float) -> str:
    """The line cut to fit `limit` with a visible … at the end (unchanged if it fits)."""
    head = line[:_most_chars(font, size, limit)]
    if len(head) == len(line) and width(line, font, size) <= limit:
        return line
    room = limit - width(ELLIPSIS, font, size)
    cut = head[:_fitting(head, font, size, room)] if room > 0 else ""
    while cut and width(cut + ELLIPSIS, font, size) > limit:  # rounding: a step at most
        cut = cut[:-1]
    return cut.rstrip() + ELLIPSIS


def wrap(text: str, font: str, size: float, limit: float,
         max_lines: int | None = None) -> list[str]:
    """Lines of at most `limit` points; paragraphs kept; at most `max_lines` (last one marked …)."""
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").split("\n"):
        for line in _wrap_paragraph(printable(paragraph, font), font, size, limit):
            lines.append(line)
            if max_lines is not None and len(lines) > max_lines:
                break
        if max_lines is not None and len(lines) > max_lines:
            break
    if max_lines is not None and len(lines) > max_lines:
        kept = lines[:max_lines]
        kept[-1] = shorten(kept[-1] + ELLIPSIS, font, size, limit)
        if not kept[-1].endswith(ELLIPSIS):
            kept[-1] += ELLIPSIS
        return kept
    return lines


def one_line(text: str, font: str, size: float, limit: float) -> str:
    """The text on a single line, shortened with … if it does not fit."""
    return shorten(printable(" ".join(text.split()), font), font, size, limit)
