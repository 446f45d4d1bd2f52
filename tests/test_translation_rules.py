"""Rules a native reader applies to the German, French and Spanish texts that a machine can
check too (issue 19, "checked the same way again"): a number keeps its unit on one line (in
English too), Spanish questions and exclamations open with ¿ and ¡, French puts a no-break
space before %, each language quotes with its own marks, and the words of docs/glossary.md are
used throughout (German „Handy“ and „Teil“, never „Telefon“ or „Anteil“). tests/test_texts.py
holds the rules shared with English (plurals, French high punctuation, double spaces, Steam's
characters)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from test_texts import strings

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
TRANSLATED = ["de", "fr", "es"]
NO_BREAK = "\u00a0\u202f"


def values(lang: str) -> list[tuple[str, str, str]]:
    """(file, key path, text) of every text of `lang` the rules read."""
    found: list[tuple[str, str, str]] = []
    for path in sorted((TEMPLATES / lang).glob("*.toml")):
        table = tomllib.loads(path.read_text(encoding="utf-8"))
        found.extend((path.stem, ".".join(keys), text) for keys, text in strings(table))
    return found


UNIT = re.compile(r"(?:\d|\})[ \t]+(?:mm|cm|%|DPI|dpi|s|Bit|bits|KB|MB|GB)(?![\w'’])")
"""An ordinary space between a number (or a {placeholder} holding one) and its unit: "60 s",
"50 mm", "100 %", "300 DPI", "128 bits", "{period} s". A printed line could break there."""


def test_the_unit_pattern_finds_what_a_reader_would_see() -> None:
    assert UNIT.search("mit 300 DPI scannen") and UNIT.search("alle {period} s")
    assert UNIT.search("à 100 %") and UNIT.search("unter 128 Bit)")
    assert not UNIT.search("mit 300\u00a0DPI") and not UNIT.search("{title} s'ouvre")
    assert not UNIT.search("3 sheets") and not UNIT.search("2 secondes")


@pytest.mark.parametrize("lang", ["en", *TRANSLATED])
def test_a_number_keeps_its_unit(lang: str) -> None:
    """In English too: "50\u00a0mm", "300\u00a0DPI", "100\u00a0%" (the project writes the
    percent sign apart, as the CLI and the docs do)."""
    bad = [(sheet, key, text[max(0, m.start() - 20):m.end()])
           for sheet, key, text in values(lang) for m in UNIT.finditer(text)]
    assert bad == [], f"{lang}: write a no-break space (U+00A0) between number and unit: {bad}"


def test_every_file_of_each_language_is_read() -> None:
    for lang in TRANSLATED:
        files = {sheet for sheet, _, _ in values(lang)}
        shipped = {p.stem for p in (TEMPLATES / lang).glob("*.toml")}
        assert files == shipped and "restore_messages" in files and len(files) >= 9, lang


def _unopened(text: str, opening: str, closing: str) -> list[str]:
    """The sentences of `text` that end with `closing` but hold no `opening` since the
    previous sentence end (Spanish: "¿Qué quiere hacer?", never "Qué quiere hacer?")."""
    bad, start = [], 0
    for m in re.finditer(re.escape(closing), text):
        sentence = text[start:m.end()]
        if opening not in sentence:
            bad.append(sentence)
        start = m.end()
    return bad


def test_spanish_questions_and_exclamations_open_with_their_mark() -> None:
    bad = [(sheet, key, sentence) for sheet, key, text in values("es")
           for opening, closing in (("¿", "?"), ("¡", "!"))
           for sentence in _unopened(text, opening, closing)]
    assert bad == []
    asked = [text for _, key, text in values("es") if key in {"choose", "restore_how"}]
    assert len(asked) == 2 and all(text.startswith("¿") for text in asked)


def test_an_unopened_spanish_question_is_found() -> None:
    assert _unopened("¿Qué quiere hacer? Escriba.", "¿", "?") == []
    assert _unopened("Hecho. Qué quiere hacer?", "¿", "?") == ["Hecho. Qué quiere hacer?"]


def test_french_keeps_a_no_break_space_before_percent() -> None:
    bad = [(sheet, key, text[max(0, m.start() - 10):m.end()])
           for sheet, key, text in values("fr") for m in re.finditer("%", text)
           if m.start() == 0 or text[m.start() - 1] not in NO_BREAK]
    assert bad == []


QUOTES = {"de": ("„", "“"), "fr": ("«", "»"), "es": ("«", "»")}
"""Each language's quotation marks: German „…“, French « … », Spanish «…»."""


@pytest.mark.parametrize("lang", TRANSLATED)
def test_each_language_quotes_with_its_own_marks(lang: str) -> None:
    opening, closing = QUOTES[lang]
    for sheet, key, text in values(lang):
        assert '"' not in text, f"{lang}/{sheet} {key}: straight quote in {text!r}"
        assert text.count(opening) == text.count(closing), f"{lang}/{sheet} {key}: {text!r}"
        others = set("„“”«»") - {opening, closing}
        assert not others & set(text), f"{lang}/{sheet} {key}: foreign quotes in {text!r}"


GLOSSARY = {
    "de": {r"\bTelefon": "Handy", r"\bSmartphone": "Handy", r"Anteil": "Teil"},
    "fr": {r"phrase secrète": "phrase de passe", r"\bportable\b": "téléphone"},
    "es": {r"\bmóvil\b": "teléfono", r"\bcontraseña maestra": "frase de contraseña",
           r"\btecle(?:ar\w*|ad[ao]s?|e|a|ó)\b": "escribir"},
}
"""Words a reader would take for something else than the glossary's (docs/glossary.md), with
the word to use instead: one thing, one word, on every sheet and screen."""


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_glossary_words_are_used_everywhere(lang: str) -> None:
    bad = [(sheet, key, pattern, GLOSSARY[lang][pattern])
           for sheet, key, text in values(lang) for pattern in GLOSSARY[lang]
           if re.search(pattern, text)]
    assert bad == []


def test_the_glossary_names_the_words_these_tests_ask_for() -> None:
    glossary = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    for word in ("Tresor", "Teil", "phrase de passe", "frase de contraseña", "Prüfcode"):
        assert word in glossary, word
