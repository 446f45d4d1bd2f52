"""A share-holder sheet: who it is for, the share as a QR code on every page and as numbered
words with boxes to rewrite them, the sealed vault's frames, and plain instructions. It shows
nothing about the accounts beyond their number (not even their names)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from toolkit import __version__
from toolkit.envelope import Header
from toolkit.render.common import RenderedPdf, day, heading, mono_lines, template_blocks
from toolkit.render.fonts import BOLD, SANS, printable
from toolkit.render.fonts import width as text_width
from toolkit.render.layout import (
    Block,
    Footer,
    Paper,
    content_width,
    paginate,
    render_pages,
    spacer,
    text_block,
)
from toolkit.render.qr import SHARE_ERROR_CORRECTION, QrCode, draw_qr, module_for
from toolkit.render.vault_frames import VaultFrames, frame_pages
from toolkit.render.wrap import wrap
from toolkit.sharing import AnyShare
from toolkit.texts import fill, load_texts

SHARE_QR_BOX = 36 * mm

SHARE_QR_COPIES = 2
"""Copies of the share's QR code on each page (see share_head)."""
WORD_COLUMNS = 3


def common_prefix(word_lists: Sequence[Sequence[str]]) -> list[str]:
    """The words every share of the set begins with (set id, version, k and n)."""
    first = list(word_lists[0]) if word_lists else []
    count = 0
    while count < len(first) and all(len(w) > count and w[count] == first[count]
                                     for w in word_lists):
        count += 1
    return first[:count]


def share_head(share: AnyShare, index: int, holder: str, header: Header, date: datetime,
               t: dict[str, Any], paper: Paper) -> Block:
    """The strip at the top of every page: whose share it is, between two copies of the share's
    QR code (a blot or tear that ruins one, even over its finder pattern, leaves the other)."""
    code = QrCode(share.qr_text(), SHARE_ERROR_CORRECTION)
    module = module_for(code, SHARE_QR_BOX)
    side = code.size(module)
    width = content_width(paper)
    text_x = side + 5 * mm
    text_w = width - 2 * text_x
    values = {"index": index, "n": header.share_count, "k": header.threshold,
              "holder": holder, "set_id": header.set_id_text, "generation": header.generation,
              "date": day(date), "fingerprint": header.fingerprint_text}
    parts: list[tuple[str, float, list[str]]] = [
        (BOLD, 14, wrap(fill(t["for_holder"] if holder else t["for_nobody"], **values), BOLD,
                        14, text_w, 2)),
        (BOLD, 11.5, wrap(fill(t["share_line"], **values), BOLD, 11.5, text_w)),
        (SANS, 8.5, wrap(fill(t["set_line"], **values), SANS, 8.5, text_w)),
        (SANS, 8.5, wrap(t["qr_note"], SANS, 8.5, text_w)),
    ]
    if header.has_passphrase:
        parts.append((BOLD, 8.5, wrap(t["passphrase_note"], BOLD, 8.5, text_w)))
    text_h = sum(len(lines) * size * 1.3 for _, size, lines in parts)

    def draw(c: Canvas, x: float, y: float) -> None:
        draw_qr(c, code, x, y, module)
        draw_qr(c, code, x + width - side, y, module)
        ty = y - 2
        for font, size, lines in parts:
            c.setFont(font, size)
            for line in lines:
                c.drawString(x + text_x, ty - size, line)
                ty -= size * 1.3
        c.setLineWidth(0.4)
        c.line(x, y - height + 2 * mm, x + width, y - height + 2 * mm)

    height = max(side, text_h) + 4 * mm
    return Block(height, draw)


def word_rows(words: Sequence[str], paper: Paper) -> list[Block]:
    """Numbered words in columns, each with an empty box to write it again by hand.

    Words are never shortened: fewer columns are used when the longest does not fit.
    """
    width = content_width(paper)
    size = 12.5
    shown = [printable(w.upper(), BOLD) for w in words]
    longest = max(text_width(w, BOLD, size) for w in shown)
    number_w = 9 * mm
    columns = WORD_COLUMNS
    while columns > 1 and width / columns - number_w - longest - 3 * mm < 18 * mm:
        columns -= 1
    cell = width / columns
    box_w = max(0.0, cell - number_w - longest - 3 * mm)
    rows = []
    for start in range(0, len(shown), columns):
        row = list(enumerate(shown[start : start + columns], start=start + 1))

        def draw(c: Canvas, x: float, y: float, row: list[tuple[int, str]] = row) -> None:
            for col, (number, word) in enumerate(row):
                cx = x + col * cell
                c.setFont(SANS, 8)
                c.drawRightString(cx + number_w - 1.5 * mm, y - 5.5 * mm, f"{number}.")
                c.setFont(BOLD, size)
                c.drawString(cx + number_w, y - 5.8 * mm, word)
                if box_w > 0:
                    c.setLineWidth(0.5)
                    c.setStrokeGray(0.45)
                    c.rect(cx + cell - box_w - 1 * mm, y - 7.3 * mm, box_w, 6.6 * mm)
                    c.setStrokeGray(0)

        rows.append(Block(9 * mm, draw))
    return rows


def render_share_sheet(share: AnyShare, index: int, *, holder: str, header: Header,
                       common: Sequence[str], frames: VaultFrames, date: datetime,
                       paper: Paper, lang: str = "en") -> RenderedPdf:
    """The sheet of share `index` (1-based). `common`: the words all sheets of the set share;
    `frames`: the sealed vault's frames (the same on every sheet)."""
    t = load_texts("share_sheet", lang)
    width = content_width(paper)
    k, n = header.threshold, header.share_count
    title = fill(t["title"], index=index, n=n)
    head = share_head(share, index, holder, header, date, t, paper)
    words = share.words()
    blocks: list[Block] = [heading(t["instructions_title"], paper, 11)]
    blocks.extend(template_blocks(t["instructions"], width, 9.2, k=k, n=n))
    blocks.append(spacer(2 * mm))
    blocks.append(heading(t["words_title"], paper, 11))
    blocks.append(text_block(fill(t["words_intro"], count=len(words)), width, size=8.5))
    if common:
        blocks.append(text_block(fill(t["common_words"], count=len(common),
                                      words=" ".join(w.upper() for w in common)),
                                 width, size=8.5, after=2 * mm))
    blocks.extend(word_rows(words, paper))
    pages = paginate(blocks, title, paper, head=head)
    intro = (fill(t["frames_intro"], k=k, needed=frames.needed, total=frames.total)
             if frames.needed is not None else fill(t["frames_intro_blocks"], k=k))
    frame_head = [head, text_block(intro, width, size=8.5, after=3 * mm)]
    pages.extend(frame_pages(frames, t["frames_title"], frame_head, paper))
    if frames.fallback_lines:
        fb = template_blocks(t["fallback_intro"], width)
        fb.extend(mono_lines(frames.fallback_lines, paper))
        pages.extend(paginate(fb, t["fallback_title"], paper, head=head))
    qr_texts = [share.qr_text()] * (SHARE_QR_COPIES * len(pages)) + frames.texts
    footer = Footer(header.fingerprint_text, day(date), header.generation, __version__,
                    "share_sheet", lang)
    pdf = render_pages(pages, paper, footer, t["doc_title"])
    return RenderedPdf(pdf, qr_texts, len(pages))


def share_head_height(share: AnyShare, header: Header, date: datetime, paper: Paper,
                      lang: str = "en") -> float:
    """Height of the strip repeated on every page (to plan how many frames fit a page)."""
    t = load_texts("share_sheet", lang)
    return share_head(share, header.share_count, "X" * 30, header, date, t, paper).height
