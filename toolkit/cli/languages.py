"""The language of the sheets: `--lang` (print, split, export) and split's `--holder-lang`.

The default is English whatever the locale, so the same input always gives the same bytes; when
the locale names another shipped language, one line on stderr suggests `--lang`. Messages on
the terminal stay English (docs/translating.md).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence

from toolkit.cli.common import warn
from toolkit.errors import UsageError
from toolkit.texts import DEFAULT_LANGUAGE, language_name, languages

LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
"""Where the locale's language is read for the hint, the first one set wins (as in POSIX)."""


def add_lang_option(parser: argparse.ArgumentParser, *, holders: bool = False) -> None:
    """`--lang LANG`, and with `holders` the per-sheet `--holder-lang LANG` of split."""
    codes = ", ".join(languages())
    parser.add_argument("--lang", choices=languages(), metavar="LANG",
                        help=f"language of the sheets: {codes} (default {DEFAULT_LANGUAGE}, "
                        "whatever the locale)")
    if holders:
        parser.add_argument("--holder-lang", action="append", default=[], choices=languages(),
                            metavar="LANG", dest="holder_langs",
                            help="language of share i's sheet: give it n times, in the order "
                            "of the shares (and of --holder); the cover stays in --lang")


def locale_language(environ: Mapping[str, str]) -> str | None:
    """The shipped language the locale names ("de_DE.UTF-8" -> "de"), if any."""
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable, "")
        if value:
            code = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return code if code in languages() else None
    return None


def sheet_language(args: argparse.Namespace,
                   environ: Mapping[str, str] | None = None) -> str:
    """The language `--lang` chose, else English, with a hint when the locale names another
    shipped language."""
    if args.lang:
        return str(args.lang)
    code = locale_language(os.environ if environ is None else environ)
    if code is not None and code != DEFAULT_LANGUAGE:
        warn(f"the sheets are in English; for {language_name(code, DEFAULT_LANGUAGE)} sheets "
             f"add --lang {code}")
    return DEFAULT_LANGUAGE


def holder_languages(args: argparse.Namespace, count: int) -> list[str]:
    """split's `--holder-lang` values, checked: none, or one per share."""
    langs: Sequence[str] = args.holder_langs
    if langs and len(langs) != count:
        raise UsageError(f"{len(langs)} --holder-lang languages for {count} shares: give one "
                         "per share, in order")
    return list(langs)
