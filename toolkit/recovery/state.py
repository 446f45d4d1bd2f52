"""RecoveryState: everything read back from paper and files, kept apart from any prompt.

Feed it QR texts in any order (`add_qr_text`, `add_page`), shares typed or from files
(`add_share`, `add_share_text`), sealed-vault and text-fallback files, account codes and typed
secrets. It records facts and never decides anything while reading (nor words anything: a code
that gave nothing is a `CodeProblem`): `toolkit.recovery.sets` groups what was read into
backups and judges every share there, once; `toolkit.recovery.choice` chooses once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Literal

from toolkit import frames as F
from toolkit import sharing, textlines, uri
from toolkit.camera.guidance import Advice
from toolkit.envelope import SealedVault
from toolkit.errors import AccountError, Paper2faError
from toolkit.model import Account
from toolkit.recovery import damage
from toolkit.recovery.damage import Damage
from toolkit.recovery.documents import Document, PageFrames, build_documents
from toolkit.scan import PageScan

FOREIGN_KEPT = 5
"""Where foreign QR codes were read is kept for this many (the rest are only counted, in
`foreign`): a photo of a page of other codes must not grow the state."""

SHARE_PREFIXES = (sharing.QR_PREFIX, sharing.SLIP39_QR_PREFIX)
ACCOUNT_PREFIXES = ("otpauth://", "steam://")


class Read(StrEnum):
    """What one QR text was."""

    FRAME = "frame"
    SHARE = "share"
    ACCOUNT = "account"
    DUPLICATE = "duplicate"
    FOREIGN = "foreign"
    DAMAGED = "damaged"


class QrKind(StrEnum):
    """What a QR text claims to be, by its prefix (the one owner of this question: the
    restore reads it here, `paper2fa scan` lists it with `qr_kind`)."""

    FRAME = "frame"
    SHARE = "share"
    ACCOUNT = "account"
    OTHER = "other"


def qr_kind(text: str) -> QrKind:
    if text.startswith(F.FRAME_MAGIC):
        return QrKind.FRAME
    if text.strip().upper().startswith(SHARE_PREFIXES):
        return QrKind.SHARE
    if text.lower().startswith(ACCOUNT_PREFIXES):
        return QrKind.ACCOUNT
    return QrKind.OTHER


class CodeTrouble(StrEnum):
    """What was wrong with one QR code read (a fact; `wording.reading_notes` says it)."""

    FRAME_REJECTED = "frame-rejected"
    SHARE_DAMAGED = "share-damaged"
    ACCOUNT_DAMAGED = "account-damaged"
    FOREIGN = "foreign"


@dataclass(frozen=True)
class CodeProblem:
    """One QR code that gave nothing: what was wrong, where it was read, and the detail."""

    trouble: CodeTrouble
    source: str
    detail: str = ""
    """In English; `damage` says a frame's flaw as a value."""
    damage: Damage | None = None


SourceKind = Literal["scan", "file", "typed"]


@dataclass
class ShareRead:
    """One distinct share and every place it was read."""

    share: sharing.AnyShare = field(repr=False)
    sources: list[str]
    typed: bool

    @property
    def label(self) -> str:
        return min(self.sources)


@dataclass(frozen=True)
class PageRecord:
    """One scanned page: what it gave, for the second pass and the rescan hints."""

    source: str
    page: int
    pages_in_file: int
    codes: int
    ours: int
    unreadable: int
    advice: Advice | None = None
    """For a page whose codes did not all read: what would make a better photo or scan."""


def share_key(share: sharing.AnyShare) -> tuple[int, int, bytes]:
    return (share.scheme, share.x, share.y)


def where(source: str, page: int, pages_in_file: int) -> str:
    """`scan.pdf page 2`, or the file name alone for a one-page file."""
    name = Path(source).name if source else "input"
    return f"{name} page {page}" if pages_in_file > 1 else name


class RecoveryState:
    """Everything read so far. Not thread-safe; one per restore."""

    def __init__(self) -> None:
        self.frames = F.FrameCollector()
        self.shares: dict[tuple[int, int, bytes], ShareRead] = {}
        self.payloads: list[tuple[bytes, str, str]] = []
        self.account_codes: dict[str, tuple[Account, set[str]]] = {}
        self.typed_accounts: list[Account] = []
        self.problems: list[CodeProblem] = []
        self._page_records: dict[tuple[str, int], PageRecord] = {}
        self.frame_sources: dict[bytes, set[str]] = {}
        self._page_frames: dict[bytes, dict[tuple[str, int], tuple[int, set[int]]]] = {}
        self.unusable: list[tuple[str, Paper2faError]] = []
        self.foreign = 0
        self.damaged = 0
        self.codes_read = 0
        self._documents: list[Document] | None = None

    # --- adding what was read ----------------------------------------------------------------

    def add_qr_text(self, text: str, source: str = "") -> Read:
        """One QR text from any page. Never raises for bad content: it is noted instead."""
        self.codes_read += 1
        kind = qr_kind(text)
        if kind is QrKind.FRAME:
            added = self.frames.add(text)
            if added.frame is not None and added.outcome in ("new", "duplicate"):
                self._documents = None
                self.frame_sources.setdefault(added.frame.doc_id, set()).add(source)
                return Read.FRAME if added.outcome == "new" else Read.DUPLICATE
            self.damaged += 1
            flaw = damage.of_flaw(added.flaw) if added.flaw is not None else None
            self.problems.append(CodeProblem(CodeTrouble.FRAME_REJECTED, source, added.detail,
                                             flaw))
            return Read.DAMAGED
        if kind is QrKind.SHARE:
            try:
                share = sharing.share_from_text(text)
            except Paper2faError as exc:
                self.damaged += 1
                self.problems.append(CodeProblem(CodeTrouble.SHARE_DAMAGED, source, exc.message))
                return Read.DAMAGED
            new = self.add_share(share, source or "a scanned share", typed=False)
            return Read.SHARE if new else Read.DUPLICATE
        if kind is QrKind.ACCOUNT:
            try:
                account = uri.parse_otpauth(text)
            except AccountError as exc:
                self.damaged += 1
                self.problems.append(CodeProblem(CodeTrouble.ACCOUNT_DAMAGED, source,
                                                 exc.message))
                return Read.DAMAGED
            known = self.account_codes.setdefault(text, (account, set()))
            new = not known[1]
            known[1].add(source)
            return Read.ACCOUNT if new else Read.DUPLICATE
        self.foreign += 1
        if self.foreign <= FOREIGN_KEPT:
            self.problems.append(CodeProblem(CodeTrouble.FOREIGN, source))
        return Read.FOREIGN

    def add_page(self, page: PageScan, pages_in_file: int = 1,
                 advice: Advice | None = None) -> None:
        """Every code of one scanned page, remembering which frames were on it (and, for a
        page that did not read completely, the advice for a better photo)."""
        label = where(page.source, page.page, pages_in_file)
        ours = 0
        for code in page.codes:
            outcome = self.add_qr_text(code.text, label)
            if outcome is not Read.FOREIGN:
                ours += 1
            if outcome in (Read.FRAME, Read.DUPLICATE) and qr_kind(code.text) is QrKind.FRAME:
                frame = F.decode_frame(code.text)
                by_page = self._page_frames.setdefault(frame.doc_id, {})
                by_page.setdefault((page.source, page.page), (pages_in_file, set()))[1].add(
                    frame.index)
        record = PageRecord(page.source, page.page, pages_in_file, len(page.codes), ours,
                            page.unreadable, advice)
        self._page_records[(page.source, page.page)] = record  # a second look replaces the first

    def photo_advice(self) -> list[tuple[str, Advice]]:
        """(page, advice) for each page whose codes did not all read and whose picture shows
        what to do better (light, focus, angle...), in page order."""
        useless = (Advice.READING, Advice.SHOW_CODES)
        return [(where(r.source, r.page, r.pages_in_file), r.advice) for r in self.pages
                if r.advice is not None and r.advice not in useless]

    @property
    def pages(self) -> list[PageRecord]:
        """Every page scanned, once (the latest look at it), in a fixed order."""
        return [self._page_records[k] for k in sorted(self._page_records)]

    def add_share(self, share: sharing.AnyShare, source: str, typed: bool = True) -> bool:
        """Keep a share once (the share QR code is on every page of its sheet); True if new."""
        self._documents = None
        known = self.shares.get(share_key(share))
        if known is not None:
            if source not in known.sources:
                known.sources.append(source)
            return False
        self.shares[share_key(share)] = ShareRead(share, [source], typed)
        return True

    def add_share_text(self, text: str, source: str = "typed share") -> sharing.AnyShare:
        """A share typed as words or pasted as its QR text, recorded as read. Only the share
        itself is checked here (its words and checksum: ShareError or FormatError says what is
        wrong); whether it belongs to a backup is judged once, with everything read, where the
        backups are grouped (`toolkit.recovery.sets`), whatever the order of the inputs."""
        share = sharing.share_from_text(text)
        self.add_share(share, source, True)
        return share

    def add_sealed_file(self, data: bytes, source: str) -> None:
        """A sealed vault file (`vault.p2fa`): checked now, so damage is named by file."""
        SealedVault.from_bytes(data)
        self._add_payload(data, "sealed", source)

    def add_text_fallback(self, text: str, source: str = "typed text") -> str:
        """A text-fallback file (P2F-TEXT lines); FormatError names any mistyped line."""
        payload = textlines.decode_text(text)
        if payload.kind == "sealed":
            SealedVault.from_bytes(payload.payload)
        self._add_payload(payload.payload, payload.kind, source)
        return payload.kind

    def _add_payload(self, payload: bytes, kind: str, source: str) -> None:
        self._documents = None
        self.payloads.append((payload, kind, source))

    def add_unusable(self, label: str, error: Paper2faError) -> None:
        """An input meant as a share that did not read (a mistyped line, a damaged file): kept
        to be named, with its error, in the result."""
        self.unusable.append((label, error))

    def add_typed_account(self, account: Account) -> None:
        """An account whose secret was typed by hand and checked (recovery.typed)."""
        self.typed_accounts.append(account)

    # --- what was read -----------------------------------------------------------------------

    def documents(self) -> list[Document]:
        """Every document read (cached until something new is added)."""
        if self._documents is None:
            self._documents = build_documents(self.frames, self.payloads, self.frame_sources)
        return self._documents

    def page_frames(self, doc_id: bytes) -> list[PageFrames]:
        """The frames of a document read on each scanned page."""
        return [PageFrames(source, page, count, frozenset(indices))
                for (source, page), (count, indices) in sorted(
                    self._page_frames.get(doc_id, {}).items())]

    def share_reads(self) -> list[ShareRead]:
        """Every distinct share read, in a fixed order (not the order of the inputs)."""
        return [self.shares[k] for k in sorted(self.shares)]

    @property
    def anything_read(self) -> bool:
        return bool(self.frames.docs or self.frames.rejected or self.shares or self.payloads
                    or self.account_codes or self.typed_accounts or self.damaged
                    or self.unusable)
