"""The PDFs of a split: one sheet per share holder and the owner's cover letter, each read back
(self-check) before it is returned."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from reportlab.lib.units import mm

from toolkit.render.common import RenderedPdf
from toolkit.render.cover import render_cover
from toolkit.render.layout import PAPERS, Paper, content_width, text_block
from toolkit.render.share_sheet import common_prefix, render_share_sheet, share_head
from toolkit.render.vault_frames import plan_frames
from toolkit.selfcheck import check_pdf
from toolkit.sharing import SplitResult
from toolkit.texts import fill, load_texts

COVER_NAME = "cover.pdf"


def sheet_names(result: SplitResult) -> list[str]:
    """share-<i>-of-<n>[-<holder>].pdf, from the split's own file names."""
    return [name.rsplit(".", 1)[0] + ".pdf" for name in result.file_names]


def render_split(result: SplitResult, *, date: datetime, paper: Paper,
                 facts: Sequence[str] = (), text_fallback: bool = False,
                 lang: str = "en") -> dict[str, RenderedPdf]:
    """Every sheet of a split and the cover, by file name (not yet self-checked)."""
    t = load_texts("share_sheet", lang)
    header = result.header
    holders = [result.holders[i] if result.holders else "" for i in range(len(result.shares))]
    heads = [share_head(share, i, holder, header, date, t, paper)
             for i, (share, holder) in enumerate(zip(result.shares, holders, strict=True), 1)]
    intro = max(text_block(fill(t[key], k=16, needed=999, total=999), content_width(paper),
                           size=8.5, after=3 * mm).height
                for key in ("frames_intro", "frames_intro_blocks"))
    reserve = max(h.height for h in heads) + intro + 4 * mm
    frames = plan_frames(result.sealed_bytes, "sealed", paper, reserve, text_fallback)
    common = common_prefix([share.words() for share in result.shares])
    out: dict[str, RenderedPdf] = {}
    for index, (share, holder, name) in enumerate(
            zip(result.shares, holders, sheet_names(result), strict=True), start=1):
        out[name] = render_share_sheet(share, index, holder=holder, header=header,
                                       common=common, frames=frames, date=date, paper=paper,
                                       lang=lang)
    out[COVER_NAME] = render_cover(header, result.holders, sheet_names(result), date=date,
                                   paper=paper, facts=facts, lang=lang)
    return out


def render_split_pdfs(result: SplitResult, date: datetime, paper: Paper | str, *,
                      facts: Sequence[str] = (), text_fallback: bool = False,
                      self_check: bool = True, lang: str = "en") -> dict[str, bytes]:
    """The share sheets and cover.pdf as bytes by file name, each self-checked (a QR code that
    does not read back raises SelfCheckError; write nothing then).

    `paper` is a Paper or its `--paper` name ("a4", "letter"); `facts` are the checklist lines
    of the cover (`audit_facts(audit_vault(vault))`).
    """
    if isinstance(paper, str):
        paper = PAPERS[paper]
    rendered = render_split(result, date=date, paper=paper, facts=facts,
                            text_fallback=text_fallback, lang=lang)
    if self_check:
        for pdf in rendered.values():
            if pdf.qr_texts:
                check_pdf(pdf.pdf, pdf.qr_texts)
    return {name: pdf.pdf for name, pdf in rendered.items()}
