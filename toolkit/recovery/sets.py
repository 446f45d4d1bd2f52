"""Backups: what was read, grouped by the backup it belongs to, and the one choice made from it.

Grouping follows what format v1 carries (docs/FORMAT.md): a paper2fa share and a sealed vault
name their set id and generation; a SLIP-39 share joins the sealed vault whose commitments it
matches, else the one whose matched SLIP-39 shares carry its identifier (left out there as
damaged), else groups by its SLIP-39 identifier; frames group by document id; a plain vault is
known by its fingerprint. Backups holding the same vault fingerprint count as one. Account QR
codes are not grouped: they are checked against the vault that is restored. The choice among
the backups is toolkit.recovery.choice's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from toolkit import envelope, sharing
from toolkit.recovery.documents import (
    PLAIN,
    SEALED,
    Document,
    PageFrames,
    pages_holding,
)
from toolkit.recovery.needs import BackupName, NameKind, Need, NeedKind
from toolkit.recovery.state import RecoveryState, ShareRead, share_key
from toolkit.texts import DEFAULT_LANGUAGE


class BackupKind(StrEnum):
    SPLIT = "split"
    PASSPHRASE = "passphrase"  # noqa: S105 - a kind of backup, not a password
    HOME_SAFE = "home-safe"
    UNKNOWN = "unknown"


@dataclass
class Backup:
    """One backup as read: its sealed or plain vault document (if any) and its shares."""

    kind: BackupKind
    document: Document | None = None
    set_id: bytes | None = None
    generation: int | None = None
    threshold: int = 0
    share_count: int = 0
    scheme: int | None = None
    slip39_identifier: int | None = None
    shares: list[ShareRead] = field(default_factory=list)
    usable: dict[int, ShareRead] = field(default_factory=dict)
    rejected: list[tuple[ShareRead, sharing.ShareProblem]] = field(default_factory=list)
    """Shares grouped with this backup that its sealed vault cannot use, and why."""
    pages: list[PageFrames] = field(default_factory=list)

    @property
    def created(self) -> date | None:
        return self.document.created if self.document is not None else None

    @property
    def fingerprint(self) -> str | None:
        return self.document.fingerprint if self.document is not None else None

    @property
    def set_text(self) -> str | None:
        return envelope.set_id_text(self.set_id) if self.set_id is not None else None

    @property
    def name(self) -> BackupName:
        """How people tell this backup apart, as values (`title` in English)."""
        if self.kind is BackupKind.HOME_SAFE:
            fingerprint = self.fingerprint
            return (BackupName(NameKind.HOME_SAFE, fingerprint=fingerprint) if fingerprint
                    else BackupName(NameKind.HOME_SAFE_PRINTOUT, document=self.document_text))
        if self.set_id is not None:
            kind = NameKind.PASSPHRASE if self.kind is BackupKind.PASSPHRASE else NameKind.SET
            return BackupName(kind, set_id=self.set_text, generation=self.generation)
        if self.slip39_identifier is not None:
            return BackupName(NameKind.SLIP39, identifier=self.slip39_identifier)
        return BackupName(NameKind.PRINTOUT, document=self.document_text)

    @property
    def title(self) -> str:
        """How people tell this backup apart, in English: `set P5RYN2WS generation 2`, ..."""
        from toolkit.recovery.wording import name_text

        return name_text(self.name)

    @property
    def document_text(self) -> str:
        return self.document.id_text if self.document is not None else "?"

    @property
    def distinct_shares(self) -> int:
        """Shares that may count: sheets matched, or (sealed vault unknown) distinct x values."""
        if self.document is not None and self.document.header is not None:
            return len(self.usable)
        return len({r.share.x for r in self.shares
                    if r.share.x or isinstance(r.share, sharing.Slip39Share)})  # SLIP-39 x: 0..15

    @property
    def completable(self) -> bool:
        doc = self.document
        if doc is None or not doc.complete:
            return False
        if self.kind is BackupKind.SPLIT:
            return len(self.usable) >= self.threshold
        return self.kind in (BackupKind.PASSPHRASE, BackupKind.HOME_SAFE)

    @property
    def progress(self) -> float:
        """How far from complete, 0..1, to list the most complete first."""
        parts = [1.0]
        doc = self.document
        if doc is None:
            parts.append(0.0)
        elif not doc.complete:
            m = doc.missing
            parts.append(m.have / max(1, m.have + m.need_more) if m is not None else 0.0)
        if self.kind is BackupKind.SPLIT and self.threshold:
            parts.append(min(1.0, self.distinct_shares / self.threshold))
        return min(parts)

    def matches(self, choice: str) -> bool:
        """`--set` names it: its set id, vault fingerprint or printout id (prefixes of 4+)."""
        wanted = "".join(ch for ch in choice.upper() if ch.isalnum())
        if len(wanted) < 4:
            return False
        names = [self.set_text, self.fingerprint, self.document_text if self.document else None]
        return any(n is not None and n.replace("-", "").startswith(wanted) for n in names)

    def sources(self) -> list[str]:
        found = set(self.document.sources) if self.document is not None else set()
        for read in self.shares:
            found.update(read.sources)
        return sorted(found)

    def summary(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """One line: what this backup is, what was read of it and what is missing (in `lang`,
        `wording.summary_text`)."""
        from toolkit.recovery.wording import summary_text

        return summary_text(self, lang)


def group(state: RecoveryState) -> list[Backup]:
    """Everything read, grouped into backups (documents first, then shares-only sets)."""
    backups: list[Backup] = []
    by_set: dict[tuple[bytes, int], Backup] = {}
    for doc in state.documents():
        backup = _document_backup(doc, by_set)
        backup.pages = state.page_frames(doc.doc_id)
        backups.append(backup)
    by_identifier: dict[int, Backup] = {}
    unmatched: list[ShareRead] = []
    for read in state.share_reads():
        share = read.share
        if isinstance(share, sharing.Share):
            key = (share.set_id, share.generation)
            if key not in by_set:
                by_set[key] = Backup(BackupKind.SPLIT, None, share.set_id, share.generation,
                                     share.threshold, share.share_count,
                                     envelope.SCHEME_PYSHAMIR)
                backups.append(by_set[key])
            by_set[key].shares.append(read)
            continue
        owner = next((b for b in backups if b.kind is BackupKind.SPLIT and b.document is not None
                      and b.document.header is not None
                      and b.document.header.scheme == envelope.SCHEME_SLIP39
                      and sharing.sheet_of(share, b.document.header) is not None), None)
        if owner is None:
            unmatched.append(read)
        else:
            owner.shares.append(read)
    for read in unmatched:  # after every match, so the result does not depend on the order
        share = read.share
        assert isinstance(share, sharing.Slip39Share)
        # a damaged SLIP-39 share joins the sealed vault whose matched shares carry its
        # identifier, as a damaged paper2fa share joins its set: it is left out there
        owner = next((b for b in backups if b.document is not None and b.scheme ==
                      envelope.SCHEME_SLIP39 and any(isinstance(r.share, sharing.Slip39Share)
                                                     and r.share.identifier == share.identifier
                                                     for r in b.shares)), None)
        if owner is None:
            owner = by_identifier.get(share.identifier)
        if owner is None:
            owner = by_identifier[share.identifier] = Backup(
                BackupKind.SPLIT, threshold=share.threshold, scheme=envelope.SCHEME_SLIP39,
                slip39_identifier=share.identifier)
            backups.append(owner)
        owner.shares.append(read)
    _attach_headerless(backups)
    for backup in backups:
        _match_shares(backup)
    return backups


def _attach_headerless(backups: list[Backup]) -> None:
    """Frames of a sealed vault whose first frame was not read do not say their set. When they
    are the only such frames and one set of shares has no sealed vault, they are that set's:
    said together, the person reads one backup with what it lacks, not two halves."""
    loose = [b for b in backups if b.kind is BackupKind.UNKNOWN and b.document is not None
             and b.document.kind == SEALED and b.document.damage is None
             and b.document.payload is None]
    bare = [b for b in backups if b.kind is BackupKind.SPLIT and b.document is None]
    if len(loose) == 1 and len(bare) == 1:
        bare[0].document, bare[0].pages = loose[0].document, loose[0].pages
        backups.remove(loose[0])


def _document_backup(doc: Document, by_set: dict[tuple[bytes, int], Backup]) -> Backup:
    if doc.kind == PLAIN:
        return Backup(BackupKind.HOME_SAFE, doc)
    if doc.kind != SEALED or doc.set_id is None or doc.generation is None or doc.scheme is None:
        return Backup(BackupKind.UNKNOWN, doc)
    header = doc.header
    peek = doc.peek
    k = header.threshold if header is not None else peek.threshold if peek is not None else 0
    n = header.share_count if header is not None else peek.share_count if peek else 0
    kind = BackupKind.PASSPHRASE if doc.scheme == envelope.SCHEME_PASSPHRASE else (
        BackupKind.SPLIT)
    backup = Backup(kind, doc, doc.set_id, doc.generation, k, n, doc.scheme)
    by_set.setdefault((doc.set_id, doc.generation), backup)
    return backup


def _match_shares(backup: Backup) -> None:
    """Check each share against the sealed vault's commitments: usable ones by sheet number,
    the others named with the reason."""
    doc = backup.document
    header = doc.header if doc is not None else None
    if header is None or header.scheme == envelope.SCHEME_PASSPHRASE:
        return
    for read in backup.shares:
        problem = sharing.share_problem(read.share, header)
        sheet = sharing.sheet_of(read.share, header) if problem is None else None
        if problem is None and sheet is not None and sheet not in backup.usable:
            backup.usable[sheet] = read
        else:
            backup.rejected.append((read, problem or sharing.ShareProblem(
                sharing.ShareProblemKind.SHEET_READ, sheet=sheet or 0)))
    if header.scheme == envelope.SCHEME_SLIP39:
        _one_slip39_identifier(backup)


def _one_slip39_identifier(backup: Backup) -> None:
    """Format v1 does not commit the SLIP-39 identifier, extendable flag or iteration exponent:
    shares that match their commitment but disagree on one cannot combine. Keep the largest
    agreeing group; name the others and the field that differs (`sharing.slip39_outsiders`)."""
    usable = {sheet: read.share for sheet, read in backup.usable.items()}
    for sheet, why in sorted(sharing.slip39_outsiders(usable).items()):
        backup.rejected.append((backup.usable.pop(sheet), why))


class Fit(StrEnum):
    """How one more share would fit what was read (the feedback of the typing loop)."""

    FITS = "fits"
    NO_VAULT_YET = "no-vault-yet"
    READ_ALREADY = "read-already"
    SHEET_READ_ALREADY = "sheet-read-already"
    REJECTED = "rejected"
    OTHER_BACKUP = "other-backup"


@dataclass(frozen=True)
class ShareFit:
    verdict: Fit
    problem: sharing.ShareProblem | None = None
    """Why the share cannot be used (REJECTED: with the one sealed vault read; OTHER_BACKUP:
    with none of those read)."""


def share_fit(state: RecoveryState, share: sharing.AnyShare) -> ShareFit:
    """How `share` would fit the backups read so far: a pure function of the state, for the
    typing loop to say at once (a mistyped share is asked for again). It decides nothing: the
    restore groups and chooses from everything read (`group`, `choice.decide`)."""
    if share_key(share) in state.shares:
        return ShareFit(Fit.READ_ALREADY)
    sealed = [b for b in group(state) if b.kind is BackupKind.SPLIT and b.document is not None
              and b.document.header is not None]
    if not sealed:
        return ShareFit(Fit.NO_VAULT_YET)
    problems: list[sharing.ShareProblem] = []
    for backup in sealed:
        header = backup.document.header if backup.document is not None else None
        assert header is not None
        problem = sharing.share_problem(share, header)
        if problem is None:
            sheet = sharing.sheet_of(share, header)
            return ShareFit(Fit.SHEET_READ_ALREADY if sheet in backup.usable else Fit.FITS)
        problems.append(problem)
    if len(problems) == 1:
        return ShareFit(Fit.REJECTED, problems[0])
    return ShareFit(Fit.OTHER_BACKUP, sharing.ShareProblem(sharing.ShareProblemKind.NO_BACKUP))


def needs(backup: Backup) -> list[Need]:
    """What is missing to restore this backup (empty when it can be restored)."""
    out: list[Need] = []
    doc = backup.document
    title, name = backup.title, backup.name
    if doc is None:
        out.append(Need(NeedKind.NO_FRAMES, title, backup.set_text, name=name))
    elif doc.damage is not None:
        out.append(Need(NeedKind.DAMAGED, title, backup.set_text, damage=doc.damage,
                        name=name))
    elif not doc.complete and doc.missing is not None:
        numbers = tuple(doc.missing.missing)
        out.append(Need(NeedKind.FRAMES, title, backup.set_text, name=name,
                        more=doc.missing.need_more,
                        frames=numbers, total=doc.missing.total,
                        pages=pages_holding(numbers, backup.pages)))
    if backup.kind is BackupKind.SPLIT and backup.distinct_shares < backup.threshold:
        out.append(Need(NeedKind.SHARES, title, backup.set_text, name=name,
                        more=backup.threshold - backup.distinct_shares,
                        needed=backup.threshold, have=backup.distinct_shares,
                        sheets=tuple(sorted(backup.usable))))
    return out
