"""Pages: paper sizes, margins printers do not crop, a footer and a scale bar on every page, and
a small paginator that places measured blocks so nothing overlaps or leaves the page."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from toolkit.render.fonts import MONO, SANS, register_fonts
from toolkit.render.wrap import one_line, wrap
from toolkit.texts import fill, load_texts


@dataclass(frozen=True)
class Paper:
    name: str
    width: float
    height: float


PAPERS = {"a4": Paper("a4", *A4), "letter": Paper("letter", *LETTER)}
"""Paper sizes by the name `--paper` takes."""

MARGIN = 15 * mm
"""Wide enough for printers that cannot print near the edge (most need 4-6 mm)."""
HEADER = 9 * mm
FOOTER = 14 * mm
SCALE_BAR = 50 * mm

Draw = Callable[[Canvas, float, float], None]
"""Draws a block with its top-left corner at (x, y_top)."""


@dataclass
class Block:
    height: float
    draw: Draw
    keep_with_next: bool = False


@dataclass
class Page:
    title: str
    blocks: list[tuple[float, Block]] = field(default_factory=list)


@dataclass(frozen=True)
class Footer:
    """What every page's footer says (besides the page number)."""

    fingerprint: str
    date: str
    generation: int
    version: str
    sheet: str
    lang: str = "en"


def content_width(paper: Paper) -> float:
    return float(paper.width - 2 * MARGIN)


def content_height(paper: Paper) -> float:
    return float(paper.height - 2 * MARGIN - HEADER - FOOTER)


def paginate(blocks: Sequence[Block], title: str, paper: Paper,
             head: Block | None = None, continued: str | None = None) -> list[Page]:
    """Place blocks top to bottom, starting a page when the next one does not fit.

    `head` is repeated at the top of every page; pages after the first get the title
    `continued` when given. A block taller than a page is a programming error (ValueError).
    """
    limit = content_height(paper)
    pages: list[Page] = []

    def new_page() -> tuple[Page, float]:
        page = Page(continued if (pages and continued) else title)
        pages.append(page)
        y = 0.0
        if head is not None:
            page.blocks.append((0.0, head))
            y = head.height
        return page, y

    page, y = new_page()
    start = y
    for i, block in enumerate(blocks):
        need = block.height
        if block.keep_with_next and i + 1 < len(blocks):
            need += blocks[i + 1].height
        if y + need > limit and y > start:
            page, y = new_page()
        if y + block.height > limit + 0.01:
            raise ValueError("a block is taller than the page")
        page.blocks.append((y, block))
        y += block.height
    return pages


def text_block(text: str, width: float, font: str = SANS, size: float = 9.5,
               leading: float | None = None, after: float = 2 * mm,
               max_lines: int | None = None, indent: float = 0.0) -> Block:
    """A wrapped paragraph (newlines kept) as one block."""
    lead = leading or size * 1.3
    lines = wrap(text, font, size, width - indent, max_lines)

    def draw(c: Canvas, x: float, y: float) -> None:
        c.setFont(font, size)
        for n, line in enumerate(lines):
            c.drawString(x + indent, y - size - n * lead, line)

    return Block(len(lines) * lead + after, draw)


def spacer(height: float) -> Block:
    return Block(height, lambda c, x, y: None)


def paragraphs(texts: Sequence[str], width: float, size: float = 9.5) -> list[Block]:
    """One block per line of a template text; blank lines in the template become gaps."""
    return [text_block(t, width, size=size, after=1.2 * mm) if t.strip() else spacer(2 * mm)
            for t in texts]


def _draw_scale_bar(c: Canvas, x: float, y: float) -> None:
    c.setLineWidth(0.6)
    c.line(x, y, x + SCALE_BAR, y)
    for tick in range(6):
        tx = x + tick * 10 * mm
        c.line(tx, y, tx, y + (2.2 * mm if tick in (0, 5) else 1.2 * mm))
    c.setFont(SANS, 6)
    c.drawCentredString(x + SCALE_BAR / 2, y - 2.6 * mm, "50 mm")


def render_pages(pages: Sequence[Page], paper: Paper, footer: Footer, doc_title: str) -> bytes:
    """Draw the pages into a PDF (reportlab invariant mode: same input, same bytes)."""
    register_fonts()
    common = load_texts("common", footer.lang)
    sheet_texts = load_texts(footer.sheet, footer.lang)
    buf = io.BytesIO()
    saved_a85 = rl_config.useA85
    rl_config.useA85 = 0  # binary streams: smaller, and pure-Python ASCII85 is slow
    try:
        return _draw_pages(pages, paper, footer, doc_title, common, sheet_texts, buf)
    finally:
        rl_config.useA85 = saved_a85


def _draw_pages(pages: Sequence[Page], paper: Paper, footer: Footer, doc_title: str,
                common: dict[str, Any], sheet_texts: dict[str, Any], buf: io.BytesIO) -> bytes:
    c = Canvas(buf, pagesize=(paper.width, paper.height), invariant=1, pageCompression=1)
    c.setTitle(doc_title)
    c.setCreator(f"paper2fa {footer.version}")
    c.setAuthor("")
    left = MARGIN
    width = content_width(paper)
    top = paper.height - MARGIN
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        c.setFont(SANS, 11)
        c.drawString(left, top - 11, one_line(page.title, SANS, 11, width))
        c.setLineWidth(0.4)
        c.line(left, top - HEADER + 2 * mm, left + width, top - HEADER + 2 * mm)
        body_top = top - HEADER
        for offset, block in page.blocks:
            block.draw(c, left, body_top - offset)
        text = fill(common["footer"], version=footer.version, fingerprint=footer.fingerprint,
                    generation=footer.generation, date=footer.date, page=number, pages=total)
        c.setLineWidth(0.4)
        c.line(left, MARGIN + FOOTER - 3 * mm, left + width, MARGIN + FOOTER - 3 * mm)
        c.setFont(SANS, 7)
        c.drawString(left, MARGIN + FOOTER - 6.5 * mm, one_line(text, SANS, 7, width))
        scale_note = wrap(sheet_texts["scale_bar"], SANS, 6, width - SCALE_BAR - 6 * mm,
                          max_lines=2)
        c.setFont(SANS, 6)
        for n, line in enumerate(scale_note):
            c.drawString(left, MARGIN + 3.2 * mm - n * 7.5, line)
        _draw_scale_bar(c, left + width - SCALE_BAR, MARGIN + 3 * mm)
        c.showPage()
    c.save()
    return buf.getvalue()


__all__ = ["MONO", "PAPERS", "Block", "Footer", "Page", "Paper", "paginate", "render_pages"]
