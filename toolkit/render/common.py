"""What every sheet renderer returns, and small shared helpers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from toolkit.render.fonts import MONO, printable
from toolkit.render.fonts import width as text_width
from toolkit.render.layout import Block, Paper, content_width, text_block
from toolkit.texts import fill


@dataclass(frozen=True)
class RenderedPdf:
    """A PDF and every QR text drawn on it (in drawing order), for the self-check."""

    pdf: bytes
    qr_texts: list[str]
    pages: int


def day(date: datetime) -> str:
    """The printed date: YYYY-MM-DD in UTC."""
    return date.astimezone(UTC).strftime("%Y-%m-%d")


def reference_time(date: datetime) -> int:
    """The check codes' reference time: midnight UTC of the print date."""
    d = date.astimezone(UTC)
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())


def template_blocks(lines: Sequence[str] | str, width: float, size: float = 9.5,
                    **values: object) -> list[Block]:
    """A template text (a string or a list of paragraphs, "" = gap) as blocks."""
    items = [lines] if isinstance(lines, str) else list(lines)
    blocks = []
    for item in items:
        if not item.strip():
            blocks.append(Block(2 * mm, lambda c, x, y: None))
        else:
            blocks.append(text_block(fill(item, **values), width, size=size, after=1.2 * mm))
    return blocks


def heading(text: str, paper: Paper, size: float = 12.5) -> Block:
    from toolkit.render.fonts import BOLD

    block = text_block(text, content_width(paper), font=BOLD, size=size, after=2 * mm)
    block.keep_with_next = True
    return block


def mono_lines(lines: Sequence[str], paper: Paper, size: float = 8.5) -> list[Block]:
    """One block per line of monospaced text, kept verbatim (alignment spaces too) when it
    fits, wrapped when wider than the page."""
    width = content_width(paper)
    blocks = []
    for line in lines:
        shown = printable(line, MONO)
        if text_width(shown, MONO, size) > width:
            blocks.append(text_block(line, width, font=MONO, size=size, after=0.4 * mm))
            continue

        def draw(c: Canvas, x: float, y: float, shown: str = shown) -> None:
            c.setFont(MONO, size)
            c.drawString(x, y - size, shown)

        blocks.append(Block(size * 1.3 + 0.4 * mm, draw))
    return blocks
