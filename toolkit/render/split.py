"""The PDFs of a split: one sheet per share holder and the owner's cover letter, each read back
(self-check) as it is made."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from reportlab.lib.units import mm

from toolkit.progress import NO_PROGRESS, Part, Progress
from toolkit.render.cover import render_cover
from toolkit.render.layout import PAPERS, Paper, RenderedPdf, content_width, text_block
from toolkit.render.share_sheet import common_prefix, render_share_sheet, share_head
from toolkit.render.sizes import type_sizes
from toolkit.render.vault_frames import plan_frames
from toolkit.sharing import SplitResult
from toolkit.texts import check_language, fill, load_texts

COVER_NAME = "cover.pdf"


def sheet_names(result: SplitResult) -> list[str]:
    """share-<i>-of-<n>[-<holder>].pdf, from the split's own file names."""
    return [name.rsplit(".", 1)[0] + ".pdf" for name in result.file_names]


def sheet_languages(result: SplitResult, lang: str, holder_langs: Sequence[str]) -> list[str]:
    """The language of each holder's sheet, in share order: `holder_langs` (one per share)
    when given, else `lang` for all. A count other than n is a programming error (the CLI
    checks it first)."""
    count = len(result.shares)
    if holder_langs and len(holder_langs) != count:
        raise ValueError(f"{len(holder_langs)} sheet languages for {count} shares")
    return [check_language(code) for code in (holder_langs or [lang] * count)]


def render_split(result: SplitResult, *, date: datetime, paper: Paper | str,
                 facts: Sequence[str] = (), text_fallback: bool = False, owner: str = "",
                 contact: str = "", lang: str = "en", holder_langs: Sequence[str] = (),
                 self_check: bool = True, software_note: str = "", large_print: bool = False,
                 progress: Progress = NO_PROGRESS) -> dict[str, RenderedPdf]:
    """Every sheet of a split and the cover, by file name, each self-checked unless
    `self_check` is off (a QR code that does not read back raises SelfCheckError).
    `progress` gets the stage "vault QR codes made", then "sheets made" (a step
    per PDF, what each is doing as a note).

    `paper` is a Paper or its `--paper` name ("a4", "letter"); `facts` are the checklist lines
    of the cover (`audit_facts(audit_vault(vault), lang=lang)`); `owner` and `contact` are
    printed on every holder sheet (lines to write them on when empty). `lang` is the owner's
    language: the cover's, and every sheet's unless `holder_langs` gives one per share.
    `software_note` is the owner's line printed under where to get paper2fa (sheets, cover).
    `large_print`: 14 pt running text on every sheet and the cover (docs/paper.md, "Type
    sizes").
    """
    sizes = type_sizes(large_print)
    if isinstance(paper, str):
        paper = PAPERS[paper]
    langs = sheet_languages(result, check_language(lang), holder_langs)
    header = result.header
    holders = [result.holders[i] if result.holders else "" for i in range(len(result.shares))]
    heads = [share_head(share, i, holder, header, date, paper, sheet_lang, sizes)
             for i, (share, holder, sheet_lang) in enumerate(
                 zip(result.shares, holders, langs, strict=True), 1)]
    # the frames are the same on every sheet: room for the tallest strip and intro of any
    intro = max(text_block(fill(load_texts("share_sheet", code)[key], k=16, needed=999,
                                total=999), content_width(paper), size=sizes.text,
                           after=3 * mm).height
                for key in ("frames_intro", "frames_intro_blocks") for code in set(langs))
    reserve = max(h.height for h in heads) + intro + 4 * mm
    frames = plan_frames(result.sealed_bytes, "sealed", paper, reserve, text_fallback,
                         progress)
    common = common_prefix([share.words() for share in result.shares])
    out: dict[str, RenderedPdf] = {}
    progress.start(len(result.shares) + 1, "sheets made")
    for index, (share, holder, name, sheet_lang) in enumerate(
            zip(result.shares, holders, sheet_names(result), langs, strict=True), start=1):
        out[name] = render_share_sheet(share, index, holder=holder, header=header,
                                       common=common, frames=frames, date=date, paper=paper,
                                       owner=owner, contact=contact, lang=sheet_lang,
                                       self_check=self_check, software_note=software_note,
                                       sizes=sizes, progress=Part(progress, name))
        progress.advance()
    out[COVER_NAME] = render_cover(header, result.holders, sheet_names(result), langs,
                                   date=date, paper=paper, facts=facts, lang=lang,
                                   self_check=self_check, software_note=software_note,
                                   sizes=sizes, progress=Part(progress, COVER_NAME))
    progress.advance()
    return out


def render_split_pdfs(result: SplitResult, date: datetime, paper: Paper | str, *,
                      facts: Sequence[str] = (), text_fallback: bool = False,
                      self_check: bool = True, owner: str = "", contact: str = "",
                      lang: str = "en", holder_langs: Sequence[str] = (),
                      software_note: str = "", large_print: bool = False,
                      progress: Progress = NO_PROGRESS) -> dict[str, bytes]:
    """The share sheets and cover.pdf as bytes by file name (see `render_split`)."""
    rendered = render_split(result, date=date, paper=paper, facts=facts,
                            text_fallback=text_fallback, owner=owner, contact=contact,
                            lang=lang, holder_langs=holder_langs, self_check=self_check,
                            software_note=software_note, large_print=large_print,
                            progress=progress)
    return {name: pdf.pdf for name, pdf in rendered.items()}
