"""What the person is told about a decision, as values: every input left out and why
(`LeftOut`, `LeftOutReason`), each backup's facts, the refusal, and the same as JSON for
`restore --dry-run --json`. The words are toolkit.recovery.wording's.

An input (a scanned page, a file, a typed share) is left out when nothing it holds belongs to
the vault restored: it holds another backup (or an earlier one, when both dates say so: format
v1 carries no lineage, so never "an earlier generation"); or everything it holds was read
already from an input that sorts before it (the same page twice is a duplicate; a page whose
share was read from another page of its sheet is not); or it did not read (damaged, not
paper2fa). Sorting by name makes the report the same whatever the order of the inputs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from toolkit.errors import NotEnoughError, Paper2faError, ScanError
from toolkit.recovery.choice import Decision, Verdict
from toolkit.recovery.needs import BackupName, Medium
from toolkit.recovery.sets import Backup, BackupKind, needs
from toolkit.recovery.state import RecoveryState, share_key, where
from toolkit.recovery.wording import (
    how,
    left_out_text,
    need_text,
    nothing_text,
    reading_notes,
)
from toolkit.sharing import ShareProblem, with_left_out
from toolkit.texts import DEFAULT_LANGUAGE

Item = tuple[object, ...]


class LeftOutReason(StrEnum):
    """Why an input (a page, a file, a typed share) was left out of the restore."""

    DUPLICATE = "duplicate"
    """The same page (or file) read twice: everything it holds is in one read before it."""
    SHARE_READ = "share-read-already"
    """Only its share was new to nothing: read already from another page (of its sheet)."""
    READ_ALREADY = "read-already"
    """Everything it holds was read already from another page (not the same page)."""
    ANOTHER_BACKUP = "another-backup"
    """It holds another backup (format v1 carries no lineage: it may hold another vault)."""
    EARLIER_BACKUP = "earlier-backup"
    """It holds another backup, made before the one restored (both dates known)."""
    DAMAGED = "damaged"
    """It did not read as a share (a typing mistake, a damaged file)."""
    NOT_PAPER2FA = "not-paper2fa"
    """Its QR codes are not part of a paper2fa backup."""
    SHARE_PROBLEM = "share-problem"
    """Its share was grouped with the backup restored, but the sealed vault cannot use it
    (`problem`: damaged, another split, a sheet read already...)."""


@dataclass(frozen=True)
class BackupFacts:
    """What is known of a backup, to tell it apart: its title (set and generation), its date."""

    title: str
    set_id: str | None
    generation: int | None
    created: date | None
    name: BackupName

    @classmethod
    def of(cls, backup: Backup) -> BackupFacts:
        return cls(backup.title, backup.set_text, backup.generation, backup.created,
                   backup.name)

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "set_id": self.set_id, "generation": self.generation,
                "created": self.created.isoformat() if self.created else None}


@dataclass(frozen=True)
class LeftOut:
    """One input whose content was not used, and why."""

    source: str
    reason: LeftOutReason
    other: str = ""
    """The input read already (DUPLICATE, SHARE_READ, READ_ALREADY), or the backups' titles."""
    partly: bool = False
    backups: tuple[BackupFacts, ...] = ()
    """ANOTHER_BACKUP, EARLIER_BACKUP: the backups it holds."""
    restored: tuple[BackupFacts, ...] = ()
    """ANOTHER_BACKUP, EARLIER_BACKUP: the backup restored (its copies)."""
    detail: str = ""
    """DAMAGED: what is wrong with it."""
    problem: ShareProblem | None = None
    """SHARE_PROBLEM: why its share cannot be used."""

    @property
    def message(self) -> str:
        """In English (`wording.left_out_text` for another language)."""
        return left_out_text(self)

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "reason": str(self.reason), "other": self.other,
                "partly": self.partly, "backups": [b.to_json() for b in self.backups],
                "restored": [b.to_json() for b in self.restored], "detail": self.detail,
                "problem": None if self.problem is None else self.problem.to_json()}


def contributions(backup: Backup) -> dict[str, set[Item]]:
    """What each source gave to this backup: shares, frames, whole documents."""
    out: dict[str, set[Item]] = {}
    for read in backup.shares:
        for source in read.sources:
            out.setdefault(source, set()).add(("share", *share_key(read.share)))
    doc = backup.document
    if doc is not None:
        labels = set()
        for page in backup.pages:
            label = where(page.source, page.page, page.pages_in_file)
            labels.add(label)
            out.setdefault(label, set()).update(("frame", doc.doc_id, i) for i in page.indices)
        for source in doc.sources - labels:
            out.setdefault(source, set()).add(("document", doc.doc_id))
    return out


REPEATS = (LeftOutReason.DUPLICATE, LeftOutReason.SHARE_READ, LeftOutReason.READ_ALREADY)


def left_out(state: RecoveryState, decision: Decision) -> list[LeftOut]:
    """Every sheet not used for the vault restored, and why (empty unless RESTORE)."""
    if decision.verdict is not Verdict.RESTORE:
        return []
    chosen: dict[str, set[Item]] = {}
    for backup in decision.same_vault:
        for source, items in contributions(backup).items():
            chosen.setdefault(source, set()).update(items)
    found: list[LeftOut] = []
    ordered = sorted(chosen)
    scanned = {where(r.source, r.page, r.pages_in_file) for r in state.pages}
    file_of = {where(r.source, r.page, r.pages_in_file): r.source for r in state.pages}
    for pos, source in enumerate(ordered):
        earlier = next((s for s in ordered[:pos] if chosen[source] <= chosen[s]), None)
        if earlier is None:
            continue
        reason = _repeat(chosen[source], chosen[earlier], source in scanned or earlier in scanned)
        if reason is LeftOutReason.SHARE_READ and file_of.get(source, source) == file_of.get(
                earlier, earlier):
            continue  # another page of a sheet whose share its file gave: the sheet was used
        found.append(LeftOut(source, reason, earlier))
    others: dict[str, list[Backup]] = {}
    for backup in decision.backups:
        if backup in decision.same_vault:
            continue
        for source in contributions(backup):
            others.setdefault(source, []).append(backup)
    restored = tuple(BackupFacts.of(b) for b in decision.same_vault[:1])
    made = max((b.created for b in decision.same_vault if b.created is not None), default=None)
    for source, backups in sorted(others.items()):
        earlier_made = made is not None and all(
            b.created is not None and b.created < made for b in backups)
        names = ", ".join(sorted({b.title for b in backups}))
        reason = LeftOutReason.EARLIER_BACKUP if earlier_made else LeftOutReason.ANOTHER_BACKUP
        facts = tuple(sorted({BackupFacts.of(b) for b in backups}, key=lambda f: f.title))
        found.append(LeftOut(source, reason, names, partly=source in chosen, backups=facts,
                             restored=restored))
    found += [LeftOut(label, LeftOutReason.DAMAGED, detail=error.located)
              for label, error in state.unusable]
    found += [LeftOut(where(r.source, r.page, r.pages_in_file), LeftOutReason.NOT_PAPER2FA)
              for r in state.pages if r.codes and not r.ours]
    return sorted(_by_file(state, found) + unusable_shares(decision), key=lambda i: i.source)


def unusable_shares(decision: Decision) -> list[LeftOut]:
    """The shares grouped with the backup chosen that its sealed vault cannot use, and why."""
    chosen = decision.chosen
    if chosen is None:
        return []
    return [LeftOut(read.label, LeftOutReason.SHARE_PROBLEM, problem=problem)
            for read, problem in chosen.rejected]


def _repeat(items: set[Item], before: set[Item], scanned: bool) -> LeftOutReason:
    """Why an input whose every item was read from `before` is left out: the same page (or
    file) twice only when both hold the same and, for a scanned page, some frames (two pages
    of one sheet both carry its share: the second is not a duplicate of the first)."""
    frames = any(item[0] == "frame" for item in items)
    if items == before and (frames or not scanned):
        return LeftOutReason.DUPLICATE
    if all(item[0] == "share" for item in items):
        return LeftOutReason.SHARE_READ
    return LeftOutReason.READ_ALREADY


def _by_file(state: RecoveryState, found: Iterable[LeftOut]) -> list[LeftOut]:
    """Pages of one file left out for one reason are named once, as the file ("a duplicate of
    a.pdf" when each page repeats a page of that one file)."""
    pages_of: dict[str, list[str]] = {}
    file_of: dict[str, str] = {}
    for record in state.pages:
        label = where(record.source, record.page, record.pages_in_file)
        file_of[label] = where(record.source, 1, 1)
        if record.ours and record.pages_in_file > 1:
            pages_of.setdefault(record.source, []).append(label)
    by_source = {item.source: item for item in found if not item.partly}
    out: list[LeftOut] = []
    done: set[str] = set()
    for file, labels in sorted(pages_of.items()):
        items = [by_source.get(label) for label in labels]
        if any(i is None for i in items):
            continue
        kept = [i for i in items if i is not None]
        others = {(i.reason, file_of.get(i.other, i.other) if i.reason in REPEATS
                   else i.other) for i in kept}
        if len(others) == 1:
            reason, other = others.pop()
            first = kept[0]
            out.append(LeftOut(f"{where(file, 1, 1)} (all {len(labels)} pages)", reason, other,
                               backups=first.backups, restored=first.restored))
            done.update(labels)
    out += [item for item in found if item.partly or item.source not in done]
    return sorted(out, key=lambda i: i.source)


# --- lines and JSON ----------------------------------------------------------------------------


def decision_lines(decision: Decision, lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """The backups to show before a refusal, each in one line, most complete first."""
    if decision.verdict is Verdict.RESTORE or (
            decision.verdict is Verdict.MISSING and len(decision.backups) == 1):
        return []  # one backup: the refusal itself says what it lacks
    lines = []
    for backup in decision.candidates:
        lines.append(backup.summary(lang))
    return lines


def backup_json(backup: Backup) -> dict[str, Any]:
    doc = backup.document
    frames: dict[str, Any] | None = None
    if doc is not None and doc.missing is not None:
        frames = {"read": doc.missing.have, "total": doc.missing.total,
                  "missing": list(doc.missing.missing), "enough": doc.payload is not None}
    return {
        "title": backup.title,
        "kind": str(backup.kind),
        "can_restore": backup.completable,
        "set_id": backup.set_text,
        "generation": backup.generation,
        "created": backup.created.isoformat() if backup.created else None,
        "fingerprint": backup.fingerprint,
        "document": backup.document_text if doc is not None else None,
        "threshold": backup.threshold or None,
        "share_count": backup.share_count or None,
        "sheets": sorted(backup.usable),
        "shares_read": backup.distinct_shares if backup.kind is BackupKind.SPLIT else None,
        "frames": frames,
        "damaged": doc.problem if doc is not None else None,
        "damage": doc.damage.to_json() if doc is not None and doc.damage is not None else None,
        "missing": [need_text(n) for n in needs(backup)] if not backup.completable else [],
        "needs": [n.to_json() for n in needs(backup)] if not backup.completable else [],
        "sources": backup.sources(),
        "left_out_shares": [{"source": r.label, "why": why.text(), "problem": why.to_json()}
                            for r, why in backup.rejected],
    }


def decision_json(state: RecoveryState, decision: Decision, medium: Medium = Medium.SCANNER,
                  lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """`restore --dry-run --json`: the grouping and the choice (no secret); `message` in
    `lang`, the rest as values."""
    chosen = decision.chosen
    error = None if decision.verdict is Verdict.RESTORE else decision.error(medium, lang)
    return {
        "verdict": str(decision.verdict),
        "why": str(decision.why) if decision.why else None,
        "chosen": chosen.title if chosen is not None else None,
        "fingerprint": chosen.fingerprint if chosen is not None else None,
        "message": error.message if error is not None else None,
        "needs": [n.to_json() for n in decision.needs()],
        "source": error.source.as_json() if error is not None and error.source else None,
        "exit_code": error.exit_code if error is not None else 0,
        "backups": [backup_json(b) for b in decision.backups],
        "left_out": [i.to_json() for i in left_out(state, decision)],
        "unusable": [exc.as_json() for _, exc in state.unusable],
        "notes": reading_notes(state),
        "problems": [{"trouble": str(p.trouble), "source": p.source, "detail": p.detail,
                      "damage": p.damage.to_json() if p.damage is not None else None}
                     for p in state.problems],
    }


PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".heic", ".heif"})
"""Files a phone writes: pages read only from these were photographed, not scanned."""


def medium_of(state: RecoveryState, camera: bool = False) -> Medium:
    """How the sheets were read, for the how-to of the messages: the camera, photos (every
    page read came from a phone's photo file), a scanner, or typed words only."""
    if camera:
        return Medium.CAMERA
    pages = state.pages
    if pages:
        photos = all(Path(r.source).suffix.lower() in PHOTO_SUFFIXES for r in pages)
        return Medium.PHOTOS if photos else Medium.SCANNER
    if state.shares and all(r.typed for r in state.shares.values()) and not state.payloads:
        return Medium.TYPED
    return Medium.SCANNER


def refusal(state: RecoveryState, decision: Decision, medium: Medium = Medium.SCANNER,
            lang: str = DEFAULT_LANGUAGE) -> Paper2faError:
    """The error for a decision that restores nothing: the decision's own, with the inputs that
    did not read as shares named; among too few shares it keeps the kind (exit code) of the
    first of them (an unknown share version stays exit 4)."""
    if decision.verdict is Verdict.NOTHING and not state.unusable:
        if state.account_codes or state.typed_accounts:
            return NotEnoughError("account QR codes were read, but no QR frames of the whole "
                                  "vault: scan the pages with the grid of QR codes too (or "
                                  "restore the accounts alone, without notes and recovery "
                                  "codes)")
        return ScanError(nothing_text(state, medium, lang), hint=how("unreadable", medium, lang))
    error = decision.error(medium, lang)
    if not state.unusable:
        return error
    message = with_left_out(error.message, [exc.located for _, exc in state.unusable], lang)
    if decision.verdict in (Verdict.MISSING, Verdict.NOTHING):
        first = state.unusable[0][1]
        return type(first)(message, first.hint)
    return type(error)(message, error.hint)
