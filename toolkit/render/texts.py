"""Page texts from templates/: one TOML file per sheet and language, so translating is adding
files. The top-level templates/ folder is installed as the package `toolkit.templates`."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

DEFAULT_LANGUAGE = "en"


@cache
def load_texts(sheet: str, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """The texts of one sheet (templates/<lang>/<sheet>.toml); falls back to English."""
    base = resources.files("toolkit.templates")
    for language in (lang, DEFAULT_LANGUAGE):
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
