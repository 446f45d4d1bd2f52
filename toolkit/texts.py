"""The words of sheets and screens, from templates/: one TOML file per sheet and language, so
translating is adding files (docs/translating.md). The top-level templates/ folder is installed
as the package `toolkit.templates`; each language is a folder named by its code (`en`, `de`...).

A core module (STYLE.md, "The shape"): the paper-out wing (render/, exporters/) prints these
texts and the paper-in wing (camera/, recovery/) speaks them, so neither imports the other.

Dates are written from the templates too (month names in common.toml), never from the system
locale: the live image and CI have none, and the same input must give the same bytes.

A text that counts something is a table of plural forms, `{ one = "...", other = "..." }`
(optionally `by = "more"`: the placeholder that counts, `count` unless said): `fill` writes the
form the number asks for, by the language's rule (`plural_one` in common.toml: the numbers
written with the `one` form; French counts 0 and 1 as one). Elsewhere it reads as its `other`
form."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

DEFAULT_LANGUAGE = "en"
"""The language of every sheet unless `--lang` says otherwise, whatever the locale."""


@cache
def languages() -> tuple[str, ...]:
    """The codes of the languages shipped (folders of templates/ holding common.toml), sorted."""
    base = resources.files("toolkit.templates")
    return tuple(sorted(entry.name for entry in base.iterdir()
                        if entry.is_dir() and entry.joinpath("common.toml").is_file()))


def check_language(lang: str) -> str:
    """`lang` if it is shipped; ValueError (a programming error: the CLI offers only these)."""
    if lang not in languages():
        raise ValueError(f"no language {lang!r}; shipped: {', '.join(languages())}")
    return lang


PLURAL_FORMS = frozenset({"one", "other"})
"""The forms a plural text of templates/ has: every shipped language needs only these two."""


class Plural(str):
    """A text with one form per plural category; as a plain string it is its `other` form, and
    `fill` picks the form its count asks for."""

    forms: Mapping[str, str]
    by: str
    one: frozenset[int]

    def __new__(cls, forms: Mapping[str, str], by: str, one: frozenset[int]) -> Plural:
        made = super().__new__(cls, forms["other"])
        made.forms, made.by, made.one = dict(forms), by, one
        return made

    def form(self, count: int) -> str:
        """The form for `count` in this text's language."""
        return self.forms["one" if count in self.one else "other"]


def is_plural_table(value: object) -> bool:
    """Whether a template value is a table of plural forms (one, other, and maybe by)."""
    return (isinstance(value, dict) and set(value) - {"by"} == PLURAL_FORMS
            and all(isinstance(v, str) for v in value.values()))


def _plurals(value: Any, one: frozenset[int]) -> Any:
    """`value` with every table of plural forms (at any depth) made a Plural."""
    if is_plural_table(value):
        forms = {k: v for k, v in value.items() if k in PLURAL_FORMS}
        return Plural(forms, str(value.get("by", "count")), one)
    if isinstance(value, dict):
        return {key: _plurals(item, one) for key, item in value.items()}
    if isinstance(value, list):
        return [_plurals(item, one) for item in value]
    return value


def _read(sheet: str, lang: str) -> tuple[str, dict[str, Any]]:
    """The language whose file holds `sheet` (`lang`, else English) and the file's texts."""
    base = resources.files("toolkit.templates")
    for language in (check_language(lang), DEFAULT_LANGUAGE):
        path = base.joinpath(language, f"{sheet}.toml")
        if path.is_file():
            return language, tomllib.loads(path.read_text(encoding="utf-8"))
    raise ValueError(f"no template {sheet!r} for language {lang!r}")


@cache
def plural_one(lang: str) -> frozenset[int]:
    """The numbers `lang` writes with a text's `one` form (common.toml's `plural_one`)."""
    return frozenset(int(n) for n in _read("common", lang)[1]["plural_one"])


@cache
def load_texts(sheet: str, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """The texts of one sheet (templates/<lang>/<sheet>.toml), plural tables made Plural. A
    file a language does not have yet falls back to English (tests/test_languages.py requires
    every file in every language)."""
    language, texts = _read(sheet, lang)
    result: dict[str, Any] = _plurals(texts, plural_one(language))
    return result


class _Keep(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, **values: Any) -> str:
    """Fill {placeholders}; unknown ones are left visible rather than failing. A Plural writes
    the form its count (the value of its `by` placeholder) asks for."""
    if isinstance(template, Plural):
        count = values.get(template.by)
        if isinstance(count, int):
            template = template.form(count)
    return template.format_map(_Keep(values))


def long_date(day: date, lang: str) -> str:
    """A date as a reader of `lang` writes it, with the ISO date beside it so sheets in any
    language compare: "1 January 2026 (2026-01-01)", "1. Januar 2026 (2026-01-01)"."""
    t = load_texts("common", lang)
    number = t["first_of_month"] if day.day == 1 else str(day.day)
    return fill(t["date"], day=number, month=t["months"][day.month - 1], year=day.year,
                iso=day.isoformat())


def language_name(code: str, lang: str) -> str:
    """The name of language `code` in language `lang` ("German" in English)."""
    return str(load_texts("common", lang)["language_names"][check_language(code)])


def own_name(code: str) -> str:
    """The name of a language in itself ("Deutsch"), as a choice of language shows it."""
    return language_name(code, code)
