"""Importers: one module per app format, bytes -> Vault, found by sniffing or by name.

Each module in this package defines `IMPORTERS: list[Importer]`; the registry collects them at
first use, so adding a format is adding a module. See toolkit/importers/base.py.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence

from toolkit import constants as C
from toolkit.errors import FormatError, Source, UsageError
from toolkit.importers.base import (
    Importer,
    ImportResult,
    PasswordSource,
    no_password,
    parse_json,
)

__all__ = [
    "ImportResult",
    "Importer",
    "PasswordSource",
    "all_importers",
    "find_importer",
    "import_bytes",
]

_registry: list[Importer] | None = None


def all_importers() -> list[Importer]:
    """Every registered importer, sorted by name."""
    global _registry
    if _registry is None:
        found: list[Importer] = []
        for info in pkgutil.iter_modules(__path__):
            if info.name == "base" or info.name.startswith("_"):
                continue
            module = importlib.import_module(f"{__name__}.{info.name}")
            found.extend(getattr(module, "IMPORTERS", []))
        names = [i.name for i in found]
        duplicates = {n for n in names if names.count(n) > 1}
        if duplicates:
            raise RuntimeError(f"importer names registered twice: {sorted(duplicates)}")
        _registry = sorted(found, key=lambda i: i.name)
    return _registry


def find_importer(data: bytes, filename: str, forced: str | None = None) -> Importer:
    """The importer for `forced` (a --format name) or the one that sniffs `data` most surely.

    paper2fa's own sealed vault is recognised by its magic before any app format is tried (an
    app importer would take it for encrypted data and ask for a password)."""
    if data.startswith(C.SEALED_MAGIC):
        raise FormatError("this is a paper2fa sealed vault, not an app export: it opens only "
                          "with its passphrase or with its shares", source=Source(file=filename))
    importers = all_importers()
    if forced is not None:
        for importer in importers:
            if importer.name == forced:
                return importer
        names = ", ".join(i.name for i in importers)
        raise UsageError(f"unknown format {forced!r}", hint=f"known formats: {names}")
    scored = [(importer.sniff(data, filename), importer) for importer in importers]
    scored = [(score, imp) for score, imp in scored if score > 0]
    if not scored:
        if data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] in (b"{", b"["):
            parse_json(data, filename)  # damaged or hostile JSON: say that, not "unknown"
        raise FormatError(
            "not a format paper2fa recognises",
            hint="see `paper2fa formats` for the supported apps; use --format NAME to force one",
            source=Source(file=filename),
        )
    scored.sort(key=lambda pair: -pair[0])
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        a, b = scored[0][1].name, scored[1][1].name
        raise FormatError(
            f"could be {a} or {b}",
            hint=f"use --format {a} or --format {b}",
            source=Source(file=filename),
        )
    return scored[0][1]


def import_bytes(
    data: bytes,
    filename: str = "input",
    password: PasswordSource = no_password,
    forced: str | None = None,
) -> ImportResult:
    """Import one export file's bytes into a Vault (with per-entry notes)."""
    importer = find_importer(data, filename, forced)
    return importer.load(data, password)


def formats_table() -> Sequence[tuple[str, str]]:
    return [(i.name, i.description) for i in all_importers()]

