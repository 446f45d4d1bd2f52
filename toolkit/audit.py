"""Readiness report of a vault (`audit_vault`) and the differences between two vaults
(`diff_vaults`). Both describe accounts by issuer and name only: no secret, recovery code or note
text ever appears in a report.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from toolkit.model import Account, Vault, canonical_json, shared_secret_groups
from toolkit.uri import ignored_by_simple_apps

CRITICAL_TAG = "critical"
"""Accounts with this tag are moved first (losing them locks the user out of the others)."""

MIN_SECRET_BITS = 128
"""RFC 4226 asks for at least 128 bits (160 recommended); shorter secrets are reported."""


@dataclass(frozen=True)
class AccountRef:
    """An account as reports name it: issuer and name, nothing secret."""

    issuer: str
    name: str

    @classmethod
    def of(cls, account: Account) -> AccountRef:
        return cls(account.issuer, account.name)

    @property
    def label(self) -> str:
        if self.issuer and self.name:
            return f"{self.issuer}: {self.name}"
        return self.issuer or self.name or "(no name)"

    def to_json(self) -> dict[str, str]:
        return {"issuer": self.issuer, "name": self.name}


@dataclass(frozen=True)
class ShortSecret:
    account: AccountRef
    bits: int


@dataclass(frozen=True)
class IgnoredSettings:
    """Settings Google/Microsoft Authenticator ignore for this account (or Steam's need)."""

    account: AccountRef
    settings: tuple[str, ...]


@dataclass(frozen=True)
class MoveStep:
    account: AccountRef
    critical: bool


@dataclass(frozen=True)
class AuditReport:
    """What to fix or know before relying on a vault, and the order to move accounts in."""

    fingerprint: str
    account_count: int
    no_recovery_codes: tuple[AccountRef, ...]
    no_other_factor: tuple[AccountRef, ...]
    hotp: tuple[AccountRef, ...]
    short_secrets: tuple[ShortSecret, ...]
    duplicates: tuple[tuple[AccountRef, ...], ...]
    """Groups of accounts that share a secret (whatever their names or settings)."""
    ignored_settings: tuple[IgnoredSettings, ...]
    move_order: tuple[MoveStep, ...]

    @property
    def no_fallback(self) -> tuple[AccountRef, ...]:
        """Accounts with neither recovery codes nor another factor: a lost phone locks them."""
        others = set(self.no_other_factor)
        return tuple(ref for ref in self.no_recovery_codes if ref in others)

    def to_json(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint,
            "accounts": self.account_count,
            "no_recovery_codes": [r.to_json() for r in self.no_recovery_codes],
            "no_other_factor": [r.to_json() for r in self.no_other_factor],
            "no_fallback": [r.to_json() for r in self.no_fallback],
            "hotp": [r.to_json() for r in self.hotp],
            "short_secrets": [
                {**s.account.to_json(), "bits": s.bits} for s in self.short_secrets
            ],
            "duplicates": [[r.to_json() for r in group] for group in self.duplicates],
            "ignored_settings": [
                {**i.account.to_json(), "settings": list(i.settings)}
                for i in self.ignored_settings
            ],
            "move_order": [
                {**m.account.to_json(), "critical": m.critical} for m in self.move_order
            ],
        }


def move_order(accounts: Iterable[Account]) -> tuple[Account, ...]:
    """Accounts in the order to move them to a new phone: tagged critical first, then by issuer
    (then name), each part in that order."""

    def key(account: Account) -> tuple[bool, str, str]:
        return (CRITICAL_TAG not in account.tags, account.issuer.casefold(),
                account.name.casefold())

    return tuple(sorted(accounts, key=key))


def audit_vault(vault: Vault) -> AuditReport:
    """The readiness report of a vault (see docs/commands/audit.md for what each part means)."""
    accounts = vault.accounts
    return AuditReport(
        fingerprint=vault.fingerprint,
        account_count=len(accounts),
        no_recovery_codes=tuple(AccountRef.of(a) for a in accounts if not a.recovery_codes),
        no_other_factor=tuple(AccountRef.of(a) for a in accounts if not a.other_factors),
        hotp=tuple(AccountRef.of(a) for a in accounts if a.type == "hotp"),
        short_secrets=tuple(
            ShortSecret(AccountRef.of(a), len(a.secret) * 8)
            for a in accounts
            if len(a.secret) * 8 < MIN_SECRET_BITS
        ),
        duplicates=tuple(
            tuple(AccountRef.of(a) for a in group) for group in shared_secret_groups(accounts)
        ),
        ignored_settings=tuple(
            IgnoredSettings(AccountRef.of(a), tuple(ignored_by_simple_apps(a)))
            for a in accounts
            if ignored_by_simple_apps(a)
        ),
        move_order=tuple(
            MoveStep(AccountRef.of(a), CRITICAL_TAG in a.tags) for a in move_order(accounts)
        ),
    )


# --- diff -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One changed field; `old`/`new` are None for fields whose content is never shown."""

    field: str
    description: str
    old: Any = None
    new: Any = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.field, "description": self.description}
        if self.old is not None or self.new is not None:
            out["old"], out["new"] = self.old, self.new
        return out


@dataclass(frozen=True)
class ChangedAccount:
    account: AccountRef
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class VaultDiff:
    """Accounts added, removed and changed between an old and a new vault."""

    old_fingerprint: str
    new_fingerprint: str
    added: tuple[AccountRef, ...]
    removed: tuple[AccountRef, ...]
    changed: tuple[ChangedAccount, ...]

    @property
    def identical(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def to_json(self) -> dict[str, Any]:
        return {
            "identical": self.identical,
            "old_fingerprint": self.old_fingerprint,
            "new_fingerprint": self.new_fingerprint,
            "added": [r.to_json() for r in self.added],
            "removed": [r.to_json() for r in self.removed],
            "changed": [
                {**c.account.to_json(), "changes": [f.to_json() for f in c.changes]}
                for c in self.changed
            ],
        }


_SHOWN = ("issuer", "name", "type", "algorithm", "digits", "period", "counter", "tags",
          "other_factors")
"""Fields whose old and new values a diff prints (none of them is secret)."""


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n != 1 else f"1 {what.rstrip('s')}"


def account_changes(old: Account, new: Account) -> tuple[FieldChange, ...]:
    """What differs between two versions of one account; secrets compared in constant time."""
    changes: list[FieldChange] = []
    for name in _SHOWN:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            if isinstance(before, tuple):
                before, after = list(before), list(after)
            label = name.replace("_", " ")
            changes.append(FieldChange(name, f"{label} changed: {before!r} -> {after!r}",
                                       before, after))
    if not hmac.compare_digest(old.secret, new.secret):
        changes.append(FieldChange("secret", "secret changed"))
    if old.notes != new.notes:
        changes.append(FieldChange("notes", "notes changed"))
    if old.recovery_codes != new.recovery_codes:
        was, now = len(old.recovery_codes), len(new.recovery_codes)
        detail = f" ({_count(was, 'codes')} -> {_count(now, 'codes')})" if was != now else ""
        changes.append(FieldChange("recovery_codes", f"recovery codes changed{detail}"))
    return tuple(changes)


def _same(a: Account, b: Account) -> bool:
    """Whether two accounts are identical, secrets included, compared in constant time."""
    return hmac.compare_digest(canonical_json(a.to_json()), canonical_json(b.to_json()))


def _match_key(account: Account) -> tuple[str, str]:
    return (account.issuer.casefold(), account.name.casefold())


def diff_vaults(old: Vault, new: Vault) -> VaultDiff:
    """Match accounts by issuer and name (ignoring case), then compare their fields.

    Where several accounts share an issuer and name, identical ones are paired first, then the
    rest in vault order; what is left over is added or removed.
    """
    old_groups: dict[tuple[str, str], list[Account]] = {}
    new_groups: dict[tuple[str, str], list[Account]] = {}
    for account in old.accounts:
        old_groups.setdefault(_match_key(account), []).append(account)
    for account in new.accounts:
        new_groups.setdefault(_match_key(account), []).append(account)
    added: list[AccountRef] = []
    removed: list[AccountRef] = []
    changed: list[ChangedAccount] = []
    for key in sorted(set(old_groups) | set(new_groups)):
        olds = list(old_groups.get(key, []))
        news = list(new_groups.get(key, []))
        for account in list(olds):
            twin = next((a for a in news if _same(a, account)), None)
            if twin is not None:
                olds.remove(account)
                news.remove(twin)
        for before, after in zip(olds, news, strict=False):
            changed.append(ChangedAccount(AccountRef.of(after), account_changes(before, after)))
        removed.extend(AccountRef.of(a) for a in olds[len(news):])
        added.extend(AccountRef.of(a) for a in news[len(olds):])
    return VaultDiff(old.fingerprint, new.fingerprint, tuple(added), tuple(removed),
                     tuple(changed))
