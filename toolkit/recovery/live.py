"""What a live restore (the camera) tells the person while codes come in.

`LiveProgress(state, choice)` watches a RecoveryState that something else feeds (the camera
loop adds each new QR text with `add_qr_text`). After each addition, `update()` returns what is
new since the last call, as `Said` items (a key of the [progress] table of
templates/<lang>/camera.toml and its values, so the words can be in the reader's language):

- a backup seen for the first time, a share of it read, more of its vault's QR codes read;
- what to show next for the most complete backup that cannot be restored yet (another sheet, or
  the codes labelled "frame N of T" still missing), said again only when it changes;
- when the drawer rules allow a restore: which backup (`done` becomes True); when a backup could
  be restored but the rules ask the person to choose: why, once.

The rules are the drawer rules of toolkit.recovery.choice, applied to everything seen so far,
so the camera stops by itself exactly when `paper2fa restore` with the same pages would restore.
Nothing here reads a camera or prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit import frames as F
from toolkit.recovery.choice import Decision, Verdict, Why, decide
from toolkit.recovery.needs import NeedKind
from toolkit.recovery.sets import Backup, BackupKind, group, needs
from toolkit.recovery.state import RecoveryState
from toolkit.recovery.wording import name_text
from toolkit.texts import DEFAULT_LANGUAGE

MAX_NUMBERS_SHOWN = 12
"""Missing frame numbers listed in a hint (more are counted)."""


@dataclass(frozen=True)
class Said:
    """One thing to tell the person: a key of camera.toml's [progress] table and its values."""

    key: str
    values: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Seen:
    """What was read of one backup, to tell what changed."""

    shares: int
    frames: int
    complete_frames: bool


def backup_key(backup: Backup) -> str:
    """A name for a backup that stays the same while more of it is read."""
    if backup.set_id is not None:
        return f"set {backup.set_text} {backup.generation}"
    if backup.slip39_identifier is not None:
        return f"slip39 {backup.slip39_identifier}"
    if backup.document is not None:
        return f"document {backup.document.id_text}"
    return backup.title


def _seen(backup: Backup) -> Seen:
    doc = backup.document
    frames = doc.missing.have if doc is not None and doc.missing is not None else 0
    complete = doc is not None and doc.complete
    return Seen(backup.distinct_shares, frames, complete)


def next_step(backup: Backup, lang: str = DEFAULT_LANGUAGE) -> Said:
    """What to show next to complete `backup` (which cannot be restored yet): its first need
    (`sets.needs`, the same values a file restore renders), as the camera says it (the
    backup's name in `lang`)."""
    doc = backup.document
    values: dict[str, object] = {"title": name_text(backup.name, lang)}
    found = needs(backup)
    shares = next((n for n in found if n.kind is NeedKind.SHARES), None)
    if shares is not None:
        key = "next_sheet" if doc is not None and doc.complete else "next_sheet_all"
        return Said(key, {**values, "more": shares.more, "needed": shares.needed,
                          "have": shares.have})
    need = found[0] if found else None
    if need is None or need.kind is NeedKind.NO_FRAMES or (
            need.kind is NeedKind.FRAMES and doc is not None and doc.missing is not None
            and doc.missing.have == 0):
        return Said("next_frames_any", values)
    if need.kind is NeedKind.DAMAGED:
        return Said("next_damaged", values)
    missing = list(need.frames)
    shown = missing[:MAX_NUMBERS_SHOWN]
    numbers = F.number_ranges(shown) + (" …" if len(missing) > len(shown) else "")
    return Said("next_frames", {**values, "more": need.more, "total": need.total,
                                "numbers": numbers})


def _title_list(backups: tuple[Backup, ...], lang: str) -> str:
    return ", ".join(name_text(b.name, lang) for b in backups)


class LiveProgress:
    """Tells what changed in a RecoveryState since the last `update` (see the module doc)."""

    def __init__(self, state: RecoveryState, choice: str | None = None,
                 lang: str = DEFAULT_LANGUAGE) -> None:
        self.state = state
        self.choice = choice
        self.lang = lang  # the language backups are named in (the camera's words are the caller's)
        self.seen: dict[str, Seen] = {}
        self.last_step: Said | None = None
        self.last_choose: tuple[Why | None, tuple[str, ...]] | None = None
        self.foreign_said = False
        self.decision: Decision | None = None

    @property
    def done(self) -> bool:
        """The drawer rules allow a restore with what was read."""
        return self.decision is not None and self.decision.verdict is Verdict.RESTORE

    def update(self) -> list[Said]:
        said: list[Said] = []
        backups = group(self.state)
        decision = self.decision = decide(backups, self.choice)
        for backup in decision.backups:
            said.extend(self._changes(backup))
        if self.state.foreign and not self.foreign_said:
            self.foreign_said = True
            said.append(Said("foreign"))
        if decision.verdict is Verdict.RESTORE and decision.chosen is not None:
            chosen = decision.chosen
            said.append(Said("complete", {"title": name_text(chosen.name, self.lang),
                                          "fingerprint": chosen.fingerprint or "?"}))
            return said
        if decision.verdict is Verdict.CHOOSE:
            said.extend(self._choose(decision))
        elif decision.backups:
            step = next_step(decision.backups[0], self.lang)
            if step != self.last_step:
                self.last_step = step
                said.append(step)
        return said

    def _changes(self, backup: Backup) -> list[Said]:
        key = backup_key(backup)
        now = _seen(backup)
        before = self.seen.get(key)
        self.seen[key] = now
        out: list[Said] = []
        values: dict[str, object] = {"title": name_text(backup.name, self.lang)}
        if before is None:
            out.append(Said("new_backup", values))
        is_split = backup.kind is BackupKind.SPLIT and backup.threshold > 0
        if is_split and now.shares != (before.shares if before else 0):
            out.append(Said("shares", {**values, "have": now.shares,
                                       "needed": backup.threshold}))
        doc = backup.document
        if doc is not None and doc.missing is not None and now.frames != (
                before.frames if before else 0):
            if now.complete_frames and not (before and before.complete_frames):
                out.append(Said("frames_complete", values))
            elif not now.complete_frames:
                out.append(Said("frames", {**values, "have": doc.missing.have,
                                           "total": doc.missing.total,
                                           "more": doc.missing.need_more}))
        return out

    def _choose(self, decision: Decision) -> list[Said]:
        titles = tuple(b.title for b in decision.candidates)
        if (decision.why, titles) == self.last_choose:
            return []
        self.last_choose = (decision.why, titles)
        if decision.why is Why.NEWER and decision.same_vault:
            out = [Said("choose_newer", {
                "title": name_text(decision.same_vault[0].name, self.lang),
                "newer": _title_list(decision.newer, self.lang)})]
            out.extend(next_step(b, self.lang) for b in decision.newer[:1])
            return out
        if decision.why is Why.NO_MATCH:
            return [Said("choose_no_match", {"choice": decision.choice or ""})]
        count = len({b.fingerprint for b in decision.backups if b.completable})
        return [Said("choose_several", {"count": count})]
