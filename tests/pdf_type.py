"""Type measured in a rendered PDF: per page, its text runs (a line of characters of one font
size on one baseline) with the size in points, the bounding box and the text, read from
PDFium's text layer (pypdfium2.raw). Tests use it to check the sizes a reader gets on paper
(docs/paper.md, "Type sizes") instead of trusting the sizes the code asks for.

A run ends where the size changes, where the baseline moves (a new line), and at a gap wider
than two sizes on the same baseline (a new column: the words grid, a footer's left and right
ends). Characters PDFium inserts itself (spaces and line ends between text objects) are not
part of any run; the line ends among them end a run.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pypdfium2
import pypdfium2.raw as pdfium_c

SIZE_STEP = 0.05
"""Sizes closer than this are the same size (PDFium reports a size through float matrices)."""
NEW_LINE = 0.3
"""A baseline moved by more than this many sizes starts a new run."""
NEW_COLUMN = 2.0
"""A gap wider than this many sizes on one baseline starts a new run."""


@dataclass(frozen=True)
class Run:
    """One line of text in one size: `size` in points; the box of its ink and its baseline in
    points from the page's lower-left corner (PDF coordinates); `text` as read, inner spaces
    included. `page` counts from 0."""

    page: int
    size: float
    left: float
    bottom: float
    right: float
    top: float
    baseline: float
    text: str


@dataclass(frozen=True)
class PageType:
    """A page's size in points and its runs, top to bottom then left to right."""

    number: int
    width: float
    height: float
    runs: tuple[Run, ...]


@dataclass
class _Char:
    text: str
    size: float
    left: float
    bottom: float
    right: float
    top: float
    origin_y: float


def _chars(textpage: pdfium_c.FPDF_TEXTPAGE) -> Iterator[_Char | None]:
    """Every character of a page in reading order; None for a line end PDFium inserted."""
    left, right = ctypes.c_double(), ctypes.c_double()
    bottom, top = ctypes.c_double(), ctypes.c_double()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    for index in range(pdfium_c.FPDFText_CountChars(textpage)):
        code = pdfium_c.FPDFText_GetUnicode(textpage, index)
        text = chr(code) if code else ""
        if pdfium_c.FPDFText_IsGenerated(textpage, index) == 1:
            if text in ("\r", "\n"):
                yield None
            continue
        if text in ("\r", "\n", "") or pdfium_c.FPDFText_GetCharBox(
                textpage, index, left, right, bottom, top) == 0:
            continue
        pdfium_c.FPDFText_GetCharOrigin(textpage, index, ox, oy)
        size = float(pdfium_c.FPDFText_GetFontSize(textpage, index))
        yield _Char(text, size, left.value, bottom.value, right.value, top.value, oy.value)


def _runs(number: int, chars: Iterator[_Char | None]) -> list[Run]:
    runs: list[Run] = []
    current: list[_Char] = []

    def close() -> None:
        ink = [c for c in current if not c.text.isspace()]
        if ink:
            runs.append(Run(number, round(round(ink[0].size / SIZE_STEP) * SIZE_STEP, 2),
                            min(c.left for c in ink), min(c.bottom for c in ink),
                            max(c.right for c in ink), max(c.top for c in ink),
                            ink[0].origin_y,
                            "".join(c.text for c in current).strip()))
        current.clear()

    for char in chars:
        if char is None:
            close()
            continue
        if current:
            last = current[-1]
            ink = [c for c in current if not c.text.isspace()]
            previous_right = ink[-1].right if ink else last.right
            if (abs(char.size - last.size) >= SIZE_STEP
                    or abs(char.origin_y - last.origin_y) > NEW_LINE * char.size
                    or (not char.text.isspace()
                        and char.left - previous_right > NEW_COLUMN * char.size)):
                close()
        current.append(char)
    close()
    return runs


def page_types(pdf: bytes) -> list[PageType]:
    """The runs of every page of `pdf`."""
    doc = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for number in range(len(doc)):
            page = doc[number]
            textpage = page.get_textpage()
            try:
                runs = _runs(number, _chars(textpage.raw))
            finally:
                textpage.close()
            width, height = page.get_size()
            page.close()
            runs.sort(key=lambda r: (-round(r.baseline), r.left))
            pages.append(PageType(number, float(width), float(height), tuple(runs)))
        return pages
    finally:
        doc.close()


def all_runs(pages: Sequence[PageType]) -> list[Run]:
    """Every run of every page, in page order."""
    return [run for page in pages for run in page.runs]


def smallest(runs: Sequence[Run]) -> float:
    """The smallest size among `runs` (0.0 when there are none)."""
    return min((run.size for run in runs), default=0.0)
