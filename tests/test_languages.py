"""Sheets in the reader's language (issue 14): every language has every text with the same
placeholders; its sheets render, read back and keep their page count; the fonts draw every
character; nothing overflows; what a person types from a page reads the same in any language;
the options of print, split and export and the first screen's choice of language."""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from test_page_fill import mostly_empty
from test_render import (
    char_boxes_outside,
    char_texts,
    chars_cut_by_boxes,
    overlapping_chars,
    page_texts,
    pdf_text,
)

from toolkit import envelope, frames
from toolkit.audit import audit_vault, move_order
from toolkit.demo import demo_vault
from toolkit.exporters import ExportOptions, export_vault
from toolkit.model import Vault, vault_from_json, vault_to_json
from toolkit.render.checklist import audit_facts
from toolkit.render.fonts import BOLD, MONO, SANS
from toolkit.render.home_safe import render_home_safe, render_home_safe_sealed
from toolkit.render.layout import MARGIN, PAPERS, RenderedPdf
from toolkit.render.reenroll import render_reenroll
from toolkit.render.split import COVER_NAME, render_split
from toolkit.scan import decode_bytes
from toolkit.selfcheck import check_pdf
from toolkit.sharing import SplitResult, make_split
from toolkit.texts import DEFAULT_LANGUAGE, is_plural_table, languages

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
DATE = datetime(2026, 1, 1, tzinfo=UTC)
OTHERS = [code for code in languages() if code != DEFAULT_LANGUAGE]

FREE_LISTS = {("menu", "yes"), ("common", "plural_one")}
"""Lists whose length is the language's own (the words taken as yes, the numbers written in the
singular); every other list keeps the English structure: the same number of paragraphs, blank
lines at the same places."""


def test_the_three_languages_ship_beside_english() -> None:
    assert set(languages()) >= {"de", "en", "es", "fr"}


@cache
def texts_of(lang: str) -> dict[str, dict[str, Any]]:
    return {path.stem: tomllib.loads(path.read_text(encoding="utf-8"))
            for path in sorted((TEMPLATES / lang).glob("*.toml"))}


def spaced(text: str) -> str:
    """Text with every run of spaces, line breaks and no-break spaces as one space (a PDF's
    text layer gives no-break spaces back as spaces, and lines where they wrapped)."""
    return " ".join(text.replace("\u00a0", " ").split())


def placeholders(text: str) -> set[str]:
    """The {names} of a template text (ValueError on a stray brace)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def leaves(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every text of a template file by its path of keys; a table of plural forms is one text
    (a language may need forms where English needs none)."""
    if isinstance(value, dict) and not is_plural_table(value):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    else:
        yield path, value


def strings_in(value: Any) -> list[str]:
    """The texts of a template value: a string, the forms of a plural table, a list's items."""
    if isinstance(value, str):
        return [value]
    if is_plural_table(value):
        return [value["one"], value["other"]]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    return []


def kind(value: Any) -> type:
    """A value's type, a table of plural forms counting as a text."""
    return str if is_plural_table(value) else type(value)


@pytest.mark.parametrize("lang", OTHERS)
def test_every_text_is_translated_with_the_same_placeholders(lang: str) -> None:
    english, translated = texts_of(DEFAULT_LANGUAGE), texts_of(lang)
    assert sorted(translated) == sorted(english), f"{lang}: not the same template files"
    for sheet, texts in english.items():
        mine = dict(leaves(translated[sheet]))
        theirs = dict(leaves(texts))
        assert sorted(mine) == sorted(theirs), f"{lang}/{sheet}.toml: not the same keys"
        for key, value in theirs.items():
            other = mine[key]
            where = f"{lang}/{sheet}.toml {'.'.join(key)}"
            assert kind(other) is kind(value), where
            if isinstance(value, list) and (sheet, key[-1]) not in FREE_LISTS:
                assert len(other) == len(value), f"{where}: {len(other)} items, not {len(value)}"
                assert [not isinstance(s, str) or bool(s.strip()) for s in other] == [
                    not isinstance(s, str) or bool(s.strip()) for s in value], (
                    f"{where}: blank lines not where English has them")
            if isinstance(value, int):
                assert other == value, where
            want = set().union(*map(placeholders, strings_in(value)))
            got = set().union(*map(placeholders, strings_in(other)))
            assert got == want, f"{where}: placeholders {sorted(got)}, English {sorted(want)}"


@pytest.mark.parametrize("lang", languages())
def test_dates_are_written_from_the_templates(lang: str) -> None:
    from toolkit.texts import long_date, own_name

    months = texts_of(lang)["common"]["months"]
    assert len(months) == 12 and len(set(months)) == 12
    for month in range(1, 13):
        for day in (1, 2, 28):
            written = long_date(date(2026, month, day), lang)
            assert months[month - 1] in written
            assert written.endswith(f"(2026-{month:02d}-{day:02d})"), written
    assert own_name(lang) == texts_of(lang)["common"]["language_names"][lang]
    assert sorted(texts_of(lang)["common"]["language_names"]) == sorted(languages())


def test_each_language_writes_dates_its_own_way() -> None:
    from toolkit.texts import long_date

    first, later = date(2026, 3, 1), date(2026, 12, 24)
    assert [long_date(first, code) for code in ("de", "en", "es", "fr")] == [
        "1. März 2026 (2026-03-01)", "1 March 2026 (2026-03-01)",
        "1 de marzo de 2026 (2026-03-01)", "1er mars 2026 (2026-03-01)"]
    assert long_date(later, "fr") == "24 décembre 2026 (2026-12-24)"
    assert long_date(later, "de") == "24. Dezember 2026 (2026-12-24)"


# --- every language's sheets: render, read back, page counts, fonts, layout --------------------

HOLDERS = ["Alice", "Bob Müller", "Carol", "Dan", "Eve"]


@dataclass(frozen=True)
class Sheets:
    """Every kind of sheet of the demo vault in one language and paper size."""

    home: RenderedPdf
    sealed: RenderedPdf
    holder: RenderedPdf
    cover: RenderedPdf
    reenroll: RenderedPdf
    gauth: bytes

    def pdfs(self) -> dict[str, bytes]:
        return {"home-safe": self.home.pdf, "passphrase copy": self.sealed.pdf,
                "holder sheet": self.holder.pdf, "cover": self.cover.pdf,
                "re-enrolment": self.reenroll.pdf, "Google transfer": self.gauth}

    def rendered(self) -> dict[str, RenderedPdf]:
        return {"home-safe": self.home, "passphrase copy": self.sealed,
                "holder sheet": self.holder, "cover": self.cover, "re-enrolment": self.reenroll}


@cache
def the_split() -> SplitResult:
    return make_split(demo_vault(), 3, 5, HOLDERS, "pyshamir", "pass phrase", now=DATE,
                      kdf=envelope.KDF_PROFILES["test"])


@cache
def the_sealed() -> bytes:
    return envelope.seal_with_passphrase(demo_vault(), "pass phrase", now=DATE,
                                         kdf=envelope.KDF_PROFILES["test"]).to_bytes()


@cache
def sheets(lang: str, paper: str) -> Sheets:
    """The demo vault's sheets in `lang`; on A4 each is read back (the self-check of
    render_document: a QR code that does not read back raises SelfCheckError). Of the split,
    only the holder sheet and the cover kept here are read back, by the same check_pdf call
    render_document makes (the four other holder sheets are not looked at)."""
    vault = demo_vault()
    on = PAPERS[paper]
    check = paper == "a4"
    report = audit_vault(vault)
    split = render_split(the_split(), date=DATE, paper=on, facts=audit_facts(report, lang=lang),
                         owner="Alice Example", contact="Bob, +44 20 7946 0000", lang=lang,
                         self_check=False)
    if check:
        for kept in (split["share-2-of-5-Bob-Muller.pdf"], split[COVER_NAME]):
            if kept.qr_texts:
                check_pdf(kept.pdf, kept.qr_texts, pages=kept.pages)
    gauth = export_vault(vault, "gauth-qr", ExportOptions(day=DATE.date(), paper=paper,
                                                          lang=lang, self_check=check))
    return Sheets(
        home=render_home_safe(vault, date=DATE, generation=1, paper=on,
                              facts=audit_facts(report, lang=lang), lang=lang,
                              self_check=check),
        sealed=render_home_safe_sealed(the_sealed(), count=len(vault),
                                       fingerprint=vault.fingerprint, date=DATE, generation=1,
                                       paper=on, facts=audit_facts(report, names=False,
                                                                   lang=lang),
                                       text_fallback=True, lang=lang, self_check=check),
        holder=split["share-2-of-5-Bob-Muller.pdf"],
        cover=split[COVER_NAME],
        reenroll=render_reenroll(move_order(vault.accounts), fingerprint=vault.fingerprint,
                                 day=DATE.date(), paper=on, lang=lang, self_check=check),
        gauth=gauth.data,
    )


PAPER_SIZES = ["a4", "letter"]


@pytest.mark.parametrize("paper", PAPER_SIZES)
@pytest.mark.parametrize("lang", OTHERS)
def test_each_language_keeps_the_page_count_of_english(lang: str, paper: str) -> None:
    """The same number of pages as English, or at most one more, for every sheet."""
    english, mine = sheets(DEFAULT_LANGUAGE, paper), sheets(lang, paper)
    for name, pdf in mine.pdfs().items():
        theirs = len(pypdfium2.PdfDocument(english.pdfs()[name]))
        ours = len(pypdfium2.PdfDocument(pdf))
        assert theirs <= ours <= theirs + 1, f"{lang} {name} on {paper}: {ours} pages, " \
            f"English {theirs}"
    assert any(page.ends_section for page in mine.holder.fill[:2]), \
        "the holder sheet's instructions and words take at most two pages"


@pytest.mark.parametrize("lang", languages())
def test_each_language_reads_back_and_restores(lang: str) -> None:
    """Rendered with the self-check on (every QR code read back), and what is on the pages
    restores the vault: the home-safe frames, and the holder sheet's frames with its share."""
    from toolkit.model import vault_from_paper

    made = sheets(lang, "a4")
    texts = [code.text for code in decode_bytes(made.home.pdf, dpi=150)]
    assert vault_from_paper(frames.decode_frames(texts)) == demo_vault()
    assert frames.decode_frames(made.sealed.qr_texts) == the_sealed()
    assert made.holder.qr_texts[0] == the_split().shares[1].qr_text()


@pytest.mark.parametrize("lang", languages())
def test_the_sheets_are_in_their_language(lang: str) -> None:
    """Each sheet shows its language's own texts (not English ones), and its dates written
    the language's way with the ISO date beside."""
    from toolkit.texts import load_texts, long_date

    made = sheets(lang, "a4")
    written = long_date(DATE.date(), lang)
    checks = {
        "home-safe": (load_texts("home_safe", lang)["index_title"], written),
        "passphrase copy": (load_texts("home_safe", lang)["sealed_title"], written),
        "holder sheet": (load_texts("share_sheet", lang)["words_title"], written),
        "cover": (load_texts("cover", lang)["table_title"], written),
        "re-enrolment": (load_texts("reenroll", lang)["title"], written),
        "Google transfer": (load_texts("reenroll", lang)["gauth"]["accounts"].split(":")[0],
                            written),
    }
    for name, pdf in made.pdfs().items():
        text = pdf_text(pdf)
        for expected in checks[name]:
            assert spaced(expected) in spaced(text), (lang, name, expected)
    if lang != DEFAULT_LANGUAGE:
        assert "Accounts by issuer" not in pdf_text(made.home.pdf)
        english_words = load_texts("share_sheet", lang)["words_english"]
        assert english_words and spaced(english_words) in spaced(pdf_text(made.holder.pdf))


FONT_FILES = {"DejaVuSans": SANS, "DejaVuSans-Bold": BOLD, "DejaVuSansMono": MONO}


def drawn_chars(pdf: bytes) -> Iterator[tuple[str, str]]:
    """Every character drawn on a PDF and the name of the font it is drawn in."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    doc = pypdfium2.PdfDocument(pdf)
    try:
        for number in range(len(doc)):
            text = doc[number].get_textpage()
            for i, ch in enumerate(char_texts(text)):
                if not ch.strip():
                    continue
                name = ctypes.create_string_buffer(128)
                flags = ctypes.c_int()
                pdfium_c.FPDFText_GetFontInfo(text.raw, i, name, 128, ctypes.byref(flags))
                yield ch, name.value.decode()
    finally:
        doc.close()


@pytest.mark.parametrize("lang", languages())
def test_the_fonts_draw_every_character_of_every_language(lang: str) -> None:
    """Every character of the language's texts is in both sheet fonts, and every character
    drawn on its sheets is in the embedded font it is drawn in: nothing is written as
    [U+XXXX] and no glyph is missing."""
    from toolkit.render.fonts import covered_by

    used = {ch for sheet in texts_of(lang).values() for _, value in leaves(sheet)
            for text in strings_in(value) for ch in text if ch not in "\n"}
    for font in (SANS, BOLD):
        assert sorted(ch for ch in used if not covered_by(ch, font)) == [], (lang, font)
    for name, pdf in sheets(lang, "a4").pdfs().items():
        assert "[U+" not in pdf_text(pdf), (lang, name)
        missing = {(ch, font) for ch, font in drawn_chars(pdf)
                   if font not in FONT_FILES or not covered_by(ch, FONT_FILES[font])}
        assert missing == set(), (lang, name, sorted(missing)[:5])


@pytest.mark.parametrize("paper", PAPER_SIZES)
@pytest.mark.parametrize("lang", languages())
def test_nothing_leaves_its_box_in_any_language(lang: str, paper: str) -> None:
    """No character outside the margins, over another character or cut by a box edge, and
    nothing shortened with … (page titles, footers, table cells, headings all fit); the
    layout engine's record: no page over full, none mostly empty but where a part ends."""
    made = sheets(lang, paper)
    for name, pdf in made.pdfs().items():
        assert char_boxes_outside(pdf, MARGIN) == [], (lang, paper, name)
        assert overlapping_chars(pdf) == [], (lang, paper, name)
        assert chars_cut_by_boxes(pdf) == [], (lang, paper, name)
        assert "…" not in pdf_text(pdf), (lang, paper, name)
    for name, rendered in made.rendered().items():
        assert all(page.used <= page.height + 0.01 for page in rendered.fill), name
        assert mostly_empty(rendered.fill) == [], (lang, paper, name)


# --- long German compounds ---------------------------------------------------------------------

COMPOUND = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung"


@pytest.mark.parametrize("paper", PAPER_SIZES)
def test_long_german_compounds_never_overflow_a_box(paper: str) -> None:
    """German sheets whose names are long compounds without a space (holders, owner, contact,
    issuer, account name, notes, tags, recovery codes): every character stays inside the
    margins and its boxes, none is drawn over another, every word of the share is on one
    page, and the layout engine records no page fuller than its body."""
    from toolkit.model import Account, Vault

    vault = Vault((
        Account(issuer=COMPOUND, name=COMPOUND.lower() + "@beispiel.de", secret=b"k" * 20,
                algorithm="SHA256", digits=8, period=60, notes=COMPOUND * 4,
                tags=(COMPOUND,), recovery_codes=(COMPOUND[:40], "abc-123"),
                other_factors=(COMPOUND * 2,)),
        *demo_vault().accounts[:3],
    ))
    split = make_split(vault, 2, 3, [COMPOUND, COMPOUND[:30], "Ann"], "pyshamir",
                       "pass phrase", now=DATE, kdf=envelope.KDF_PROFILES["test"])
    on = PAPERS[paper]
    report = audit_vault(vault)
    made = render_split(split, date=DATE, paper=on, facts=audit_facts(report, lang="de"),
                        owner=COMPOUND * 2, contact=COMPOUND + " " + COMPOUND, lang="de",
                        self_check=False)
    made["home-safe"] = render_home_safe(vault, date=DATE, generation=1, paper=on,
                                         facts=audit_facts(report, lang="de"), lang="de",
                                         self_check=False)
    for name, rendered in made.items():
        assert char_boxes_outside(rendered.pdf, MARGIN) == [], name
        assert overlapping_chars(rendered.pdf) == [], name
        assert chars_cut_by_boxes(rendered.pdf) == [], name
        assert all(page.used <= page.height + 0.01 for page in rendered.fill), name
    for index, share in enumerate(split.shares, start=1):
        sheet = next(r for n, r in made.items() if n.startswith(f"share-{index}-"))
        numbered = [f"{n}.{w.upper()}" for n, w in enumerate(share.words(), 1)]
        assert any(all(word in text.replace(" ", "") for word in numbered)
                   for text in page_texts(sheet.pdf)), sheet
    # the compound holder is wrapped in its cell, never cut (issue 19)
    assert "…" not in pdf_text(made[COVER_NAME].pdf)


def test_a_compound_wider_than_its_line_is_broken_inside_the_line() -> None:
    from toolkit.render.fonts import width
    from toolkit.render.wrap import wrap

    for limit in (40.0, 120.0, 300.0):
        lines = wrap(f"Die {COMPOUND * 3} ist lang.", SANS, 10, limit)
        assert "".join(lines).replace(" ", "") == f"Die{COMPOUND * 3}istlang."
        assert all(width(line, SANS, 10) <= limit + 0.01 for line in lines)


# --- what is typed from a page reads the same in every language ---------------------------------

AT = 1767225600  # midnight UTC of DATE: the check codes' reference time


def typing_vault() -> Vault:
    from toolkit.model import Account, Vault

    return Vault((
        Account("Two Lines", "alice", bytes(range(100, 120))),
        Account("Bank", "alice", bytes(range(7, 23)), algorithm="SHA256", digits=8,
                period=60),
        Account("Counter", "alice", bytes(range(50, 70)), type="hotp", counter=5),
    ))


SETTINGS = {"Two Lines": [], "Bank": ["--algorithm", "SHA256", "--digits", "8", "--period", "60"],
            "Counter": ["--type", "hotp"]}


@pytest.mark.parametrize("lang", languages())
def test_typed_secrets_and_check_lines_read_the_same_in_every_language(
        cli: Any, tmp_path: Path, lang: str) -> None:
    """The secret lines and the whole check line as the page's text layer shows them, in the
    sheet's language, typed into `paper2fa check`: it finds them right."""
    from toolkit.secret_lines import check_line, read_check_line

    pdf = render_home_safe(typing_vault(), date=DATE, generation=1, paper=PAPERS["a4"],
                           lang=lang, self_check=False).pdf
    rows = pdf_text(pdf).splitlines()
    for account in typing_vault().accounts:
        start = max(i for i, row in enumerate(rows) if row == account.issuer)
        data = check_line(account, AT).text
        end = next(i for i in range(start, len(rows)) if data in rows[i])
        assert rows[end] != data  # the line has the language's words around the data
        assert read_check_line(rows[end]) == check_line(account, AT)
        typed = [row.split(" ", 1)[1] for row in rows[start:end]
                 if re.fullmatch(r"\d+ [A-Z2-7 ]+", row)]
        assert typed, rows[start:end]
        secret = tmp_path / f"{lang}-{account.issuer}.txt"
        secret.write_text("\n".join(typed) + "\n")
        result = cli("check", "--secret-file", secret, "--check-line", rows[end],
                     *SETTINGS[account.issuer])
        assert result.code == 0, (lang, result.err)
        assert "every check letter matches" in result.out


@pytest.fixture
def vault_file(tmp_path: Path) -> Path:
    path = tmp_path / "vault.json"
    path.write_bytes(vault_to_json(demo_vault()))
    return path


def sheet_words(pdf: bytes) -> list[str]:
    """The share words as the page of a holder sheet that holds them shows them ("12. WORD")."""
    found = max((dict(re.findall(r"(?<!\d)(\d+)\.\s*([A-Z]{3,})(?![^\W\d_])", text))
                 for text in page_texts(pdf)), key=len)
    return [found[str(number)] for number in range(1, len(found) + 1)]


def test_split_with_a_language_per_holder_and_words_typed_from_any_language(
        cli: Any, vault_file: Path, tmp_path: Path) -> None:
    """Each holder's sheet in their language, the cover in the owner's, saying which language
    each sheet is in; words typed from a German and a French sheet restore the vault."""
    holders = ["Anna: de", "--lang fr", "José, es"]  # any character may be in a name
    out = tmp_path / "sheets"
    given = [arg for holder in holders for arg in ("--holder", holder)]
    result = cli("split", vault_file, "-k", "2", "-n", "3", *given, "--holder-lang", "de",
                 "--holder-lang", "fr", "--holder-lang", "es", "--lang", "es", "-o", out,
                 "--no-self-check")
    assert result.code == 0, result.err
    assert result.err == ""
    assert "split 12 accounts" in result.out  # the terminal stays English
    pdfs = sorted(out.glob("share-*.pdf"))
    texts = [spaced(pdf_text(p.read_bytes())) for p in pdfs]
    assert "Für: Anna: de" in texts[0] and "Pour : --lang fr" in texts[1]
    assert "Para: José, es" in texts[2]
    cover = pdf_text((out / COVER_NAME).read_bytes())
    assert "Quién tiene cada parte" in cover
    for name in ("Alemán", "Francés", "Español"):
        assert name in cover
    words = tmp_path / "words.txt"
    words.write_text("\n".join(" ".join(sheet_words(p.read_bytes())) for p in pdfs[:2]) + "\n")
    restored = tmp_path / "restored.json"
    combined = cli("combine", out / "vault.p2fa", "--words-file", words, "-o", restored)
    assert combined.code == 0, combined.err
    assert vault_from_json(restored.read_bytes()) == demo_vault()


def test_split_refuses_a_wrong_count_of_holder_languages(cli: Any, vault_file: Path,
                                                           tmp_path: Path) -> None:
    for langs in (["de"], ["de", "fr", "es", "en"]):
        result = cli("split", vault_file, "-k", "2", "-n", "3", "-o", tmp_path / "s",
                     *[arg for code in langs for arg in ("--holder-lang", code)])
        assert result.code == 2
        assert f"{len(langs)} --holder-lang languages for 3 shares" in result.err
    unknown = cli("split", vault_file, "-k", "2", "-n", "3", "-o", tmp_path / "s", "--lang",
                  "xx")
    assert unknown.code == 2 and "--lang" in unknown.err
    assert not (tmp_path / "s").exists()


# --- the commands: --lang, the default, the locale hint -----------------------------------------


def _without_label_warnings(err: str) -> str:
    """stderr without the lines naming accounts whose QR code apps misread (the demo vault
    has one: tests/test_sheet_notes.py)."""
    from toolkit.uri import LABEL_PROBLEM_TEXTS

    return "".join(line for line in err.splitlines(keepends=True)
                   if not any(text in line for text in LABEL_PROBLEM_TEXTS.values()))


def test_print_in_a_language_and_english_whatever_the_locale(
        cli: Any, vault_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    french = cli("print", vault_file, "-o", tmp_path / "fr.pdf", "--date", "2026-01-01",
                 "--lang", "fr")
    assert french.code == 0, french.err
    assert "wrote " in french.out and "self-check: all" in french.out
    # the French home-safe sheet made directly (its facts from audit_vault, self-checked)
    assert (tmp_path / "fr.pdf").read_bytes() == sheets("fr", "a4").home.pdf
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    plain = cli("print", vault_file, "-o", tmp_path / "en.pdf", "--date", "2026-01-01")
    assert plain.code == 0 and _without_label_warnings(plain.err) == ""
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    hinted = cli("print", vault_file, "-o", tmp_path / "de-locale.pdf", "--date", "2026-01-01")
    assert hinted.code == 0
    assert _without_label_warnings(hinted.err) == (
        "paper2fa: the sheets are in English; for German sheets add --lang de\n")
    assert (tmp_path / "de-locale.pdf").read_bytes() == (tmp_path / "en.pdf").read_bytes()
    monkeypatch.setenv("LC_ALL", "es_ES.UTF-8")  # LC_ALL wins over LANG
    assert "for Spanish sheets add --lang es" in cli(
        "print", vault_file, "-o", tmp_path / "es-locale.pdf", "--date", "2026-01-01").err
    chosen = cli("print", vault_file, "-o", tmp_path / "en2.pdf", "--date", "2026-01-01",
                 "--lang", "en")
    assert _without_label_warnings(chosen.err) == ""
    assert (tmp_path / "en2.pdf").read_bytes() == (tmp_path / "en.pdf").read_bytes()


def test_the_locale_is_read_like_posix() -> None:
    from toolkit.cli.languages import locale_language

    assert locale_language({"LANG": "fr_CA.UTF-8"}) == "fr"
    assert locale_language({"LANG": "de", "LC_MESSAGES": "es_MX"}) == "es"
    assert locale_language({"LC_ALL": "C", "LANG": "de_DE"}) is None
    assert locale_language({"LANG": "sv_SE.UTF-8"}) is None
    assert locale_language({}) is None


def test_export_sheets_in_a_language(cli: Any, vault_file: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "nuevo.pdf"
    result = cli("export", vault_file, "--format", "reenroll-pdf", "--lang", "es", "-o", sheet,
                 "--date", "2026-01-01")
    assert result.code == 0, result.err
    assert "Pasar sus cuentas" in pdf_text(sheet.read_bytes())
    assert "1 de enero de 2026 (2026-01-01)" in pdf_text(sheet.read_bytes())
    google = tmp_path / "google.pdf"
    result = cli("export", vault_file, "--format", "gauth-qr", "--lang", "de", "-o", google)
    assert result.code == 0, result.err
    assert "Konten übertragen" in pdf_text(google.read_bytes())
    for fmt, target in (("aegis", "a.json"), ("gauth-qr", "g.png")):
        refused = cli("export", vault_file, "--format", fmt, "--lang", "de", "-o",
                      tmp_path / target)
        assert refused.code == 2 and "--lang" in refused.err and "no text" in refused.err
        assert not (tmp_path / target).exists()


# --- the first screen ----------------------------------------------------------------------------


def test_the_first_question_is_the_language() -> None:
    from toolkit.cli.menu import choose_language

    told: list[str] = []
    answers = iter(["9", "2"])
    lang = choose_language(lambda prompt: next(answers), told.append, {})
    assert lang == languages()[1]
    for number, code in enumerate(languages(), start=1):
        assert f"  {number}. {texts_of(code)['common']['language_names'][code]}" in told
        assert texts_of(code)["menu"]["choose_language"] in told
    assert choose_language(lambda prompt: "", told.append, {}) == DEFAULT_LANGUAGE
    silent: list[str] = []
    assert choose_language(lambda prompt: "1", silent.append, {"PAPER2FA_LANG": "fr"}) == "fr"
    assert silent == []
    assert choose_language(lambda prompt: "1", silent.append, {"PAPER2FA_LANG": "xx"}) == (
        languages()[0])


def test_the_menu_makes_sheets_in_its_language(cli: Any, tmp_path: Path) -> None:
    from toolkit.cli.menu import Menu

    source = tmp_path / "export.json"
    source.write_bytes(vault_to_json(demo_vault()))
    home = tmp_path / "home"
    home.mkdir()
    told: list[str] = []
    runs: list[list[str]] = []
    answers = iter(["3", str(source), "", "4"])

    def run(argv: list[str]) -> int:
        runs.append(argv)
        return int(cli(*argv).code)

    Menu(lambda prompt: next(answers), told.append, run, home=home, lang="de").main()
    backup = home / "paper2fa-paper" / "backup.pdf"
    assert runs == [["print", str(source), "--lang", "de", "-o", str(backup)]]
    assert "Was möchten Sie tun? Tippen Sie eine Nummer und drücken Sie dann die Eingabetaste." \
        in told
    assert any(t.startswith(f"Die Sicherung steht in {backup}.") for t in told)
    assert "Konten nach Anbieter" in pdf_text(backup.read_bytes())


def test_the_language_question_through_a_terminal() -> None:
    from terminal import run_in_pty

    german = str(languages().index("de") + 1)
    code, shown = run_in_pty(["-m", "toolkit"], [
        ("Type the number of your language", german),
        ("Was möchten Sie tun?", "4")], lang=None)
    assert code == 0
    assert "[Type the number of your language]" in shown  # seen and answered
    for other in OTHERS:
        assert spaced(texts_of(other)["menu"]["choose_language"]) in spaced(shown)
    assert "Auf Wiedersehen." in shown and "What do you want to do?" not in shown
    code, shown = run_in_pty(["-m", "toolkit"], [("Que voulez-vous faire", "4")], lang="fr")
    assert code == 0 and "Type the number of your language" not in shown


# --- the one-line texts fit whatever the numbers and the date -----------------------------------


def widest_date(lang: str) -> str:
    from toolkit.render.fonts import width
    from toolkit.texts import long_date

    return max((long_date(date(2026, month, day), lang) for month in range(1, 13)
                for day in (1, 28)), key=lambda text: width(text, SANS, 7))


@pytest.mark.parametrize("lang", languages())
def test_footers_and_page_titles_fit_on_one_line(lang: str) -> None:
    """Footers (7 pt) with the widest date of the year, the largest generation and page
    numbers, and every page title (11 pt) with the largest numbers, fit the narrower paper
    without being shortened."""
    from toolkit.render.wrap import one_line
    from toolkit.texts import fill, load_texts

    width = min(PAPERS[p].width for p in PAPER_SIZES) - 2 * MARGIN
    values = dict(version="0.1.0", fingerprint=demo_vault().fingerprint, generation=65535,
                  date=widest_date(lang), page=999, pages=999, index=16, n=16, total=99)
    reenroll = load_texts("reenroll", lang)
    footers = [load_texts("common", lang)["footer"], reenroll["footer"],
               reenroll["gauth"]["footer"]]
    for footer in footers:
        text = fill(footer, **values)
        assert one_line(text, SANS, 7, width) == spaced(text), (lang, text)
    home, restore = load_texts("home_safe", lang), load_texts("restore", lang)
    sections = [home["index_title"], home["accounts_title"], restore["title"],
                load_texts("checklist", lang)["title"]]
    continued = load_texts("common", lang)["continued"]
    titles = [home["title"], home["sealed_title"], home["frames_title"], home["fallback_title"],
              load_texts("share_sheet", lang)["title"],
              load_texts("share_sheet", lang)["frames_title"],
              load_texts("share_sheet", lang)["fallback_title"],
              load_texts("cover", lang)["title"], reenroll["title"], reenroll["continued"],
              reenroll["gauth"]["title"], *sections,
              *(fill(continued, title=section) for section in sections)]
    for title in titles:
        text = fill(title, **values)
        assert one_line(text, SANS, 11, width) == spaced(text), (lang, text)


def test_a_restore_from_the_german_menu_makes_a_german_new_phone_sheet(
        cli: Any, tmp_path: Path) -> None:
    """The answers are the language's own ("j" for ja); the new-phone sheet is German."""
    from test_menu import sheets as scanned_sheets

    from toolkit.cli.menu import Menu
    from toolkit.model import Account

    vault = Vault((Account(issuer="Beispiel", name="oma", secret=b"0123456789abcdef"),))
    folder = scanned_sheets(tmp_path, vault)
    home = tmp_path / "home"
    home.mkdir()
    told: list[str] = []
    runs: list[list[str]] = []
    answers = iter(["1", "1", str(folder), "j", "", "4"])

    def run(argv: list[str]) -> int:
        runs.append(argv)
        return int(cli(*argv).code)

    Menu(lambda prompt: next(answers), told.append, run, home=home, lang="de").main()
    sheet = home / "paper2fa-restored" / "new-phone.pdf"
    assert runs[-1] == ["export", str(home / "paper2fa-restored" / "vault.json"), "--format",
                        "reenroll-pdf", "--lang", "de", "-o", str(sheet)]
    assert "Ihre Zwei-Faktor-Konten auf ein neues Handy bringen" in pdf_text(sheet.read_bytes())
    assert any(t.startswith(f"Das Blatt steht in {sheet}.") for t in told)


def test_the_ignored_settings_on_paper_are_the_ones_the_terminal_names() -> None:
    """render.common.ignored_settings says in each language what uri.ignored_by_simple_apps
    says in English for the terminal: the same cases, and in English the same words."""
    import itertools

    from toolkit.model import Account
    from toolkit.render.common import ignored_settings
    from toolkit.uri import ignored_by_simple_apps

    for algorithm, digits, period, kind in itertools.product(
            ("SHA1", "SHA256", "SHA512"), (6, 7, 8), (30, 60), ("totp", "hotp")):
        account = Account(issuer="I", name="n", secret=b"k" * 20, algorithm=algorithm,
                          digits=digits, period=period, type=kind)
        english = ignored_by_simple_apps(account)
        # on paper a number keeps its unit with a no-break space ("60\u00a0s")
        assert [spaced(s) for s in ignored_settings(account, DEFAULT_LANGUAGE)] == english
        for lang in OTHERS:
            assert len(ignored_settings(account, lang)) == len(english)
