"""RestoreState: everything read back from paper, what is still missing, and the finished vault.

The state is kept apart from prompts (like python-shamir-mnemonic's RecoveryState), so the same
logic serves scanned images, typed words, text-fallback files and tests. Feed it QR texts in
any order (`add_qr_text`, `add_page`), typed shares (`add_share_text`), text-fallback files
(`add_text_fallback`); ask `status()` what is missing; `finish()` returns the vault or raises
NotEnoughError saying exactly what to scan or type next. `compare()` is the verify check.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from toolkit import envelope, otp, sharing, textlines, uri
from toolkit import frames as F
from toolkit.audit import VaultDiff, diff_vaults
from toolkit.envelope import SealedVault
from toolkit.errors import (
    AccountError,
    DamagedError,
    FormatError,
    NotEnoughError,
    Paper2faError,
    PasswordRequiredError,
    ScanError,
    ShareError,
)
from toolkit.model import Account, Vault, secret_from_base32, vault_from_paper
from toolkit.scan import PageScan
from toolkit.secret_lines import read_secret_lines

PassphraseSource = Callable[[], str]
"""Asked only when the sealed vault was made with a passphrase."""

FOREIGN_NOTES_SHOWN = 5
"""Foreign QR codes are noted one by one up to this many, then counted."""

SHARE_PREFIXES = (sharing.QR_PREFIX, sharing.SLIP39_QR_PREFIX)
ACCOUNT_PREFIXES = ("otpauth://", "steam://")


def join_numbers(numbers: Sequence[int]) -> str:
    """1 -> "1"; 1, 4 -> "1 and 4"; 1, 2, 4 -> "1, 2 and 4"."""
    shown = [str(n) for n in numbers]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


@dataclass
class _ShareRead:
    share: sharing.AnyShare
    label: str
    typed: bool


@dataclass
class _PageSeen:
    """Frames of one document read on one scanned page (to tell people which page to rescan)."""

    source: str
    page: int
    pages_in_file: int
    indices: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Status:
    """What has been read and what is still needed (`missing` is empty when complete)."""

    complete: bool
    missing: tuple[str, ...]
    read: tuple[str, ...]

    @property
    def message(self) -> str:
        return "; ".join(self.missing) if self.missing else "everything needed was read"


@dataclass(frozen=True)
class Restored:
    """A finished restore: the vault and how it was obtained (no secrets in the notes)."""

    vault: Vault = field(repr=False)
    kind: str  # "shares", "passphrase", "plain" or "accounts" (home-safe account codes only)
    notes: tuple[str, ...]
    recovered: int  # frames never read, rebuilt from the erasure code
    sheets: tuple[int, ...] = ()
    set_id: str = ""
    printed_fingerprint: str = ""

    @property
    def fingerprint(self) -> str:
        return self.vault.fingerprint


@dataclass
class _Document:
    """A payload (sealed or plain vault) from frames or from a text-fallback file."""

    kind: str
    payload: bytes = field(repr=False)
    source: str
    recovered: int = 0
    sealed: SealedVault | None = None


class RestoreState:
    """Everything read so far. Not thread-safe; one per restore."""

    def __init__(self) -> None:
        self.frames = F.FrameCollector()
        self.notes: list[str] = []
        self.shares: list[_ShareRead] = []
        self.account_codes: dict[str, Account] = {}
        self.typed_accounts: list[Account] = []
        self.text_documents: list[_Document] = []
        self.foreign = 0
        self.damaged = 0
        self.unreadable_codes = 0
        self.codes_read = 0
        self._pages: dict[bytes, list[_PageSeen]] = {}
        self._cache: dict[bytes, _Document] = {}

    # --- adding what was read ----------------------------------------------------------------

    def add_qr_text(self, text: str, where: str = "") -> str:
        """One QR text from any page; returns what it was: frame, share, account, duplicate,
        foreign or damaged. Never raises for bad content: it is noted instead."""
        self.codes_read += 1
        at = f" ({where})" if where else ""
        if text.startswith(F.FRAME_MAGIC):
            added = self.frames.add(text)
            if added.outcome in ("new", "duplicate", "other-document"):
                return "frame" if added.outcome == "new" else "duplicate"
            self.damaged += 1
            self.notes.append(f"a QR frame was rejected{at}: {added.detail}")
            return "damaged"
        if text.strip().upper().startswith(SHARE_PREFIXES):
            try:
                share = sharing.share_from_text(text)
            except Paper2faError as exc:
                self.damaged += 1
                self.notes.append(f"a share QR code could not be used{at}: {exc.message}")
                return "damaged"
            return "share" if self.add_share(share, where or "a scanned share", False) else (
                "duplicate")
        if text.lower().startswith(ACCOUNT_PREFIXES):
            try:
                account = uri.parse_otpauth(text)
            except AccountError as exc:
                self.damaged += 1
                self.notes.append(f"an account QR code could not be read{at}: {exc.message}")
                return "damaged"
            new = text not in self.account_codes
            self.account_codes[text] = account
            return "account" if new else "duplicate"
        self.foreign += 1
        if self.foreign <= FOREIGN_NOTES_SHOWN:
            self.notes.append(f"ignored a QR code that is not part of a paper2fa backup{at}")
        return "foreign"

    def add_page(self, page: PageScan, pages_in_file: int = 1) -> None:
        """Every code of one scanned page, remembering which frames were on it."""
        self.unreadable_codes += page.unreadable
        where = _where(page.source, page.page, pages_in_file)
        for code in page.codes:
            outcome = self.add_qr_text(code.text, where)
            if outcome in ("frame", "duplicate") and code.text.startswith(F.FRAME_MAGIC):
                try:
                    frame = F.decode_frame(code.text)
                except F.FrameTextError:
                    continue
                seen = self._page_seen(frame.doc_id, page, pages_in_file)
                seen.indices.add(frame.index)

    def _page_seen(self, doc_id: bytes, page: PageScan, pages_in_file: int) -> _PageSeen:
        pages = self._pages.setdefault(doc_id, [])
        for seen in pages:
            if (seen.source, seen.page) == (page.source, page.page):
                return seen
        seen = _PageSeen(page.source, page.page, pages_in_file)
        pages.append(seen)
        return seen

    def add_share(self, share: sharing.AnyShare, label: str, typed: bool = True) -> bool:
        """Keep a share (once: the share QR code is on every page of its sheet)."""
        for known in self.shares:
            if known.share.point() == share.point() and known.share.scheme == share.scheme:
                return False
        self.shares.append(_ShareRead(share, label, typed))
        return True

    def add_share_text(self, text: str, label: str = "typed share") -> sharing.AnyShare:
        """A share typed as words (or pasted as its QR text). Its checksum is checked now, and,
        once the sealed vault is known, its commitment: ShareError says what is wrong."""
        header = self.sealed_header()
        share = sharing.share_from_text(text, header.scheme if header else None)
        if header is not None:
            problem = sharing.share_problem(share, header)
            if problem:
                raise ShareError(f"{label} cannot be used: {problem}")
        self.add_share(share, label, True)
        return share

    def add_text_fallback(self, text: str, source: str = "typed text") -> str:
        """A text-fallback file (P2F-TEXT lines); FormatError names any mistyped line."""
        payload = textlines.decode_text(text)
        doc = _Document(payload.kind, payload.payload, source)
        if payload.kind == "sealed":
            doc.sealed = SealedVault.from_bytes(payload.payload)
        self.text_documents.append(doc)
        return payload.kind

    def add_typed_account(self, account: Account) -> None:
        """An account whose secret was typed by hand and checked (see `typed_account`)."""
        self.typed_accounts.append(account)

    # --- what we have ------------------------------------------------------------------------

    def _complete_documents(self) -> list[_Document]:
        docs: list[_Document] = list(self.text_documents)
        for doc_id, frame_doc in self.frames.docs.items():
            if not frame_doc.missing().complete:
                continue
            if doc_id not in self._cache:
                restored = self.frames.finish_report(doc_id)
                doc = _Document(restored.kind, restored.payload, "QR frames",
                                len(frame_doc.missing().missing))
                if restored.kind == "sealed":
                    doc.sealed = SealedVault.from_bytes(restored.payload)
                self._cache[doc_id] = doc
            docs.append(self._cache[doc_id])
        unique: dict[bytes, _Document] = {}
        for doc in docs:
            unique.setdefault(doc.payload, doc)
        return list(unique.values())

    def _chosen(self) -> _Document | None:
        """The one document to restore: the sealed vault the shares belong to, else the only one.
        """
        docs = self._complete_documents()
        if len(docs) <= 1:
            return docs[0] if docs else None
        if self.shares:
            for doc in docs:
                header = doc.sealed.header if doc.sealed is not None else None
                if (header is not None and header.scheme != envelope.SCHEME_PASSPHRASE
                        and any(sharing.share_problem(s.share, header) is None
                                for s in self.shares)):
                    return doc
        raise NotEnoughError(
            f"the scans hold {len(docs)} different backups (other sets or generations)",
            hint="scan the sheets of one backup at a time (compare the fingerprint and "
                 "generation printed at the bottom of each page)")

    def sealed_header(self) -> envelope.Header | None:
        """The sealed vault's header, once its frames are complete (None before)."""
        try:
            doc = self._chosen()
        except NotEnoughError:
            return None
        return doc.sealed.header if doc is not None and doc.sealed is not None else None

    def _frame_lines(self) -> list[str]:
        lines = []
        for doc_id, frame_doc in self.frames.docs.items():
            missing = frame_doc.missing()
            if not missing.complete:
                lines.append(self._frames_message(doc_id, missing))
        return lines

    def _frames_message(self, doc_id: bytes, missing: F.Missing) -> str:
        numbers = list(missing.missing)
        shown = join_numbers(numbers) if len(numbers) <= 12 else (
            F._ranges(numbers))  # long lists as ranges
        head = (f"frame{'s' if len(numbers) != 1 else ''} {shown} of {missing.total} "
                f"unreadable, {missing.need_more} more needed")
        return f"{head}: {self._rescan_hint(doc_id, numbers)}"

    def _rescan_hint(self, doc_id: bytes, missing: list[int]) -> str:
        """Which page to scan again: frames are dealt round-robin over the frame pages."""
        seen = [p for p in self._pages.get(doc_id, []) if p.indices]
        period = _frame_pages(seen)
        if not period:
            which = (f"frame {missing[0]}" if len(missing) == 1
                     else f"frames {join_numbers(missing[:4])}")
            return f"scan again the page{'s' if len(missing) > 1 else ''} showing {which} " + (
                "(on any sheet)")
        hints = []
        by_page: dict[int, list[int]] = {}
        for number in missing:
            by_page.setdefault((number - 1) % period, []).append(number)
        for residue, numbers in sorted(by_page.items()):
            where = next((p for p in seen if min(p.indices) % period == residue), None)
            if where is not None and where.pages_in_file > 1:
                hints.append(f"scan page {where.page} of any sheet again")
            elif where is not None:
                hints.append(f"scan {Path(where.source).name} (or the same page of another "
                             "sheet) again")
            else:
                hints.append(f"scan the page showing frame {numbers[0]} (on any sheet)")
        return "; ".join(dict.fromkeys(hints))

    def _share_lines(self, header: envelope.Header | None) -> list[str]:
        if header is None or header.scheme == envelope.SCHEME_PASSPHRASE:
            if header is None and self.shares and not self.frames.docs and not (
                    self.text_documents):
                return ["no QR frames of the sealed vault were read: scan the pages with the "
                        "grid of QR codes (any sheet has them)"]
            if header is None and self.shares:
                k = max(s.share.threshold for s in self.shares)
                if len(self.shares) < k:
                    more = k - len(self.shares)
                    sets = sorted({s.share.set_text for s in self.shares
                                   if isinstance(s.share, sharing.Share)})
                    of_set = f" of set {', '.join(sets)}" if sets else ""
                    return [f"need {more} more share{'s' if more != 1 else ''}: you have "
                            f"{len(self.shares)}{of_set} ({k} needed)"]
            return []
        good = self.usable_sheets(header)
        k = header.threshold
        if len(good) >= k:
            return []
        more = k - len(good)
        have = (f"you have share{'s' if len(good) != 1 else ''} {join_numbers(good)} of set "
                f"{header.set_id_text}" if good else f"you have no share of set "
                f"{header.set_id_text}")
        return [f"need {more} more share{'s' if more != 1 else ''}: {have} ({k} needed)"]

    def usable_sheets(self, header: envelope.Header) -> list[int]:
        """Sheet numbers (as printed, i of n) of the shares that match the sealed vault."""
        sheets = set()
        for read in self.shares:
            if sharing.share_problem(read.share, header) is None:
                sheet = sharing.sheet_of(read.share, header)
                if sheet is not None:
                    sheets.add(sheet)
        return sorted(sheets)

    def status(self) -> Status:
        """What is read and what is missing, in the words printed on the sheets."""
        read: list[str] = []
        if self.frames.docs:
            for frame_doc in self.frames.docs.values():
                m = frame_doc.missing()
                read.append(f"{m.have} of {m.total} QR frames")
        if self.shares:
            read.append(_plural(len(self.shares), "share"))
        if self.account_codes:
            read.append(_plural(len(self.account_codes), "account QR code"))
        try:
            doc = self._chosen()
        except NotEnoughError as exc:
            return Status(False, (exc.message,), tuple(read))
        missing: list[str] = []
        if doc is None:
            missing.extend(self._frame_lines())
            if not missing and not self.shares:
                missing.append(self._nothing_message())
        header = doc.sealed.header if doc is not None and doc.sealed is not None else None
        missing.extend(self._share_lines(header))
        return Status(not missing, tuple(missing), tuple(read))

    def _nothing_message(self) -> str:
        if self.frames.rejected.get("unknown-version"):
            return ("the QR frames are of a format version this program does not know: use a "
                    "newer paper2fa")
        if self.account_codes:
            return ("account QR codes were read, but no QR frames of the whole vault: scan the "
                    "pages with the grid of QR codes too")
        return "no QR frames of a paper2fa vault were read"

    # --- finishing ---------------------------------------------------------------------------

    def finish(self, passphrase: PassphraseSource | None = None,
               accounts_only: bool = False) -> Restored:
        """The vault, exactly as it was sealed or printed; NotEnoughError saying what is missing.

        With `accounts_only`, a home-safe backup whose frames are incomplete gives the accounts
        of its account QR codes and typed secrets instead (no notes, tags or recovery codes).
        """
        if accounts_only and not self._complete_documents() and (
                self.account_codes or self.typed_accounts) and not self.shares:
            return self._accounts_only()
        if not (self.frames.docs or self.frames.rejected or self.shares or self.account_codes
                or self.text_documents or self.damaged):
            extra = (f" ({_plural(self.foreign, 'QR code')} of other kinds ignored)"
                     if self.foreign else "")
            raise ScanError(f"no paper2fa QR code could be read from the scans{extra}")
        status = self.status()
        if not status.complete:
            raise NotEnoughError(status.message)
        doc = self._chosen()
        assert doc is not None
        notes = list(self.notes)
        if doc.recovered:
            notes.append(f"{_plural(doc.recovered, 'unreadable code')} recovered from "
                         "redundancy")
        if doc.sealed is None:
            vault = self._plain(doc)
            self._check_account_codes(vault, notes)
            for account in self.typed_accounts:
                if _code_key(account) not in {_code_key(a) for a in vault.accounts}:
                    notes.append(f"the typed secret of {account.label} does not match the "
                                 "vault frames")
            return Restored(vault, "plain", tuple(notes), doc.recovered)
        sealed = doc.sealed
        header = sealed.header
        if header.scheme == envelope.SCHEME_PASSPHRASE:
            vault = envelope.open_sealed(sealed, None, pass_key=_pass_key(header, passphrase))
            return Restored(vault, "passphrase", tuple(notes), doc.recovered,
                            set_id=header.set_id_text,
                            printed_fingerprint=header.fingerprint_text)
        labels = [s.label for s in self.shares]
        combined = sharing.combine_tolerant([s.share for s in self.shares], sealed, labels)
        for note in combined.left_out:
            if "the same share as" not in note:
                notes.append(f"left out {note}")
        pass_key = _pass_key(header, passphrase) if header.has_passphrase else None
        vault = envelope.open_sealed(sealed, combined.key, pass_key=pass_key)
        return Restored(vault, "shares", tuple(notes), doc.recovered, combined.sheets,
                        header.set_id_text, header.fingerprint_text)

    def _accounts_only(self) -> Restored:
        vault = _accounts_only_vault(self)
        notes = [*self.notes, f"restored {_plural(len(vault), 'account')} from account QR codes "
                 "and typed secrets only: notes, tags and recovery codes are not in them, and "
                 "accounts whose code could not be read are missing; compare the count with "
                 "the sheet's index"]
        return Restored(vault, "accounts", tuple(notes), 0)

    @staticmethod
    def _plain(doc: _Document) -> Vault:
        try:
            vault = vault_from_paper(doc.payload)
        except FormatError as exc:
            raise DamagedError(f"the vault read from the QR frames is not valid: {exc.message}"
                               ) from None
        return vault

    def _check_account_codes(self, vault: Vault, notes: list[str]) -> None:
        """Account QR codes of a home-safe sheet must each match an account of the vault."""
        bad = self.account_code_problems(vault)
        if bad:
            notes.append(f"{_plural(len(bad), 'account QR code')} do not match the vault "
                         f"frames (another printout?): {', '.join(bad[:5])}")

    def account_code_problems(self, vault: Vault) -> list[str]:
        """Labels of account QR codes read that do not give an account of `vault` exactly."""
        expected = {uri.build_otpauth(a) for a in vault.accounts}
        by_parsed = {(_code_key(a)) for a in vault.accounts}
        bad = []
        for text, account in self.account_codes.items():
            if text not in expected and _code_key(account) not in by_parsed:
                bad.append(account.label)
        return bad


def _accounts_only_vault(state: RestoreState) -> Vault:
    seen: dict[tuple[object, ...], Account] = {}
    for account in [*state.account_codes.values(), *state.typed_accounts]:
        seen.setdefault(_code_key(account), account)
    return Vault(tuple(seen.values()))


TYPED_FIELDS = ("issuer", "name", "secret", "check", "type", "algorithm", "digits", "period",
                "counter")


def typed_account(fields: dict[str, str], label: str = "typed secret") -> Account:
    """An account typed from the home-safe sheet, its secret checked twice: each line's check
    character, then the printed check code (the code at the printed reference time, or at
    counter 0 for HOTP). AccountError says which check failed, never the secret."""
    unknown = sorted(set(fields) - set(TYPED_FIELDS))
    if unknown:
        raise AccountError(f"{label}: unknown field {unknown[0]!r} (known: "
                           f"{', '.join(TYPED_FIELDS)})")
    for needed in ("secret", "check"):
        if not fields.get(needed, "").strip():
            raise AccountError(f"{label}: the {needed} line is missing")
    lines = [ln for ln in fields["secret"].splitlines() if ln.strip()]
    try:
        secret = secret_from_base32(read_secret_lines(lines))
        number = {k: int(fields[k]) for k in ("digits", "period", "counter") if k in fields}
    except AccountError as exc:
        raise AccountError(f"{label}: {exc.message}", exc.hint) from None
    except ValueError:
        raise AccountError(f"{label}: digits, period and counter must be numbers") from None
    account = Account(issuer=fields.get("issuer", ""), name=fields.get("name", ""),
                      secret=secret, type=fields.get("type", "totp"),
                      algorithm=fields.get("algorithm", "SHA1"),
                      digits=number.get("digits", 6), period=number.get("period", 30),
                      counter=number.get("counter", 0))
    code, _, when = fields["check"].partition(" at ")
    at = 0
    if account.type != "hotp":
        digits = "".join(ch for ch in when.split("(")[-1] if ch.isdigit())
        if not digits:
            raise AccountError(f"{label}: the check line needs the UNIX time printed with the "
                               "code, e.g. 'check: 123456 at 1768435200'")
        at = int(digits)
    if not otp.codes_equal(otp.check_code(account, at).code, code):
        raise AccountError(f"{label}: the typed secret does not give the printed check code",
                           hint="compare the secret and the settings with the paper again")
    return account


def parse_typed_secrets(text: str) -> list[dict[str, str]]:
    """Blocks of `field: value` lines separated by blank lines; a `secret:` may continue on the
    following indented lines (one printed secret line each). # starts a comment."""
    blocks: list[dict[str, str]] = []
    current: dict[str, str] = {}
    last = ""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            if current:
                blocks.append(current)
            current, last = {}, ""
            continue
        if raw[:1].isspace() and last == "secret":
            current["secret"] += "\n" + line.strip()
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise FormatError(f"typed secrets: {line.strip()[:20]!r} is not 'field: value'")
        last = key.strip().lower()
        current[last] = value.strip()
    if current:
        blocks.append(current)
    return blocks


def _code_key(account: Account) -> tuple[object, ...]:
    """What an otpauth QR code carries of an account (no notes, tags or recovery codes)."""
    return (account.issuer, account.name, account.type, account.secret, account.algorithm,
            account.digits, account.period, account.counter)


def _pass_key(header: envelope.Header, passphrase: PassphraseSource | None) -> bytes:
    if passphrase is None:
        raise PasswordRequiredError("this backup was sealed with a passphrase, and none was given",
                                    hint="give it with --passphrase-file FILE, or run in a "
                                         "terminal to type it")
    return envelope.passphrase_key(header, passphrase())


def _where(source: str, page: int, pages_in_file: int) -> str:
    name = Path(source).name if source else "input"
    return f"{name} page {page}" if pages_in_file > 1 else name


def _frame_pages(seen: Sequence[_PageSeen]) -> int:
    """How many frame pages a sheet has, from the frames read together on each scanned page.

    Frames are dealt round-robin (toolkit.frames.layout), so the frames on one page differ by
    multiples of the page count; 0 when no page showed two frames.
    """
    period = 0
    for page in seen:
        ordered = sorted(page.indices)
        for a, b in itertools.pairwise(ordered):
            period = math.gcd(period, b - a)
    if period <= 0:
        return 0
    residues = [{i % period for i in p.indices} for p in seen]
    if any(len(r) != 1 for r in residues):
        return 0
    return period


# --- verify ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """The result of comparing what the paper restores to with the source vault."""

    diff: VaultDiff
    account_codes_bad: tuple[str, ...]
    restored: Restored

    @property
    def identical(self) -> bool:
        return self.diff.identical and not self.account_codes_bad

    def problems(self) -> list[str]:
        """Each difference in one line: account labels and field names, never a secret."""
        out = [f"on the source but not on the paper: {r.label}" for r in self.diff.removed]
        out += [f"on the paper but not in the source: {r.label}" for r in self.diff.added]
        for changed in self.diff.changed:
            fields = ", ".join(c.field.replace("_", " ") for c in changed.changes)
            out.append(f"{changed.account.label}: {fields} differ")
        out += [f"the account QR code of {label} does not match the source"
                for label in self.account_codes_bad]
        return out


def compare(state: RestoreState, restored: Restored, source: Vault) -> Verification:
    """Compare a finished restore (and any account QR codes read) with the source vault."""
    diff = diff_vaults(source, restored.vault)
    bad = tuple(state.account_code_problems(source))
    return Verification(diff, bad, restored)


def read_text_input(path: str | os.PathLike[str], data: bytes) -> str | None:
    """The text of a text-fallback or share file given among the scans, None for images."""
    if data.startswith(b"%PDF-") or b"\x00" in data[:4096]:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return text


def add_text_file(state: RestoreState, path: str, text: str) -> str:
    """A text file among the inputs: a text fallback, a share .txt, or a words file."""
    name = Path(path).name
    if textlines.TEXT_MAGIC in text.upper():
        try:
            return state.add_text_fallback(text, name)
        except Paper2faError as exc:
            raise type(exc)(f"{name}: {exc.message}", exc.hint) from None
    try:
        share = sharing.share_from_file_text(text)
    except Paper2faError as exc:
        raise ScanError(f"{name}: not a scan, a text fallback or a share file ({exc.message})",
                        hint="give scans (PDF, PNG, JPEG, TIFF, HEIC) or folders of them"
                        ) from None
    state.add_share(share, name, True)
    return "share"


def add_lines(state: RestoreState, lines: Iterable[tuple[str, str]]) -> None:
    """Typed shares, one per (label, text) pair, each checked (ShareError names the bad one)."""
    for label, text in lines:
        try:
            state.add_share_text(text, label)
        except Paper2faError as exc:
            if exc.message.startswith(label):
                raise
            raise type(exc)(f"{label}: {exc.message}", exc.hint) from None
