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
from toolkit.render.common import (
    CREATOR,
    day,
    heading,
    sheet_footer,
    shown,
    software_blocks,
    template_blocks,
)
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
from toolkit.render.texts import language_name, load_texts
from toolkit.render.wrap import one_line, wrap


def _table(rows: Sequence[tuple[str, str, str, str]],
           heads: tuple[str, str, str, str, str], width: float) -> list[Block]:
    """Share, holder, sheet file, the sheet's language, and a line for the date it was given;
    a heading too wide for its column takes two lines (translations differ in length)."""
    xs = (0.0, 14 * mm, width * 0.37, width * 0.67, width * 0.82)
    ends = (*xs[1:], width)
    limits = tuple(end - start - 2 * mm for start, end in zip(xs, ends, strict=True))
    head_lines = [wrap(text, BOLD, 8.5, limit, max_lines=2)
                  for text, limit in zip(heads, limits, strict=True)]
    lead = 8.5 * 1.2

    def head(c: Canvas, x: float, y: float) -> None:
        c.setFont(BOLD, 8.5)
        for lines, dx in zip(head_lines, xs, strict=True):
            for n, line in enumerate(lines):
                c.drawString(x + dx, y - 8.5 - n * lead, line)

    tall = max(len(lines) for lines in head_lines)
    blocks = [Block(5 * mm + (tall - 1) * lead, head, keep_with_next=True)]
    for row in rows:
        cells = [one_line(cell, SANS, 10, limit)
                 for cell, limit in zip(row, limits[:4], strict=True)]

        def draw(c: Canvas, x: float, y: float, cells: list[str] = cells) -> None:
            c.setFont(SANS, 10)
            for text, dx in zip(cells, xs[:4], strict=True):
                c.drawString(x + dx, y - 6 * mm, text)
            c.setLineWidth(0.4)
            c.line(x + xs[4], y - 6.3 * mm, x + width, y - 6.3 * mm)

        blocks.append(Block(8 * mm, draw))
    return blocks


def render_cover(header: Header, holders: Sequence[str], file_names: Sequence[str],
                 sheet_langs: Sequence[str], *, date: datetime, paper: Paper,
                 facts: Sequence[str] = (), lang: str = "en", self_check: bool = True,
                 software_note: str = "", progress: Progress = NO_PROGRESS) -> RenderedPdf:
    """The cover letter of a split (no QR codes, no secrets) in the owner's language `lang`,
    saying which language each holder's sheet is in (`sheet_langs`, in share order): one
    flow, the checklist after the steps."""
    t = load_texts("cover", lang)
    width = content_width(paper)
    values = {"date": day(date, lang), "k": header.threshold, "n": header.share_count,
              "set_id": header.set_id_text, "generation": header.generation,
              "fingerprint": header.fingerprint_text, "scheme": header.scheme_name}
    blocks = template_blocks(t["summary"], width, 10, **values)
    if header.has_passphrase:
        blocks.append(text_block(t["passphrase_note"], width, font=BOLD, size=9.5))
    blocks.append(text_block(t["holds"], width, size=9.5, after=3 * mm))
    blocks.append(heading(t["table_title"], paper, 11))
    rows = [(str(i), shown(holders[i - 1]) if holders else t["no_holder"], file_names[i - 1],
             language_name(sheet_langs[i - 1], lang))
            for i in range(1, header.share_count + 1)]
    blocks.extend(_table(rows, (t["head_share"], t["head_holder"], t["head_file"],
                                t["head_language"], t["head_given"]), width))
    blocks.append(spacer(4 * mm))
    blocks.append(heading(t["steps_title"], paper, 11))
    blocks.extend(template_blocks(t["steps"], width, 9.5, **values))
    blocks.append(spacer(1.5 * mm))
    blocks.extend(software_blocks(width, lang, software_note))
    check, check_title = checklist_blocks(paper, date, facts, lang)
    blocks += [spacer(4 * mm), heading(check_title, paper, 12.5, section=True, lang=lang),
               *check]
    pages = paginate(blocks, t["title"], paper)
    footer = sheet_footer("cover", lang, fingerprint=header.fingerprint_text,
                          date=day(date, lang), generation=header.generation)
    return render_document(pages, paper, footer, t["doc_title"], [], creator=CREATOR,
                           self_check=self_check, progress=progress)
