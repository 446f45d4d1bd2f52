"""The re-enrolment sheet (`paper2fa export --format reenroll-pdf`): one large otpauth:// QR
code per account, a few per page, in the order given (critical first), each with its label, a
box to tick when the code works on the new phone, and a note where common apps would get the
account wrong."""

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
    Paper,
    RenderedPdf,
    content_width,
    paginate,
    paragraphs,
    render_document,
    text_block,
)
from toolkit.render.qr import draw_qr, module_for, qr_code
from toolkit.render.wrap import wrap
from toolkit.texts import fill, load_texts, long_date
from toolkit.uri import build_otpauth

QR_BOX = 62 * mm
"""Room for each account's QR code: three accounts fit on an A4 or Letter page."""

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
                  texts: dict[str, Any], lang: str) -> Block:
    """One account: its QR code on the left; label, settings, notes and tick box on the right."""
    code = qr_code(build_otpauth(account), shown(account.label, 80))
    module = module_for(code, QR_BOX, largest=LARGEST_MODULE)
    side = code.size(module)
    text_x = side + GAP
    text_w = width - text_x
    lines: list[tuple[str, float, str]] = []
    lines.append((SANS, 9, fill(texts["number"], number=number, count=count)))
    lines += [(BOLD, 14, t) for t in wrap(shown(account.label), BOLD, 14, text_w, max_lines=3)]
    if account.name:
        lines += [(SANS, 10, t) for t in wrap(fill(texts["account"], name=shown(account.name)),
                                               SANS, 10, text_w, max_lines=2)]
    if account.issuer:
        lines += [(SANS, 10, t) for t in wrap(fill(texts["issuer"],
                                                   issuer=shown(account.issuer)),
                                              SANS, 10, text_w, max_lines=2)]
    lines += [(SANS, 9, t) for t in wrap(_settings(account, texts), SANS, 9, text_w)]
    for note in notes_for(account, texts, lang):
        lines.append((SANS, 4, ""))
        lines += [(BOLD, 9, t) for t in wrap(note, BOLD, 9, text_w)]
    tick_lines = wrap(texts["tick"], SANS, 10, text_w - 8 * mm)
    text_height = sum(size * 1.3 for _, size, _ in lines) + 4 * mm + len(tick_lines) * 13
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
        tick_box(c, x + text_x, cursor - 11)
        c.setFont(SANS, 10)
        for n, text in enumerate(tick_lines):
            c.drawString(x + text_x + 8 * mm, cursor - 10 - n * 13, text)
        c.setLineWidth(0.3)
        c.setDash(2, 2)
        c.line(x, y - height + GAP / 2, x + width, y - height + GAP / 2)
        c.setDash()

    return Block(height, draw)


def render_reenroll(accounts: Sequence[Account], *, fingerprint: str, day: date, paper: Paper,
                    lang: str = "en", self_check: bool = True, software_note: str = "",
                    progress: Progress = NO_PROGRESS) -> RenderedPdf:
    """The sheet for `accounts` in the order given, read back before it is returned unless
    `self_check` is off (benchmarks only), ending with where to get paper2fa and the owner's
    `software_note`. `progress` gets the stage "accounts laid out", then render_document's."""
    texts = load_texts("reenroll", lang)
    printed = long_date(day, lang)
    width = content_width(paper)
    blocks = [text_block(texts["warning"], width, font=BOLD, size=10, after=3 * mm)]
    blocks += paragraphs(texts["steps"], width, size=10)
    blocks.append(text_block(fill(texts["count"], count=len(accounts)), width, size=10,
                             after=4 * mm))
    progress.start(len(accounts), "accounts laid out")
    for n, account in enumerate(accounts, start=1):
        blocks.append(account_block(account, n, len(accounts), width, texts, lang))
        progress.advance()
    blocks.extend(software_blocks(width, lang, software_note))
    pages = paginate(blocks, texts["title"], paper, continued=texts["continued"])

    def footer(page: int, count: int) -> str:
        return fill(texts["footer"], version=__version__, fingerprint=fingerprint,
                    date=printed, page=page, pages=count)

    return render_document(pages, paper, Footer(footer), texts["document_title"],
                           [build_otpauth(a) for a in accounts], creator=CREATOR,
                           self_check=self_check, progress=progress)
