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
    Block,
    Page,
    Paper,
    RenderedPdf,
    content_height,
    content_width,
    paginate,
    render_document,
    spacer,
    text_block,
)
from toolkit.render.qr import SHARE_ERROR_CORRECTION, QrCode, draw_qr, module_for
from toolkit.render.vault_frames import VaultFrames, frame_pages
from toolkit.render.wrap import wrap
from toolkit.sharing import AnyShare
from toolkit.texts import fill, load_texts

SHARE_QR_BOX = 36 * mm
SHARE_QR_TIGHT = 32 * mm
"""The share code's box on every page, and on page one only when the words would not fit
there otherwise (a long translation on Letter paper). The frame pages keep the larger one: a
camera held far from a whole page reads the share codes there first (docs/camera.md)."""

SHARE_QR_COPIES = 2
"""Copies of the share's QR code on each page (see share_head)."""
WORD_COLUMNS = 3
WORD_SIZE = 12.5
MIN_WORD_SIZE = 10.5
"""Share words are set at WORD_SIZE points, down to MIN_WORD_SIZE to keep WORD_COLUMNS columns."""
MIN_WORD_BOX = 18 * mm
"""Narrowest box beside a word for writing it again by hand."""


def common_prefix(word_lists: Sequence[Sequence[str]]) -> list[str]:
    """The words every share of the set begins with (set id, version, generation, k and n)."""
    first = list(word_lists[0]) if word_lists else []
    count = 0
    while count < len(first) and all(len(w) > count and w[count] == first[count]
                                     for w in word_lists):
        count += 1
    return first[:count]


def share_head(share: AnyShare, index: int, holder: str, header: Header, date: datetime,
               paper: Paper, lang: str, box: float = 0.0) -> Block:
    """The strip at the top of every page: whose share it is, between two copies of the share's
    QR code (a blot or tear that ruins one, even over its finder pattern, leaves the other)."""
    t = load_texts("share_sheet", lang)
    code = QrCode(share.qr_text(), SHARE_ERROR_CORRECTION)
    module = module_for(code, box or SHARE_QR_BOX)
    side = code.size(module)
    width = content_width(paper)
    text_x = side + 5 * mm
    text_w = width - 2 * text_x
    values = {"index": index, "n": header.share_count, "k": header.threshold,
              "holder": shown(holder), "set_id": header.set_id_text,
              "generation": header.generation,
              "date": day(date, lang), "fingerprint": header.fingerprint_text}
    whom = fill(t["for_holder"] if holder else t["for_nobody"], **values)
    parts: list[tuple[str, float, list[str]]] = [(BOLD, 13, wrap(whom, BOLD, 13, text_w, 2))]
    if len(wrap(whom, BOLD, 13, text_w, 3)) > 2:  # cut: one line of it, and the page says so
        parts = [(BOLD, 13, wrap(whom, BOLD, 13, text_w, 1)),
                 (SANS, 7.5, wrap(fill(t["holder_shortened"], count=len(holder)), SANS, 7.5,
                                  text_w))]
    parts += [
        (BOLD, 10.5, wrap(fill(t["share_line"], **values), BOLD, 10.5, text_w)),
        (SANS, 8, wrap(fill(t["set_line"], **values), SANS, 8, text_w)),
        (SANS, 8, wrap(t["qr_note"], SANS, 8, text_w)),
    ]
    if header.has_passphrase:
        parts.append((BOLD, 8, wrap(t["passphrase_note"], BOLD, 8, text_w)))
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

    height = max(side, text_h) + 3.5 * mm
    return Block(height, draw)


def word_rows(words: Sequence[str], paper: Paper, row_height: float = 9 * mm) -> list[Block]:
    """Numbered words in columns, each with an empty box to write it again by hand.

    Words are never shortened: fewer columns are used when the longest does not fit.
    """
    width = content_width(paper)
    shown_words = [printable(w.upper(), BOLD) for w in words]
    number_w = 9 * mm
    columns = WORD_COLUMNS
    size = WORD_SIZE
    # the longest words (DOWNTOWN) are set a little smaller before a column is given up
    while (longest := max(text_width(w, BOLD, size) for w in shown_words)) and (
            width / columns - number_w - longest - 3 * mm < MIN_WORD_BOX):
        if size > MIN_WORD_SIZE:
            size = max(MIN_WORD_SIZE, size - 0.5)
        elif columns > 1:
            columns, size = columns - 1, WORD_SIZE
        else:
            break
    cell = width / columns
    box_w = max(0.0, cell - number_w - longest - 3 * mm)
    box_h = min(6.6 * mm, row_height - 1.2 * mm)
    rows = []
    for start in range(0, len(shown_words), columns):
        row = list(enumerate(shown_words[start : start + columns], start=start + 1))

        def draw(c: Canvas, x: float, y: float, row: list[tuple[int, str]] = row) -> None:
            base = y - row_height / 2 - 1.6 * mm  # the word's baseline, centred in the row
            for col, (number, word) in enumerate(row):
                cx = x + col * cell
                c.setFont(SANS, 8)
                c.drawRightString(cx + number_w - 1.5 * mm, base + 0.3 * mm, f"{number}.")
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


def owner_blocks(owner: str, contact: str, t: dict[str, Any], paper: Paper) -> list[Block]:
    """Whose backup this is and whom to contact: printed when given, else lines to write."""
    width = content_width(paper)
    blocks = []
    for label_key, value in (("owner_label", owner), ("contact_label", contact)):
        label = printable(t[label_key], BOLD)
        label_w = text_width(label, BOLD, 9.5) + 2 * mm
        lines = wrap(shown(value), SANS, 10, width - label_w, max_lines=2) if value else []

        def draw(c: Canvas, x: float, y: float, label: str = label, label_w: float = label_w,
                 lines: list[str] = lines) -> None:
            c.setFont(BOLD, 9.5)
            c.drawString(x, y - 5 * mm, label)
            if not lines:
                c.setLineWidth(0.5)
                c.line(x + label_w, y - 5.5 * mm, x + width, y - 5.5 * mm)
            c.setFont(SANS, 10)
            for n, line in enumerate(lines):
                c.drawString(x + label_w, y - 5 * mm - n * 13, line)

        blocks.append(Block(6.5 * mm + max(0, len(lines) - 1) * 13, draw))
    blocks.append(spacer(1.5 * mm))
    return blocks


FITS = ((9.2, 8.5 * mm), (9.0, 8 * mm), (8.6, 7.5 * mm), (8.3, 7 * mm), (8.0, 6.6 * mm),
        (8.0, 6.1 * mm))
"""Text size of the instructions and height of a word row, tried in turn until all the words
fit on the first page (a passphrase note, long names, longer translations: the last step keeps
the text's size and only tightens the rows, for a translation on Letter paper)."""


def _first_page(share: AnyShare, heads: Sequence[Block], owner: str, contact: str,
                common: Sequence[str], title: str, k: int, n: int, t: dict[str, Any],
                paper: Paper, lang: str, software_note: str) -> tuple[list[Page], bool]:
    """Page one: whose backup, the instructions with where to get paper2fa, then the words,
    all on one page; if no size in FITS gets them there under the first head, the smaller
    head is tried (SHARE_QR_TIGHT); then the same without where to get paper2fa (False: the
    caller prints it after the frames); last, the words come before the instructions (which
    flow on). Returns the pages and whether where to get paper2fa is on them."""
    width = content_width(paper)
    words = share.words()
    intro = fill(t["words_intro"], count=len(words))
    if common:
        intro += " " + fill(t["common_words"], count=len(common))
    if t["words_english"]:
        intro += " " + t["words_english"]
    pages: list[Page] = []
    tries = [(head, False, fit, software) for software in (True, False) for head in heads
             for fit in FITS] + [(heads[-1], True, FITS[-1], True)]
    for head, words_first, (size, row_height), software in tries:
        instructions = [heading(t["instructions_title"], paper, 11),
                        *template_blocks(t["instructions"], width, size, k=k, n=n),
                        *(software_blocks(width, lang, software_note, size) if software
                          else []),
                        spacer(2 * mm)]
        words_part = [heading(t["words_title"], paper, 11),
                      text_block(intro, width, size=8.3, after=1.5 * mm),
                      *word_rows(words, paper, row_height)]
        blocks = owner_blocks(owner, contact, t, paper)
        blocks += [*words_part, spacer(3 * mm), *instructions] if words_first else [
            *instructions, *words_part]
        pages = paginate(blocks, title, paper, head=head)
        if len(pages) == 1:
            return pages, software
    return pages, True


def _after_frames(pages: list[Page], blocks: Sequence[Block], title: str, head: Block,
                  paper: Paper) -> list[Page]:
    """`blocks` at the foot of the last page when they fit there, else on a page of their own
    (under the sheet's `head`)."""
    height = sum(b.height for b in blocks)
    last = pages[-1] if pages else None
    if last is not None and last.used + 3 * mm + height <= content_height(paper):
        y = last.used + 3 * mm
        for block in blocks:
            last.blocks.append((y, block))
            y += block.height
        return []
    return paginate(blocks, title, paper, head=head)


def render_share_sheet(share: AnyShare, index: int, *, holder: str, header: Header,
                       common: Sequence[str], frames: VaultFrames, date: datetime,
                       paper: Paper, owner: str = "", contact: str = "", lang: str = "en",
                       self_check: bool = True, software_note: str = "",
                       progress: Progress = NO_PROGRESS) -> RenderedPdf:
    """The sheet of share `index` (1-based). `common`: the words all sheets of the set share;
    `frames`: the sealed vault's frames (the same on every sheet); `owner`, `contact`: whose
    backup it is and whom to contact (lines to write them on when empty); `software_note`: the
    owner's line under where to get paper2fa."""
    t = load_texts("share_sheet", lang)
    width = content_width(paper)
    k, n = header.threshold, header.share_count
    title = fill(t["title"], index=index, n=n)
    head = share_head(share, index, holder, header, date, paper, lang)
    tight = share_head(share, index, holder, header, date, paper, lang, SHARE_QR_TIGHT)
    pages, software_shown = _first_page(share, (head, tight), owner, contact, common, title,
                                        k, n, t, paper, lang, software_note)
    intro = (fill(t["frames_intro"], k=k, needed=frames.needed, total=frames.total)
             if frames.needed is not None else fill(t["frames_intro_blocks"], k=k))
    frame_head = [head, text_block(intro, width, size=8.5, after=3 * mm)]
    pages.extend(frame_pages(frames, t["frames_title"], frame_head, paper, lang))
    if frames.fallback_lines:
        fb = template_blocks(t["fallback_intro"], width)
        fb.extend(mono_lines(frames.fallback_lines, paper))
        pages.extend(paginate(fb, t["fallback_title"], paper, head=head))
    if not software_shown:  # page one was too full (a long translation, names and notes)
        pages.extend(_after_frames(pages, software_blocks(width, lang, software_note), title,
                                   head, paper))
    qr_texts = [share.qr_text()] * (SHARE_QR_COPIES * len(pages)) + frames.texts
    footer = sheet_footer("share_sheet", lang, fingerprint=header.fingerprint_text,
                          date=day(date, lang), generation=header.generation)
    return render_document(pages, paper, footer, t["doc_title"], qr_texts, creator=CREATOR,
                           self_check=self_check, progress=progress)
