"""Page texts from templates/: one TOML file per sheet and language, so translating is adding
files (docs/translating.md). The top-level templates/ folder is installed as the package
`toolkit.templates`; each language is a folder named by its code (`en`, `de`...).

Dates are written from the templates too (month names in common.toml), never from the system
locale: the live image and CI have none, and the same input must give the same bytes."""

from __future__ import annotations

import tomllib
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


@cache
def load_texts(sheet: str, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """The texts of one sheet (templates/<lang>/<sheet>.toml). A file a language does not have
    yet falls back to English (tests/test_languages.py requires every file in every language)."""
    base = resources.files("toolkit.templates")
    for language in (check_language(lang), DEFAULT_LANGUAGE):
        path = base.joinpath(language, f"{sheet}.toml")
        if path.is_file():
            return tomllib.loads(path.read_text(encoding="utf-8"))
    raise ValueError(f"no template {sheet!r} for language {lang!r}")


class _Keep(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, **values: Any) -> str:
    """Fill {placeholders}; unknown ones are left visible rather than failing."""
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
