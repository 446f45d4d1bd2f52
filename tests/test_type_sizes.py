"""Type sizes of the split bundle, measured in the PDFs (tests/pdf_type.py) in every language on
A4 and Letter (issue 19; docs/paper.md, "Type sizes"): running text on the holder sheets and
the cover letter (with its checklist) is at least 10 pt (14 pt with --large-print); only fine
print that is no instruction is smaller, never under 6 pt; the share's words are as large as
before; and no block a reader needs whole is split across pages: the words (heading,
introduction and all 37 in their grid), a heading and what it introduces, the lines to sign.

Fine print is told apart by where it is and what it says, not by its size:
- the page's head line (the page title, 11 pt, 14 in large print, above the header rule)
  and foot (version, fingerprint, page number and the scale bar's note, below the footer
  rule; layout.py);
- the labels under the frame QR codes ("frame 3 of 6", common.toml frame_label);
- on a holder sheet, the set line in the strip at the top of every page (set id, generation,
  date, fingerprint: a reference, read by no one who follows the sheet), and nothing else.
The share's words have their own rule (as large as before, 12.5 pt bold capitals where they
fit three columns), also in large print.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pdf_type import PageType, Run, page_types
from reportlab.lib.units import mm

from toolkit import envelope
from toolkit.audit import audit_vault
from toolkit.demo import demo_vault
from toolkit.model import vault_to_json
from toolkit.render.checklist import audit_facts
from toolkit.render.common import day
from toolkit.render.fonts import BOLD, register_fonts
from toolkit.render.fonts import width as text_width
from toolkit.render.layout import FOOTER, HEADER, MARGIN, PAPERS, RenderedPdf, content_width
from toolkit.render.sizes import LARGE_PRINT, REGULAR, TypeSizes
from toolkit.render.split import COVER_NAME, render_split
from toolkit.sharing import SplitResult, make_split
from toolkit.texts import fill, languages, load_texts

DATE = datetime(2026, 1, 1, tzinfo=UTC)
SEED = 19
"""The split's own random bytes (set id, key) come from this seed; the share polynomial's from
pyshamir (so the words differ run to run: the checks hold for any words)."""
EVERY_BUNDLE = [(lang, paper, large) for large in (False, True) for lang in languages()
                for paper in ("a4", "letter")]
"""Every language on both papers, in regular and in large print."""
HOLDERS = ["Ann", "Jürgen Weiß", "Anaïs Dubœuf de la Fontaine-Lefebvre"]
"""The third name takes two lines at the top of its sheet: the tallest strip."""


@cache
def the_split() -> SplitResult:
    rng = random.Random(SEED)
    return make_split(demo_vault(), 2, 3, HOLDERS, passphrase="pass phrase",
                      rng=rng.randbytes, now=DATE,
                      kdf=envelope.KDF_PROFILES["test"])


@cache
def bundle(lang: str, paper: str, large_print: bool = False) -> dict[str, RenderedPdf]:
    """The holder sheets and cover of the split (not read back: this file is about type),
    with a passphrase note, owner and contact: the fullest first pages."""
    return render_split(the_split(), date=DATE, paper=paper,
                        facts=audit_facts(audit_vault(demo_vault()), lang=lang), lang=lang,
                        owner="Alice Example", contact="Bob Example, +44 20 7946 0000",
                        self_check=False, large_print=large_print)


@cache
def measured(lang: str, paper: str, large_print: bool = False) -> dict[str, list[PageType]]:
    return {name: page_types(sheet.pdf)
            for name, sheet in bundle(lang, paper, large_print).items()}


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def set_line(lang: str) -> str:
    header = the_split().header
    return fill(load_texts("share_sheet", lang)["set_line"], set_id=header.set_id_text,
                generation=header.generation,
                date=day(DATE, lang),
                fingerprint=header.fingerprint_text)


def frame_labels(lang: str, total: int = 99) -> set[str]:
    label = load_texts("common", lang)["frame_label"]
    return {fill(label, number=n, total=t) for t in range(1, total + 1)
            for n in range(1, t + 1)}


def page_band(run: Run, page: PageType) -> str | None:
    """'head' above the header rule, 'foot' below the footer rule (layout.py), else None."""
    if run.bottom >= page.height - MARGIN - HEADER + 2 * mm - 0.5:
        return "head"
    if run.top <= MARGIN + FOOTER - 3 * mm + 0.5:
        return "foot"
    return None


def check_sizes(lang: str, paper: str, sizes: TypeSizes) -> list[str]:
    """What breaks the rules in the bundle, as readable lines (empty: none)."""
    return problems_in(measured(lang, paper, sizes.large_print), lang, sizes)


def problems_in(bundle_pages: dict[str, list[PageType]], lang: str,
                sizes: TypeSizes) -> list[str]:
    """What breaks the rules in a bundle of the_split() meant to have `sizes`."""
    problems = []
    labels = frame_labels(lang)
    words = {word.upper() for share in the_split().shares for word in share.words()}
    for name, pages in bundle_pages.items():
        holder = name != COVER_NAME
        for page in pages:
            small: list[Run] = []
            for run in page.runs:
                where = f"{name} p{page.number + 1} {run.size} pt {run.text[:50]!r}"
                if run.size < 6:
                    problems.append(f"under 6 pt: {where}")
                band = page_band(run, page)
                if band == "head" and run.size < REGULAR.text:
                    problems.append(f"page title under {REGULAR.text} pt: {where}")
                if band is not None or run.text in labels or (
                        holder and re.sub(r"^\d+\.\s*", "", run.text) in words):
                    continue  # the words: test_all_the_words_are_on_one_page_...
                if run.size < sizes.text:
                    small.append(run)
            # fine print in the body: the set line of a holder sheet's strip, and only it
            found = squeezed("".join(run.text for run in small))
            expected = squeezed(set_line(lang)) if holder else ""
            if found != expected or any(run.size != sizes.small for run in small):
                problems.append(f"{name} p{page.number + 1}: text under {sizes.text} pt "
                                f"other than the set line: "
                                f"{[(run.size, run.text) for run in small]}")
    return problems


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("lang", languages())
def test_running_text_is_at_least_10_pt_and_fine_print_at_least_6(lang: str,
                                                                   paper: str) -> None:
    assert check_sizes(lang, paper, REGULAR) == []


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_large_print_sets_running_text_at_14_pt(paper: str) -> None:
    assert check_sizes("de", paper, LARGE_PRINT) == []


def test_the_check_sees_small_type(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules catch what they are for: the bundle drawn with the sizes of before (running
    text 8 pt) and fine print at 5 pt breaks them, on every sheet."""
    import toolkit.render.split as split_module

    before = replace(REGULAR, text=8, small=5)
    monkeypatch.setattr(split_module, "type_sizes", lambda large_print: before)
    pdfs = render_split(the_split(), date=DATE, paper="a4", self_check=False)
    found = problems_in({name: page_types(sheet.pdf) for name, sheet in pdfs.items()}, "en",
                        REGULAR)
    for name in pdfs:
        assert any(line.startswith(f"{name} p1: text under 10 pt") for line in found), name
        if name != COVER_NAME:
            assert any(line.startswith("under 6 pt") and name in line for line in found), name


def size_before(words: list[str], paper: str) -> float:
    """The size the words had before issue 19's sizes (12.5 pt bold capitals, 0.5 pt smaller
    at a time down to 10.5 pt while the longest would leave less than an 18 mm box in one of
    three columns): the words may not be smaller now."""
    register_fonts()
    width = content_width(PAPERS[paper])
    longest = max(words, key=lambda w: text_width(w, BOLD, 12.5))
    size = 12.5
    while size > 10.5 and width / 3 - 9 * mm - text_width(longest, BOLD, size) - 3 * mm < 18 * mm:
        size -= 0.5
    return size


def words_page(pages: list[PageType], words: list[str]) -> tuple[int, dict[int, float]]:
    """The page the words are on, and each word's size by its number (1-based)."""
    for page in pages:
        found: dict[int, float] = {}
        for run in page.runs:
            text = re.sub(r"^\d+\.\s*", "", run.text)
            for number, word in enumerate(words, start=1):
                if text == word and number not in found:
                    found[number] = run.size
                    break
        if found:
            return page.number, found
    raise AssertionError("no page holds the words")


@pytest.mark.parametrize(("lang", "paper", "large_print"), EVERY_BUNDLE)
def test_all_the_words_are_on_one_page_as_large_as_before(lang: str, paper: str,
                                                          large_print: bool) -> None:
    """Every word of the share, numbered, on one page with its heading (or, in large print
    under a tall strip, the heading and introduction at the foot of the page before), in type
    at least as large as before (and in large print never smaller than in regular print)."""
    title = load_texts("share_sheet", lang)["words_title"]
    names = [name for name in bundle(lang, paper, large_print) if name != COVER_NAME]
    for name, share in zip(names, the_split().shares, strict=True):
        words = [word.upper() for word in share.words()]
        pages = measured(lang, paper, large_print)[name]
        number, sizes = words_page(pages, words)
        assert sorted(sizes) == list(range(1, len(words) + 1)), (name, sorted(sizes))
        assert min(sizes.values()) >= size_before(words, paper), (name, sizes)
        here = squeezed(" ".join(run.text for run in pages[number].runs))
        before = squeezed(" ".join(run.text for run in pages[number - 1].runs))
        assert squeezed(title) in here or (large_print and squeezed(title) in before), name


def around(pages: list[PageType], text: str) -> tuple[list[Run], list[Run]]:
    """The body runs above and below the first line of `text` (a heading) on its page."""
    for page in pages:
        body = [run for run in page.runs if page_band(run, page) is None]
        for n, run in enumerate(body):
            if squeezed(run.text) and squeezed(text).startswith(squeezed(run.text)):
                return body[:n], body[n + 1:]
    raise AssertionError(f"no page holds {text!r}")


@pytest.mark.parametrize(("lang", "paper", "large_print"), EVERY_BUNDLE)
def test_no_heading_stands_alone_and_the_lines_to_sign_stay_together(
        lang: str, paper: str, large_print: bool) -> None:
    """On every holder sheet the instructions' heading has text under it on its page; on the
    cover, each heading too, and the lines to sign stand with where each sheet is kept and
    the last finding of the audit (never alone on a page)."""
    share_t = load_texts("share_sheet", lang)
    check = load_texts("checklist", lang)
    cover_t = load_texts("cover", lang)
    for name, pages in measured(lang, paper, large_print).items():
        if name == COVER_NAME:
            headings = [cover_t["table_title"], cover_t["steps_title"], check["title"],
                        check["facts_title"], check["stored_title"]]
        else:
            headings = [share_t["instructions_title"], share_t["words_title"]]
        for text in headings:
            _, below = around(pages, text)
            assert below, (name, text)
        if name == COVER_NAME:
            above, below = around(pages, check["stored_title"])
            texts = [run.text for run in below]
            assert check["date_label"] in texts and check["sign_label"] in texts, texts
            assert above, "where each sheet is kept starts a page alone"


def test_split_large_print_reaches_every_sheet(cli: Any, tmp_path: Path) -> None:
    """`paper2fa split --large-print`: the bulk of every holder sheet's and the cover's text
    is 14 pt (10 pt without it)."""
    vault = tmp_path / "vault.json"
    vault.write_bytes(vault_to_json(demo_vault()))
    for option, size in (([], REGULAR.text), (["--large-print"], LARGE_PRINT.text)):
        out = tmp_path / f"sheets{size}"
        result = cli("split", vault, "-k", "2", "-n", "2", "-o", out, "--no-self-check",
                     *option)
        assert result.code == 0, result.err
        for pdf in sorted(out.glob("*.pdf")):
            sizes = Counter(run.size for page in page_types(pdf.read_bytes())
                            for run in page.runs if page_band(run, page) is None)
            assert sizes.most_common(1)[0][0] == size, (pdf.name, sizes)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_large_print_stays_inside_the_page_and_its_boxes(paper: str) -> None:
    """In large print (German, the longest texts) no letter leaves the margins, sits on
    another or is cut by a box (the plain sheets: tests/test_languages.py)."""
    from test_render import char_boxes_outside, chars_cut_by_boxes, overlapping_chars

    for name, sheet in bundle("de", paper, True).items():
        assert char_boxes_outside(sheet.pdf, MARGIN) == [], name
        assert overlapping_chars(sheet.pdf) == [], name
        assert chars_cut_by_boxes(sheet.pdf) == [], name
        assert all(page.used <= page.height + 0.01 for page in sheet.fill), name
