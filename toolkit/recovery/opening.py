"""Opening the backup chosen: its vault, exactly as it was sealed or printed.

A split backup combines its usable shares (toolkit.sharing); a passphrase is asked for only
when the sealed vault has one; a plain vault (home-safe) is used as read. Account QR codes and
typed secrets are then checked against the vault. The accounts-only restore of a home-safe
backup whose vault frames are lost is here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from toolkit import envelope, sharing, uri
from toolkit.errors import (
    DamagedError,
    PasswordRequiredError,
    VaultDamagedError,
    WrongPassphraseError,
    WrongPasswordError,
)
from toolkit.model import Account, Vault
from toolkit.recovery.choice import Decision, Verdict
from toolkit.recovery.damage import DamageKind, of_opening
from toolkit.recovery.sets import BackupKind
from toolkit.recovery.state import RecoveryState
from toolkit.texts import DEFAULT_LANGUAGE

PassphraseSource = Callable[[], str]
"""Asked only when the sealed vault was made with a passphrase."""

RestoreKind = Literal["shares", "passphrase", "plain", "accounts"]


class NoteKind(StrEnum):
    """What a finished restore tells beside the vault (`RestoreNote`)."""

    RECOVERED = "recovered"
    """`count` unreadable QR codes were recovered from the redundancy."""
    CODES_MISMATCH = "account-codes-mismatch"
    """`count` account QR codes read do not match the vault (`labels`: the first of them)."""
    TYPED_SECRET_MISMATCH = "typed-secret-mismatch"  # noqa: S105 - a kind of note
    """The typed secret of `labels[0]` does not match the vault."""
    ACCOUNTS_ONLY = "accounts-only"
    """`count` accounts from account QR codes and typed secrets only."""


@dataclass(frozen=True)
class RestoreNote:
    """One thing a finished restore tells, as values (`wording.note_text` words it)."""

    kind: NoteKind
    count: int = 0
    labels: tuple[str, ...] = ()


NOTE_LABELS = 5
"""A note names at most this many accounts."""


@dataclass(frozen=True)
class Restored:
    """A finished restore: the vault and how it was obtained (no secrets in the notes)."""

    vault: Vault = field(repr=False)
    kind: RestoreKind
    notes: tuple[RestoreNote, ...]
    recovered: int
    sheets: tuple[int, ...] = ()
    set_id: str = ""
    printed_fingerprint: str = ""
    backup: str = ""

    @property
    def fingerprint(self) -> str:
        return self.vault.fingerprint

    @property
    def messages(self) -> tuple[str, ...]:
        """The notes in English (`wording.note_text` for another language)."""
        from toolkit.recovery.wording import note_text

        return tuple(note_text(note) for note in self.notes)


def open_backup(state: RecoveryState, decision: Decision,
                passphrase: PassphraseSource | None = None,
                lang: str = DEFAULT_LANGUAGE) -> Restored:
    """The vault of the backup `decide` chose (ValueError when it chose none). A sealed vault
    that does not open raises VaultDamagedError or WrongPassphraseError, its `damage` a value
    and its words in `lang`."""
    backup = decision.chosen
    if decision.verdict is not Verdict.RESTORE or backup is None or backup.document is None:
        raise ValueError("open_backup needs a decision to restore")
    doc = backup.document
    notes: list[RestoreNote] = []  # shares it could not use are left out (report.left_out)
    if doc.recovered:
        notes.append(RestoreNote(NoteKind.RECOVERED, doc.recovered))
    if backup.kind is BackupKind.HOME_SAFE:
        assert doc.vault is not None
        vault = doc.vault
        notes += _account_notes(state, vault)
        return Restored(vault, "plain", tuple(notes), doc.recovered, backup=backup.title)
    sealed = doc.sealed
    assert sealed is not None
    header = sealed.header
    if backup.kind is BackupKind.PASSPHRASE:
        vault = _open_sealed(sealed, None, _pass_key(header, passphrase), lang)
        notes += _account_notes(state, vault)
        return Restored(vault, "passphrase", tuple(notes), doc.recovered,
                        set_id=header.set_id_text, printed_fingerprint=header.fingerprint_text,
                        backup=backup.title)
    # the shares were checked once, where the backups were grouped (sets._match_shares)
    key, sheets = sharing.combine_sheets(
        {sheet: read.share for sheet, read in backup.usable.items()}, header)
    pass_key = _pass_key(header, passphrase) if header.has_passphrase else None
    vault = _open_sealed(sealed, key, pass_key, lang)
    notes += _account_notes(state, vault)
    return Restored(vault, "shares", tuple(notes), doc.recovered, sheets,
                    header.set_id_text, header.fingerprint_text, backup.title)


def _open_sealed(sealed: envelope.SealedVault, key: bytes | None, pass_key: bytes | None,
                 lang: str) -> Vault:
    """The vault inside; why not, as a value and in `lang`, when it does not open."""
    from toolkit.recovery.wording import damage_hint, damage_text

    try:
        return envelope.open_sealed(sealed, key, pass_key=pass_key)
    except (DamagedError, WrongPasswordError) as exc:
        damage = of_opening(exc)
        if damage is None:
            raise
        message, hint = damage_text(damage, lang), damage_hint(damage, lang)
        if damage.kind is DamageKind.WRONG_PASSPHRASE:
            raise WrongPassphraseError(message, damage, hint) from None
        raise VaultDamagedError(message, damage, hint) from None


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


def _account_notes(state: RecoveryState, vault: Vault) -> list[RestoreNote]:
    notes = []
    bad = account_code_problems(state, vault)
    if bad:
        notes.append(RestoreNote(NoteKind.CODES_MISMATCH, len(bad), tuple(bad[:NOTE_LABELS])))
    keys = {code_key(a) for a in vault.accounts}
    for account in state.typed_accounts:
        if code_key(account) not in keys:
            notes.append(RestoreNote(NoteKind.TYPED_SECRET_MISMATCH, 1, (account.label,)))
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
    notes = [RestoreNote(NoteKind.ACCOUNTS_ONLY, len(vault))]
    return Restored(vault, "accounts", tuple(notes), 0, backup="account QR codes")
