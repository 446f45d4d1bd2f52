"""What every importer shares: the Importer record, the result, password access, entry helpers."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from toolkit.errors import AccountError, FormatError, PasswordRequiredError, WrongPasswordError
from toolkit.model import Account, Vault, merge_accounts

PasswordSource = Callable[[], str]
"""Called by an importer only when the file is encrypted; the CLI reads a file or prompts."""


def no_password() -> str:
    raise PasswordRequiredError("this file is encrypted and no password was given")


@dataclass(frozen=True)
class ImportResult:
    vault: Vault
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Importer:
    """One supported file type.

    `sniff(data, filename)` returns 0 when the data is surely not this format, and higher numbers
    the surer it is (10: a magic or a format-specific key; 5: a plausible structure; 1: a guess).
    `load(data, password)` returns the accounts or raises FormatError / WrongPasswordError.
    """

    name: str
    description: str
    sniff: Callable[[bytes, str], int]
    load: Callable[[bytes, PasswordSource], ImportResult]
    encrypted: bool = False


class EntryCollector:
    """Collects accounts from a file's entries, turning a bad entry into a note, not a failure."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.accounts: list[Account] = []
        self.notes: list[str] = []

    def add(self, where: str, make: Callable[[], Account | None]) -> None:
        """Build one account with `make`; a bad entry is skipped with a note naming `where`."""
        try:
            account = make()
        except AccountError as exc:
            self.notes.append(f"{self.source}: skipped {where}: {exc.message}")
            return
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            what = f"missing field {exc}" if isinstance(exc, KeyError) else "malformed entry"
            self.notes.append(f"{self.source}: skipped {where}: {what}")
            return
        if account is not None:
            self.accounts.append(account)

    def skip(self, where: str, why: str) -> None:
        self.notes.append(f"{self.source}: skipped {where}: {why}")

    def result(self) -> ImportResult:
        """The imported vault; a file with nothing valid in it is an error."""
        if not self.accounts:
            detail = f" ({'; '.join(self.notes[:3])})" if self.notes else ""
            raise FormatError(f"{self.source}: no usable accounts in this file{detail}")
        merged = merge_accounts([self.accounts])
        return ImportResult(merged.vault, tuple(self.notes) + merged.notes)


def parse_json(data: bytes, source: str) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise FormatError(f"{source}: not valid JSON") from None


def json_object_keys(data: bytes) -> set[str]:
    """Top-level keys of a JSON object, or an empty set when the data is not one (for sniffing)."""
    head = data.lstrip()[:1]
    if head not in (b"{", b"\xef"):
        return set()
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return set()
    return set(obj) if isinstance(obj, dict) else set()


def wrong_password(app: str) -> WrongPasswordError:
    return WrongPasswordError(f"wrong password for this {app} export")


def lines_of(data: bytes) -> Iterable[str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormatError("not a text file") from None
    return (line.strip() for line in text.splitlines())
