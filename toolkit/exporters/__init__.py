"""Exporters: one module per output format, Vault -> file bytes plus per-account warnings.

Each module in this package defines `EXPORTERS: list[Exporter]`; the registry collects them at
first use, like the importers. An exporter never writes files: it returns an `ExportResult`
(one file, or several numbered parts) and the CLI writes it with toolkit.fsio.
"""

from __future__ import annotations

import importlib
import pkgutil
import random
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from toolkit.errors import FormatError, UsageError
from toolkit.model import Account, Vault
from toolkit.progress import NO_PROGRESS, Progress
from toolkit.texts import check_language

__all__ = [
    "PAPER_SIZES",
    "ExportOptions",
    "ExportResult",
    "Exporter",
    "LeftOut",
    "all_exporters",
    "dropped_fields",
    "dropped_warning",
    "export_vault",
    "find_exporter",
    "new_uuid",
    "nothing_left",
]

PAPER_SIZES = ("a4", "letter")
"""Paper sizes the PDF exporters know (A4 is the default)."""


@dataclass(frozen=True)
class ExportOptions:
    """What an export may depend on besides the vault: time, randomness and layout choices.

    `now` is a UNIX time (apps' `updatedAt` fields), `day` the date printed on sheets, `rng`
    the source of UUIDs (None: the system's randomness), `container` "pdf" or "png" for formats
    that can be either, `self_check` whether a PDF is read back before it is returned, `lang`
    the language of a PDF's texts (toolkit.texts.languages()), `progress` where the
    exports that take long (sheets, QR codes) report how far they are, `software_note` the
    owner's line printed under where to get paper2fa (the re-enrolment sheet), `large_print`
    whether the re-enrolment sheet's running text is 14 pt instead of 10.
    """

    now: int = 0
    day: date = date(2000, 1, 1)
    rng: random.Random | None = field(default=None, compare=False)
    paper: str = "a4"
    container: str = "pdf"
    self_check: bool = True
    progress: Progress = field(default=NO_PROGRESS, compare=False)
    lang: str = "en"
    software_note: str = ""
    large_print: bool = False

    def __post_init__(self) -> None:
        if self.paper not in PAPER_SIZES:
            raise ValueError(f"unknown paper size {self.paper!r}")
        if self.container not in ("pdf", "png"):
            raise ValueError(f"unknown container {self.container!r}")
        check_language(self.lang)


@dataclass(frozen=True)
class LeftOut:
    """An account an export could not carry: its label, why, and how else to carry it.

    An exporter leaves out every account the target app would refuse or compute wrong codes
    for, rather than write a file the app refuses whole or a code that never works.
    """

    label: str
    reason: str
    carry: str


@dataclass(frozen=True)
class ExportResult:
    """The bytes of an export: one file, or several numbered parts (`multi`), and warnings.

    `left_out` names the accounts that are not in the files at all; every other account of the
    vault is. Warnings name an account that is in the files and what the format could not hold
    or had to change. Neither ever contains secrets.
    """

    files: tuple[bytes, ...]
    extension: str
    warnings: tuple[str, ...] = ()
    multi: bool = False
    left_out: tuple[LeftOut, ...] = ()

    @property
    def data(self) -> bytes:
        """The single output file (ValueError for a multi-part result)."""
        if self.multi or len(self.files) != 1:
            raise ValueError("this export has several files")
        return self.files[0]


@dataclass(frozen=True)
class Exporter:
    """One output format: `export(vault, options)` returns the bytes and the warnings."""

    name: str
    description: str
    extension: str
    export: Callable[[Vault, ExportOptions], ExportResult]


_registry: list[Exporter] | None = None


def all_exporters() -> list[Exporter]:
    """Every registered exporter, sorted by name."""
    global _registry
    if _registry is None:
        found: list[Exporter] = []
        for info in pkgutil.iter_modules(__path__):
            if info.name.startswith("_"):
                continue
            module = importlib.import_module(f"{__name__}.{info.name}")
            found.extend(getattr(module, "EXPORTERS", []))
        names = [e.name for e in found]
        duplicates = {n for n in names if names.count(n) > 1}
        if duplicates:
            raise RuntimeError(f"exporter names registered twice: {sorted(duplicates)}")
        _registry = sorted(found, key=lambda e: e.name)
    return _registry


def find_exporter(name: str) -> Exporter:
    for exporter in all_exporters():
        if exporter.name == name:
            return exporter
    names = ", ".join(e.name for e in all_exporters())
    raise UsageError(f"unknown export format {name!r}", hint=f"known formats: {names}")


def export_vault(vault: Vault, name: str, options: ExportOptions | None = None) -> ExportResult:
    """Export a vault in the format called `name`."""
    return find_exporter(name).export(vault, options or ExportOptions())


def new_uuid(rng: random.Random | None) -> str:
    """A random (version 4) UUID, from `rng` when given so tests repeat exactly."""
    if rng is None:
        return str(uuid.uuid4())
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


_FIELD_NAMES = {
    "notes": "notes",
    "tags": "tags",
    "recovery_codes": "recovery codes",
    "other_factors": "other factors",
}


def nothing_left(vault: Vault, left_out: Sequence[LeftOut], app: str, other: str) -> None:
    """Refuse an export in which every account was left out (there would be nothing to write)."""
    if vault.accounts and len(left_out) == len(vault.accounts):
        raise FormatError(f"no account of this vault can be stored in {app}'s format",
                          hint=f"use {other} instead")


def dropped_fields(account: Account, holds: Iterable[str]) -> list[str]:
    """The optional fields of `account` that have content but that a format cannot hold."""
    kept = set(holds)
    return [
        label
        for key, label in _FIELD_NAMES.items()
        if key not in kept and getattr(account, key)
    ]


def dropped_warning(account: Account, holds: Iterable[str], app: str) -> list[str]:
    """A warning naming the account and each field it has that `app`'s format cannot hold."""
    lost = dropped_fields(account, holds)
    if not lost:
        return []
    return [f"{account.label}: {_join(lost)} not exported ({app} has no place for them)"]


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
