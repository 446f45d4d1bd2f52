"""What every importer shares: the Importer record, the result, password access, entry helpers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from toolkit import constants as C
from toolkit import json_input
from toolkit.display import shortened
from toolkit.errors import FormatError, PasswordRequiredError, Source, WrongPasswordError
from toolkit.model import Account, Vault, merge_accounts
from toolkit.uri import IssuerMismatch, read_otpauth

PasswordSource = Callable[[], str]
"""Called by an importer only when the file is encrypted; the CLI reads a file or prompts."""


def no_password() -> str:
    raise PasswordRequiredError("this file is encrypted and no password was given")


@dataclass(frozen=True)
class IssuerNote:
    """An entry whose otpauth URI named two issuers (`uri.IssuerMismatch`), and where it was:
    `source` the file's kind ("URI list"), `where` the entry ("line 3")."""

    source: str
    where: str
    mismatch: IssuerMismatch


@dataclass(frozen=True)
class ImportResult:
    vault: Vault
    notes: tuple[str, ...] = ()
    issuer_notes: tuple[IssuerNote, ...] = ()


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


NOTE_LIMIT = 200
"""Characters of one skipped entry's reason in a note (a reason may quote a value of the file)."""


class EntryCollector:
    """Collects accounts from a file's entries, turning a bad entry into a note, not a failure.

    Every entry offered (added, skipped or extended) counts towards `MAX_IMPORT_ENTRIES`: one
    more is a FormatError at once, so no file makes an importer parse millions of entries.
    Skipped entries are listed one by one up to `MAX_LISTED_NOTES`, then counted by reason.
    """

    def __init__(self, source: str, limit: int = C.MAX_IMPORT_ENTRIES) -> None:
        self.source = source
        self.limit = limit
        self.accounts: list[Account] = []
        self.offered = 0
        self._skipped: list[tuple[str | None, str]] = []
        self._notes: list[str] = []
        self._issuer_notes: list[IssuerNote] = []

    def _count(self, n: int = 1) -> None:
        self.offered += n
        if self.offered > self.limit:
            raise FormatError(f"more than {self.limit} entries; no real export holds that many, "
                              "so the file is refused", source=Source(label=self.source),
                              hint="this file is damaged or was made to exhaust this machine; "
                              "export it again from the app")

    def add(self, where: str, make: Callable[[], Account | None]) -> None:
        """Build one account with `make`; a bad entry is skipped with a note naming `where`."""
        self._count()
        try:
            account = make()
        except FormatError as exc:  # AccountError, or a damaged part of this entry
            self._skipped.append((where, exc.located))
            return
        except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError
                ) as exc:
            what = f"missing field {exc}" if isinstance(exc, KeyError) else "malformed entry"
            self._skipped.append((where, what))
            return
        if account is not None:
            self.accounts.append(account)

    def add_uri(self, where: str, uri: str) -> None:
        """An entry that is an otpauth URI (`add`), noting a label issuer other than its
        issuer= parameter."""

        def make() -> Account:
            reading = read_otpauth(uri)
            if reading.issuer_mismatch is not None:
                self._issuer_notes.append(IssuerNote(self.source, where,
                                                     reading.issuer_mismatch))
            return reading.account

        self.add(where, make)

    def extend(self, accounts: Iterable[Account]) -> None:
        """Accounts already built (a Google batch), counted like entries."""
        for account in accounts:
            self._count()
            self.accounts.append(account)

    def skip(self, where: str, why: str) -> None:
        self._count()
        self._skipped.append((where, why))

    def skipped_elsewhere(self, text: str) -> None:
        """An entry skipped by a decoder that words its own note (a Google batch)."""
        self._count()
        self._skipped.append((None, text))

    def note(self, text: str) -> None:
        """A note about the file as a whole (shown as given, after the skipped entries)."""
        self._notes.append(text)

    @property
    def notes(self) -> list[str]:
        """Skipped entries (the first few by name, the rest counted by reason), then notes."""
        listed = [(None if where is None else shortened(where), shortened(why, NOTE_LIMIT))
                  for where, why in self._skipped[: C.MAX_LISTED_NOTES]]
        out = [f"{self.source}: skipped {where}: {why}" if where is not None
               else f"{self.source}: {why}" for where, why in listed]
        rest = self._skipped[C.MAX_LISTED_NOTES :]
        if rest:
            reasons = Counter(why for _, why in rest).most_common()
            shown = "; ".join(f"{shortened(why, NOTE_LIMIT)} ({n})" for why, n in reasons[:3])
            more = f"; {len(reasons) - 3} other reasons" if len(reasons) > 3 else ""
            out.append(f"{self.source}: skipped {len(rest)} more entries: {shown}{more}")
        return out + self._notes

    def result(self) -> ImportResult:
        """The imported vault; a file with nothing valid in it is an error."""
        if not self.accounts:
            detail = (f" ({shortened('; '.join(self.notes[:3]), NOTE_LIMIT)})"
                      if self.notes else "")
            raise FormatError(f"no usable accounts in this file{detail}",
                              source=Source(label=self.source))
        merged = merge_accounts([self.accounts])
        repeated = (f"{self.source}: {merged.merged_note}",) if merged.merged_note else ()
        return ImportResult(merged.vault, (*self.notes, *repeated), tuple(self._issuer_notes))


_last_json: tuple[bytes, Any, FormatError | None] | None = None


def parse_json(data: bytes, source: str) -> Any:
    """The JSON in `data` (bounded: `toolkit.json_input`); FormatError naming `source`.

    The last file's result is kept: every JSON importer sniffs the same bytes, and parsing a
    large file a dozen times would cost seconds.
    """
    global _last_json
    if _last_json is None or _last_json[0] is not data:
        try:
            _last_json = (data, json_input.loads(data, source), None)
        except FormatError as exc:
            _last_json = (data, None, exc)
    _, obj, error = _last_json
    if error is not None:
        raise error.with_source(Source(label=source))  # the same error, from this importer
    return obj


_last_keys: tuple[bytes, frozenset[str]] | None = None


def json_object_keys(data: bytes) -> frozenset[str]:
    """Top-level keys of a JSON object, or an empty set when the data is not one (for sniffing).

    Kept for the last file like `parse_json`'s result: a dozen sniffers ask, and an object of a
    million keys took 0.3 s to list each time."""
    global _last_keys
    if _last_keys is not None and _last_keys[0] is data:
        return _last_keys[1]
    keys: frozenset[str] = frozenset()
    if data.lstrip()[:1] in (b"{", b"\xef"):
        try:
            obj = parse_json(data, "input")
        except FormatError:
            obj = None
        if isinstance(obj, dict):
            keys = frozenset(obj)
    _last_keys = (data, keys)
    return keys


def wrong_password(app: str) -> WrongPasswordError:
    return WrongPasswordError(f"wrong password for this {app} export")


def lines_of(data: bytes) -> Iterable[str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormatError("not a text file") from None
    return (line.strip() for line in text.splitlines())
