"""The whole vault (plain or sealed) as pages of frame QR codes, spread by toolkit.frames.layout
so that losing any one page loses nothing, and its optional text fallback."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from toolkit import frames as F
from toolkit import textlines
from toolkit.progress import NO_PROGRESS, Progress
from toolkit.render.fonts import SANS
from toolkit.render.layout import Block, Page, Paper, content_height, content_width
from toolkit.render.qr import FRAME_MODULE, QrCode, draw_qr, prepare
from toolkit.texts import fill, load_texts

GAP = 2 * mm
LABEL = 3.2 * mm


@dataclass(frozen=True)
class VaultFrames:
    """Frame texts with their numbers (1-based), page by page, and the text fallback lines
    (maybe none). The same for every sheet of a split, whatever the sheet's language."""

    pages: tuple[tuple[tuple[str, int], ...], ...]
    total: int
    needed: int | None
    fallback_lines: tuple[str, ...] = ()

    @property
    def texts(self) -> list[str]:
        return [text for page in self.pages for text, _ in page]


def _grid(paper: Paper, side: float, reserve: float) -> tuple[int, int]:
    cols = max(1, int((content_width(paper) + GAP) // (side + GAP)))
    rows = max(1, int((content_height(paper) - reserve) // (side + LABEL + GAP)))
    return cols, rows


def plan_frames(payload: bytes, kind: str, paper: Paper, reserve: float,
                text_fallback: bool = False,
                progress: Progress = NO_PROGRESS) -> VaultFrames:
    """Cut `payload` into frames and deal them over pages that leave `reserve` points free;
    their QR codes are encoded here, a `progress` step each."""
    frames = F.encode_frames(payload, kind, F.doc_id_for(payload))
    progress.start(len(frames), "vault QR codes made")
    for frame in frames:
        prepare(frame.text)
        progress.advance()
    side = max(QrCode(f.text).size(FRAME_MODULE) for f in frames[:1] + frames[-1:])
    cols, rows = _grid(paper, side, reserve)
    sheets = F.layout(frames, cols * rows)
    shapes = F.block_shapes(frames[0].payload_length, frames[0].chunk_size)
    needed = shapes[0].k if len(shapes) == 1 else None
    fallback: tuple[str, ...] = ()
    if text_fallback:
        fallback = tuple(textlines.encode_text(payload, kind).splitlines())
    pages = tuple(tuple((f.text, f.number) for f in sheet) for sheet in sheets)
    return VaultFrames(pages, len(frames), needed, fallback)


def frame_rows(items: Sequence[tuple[str, int]], total: int, label: str,
               paper: Paper) -> list[Block]:
    """Rows of frame QR codes, each with its label underneath (`label`: the template
    "frame {number} of {total}" of the sheet's language)."""
    if not items:
        return []
    codes = [(QrCode(text), fill(label, number=number, total=total)) for text, number in items]
    side = max(code.size(FRAME_MODULE) for code, _ in codes)
    cols, _ = _grid(paper, side, 0)
    used = min(cols, len(codes))
    shift = (content_width(paper) - used * side - (used - 1) * GAP) / 2
    rows: list[Block] = []
    for start in range(0, len(codes), cols):
        row = codes[start : start + cols]

        def draw(c: Canvas, x: float, y: float, row: list[tuple[QrCode, str]] = row) -> None:
            for i, (code, caption) in enumerate(row):
                cx = x + shift + i * (side + GAP)
                draw_qr(c, code, cx, y, FRAME_MODULE)
                c.setFont(SANS, 6.5)
                c.drawCentredString(cx + side / 2, y - side - 2.4 * mm, caption)

        rows.append(Block(side + LABEL + GAP, draw))
    return rows


def frame_pages(frames: VaultFrames, title: str, head: Sequence[Block], paper: Paper,
                lang: str) -> list[Page]:
    """One page per layout page: the `head` blocks, then that page's codes."""
    label = load_texts("common", lang)["frame_label"]
    pages = []
    for items in frames.pages:
        page = Page(title, fixed=True)
        y = 0.0
        for block in [*head, *frame_rows(items, frames.total, label, paper)]:
            page.blocks.append((y, block))
            y += block.height
        if y > content_height(paper) + 0.01:
            raise ValueError("frame codes do not fit the page")
        pages.append(page)
    if pages:
        pages[-1].ends_section = True
    return pages


def reserve_of(head: Sequence[Block]) -> float:
    return sum(b.height for b in head)
