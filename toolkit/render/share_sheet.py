"""A share-holder sheet: who it is for, the share as a QR code on every page and as numbered
words with boxes to rewrite them, the sealed vault's frames, and plain instructions. It shows
nothing about the accounts beyond their number (not even their names)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from toolkit.envelope import Header
from toolkit.progress import NO_PROGRESS, Progress
from toolkit.render.common import (
    CREATOR,
    day,
    heading,
    mono_lines,
    sheet_footer,
    shown,
    software_blocks,
    template_blocks,
)
from toolkit.render.fonts import BOLD, SANS, printable
from toolkit.render.fonts import width as text_width
from toolkit.render.layout import (
    MOSTLY_EMPTY,
    Block,
    Page,
    Paper,
    RenderedPdf,
    content_height,
    content_width,
    keep_together,
    paginate,
    render_document,
    spacer,
    text_block,
)
from toolkit.render.qr import SHARE_ERROR_CORRECTION, QrCode, draw_qr, module_for
from toolkit.render.sizes import REGULAR, TypeSizes
from toolkit.render.vault_frames import VaultFrames, frame_pages
from toolkit.render.wrap import wrap
from toolkit.sharing import AnyShare
from toolkit.texts import fill, load_texts

SHARE_QR_BOX = 36 * mm
"""The share code's box on every page: a camera held far from a whole page reads the share
codes there first (docs/camera.md)."""

SHARE_QR_COPIES = 2
"""Copies of the share's QR code on each page (see share_head)."""
WORD_COLUMNS = 3
"""Share words are set at TypeSizes.word points, down to least_word to keep WORD_COLUMNS
columns."""
MIN_WORD_BOX = 18 * mm
"""Narrowest box beside a word for writing it again by hand."""
ROW_HEIGHTS = (9 * mm, 8.5 * mm, 8 * mm, 7.5 * mm, 7 * mm, 6.6 * mm)
"""Heights of a row of words, tried in turn until all the words fit on one page with their
heading and introduction (large print, a long holder name and a passphrase note on Letter)."""


def common_prefix(word_lists: Sequence[Sequence[str]]) -> list[str]:
    """The words every share of the set begins with (set id, version, generation, k and n)."""
    first = list(word_lists[0]) if word_lists else []
    count = 0
    while count < len(first) and all(len(w) > count and w[count] == first[count]
                                     for w in word_lists):
        count += 1
    return first[:count]


def share_head(share: AnyShare, index: int, holder: str, header: Header, date: datetime,
               paper: Paper, lang: str, sizes: TypeSizes = REGULAR) -> Block:
    """The strip at the top of every page: whose share it is, between two copies of the share's
    QR code (a blot or tear that ruins one, even over its finder pattern, leaves the other).
    The set line (set id, generation, date, fingerprint) is fine print: a reference, not an
    instruction."""
    t = load_texts("share_sheet", lang)
    code = QrCode(share.qr_text(), SHARE_ERROR_CORRECTION)
    module = module_for(code, SHARE_QR_BOX)
    side = code.size(module)
    width = content_width(paper)
    text_x = side + 5 * mm
    text_w = width - 2 * text_x
    values = {"index": index, "n": header.share_count, "k": header.threshold,
              "holder": shown(holder), "set_id": header.set_id_text,
              "generation": header.generation,
              "date": day(date, lang), "fingerprint": header.fingerprint_text}
    whom = fill(t["for_holder"] if holder else t["for_nobody"], **values)
    name, text = sizes.title, sizes.text
    parts: list[tuple[str, float, list[str]]] = [(BOLD, name, wrap(whom, BOLD, name, text_w, 2))]
    if len(wrap(whom, BOLD, name, text_w, 3)) > 2:  # cut: one line of it, and the page says so
        parts = [(BOLD, name, wrap(whom, BOLD, name, text_w, 1)),
                 (SANS, sizes.small, wrap(fill(t["holder_shortened"], count=len(holder)), SANS,
                                          sizes.small, text_w))]
    parts += [
        (BOLD, text, wrap(fill(t["share_line"], **values), BOLD, text, text_w)),
        (SANS, sizes.small, wrap(fill(t["set_line"], **values), SANS, sizes.small, text_w)),
        (SANS, text, wrap(t["qr_note"], SANS, text, text_w)),
    ]
    if header.has_passphrase:
        parts.append((BOLD, text, wrap(t["passphrase_note"], BOLD, text, text_w)))
    text_h = sum(len(lines) * size * 1.25 for _, size, lines in parts)

    def draw(c: Canvas, x: float, y: float) -> None:
        draw_qr(c, code, x, y, module)
        draw_qr(c, code, x + width - side, y, module)
        ty = y - 2
        for font, size, lines in parts:
            c.setFont(font, size)
            for line in lines:
                c.drawString(x + text_x, ty - size, line)
                ty -= size * 1.25
        c.setLineWidth(0.4)
        c.line(x, y - height + 2 * mm, x + width, y - height + 2 * mm)

    height = max(side, text_h) + 3.5 * mm
    return Block(height, draw)


def word_rows(words: Sequence[str], paper: Paper, row_height: float = 9 * mm,
              sizes: TypeSizes = REGULAR) -> list[Block]:
    """Numbered words in columns, each with an empty box to write it again by hand.

    Words are never shortened: fewer columns are used when the longest does not fit.
    """
    width = content_width(paper)
    shown_words = [printable(w.upper(), BOLD) for w in words]
    number_size = sizes.text
    number_w = max(9 * mm, text_width(f"{len(words)}.", SANS, number_size) + 2.5 * mm)
    columns = WORD_COLUMNS
    size = sizes.word
    # the longest words (DOWNTOWN) are set a little smaller before a column is given up
    while (longest := max(text_width(w, BOLD, size) for w in shown_words)) and (
            width / columns - number_w - longest - 3 * mm < MIN_WORD_BOX):
        if size > sizes.least_word:
            size = max(sizes.least_word, size - 0.5)
        elif columns > 1:
            columns, size = columns - 1, sizes.word
        else:
            break
    cell = width / columns
    box_w = max(0.0, cell - number_w - longest - 3 * mm)
    box_h = min(6.6 * mm, row_height - 1.2 * mm)
    rows = []
    for start in range(0, len(shown_words), columns):
        row = list(enumerate(shown_words[start : start + columns], start=start + 1))

        def draw(c: Canvas, x: float, y: float, row: list[tuple[int, str]] = row) -> None:
            base = y - row_height / 2 - size * 0.36  # the word's baseline, centred in the row
            for col, (number, word) in enumerate(row):
                cx = x + col * cell
                c.setFont(SANS, number_size)
                c.drawRightString(cx + number_w - 1.5 * mm, base, f"{number}.")
                c.setFont(BOLD, size)
                c.drawString(cx + number_w, base, word)
                if box_w > 0:
                    c.setLineWidth(0.5)
                    c.setStrokeGray(0.45)
                    c.rect(cx + cell - box_w - 1 * mm, y - row_height / 2 - box_h / 2, box_w,
                           box_h)
                    c.setStrokeGray(0)

        rows.append(Block(row_height, draw))
    return rows


def owner_blocks(owner: str, contact: str, t: dict[str, Any], paper: Paper,
                 sizes: TypeSizes = REGULAR) -> list[Block]:
    """Whose backup this is and whom to contact: printed when given, else lines to write on.
    The value stands beside its label, or under it when the label takes half the width."""
    width = content_width(paper)
    size = sizes.text
    lead = size * 1.3
    blocks = []
    for label_key, value in (("owner_label", owner), ("contact_label", contact)):
        label = printable(t[label_key], BOLD)
        beside = text_width(label, BOLD, size) + 2 * mm
        labels = [label] if beside <= width / 2 else wrap(label, BOLD, size, width)
        indent = beside if len(labels) == 1 and beside <= width / 2 else 0.0
        lines = wrap(shown(value), SANS, size, width - indent, max_lines=2) if value else []
        first = 0 if indent else len(labels)  # the line the value (or the line to write) is on
        count = first + max(1, len(lines))

        def draw(c: Canvas, x: float, y: float, labels: list[str] = labels,
                 indent: float = indent, lines: list[str] = lines, first: int = first) -> None:
            top = y - size - 1.5 * mm
            c.setFont(BOLD, size)
            for n, line in enumerate(labels):
                c.drawString(x, top - n * lead, line)
            if not lines:
                c.setLineWidth(0.5)
                c.line(x + indent, top - first * lead - 2, x + width, top - first * lead - 2)
            c.setFont(SANS, size)
            for n, line in enumerate(lines):
                c.drawString(x + indent, top - (first + n) * lead, line)

        blocks.append(Block(size + 1.5 * mm + (count - 1) * lead + 2.5 * mm, draw))
    blocks.append(spacer(1.5 * mm))
    return blocks


def words_part(share: AnyShare, common: Sequence[str], t: dict[str, Any], paper: Paper,
               room: float, sizes: TypeSizes) -> list[Block]:
    """The share as words: heading, introduction and all the rows, as one block in the tallest
    rows (ROW_HEIGHTS) with which it fits in `room`; else the heading with the introduction
    as one block and the rows as another that fits `room` (large print under a tall strip);
    else as separate rows (which may then go on on the next page)."""
    width = content_width(paper)
    words = share.words()
    intro = fill(t["words_intro"], count=len(words))
    if common:
        intro += " " + fill(t["common_words"], count=len(common))
    if t["words_english"]:
        intro += " " + t["words_english"]
    lead = [heading(t["words_title"], paper, sizes.heading),
            text_block(intro, width, size=sizes.text, after=1.5 * mm)]
    lead_height = sum(block.height for block in lead)
    for alone in (False, True):
        for row_height in ROW_HEIGHTS:
            rows = word_rows(words, paper, row_height, sizes)
            height = sum(block.height for block in rows)
            if not alone and lead_height + height <= room:
                return [keep_together([*lead, *rows])]
            if alone and height <= room:
                return [keep_together(lead), keep_together(rows)]
    return [*lead, *word_rows(words, paper, ROW_HEIGHTS[-1], sizes)]


def _flow(owner: Sequence[Block], instructions: Sequence[Block], software: Sequence[Block],
          words: Sequence[Block], title: str, head: Block,
          paper: Paper) -> tuple[list[Page], list[Block]]:
    """The first pages, in the first of these orders with the fewest pages, then the fewest
    mostly empty pages before the last: whose backup and the instructions, where to get
    paper2fa, the words; the same with where to get paper2fa after the words; the words
    first, on a page of their own, then whose backup and the instructions (large print, when
    the instructions would leave a page mostly empty before the words). Last, where to get
    paper2fa is returned, to go after the frames, when that saves a page. The words are one
    block (`words_part`): never split."""
    gap = [spacer(3 * mm)]
    orders: list[tuple[list[Block], list[Block]]] = [
        ([*owner, *instructions, *software, *gap, *words], []),
        ([*owner, *instructions, *gap, *words, *gap, *software], []),
        ([*words, *gap, *owner, *instructions, *software], []),
        ([*owner, *instructions, *gap, *words], [*gap, *software]),
    ]
    best: tuple[int, int, list[Page], list[Block]] | None = None
    for blocks, after in orders:
        pages = paginate(blocks, title, paper, head=head)
        empty = sum(1 for page in pages[:-1]
                    if page.used < MOSTLY_EMPTY * content_height(paper))
        if best is None or (len(pages), empty) < best[:2]:
            best = (len(pages), empty, pages, after)
    assert best is not None
    return best[2], best[3]


def _after_frames(pages: list[Page], blocks: Sequence[Block], title: str, head: Block,
                  paper: Paper) -> list[Page]:
    """`blocks` at the foot of the last page when they fit there, else on a page of their own
    (under the sheet's `head`)."""
    height = sum(b.height for b in blocks)
    last = pages[-1] if pages else None
    if last is not None and last.used + height <= content_height(paper):
        y = last.used
        for block in blocks:
            last.blocks.append((y, block))
            y += block.height
        return []
    return paginate(blocks, title, paper, head=head)


def render_share_sheet(share: AnyShare, index: int, *, holder: str, header: Header,
                       common: Sequence[str], frames: VaultFrames, date: datetime,
                       paper: Paper, owner: str = "", contact: str = "", lang: str = "en",
                       self_check: bool = True, software_note: str = "",
                       sizes: TypeSizes = REGULAR,
                       progress: Progress = NO_PROGRESS) -> RenderedPdf:
    """The sheet of share `index` (1-based). `common`: the words all sheets of the set share;
    `frames`: the sealed vault's frames (the same on every sheet); `owner`, `contact`: whose
    backup it is and whom to contact (lines to write them on when empty); `software_note`: the
    owner's line under where to get paper2fa; `sizes`: regular or large print.

    One flow: whose backup, what this is and what to do, where to get paper2fa, then the words,
    all of them on one page (the next one when they do not fit under the instructions); then
    the frame pages and the text fallback (where to get paper2fa goes at the end when it
    would otherwise take a page of its own: `_flow`)."""
    t = load_texts("share_sheet", lang)
    width = content_width(paper)
    k, n = header.threshold, header.share_count
    title = fill(t["title"], index=index, n=n)
    head = share_head(share, index, holder, header, date, paper, lang, sizes)
    pages, software_after = _flow(
        owner_blocks(owner, contact, t, paper, sizes),
        [heading(t["instructions_title"], paper, sizes.heading),
         *template_blocks(t["instructions"], width, sizes.text, k=k, n=n)],
        software_blocks(width, lang, software_note, sizes.text),
        words_part(share, common, t, paper, content_height(paper) - head.height, sizes),
        title, head, paper)
    intro = (fill(t["frames_intro"], k=k, needed=frames.needed, total=frames.total)
             if frames.needed is not None else fill(t["frames_intro_blocks"], k=k))
    frame_head = [head, text_block(intro, width, size=sizes.text, after=3 * mm)]
    pages.extend(frame_pages(frames, t["frames_title"], frame_head, paper, lang))
    if frames.fallback_lines:
        fb = template_blocks(t["fallback_intro"], width, sizes.text)
        fb.extend(mono_lines(frames.fallback_lines, paper))
        pages.extend(paginate(fb, t["fallback_title"], paper, head=head))
    if software_after:
        pages.extend(_after_frames(pages, software_after, title, head, paper))
    qr_texts = [share.qr_text()] * (SHARE_QR_COPIES * len(pages)) + frames.texts
    footer = sheet_footer("share_sheet", lang, fingerprint=header.fingerprint_text,
                          date=day(date, lang), generation=header.generation)
    return render_document(pages, paper, footer, t["doc_title"], qr_texts, creator=CREATOR,
                           self_check=self_check, sizes=sizes, progress=progress)
