"""The re-enrolment sheet (`paper2fa export --format reenroll-pdf`): one large otpauth:// QR
code per account, a few per page, in the order given (critical first), each with its label, a
box to tick when the code works on the new phone, and a note where common apps would get the
account wrong. The codes are drawn at the size that needs the fewest pages and fills them in
order, and the accounts after page one are spread evenly when the last page would be short:
pages are filled before new ones are started, and none is left with one account."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from toolkit import __version__
from toolkit.model import Account
from toolkit.progress import NO_PROGRESS, Progress
from toolkit.render.common import (
    CREATOR,
    ignored_settings,
    label_warning,
    shown,
    software_blocks,
)
from toolkit.render.fonts import BOLD, SANS
from toolkit.render.layout import (
    Block,
    Footer,
    Page,
    Paper,
    RenderedPdf,
    content_height,
    content_width,
    paginate,
    paragraphs,
    render_document,
    text_block,
)
from toolkit.render.qr import QrCode, draw_qr, module_for, qr_code
from toolkit.render.sizes import TypeSizes, type_sizes
from toolkit.render.wrap import wrap
from toolkit.texts import fill, load_texts, long_date
from toolkit.uri import build_otpauth

QR_BOX = 62 * mm
"""The most room for an account's QR code (three accounts to an A4 or Letter page)."""
SMALLEST_QR_BOX = 44 * mm
"""The least: still far larger than a phone needs (modules of 1 mm for a usual URI)."""
QR_BOX_STEP = 2 * mm

LARGEST_MODULE = 1.4 * mm
"""Short URIs are drawn with modules up to this size, easy to scan from paper or a screen."""

GAP = 6 * mm


def _settings(account: Account, texts: dict[str, Any]) -> str:
    if account.type == "steam":
        return str(texts["settings_steam"])
    if account.type == "hotp":
        return fill(texts["settings_hotp"], algorithm=account.algorithm, digits=account.digits,
                    counter=account.counter)
    return fill(texts["settings_totp"], algorithm=account.algorithm, digits=account.digits,
                period=account.period)


def notes_for(account: Account, texts: dict[str, Any], lang: str) -> list[str]:
    """The plain-language warnings printed beside an account's code."""
    label = label_warning(account, lang)
    if account.type == "steam":
        return [str(texts["note_steam"])] + ([label] if label is not None else [])
    notes = []
    ignored = ignored_settings(account, lang)
    if ignored:
        notes.append(fill(texts["note_simple_apps"], what=", ".join(ignored)))
    if account.type == "hotp":
        notes.append(str(texts["note_hotp"]))
    if label is not None:
        notes.append(label)
    return notes


def tick_box(c: Canvas, x: float, y: float, side: float = 4.5 * mm) -> None:
    """An empty square to tick by hand, its bottom-left corner at (x, y)."""
    c.setLineWidth(0.9)
    c.rect(x, y, side, side, stroke=1, fill=0)


def account_block(account: Account, number: int, count: int, width: float,
                  texts: dict[str, Any], lang: str, ts: TypeSizes, code: QrCode,
                  box: float = QR_BOX) -> Block:
    """One account: its QR code (`code`, drawn in a square of at most `box`) on the left;
    label, settings, notes and tick box on the right."""
    module = module_for(code, box, largest=LARGEST_MODULE)
    side = code.size(module)
    text_x = side + GAP
    text_w = width - text_x
    label = 14 * ts.scale
    lines: list[tuple[str, float, str]] = []
    lines.append((SANS, ts.data, fill(texts["number"], number=number, count=count)))
    lines += [(BOLD, label, t)
              for t in wrap(shown(account.label), BOLD, label, text_w, max_lines=3)]
    if account.name:
        lines += [(SANS, ts.text, t)
                  for t in wrap(fill(texts["account"], name=shown(account.name)), SANS,
                                ts.text, text_w, max_lines=2)]
    if account.issuer:
        lines += [(SANS, ts.text, t)
                  for t in wrap(fill(texts["issuer"], issuer=shown(account.issuer)), SANS,
                                ts.text, text_w, max_lines=2)]
    lines += [(SANS, ts.data, t) for t in wrap(_settings(account, texts), SANS, ts.data, text_w)]
    for note in notes_for(account, texts, lang):  # what to do: running text
        lines.append((SANS, 4, ""))
        lines += [(BOLD, ts.text, t) for t in wrap(note, BOLD, ts.text, text_w)]
    tick = 4.5 * mm * ts.scale
    tick_lead = ts.text * 1.3
    tick_lines = wrap(texts["tick"], SANS, ts.text, text_w - tick - 3.5 * mm)
    text_height = (sum(size * 1.3 for _, size, _ in lines) + 4 * mm
                   + max(tick, len(tick_lines) * tick_lead))
    height = max(side, text_height) + GAP

    def draw(c: Canvas, x: float, y: float) -> None:
        draw_qr(c, code, x, y, module)
        cursor = y
        for font, size, text in lines:
            cursor -= size * 1.3
            if text:
                c.setFont(font, size)
                c.drawString(x + text_x, cursor + 0.25 * size, text)
        cursor -= 4 * mm
        tick_box(c, x + text_x, cursor - tick + 1.5, tick)
        c.setFont(SANS, ts.text)
        for n, text in enumerate(tick_lines):
            c.drawString(x + text_x + tick + 3.5 * mm, cursor - ts.text - n * tick_lead, text)
        c.setLineWidth(0.3)
        c.setDash(2, 2)
        c.line(x, y - height + GAP / 2, x + width, y - height + GAP / 2)
        c.setDash()

    return Block(height, draw)


def _laid_out(accounts: Sequence[Account], codes: Sequence[QrCode], box: float, paper: Paper,
              texts: dict[str, Any], lang: str, ts: TypeSizes,
              software_note: str) -> list[Page]:
    """The sheet's pages with codes in squares of `box`, as many accounts to a page as fit; when
    that leaves the last page short, the accounts after page one are spread evenly over the
    same number of pages (each page but the first then holds about as many)."""
    width = content_width(paper)
    blocks = [text_block(texts["warning"], width, font=BOLD, size=ts.text, after=3 * mm)]
    blocks += paragraphs(texts["steps"], width, size=ts.text)
    blocks.append(text_block(fill(texts["count"], count=len(accounts)), width, size=ts.text,
                             after=4 * mm))
    sheet = [account_block(account, n, len(accounts), width, texts, lang, ts, code, box)
             for n, (account, code) in enumerate(zip(accounts, codes, strict=True), start=1)]
    blocks += sheet
    blocks.extend(software_blocks(width, lang, software_note, size=ts.text))
    pages = paginate(blocks, texts["title"], paper, continued=texts["continued"])
    on = {id(block): number for number, page in enumerate(pages) for _, block in page.blocks}
    counts = [sum(on[id(block)] == number for block in sheet) for number in range(len(pages))]
    later = len(sheet) - counts[0]
    share, extra = divmod(later, max(len(pages) - 1, 1))
    if len(pages) < 3 or counts[-1] >= share:
        return pages
    first = counts[0]
    for number in range(len(pages) - 1):  # page 2 on: the first pages take one more
        sheet[first].new_page = "page"
        first += share + (1 if number < extra else 0)
    even = paginate(blocks, texts["title"], paper, continued=texts["continued"])
    return even if len(even) == len(pages) else pages


def qr_boxes() -> list[float]:
    """The sizes tried for the accounts' QR codes, largest first."""
    count = round((QR_BOX - SMALLEST_QR_BOX) / QR_BOX_STEP)
    return [QR_BOX - n * QR_BOX_STEP for n in range(count + 1)]


FILL_STEP = 0.05
"""Fills closer than this count as the same: a page a little fuller is not worth smaller codes."""


def _fill_rank(pages: Sequence[Page], height: float) -> tuple[int, list[float]]:
    """Fewest pages first; then the fullest pages in page order (page one before page two: fill
    pages before starting new ones), in steps of FILL_STEP of the body's `height`; the last
    page holds what is left."""
    return len(pages), [-float(page.used / height // FILL_STEP) for page in pages[:-1]]


def render_reenroll(accounts: Sequence[Account], *, fingerprint: str, day: date, paper: Paper,
                    lang: str = "en", self_check: bool = True, software_note: str = "",
                    large_print: bool = False,
                    progress: Progress = NO_PROGRESS) -> RenderedPdf:
    """The sheet for `accounts` in the order given, read back before it is returned unless
    `self_check` is off (benchmarks only), ending with where to get paper2fa and the owner's
    `software_note`; `large_print` sets running text at 14 pt instead of 10. `progress` gets
    the stage "accounts laid out", then render_document's.

    The QR codes are drawn in the largest square (from QR_BOX down to SMALLEST_QR_BOX) that
    gives the fewest pages: the pages are full, the last one holds what is left."""
    texts = load_texts("reenroll", lang)
    ts = type_sizes(large_print)
    printed = long_date(day, lang)
    progress.start(len(accounts), "accounts laid out")
    codes = []
    for account in accounts:
        codes.append(qr_code(build_otpauth(account), shown(account.label, 80)))
        progress.advance()
    layouts = [_laid_out(accounts, codes, box, paper, texts, lang, ts, software_note)
               for box in qr_boxes()]
    height = content_height(paper)
    pages = min(layouts, key=lambda laid: _fill_rank(laid, height))  # the first: largest codes

    def footer(page: int, count: int) -> str:
        return fill(texts["footer"], version=__version__, fingerprint=fingerprint,
                    date=printed, page=page, pages=count)

    return render_document(pages, paper, Footer(footer), texts["document_title"],
                           [build_otpauth(a) for a in accounts], creator=CREATOR,
                           self_check=self_check, sizes=ts, progress=progress)
