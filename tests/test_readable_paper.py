"""What a sheet's reader needs whole (issue 19): holder names transliterated into file names,
never stripped of letters; the cover letter's table wraps instead of cutting with …; the
audit checklist never hides a single remaining account behind "and 1 more"."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from test_render import pdf_text

from toolkit import envelope
from toolkit.audit import AccountRef, AuditReport
from toolkit.demo import demo_vault
from toolkit.render.checklist import MAX_NAMES, audit_facts
from toolkit.render.cover import file_name_lines, render_cover
from toolkit.render.fonts import SANS
from toolkit.render.layout import PAPERS
from toolkit.render.split import sheet_names
from toolkit.sharing import make_split, safe_holder
from toolkit.texts import languages

DATE = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(("name", "part"), [
    ("Jürgen Weiß", "Jurgen-Weiss"),
    ("Käthe Großmann", "Kathe-Grossmann"),
    ("Anaïs Dubœuf", "Anais-Duboeuf"),
    ("Søren Ærø", "Soren-Aero"),
    ("Łukasz Żółć", "Lukasz-Zolc"),
    ("Þórður Đorđević", "Thordur-Dordevic"),
    ("Γιώργος Παπαδόπουλος", "Giorgos-Papadopoylos"),
    ("Фёдор Достоевский", "Fedor-Dostoevskiy"),
    ("王小明", "WangXiaoMing"),
    ("山田 太郎", "ShanTian-TaiLang"),
    ("김민준", "GimMinJun"),
    ("François\u0301", "Francois"),  # a combining accent left over
    ("Zoe\u0308 N\u0303un\u0303ez", "Zoe-Nunez"),  # decomposed (NFD) letters
])
def test_holder_names_are_transliterated_into_file_names(name: str, part: str) -> None:
    assert safe_holder(name) == part


def test_a_file_name_part_keeps_every_letter_of_a_latin_name() -> None:
    """Every letter of a Latin-script name gives at least one letter: none is dropped."""
    for name in ("Weiß", "Großmann", "Dubœuf", "Ærø", "Łódź", "Straße", "Œdipe"):
        assert len(safe_holder(name)) >= len(name), name


def test_file_names_of_a_split_carry_the_transliterated_holders() -> None:
    split = make_split(demo_vault(), 2, 3, ["Jürgen Weiß", "Käthe Großmann", "Anaïs Dubœuf"],
                       now=DATE, kdf=envelope.KDF_PROFILES["test"])
    assert sheet_names(split) == ["share-1-of-3-Jurgen-Weiss.pdf",
                                  "share-2-of-3-Kathe-Grossmann.pdf",
                                  "share-3-of-3-Anais-Duboeuf.pdf"]


# --- the cover letter's table: wrapped, never cut ----------------------------------------------

LONG_HOLDERS = ["François Lefebvre-Desmarais de la Tour d'Auvergne", "Jürgen Weiß",
                "Maria-Dolores Fernández de Córdoba y Montenegro", "Анастасия Александровна",
                "Zoë Ñúñez"]


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("lang", languages())
def test_no_cell_of_the_cover_letter_is_cut(lang: str, paper: str) -> None:
    split = make_split(demo_vault(), 3, 5, LONG_HOLDERS, now=DATE,
                       kdf=envelope.KDF_PROFILES["test"])
    names = sheet_names(split)
    cover = render_cover(split.header, split.holders, names, [lang] * 5, date=DATE,
                         paper=PAPERS[paper], lang=lang, self_check=False)
    text = pdf_text(cover.pdf)
    assert "…" not in text
    # cells of one row interleave in the text layer: each piece of a name is there whole
    joined = re.sub(r"\s+", "", text)
    for name in names:
        for piece in name.split("-"):
            assert piece in joined, (name, piece)
    assert "Lefebvre-Desmarais-de-la-Tour-d.pdf" in names[0]
    for holder in LONG_HOLDERS:
        for word in holder.split():
            assert word in text, (holder, word)


def test_a_file_name_breaks_after_its_own_dashes() -> None:
    name = "share-3-of-5-Francois-Lefebvre-Desmarais-de-la-Tour.pdf"
    lines = file_name_lines(name, SANS, 10, 120)
    assert "".join(lines) == name and len(lines) > 1
    assert all(line.endswith("-") for line in lines[:-1])
    assert file_name_lines("share-1-of-2.pdf", SANS, 10, 200) == ["share-1-of-2.pdf"]
    # a part wider than the column is broken inside it, and nothing is lost
    wide = "share-1-of-2-" + "X" * 80 + ".pdf"
    assert "".join(file_name_lines(wide, SANS, 10, 100)) == wide


# --- the checklist never hides one name --------------------------------------------------------

def report_with(count: int) -> AuditReport:
    refs = tuple(AccountRef(f"Issuer {i}", f"user{i}@example.org") for i in range(count))
    return AuditReport(fingerprint="F00D", account_count=count, no_recovery_codes=refs,
                       no_other_factor=(), hotp=(), short_secrets=(), duplicates=(),
                       ignored_settings=(), move_order=())


@pytest.mark.parametrize("count", [1, MAX_NAMES, MAX_NAMES + 1, MAX_NAMES + 2, 20])
@pytest.mark.parametrize("lang", languages())
def test_a_single_remaining_name_is_shown_not_counted(count: int, lang: str) -> None:
    (fact,) = audit_facts(report_with(count), lang=lang)
    shown = [i for i in range(count) if f"user{i}@example.org" in fact]
    if count <= MAX_NAMES + 1:
        assert shown == list(range(count)), fact
        assert not re.search(r"\b1 (more|weitere|autre|más)", fact)
    else:
        assert shown == list(range(MAX_NAMES))
        assert str(count - MAX_NAMES) in fact.rsplit(";", 1)[1]


@pytest.mark.parametrize("lang", languages())
def test_accounts_without_a_fallback_are_named_once(lang: str) -> None:
    """Those accounts lack recovery codes and another method too: the two findings that
    would list them again say "the N above" (the list was printed three times)."""
    both = tuple(AccountRef(f"Both {i}", "me") for i in range(3))
    only_codes = AccountRef("Codes only", "me")
    report = AuditReport(fingerprint="F00D", account_count=4,
                         no_recovery_codes=(*both, only_codes), no_other_factor=both, hotp=(),
                         short_secrets=(), duplicates=(), ignored_settings=(), move_order=())
    facts = audit_facts(report, lang=lang)
    assert len(facts) == 3
    text = "\n".join(facts)
    for ref in both:
        assert text.count(ref.label) == 1, (ref.label, facts)
    assert text.count(only_codes.label) == 1 and only_codes.label in facts[1]
    assert "3" in facts[2] and "Both" not in facts[2]
