"""Fit text into a width: wrap at spaces, break words that are too long, and shorten visibly
(with …) when a line limit is reached. Text is never drawn past its box."""

from __future__ import annotations

from toolkit.render.fonts import printable, width

ELLIPSIS = "…"


def _break_word(word: str, font: str, size: float, limit: float) -> list[str]:
    pieces: list[str] = []
    current = ""
    for ch in word:
        if current and width(current + ch, font, size) > limit:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


def _wrap_paragraph(text: str, font: str, size: float, limit: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if width(candidate, font, size) <= limit:
            current = candidate
            continue
        if current:
            lines.append(current)
        if width(word, font, size) <= limit:
            current = word
        else:
            *full, current = _break_word(word, font, size, limit) or [""]
            lines.extend(full)
    lines.append(current)
    return lines


def shorten(line: str, font: str, size: float, limit: float) -> str:
    """The line cut to fit `limit` with a visible … at the end (unchanged if it fits)."""
    if width(line, font, size) <= limit:
        return line
    while line and width(line + ELLIPSIS, font, size) > limit:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS


def wrap(text: str, font: str, size: float, limit: float,
         max_lines: int | None = None) -> list[str]:
    """Lines of at most `limit` points; paragraphs kept; at most `max_lines` (last one marked …)."""
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").split("\n"):
        lines.extend(_wrap_paragraph(printable(paragraph, font), font, size, limit))
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
