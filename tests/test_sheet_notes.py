"""What the sheets say beyond the accounts' codes (issue 19): beside an account whose QR code
some apps do not read as it is, what the app will show (on the page and on the terminal); and
on the restore page, the holder sheets, the cover letter and the re-enrolment sheet, where to
get paper2fa and the owner's `--software-note`."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from test_render import pdf_text

from toolkit import __version__, envelope
from toolkit.display import visible
from toolkit.model import Account, Vault, vault_to_json
from toolkit.render.common import label_warning
from toolkit.render.home_safe import render_home_safe, render_home_safe_sealed
from toolkit.render.layout import PAPERS
from toolkit.render.reenroll import render_reenroll
from toolkit.render.split import COVER_NAME, render_split
from toolkit.sharing import make_split
from toolkit.texts import fill, languages, load_texts
from toolkit.uri import LABEL_PROBLEM_TEXTS, LabelProblem, label_problem

DATE = datetime(2026, 1, 1, tzinfo=UTC)
NOTE = "the stick is in the blue envelope"

ACCOUNTS = (
    Account(issuer="Corp:EU", name="alice:x", secret=b"1" * 10),   # colon in both
    Account(issuer="Fine", name="bob", secret=b"2" * 10),          # nothing to say
    Account(issuer="Forum", name="carol:y", secret=b"3" * 10),     # colon in the name
    Account(issuer="NoName", name="", secret=b"4" * 10),           # no account name
    Account(issuer="", name="dan:z", secret=b"5" * 10),            # colon, no issuer
    Account(issuer="Evil\x1b[2J:x", name="a:b", secret=b"6" * 10),  # hidden character too
)
VAULT = Vault(ACCOUNTS)


def squeezed(text: str) -> str:
    """Text without any whitespace: line breaks of a wrapped paragraph do not matter."""
    return "".join(text.split())


def segments(text: str, marker: str, count: int) -> list[str]:
    """The text before each of `count` occurrences of `marker` (one per account, in order),
    each from the previous occurrence: what is printed beside that account."""
    parts = squeezed(text).split(squeezed(marker))
    assert len(parts) == count + 1, f"{len(parts) - 1} markers for {count} accounts"
    return parts[:-1]


def software_line(lang: str) -> str:
    return squeezed(fill(load_texts("common", lang)["software"]["line"], version=__version__))


def note_line(lang: str, note: str = NOTE) -> str:
    return squeezed(fill(load_texts("common", lang)["software"]["note"], note=note))


def test_every_label_problem_is_said_in_every_language() -> None:
    for lang in languages():
        texts = load_texts("common", lang)["label_problems"]
        assert set(texts) == {p.value for p in LabelProblem}, lang
    assert set(LABEL_PROBLEM_TEXTS) == set(LabelProblem)
    assert [label_problem(a) for a in ACCOUNTS] == [
        LabelProblem.COLON_IN_BOTH, None, LabelProblem.COLON_IN_NAME, LabelProblem.EMPTY_NAME,
        LabelProblem.COLON_NO_ISSUER, LabelProblem.COLON_IN_BOTH]


@pytest.mark.parametrize("lang", languages())
def test_the_home_safe_backup_warns_beside_each_account(lang: str) -> None:
    rendered = render_home_safe(VAULT, date=DATE, generation=1, paper=PAPERS["a4"], lang=lang,
                                self_check=False)
    marker = load_texts("home_safe", lang)["secret_label"]
    for account, beside in zip(VAULT.accounts, segments(pdf_text(rendered.pdf), marker,
                                                          len(VAULT)), strict=True):
        warning = label_warning(account, lang)
        others = {squeezed(w) for a in VAULT.accounts
                  if (w := label_warning(a, lang)) is not None and w != warning}
        if warning is None:
            assert not any(w in beside for w in others), account.label
        else:
            assert squeezed(warning) in beside, account.label
            assert squeezed(visible(account.name)) in beside


@pytest.mark.parametrize("lang", languages())
def test_the_reenrolment_sheet_warns_beside_each_account_and_says_where_to_get_paper2fa(
        lang: str) -> None:
    for note in ("", NOTE):
        rendered = render_reenroll(ACCOUNTS, fingerprint=VAULT.fingerprint, day=date(2026, 1, 1),
                                   paper=PAPERS["a4"], self_check=False, software_note=note,
                                   lang=lang)
        text = pdf_text(rendered.pdf)
        marker = load_texts("reenroll", lang)["tick"]
        for account, beside in zip(ACCOUNTS, segments(text, marker, len(ACCOUNTS)), strict=True):
            warning = label_warning(account, lang)
            if warning is not None:
                assert squeezed(warning) in beside, account.label
        assert software_line(lang) in squeezed(text)
        assert (note_line(lang) in squeezed(text)) == bool(note)


@pytest.mark.parametrize("lang", languages())
def test_the_restore_page_says_where_to_get_paper2fa(lang: str) -> None:
    plain = render_home_safe(VAULT, date=DATE, generation=1, paper=PAPERS["a4"], lang=lang,
                             self_check=False)
    noted = render_home_safe(VAULT, date=DATE, generation=1, paper=PAPERS["a4"], lang=lang,
                             self_check=False, software_note=NOTE + " \u202e")
    sealed = render_home_safe_sealed(b"sealed", count=6, fingerprint=VAULT.fingerprint,
                                     date=DATE, generation=1, paper=PAPERS["letter"],
                                     lang=lang, self_check=False, software_note=NOTE)
    restore_title = squeezed(load_texts("restore", lang)["title"])
    for pdf, note in ((plain.pdf, ""), (noted.pdf, NOTE + " \\u202e"), (sealed.pdf, NOTE)):
        text = squeezed(pdf_text(pdf))
        after = text[text.rindex(restore_title):]  # on the restore page, not elsewhere
        assert software_line(lang) in after and text.count(software_line(lang)) == 1
        assert (note_line(lang, note) in after) == bool(note)
        assert "\u202e" not in text


def test_every_holder_sheet_and_the_cover_say_where_to_get_paper2fa() -> None:
    result = make_split(VAULT, 2, 3, ["Ann", "Bo", "Cy"], kdf=envelope.KDF_PROFILES["test"],
                        now=DATE)
    for note in ("", NOTE):
        pdfs = render_split(result, date=DATE, paper="a4", lang="de",
                            holder_langs=("de", "es", "fr"), self_check=False,
                            software_note=note)
        langs = dict(zip(sorted(n for n in pdfs if n != COVER_NAME), ("de", "es", "fr"),
                         strict=True))
        langs[COVER_NAME] = "de"
        for name, rendered in pdfs.items():
            text = squeezed(pdf_text(rendered.pdf))
            assert software_line(langs[name]) in text, name
            assert (note_line(langs[name]) in text) == bool(note), name
            if name != COVER_NAME:  # on page one, with the instructions
                doc = pypdfium2.PdfDocument(rendered.pdf)
                first = squeezed(doc[0].get_textpage().get_text_range())
                doc.close()
                assert software_line(langs[name]) in first, name


# --- the terminal -----------------------------------------------------------------------------


@pytest.fixture
def vault_file(tmp_path: Path) -> Path:
    path = tmp_path / "vault.json"
    path.write_bytes(vault_to_json(VAULT))
    return path


def _warned(err: str) -> list[str]:
    problems = tuple(LABEL_PROBLEM_TEXTS.values())
    return [line for line in err.splitlines() if any(p in line for p in problems)]


def _expected_lines() -> list[tuple[str, str]]:
    """(the account's label as shown, its problem's words) for each account with a problem."""
    return [(visible(a.label), LABEL_PROBLEM_TEXTS[p]) for a in VAULT.accounts
            if (p := label_problem(a)) is not None]


@pytest.mark.parametrize("command", ["print", "reenroll-pdf", "otpauth"])
def test_the_terminal_names_each_account_once(cli: Any, vault_file: Path, tmp_path: Path,
                                              command: str) -> None:
    out = tmp_path / "out"
    args = (["print", vault_file, "-o", out, "--no-self-check"] if command == "print" else
            ["export", vault_file, "--format", command, "-o", out, "--no-self-check"])
    result = cli(*args)
    assert result.code == 0, result.err
    lines = _warned(result.err)
    expected = _expected_lines()
    assert len(lines) == len(expected) == 5
    for line, (label, words) in zip(lines, expected, strict=True):
        assert line.startswith(f"paper2fa: {label}: {words}"), line
    assert "\x1b" not in result.err and "Evil\\x1b[2J:x" in result.err


def test_software_note_is_printed_and_checked(cli: Any, vault_file: Path,
                                              tmp_path: Path) -> None:
    pdf = tmp_path / "backup.pdf"
    result = cli("print", vault_file, "-o", pdf, "--no-self-check", "--software-note", NOTE)
    assert result.code == 0, result.err
    assert note_line("en") in squeezed(pdf_text(pdf.read_bytes()))
    for bad in ("x" * 201, "two\nlines", "bell\x07"):
        result = cli("print", vault_file, "-o", tmp_path / "no.pdf", "--software-note", bad)
        assert result.code == 2 and "--software-note" in result.err, bad
        assert not (tmp_path / "no.pdf").exists()
    result = cli("print", vault_file, "-o", tmp_path / "max.pdf", "--no-self-check",
                 "--software-note", "y" * 200)
    assert result.code == 0, result.err
    result = cli("export", vault_file, "--format", "aegis", "-o", tmp_path / "a.json",
                 "--software-note", NOTE)
    assert result.code == 2 and "reenroll-pdf" in result.err
    sheet = tmp_path / "sheet.pdf"
    result = cli("export", vault_file, "--format", "reenroll-pdf", "-o", sheet,
                 "--no-self-check", "--software-note", NOTE, "--lang", "es")
    assert result.code == 0, result.err
    assert note_line("es") in squeezed(pdf_text(sheet.read_bytes()))
    assert json.loads(vault_file.read_bytes())["accounts"]  # the vault is left as it was
