"""No page is mostly empty unless a flow ends on it (the next part must start a new page: the
frame pages of FORMAT.md section 4): measured from the layout engine's own record of the height
each page uses (RenderedPdf.fill), which is checked against the ink on the rasterized pages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pypdfium2
import pytest
from benchmarks.paper import vault_of
from reportlab.lib.units import mm

from toolkit import envelope
from toolkit.audit import audit_vault, move_order
from toolkit.demo import demo_vault
from toolkit.model import Vault
from toolkit.render.checklist import audit_facts
from toolkit.render.home_safe import render_home_safe, render_home_safe_sealed
from toolkit.render.layout import (
    FOOTER,
    HEADER,
    MARGIN,
    MOSTLY_EMPTY,
    PAPERS,
    PageFill,
    RenderedPdf,
)
from toolkit.render.reenroll import render_reenroll
from toolkit.render.split import COVER_NAME, render_split
from toolkit.sharing import make_split

DATE = datetime(2026, 1, 1, tzinfo=UTC)


def mostly_empty(fill: tuple[PageFill, ...]) -> list[tuple[int, str, float]]:
    """Pages under MOSTLY_EMPTY that neither end a flow nor have a fixed layout."""
    return [(n, page.title, round(page.share, 2)) for n, page in enumerate(fill, start=1)
            if page.share < MOSTLY_EMPTY and not page.ends_section and not page.fixed]


def flows(fill: tuple[PageFill, ...]) -> int:
    """How many flowed parts the document has (each ends on a page marked as its end)."""
    return sum(1 for page in fill if page.ends_section and not page.fixed)


def sheets(vault: Vault, paper: str) -> dict[str, tuple[RenderedPdf, int]]:
    """Every kind of sheet for `vault`, not read back (this test is about the layout), with the
    number of flowed parts each must have."""
    facts = audit_facts(audit_vault(vault))
    on = PAPERS[paper]
    sealed = envelope.seal_with_passphrase(vault, "pass phrase", now=DATE,
                                           kdf=envelope.KDF_PROFILES["test"])
    split = make_split(vault, 3, 5, ["Ann", "Ben", "Cat", "Dan", "Eve"], now=DATE,
                       kdf=envelope.KDF_PROFILES["test"])
    split_sheets = render_split(split, date=DATE, paper=on, facts=facts, text_fallback=True,
                                self_check=False)
    return {
        # the front page (how to restore with a phone) stands alone: a part of its own
        "home-safe": (render_home_safe(vault, date=DATE, generation=1, paper=on, facts=facts,
                                       self_check=False), 2),
        "home-safe with text": (render_home_safe(vault, date=DATE, generation=1, paper=on,
                                                 facts=facts, text_fallback=True,
                                                 self_check=False), 3),
        "passphrase copy": (render_home_safe_sealed(
            sealed.to_bytes(), count=len(vault), fingerprint=vault.fingerprint, date=DATE,
            generation=1, paper=on, facts=facts, self_check=False), 1),
        "holder sheet": (split_sheets["share-1-of-5-Ann.pdf"], 2),
        "cover": (split_sheets[COVER_NAME], 1),
        "re-enrolment": (render_reenroll(move_order(vault.accounts),
                                         fingerprint=vault.fingerprint, day=date(2026, 1, 1),
                                         paper=on, self_check=False), 1),
    }


@pytest.mark.parametrize("count", [10, 40, 200])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_no_page_is_mostly_empty_unless_a_section_ends_there(count: int, paper: str) -> None:
    for name, (sheet, parts) in sheets(vault_of(count), paper).items():
        assert len(sheet.fill) == sheet.pages, name
        assert mostly_empty(sheet.fill) == [], f"{name}, {count} accounts, {paper}"
        assert flows(sheet.fill) == parts, f"{name}: {flows(sheet.fill)} flowed parts"


def test_the_check_sees_a_mostly_empty_page() -> None:
    """The pages of the home-safe backup before it flowed: the index alone on its page, each
    section on its own pages. The same record flags them."""
    fill = (PageFill("Two-factor backup", 0.9, 1.0, False, False),
            PageFill("Accounts by issuer (continued)", 0.15, 1.0, False, False),
            PageFill("Accounts", 0.95, 1.0, False, False),
            PageFill("Accounts (continued)", 0.2, 1.0, True, False),
            PageFill("The whole vault in QR codes", 0.3, 1.0, True, True))
    assert mostly_empty(fill) == [(2, "Accounts by issuer (continued)", 0.15)]
    assert flows(fill) == 1


def ink_bottom(pdf: bytes, number: int, dpi: int = 72) -> float:
    """Distance in points from the top of the page body to its lowest dark pixel (header and
    footer left out)."""
    doc = pypdfium2.PdfDocument(pdf)
    try:
        image = doc[number].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        doc.close()
    scale = dpi / 72
    top = round((MARGIN + HEADER) * scale)
    bottom = round(image.height - (MARGIN + FOOTER) * scale)
    dark = image.crop((0, top, image.width, bottom)).point(lambda v: 255 if v < 128 else 0)
    box = dark.getbbox()
    return box[3] / scale if box else 0.0


@pytest.fixture(scope="module")
def demo_sheets() -> dict[str, tuple[RenderedPdf, int]]:
    return sheets(demo_vault(), "a4")


@pytest.mark.parametrize("name", ["home-safe", "holder sheet", "cover"])
def test_the_record_matches_the_ink(demo_sheets: Any, name: str) -> None:
    """The used height the engine records is where the ink ends on the page (blocks end with
    a little space below their last line)."""
    sheet, _ = demo_sheets[name]
    for number, page in enumerate(sheet.fill):
        ink = ink_bottom(sheet.pdf, number)
        assert page.used - 8 * mm <= ink <= page.used + 1, (name, number + 1, ink, page.used)


@pytest.mark.parametrize("intro", [True, False])
@pytest.mark.parametrize("lines", [1, 3, 4, 40, 52, 53, 54, 55, 59, 200, 1000])
def test_any_paragraph_flows_whole_and_in_order(lines: int, intro: bool) -> None:
    """A paragraph of any length (one line per number) lands on pages in order, no line lost or
    repeated, no page overfull, and pages before the last well filled."""
    from toolkit.render.layout import content_height, paginate, text_block

    paper = PAPERS["a4"]
    before = text_block("intro " * 40, 400)
    paragraph = text_block("\n".join(f"line {n}" for n in range(lines)), 400, size=10)
    pages = paginate([before, paragraph] if intro else [paragraph], "title", paper)
    drawn: list[str] = []

    class Recorder:
        def setFont(self, *args: Any) -> None:
            pass

        def drawString(self, x: float, y: float, text: str) -> None:
            drawn.append(text)

    for page in pages:
        assert page.used <= content_height(paper) + 0.01
        for _, block in page.blocks[1 if intro and page is pages[0] else 0:]:
            block.draw(Recorder(), 0, 0)  # type: ignore[arg-type]
    assert drawn == [f"line {n}" for n in range(lines)]
    assert all(page.used > content_height(paper) * 0.9 for page in pages[:-1])
