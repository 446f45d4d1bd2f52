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
from toolkit.render.sizes import REGULAR, TypeSizes
from toolkit.render.wrap import ELLIPSIS, wrap
from toolkit.texts import language_name, load_texts

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
           heads: tuple[str, str, str, str, str], width: float,
           size: float) -> tuple[list[Block], bool]:
    """Share, holder, sheet file, the sheet's language, and a line for the date it was given,
    all in `size` points; a heading or a cell too wide for its column takes more lines
    (translations and names differ in length): nothing is cut but a holder's name longer than
    `HOLDER_LINES` lines (True when one was shortened, with …)."""

    def widest_word(texts: Sequence[str]) -> float:
        return float(max(text_width(printable(word, BOLD), BOLD, size)
                         for text in texts for word in text.split()) + 3 * mm)

    # the share, language and date columns as wide as their longest word (a heading is never
    # broken inside a word); the holder and the file name share the rest
    first = max(12 * mm, widest_word([heads[0], *(row[0] for row in rows)]))
    language_w = max(0.13 * width, widest_word([heads[3], *(row[3] for row in rows)]))
    given_w = max(0.17 * width, widest_word([heads[4]]))
    rest = width - first - language_w - given_w
    xs = (0.0, first, first + rest * 0.45, first + rest, width - given_w)
    ends = (*xs[1:], width)
    limits = tuple(end - start - 2 * mm for start, end in zip(xs, ends, strict=True))
    head_lines = [wrap(text, BOLD, size, limit)
                  for text, limit in zip(heads, limits, strict=True)]
    lead = size * 1.2

    def head(c: Canvas, x: float, y: float) -> None:
        c.setFont(BOLD, size)
        for lines, dx in zip(head_lines, xs, strict=True):
            for n, line in enumerate(lines):
                c.drawString(x + dx, y - size - n * lead, line)

    tall = max(len(lines) for lines in head_lines)
    blocks = [Block(size + 1.5 * mm + (tall - 1) * lead, head, keep_with_next=True)]
    cut = False
    for share, holder, file_name, language in rows:
        holder_lines = wrap(holder, SANS, size, limits[1], max_lines=HOLDER_LINES)
        cut = cut or (holder_lines[-1].endswith(ELLIPSIS) and not holder.endswith(ELLIPSIS))
        cells = [wrap(share, SANS, size, limits[0]), holder_lines,
                 file_name_lines(file_name, SANS, size, limits[2]),
                 wrap(language, SANS, size, limits[3])]
        base = size + 2.5 * mm  # the first line's baseline under the row's top

        def draw(c: Canvas, x: float, y: float, cells: list[list[str]] = cells,
                 base: float = base) -> None:
            c.setFont(SANS, size)
            for lines, dx in zip(cells, xs[:4], strict=True):
                for n, line in enumerate(lines):
                    c.drawString(x + dx, y - base - n * lead, line)
            c.setLineWidth(0.4)
            c.line(x + xs[4], y - base - 1, x + width, y - base - 1)

        tall = max(len(lines) for lines in cells)
        blocks.append(Block(base + 2 * mm + (tall - 1) * lead, draw))
    return blocks, cut


def render_cover(header: Header, holders: Sequence[str], file_names: Sequence[str],
                 sheet_langs: Sequence[str], *, date: datetime, paper: Paper,
                 facts: Sequence[str] = (), lang: str = "en", self_check: bool = True,
                 software_note: str = "", sizes: TypeSizes = REGULAR,
                 progress: Progress = NO_PROGRESS) -> RenderedPdf:
    """The cover letter of a split (no QR codes, no secrets) in the owner's language `lang`,
    saying which language each holder's sheet is in (`sheet_langs`, in share order): one
    flow, the checklist after the steps; `sizes`: regular or large print."""
    t = load_texts("cover", lang)
    width = content_width(paper)
    values = {"date": day(date, lang), "k": header.threshold, "n": header.share_count,
              "set_id": header.set_id_text, "generation": header.generation,
              "fingerprint": header.fingerprint_text, "scheme": header.scheme_name}
    text = sizes.text
    blocks = template_blocks(t["summary"], width, text, **values)
    if header.has_passphrase:
        blocks.append(text_block(t["passphrase_note"], width, font=BOLD, size=text))
    blocks.append(text_block(t["holds"], width, size=text, after=3 * mm))
    blocks.append(heading(t["table_title"], paper, sizes.heading))
    rows = [(str(i), shown(holders[i - 1]) if holders else t["no_holder"], file_names[i - 1],
             language_name(sheet_langs[i - 1], lang))
            for i in range(1, header.share_count + 1)]
    table, cut = _table(rows, (t["head_share"], t["head_holder"], t["head_file"],
                               t["head_language"], t["head_given"]), width, text)
    blocks.extend(table)
    if cut:
        blocks.append(spacer(1.5 * mm))
        blocks.append(text_block(t["holder_shortened"], width, size=text, after=1 * mm))
    blocks.append(spacer(4 * mm))
    blocks.append(heading(t["steps_title"], paper, sizes.heading))
    blocks.extend(template_blocks(t["steps"], width, text, **values))
    blocks.append(spacer(1.5 * mm))
    blocks.extend(software_blocks(width, lang, software_note, text))
    check, check_title = checklist_blocks(paper, date, facts, lang, sizes)
    blocks += [spacer(4 * mm), heading(check_title, paper, sizes.title, section=True,
                                       lang=lang), *check]
    pages = paginate(blocks, t["title"], paper)
    footer = sheet_footer("cover", lang, fingerprint=header.fingerprint_text,
                          date=day(date, lang), generation=header.generation)
    return render_document(pages, paper, footer, t["doc_title"], [], creator=CREATOR,
                           self_check=self_check, sizes=sizes, progress=progress)
