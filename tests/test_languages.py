"""Sheets in the reader's language (issue 14): every language has every text with the same
placeholders; its sheets render, read back and keep their page count; the fonts draw every
character; nothing overflows; what a person types from a page reads the same in any language;
the options of print, split and export and the first screen's choice of language."""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from toolkit.render.texts import DEFAULT_LANGUAGE, languages

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
DATE = datetime(2026, 1, 1, tzinfo=UTC)
OTHERS = [code for code in languages() if code != DEFAULT_LANGUAGE]

FREE_LISTS = {("menu", "yes")}
"""Lists whose length is the language's own (the words taken as yes); every other list keeps
the English structure: the same number of paragraphs, blank lines at the same places."""


def test_the_three_languages_ship_beside_english() -> None:
    assert set(languages()) >= {"de", "en", "es", "fr"}


@cache
def texts_of(lang: str) -> dict[str, dict[str, Any]]:
    return {path.stem: tomllib.loads(path.read_text(encoding="utf-8"))
            for path in sorted((TEMPLATES / lang).glob("*.toml"))}


def placeholders(text: str) -> set[str]:
    """The {names} of a template text (ValueError on a stray brace)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def leaves(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    else:
        yield path, value


def strings_in(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [s for s in value if isinstance(s, str)] if (
        isinstance(value, list)) else []


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
            assert type(other) is type(value), where
            if isinstance(value, list) and (sheet, key[-1]) not in FREE_LISTS:
                assert len(other) == len(value), f"{where}: {len(other)} items, not {len(value)}"
                assert [bool(s.strip()) for s in other] == [bool(s.strip()) for s in value], (
                    f"{where}: blank lines not where English has them")
            if isinstance(value, int):
                assert other == value, where
            want = set().union(*map(placeholders, strings_in(value)))
            got = set().union(*map(placeholders, strings_in(other)))
            assert got == want, f"{where}: placeholders {sorted(got)}, English {sorted(want)}"


@pytest.mark.parametrize("lang", languages())
def test_dates_are_written_from_the_templates(lang: str) -> None:
    from toolkit.render.texts import long_date, own_name

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
    from toolkit.render.texts import long_date

    first, later = date(2026, 3, 1), date(2026, 12, 24)
    assert [long_date(first, code) for code in ("de", "en", "es", "fr")] == [
        "1. März 2026 (2026-03-01)", "1 March 2026 (2026-03-01)",
        "1 de marzo de 2026 (2026-03-01)", "1er mars 2026 (2026-03-01)"]
    assert long_date(later, "fr") == "24 décembre 2026 (2026-12-24)"
    assert long_date(later, "de") == "24. Dezember 2026 (2026-12-24)"
