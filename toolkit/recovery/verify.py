"""The comparison behind `paper2fa verify`: does the paper restore exactly to the source?

Beyond the vault itself (same accounts, secrets, settings, recovery codes, fingerprint), a
home-safe backup must give back every account QR code it printed: each code read must match
its account, and an account whose printed code was not read is not checked, so the backup does
not pass. Accounts printed without a QR code (too long for one) are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from toolkit import uri
from toolkit.audit import VaultDiff, diff_vaults
from toolkit.errors import Paper2faError
from toolkit.model import Account, Vault
from toolkit.qr_capacity import fits_one_code
from toolkit.recovery.choice import Decision
from toolkit.recovery.opening import Restored, account_code_problems, code_key
from toolkit.recovery.report import LeftOut, LeftOutReason, unusable_shares
from toolkit.recovery.state import RecoveryState
from toolkit.texts import DEFAULT_LANGUAGE


def has_account_code(account: Account) -> bool:
    """Whether the home-safe sheet prints this account's own QR code (its URI fits one), judged
    from the QR tables (toolkit.qr_capacity), not by drawing the code."""
    return fits_one_code(uri.build_otpauth(account))


class DifferenceKind(StrEnum):
    """What differs between the paper and the source vault."""

    REMOVED = "removed"
    """An account on the source but not on the paper (`label`)."""
    ADDED = "added"
    """An account on the paper but not in the source (`label`)."""
    CHANGED = "changed"
    """An account on both whose `fields` differ (names of toolkit.audit, never values)."""
    ACCOUNT_CODE = "account-code"
    """The account QR code of `label` read back does not match the source."""
    NOT_CHECKED = "not-checked"
    """`count` of `total` printed account QR codes were not read back (`labels`: the first)."""
    LEFT_OUT = "left-out"
    """An input left out (`left_out`): paper that must restore exactly uses every input."""


NOT_CHECKED_NAMED = 5
"""A NOT_CHECKED difference names at most this many accounts."""


@dataclass(frozen=True)
class Difference:
    """One difference, as values (`wording.difference_text` words it; never a secret)."""

    kind: DifferenceKind
    label: str = ""
    fields: tuple[str, ...] = ()
    count: int = 0
    total: int = 0
    labels: tuple[str, ...] = ()
    left_out: LeftOut | None = None

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        from toolkit.recovery.wording import difference_text

        return difference_text(self, lang)


@dataclass(frozen=True)
class Verification:
    """What the paper restores to, compared with the source vault."""

    diff: VaultDiff
    restored: Restored
    account_codes_bad: tuple[str, ...] = ()
    codes_printed: int = 0
    codes_checked: int = 0
    not_checked: tuple[str, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    """The inputs left out that count as differences (`left_out_items`)."""
    unreadable: tuple[Paper2faError, ...] = ()
    """The inputs that did not read, with where each came from (for `--json`)."""

    @property
    def identical(self) -> bool:
        return not self.differences()

    def differences(self) -> list[Difference]:
        """Each difference, as values: account labels and field names, never a secret."""
        kind = DifferenceKind
        out = [Difference(kind.REMOVED, r.label) for r in self.diff.removed]
        out += [Difference(kind.ADDED, r.label) for r in self.diff.added]
        out += [Difference(kind.CHANGED, c.account.label, tuple(f.field for f in c.changes))
                for c in self.diff.changed]
        out += [Difference(kind.ACCOUNT_CODE, label) for label in self.account_codes_bad]
        if self.not_checked:
            out.append(Difference(kind.NOT_CHECKED, count=len(self.not_checked),
                                  total=self.codes_printed,
                                  labels=self.not_checked[:NOT_CHECKED_NAMED]))
        out += [Difference(kind.LEFT_OUT, left_out=item) for item in self.left_out]
        return out

    def problems(self, lang: str = DEFAULT_LANGUAGE) -> list[str]:
        """Each difference in one line, in `lang` (English for `--json`)."""
        return [d.text(lang) for d in self.differences()]

    def to_json(self, source_fingerprint: str) -> dict[str, Any]:
        """`paper2fa verify --json` (no secret)."""
        restored = self.restored
        return {"identical": self.identical, "accounts": len(restored.vault),
                "fingerprint": restored.fingerprint, "source_fingerprint": source_fingerprint,
                "kind": restored.kind, "sheets": list(restored.sheets),
                "recovered_codes": restored.recovered, "problems": self.problems(),
                "unusable": [error.as_json() for error in self.unreadable],
                "left_out": [item.to_json() for item in self.left_out],
                "account_codes": {"printed": self.codes_printed,
                                  "checked": self.codes_checked,
                                  "not_checked": list(self.not_checked)}}


def left_out_items(state: RecoveryState, decision: Decision | None) -> tuple[LeftOut, ...]:
    """The inputs that did not read as shares and the shares the chosen backup could not use:
    each is a difference, for paper that must restore exactly."""
    out = [LeftOut(label, LeftOutReason.DAMAGED, detail=error.located)
           for label, error in state.unusable]
    if decision is not None:
        out += unusable_shares(decision)
    return tuple(out)


def compare(state: RecoveryState, restored: Restored, source: Vault,
            decision: Decision | None = None) -> Verification:
    """Compare a finished restore, and the account QR codes read, with the source vault (every
    input left out counts as a difference)."""
    unusable = left_out_items(state, decision)
    unreadable = tuple(error for _, error in state.unusable)
    diff = diff_vaults(source, restored.vault)
    bad = tuple(account_code_problems(state, source))
    if restored.kind != "plain":
        return Verification(diff, restored, bad, left_out=unusable, unreadable=unreadable)
    read = set(state.account_codes)
    read_keys = {code_key(account) for account, _ in state.account_codes.values()}
    printed = [a for a in restored.vault.accounts if has_account_code(a)]
    missing = tuple(a.label for a in printed
                    if uri.build_otpauth(a) not in read and code_key(a) not in read_keys)
    return Verification(diff, restored, bad, len(printed), len(printed) - len(missing),
                        missing, unusable, unreadable)
