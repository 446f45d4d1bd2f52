"""Google Authenticator transfer QR codes (`otpauth-migration://`), as PNG files or one PDF.

Google's format holds less than a vault: no period (every code is 30 s), no Steam, only 6 or 8
digits, and no notes, tags or recovery codes. Accounts whose codes Google cannot compute are left
out (named in `ExportResult.left_out`); lost notes and the like are warnings, one per account.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from toolkit import __version__, gauth_migration
from toolkit.display import visible
from toolkit.exporters import (
    Exporter,
    ExportOptions,
    ExportResult,
    LeftOut,
    dropped_warning,
    nothing_left,
)
from toolkit.model import Account, Vault
from toolkit.render.common import CREATOR
from toolkit.render.fonts import BOLD, SANS
from toolkit.render.layout import (
    PAPERS,
    Block,
    Footer,
    Page,
    content_width,
    paragraphs,
    render_document,
    text_block,
)
from toolkit.render.qr import draw_qr, module_for, qr_code, qr_png
from toolkit.texts import fill, load_texts, long_date

QR_SIDE = 110 * mm
"""Side of a transfer code on paper: Google's app reads it from a screen or a sheet."""


CARRY = "export it with --format reenroll-pdf (a QR code per account) or aegis"
"""How to move an account Google's transfer codes cannot carry."""


def plan(vault: Vault) -> tuple[list[Account], list[str], list[LeftOut]]:
    """The accounts Google can hold, warnings for what they lose, and the accounts left out.

    A TOTP account with a period other than 30 s is left out too: Google Authenticator would
    show codes for 30 s that never work.
    """
    kept: list[Account] = []
    warnings: list[str] = []
    left_out: list[LeftOut] = []
    for account in vault.accounts:
        why = gauth_migration.unrepresentable(account)
        changes = gauth_migration.lossy_changes(account)
        if why is not None or changes:
            left_out.append(LeftOut(account.label, why or "; ".join(changes), CARRY))
            continue
        kept.append(account)
        warnings.extend(dropped_warning(account, (), "Google Authenticator"))
    return kept, warnings, left_out


def _page(uri: str, accounts: list[Account], index: int, total: int, width: float,
          lang: str) -> Page:
    texts = load_texts("reenroll", lang)["gauth"]
    code = qr_code(uri, f"transfer code {index}")
    module = module_for(code, QR_SIDE, largest=2.5 * mm)
    side = code.size(module)

    def draw_code(c: Canvas, x: float, y: float) -> None:
        draw_qr(c, code, x + (width - side) / 2, y, module)

    blocks = [text_block(texts["warning"], width, font=BOLD, size=10, after=3 * mm)]
    blocks += paragraphs(texts["steps"], width, size=10)
    blocks.append(Block(side + 4 * mm, draw_code))
    labels = "; ".join(visible(a.label) for a in accounts)
    blocks.append(text_block(fill(texts["accounts"], labels=labels), width, font=SANS, size=9))
    title = fill(texts["title"], index=index, total=total)
    page = Page(title)
    y = 0.0
    for block in blocks:
        page.blocks.append((y, block))
        y += block.height
    return page


def _batches_of(kept: list[Account]) -> tuple[list[str], list[list[Account]]]:
    uris = gauth_migration.batches(kept)
    groups: list[list[Account]] = []
    for uri in uris:
        payload = gauth_migration.parse_migration_uri(uri)
        groups.append(gauth_migration.decode_payload(payload))
    return uris, groups


def export_gauth(vault: Vault, options: ExportOptions) -> ExportResult:
    kept, warnings, left_out = plan(vault)
    nothing_left(vault, left_out, "Google Authenticator", "--format reenroll-pdf or aegis")
    uris, groups = _batches_of(kept)
    progress = options.progress
    progress.start(len(uris), "transfer QR codes made")
    if options.container == "png":
        images: list[bytes] = []
        for n, uri in enumerate(uris, start=1):
            images.append(qr_png(uri, f"transfer code {n}", self_check=options.self_check))
            progress.advance()
        return ExportResult(tuple(images), ".png", tuple(warnings), multi=True,
                            left_out=tuple(left_out))
    paper = PAPERS[options.paper]
    width = content_width(paper)
    pages: list[Page] = []
    for n, (uri, group) in enumerate(zip(uris, groups, strict=True), start=1):
        pages.append(_page(uri, group, n, len(uris), width, options.lang))
        progress.advance()
    texts = load_texts("reenroll", options.lang)["gauth"]
    printed = long_date(options.day, options.lang)

    def footer(page: int, count: int) -> str:
        return fill(texts["footer"], version=__version__, fingerprint=vault.fingerprint,
                    date=printed, page=page, pages=count)

    pdf = render_document(pages, paper, Footer(footer), texts["document_title"], uris,
                          creator=CREATOR, self_check=options.self_check,
                          progress=progress).pdf
    return ExportResult((pdf,), ".pdf", tuple(warnings), left_out=tuple(left_out))


EXPORTERS = [
    Exporter(
        name="gauth-qr",
        description="Google Authenticator transfer QR codes (PNG files or one PDF)",
        extension=".pdf",
        export=export_gauth,
    )
]
