"""The re-enrolment sheet as an export (issue 6): the accounts in the order to move them
(critical first), drawn by toolkit.render.reenroll, which reads the PDF back before it is
returned unless `options.self_check` is off (benchmarks only)."""

from __future__ import annotations

from toolkit.audit import move_order
from toolkit.exporters import Exporter, ExportOptions, ExportResult
from toolkit.exporters.otpauth import label_warnings
from toolkit.model import Vault
from toolkit.render.layout import PAPERS, RenderedPdf
from toolkit.render.reenroll import render_reenroll


def reenroll_sheet(vault: Vault, options: ExportOptions) -> RenderedPdf:
    """The sheet's PDF and the QR texts drawn on it (in page order)."""
    return render_reenroll(move_order(vault.accounts), fingerprint=vault.fingerprint,
                           day=options.day, paper=PAPERS[options.paper], lang=options.lang,
                           self_check=options.self_check, software_note=options.software_note,
                           large_print=options.large_print, progress=options.progress)


def export_reenroll(vault: Vault, options: ExportOptions) -> ExportResult:
    """The sheet, with a warning for each account whose QR code some apps will not show as
    it is (the same accounts the sheet warns about beside their codes)."""
    return ExportResult((reenroll_sheet(vault, options).pdf,), ".pdf",
                        tuple(label_warnings(move_order(vault.accounts))))


EXPORTERS = [
    Exporter(
        name="reenroll-pdf",
        description="re-enrolment sheet: one large otpauth QR code per account, with tick boxes",
        extension=".pdf",
        export=export_reenroll,
    )
]
