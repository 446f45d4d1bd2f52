"""Small helpers every sheet renderer shares: dates, headings, template paragraphs, footers and
how names from data are shown."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from toolkit import __version__
from toolkit import constants as C
from toolkit.display import visible
from toolkit.model import Account
from toolkit.render.fonts import BOLD, MONO, printable
from toolkit.render.fonts import width as text_width
from toolkit.render.layout import Block, Footer, Paper, Section, content_width, text_block
from toolkit.render.wrap import ELLIPSIS
from toolkit.texts import fill, load_texts, long_date
from toolkit.uri import label_problem

CREATOR = f"paper2fa {__version__}"
"""The PDF's Creator field."""


def day(date: datetime, lang: str) -> str:
    """The printed date (its day in UTC) as `lang` writes it, with the ISO date beside it."""
    return long_date(date.astimezone(UTC).date(), lang)


def ignored_settings(account: Account, lang: str) -> list[str]:
    """The settings of `account` that Google and Microsoft Authenticator ignore, in `lang`
    (empty for the defaults they assume; the same cases as `uri.ignored_by_simple_apps`,
    which says them in English for the terminal: tests/test_languages.py keeps them alike)."""
    t = load_texts("common", lang)
    found = []
    if account.algorithm != C.DEFAULT_ALGORITHM:
        found.append(fill(t["ignored_algorithm"], algorithm=account.algorithm))
    if account.digits != C.DEFAULT_DIGITS:
        found.append(fill(t["ignored_digits"], digits=account.digits))
    if account.type == "totp" and account.period != C.DEFAULT_PERIOD:
        found.append(fill(t["ignored_period"], period=account.period))
    return found


def label_warning(account: Account, lang: str) -> str | None:
    """What some apps show when they scan this account's QR code, in `lang`, when it is not the
    account as it is (`uri.label_problem`: a colon in the names, no account name); else None."""
    problem = label_problem(account)
    if problem is None:
        return None
    return str(load_texts("common", lang)["label_problems"][problem.value])


def software_blocks(width: float, lang: str, note: str = "", size: float = 9.5) -> list[Block]:
    """Where to get paper2fa (name, version, free software, the offline stick, the package),
    and the owner's own line `note` when given (a name from data: shown visibly escaped)."""
    t = load_texts("common", lang)["software"]
    blocks = [text_block(fill(t["line"], version=__version__), width, size=size,
                         after=0.8 * mm)]
    if note:
        blocks.append(text_block(fill(t["note"], note=shown(note)), width, font=BOLD,
                                 size=size, after=0.8 * mm))
    return blocks


def reference_time(date: datetime) -> int:
    """The check codes' reference time: midnight UTC of the print date."""
    d = date.astimezone(UTC)
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())


def shown(name: str, limit: int | None = None) -> str:
    """A name from data as it is printed: hidden characters escaped visibly
    (toolkit.display.visible) and, past `limit` characters, cut with a visible …."""
    text = visible(name)
    if limit is not None and len(text) > limit:
        return text[: limit - 1].rstrip() + ELLIPSIS
    return text


def shown_lines(text: str) -> str:
    """Multi-line text from data (notes): each line through `shown`, line breaks kept."""
    return "\n".join(shown(line) for line in text.replace("\r\n", "\n").split("\n"))


def template_blocks(lines: Sequence[str] | str, width: float, size: float = 9.5,
                    **values: object) -> list[Block]:
    """A template text (a string or a list of paragraphs, "" = gap) as blocks."""
    items = [lines] if isinstance(lines, str) else list(lines)
    blocks = []
    for item in items:
        if not item.strip():
            blocks.append(Block(2 * mm, lambda c, x, y: None))
        else:
            blocks.append(text_block(fill(item, **values), width, size=size, after=1.2 * mm))
    return blocks


def heading(text: str, paper: Paper, size: float = 12.5, *, section: bool = False,
            lang: str = "en") -> Block:
    """A bold heading kept with what follows; with `section`, it starts a section: the pages
    from here on are titled after it ("… (continued)" after its first page)."""
    block = text_block(text, content_width(paper), font=BOLD, size=size, after=2 * mm)
    block.keep_with_next = True
    block.split = None
    if section:
        block.section = Section(text, fill(load_texts("common", lang)["continued"], title=text))
    return block


def sheet_footer(sheet: str, lang: str, *, fingerprint: str, date: str,
                 generation: int) -> Footer:
    """The footer of the printed backup's sheets: version, fingerprint, generation, date and
    page, and the scale bar with the sheet's note."""
    line = load_texts("common", lang)["footer"]

    def text(page: int, pages: int) -> str:
        return fill(line, version=__version__, fingerprint=fingerprint, generation=generation,
                    date=date, page=page, pages=pages)

    return Footer(text, load_texts(sheet, lang)["scale_bar"])


def mono_lines(lines: Sequence[str], paper: Paper, size: float = 8.5) -> list[Block]:
    """One block per line of monospaced text, kept verbatim (alignment spaces too) when it
    fits, wrapped when wider than the page."""
    width = content_width(paper)
    blocks = []
    for line in lines:
        shown_line = printable(line, MONO)
        if text_width(shown_line, MONO, size) > width:
            blocks.append(text_block(line, width, font=MONO, size=size, after=0.4 * mm))
            continue

        def draw(c: Canvas, x: float, y: float, text: str = shown_line) -> None:
            c.setFont(MONO, size)
            c.drawString(x, y - size, text)

        blocks.append(Block(size * 1.3 + 0.4 * mm, draw))
    return blocks


__all__ = ["BOLD", "CREATOR", "day", "heading", "ignored_settings",
           "label_warning", "mono_lines", "reference_time", "sheet_footer", "shown",
           "shown_lines", "software_blocks", "template_blocks"]
