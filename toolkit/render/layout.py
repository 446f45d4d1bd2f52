"""Pages: paper sizes, margins printers do not crop, a footer and a scale bar on every page, a
paginator that flows measured blocks so nothing overlaps or leaves the page and no page is left
mostly empty, and the one exit every PDF leaves through (`render_document`: drawn, then read
back by the self-check)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from toolkit.progress import NO_PROGRESS, Progress
from toolkit.render.fonts import MONO, SANS, printable, register_fonts
from toolkit.render.fonts import width as text_width
from toolkit.render.sizes import FOOTER_SIZE, REGULAR, SCALE_NOTE_SIZE, TypeSizes
from toolkit.render.wrap import one_line, wrap
from toolkit.selfcheck import check_pdf


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

MOSTLY_EMPTY = 0.5
"""A page whose blocks use less than this share of its height is mostly empty: allowed only
where a section ends before one that must start a new page (docs/paper.md)."""


Draw = Callable[[Canvas, float, float], None]
"""Draws a block with its top-left corner at (x, y_top)."""

NewPage = Literal["", "page", "part"]
"""Whether a block starts a new page, and whether the page before it ends a part."""

Split = Callable[[float], "tuple[Block, Block] | None"]
"""Cuts a block into a first part at most `room` points high and the rest (None: it cannot)."""


@dataclass(frozen=True)
class Section:
    """The page title of a section's first page, and of the pages it continues on."""

    title: str
    continued: str


@dataclass
class Block:
    height: float
    draw: Draw
    keep_with_next: bool = False
    split: Split | None = None
    section: Section | None = None
    """Set on a section's first block: pages from here on take the section's titles."""
    together: bool = False
    """Never cut unless it is taller than a whole page (`keep_together`)."""
    new_page: NewPage = ""
    """"page": starts a new page; "part": also the page before it ends a part of its own (what
    is on it stands alone, and says so)."""
    first: float | None = None
    """The height of the least first part `split` can cut off (None: ask `split`)."""
    inner: tuple[Block, ...] = ()
    """The blocks a `keep_together` block is made of (to find on which page one is)."""

    def blocks(self) -> list[Block]:
        """This block and every block inside it."""
        found = [self]
        for block in self.inner:
            found.extend(block.blocks())
        return found

    @property
    def least(self) -> float:
        """The least of this block that may stand at the foot of a page."""
        if self.first is not None:
            return self.first
        if self.split is None:
            return self.height
        parts = self.split(0.0)
        return self.height if parts is None else parts[0].height


@dataclass
class Page:
    title: str
    blocks: list[tuple[float, Block]] = field(default_factory=list)
    fixed: bool = False
    """Laid out by its own rule, not flowed (frame pages: FORMAT.md section 4)."""
    ends_section: bool = False
    """The last page of a flow: what follows must start a new page."""

    @property
    def used(self) -> float:
        """Height used by the blocks, from the top of the body to the lowest block's foot."""
        return max((y + block.height for y, block in self.blocks), default=0.0)


@dataclass(frozen=True)
class PageFill:
    """The layout engine's record of one page: its title, the height its blocks use and the
    body's height, and whether a flow ends on it or it has a fixed layout."""

    title: str
    used: float
    height: float
    ends_section: bool
    fixed: bool

    @property
    def share(self) -> float:
        return self.used / self.height


@dataclass(frozen=True)
class RenderedPdf:
    """A PDF, every QR text drawn on it (in drawing order), and the record of its pages."""

    pdf: bytes
    qr_texts: list[str]
    pages: int
    fill: tuple[PageFill, ...] = ()


@dataclass(frozen=True)
class Footer:
    """What every page's foot says: `line(page, pages)`, and the note beside the scale bar
    (None: no scale bar, for sheets whose codes are scanned by phones at any size)."""

    line: Callable[[int, int], str]
    scale_note: str | None = None


def content_width(paper: Paper) -> float:
    return float(paper.width - 2 * MARGIN)


def content_height(paper: Paper) -> float:
    return float(paper.height - 2 * MARGIN - HEADER - FOOTER)


def paginate(blocks: Sequence[Block], title: str, paper: Paper,
             head: Block | None = None, continued: str | None = None) -> list[Page]:
    """Flow blocks top to bottom, starting a page when the next one does not fit; a block that
    can be split (a long paragraph) fills the rest of the page and goes on on the next. A
    block kept `together` (an account) moves whole to the next page, and is cut only when it
    is taller than a page; a `new_page` block starts a page (with "part", the page before it is
    marked as ending a flow: what is on it stands alone).

    `head` is repeated at the top of every page. Page titles follow the sections: `title` on the
    first page, `continued` (or `title`) after it, and a block with a `section` sets them from
    there on. A block that cannot be split and is taller than a page is a programming error
    (ValueError). The last page is marked as ending the flow.
    """
    limit = content_height(paper)
    pages: list[Page] = []
    running = Section(title, continued or title)
    queue = list(blocks)

    def new_page(first: Block | None) -> tuple[Page, float]:
        if not pages:
            name = title
        elif first is not None and first.section is not None:
            name = first.section.title
        else:
            name = running.continued
        page = Page(name)
        pages.append(page)
        if head is None:
            return page, 0.0
        page.blocks.append((0.0, head))
        return page, head.height

    page, y = new_page(queue[0] if queue else None)
    start = y
    whole = limit - start  # the room on an empty page

    def least(block: Block) -> float:
        return block.height if block.together and block.height <= whole + 0.01 else block.least

    i = 0
    while i < len(queue):
        block = queue[i]
        if block.new_page and y > start:
            page.ends_section = block.new_page == "part"
            page, y = new_page(block)
            continue
        room = limit - y
        need = block.height
        if block.keep_with_next and i + 1 < len(queue):
            need += least(queue[i + 1])
        if need > room + 0.01:
            keep = block.together and block.height <= whole + 0.01
            parts = block.split(room) if block.split is not None and not keep else None
            if parts is not None and parts[0].height > room + 0.01:
                parts = None
            if parts is not None and not block.keep_with_next:
                block, rest = parts
                queue[i:i + 1] = [block, rest]
            elif y > start:
                page, y = new_page(block)
                continue
        if block.height > limit - y + 0.01:
            raise ValueError("a block is taller than the page")
        if block.section is not None:
            running = block.section
        page.blocks.append((y, block))
        y += block.height
        i += 1
    pages[-1].ends_section = True
    return pages


MIN_SPLIT_LINES = 2
"""A paragraph is cut only where at least this many of its lines stay on each side."""


def lines_block(lines: Sequence[str], font: str, size: float, lead: float, after: float,
                indent: float = 0.0) -> Block:
    """Lines of text as one block that the paginator may cut between lines."""
    kept = list(lines)

    def draw(c: Canvas, x: float, y: float) -> None:
        c.setFont(font, size)
        for n, line in enumerate(kept):
            c.drawString(x + indent, y - size - n * lead, line)

    def split(room: float) -> tuple[Block, Block] | None:
        fit = min(max(int((room + 0.01) // lead), MIN_SPLIT_LINES), len(kept) - MIN_SPLIT_LINES)
        if fit < MIN_SPLIT_LINES:
            return None
        return (lines_block(kept[:fit], font, size, lead, 0.0, indent),
                lines_block(kept[fit:], font, size, lead, after, indent))

    can_split = len(kept) >= 2 * MIN_SPLIT_LINES
    return Block(len(kept) * lead + after, draw, split=split if can_split else None)


def text_block(text: str, width: float, font: str = SANS, size: float = 9.5,
               leading: float | None = None, after: float = 2 * mm,
               max_lines: int | None = None, indent: float = 0.0) -> Block:
    """A wrapped paragraph (newlines kept) as one block."""
    lead = leading or size * 1.3
    return lines_block(wrap(text, font, size, width - indent, max_lines), font, size, lead,
                       after, indent)


def spacer(height: float) -> Block:
    return Block(height, lambda c, x, y: None)


def keep_together(blocks: Sequence[Block],
                  continued: Callable[[], Block] | None = None) -> Block:
    """`blocks` as one block that is never cut unless it is taller than a page (an account, a
    heading with all it introduces, the lines to sign); then it is cut between its blocks (or
    inside one that can be cut) and the rest starts with `continued()` when given (a title such
    as "Example Bank, continued"). The first part holds at least the first block and what is
    kept with it."""
    parts = list(blocks)
    if not parts:
        raise ValueError("keep_together needs at least one block")

    def draw(c: Canvas, x: float, y: float) -> None:
        for block in parts:
            block.draw(c, x, y)
            y -= block.height

    def least_first() -> float:
        total = 0.0
        for block in parts:
            if not block.keep_with_next:
                return total + block.least
            total += block.height
        return total

    def split(room: float) -> tuple[Block, Block] | None:
        taken: list[Block] = []
        used = 0.0
        rest = list(parts)
        while rest and used + rest[0].height <= room + 0.01:
            used += rest[0].height
            taken.append(rest.pop(0))
        if rest and rest[0].split is not None and not rest[0].keep_with_next:
            cut = rest[0].split(room - used)
            if cut is not None and used + cut[0].height <= room + 0.01:
                taken.append(cut[0])
                rest[0] = cut[1]
        while taken and taken[-1].keep_with_next:  # a heading never ends a part
            rest.insert(0, taken.pop())
        if not taken or not rest:
            return None
        if continued is not None:
            title = continued()
            title.keep_with_next = True  # never alone at the foot of a page
            rest.insert(0, title)
        return keep_together(taken, continued), keep_together(rest, continued)

    return Block(sum(b.height for b in parts), draw, split=split, together=True,
                 first=least_first(), inner=tuple(parts))


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


def render_document(pages: Sequence[Page], paper: Paper, footer: Footer, doc_title: str,
                    qr_texts: Sequence[str], *, creator: str,
                    self_check: bool = True, sizes: TypeSizes = REGULAR,
                    progress: Progress = NO_PROGRESS) -> RenderedPdf:
    """Draw the pages into a PDF and read every QR code back (toolkit.selfcheck): the one way
    a sheet leaves toolkit.render. `self_check=False` is for benchmarks only. `sizes` sets the
    page titles' size (`page_title`). `progress` gets two stages, "pages drawn" and "pages
    checked", a step per page.

    reportlab's invariant mode fixes the document's dates and ID: same input, same bytes.
    """
    register_fonts()
    saved_a85 = rl_config.useA85
    rl_config.useA85 = 0  # binary streams: smaller, and pure-Python ASCII85 is slow
    progress.start(len(pages), "pages drawn")
    try:
        pdf = _draw_pages(pages, paper, footer, doc_title, creator, sizes, progress)
    finally:
        rl_config.useA85 = saved_a85
    if self_check and qr_texts:
        progress.start(len(pages), "pages checked")
        check_pdf(pdf, qr_texts, progress=progress, pages=len(pages))
    height = content_height(paper)
    fill = tuple(PageFill(p.title, p.used, height, p.ends_section, p.fixed) for p in pages)
    return RenderedPdf(pdf, list(qr_texts), len(pages), fill)


def _title_size(title: str, width: float, sizes: TypeSizes) -> float:
    """The page title's size: `sizes.page_title`, made smaller (never under the regular size)
    while a long title would not fit on its line."""
    size = sizes.page_title
    shown = printable(" ".join(title.split()))
    while size > REGULAR.page_title and text_width(shown, SANS, size) > width:
        size = max(REGULAR.page_title, size - 0.5)
    return size


def _draw_pages(pages: Sequence[Page], paper: Paper, footer: Footer, doc_title: str,
                creator: str, sizes: TypeSizes, progress: Progress) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(paper.width, paper.height), invariant=1, pageCompression=1)
    c.setTitle(doc_title)
    c.setCreator(creator)
    c.setAuthor("")
    left = MARGIN
    width = content_width(paper)
    top = paper.height - MARGIN
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        size = _title_size(page.title, width, sizes)
        c.setFont(SANS, size)
        c.drawString(left, top - size, one_line(page.title, SANS, size, width))
        c.setLineWidth(0.4)
        c.line(left, top - HEADER + 2 * mm, left + width, top - HEADER + 2 * mm)
        body_top = top - HEADER
        for offset, block in page.blocks:
            block.draw(c, left, body_top - offset)
        c.setLineWidth(0.4)
        c.line(left, MARGIN + FOOTER - 3 * mm, left + width, MARGIN + FOOTER - 3 * mm)
        c.setFont(SANS, FOOTER_SIZE)
        c.drawString(left, MARGIN + FOOTER - 6.5 * mm,
                     one_line(footer.line(number, total), SANS, FOOTER_SIZE, width))
        if footer.scale_note is not None:
            scale_note = wrap(footer.scale_note, SANS, SCALE_NOTE_SIZE,
                              width - SCALE_BAR - 6 * mm, max_lines=2)
            c.setFont(SANS, SCALE_NOTE_SIZE)
            for n, line in enumerate(scale_note):
                c.drawString(left, MARGIN + 4.2 * mm - n * SCALE_NOTE_SIZE * 1.15, line)
            _draw_scale_bar(c, left + width - SCALE_BAR, MARGIN + 3 * mm)
        c.showPage()
        progress.advance()
    c.save()
    return buf.getvalue()


__all__ = ["MONO", "PAPERS", "Block", "Footer", "Page", "Paper", "RenderedPdf", "Section",
           "keep_together", "paginate", "render_document"]
