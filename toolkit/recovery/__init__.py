"""Restoring a vault from paper and files: the face that the CLI and the tests use.

One shape: facts -> groups -> decision -> words.

- facts: `RecoveryState` records what each input held (scans, files, typed words, the camera),
  deciding nothing, so the order of the inputs never matters (`state`, `inputs`, `typed`);
- groups: `group` puts them into backups; whether a share belongs to a backup is judged there,
  once, for every share alike (`sets`);
- decision: `choose` applies the drawer rules once (`choice`);
- words: what is missing (`Need`) and why an input was left out (`LeftOut`, `LeftOutReason`)
  are values (`needs`, `report`), put into words last, in the reader's language and for the
  way the sheets were read (`Medium`), from templates/<lang>/restore_messages.toml (`wording`);
  the CLI, the camera loop (`live`) and `--json` render the same values.

    state = RecoveryState()
    read_inputs(state, paths, tell)            # scans, sealed vaults, share and text files
    add_lines(state, words_file_lines(path))   # shares typed in a words file
    decision = choose(state, choice=None)      # grouped by backup; the drawer rules
    restored = finish(state, decision, passphrase)        # or the refusal, raised

`decision_lines(decision)` lists the backups behind a refusal, `left_out(state, decision)` the
inputs not used. docs/restore.md explains the rules.
"""

from __future__ import annotations

from toolkit.errors import VaultDamagedError, WrongPassphraseError
from toolkit.recovery.choice import Decision, Verdict, Why, decide
from toolkit.recovery.damage import Damage, DamageKind
from toolkit.recovery.documents import Document, join_numbers
from toolkit.recovery.inputs import read_inputs, walk
from toolkit.recovery.needs import (
    Medium,
    Need,
    NeedKind,
    PageToRead,
    ReadingAgain,
    ReadingNotice,
    Skipped,
    SkipReason,
)
from toolkit.recovery.opening import (
    PassphraseSource,
    Restored,
    can_restore_accounts_only,
    open_accounts_only,
    open_backup,
)
from toolkit.recovery.report import (
    BackupFacts,
    LeftOut,
    LeftOutReason,
    decision_json,
    decision_lines,
    left_out,
    medium_of,
    refusal,
)
from toolkit.recovery.sets import Backup, BackupKind, group
from toolkit.recovery.state import Read, RecoveryState
from toolkit.recovery.typed import add_lines, enter_shares, words_file_lines
from toolkit.recovery.verify import Difference, DifferenceKind, Verification, compare
from toolkit.recovery.wording import (
    damage_text,
    difference_line,
    difference_text,
    how,
    left_out_text,
    need_text,
    needs_text,
    note_text,
    reading_notes,
    reading_text,
    verify_lines,
    verify_refusal,
)
from toolkit.texts import DEFAULT_LANGUAGE

__all__ = [
    "Backup",
    "BackupFacts",
    "BackupKind",
    "Damage",
    "DamageKind",
    "Decision",
    "Difference",
    "DifferenceKind",
    "Document",
    "LeftOut",
    "LeftOutReason",
    "Medium",
    "Need",
    "NeedKind",
    "PageToRead",
    "PassphraseSource",
    "Read",
    "ReadingAgain",
    "ReadingNotice",
    "RecoveryState",
    "Restored",
    "SkipReason",
    "Skipped",
    "VaultDamagedError",
    "Verdict",
    "Verification",
    "Why",
    "WrongPassphraseError",
    "add_lines",
    "can_restore_accounts_only",
    "choose",
    "compare",
    "damage_text",
    "decide",
    "decision_json",
    "decision_lines",
    "difference_line",
    "difference_text",
    "enter_shares",
    "finish",
    "group",
    "how",
    "join_numbers",
    "left_out",
    "left_out_text",
    "medium_of",
    "need_text",
    "needs_text",
    "note_text",
    "open_accounts_only",
    "open_backup",
    "read_inputs",
    "reading_notes",
    "reading_text",
    "refusal",
    "verify_lines",
    "verify_refusal",
    "walk",
    "words_file_lines",
]


def choose(state: RecoveryState, choice: str | None = None) -> Decision:
    """Group everything read into backups and choose once (`choice`: the `--set` value)."""
    return decide(group(state), choice)


def finish(state: RecoveryState, decision: Decision,
           passphrase: PassphraseSource | None = None, accounts_only: bool = False,
           medium: Medium = Medium.SCANNER, lang: str = DEFAULT_LANGUAGE) -> Restored:
    """The vault the decision allows, or its refusal raised (`refusal`, in `lang`, its
    how-to for `medium`). With `accounts_only`, a home-safe backup whose vault frames are lost
    gives the accounts of its account codes."""
    if decision.verdict is Verdict.RESTORE:
        return open_backup(state, decision, passphrase, lang)
    if accounts_only and can_restore_accounts_only(state, decision):
        return open_accounts_only(state)
    raise refusal(state, decision, medium, lang)


def restorable(state: RecoveryState, choice: str | None = None) -> bool:
    """Whether what was read so far is enough to restore (the typed-entry loop stops then)."""
    return choose(state, choice).verdict is Verdict.RESTORE


def shares_needed(state: RecoveryState) -> int:
    """Shares needed by the backups read (for the typed-entry prompt): the largest k, or 2."""
    return max((b.threshold for b in group(state) if b.kind is BackupKind.SPLIT), default=2)
