"""The re-enrolment sheet (issue 6): one large otpauth:// QR code per account, a few per page,
in the order to move them (critical first), each with its label, a box to tick when the code
works on the new phone, and a note where common apps would get the account wrong.

The PDF is read back (every QR code decoded exactly) before it is returned, unless
`options.self_check` is off (benchmarks only).
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from toolkit import __version__
from toolkit.audit import move_order
from toolkit.exporters import Exporter, ExportOptions, ExportResult
from toolkit.exporters._sheets import qr_code, render_pdf, tick_box
from toolkit.model import Account, Vault
from toolkit.render.fonts import BOLD, SANS
from toolkit.render.layout import PAPERS, Block, content_width, paginate, paragraphs, text_block
from toolkit.render.qr import draw_qr, module_for
from toolkit.render.wrap import wrap
from toolkit.selfcheck import check_pdf
from toolkit.texts import fill, load_texts
from toolkit.uri import build_otpauth, ignored_by_simple_apps

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


def notes_for(account: Account, texts: dict[str, Any]) -> list[str]:
    """The plain-language warnings printed beside an account's code."""
    if account.type == "steam":
        return [str(texts["note_steam"])]
    notes = []
    ignored = ignored_by_simple_apps(account)
    if ignored:
        notes.append(fill(texts["note_simple_apps"], what=", ".join(ignored)))
    if account.type == "hotp":
        notes.append(str(texts["note_hotp"]))
    return notes


def account_block(account: Account, number: int, count: int, width: float,
                  texts: dict[str, Any]) -> Block:
    """One account: its QR code on the left; label, settings, notes and tick box on the right."""
    code = qr_code(build_otpauth(account), account.label)
    module = module_for(code, QR_BOX, largest=LARGEST_MODULE)
    side = code.size(module)
    text_x = side + GAP
    text_w = width - text_x
    lines: list[tuple[str, float, str]] = []
    lines.append((SANS, 9, fill(texts["number"], number=number, count=count)))
    lines += [(BOLD, 14, t) for t in wrap(account.label, BOLD, 14, text_w, max_lines=3)]
    if account.name:
        lines += [(SANS, 10, t) for t in wrap(fill(texts["account"], name=account.name), SANS, 10,
                                               text_w, max_lines=2)]
    if account.issuer:
        lines += [(SANS, 10, t) for t in wrap(fill(texts["issuer"], issuer=account.issuer), SANS,
                                               10, text_w, max_lines=2)]
    lines += [(SANS, 9, t) for t in wrap(_settings(account, texts), SANS, 9, text_w)]
    for note in notes_for(account, texts):
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


def render_reenroll(vault: Vault, options: ExportOptions) -> tuple[bytes, list[str]]:
    """The sheet's PDF bytes and the QR texts drawn on it (in page order)."""
    texts = load_texts("reenroll")
    paper = PAPERS[options.paper]
    width = content_width(paper)
    ordered = move_order(vault.accounts)
    blocks = [text_block(texts["warning"], width, font=BOLD, size=10, after=3 * mm)]
    blocks += paragraphs(texts["steps"], width, size=10)
    blocks.append(text_block(fill(texts["count"], count=len(ordered)), width, size=10,
                             after=4 * mm))
    blocks += [account_block(a, n, len(ordered), width, texts)
               for n, a in enumerate(ordered, start=1)]
    pages = paginate(blocks, texts["title"], paper, continued=texts["continued"])

    def footer(page: int, count: int) -> str:
        return fill(texts["footer"], version=__version__, fingerprint=vault.fingerprint,
                    date=options.day.isoformat(), page=page, pages=count)

    pdf = render_pdf(pages, paper, footer, texts["document_title"])
    return pdf, [build_otpauth(a) for a in ordered]


def export_reenroll(vault: Vault, options: ExportOptions) -> ExportResult:
    pdf, uris = render_reenroll(vault, options)
    if options.self_check:
        check_pdf(pdf, uris)
    return ExportResult((pdf,), ".pdf", ())


EXPORTERS = [
    Exporter(
        name="reenroll-pdf",
        description="re-enrolment sheet: one large otpauth QR code per account, with tick boxes",
        extension=".pdf",
        export=export_reenroll,
    )
]
