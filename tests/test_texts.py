"""The texts of templates/ as a reader sees them (issue 19): real plurals in each language's
rule, never "account(s)"; French no-break spaces before high punctuation; no double spaces;
Steam codes called the same on every sheet."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from toolkit.texts import Plural, fill, languages, load_texts, plural_one

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"

TERMINAL_SPACING = {("menu", "greeting_next")}
"""Texts that set a command apart with two spaces on a terminal ("type  paper2fa  and")."""


def texts(lang: str) -> dict[str, Any]:
    return {path.stem: tomllib.loads(path.read_text(encoding="utf-8"))
            for path in sorted((TEMPLATES / lang).glob("*.toml"))}


def strings(value: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    """Every string of a template file (plural forms included), with its path of keys."""
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in strings(item, (*path, key))]
    if isinstance(value, list):
        return [found for item in value for found in strings(item, path)]
    return []


def every_string(lang: str) -> list[tuple[str, tuple[str, ...], str]]:
    return [(sheet, path, text) for sheet, table in texts(lang).items()
            for path, text in strings(table)]


PSEUDO_PLURAL = re.compile(r"\w\((s|n|en|e|es|x|nen)\)", re.IGNORECASE)


@pytest.mark.parametrize("lang", languages())
def test_no_template_writes_a_pseudo_plural(lang: str) -> None:
    found = [(sheet, path, text) for sheet, path, text in every_string(lang)
             if PSEUDO_PLURAL.search(text)]
    assert found == []
    raw = "\n".join(p.read_text(encoding="utf-8") for p in (TEMPLATES / lang).glob("*.toml"))
    assert not PSEUDO_PLURAL.search(raw)


EXPECTED_ONE = {"en": {1}, "de": {1}, "es": {1}, "fr": {0, 1}}
"""Which of the counts 0, 1, 2 take the singular (CLDR: French counts 0 and 1 as one)."""


@pytest.mark.parametrize("lang", languages())
@pytest.mark.parametrize("count", [0, 1, 2, 7])
def test_counts_pick_the_languages_plural_form(lang: str, count: int) -> None:
    assert (count in plural_one(lang)) == (count in EXPECTED_ONE[lang])
    checklist = load_texts("checklist", lang)
    text = checklist["fact_no_recovery"]
    assert isinstance(text, Plural)
    written = fill(text, count=count)
    form = "one" if count in EXPECTED_ONE[lang] else "other"
    assert written == text.forms[form].replace("{count}", str(count))
    assert f"{count} " in written
    # the words that differ between the forms show which was taken
    one, other = (fill(text.forms[f], count=count) for f in ("one", "other"))
    assert one != other and written == (one if form == "one" else other)


def test_each_language_writes_one_and_many_accounts() -> None:
    def no_recovery(lang: str, count: int) -> str:
        return fill(load_texts("checklist", lang)["fact_no_recovery"], count=count)

    assert no_recovery("en", 1).endswith("for 1 account")
    assert no_recovery("en", 0).endswith("for 0 accounts")
    assert no_recovery("de", 1).endswith("für 1 Konto")
    assert no_recovery("de", 2).endswith("für 2 Konten")
    assert no_recovery("fr", 0).endswith("pour 0 compte")
    assert no_recovery("fr", 1).endswith("pour 1 compte")
    assert no_recovery("fr", 2).endswith("pour 2 comptes")
    assert no_recovery("es", 1).endswith("para 1 cuenta")
    assert no_recovery("es", 2).endswith("para 2 cuentas")
    fr = load_texts("camera", "fr")["progress"]
    assert fill(fr["next_sheet_all"], title="T", more=1).endswith("encore 1 feuille nécessaire.")
    assert fill(fr["next_sheet_all"], title="T", more=2).endswith("2 feuilles nécessaires.")
    es = load_texts("camera", "es")["progress"]
    assert fill(es["next_sheet"], title="T", more=1).endswith("falta 1.")
    assert fill(es["next_sheet"], title="T", more=3).endswith("faltan 3.")


def test_a_plural_read_as_a_plain_string_is_its_other_form() -> None:
    text = load_texts("home_safe", "en")["intro"][-1]
    assert isinstance(text, Plural) and text.strip() == text.forms["other"]
    assert "1 account." in fill(text, count=1, fingerprint="F", generation=1)
    assert "3 accounts." in fill(text, count=3, fingerprint="F", generation=1)
    # a count that is not given leaves the placeholder visible, in the other form
    assert "{count} accounts" in fill(text, fingerprint="F", generation=1)


HIGH_PUNCTUATION = ":;!?»"
NO_BREAK = "\u00a0\u202f"


@pytest.mark.parametrize("path", sorted((TEMPLATES / "fr").glob("*.toml")), ids=lambda p: p.name)
def test_french_high_punctuation_has_a_no_break_space(path: Path) -> None:
    """Before : ; ! ? » and after « a French text has a no-break space, never a breaking one
    (a line must not start with a colon); the whole file, comments too."""
    text = path.read_text(encoding="utf-8")
    bad = [text[max(0, m.start() - 20):m.end() + 5] for m in
           re.finditer(rf"[ \t\n][{re.escape(HIGH_PUNCTUATION)}]|«[ \t\n]", text)]
    assert bad == [], f"{path.name}: ordinary space at {bad[:5]}"
    for m in re.finditer("»", text):
        assert text[m.start() - 1] in NO_BREAK, text[m.start() - 20:m.end()]
    for m in re.finditer("«", text):
        assert text[m.end()] in NO_BREAK, text[m.start():m.end() + 20]
    # ; ! ? follow a word only with a no-break space between (":" also ends times: 00:00)
    for m in re.finditer(r"\w[;!?]", text):
        pytest.fail(f"{path.name}: no space before {text[m.start():m.end() + 10]!r}")


def test_spanish_and_every_unit_keep_the_number_with_it() -> None:
    for lang in languages():
        assert "\u00a0s" in load_texts("common", lang)["ignored_period"], lang


@pytest.mark.parametrize("lang", languages())
def test_no_template_text_has_double_spaces(lang: str) -> None:
    found = [(sheet, path, text) for sheet, path, text in every_string(lang)
             if (sheet, path[-1] if path else "") not in TERMINAL_SPACING
             and re.search(r"\S  +\S", text.replace("\u00a0", " "))]
    assert found == []


@pytest.mark.parametrize("lang", languages())
def test_steam_codes_are_called_the_same_on_every_sheet(lang: str) -> None:
    """Steam codes hold digits too: "characters", not "letters", on every sheet."""
    home = load_texts("home_safe", lang)["settings_steam"]
    reenroll = load_texts("reenroll", lang)["settings_steam"]
    word = re.search(r"5 (\w+)", home)
    assert word is not None and f"5 {word.group(1)}" in reenroll
    assert word.group(1).lower() in {"characters", "zeichen", "caractères", "caracteres"}


@pytest.mark.parametrize("lang", languages())
def test_the_holder_sheet_says_any_k_of_n_and_that_words_repeat(lang: str) -> None:
    sheet = load_texts("share_sheet", lang)
    line = fill(sheet["share_line"], index=1, n=5, k=3)
    anyone = {"en": "Any 3 of the 5", "de": "Beliebige 3 der 5",
              "fr": "3 parts quelconques sur les 5", "es": "Bastan 3 partes cualesquiera de las 5"}
    assert anyone[lang] in line
    repeats = {"en": "more than once", "de": "mehrmals", "fr": "plusieurs fois",
               "es": "repetirse"}
    assert repeats[lang] in sheet["words_intro"]
