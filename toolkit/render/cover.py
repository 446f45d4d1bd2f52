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
from toolkit.render.fonts import BOLD, SANS, printable
from toolkit.render.fonts import width as text_width
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
from toolkit.render.wrap import ELLIPSIS, wrap
from toolkit.texts import language_name, load_texts

CELL_SIZE = 10
"""Font size of the table's cells."""

HOLDER_LINES = 3
"""Lines a holder's name may take in the table; a longer name is shortened visibly (…) and a
note under the table says so (a name can be 10,000 characters of someone's file)."""


def file_name_lines(name: str, font: str, size: float, limit: float) -> list[str]:
    """A file name on as many lines as it needs, broken after its own dashes (the name stays
    whole and exact: nothing is cut and no hyphen is added); a part wider than a line is
    broken inside it."""
    parts = printable(name, font).split("-")
    pieces = [part + "-" for part in parts[:-1]] + parts[-1:]
    lines: list[str] = []
    current = ""
    for piece in pieces:
        if current and text_width(current + piece, font, size) > limit:
            lines.append(current)
            current = ""
        current += piece
        if text_width(current, font, size) > limit:
            *whole, current = wrap(current, font, size, limit)
            lines.extend(whole)
    if current:
        lines.append(current)
    return lines


def _table(rows: Sequence[tuple[str, str, str, str]],
           heads: tuple[str, str, str, str, str], width: float) -> tuple[list[Block], bool]:
    """Share, holder, sheet file, the sheet's language, and a line for the date it was given;
    a heading or a cell too wide for its column takes more lines (translations and names
    differ in length): nothing is cut but a holder's name longer than `HOLDER_LINES` lines
    (True when one was shortened, with …)."""
    xs = (0.0, 14 * mm, width * 0.37, width * 0.67, width * 0.82)
    ends = (*xs[1:], width)
    limits = tuple(end - start - 2 * mm for start, end in zip(xs, ends, strict=True))
    head_lines = [wrap(text, BOLD, 8.5, limit)
                  for text, limit in zip(heads, limits, strict=True)]
    lead = 8.5 * 1.2

    def head(c: Canvas, x: float, y: float) -> None:
        c.setFont(BOLD, 8.5)
        for lines, dx in zip(head_lines, xs, strict=True):
            for n, line in enumerate(lines):
                c.drawString(x + dx, y - 8.5 - n * lead, line)

    tall = max(len(lines) for lines in head_lines)
    blocks = [Block(5 * mm + (tall - 1) * lead, head, keep_with_next=True)]
    cell_lead = CELL_SIZE * 1.2
    cut = False
    for share, holder, file_name, language in rows:
        holder_lines = wrap(holder, SANS, CELL_SIZE, limits[1], max_lines=HOLDER_LINES)
        cut = cut or (holder_lines[-1].endswith(ELLIPSIS) and not holder.endswith(ELLIPSIS))
        cells = [wrap(share, SANS, CELL_SIZE, limits[0]), holder_lines,
                 file_name_lines(file_name, SANS, CELL_SIZE, limits[2]),
                 wrap(language, SANS, CELL_SIZE, limits[3])]

        def draw(c: Canvas, x: float, y: float, cells: list[list[str]] = cells) -> None:
            c.setFont(SANS, CELL_SIZE)
            for lines, dx in zip(cells, xs[:4], strict=True):
                for n, line in enumerate(lines):
                    c.drawString(x + dx, y - 6 * mm - n * cell_lead, line)
            c.setLineWidth(0.4)
            c.line(x + xs[4], y - 6.3 * mm, x + width, y - 6.3 * mm)

        tall = max(len(lines) for lines in cells)
        blocks.append(Block(8 * mm + (tall - 1) * cell_lead, draw))
    return blocks, cut


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
    table, cut = _table(rows, (t["head_share"], t["head_holder"], t["head_file"],
                               t["head_language"], t["head_given"]), width)
    blocks.extend(table)
    if cut:
        blocks.append(text_block(t["holder_shortened"], width, size=8, after=1 * mm))
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
