"""The home-safe backup: an index, every account with its QR code, secret lines, check code,
recovery codes and notes, the whole vault as frames, the restore page and the checklist."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from toolkit.model import Account, Vault, vault_to_paper
from toolkit.progress import NO_PROGRESS, Progress
from toolkit.qr_capacity import fits_one_code
from toolkit.render.checklist import checklist_blocks
from toolkit.render.common import (
    CREATOR,
    day,
    heading,
    ignored_settings,
    label_warning,
    mono_lines,
    reference_time,
    sheet_footer,
    shown,
    shown_lines,
    software_blocks,
    template_blocks,
)
from toolkit.render.fonts import BOLD, MONO, SANS, printable
from toolkit.render.fonts import width as text_width
from toolkit.render.layout import (
    Block,
    Page,
    Paper,
    RenderedPdf,
    Section,
    content_width,
    keep_together,
    paginate,
    render_document,
    spacer,
    text_block,
)
from toolkit.render.qr import QrCode, draw_qr, module_for
from toolkit.render.sizes import REGULAR, TypeSizes, type_sizes
from toolkit.render.vault_frames import FramesAhead, frame_pages, plan_frames, reserve_of
from toolkit.render.wrap import one_line, wrap
from toolkit.secret_lines import SecretLine, check_line, secret_lines
from toolkit.texts import fill, load_texts
from toolkit.uri import build_otpauth, ignored_by_simple_apps

QR_BOX = 38 * mm
"""Side of an account's QR code (with quiet zone) when the URI is of usual length."""
GAP = 5 * mm


def _settings(account: Account, t: dict[str, Any]) -> str:
    if account.type == "hotp":
        return fill(t["settings_hotp"], algorithm=account.algorithm, digits=account.digits,
                    counter=account.counter)
    if account.type == "steam":
        return fill(t["settings_steam"], period=account.period)
    return fill(t["settings_totp"], algorithm=account.algorithm, digits=account.digits,
                period=account.period)


def _is_default(account: Account) -> bool:
    return account.type == "totp" and not ignored_by_simple_apps(account)


MAX_INLINE_SECRET_LINES = 12
"""Longer secrets (rare: over 96 bytes) get their lines below the QR code, flowing on."""


def _secret_line_block(line: SecretLine, x_offset: float, ts: TypeSizes) -> Block:
    size = 11.0 * ts.scale
    step = ts.scale * mm

    def draw(c: Canvas, x: float, y: float) -> None:
        left = x + x_offset
        c.setFont(SANS, 7 * ts.scale)  # the line's number: fine print
        c.drawRightString(left + 5 * step, y - size + 0.5, str(line.number))
        c.setFont(MONO, size)
        c.drawString(left + 7 * step, y - size + 1, line.text)
        box_x = left + 67 * step
        c.setLineWidth(0.5)
        # the box stays inside the line's own height: it never touches the caption above
        c.rect(box_x - 1.2 * step, y - size - 1.6, 5.2 * step, size + 1.2)
        c.drawString(box_x, y - size + 1, line.check)

    return Block(size * 1.45, draw)


def _account_head(account: Account, t: dict[str, Any], paper: Paper, at: int,
                  qr_texts: list[str], lang: str, ts: TypeSizes) -> list[Block]:
    """QR code on the left; issuer, name, warnings, settings, secret lines, check code right."""
    uri = build_otpauth(account)
    # one rule with `paper2fa verify`, whatever the QR writer fits (toolkit.qr_capacity)
    code: QrCode | None = QrCode(uri) if fits_one_code(uri) else None
    if code is not None:
        qr_texts.append(uri)
        module = module_for(code, QR_BOX)
        side = code.size(module)
    else:
        module, side = 0.0, QR_BOX
    width = content_width(paper)
    text_x = side + GAP
    text_w = width - text_x
    parts: list[tuple[str, float, list[str], float]] = []  # font, size, lines, leading

    def add(text: str, font: str, size: float, max_lines: int | None = None,
            after: float = 0.0) -> bool:
        """Add a wrapped text; True when it had to be shortened to `max_lines`."""
        full = wrap(text, font, size, text_w)
        kept = full  # the same lines `wrap` gives with `max_lines` when there are no more
        if max_lines is not None and len(full) > max_lines:
            kept = wrap(text, font, size, text_w, max_lines)
        parts.append((font, size, kept, size * 1.25))
        if after:
            parts.append((font, size, [""], after))
        return len(full) > len(kept)

    cut = add(shown(account.issuer) or t["no_issuer"], BOLD, ts.heading, 2)
    cut = add(shown(account.name) or t["no_name"], SANS, ts.text, 2) or cut
    if cut:
        add(fill(t["name_shortened"], count=len(account.issuer) + len(account.name)), SANS,
            ts.data)
    problems = ignored_settings(account, lang)
    warnings = []
    if account.type == "steam":
        warnings.append(t["warn_steam"])
    else:
        if account.type == "hotp":
            warnings.append(t["warn_hotp"])
        if problems:
            warnings.append(fill(t["warn_simple_apps"], what=", ".join(problems)))
    label = label_warning(account, lang)
    if label is not None:
        warnings.append(label)
    for warning in warnings:  # what to do: running text
        add("⚠ " + warning, BOLD, ts.text)
    if not _is_default(account):
        add(_settings(account, t), SANS, ts.data)
    check = check_line(account, at)
    when = datetime.fromtimestamp(at, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    check_text = fill(t["check_code_hotp" if account.type == "hotp" else "check_code"],
                      check=check.text, time=when)
    lines = [_secret_line_block(line, text_x, ts)
             for line in secret_lines(account.secret_base32)]
    inline = len(lines) <= MAX_INLINE_SECRET_LINES
    add(t["secret_label"], SANS, ts.text, after=1.5)
    tail: list[tuple[str, float, list[str], float]] = [
        (SANS, ts.data, wrap(check_text, SANS, ts.data, text_w), ts.data * 1.25)]
    if not inline:
        parts.extend(tail)
    text_h = sum(len(p[2]) * p[3] for p in parts) + 2
    if inline:
        text_h += sum(b.height for b in lines) + sum(len(p[2]) * p[3] for p in tail)

    def draw_parts(c: Canvas, x: float, ty: float,
                   items: list[tuple[str, float, list[str], float]]) -> float:
        for font, size, part_lines, lead in items:
            c.setFont(font, size)
            for line in part_lines:
                c.drawString(x + text_x, ty - size, line)
                ty -= lead
        return ty

    no_qr = wrap(t["no_qr"], SANS, ts.data, side - 4 * mm) if code is None else []
    box = max(side, 4 * mm + len(no_qr) * ts.data * 1.25)  # the box holds all its lines

    def draw(c: Canvas, x: float, y: float) -> None:
        if code is not None:
            draw_qr(c, code, x, y, module)
        else:
            c.setLineWidth(0.5)
            c.rect(x, y - box, side, box)
            c.setFont(SANS, ts.data)
            for n, line in enumerate(no_qr):
                c.drawString(x + 2 * mm, y - 2 * mm - ts.data - n * ts.data * 1.25, line)
        ty = draw_parts(c, x, y - 1, parts)
        if inline:
            for block in lines:
                block.draw(c, x, ty)
                ty -= block.height
            draw_parts(c, x, ty, tail)

    head = Block(max(box, text_h) + 2 * mm, draw)
    return [head] if inline else [head, *lines, spacer(2 * mm)]


def _recovery_blocks(codes: Sequence[str], width: float, size: float) -> list[Block]:
    shown_codes = [printable(shown(code), MONO) for code in codes]
    col = max(text_width(s, MONO, size) for s in shown_codes) + 6 * mm
    if col > width:
        return [text_block(s, width, font=MONO, size=size, after=0.5 * mm, indent=4 * mm)
                for s in shown_codes]
    cols = max(1, int(width // col))
    blocks = []
    for start in range(0, len(shown_codes), cols):
        row = shown_codes[start : start + cols]

        def draw(c: Canvas, x: float, y: float, row: list[str] = row) -> None:
            c.setFont(MONO, size)
            for i, item in enumerate(row):
                c.drawString(x + 4 * mm + i * col, y - size, item)

        blocks.append(Block(size * 1.35, draw))
    return blocks


def _account_block(account: Account, t: dict[str, Any], paper: Paper, at: int,
                   qr_texts: list[str], lang: str, ts: TypeSizes) -> Block:
    """Everything about one account as one block, kept on one page; an account taller than a
    page goes on on the next with its title repeated ("Example Bank, continued")."""
    width = content_width(paper)
    blocks = _account_head(account, t, paper, at, qr_texts, lang, ts)
    sub = width - 4 * mm
    if account.recovery_codes:
        blocks.append(_keep(text_block(t["recovery_title"], width, font=BOLD, size=ts.text,
                                       after=0.8 * mm)))
        blocks.extend(_recovery_blocks(account.recovery_codes, width - 4 * mm, ts.data))
    if account.other_factors:
        blocks.append(_keep(text_block(t["other_factors_title"], width, font=BOLD,
                                       size=ts.text, after=0.8 * mm)))
        blocks.extend(text_block("• " + shown(f), sub, size=ts.data, after=0.3 * mm,
                                 indent=4 * mm) for f in account.other_factors)
    if account.notes.strip():
        blocks.append(_keep(text_block(t["notes_title"], width, font=BOLD, size=ts.text,
                                       after=0.8 * mm)))
        for line in wrap(shown_lines(account.notes), SANS, ts.data, sub):
            blocks.append(text_block(line, width, size=ts.data, after=0.0, indent=4 * mm))
    if account.tags:
        tags = ", ".join(shown(tag) for tag in account.tags)
        blocks.append(text_block(fill(t["tags_line"], tags=tags), width, size=ts.small,
                                 after=0.5 * mm))
    blocks.append(_rule(width))
    title = fill(t["account_continued"], title=shown(account.issuer) or t["no_issuer"])

    def continued() -> Block:
        return text_block(title, width, font=BOLD, size=ts.heading, after=2 * mm, max_lines=2)

    return keep_together(blocks, continued)


def _keep(block: Block) -> Block:
    block.keep_with_next = True
    block.split = None
    return block


def _rule(width: float) -> Block:
    def draw(c: Canvas, x: float, y: float) -> None:
        c.setLineWidth(0.3)
        c.setDash(1, 2)
        c.line(x, y - 2 * mm, x + width, y - 2 * mm)
        c.setDash()

    return Block(4 * mm, draw)


def _index_blocks(accounts: Sequence[Account], page_of: dict[int, int], t: dict[str, Any],
                  paper: Paper, lang: str, ts: TypeSizes) -> list[Block]:
    """One row per account, in vault order (by issuer): issuer, account name, page number.

    `page_of` maps an account's position to its page; it is filled in after the pages are laid
    out, before they are drawn (rows have the same height whatever the numbers)."""
    size = ts.data
    row_h = size * 1.35
    width = content_width(paper)
    name_x = width * 0.42
    page_w = 12 * mm * ts.scale

    def head(c: Canvas, x: float, y: float) -> None:
        c.setFont(BOLD, size)
        c.drawString(x, y - size, t["index_head_issuer"])
        c.drawString(x + name_x, y - size, t["index_head_name"])
        c.drawRightString(x + width, y - size, t["index_head_page"])
        c.setLineWidth(0.3)
        c.line(x, y - size - 2.5, x + width, y - size - 2.5)

    blocks = [heading(t["index_title"], paper, ts.heading, section=True, lang=lang),
              Block(row_h + 1, head, keep_with_next=True)]
    for number, account in enumerate(accounts):
        issuer = one_line(shown(account.issuer) or t["no_issuer"], BOLD, size, name_x - 3 * mm)
        name = one_line(shown(account.name) or "-", SANS, size, width - name_x - page_w)

        def draw(c: Canvas, x: float, y: float, issuer: str = issuer, name: str = name,
                 number: int = number) -> None:
            c.setFont(BOLD, size)
            c.drawString(x, y - size, issuer)
            c.setFont(SANS, size)
            c.drawString(x + name_x, y - size, name)
            c.drawRightString(x + width, y - size, str(page_of[number]))

        blocks.append(Block(row_h, draw))
    return blocks


def _frames_pages(payload: bytes, kind: str, t: dict[str, Any], paper: Paper,
                  text_fallback: bool, qr_texts: list[str], lang: str,
                  progress: Progress, ts: TypeSizes, ahead: FramesAhead | None = None
                  ) -> list[Page]:
    """The vault's frames, the intro repeated on every page (pages may get separated)."""
    width = content_width(paper)

    def head(total: int, needed: int | None) -> list[Block]:
        text = (fill(t["frames_intro"], needed=needed, total=total) if needed is not None
                else fill(t["frames_intro_blocks"], total=total))
        return [text_block(text, width, size=ts.text, after=3 * mm)]

    probe = head(999, 999)  # the same height as the real one: the numbers are short
    frames = plan_frames(payload, kind, paper, reserve_of(probe) + 4 * mm, text_fallback,
                         progress, ahead)
    qr_texts.extend(frames.texts)
    pages = frame_pages(frames, t["frames_title"], head(frames.total, frames.needed), paper,
                        lang)
    if frames.fallback_lines:
        fb = template_blocks(t["fallback_intro"], width, ts.text)
        fb.extend(mono_lines(frames.fallback_lines, paper))
        pages.extend(paginate(fb, t["fallback_title"], paper))
    return pages


PHONE_PAGE_SIZE = 12.0
"""The page that anyone restoring with a phone reads has the room for 12 pt, as clear-print
guidance for older readers asks (docs/paper.md, "Type sizes")."""


def _phone_blocks(paper: Paper, lang: str, ts: TypeSizes) -> list[Block]:
    """How to restore with a phone, in plain words: what anyone can do without a computer. It
    ends the front page, which holds nothing else but what the paper is."""
    r = load_texts("restore", lang)
    width = content_width(paper)
    size = max(PHONE_PAGE_SIZE, ts.text)
    gap = 2.5 * mm if ts == REGULAR else 1.2 * mm  # large print keeps it on one page
    blocks = [heading(r["title"], paper, ts.section),
              text_block(r["phone_title"], width, font=BOLD, size=size, after=gap)]
    for step in r["phone_steps"]:
        blocks.append(text_block(step, width, size=size, after=gap))
    blocks.append(spacer(gap))
    blocks.append(text_block(r["phone_alone"], width, size=size, after=gap))
    return blocks


def _computer_blocks(paper: Paper, lang: str, ts: TypeSizes, sealed: bool = False,
                     software_note: str = "") -> list[Block]:
    """The restore steps for the helper with a computer (commands, checks), then where the
    check letters and codes are explained and where to get paper2fa: a section of the flow."""
    r = load_texts("restore", lang)
    width = content_width(paper)
    title = r["title"] if sealed else r["computer_title"]
    blocks = [heading(title, paper, ts.section, section=True, lang=lang)]
    blocks.extend(template_blocks(r["sealed_steps" if sealed else "computer_steps"], width,
                                  ts.text))
    if not sealed:
        blocks.append(text_block(r["details"], width, size=ts.text, after=1.2 * mm))
    blocks.append(spacer(1.5 * mm))
    blocks.extend(software_blocks(width, lang, software_note, size=ts.text))
    return blocks


def _checklist_section(paper: Paper, date: datetime, facts: Sequence[str], lang: str,
                       ts: TypeSizes) -> list[Block]:
    blocks, title = checklist_blocks(paper, date, facts, lang, sizes=ts)
    if blocks:  # its introduction never stands without a line to tick under it
        blocks[0].keep_with_next = True
        blocks[0].split = None
    return [spacer(4 * mm), heading(title, paper, ts.section, section=True, lang=lang),
            *blocks]


def render_home_safe(vault: Vault, *, date: datetime, generation: int, paper: Paper,
                     tag: str | None = None, facts: Sequence[str] = (),
                     text_fallback: bool = False, lang: str = "en",
                     self_check: bool = True, software_note: str = "",
                     large_print: bool = False,
                     progress: Progress = NO_PROGRESS) -> RenderedPdf:
    """The home-safe backup of `vault` (already filtered by tag) with its plaintext frames,
    self-checked unless `self_check` is off (benchmarks only). `progress` gets the stages
    "accounts laid out", "vault QR codes made", then render_document's.

    The front page (what the paper is, and how to restore with a phone, in plain words and
    alone); then one flow (the index, the accounts, each kept on one page, the restore steps
    for a helper with a computer, the checklist); then the frame pages, which start a new page
    (FORMAT.md section 4), and the optional text fallback. `facts` are the audit findings
    printed on the checklist; `software_note` the owner's line printed under where to get
    paper2fa; `large_print` sets running text at 14 pt instead of 10 (docs/paper.md, "Type
    sizes"). Returns the PDF and every QR text drawn, accounts first, then frames. The frames'
    codes are encoded by a second process meanwhile (`FramesAhead`).
    """
    payload = vault_to_paper(vault)
    uris = [build_otpauth(account) for account in vault.accounts]
    with FramesAhead(payload, "vault", uris) as ahead:
        return _render_home_safe(vault, payload, ahead, date=date, generation=generation,
                                 paper=paper, tag=tag, facts=facts, text_fallback=text_fallback,
                                 lang=lang, self_check=self_check, software_note=software_note,
                                 ts=type_sizes(large_print), progress=progress)


def _render_home_safe(vault: Vault, payload: bytes, ahead: FramesAhead, *, date: datetime,
                      generation: int, paper: Paper, tag: str | None, facts: Sequence[str],
                      text_fallback: bool, lang: str, self_check: bool, software_note: str,
                      ts: TypeSizes, progress: Progress) -> RenderedPdf:
    t = load_texts("home_safe", lang)
    width = content_width(paper)
    at = reference_time(date)
    values = {"date": day(date, lang), "count": len(vault), "fingerprint": vault.fingerprint,
              "generation": generation, "tag": shown(tag or "")}
    title = fill(t["title_tag"] if tag else t["title"], **values)
    qr_texts: list[str] = []
    size = max(PHONE_PAGE_SIZE, ts.text)  # the front page is for anyone: as the phone steps
    *about, facts_line = t["intro"]  # the count, fingerprint and generation open the index
    intro = template_blocks(about, width, size, **values)
    intro[0] = text_block(fill(about[0], **values), width, font=BOLD, size=size,
                          after=1.2 * mm)
    intro.append(spacer(4 * mm if ts == REGULAR else 1.5 * mm))
    page_of: dict[int, int] = {}
    accounts: list[Block] = []
    progress.start(len(vault), "accounts laid out")
    for account in vault.accounts:
        accounts.append(_account_block(account, t, paper, at, qr_texts, lang, ts))
        progress.advance()
    first_account: list[Block] = []
    if accounts:
        first_account = [spacer(4 * mm), heading(t["accounts_title"], paper, ts.section,
                                                 section=True, lang=lang)]
    index = [*template_blocks([facts_line], width, ts.text, **values), spacer(3 * mm),
             *_index_blocks(vault.accounts, page_of, t, paper, lang, ts)]
    index[0].new_page = "part"  # the front page before it stands alone
    index[0].section = Section(t["index_title"], fill(load_texts("common", lang)["continued"],
                                                      title=t["index_title"]))
    flow = [*intro, *_phone_blocks(paper, lang, ts), *index,
            *first_account, *accounts, spacer(2 * mm),
            *_computer_blocks(paper, lang, ts, software_note=software_note),
            *_checklist_section(paper, date, facts, lang, ts)]
    front = paginate(flow, title, paper)
    where = {id(inner): number for number, page in enumerate(front, start=1)
             for _, block in page.blocks for inner in block.blocks()}
    # an account cut over pages begins on the page of its first block (the QR code)
    page_of.update({n: where[id(block.inner[0])] for n, block in enumerate(accounts)})
    pages = [*front,
             *_frames_pages(payload, "vault", t, paper, text_fallback, qr_texts, lang, progress,
                            ts, ahead)]
    footer = sheet_footer("home_safe", lang, fingerprint=vault.fingerprint,
                          date=day(date, lang), generation=generation)
    return render_document(pages, paper, footer, t["doc_title"], qr_texts, creator=CREATOR,
                           self_check=self_check, sizes=ts, progress=progress)


def render_home_safe_sealed(sealed: bytes, *, count: int, fingerprint: str,
                            date: datetime, generation: int, paper: Paper,
                            facts: Sequence[str] = (), text_fallback: bool = False,
                            lang: str = "en", self_check: bool = True,
                            software_note: str = "", large_print: bool = False,
                            progress: Progress = NO_PROGRESS) -> RenderedPdf:
    """The passphrase copy: only the sealed vault's frames, no account names or secrets.

    One flow (what it is, a passphrase hint to write, restore instructions, checklist), then
    the frame pages and the optional text fallback; self-checked unless `self_check` is off.
    """
    ts = type_sizes(large_print)
    t = load_texts("home_safe", lang)
    width = content_width(paper)
    values = {"date": day(date, lang), "count": count, "fingerprint": fingerprint,
              "generation": generation}
    blocks = template_blocks(t["sealed_intro"], width, ts.text, **values)
    blocks.append(spacer(4 * mm))
    blocks.append(text_block(t["hint_label"], width, size=ts.text, after=2 * mm))
    blocks.extend(_write_lines(width, 2))
    blocks.append(spacer(4 * mm))
    blocks.extend(_computer_blocks(paper, lang, ts, sealed=True, software_note=software_note))
    blocks.extend(_checklist_section(paper, date, facts, lang, ts))
    qr_texts: list[str] = []
    pages = [*paginate(blocks, t["sealed_title"], paper),
             *_frames_pages(sealed, "sealed", t, paper, text_fallback, qr_texts, lang,
                            progress, ts)]
    footer = sheet_footer("home_safe", lang, fingerprint=fingerprint, date=day(date, lang),
                          generation=generation)
    return render_document(pages, paper, footer, t["doc_title"], qr_texts, creator=CREATOR,
                           self_check=self_check, sizes=ts, progress=progress)


def _write_lines(width: float, count: int) -> list[Block]:
    def draw(c: Canvas, x: float, y: float) -> None:
        c.setLineWidth(0.5)
        c.line(x, y - 8 * mm, x + width, y - 8 * mm)

    return [Block(9 * mm, draw) for _ in range(count)]
