"""The printable sheets: what is drawn reads back, nothing leaves the page, no secret on a
holder sheet or a passphrase copy, deterministic bytes, and the self-check's failure path."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pypdfium2
import pytest

from toolkit import envelope, frames, selfcheck
from toolkit.audit import audit_vault
from toolkit.demo import demo_vault
from toolkit.errors import AccountError
from toolkit.model import Account, Vault, vault_from_paper
from toolkit.render.checklist import audit_facts
from toolkit.render.fonts import printable
from toolkit.render.home_safe import render_home_safe, render_home_safe_sealed
from toolkit.render.layout import MARGIN, PAPERS, RenderedPdf
from toolkit.render.split import COVER_NAME, render_split, render_split_pdfs, sheet_names
from toolkit.scan import decode_bytes
from toolkit.secret_lines import (
    ALPHABET,
    check_character,
    read_secret_lines,
    secret_lines,
)
from toolkit.sharing import make_split
from toolkit.texts import languages, load_texts
from toolkit.uri import parse_otpauth

DATE = datetime(2026, 1, 1, tzinfo=UTC)
GOLDEN = Path(__file__).parent / "golden" / "home_safe_demo_a4.sha256"


def render_demo() -> RenderedPdf:
    """The demo vault's home-safe PDF exactly as `paper2fa print --date 2026-01-01` makes it."""
    vault = demo_vault()
    return render_home_safe(vault, date=DATE, generation=1, paper=PAPERS["a4"],
                            facts=audit_facts(audit_vault(vault)))


@pytest.fixture(scope="module")
def demo_pdf() -> RenderedPdf:
    return render_demo()


@pytest.fixture(scope="module")
def split_result() -> Any:
    holders = ["Alice", "Bob Müller", "Carol", "Dan " + "van der " * 12 + "Berg", "Eve"]
    return make_split(demo_vault(), 3, 5, holders, kdf=envelope.KDF_PROFILES["test"])


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.text for page in text_layer(pdf))


Box = tuple[float, float, float, float]


def char_texts(text: Any) -> list[str]:
    """Each character of a text page as `text.get_text_range(i, 1)` gives it ("" for one the
    text layer leaves out), read with one pdfium call a character instead of pypdfium2's
    several (which were most of the work of the layout checks)."""
    import pypdfium2.raw as pdfium_c

    out = []
    for i in range(text.count_chars()):
        point = pdfium_c.FPDFText_GetUnicode(text.raw, i)
        if pdfium_c.FPDFText_GetTextIndexFromCharIndex(text.raw, i) == -1:
            out.append("")
        elif point < 0x20 or 0xD800 <= point < 0xE000 or point > 0xFFFF:
            # a control character (pdfium's 2 for a hyphen it made is given as U+FFFE) or
            # more than one UTF-16 unit: as pypdfium2 reads it
            out.append(text.get_text_range(i, 1))
        else:
            out.append(chr(point))
    return out


@dataclass(frozen=True)
class PageLayer:
    """One page's text layer: its size, its text and every visible character with its box."""

    number: int
    width: float
    height: float
    text: str
    chars: tuple[tuple[str, Box], ...]


@lru_cache(maxsize=16)
def text_layer(pdf: bytes) -> tuple[PageLayer, ...]:
    """The text layer of every page, read once per PDF for all the checks of a test."""
    doc = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for number in range(len(doc)):
            page = doc[number]
            text = page.get_textpage()
            chars = tuple((ch, text.get_charbox(i)) for i, ch in enumerate(char_texts(text))
                          if ch.strip())
            width, height = page.get_size()
            pages.append(PageLayer(number + 1, width, height, text.get_text_range(), chars))
        return tuple(pages)
    finally:
        doc.close()


def page_chars(pdf: bytes) -> Iterator[tuple[PageLayer, int, str, Box]]:
    """Every visible character of a PDF: its page, page number, the character and its box."""
    for page in text_layer(pdf):
        for ch, box in page.chars:
            yield page, page.number, ch, box


def char_boxes_outside(pdf: bytes, margin: float) -> list[tuple[int, str]]:
    """Characters whose box leaves the page area inside `margin` (page number, character)."""
    bad = []
    for page, number, ch, (left, bottom, right, top) in page_chars(pdf):
        width, height = page.width, page.height
        if left < margin - 1 or right > width - margin + 1 or bottom < margin - 1 or (
                top > height - margin + 1):
            bad.append((number, ch))
    return bad


def overlapping_chars(pdf: bytes) -> list[tuple[int, str, str]]:
    """Pairs of characters drawn over each other (boxes sharing over a third of the smaller)."""
    found = []
    for page in text_layer(pdf):
        boxes = sorted((box, ch) for ch, box in page.chars)
        for i, ((l1, b1, r1, t1), c1) in enumerate(boxes):
            for (l2, b2, r2, t2), c2 in boxes[i + 1:]:
                if l2 >= r1:
                    break
                w, h = min(r1, r2) - max(l1, l2), min(t1, t2) - max(b1, b2)
                small = min((r1 - l1) * (t1 - b1), (r2 - l2) * (t2 - b2))
                if w > 0 and h > 0 and w * h > small / 3:
                    found.append((page.number, c1, c2))
    return found


def account_fields(account: Account) -> tuple[Any, ...]:
    return (account.issuer, account.name, account.params_key)


# --- what is drawn reads back ---------------------------------------------------------------


def test_home_safe_reads_back_every_account_and_the_whole_vault(demo_pdf: RenderedPdf) -> None:
    vault = demo_vault()
    texts = [code.text for code in decode_bytes(demo_pdf.pdf, dpi=150)]
    uris = [t for t in texts if t.startswith("otpauth://")]
    assert sorted(account_fields(parse_otpauth(u)) for u in uris) == sorted(
        account_fields(a) for a in vault.accounts)
    assert vault_from_paper(frames.decode_frames(texts)) == vault
    assert sorted(texts) == sorted(demo_pdf.qr_texts)


def test_home_safe_shows_secrets_check_codes_and_recovery_codes(demo_pdf: RenderedPdf) -> None:
    text = pdf_text(demo_pdf.pdf)
    for account in demo_vault().accounts:
        for line in secret_lines(account.secret_base32):
            assert line.text in text
        for code in account.recovery_codes:
            assert code in text
    assert "Check code:" in text
    assert "page 1 of " in text
    assert demo_vault().fingerprint in text
    flowing = " ".join(text.split())  # the warnings wrap wherever their size puts the breaks
    assert "this QR code is read by Aegis, 2FAS and andOTP" in flowing
    assert "ignore: algorithm SHA256, 8 digits, period 60 s" in flowing
    assert char_boxes_outside(demo_pdf.pdf, MARGIN) == []
    assert overlapping_chars(demo_pdf.pdf) == []


def test_self_check_passes_on_home_safe(demo_pdf: RenderedPdf) -> None:
    selfcheck.check_pdf(demo_pdf.pdf, demo_pdf.qr_texts)


# --- the check character ---------------------------------------------------------------------


def test_check_character_catches_every_single_typo_and_swap() -> None:
    chars = "JBSWY3DPEHPK3PXP"
    check = check_character(1, chars)
    for i, wrong in itertools.product(range(len(chars)), ALPHABET):
        if wrong != chars[i]:
            assert check_character(1, chars[:i] + wrong + chars[i + 1:]) != check
    for i, j in itertools.combinations(range(len(chars)), 2):
        if chars[i] != chars[j]:
            swapped = list(chars)
            swapped[i], swapped[j] = swapped[j], swapped[i]
            assert check_character(1, "".join(swapped)) != check
    assert check_character(2, chars) != check


def test_secret_lines_round_trip_and_name_the_mistyped_line() -> None:
    secret = demo_vault().accounts[1].secret_base32
    lines = secret_lines(secret)
    typed = [f"{line.text} {line.check}" for line in lines]
    assert read_secret_lines(typed) == secret
    bad = list(typed)
    bad[1] = ("A" if bad[1][0] != "A" else "B") + bad[1][1:]
    with pytest.raises(AccountError, match="line 2"):
        read_secret_lines(bad)
    with pytest.raises(AccountError, match="line 1"):
        read_secret_lines([typed[1], typed[0], *typed[2:]])


# --- nothing leaves the page -------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_one_account_and_long_names_stay_inside_the_page(paper: str) -> None:
    long_issuer = "Very Long Issuer Name " * 12
    long_name = "someone.with.an.extremely.long.address" * 6 + "@example.com"
    vault = Vault((
        Account(issuer=long_issuer, name=long_name, secret=b"k" * 64, algorithm="SHA512",
                digits=8, period=45, notes="word " * 600 + "x" * 400,
                recovery_codes=(*(f"code-{i:04d}" for i in range(120)), "z" * 300),
                other_factors=("a hardware key " * 20,)),
        Account(issuer="名前 Ünïcode", name="ünïcode", secret=b"\x01" * 20),
        Account(issuer="Too long", name="n" * 2500, secret=b"\x02" * 20),
    ))
    for case in (Vault(vault.accounts[:1]), vault):
        rendered = render_home_safe(case, date=DATE, generation=2, paper=PAPERS[paper])
        assert char_boxes_outside(rendered.pdf, MARGIN) == []  # and read back (self-check)
        assert overlapping_chars(rendered.pdf) == []
    text = pdf_text(rendered.pdf)
    assert "…" in text  # the long issuer is shortened visibly in the index and the heading
    assert "[U+540D]" in text  # a glyph DejaVu lacks is shown, not dropped
    assert "Ünïcode" in text
    assert "No QR code:" in text  # the 2500-character name does not fit a QR code
    assert len([t for t in rendered.qr_texts if t.startswith("otpauth://")]) == 2


def test_printable_marks_missing_glyphs() -> None:
    assert printable("a名b") == "a[U+540D]b"
    assert printable("tab\there") == "tab here"


# --- deterministic ---------------------------------------------------------------------------


def test_same_input_gives_the_same_bytes_and_matches_the_golden(demo_pdf: RenderedPdf) -> None:
    assert render_demo().pdf == demo_pdf.pdf
    # After an intended layout change, regenerate with:
    #   .venv/bin/python -c "from tests.test_render import write_golden; write_golden()"
    # and look at the new pages (docs/previews) before committing the new hash.
    assert hashlib.sha256(demo_pdf.pdf).hexdigest() == GOLDEN.read_text().split()[0]


def write_golden() -> None:
    pdf = render_demo().pdf
    GOLDEN.write_text(f"{hashlib.sha256(pdf).hexdigest()}  demo vault, A4, 2026-01-01, gen 1\n")


# --- no secrets where there must be none -------------------------------------------------------


def secrets_and_names(vault: Vault) -> list[str]:
    out = []
    for account in vault.accounts:
        out += [account.issuer, account.name, account.secret_base32]
        out += [line.text for line in secret_lines(account.secret_base32)]
        out += list(account.recovery_codes)
    return [s for s in out if len(s) >= 4]


def test_holder_sheets_show_no_secret_and_no_account_name(split_result: Any) -> None:
    rendered = render_split(split_result, date=DATE, paper=PAPERS["a4"])
    assert set(rendered) == {COVER_NAME, *sheet_names(split_result)}
    assert sheet_names(split_result)[:2] == ["share-1-of-5-Alice.pdf",
                                             "share-2-of-5-Bob-Muller.pdf"]
    forbidden = secrets_and_names(demo_vault())
    for name, sheet in rendered.items():
        text = pdf_text(sheet.pdf)
        leaks = [s for s in forbidden if s in text]
        assert leaks == [], f"{name} shows {len(leaks)} account names or secrets"
        assert not any(t.startswith("otpauth") for t in sheet.qr_texts)
        assert char_boxes_outside(sheet.pdf, MARGIN) == []
        assert overlapping_chars(sheet.pdf) == []
    first = rendered["share-1-of-5-Alice.pdf"]
    text = pdf_text(first.pdf)
    assert "For: Alice" in text and "Share 1 of 5. Any 3 of the 5" in text
    for word in split_result.shares[0].words():
        assert word.upper() in text
    cover = pdf_text(rendered[COVER_NAME].pdf)
    assert "Bob Müller" in cover and split_result.header.set_id_text in cover
    assert not any(w.upper() in cover.split() for w in split_result.shares[0].words()[8:])


def test_every_holder_page_carries_the_share_and_all_pages_read_back(split_result: Any) -> None:
    pdfs = render_split_pdfs(split_result, DATE, "letter", text_fallback=True)  # self-checked
    sheet = pdfs["share-2-of-5-Bob-Muller.pdf"]
    found = decode_bytes(sheet, dpi=150)
    share_text = split_result.shares[1].qr_text()
    pages = {code.page for code in found}
    assert {code.page for code in found if code.text == share_text} == pages
    assert frames.decode_frames(c.text for c in found if c.text != share_text) == (
        split_result.sealed_bytes)
    assert "P2F-TEXT1 SEALED" in pdf_text(sheet)


def test_passphrase_copy_has_no_plaintext(tmp_path: Path) -> None:
    vault = demo_vault()
    sealed = envelope.seal_with_passphrase(vault, "pass phrase", kdf=envelope.KDF_PROFILES["test"],
                                           now=DATE)
    rendered = render_home_safe_sealed(sealed.to_bytes(), count=len(vault),
                                       fingerprint=vault.fingerprint, date=DATE, generation=1,
                                       paper=PAPERS["a4"], text_fallback=True)
    text = pdf_text(rendered.pdf)
    assert [s for s in secrets_and_names(vault) if s in text] == []
    assert "Passphrase hint" in text and "P2F-TEXT1 SEALED" in text
    texts = [c.text for c in decode_bytes(rendered.pdf, dpi=150)]
    assert not any(t.startswith("otpauth") for t in texts)
    assert frames.decode_frames(texts) == sealed.to_bytes()


# --- the print command -----------------------------------------------------------------------


@pytest.fixture
def vault_file(tmp_path: Path) -> Path:
    path = tmp_path / "vault.json"
    path.write_bytes(demo_vault().canonical_bytes() + b"\n")
    return path


def test_print_writes_a_checked_pdf(cli: Any, vault_file: Path, tmp_path: Path,
                                    demo_pdf: RenderedPdf) -> None:
    out = tmp_path / "backup.pdf"
    result = cli("print", vault_file, "-o", out, "--date", "2026-01-01")
    assert result.code == 0, result.err
    count = len(demo_pdf.qr_texts)
    assert f"self-check: all {count} QR codes read back exactly" in result.out
    assert out.read_bytes() == demo_pdf.pdf
    assert out.stat().st_mode & 0o777 == 0o600
    again = cli("print", vault_file, "-o", out, "--date", "2026-01-01")
    assert again.code == 8 and "exists already" in again.err


def test_print_passphrase_mode_through_the_cli(cli: Any, vault_file: Path,
                                               tmp_path: Path) -> None:
    secret_file = tmp_path / "pass"
    secret_file.write_text("correct horse battery staple\n")
    out = tmp_path / "sealed.pdf"
    result = cli("print", vault_file, "-o", out, "--passphrase-file", secret_file,
                 "--paper", "letter")
    assert result.code == 0, result.err
    text = pdf_text(out.read_bytes())
    assert [s for s in secrets_and_names(demo_vault()) if s in text] == []


@pytest.mark.parametrize("content", [b"", b"\n", b"\xef\xbb\xbf  \n"])
def test_print_refuses_an_empty_passphrase_file(cli: Any, vault_file: Path, tmp_path: Path,
                                                content: bytes) -> None:
    secret_file = tmp_path / "pass"
    secret_file.write_bytes(content)
    out = tmp_path / "sealed.pdf"
    result = cli("print", vault_file, "-o", out, "--passphrase-file", secret_file)
    assert result.code == 2 and "empty or only spaces" in result.err
    assert not out.exists()


def test_print_tag_and_bad_options(cli: Any, vault_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "work.pdf"
    result = cli("print", vault_file, "-o", out, "--tag", "work", "--no-self-check")
    assert result.code == 0, result.err
    assert "3 accounts" in result.out
    assert "Example Mail" not in pdf_text(out.read_bytes())
    none = cli("print", vault_file, "-o", tmp_path / "x.pdf", "--tag", "nope")
    assert none.code == 2 and "no account has the tag" in none.err
    bad_date = cli("print", vault_file, "-o", tmp_path / "y.pdf", "--date", "01/02/2026")
    assert bad_date.code == 2 and "--date" in bad_date.err
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "y.pdf").exists()


@pytest.mark.usefixtures("self_check_loses_a_code")
def test_self_check_miss_exits_12_and_writes_nothing(cli: Any, vault_file: Path,
                                                      tmp_path: Path) -> None:
    out = tmp_path / "backup.pdf"
    result = cli("print", vault_file, "-o", out)
    assert result.code == 12
    assert "did not read back" in result.err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [vault_file]


@pytest.mark.slow
def test_2000_accounts_flow_and_read_back() -> None:
    accounts = tuple(
        Account(issuer=f"Issuer {i % 150}", name=f"user{i}@example.com",
                secret=hashlib.sha256(str(i).encode()).digest()[:20],
                recovery_codes=tuple(f"rc{i}-{j}" for j in range(i % 4)))
        for i in range(2000))
    rendered = render_home_safe(Vault(accounts), date=DATE, generation=1, paper=PAPERS["a4"])
    # render_home_safe has read every code back (SelfCheckError otherwise)
    assert len([t for t in rendered.qr_texts if t.startswith("otpauth://")]) == 2000


def one_page(draw: Any) -> bytes:
    """A one-page A4 PDF drawn by `draw(canvas)`, in the sheets' font."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from toolkit.render.fonts import SANS, register_fonts

    register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(PAPERS["a4"].width, PAPERS["a4"].height), invariant=1)
    c.setFont(SANS, 10)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_the_layout_checks_see_overlap_and_overflow() -> None:
    """The two detectors used above do find text drawn over text or off the margins."""

    def draw(c: Any) -> None:
        c.drawString(100, 400, "Overlap")
        c.drawString(101, 401, "Different")
        c.drawString(5, 800, "off the margin")

    pdf = one_page(draw)
    assert overlapping_chars(pdf)
    assert char_boxes_outside(pdf, MARGIN)


def test_the_check_character_in_docs_matches_the_code() -> None:
    """docs/FORMAT.md section 7 spells the check character out for restorers (the restore page
    points there); it must stay right."""
    import random
    import re

    doc = (Path(__file__).resolve().parents[1] / "docs" / "FORMAT.md").read_text()
    section = doc.split("## 7. Printed secret lines", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    namespace: dict[str, Any] = {}
    exec(code.group(1), namespace)  # the example's own assert runs too
    rng = random.Random(5)
    for _ in range(300):
        chars = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 16)))
        number = rng.randint(1, 80)
        assert namespace["check_character"](number, chars) == check_character(number, chars)


# --- boxes, words on one page, owner and contact ----------------------------------------------


def chars_cut_by_boxes(pdf: bytes) -> list[tuple[int, str]]:
    """Characters that a drawn box (a small stroked path: check-letter boxes, word boxes, tick
    boxes) crosses: neither wholly inside it nor clear of it."""
    found = []
    boxes = drawn_boxes(pdf)
    for _, number, ch, (cl, cb, cr, ct) in page_chars(pdf):
        for x0, b, r, t in boxes[number - 1]:
            crosses = min(cr, r) > max(cl, x0) and min(ct, t) > max(cb, b)
            inside = cl >= x0 and cr <= r and cb >= b and ct <= t
            if crosses and not inside:
                found.append((number, ch))
    return found


@lru_cache(maxsize=16)
def drawn_boxes(pdf: bytes) -> tuple[tuple[Box, ...], ...]:
    """Per page, the bounds of its small paths (2-100 wide, 2-40 high): the boxes drawn."""
    import pypdfium2.raw as pdfium_c

    doc = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for number in range(len(doc)):
            rects = [obj.get_bounds() for obj in doc[number].get_objects(
                filter=[pdfium_c.FPDF_PAGEOBJ_PATH])]
            pages.append(tuple((x0, b, r, t) for x0, b, r, t in rects
                               if 2 < r - x0 < 100 and 2 < t - b < 40))
        return tuple(pages)
    finally:
        doc.close()


def test_no_box_cuts_through_text(demo_pdf: RenderedPdf, split_result: Any) -> None:
    assert chars_cut_by_boxes(demo_pdf.pdf) == []
    for name, sheet in render_split(split_result, date=DATE, paper=PAPERS["letter"],
                                    self_check=False).items():
        assert chars_cut_by_boxes(sheet.pdf) == [], name


def test_the_box_check_sees_a_box_over_a_caption() -> None:
    """The old check-letter box: its top edge ran through the caption's last line."""

    def draw(c: Any) -> None:
        c.setFont("P2FA-Sans", 7)
        c.drawString(100, 400, "in the box")
        c.rect(110, 385, 15, 17)

    assert chars_cut_by_boxes(one_page(draw))


@cache
def worst_case_split(scheme: str) -> Any:
    """A 2-of-3 split of the demo vault with a passphrase and a holder name that takes two
    lines; made once a scheme, so its frames (the same on every sheet) are encoded once for
    all the languages and papers it is drawn in."""
    holders = ["Ann", "Dan " + "van der " * 12 + "Berg", "Cat"]
    return make_split(demo_vault(), 2, 3, holders, scheme, "pass phrase", now=DATE,
                      kdf=envelope.KDF_PROFILES["test"])


@pytest.mark.parametrize("lang", languages())
@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("scheme", ["pyshamir", "slip39"])
def test_every_word_is_on_one_page(paper: str, scheme: str, lang: str) -> None:
    """The worst case of the first pages: a passphrase note, a holder name that takes two
    lines, an owner and a contact, in every language; every word of the share is on one page
    (page one, or page two when the instructions leave no room for all of them: never part
    of them), whose backup is on page one, and the frames follow."""
    split = worst_case_split(scheme)
    sheets = render_split(split, date=DATE, paper=PAPERS[paper], owner="Alice Example",
                          contact="Alice's sister, +44 20 7946 0000", lang=lang,
                          self_check=False)
    frames_title = load_texts("share_sheet", lang)["frames_title"]
    for index, share in enumerate(split.shares):
        sheet = sheets[sheet_names(split)[index]]
        flow = next(n for n, page in enumerate(sheet.fill) if page.ends_section)
        assert flow <= 1  # the instructions and the words take at most two pages
        texts = [text.replace(" ", "") for text in page_texts(sheet.pdf)]
        numbered = [f"{number}.{word.upper()}"
                    for number, word in enumerate(share.words(), start=1)]
        holding = [n for n, text in enumerate(texts) if any(w in text for w in numbered)]
        assert len(holding) == 1, (paper, holding)
        assert all(word in texts[holding[0]] for word in numbered), paper
        assert "AliceExample" in texts[0] and "Alice'ssister" in texts[0]
        assert frames_title.replace(" ", "") in texts[flow + 1]


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_widest_words_keep_three_columns(paper: str) -> None:
    """DOWNTOWN, the widest word of the list, is set a little smaller rather than dropping to
    two columns (19 rows, which would not fit one page with their heading)."""
    from toolkit import words
    from toolkit.render.share_sheet import word_rows

    widest = sorted(words.wordlist(), key=len)[-40:]
    assert "downtown" in words.wordlist()
    for word in ["downtown", *widest]:
        assert len(word_rows([word] * 37, PAPERS[paper])) == 13, word


def page_texts(pdf: bytes) -> list[str]:
    return [page.text for page in text_layer(pdf)]


def test_split_prints_the_owner_and_contact_or_lines_for_them(cli: Any, vault_file: Path,
                                                              tmp_path: Path) -> None:
    given = cli("split", vault_file, "-k", "2", "-n", "2", "-o", tmp_path / "given",
                "--owner", "Zoë \u202eExample", "--contact", "ring Ann: 0123 456",
                "--no-self-check")
    assert given.code == 0, given.err
    for sheet in sorted((tmp_path / "given").glob("share-*.pdf")):
        page_one = page_texts(sheet.read_bytes())[0]
        assert "Whose backup this is:" in page_one and "Zoë \\u202eExample" in page_one
        assert "\u202e" not in page_one
        assert "Whom to contact about it:" in page_one and "ring Ann: 0123 456" in page_one
    blank = cli("split", vault_file, "-k", "2", "-n", "2", "-o", tmp_path / "blank",
                "--no-self-check")
    assert blank.code == 0, blank.err
    page_one = page_texts((tmp_path / "blank" / "share-1-of-2.pdf").read_bytes())[0]
    assert "Whose backup this is:" in page_one and "Whom to contact about it:" in page_one
    for option, value in (("--owner", "Ann\nBen"), ("--contact", "call\x1b[2J me"),
                          ("--owner", "x" * 201)):
        bad = cli("split", vault_file, "-k", "2", "-n", "2", "-o", tmp_path / "bad", option,
                  value)
        assert bad.code == 2 and option in bad.err, bad.err
        assert "\x1b" not in bad.err
        assert not (tmp_path / "bad").exists()


@pytest.mark.parametrize("generation", ["0", "65536", "-3"])
def test_one_generation_range_for_every_command(cli: Any, vault_file: Path, tmp_path: Path,
                                                generation: str) -> None:
    pass_file = tmp_path / "pass"
    pass_file.write_text("correct horse battery staple\n")
    runs = [
        cli("print", vault_file, "-o", tmp_path / "b.pdf", "--generation", generation),
        cli("print", vault_file, "-o", tmp_path / "c.pdf", "--generation", generation,
            "--passphrase-file", pass_file),
        cli("seal", vault_file, "-o", tmp_path / "v.p2fa", "--generation", generation,
            "--passphrase-file", pass_file),
        cli("split", vault_file, "-k", "2", "-n", "3", "-o", tmp_path / "s", "--generation",
            generation),
    ]
    for run in runs:
        assert run.code == 2
        assert f"the generation must be a number from 1 to 65535, not {int(generation)}" in (
            run.err)
    assert set(tmp_path.iterdir()) == {vault_file, pass_file}


# --- names from data on paper: long ones, hostile ones ---------------------------------------

HOSTILE = Vault((
    Account(issuer="I" * 10_000, name="me", secret=b"\x11" * 20),
    Account(issuer="Bank\u202eknaB", name="al\nice\x1b[2J", secret=b"\x12" * 20,
            notes="line one\nline\x1b[31m two\u200b", tags=("tag\u200b",),
            recovery_codes=("r" * 10_000,), other_factors=("key\u2066x",)),
))


def test_long_and_hostile_names_print_and_restore_exactly(cli: Any, tmp_path: Path) -> None:
    from toolkit.model import vault_from_json, vault_to_json

    src = tmp_path / "hostile.json"
    src.write_bytes(vault_to_json(HOSTILE))
    pdf = tmp_path / "backup.pdf"
    result = cli("print", src, "-o", pdf, "--date", "2026-01-01")
    assert result.code == 0, result.err
    assert "self-check: all" in result.out
    text = pdf_text(pdf.read_bytes())
    assert "Bank\\u202eknaB" in text and "al\\nice\\x1b[2J" in text
    assert "line\\x1b[31m two\\u200b" in text and "tag\\u200b" in text and "key\\u2066x" in text
    for raw in ("\u202e", "\x1b", "\u200b", "\u2066"):
        assert raw not in text
    assert "The name is shortened here (10002 characters in all)" in text
    assert "I" * 200 not in text.replace("\n", "").replace("\r", "")
    assert char_boxes_outside(pdf.read_bytes(), MARGIN) == []
    out = tmp_path / "restored.json"
    restored = cli("restore", pdf, "-o", out)
    assert restored.code == 0, restored.err
    assert vault_from_json(out.read_bytes()) == HOSTILE


def test_long_and_hostile_names_split_and_restore_exactly(cli: Any, tmp_path: Path) -> None:
    from toolkit.model import vault_from_json, vault_to_json

    src = tmp_path / "hostile.json"
    src.write_bytes(vault_to_json(HOSTILE))
    refused = cli("split", src, "-k", "2", "-n", "3", "-o", tmp_path / "r", "--holder",
                  "Ann \u202eX", "--holder", "Ben", "--holder", "Cy")
    assert refused.code == 2 and "holder name" in refused.err  # issue 11: refused in holders
    result = cli("split", src, "-k", "2", "-n", "3", "-o", tmp_path / "s", "--holder",
                 "Ann", "--holder", "Ben", "--holder", "C" * 300, "--owner", "Zoë \u202eX")
    assert result.code == 0, result.err
    sheets = sorted((tmp_path / "s").glob("share-*.pdf"))
    first = pdf_text(sheets[0].read_bytes())
    assert "Zoë \\u202eX" in first and "\u202e" not in first
    out = tmp_path / "restored.json"
    restored = cli("restore", sheets[0], sheets[2], "-o", out)
    assert restored.code == 0, restored.err
    assert vault_from_json(out.read_bytes()) == HOSTILE


# --- the QR writer ---------------------------------------------------------------------------


def test_codes_keep_their_mode_version_and_level() -> None:
    """The largest frame text (599 characters) fits version 15 at level M only in alphanumeric
    mode (byte mode would need version 19); share codes are level H; no code has an ECI
    header; every code reads back as its text."""
    import zxingcpp
    from PIL import Image

    from toolkit.render.qr import SHARE_ERROR_CORRECTION, QrCode

    largest = frames.FRAME_PREFIX + frames.base45_encode(b"\xff" * frames.MAX_FRAME_BYTES)
    assert len(largest) == 599
    share = make_split(demo_vault(), 2, 2, kdf=envelope.KDF_PROFILES["test"]).shares[0]
    cases = [(largest, "M", 17 + 4 * frames.MAX_QR_VERSION),
             (share.qr_text(), SHARE_ERROR_CORRECTION, None),
             (build_otpauth_demo(), "M", None)]
    for text, level, modules in cases:
        code = QrCode(text, level)
        if modules is not None:
            assert code.modules == modules
        image = Image.new("L", (code.modules + 8, code.modules + 8), 255)
        for r, row in enumerate(code.matrix):
            for c, dark in enumerate(row):
                if dark:
                    image.putpixel((c + 4, r + 4), 0)
        image = image.resize((image.width * 6, image.height * 6), Image.Resampling.NEAREST)
        (read,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        assert (read.text, read.ec_level, read.symbology_identifier) == (text, level, "]Q1")


def build_otpauth_demo() -> str:
    from toolkit.uri import build_otpauth

    return build_otpauth(demo_vault().accounts[0])
