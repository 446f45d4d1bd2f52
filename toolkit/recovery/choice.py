"""The one choice made from every backup read: restore one, ask the person to choose, or say
what is missing (docs/restore.md, "Which backup is restored").

It depends on nothing but the backups themselves, so the result never depends on the order of
the inputs: candidates are ranked by how complete they are, then by their titles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal

from toolkit.display import quoted
from toolkit.errors import ChooseBackupError, NotEnoughError, Paper2faError
from toolkit.recovery.needs import Medium, Need, NeedKind
from toolkit.recovery.sets import Backup, needs
from toolkit.recovery.wording import TEXTS, name_text, needs_text
from toolkit.texts import DEFAULT_LANGUAGE, fill, load_texts


class Verdict(StrEnum):
    RESTORE = "restore"
    CHOOSE = "choose"
    MISSING = "missing"
    NOTHING = "nothing"


class Why(StrEnum):
    """Why the person must choose."""

    SEVERAL = "several"
    NEWER = "newer"
    NO_MATCH = "no-match"


Relation = Literal["newer", "older", "same", "unknown"]


@dataclass(frozen=True)
class Decision:
    """The one choice made from every backup read, and why."""

    verdict: Verdict
    backups: tuple[Backup, ...]
    chosen: Backup | None = None
    same_vault: tuple[Backup, ...] = ()
    why: Why | None = None
    newer: tuple[Backup, ...] = ()
    choice: str | None = None

    @property
    def candidates(self) -> tuple[Backup, ...]:
        """The backups to list for the person: the complete ones when choosing, else all."""
        if self.verdict is Verdict.CHOOSE and self.why is Why.SEVERAL:
            return tuple(b for b in self.backups if b.completable)
        if self.verdict is Verdict.CHOOSE and self.why is Why.NEWER:
            return (*self.same_vault[:1], *self.newer)
        return self.backups

    def needs(self) -> list[Need]:
        """What is missing: the one backup's needs, a choice, or (RESTORE) its passphrase if
        the backup chosen has one."""
        if self.verdict is Verdict.MISSING and len(self.backups) == 1:
            return needs(self.backups[0])
        if self.verdict is Verdict.CHOOSE:
            return [Need(NeedKind.CHOICE, "")]
        chosen = self.chosen
        if chosen is not None and chosen.document is not None and (
                chosen.document.header is not None and chosen.document.header.has_passphrase):
            return [Need(NeedKind.PASSPHRASE, chosen.title, chosen.set_text,
                         name=chosen.name)]
        return []

    def error(self, medium: Medium = Medium.SCANNER,
              lang: str = DEFAULT_LANGUAGE) -> Paper2faError:
        """The refusal, for anything but RESTORE (one line; `candidates` lists the details),
        the need in `lang`, its how-to for `medium`."""
        if self.verdict is Verdict.MISSING:
            if len(self.backups) == 1:
                return NotEnoughError(needs_text(needs(self.backups[0]), medium, lang))
            return NotEnoughError(fill(load_texts(TEXTS, lang)["need"]["none_complete"],
                                       count=len(self.backups)))
        if self.verdict is Verdict.NOTHING:
            return NotEnoughError(load_texts(TEXTS, lang)["need"]["nothing"])
        texts = load_texts(TEXTS, lang)["need"]
        hint = str(texts["choose_hint"])
        if self.why is Why.NO_MATCH:
            return ChooseBackupError(fill(texts["choose_no_match"],
                                          choice=quoted(self.choice or "")), hint)
        if self.why is Why.NEWER:
            chosen = self.same_vault[0]
            newer = ", ".join(name_text(b.name, lang) for b in self.newer)
            return ChooseBackupError(fill(texts["choose_newer"],
                                          title=name_text(chosen.name, lang), newer=newer),
                                     hint)
        count = len({b.fingerprint for b in self.backups if b.completable})
        return ChooseBackupError(fill(texts["choose_several"], count=count), hint)


def _relation(backup: Backup, generation: int | None, made: date | None) -> Relation:
    if backup.generation is not None and generation is not None:
        if backup.generation != generation:
            return "newer" if backup.generation > generation else "older"
        if backup.created is not None and made is not None and backup.created != made:
            return "newer" if backup.created > made else "older"
        return "same"
    if backup.created is not None and made is not None:
        return ("newer" if backup.created > made else "older" if backup.created < made
                else "same")
    return "unknown"


def relation(backup: Backup, chosen: Sequence[Backup]) -> Relation:
    """How `backup` compares with the vault chosen (the newest of its copies)."""
    generations = [b.generation for b in chosen if b.generation is not None]
    dates = [b.created for b in chosen if b.created is not None]
    return _relation(backup, max(generations, default=None), max(dates, default=None))


def _preference(backup: Backup) -> tuple[object, ...]:
    """Among copies of one vault: no passphrase first, then the newest, then a fixed order."""
    doc = backup.document
    needs_passphrase = doc is not None and doc.header is not None and doc.header.has_passphrase
    return (needs_passphrase, -(backup.generation or 0),
            -(backup.created.toordinal() if backup.created else 0), backup.title)


def _ranked(backups: Sequence[Backup]) -> tuple[Backup, ...]:
    return tuple(sorted(backups, key=lambda b: (not b.completable, -b.progress, b.title)))


def decide(backups: Sequence[Backup], choice: str | None = None) -> Decision:
    """Choose once (docs/restore.md, "Which backup is restored")."""
    ranked = _ranked(backups)
    if not ranked:
        return Decision(Verdict.NOTHING, ranked)
    pool = ranked
    if choice is not None:
        pool = tuple(b for b in ranked if b.matches(choice))
        if not pool:
            return Decision(Verdict.CHOOSE, ranked, why=Why.NO_MATCH, choice=choice)
    complete = [b for b in pool if b.completable]
    if not complete:
        return Decision(Verdict.MISSING, pool, choice=choice)
    fingerprints = sorted({str(b.fingerprint) for b in complete})
    if len(fingerprints) > 1:
        return Decision(Verdict.CHOOSE, pool, why=Why.SEVERAL, choice=choice)
    same = tuple(sorted((b for b in complete), key=_preference))
    if choice is None:
        newer = tuple(b for b in ranked if not b.completable
                      and b.fingerprint != fingerprints[0]
                      and relation(b, same) in ("newer", "unknown"))
        if newer:
            return Decision(Verdict.CHOOSE, ranked, same_vault=same, why=Why.NEWER,
                            newer=newer)
    return Decision(Verdict.RESTORE, ranked, chosen=same[0], same_vault=same, choice=choice)


