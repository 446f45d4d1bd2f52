"""The owner's cover letter for a split: who holds which share, the set, the date, generation
and fingerprint, what to do next, and the checklist. No secret keys, no share words; it names
the holders and, in the checklist, accounts the audit found (so it is kept private)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from toolkit.envelope import Header
from toolkit.progress import NO_PROGRESS, Progress
from toolkit.render.checklist import checklist_blocks
from toolkit.render.common import CREATOR, day, heading, sheet_footer, shown, template_blocks
from toolkit.render.fonts import BOLD, SANS
from toolkit.render.layout import (
    Block,
    Paper,
    RenderedPdf,
    content_width,
    paginate,
    render_document,
    spacer,
    text_block,
)
from toolkit.render.texts import load_texts
from toolkit.render.wrap import one_line


def _table(rows: Sequence[tuple[str, str, str]], heads: tuple[str, str, str, str],
           width: float) -> list[Block]:
    xs = (0.0, 14 * mm, width * 0.45, width * 0.78)
    limits = (xs[1] - xs[0] - 2 * mm, xs[2] - xs[1] - 2 * mm, xs[3] - xs[2] - 2 * mm)

    def head(c: Canvas, x: float, y: float) -> None:
        c.setFont(BOLD, 8.5)
        for text, dx in zip(heads, xs, strict=True):
            c.drawString(x + dx, y - 8.5, text)

    blocks = [Block(5 * mm, head, keep_with_next=True)]
    for row in rows:
        cells = [one_line(cell, SANS, 10, limit) for cell, limit in zip(row, limits, strict=True)]

        def draw(c: Canvas, x: float, y: float, cells: list[str] = cells) -> None:
            c.setFont(SANS, 10)
            for text, dx in zip(cells, xs[:3], strict=True):
                c.drawString(x + dx, y - 6 * mm, text)
            c.setLineWidth(0.4)
            c.line(x + xs[3], y - 6.3 * mm, x + width, y - 6.3 * mm)

        blocks.append(Block(8 * mm, draw))
    return blocks


def render_cover(header: Header, holders: Sequence[str], file_names: Sequence[str], *,
                 date: datetime, paper: Paper, facts: Sequence[str] = (),
                 lang: str = "en", self_check: bool = True,
                 progress: Progress = NO_PROGRESS) -> RenderedPdf:
    """The cover letter of a split (no QR codes, no secrets): one flow, the checklist after
    the steps."""
    t = load_texts("cover", lang)
    width = content_width(paper)
    values = {"date": day(date), "k": header.threshold, "n": header.share_count,
              "set_id": header.set_id_text, "generation": header.generation,
              "fingerprint": header.fingerprint_text, "scheme": header.scheme_name}
    blocks = template_blocks(t["summary"], width, 10, **values)
    if header.has_passphrase:
        blocks.append(text_block(t["passphrase_note"], width, font=BOLD, size=9.5))
    blocks.append(text_block(t["holds"], width, size=9.5, after=3 * mm))
    blocks.append(heading(t["table_title"], paper, 11))
    rows = [(str(i), shown(holders[i - 1]) if holders else t["no_holder"], file_names[i - 1])
            for i in range(1, header.share_count + 1)]
    blocks.extend(_table(rows, (t["head_share"], t["head_holder"], t["head_file"],
                                t["head_given"]), width))
    blocks.append(spacer(4 * mm))
    blocks.append(heading(t["steps_title"], paper, 11))
    blocks.extend(template_blocks(t["steps"], width, 9.5, **values))
    check, check_title = checklist_blocks(paper, date, facts, lang)
    blocks += [spacer(4 * mm), heading(check_title, paper, 12.5, section=True, lang=lang),
               *check]
    pages = paginate(blocks, t["title"], paper)
    footer = sheet_footer("cover", lang, fingerprint=header.fingerprint_text, date=day(date),
                          generation=header.generation)
    return render_document(pages, paper, footer, t["doc_title"], [], creator=CREATOR,
                           self_check=self_check, progress=progress)
