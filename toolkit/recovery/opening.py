"""Opening the backup chosen: its vault, exactly as it was sealed or printed.

A split backup combines its usable shares (toolkit.sharing); a passphrase is asked for only
when the sealed vault has one; a plain vault (home-safe) is used as read. Account QR codes and
typed secrets are then checked against the vault. The accounts-only restore of a home-safe
backup whose vault frames are lost is here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from toolkit import envelope, sharing, uri
from toolkit.errors import DamagedError, PasswordRequiredError
from toolkit.model import Account, Vault
from toolkit.recovery.choice import Decision, Verdict
from toolkit.recovery.documents import plural
from toolkit.recovery.sets import BackupKind
from toolkit.recovery.state import RecoveryState

PassphraseSource = Callable[[], str]
"""Asked only when the sealed vault was made with a passphrase."""

RestoreKind = Literal["shares", "passphrase", "plain", "accounts"]


@dataclass(frozen=True)
class Restored:
    """A finished restore: the vault and how it was obtained (no secrets in the notes)."""

    vault: Vault = field(repr=False)
    kind: RestoreKind
    notes: tuple[str, ...]
    recovered: int
    sheets: tuple[int, ...] = ()
    set_id: str = ""
    printed_fingerprint: str = ""
    backup: str = ""

    @property
    def fingerprint(self) -> str:
        return self.vault.fingerprint


def open_backup(state: RecoveryState, decision: Decision,
                passphrase: PassphraseSource | None = None) -> Restored:
    """The vault of the backup `decide` chose (ValueError when it chose none)."""
    backup = decision.chosen
    if decision.verdict is not Verdict.RESTORE or backup is None or backup.document is None:
        raise ValueError("open_backup needs a decision to restore")
    doc = backup.document
    notes: list[str] = []  # the shares it could not use are left out (report.left_out), not notes
    if doc.recovered:
        notes.append(f"{plural(doc.recovered, 'unreadable code')} recovered from redundancy")
    if backup.kind is BackupKind.HOME_SAFE:
        assert doc.vault is not None
        vault = doc.vault
        notes += _account_notes(state, vault)
        return Restored(vault, "plain", tuple(notes), doc.recovered, backup=backup.title)
    sealed = doc.sealed
    assert sealed is not None
    header = sealed.header
    if backup.kind is BackupKind.PASSPHRASE:
        vault = envelope.open_sealed(sealed, None, pass_key=_pass_key(header, passphrase))
        notes += _account_notes(state, vault)
        return Restored(vault, "passphrase", tuple(notes), doc.recovered,
                        set_id=header.set_id_text, printed_fingerprint=header.fingerprint_text,
                        backup=backup.title)
    # the shares were checked once, where the backups were grouped (sets._match_shares)
    key, sheets = sharing.combine_sheets(
        {sheet: read.share for sheet, read in backup.usable.items()}, header)
    pass_key = _pass_key(header, passphrase) if header.has_passphrase else None
    vault = envelope.open_sealed(sealed, key, pass_key=pass_key)
    notes += _account_notes(state, vault)
    return Restored(vault, "shares", tuple(notes), doc.recovered, sheets,
                    header.set_id_text, header.fingerprint_text, backup.title)


def _pass_key(header: envelope.Header, passphrase: PassphraseSource | None) -> bytes:
    if passphrase is None:
        raise PasswordRequiredError("this backup was sealed with a passphrase, and none was given")
    return envelope.passphrase_key(header, passphrase())


def code_key(account: Account) -> tuple[object, ...]:
    """What an otpauth QR code carries of an account (no notes, tags or recovery codes)."""
    return (account.issuer, account.name, account.type, account.secret, account.algorithm,
            account.digits, account.period, account.counter)


def account_code_problems(state: RecoveryState, vault: Vault) -> list[str]:
    """Labels of account QR codes read that do not give an account of `vault` exactly."""
    expected = {uri.build_otpauth(a) for a in vault.accounts}
    keys = {code_key(a) for a in vault.accounts}
    return sorted(account.label for text, (account, _) in state.account_codes.items()
                  if text not in expected and code_key(account) not in keys)


def _account_notes(state: RecoveryState, vault: Vault) -> list[str]:
    notes = []
    bad = account_code_problems(state, vault)
    if bad:
        notes.append(f"{plural(len(bad), 'account QR code')} do not match the vault restored "
                     f"(another printout?): {', '.join(bad[:5])}")
    keys = {code_key(a) for a in vault.accounts}
    for account in state.typed_accounts:
        if code_key(account) not in keys:
            notes.append(f"the typed secret of {account.label} does not match the vault")
    return notes


def can_restore_accounts_only(state: RecoveryState, decision: Decision) -> bool:
    """A home-safe backup whose vault frames are incomplete can still give the accounts of its
    account QR codes and typed secrets (when the person asks for it)."""
    return (decision.verdict in (Verdict.MISSING, Verdict.NOTHING) and not state.shares
            and bool(state.account_codes or state.typed_accounts))


def open_accounts_only(state: RecoveryState) -> Restored:
    """The accounts of the account QR codes and typed secrets (no notes, tags or codes)."""
    seen: dict[tuple[object, ...], Account] = {}
    for account in [*(a for a, _ in state.account_codes.values()), *state.typed_accounts]:
        seen.setdefault(code_key(account), account)
    if not seen:
        raise DamagedError("no account QR code or typed secret was read")
    vault = Vault(tuple(seen.values()))
    notes = [f"restored {plural(len(vault), 'account')} from account QR codes "
             "and typed secrets only: notes, tags and recovery codes are not in them, and "
             "accounts whose code could not be read are missing; compare the count with the "
             "sheet's index"]
    return Restored(vault, "accounts", tuple(notes), 0, backup="account QR codes")
