"""The home-safe backup and the re-enrolment sheet as their readers get them (issue 19), measured
from the PDFs with tests/pdf_type.py: no account is cut over two pages (one taller than a page
goes on under its title repeated), pages are filled before new ones are started, and the text a
reader must follow is large enough (docs/paper.md, "Type sizes"), in every language on A4 and
Letter, in regular and large print. The demo vault is rendered once per sheet, language, paper
and size, not read back (the layout is what is tested here; test_render reads back)."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pdf_type import PageType, Run, page_types
from reportlab.lib.units import mm

from toolkit.audit import audit_vault, move_order
from toolkit.demo import demo_vault
from toolkit.model import Account, Vault, vault_to_json
from toolkit.render.checklist import audit_facts
from toolkit.render.common import day, ignored_settings, label_warning
from toolkit.render.home_safe import PHONE_PAGE_SIZE, render_home_safe
from toolkit.render.layout import (
    FOOTER,
    HEADER,
    MARGIN,
    PAPERS,
    Block,
    Footer,
    RenderedPdf,
    content_height,
    keep_together,
    paginate,
    render_document,
    spacer,
    text_block,
)
from toolkit.render.reenroll import render_reenroll
from toolkit.render.sizes import type_sizes
from toolkit.texts import fill, languages, load_texts

DATE = datetime(2026, 1, 1, tzinfo=UTC)
PAPER_SIZES = ["a4", "letter"]
LEAST_FILL = 0.6
"""A page that neither ends a flow nor stands alone is filled at least this much (regular)."""
LEAST_FILL_LARGE = 0.45
"""In large print an account takes up to half a page and is never cut: more room is left."""
CASES = [(lang, paper, large) for large in (False, True) for lang in languages()
         for paper in PAPER_SIZES]


def squeezed(text: str) -> str:
    return " ".join(text.split())


@functools.cache
def home(lang: str, paper: str, large: bool) -> tuple[RenderedPdf, tuple[PageType, ...]]:
    vault = demo_vault()
    rendered = render_home_safe(vault, date=DATE, generation=1, paper=PAPERS[paper],
                                facts=audit_facts(audit_vault(vault), lang=lang), lang=lang,
                                large_print=large, self_check=False)
    return rendered, tuple(page_types(rendered.pdf))


@functools.cache
def reenroll(lang: str, paper: str, large: bool) -> tuple[RenderedPdf, tuple[PageType, ...]]:
    vault = demo_vault()
    rendered = render_reenroll(move_order(vault.accounts), fingerprint=vault.fingerprint,
                               day=DATE.date(), paper=PAPERS[paper], lang=lang,
                               large_print=large, self_check=False)
    return rendered, tuple(page_types(rendered.pdf))


def body_runs(page: PageType) -> list[Run]:
    """The runs between the page title and the footer."""
    top = page.height - MARGIN - HEADER
    return [run for run in page.runs if MARGIN + FOOTER < run.baseline < top]


def account_pages(pages: Sequence[PageType], accounts: Sequence[Account], title_size: float,
                  end: str, no_issuer: str) -> list[tuple[Account, list[int], list[Run]]]:
    """Each account with the pages its block's text is on (from its title to the next
    account's title, or to the heading `end` after the last) and the first run of each page."""
    runs = [(page.number, run) for page in pages for run in body_runs(page)]
    titles = [(account.issuer or no_issuer) for account in accounts]
    starts = []
    at = 0
    for title in titles:
        while not (abs(runs[at][1].size - title_size) < 0.05 and runs[at][1].text == title):
            at += 1
        starts.append(at)
    finish = next(i for i in range(starts[-1], len(runs)) if runs[i][1].text == end)
    found = []
    for n, account in enumerate(accounts):
        segment = runs[starts[n]:starts[n + 1] if n + 1 < len(accounts) else finish]
        numbers = sorted({number for number, _ in segment})
        firsts = [next(run for number, run in segment if number == page) for page in numbers]
        found.append((account, numbers, firsts))
    return found


# --- nothing separated from its account ----------------------------------------------------


@pytest.mark.parametrize(("lang", "paper", "large"), CASES)
def test_no_account_is_cut_over_two_pages(lang: str, paper: str, large: bool) -> None:
    """Every account's block (title, QR code, secret lines, check line, settings, recovery
    codes, other methods, notes, tags) is on one page: its title's page holds its last line."""
    _, pages = home(lang, paper, large)
    t = load_texts("home_safe", lang)
    ts = type_sizes(large)
    end = load_texts("restore", lang)["computer_title"]
    found = account_pages(pages, demo_vault().accounts, ts.heading, end, t["no_issuer"])
    assert len(found) == len(demo_vault())
    for account, numbers, _ in found:
        assert len(numbers) == 1, f"{account.issuer} on pages {[n + 1 for n in numbers]}"


def test_an_account_taller_than_a_page_goes_on_under_its_title() -> None:
    """Notes and recovery codes longer than a page: the block starts where there is room for
    its QR code and goes on over the next pages, each starting with "<issuer>, continued";
    nothing is lost or repeated, and the next account starts after it."""
    notes = "\n".join(f"Note line {n:03d}: where the spare key is kept." for n in range(160))
    codes = tuple(f"code-{n:04d}" for n in range(120))
    long = Account(issuer="Example Bank", name="alice", secret=b"0123456789abcdef0123",
                   notes=notes, recovery_codes=codes)
    after = Account(issuer="Zeta Mail", name="bob", secret=b"abcdefghij0123456789")
    vault = Vault((long, after))
    for lang in ("en", "de"):
        rendered = render_home_safe(vault, date=DATE, generation=1, paper=PAPERS["a4"],
                                    lang=lang, self_check=False)
        pages = page_types(rendered.pdf)
        t = load_texts("home_safe", lang)
        end = load_texts("restore", lang)["computer_title"]
        (_, numbers, firsts), (_, after_pages, _) = account_pages(
            pages, vault.accounts, type_sizes(False).heading, end, t["no_issuer"])
        continued = fill(t["account_continued"], title="Example Bank")
        assert len(numbers) >= 3, numbers
        assert numbers == list(range(numbers[0], numbers[-1] + 1))
        assert [run.text for run in firsts[1:]] == [continued] * (len(numbers) - 1)
        text = [run.text for page in pages for run in body_runs(page)]
        for n in range(160):
            assert sum(f"Note line {n:03d}" in line for line in text) == 1, n
        shown = " ".join(text)
        assert all(shown.count(code) == 1 for code in codes)
        assert after_pages[0] >= numbers[-1]


def test_keep_together_moves_whole_and_cuts_only_what_is_taller_than_a_page() -> None:
    """The engine alone: a kept block that does not fit moves to the next page; one taller
    than a page is cut where the page ends, the rest under its continued title."""
    paper = PAPERS["a4"]
    page = content_height(paper)

    def box(height: float) -> Block:
        return Block(height, lambda c, x, y: None)

    def title() -> Block:
        return text_block("Title, continued", 100 * mm, size=12)

    kept = keep_together([box(page * 0.2), box(page * 0.2)], title)
    pages = paginate([box(page * 0.7), kept], "t", paper)
    assert [len(p.blocks) for p in pages] == [1, 1]
    assert pages[1].blocks[0][1] is kept
    inside = [box(page * 0.3)] + [box(page * 0.1) for _ in range(20)]
    tall = keep_together(inside, title)
    pages = paginate([box(page * 0.5), tall, box(page * 0.1)], "t", paper)
    assert len(pages) == 4
    assert pages[0].used <= page and pages[0].used > 0.95 * page  # cut where the page ends
    assert all(p.blocks[0][1].inner[0].height == title().height for p in pages[1:3])
    drawn = [id(b) for p in pages for _, block in p.blocks for b in block.blocks()]
    assert all(drawn.count(id(b)) == 1 for b in inside)  # nothing lost, nothing twice
    assert [id(b) for b in inside] == [i for i in drawn if i in {id(b) for b in inside}]
    with pytest.raises(ValueError):
        keep_together([], title)
    # a kept block whose first part does not fit waits for the next page rather than leave
    # its title alone at the foot
    first = keep_together([spacer(page * 0.3), *[box(page * 0.1) for _ in range(12)]], title)
    pages = paginate([box(page * 0.8), first], "t", paper)
    assert len(pages[0].blocks) == 1


# --- pages filled before new ones are started ----------------------------------------------


def stands_alone_note(lang: str) -> tuple[str, ...]:
    """What a page that is part empty on purpose says about it."""
    restore = load_texts("restore", lang)
    home_safe = load_texts("home_safe", lang)
    apart = squeezed(home_safe["frames_intro"]).rsplit(". ", 1)[-1]
    return squeezed(restore["phone_alone"]), apart


@pytest.mark.parametrize(("lang", "paper", "large"), CASES)
def test_pages_are_filled_before_new_ones_are_started(lang: str, paper: str,
                                                      large: bool) -> None:
    """Every page but the last of each part is well filled (the engine's record of the height
    used, checked against the ink by test_page_fill); a part that ends early ends where the next
    one must start a new page, and the front page and the frame pages say that they stand alone
    on purpose."""
    least = LEAST_FILL_LARGE if large else LEAST_FILL
    for rendered, pages in (home(lang, paper, large), reenroll(lang, paper, large)):
        for number, (fill_, page) in enumerate(zip(rendered.fill, pages, strict=True)):
            if number == 0 or fill_.ends_section:
                continue
            assert fill_.share >= least, (number + 1, fill_.title, round(fill_.share, 2))
            # the text itself reaches that far down (a QR code may end a little lower)
            top = page.height - MARGIN - HEADER
            depth = (top - min(run.bottom for run in body_runs(page))) / fill_.height
            assert depth >= least - 0.15, (number + 1, fill_.title, round(depth, 2))
    rendered, pages = home(lang, paper, large)
    phone, apart = stands_alone_note(lang)
    front = next(n for n, page in enumerate(rendered.fill) if page.ends_section)
    assert front == 0 or (large and front == 1)  # in large print German needs a second page
    assert phone in squeezed(" ".join(run.text for page in pages[:front + 1]
                                      for run in page.runs))
    for fill_, page in zip(rendered.fill, pages, strict=True):
        if fill_.fixed:
            assert apart in squeezed(" ".join(run.text for run in page.runs))


@pytest.mark.parametrize("paper", PAPER_SIZES)
@pytest.mark.parametrize("lang", languages())
def test_the_re_enrolment_sheet_fills_its_pages(lang: str, paper: str) -> None:
    """The demo's 12 accounts on 4 pages (5 before: three codes to a page, two on page one, one
    on the last): page one filled under the steps, no page left with one account."""
    rendered, pages = reenroll(lang, paper, False)
    assert rendered.pages == 4
    assert rendered.fill[0].share > 0.8
    assert min(page.share for page in rendered.fill) > 0.65
    number = load_texts("reenroll", lang)["number"]
    per_page = [sum(run.text == fill(number, number=n, count=12) for run in page.runs
                    for n in range(1, 13)) for page in pages]
    assert sum(per_page) == 12 and min(per_page) >= 2, per_page


# --- type sizes ----------------------------------------------------------------------------


def instructions_home(lang: str) -> list[str]:
    """Every text of the home-safe backup that tells its reader what to do or what it is."""
    t = load_texts("home_safe", lang)
    restore = load_texts("restore", lang)
    common = load_texts("common", lang)
    checklist = load_texts("checklist", lang)
    vault = demo_vault()
    texts = [t["warn_steam"], t["warn_hotp"], t["secret_label"], t["frames_intro"],
             t["frames_intro_blocks"], t["no_qr"], t["recovery_title"],
             *[x for x in restore["computer_steps"] if x], restore["details"],
             common["software"]["line"], checklist["intro"],
             *[fill(item, date=day(DATE, lang)) for item in checklist["items"]],
             checklist["date_label"], checklist["sign_label"]]
    for account in vault.accounts:
        problems = ignored_settings(account, lang)
        if problems:
            texts.append(fill(t["warn_simple_apps"], what=", ".join(problems)))
        label = label_warning(account, lang)
        if label is not None:
            texts.append(label)
    return [squeezed(text) for text in texts]


def front_page_texts(lang: str) -> list[str]:
    restore = load_texts("restore", lang)
    return [squeezed(text) for text in
            (restore["phone_title"], *restore["phone_steps"], restore["phone_alone"])]


def instructions_reenroll(lang: str) -> list[str]:
    t = load_texts("reenroll", lang)
    texts = [t["warning"], *t["steps"], t["tick"], t["note_steam"], t["note_hotp"],
             load_texts("common", lang)["software"]["line"]]
    return [squeezed(text) for text in texts]


def runs_of(pages: Sequence[PageType], texts: Sequence[str]) -> list[Run]:
    """The runs that are part of one of `texts` (a run of at least two words, so that a
    short word of data is not taken for a piece of an instruction)."""
    return [run for page in pages for run in page.runs
            if len(run.text.split()) >= 2
            and any(squeezed(run.text) in text for text in texts)]


def fine_print_only(pages: Sequence[PageType], footer_texts: Sequence[str],
                    lang: str) -> list[Run]:
    """Runs under 8 pt that are not fine print: only the footer line, the numbers of the
    secret lines, the labels under the vault's codes ("frame 1 of 5") and the scale bar's
    "50 mm" may be that small."""
    label = load_texts("common", lang)["frame_label"].split("{")[0]
    return [run for page in pages for run in page.runs
            if run.size < 8 and not run.text.isdigit() and run.text != "50 mm"
            and not run.text.startswith(label)
            and not any(squeezed(run.text) in text for text in footer_texts)]


@pytest.mark.parametrize(("lang", "paper", "large"), CASES)
def test_running_text_is_large_enough(lang: str, paper: str, large: bool) -> None:
    """Instructions at 10 pt at least (14 in large print), the front page at 12 (14), fine
    print under 8 pt only where it instructs no one, and nothing under 6 pt."""
    ts = type_sizes(large)
    _, pages = home(lang, paper, large)
    footers = [squeezed(run.text) for page in pages for run in page.runs
               if run.baseline < MARGIN + FOOTER - 5 * mm and run.size == 7]
    followed = runs_of(pages, instructions_home(lang))
    assert len(followed) > 40
    assert min(run.size for run in followed) >= ts.text, [
        (run.page + 1, run.size, run.text) for run in followed if run.size < ts.text][:5]
    front = runs_of(pages[:2], front_page_texts(lang))
    assert len(front) > 10 and min(run.size for run in front) >= max(PHONE_PAGE_SIZE, ts.text)
    assert fine_print_only(pages, footers, lang) == []
    assert min(run.size for page in pages for run in page.runs) >= 6
    _, sheet = reenroll(lang, paper, large)
    followed = runs_of(sheet, instructions_reenroll(lang))
    assert len(followed) > 12 and min(run.size for run in followed) >= ts.text
    footers = [squeezed(run.text) for page in sheet for run in page.runs
               if run.baseline < MARGIN + FOOTER - 5 * mm]
    assert fine_print_only(sheet, footers, lang) == []


def checklist_runs(rendered: RenderedPdf, pages: Sequence[PageType], lang: str) -> list[Run]:
    """The body runs of the home-safe backup's checklist: from its title to the end of the
    flow (the frame pages follow, laid out by their own rule)."""
    title = load_texts("checklist", lang)["title"]
    found: list[Run] = []
    for fill_, page in zip(rendered.fill, pages, strict=True):
        if fill_.fixed:
            break
        body = body_runs(page)
        starts = [n for n, run in enumerate(body) if run.text == title]
        if found or starts:
            found.extend(body[0 if found else starts[0]:])
    return found


@pytest.mark.parametrize(("lang", "paper", "large"), CASES)
def test_the_home_safe_checklist_is_set_like_the_rest(lang: str, paper: str,
                                                      large: bool) -> None:
    """The checklist inside the home-safe backup takes the backup's sizes (`print
    --large-print` reaches it): its lines to tick and its findings at `text` size."""
    ts = type_sizes(large)
    rendered, pages = home(lang, paper, large)
    check = load_texts("checklist", lang)
    runs = checklist_runs(rendered, pages, lang)
    items = [squeezed(fill(item, date=day(DATE, lang))) for item in check["items"]]
    facts = [squeezed(fact) for fact in audit_facts(audit_vault(demo_vault()), lang=lang)]
    for texts in (items, facts):
        ticked = [run for run in runs if len(run.text.split()) >= 2
                  and any(squeezed(run.text) in text for text in texts)]
        assert len(ticked) >= len(texts), [run.text for run in runs][:8]
        assert {run.size for run in ticked} == {ts.text}
    labels = [run for run in runs if run.text in (check["date_label"], check["sign_label"])]
    assert len(labels) == 2 and {run.size for run in labels} == {ts.text}


def test_large_print_is_larger_everywhere_but_the_footer() -> None:
    """--large-print: every run but the footers and scale note grows by 1.4, the checklist's
    too; the page titles are as large as the running text (a long one shrinks to fit, never
    under the regular size)."""
    regular = {run.size for page in home("en", "a4", False)[1] for run in page.runs}
    large_pages = home("en", "a4", True)[1]
    large = {run.size for page in large_pages for run in page.runs}
    assert min(large - {6.0, 6.5, 7.0, 8.0}) >= 9.8  # 6.5: the vault codes' labels
    assert max(large) > max(regular)
    for lang in ("en", "de"):
        for paper in PAPER_SIZES:
            titles = [max(page.runs, key=lambda run: run.baseline)
                      for page in home(lang, paper, True)[1]]
            assert all(run.size >= type_sizes(False).page_title for run in titles)
            assert Counter(run.size for run in titles).most_common(1)[0][0] == \
                type_sizes(True).page_title


def test_a_long_page_title_shrinks_in_large_print_before_it_is_cut() -> None:
    """A page title too long for its line at 14 pt is set smaller, down to the regular 11 pt,
    and only past that cut with "…"; in regular print it stays 11 pt."""
    paper = PAPERS["a4"]
    footer = Footer(lambda page, pages: f"{page}/{pages}")
    short, long_, longest = "Accounts", " ".join(["Sicherungskopie"] * 5), "Sicherungskopie " * 9
    sizes = {}
    for title in (short, long_, longest):
        for large in (False, True):
            pages = paginate([spacer(10 * mm)], title, paper)
            pdf = render_document(pages, paper, footer, "t", [], creator="test",
                                  self_check=False, sizes=type_sizes(large)).pdf
            head = max(page_types(pdf)[0].runs, key=lambda run: run.baseline)
            sizes[title, large] = head.size
            assert head.text.endswith("…") == (title == longest), (title, large, head.text)
    regular, large_ = type_sizes(False).page_title, type_sizes(True).page_title
    assert {sizes[t, False] for t in (short, long_, longest)} == {regular}
    assert sizes[short, True] == large_ and regular < sizes[long_, True] < large_
    assert sizes[longest, True] == regular


# --- the options ---------------------------------------------------------------------------


@pytest.fixture
def vault_file(tmp_path: Path) -> Path:
    path = tmp_path / "vault.json"
    path.write_bytes(vault_to_json(Vault((
        Account(issuer="Example", name="alice", secret=b"0123456789abcdef", tags=("work",)),
        Account(issuer="Other", name="bob", secret=b"abcdefghij012345", digits=8)))))
    return path


def test_large_print_through_print_and_export(cli: Any, vault_file: Path,
                                              tmp_path: Path) -> None:
    pdf = tmp_path / "backup.pdf"
    result = cli("print", vault_file, "-o", pdf, "--no-self-check", "--large-print")
    assert result.code == 0, result.err
    sizes = {run.size for page in page_types(pdf.read_bytes()) for run in page.runs}
    assert 14.0 in sizes and 10.0 in sizes  # running text, and fine print (tags)
    sheet = tmp_path / "sheet.pdf"
    result = cli("export", vault_file, "--format", "reenroll-pdf", "-o", sheet,
                 "--no-self-check", "--large-print")
    assert result.code == 0, result.err
    assert 14.0 in {run.size for page in page_types(sheet.read_bytes()) for run in page.runs}
    result = cli("export", vault_file, "--format", "aegis", "-o", tmp_path / "a.json",
                 "--large-print")
    assert result.code == 2 and "--large-print" in result.err and "reenroll-pdf" in result.err
    assert not (tmp_path / "a.json").exists()


def test_type_sizes_scale_together() -> None:
    regular, large = type_sizes(False), type_sizes(True)
    assert regular.text == 10 and large.text == 14 and large.scale == pytest.approx(1.4)
    assert replace(regular, text=14).scale == pytest.approx(1.4)
    for ts in (regular, large):
        assert ts.small < ts.data < ts.text < ts.heading <= ts.section <= ts.title
        assert ts.small >= 8
    assert large.page_title >= large.text > regular.page_title  # the page title scales too


@pytest.mark.parametrize("lang", languages())
def test_steam_codes_are_characters_on_every_sheet(lang: str) -> None:
    """Steam Guard codes hold digits and letters: "characters", never "letters"."""
    word = {"en": "5 characters", "de": "5 Zeichen", "fr": "5 caractères",
            "es": "5 caracteres"}[lang]
    for sheet in ("home_safe", "reenroll"):
        assert word in load_texts(sheet, lang)["settings_steam"], sheet
