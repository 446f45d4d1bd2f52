"""What the person is told about a decision: each backup in one line, every sheet left out and
why, and the same as JSON for `restore --dry-run --json`.

A sheet (a scanned page, a file, a typed share) is left out when nothing it holds belongs to
the vault restored: it is of another backup, or of an earlier generation of it; or it is a
duplicate: everything it holds was read already from a sheet that sorts before it. Sorting by
name makes the report the same whatever the order of the inputs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from toolkit.errors import NotEnoughError, Paper2faError, ScanError
from toolkit.recovery.choice import Decision, Verdict, relation
from toolkit.recovery.sets import Backup, BackupKind, needs
from toolkit.recovery.state import RecoveryState, share_key, where

Item = tuple[object, ...]


class LeftOutReason(StrEnum):
    ANOTHER_BACKUP = "another-backup"
    LOWER_GENERATION = "lower-generation"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class LeftOut:
    """One sheet (page, file or typed share) whose content was not used, and why."""

    source: str
    reason: LeftOutReason
    other: str
    partly: bool = False

    @property
    def message(self) -> str:
        what = f"what {self.source} holds of {self.other}" if self.partly else self.source
        if self.reason is LeftOutReason.DUPLICATE:
            return f"left out {what}: a duplicate of {self.other}, read already"
        if self.reason is LeftOutReason.LOWER_GENERATION:
            return f"left out {what}: an earlier generation" + (
                "" if self.partly else f" ({self.other})")
        return f"left out {what}: another backup" + ("" if self.partly else f" ({self.other})")


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
    for pos, source in enumerate(ordered):
        earlier = next((s for s in ordered[:pos] if chosen[source] <= chosen[s]), None)
        if earlier is not None:
            found.append(LeftOut(source, LeftOutReason.DUPLICATE, earlier))
    others: dict[str, list[Backup]] = {}
    for backup in decision.backups:
        if backup in decision.same_vault:
            continue
        for source in contributions(backup):
            others.setdefault(source, []).append(backup)
    for source, backups in sorted(others.items()):
        older = all(relation(b, decision.same_vault) == "older" for b in backups)
        names = ", ".join(sorted({b.title for b in backups}))
        reason = LeftOutReason.LOWER_GENERATION if older else LeftOutReason.ANOTHER_BACKUP
        found.append(LeftOut(source, reason, names, partly=source in chosen))
    return _by_file(state, found)


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
        others = {(i.reason, file_of.get(i.other, i.other) if i.reason is
                   LeftOutReason.DUPLICATE else i.other) for i in kept}
        if len(others) == 1:
            reason, other = others.pop()
            out.append(LeftOut(f"{where(file, 1, 1)} (all {len(labels)} pages)", reason, other))
            done.update(labels)
    out += [item for item in found if item.partly or item.source not in done]
    return sorted(out, key=lambda i: i.source)


# --- lines and JSON ----------------------------------------------------------------------------


def decision_lines(decision: Decision) -> list[str]:
    """The backups to show before a refusal, each in one line, most complete first."""
    if decision.verdict is Verdict.RESTORE or (
            decision.verdict is Verdict.MISSING and len(decision.backups) == 1):
        return []  # one backup: the refusal itself says what it lacks
    lines = []
    for backup in decision.candidates:
        lines.append(backup.summary())
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
        "missing": needs(backup) if not backup.completable else [],
        "sources": backup.sources(),
        "left_out_shares": [{"source": r.label, "why": why} for r, why in backup.rejected],
    }


def decision_json(state: RecoveryState, decision: Decision) -> dict[str, Any]:
    """`restore --dry-run --json`: the grouping and the choice (no secret)."""
    chosen = decision.chosen
    error = None if decision.verdict is Verdict.RESTORE else decision.error()
    return {
        "verdict": str(decision.verdict),
        "why": str(decision.why) if decision.why else None,
        "chosen": chosen.title if chosen is not None else None,
        "fingerprint": chosen.fingerprint if chosen is not None else None,
        "message": error.message if error is not None else None,
        "source": error.source.as_json() if error is not None and error.source else None,
        "exit_code": error.exit_code if error is not None else 0,
        "backups": [backup_json(b) for b in decision.backups],
        "left_out": [{"source": i.source, "reason": str(i.reason), "other": i.other}
                     for i in left_out(state, decision)],
        "unusable": [exc.as_json() for _, exc in state.unusable],
        "notes": list(state.notes),
    }


MAX_NAMED = 8
"""A refusal names at most this many unusable inputs (it stays one readable line)."""


def refusal(state: RecoveryState, decision: Decision) -> Paper2faError:
    """The error for a decision that restores nothing: the decision's own, with the inputs that
    did not read as shares named; among too few shares it keeps the kind (exit code) of the
    first of them (an unknown share version stays exit 4)."""
    if decision.verdict is Verdict.NOTHING and not state.unusable:
        if state.account_codes or state.typed_accounts:
            return NotEnoughError("account QR codes were read, but no QR frames of the whole "
                                  "vault: scan the pages with the grid of QR codes too (or "
                                  "restore the accounts alone, without notes and recovery "
                                  "codes)")
        return ScanError(state.nothing_message())
    error = decision.error()
    if not state.unusable:
        return error
    named = [exc.located for _, exc in state.unusable[:MAX_NAMED]]
    if len(state.unusable) > MAX_NAMED:
        named.append(f"and {len(state.unusable) - MAX_NAMED} more")
    message = f"{error.message}; left out: " + "; ".join(named)
    if decision.verdict in (Verdict.MISSING, Verdict.NOTHING):
        first = state.unusable[0][1]
        return type(first)(message, first.hint)
    return type(error)(message, error.hint)
