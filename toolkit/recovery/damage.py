"""Why a backup's QR frames, sealed vault or vault are damaged, as values (`Damage`): worked
out once here from the typed outcomes of toolkit.frames (`Fault`, `Flaw`), the error classes of
toolkit.envelope and toolkit.model, and the opening of the sealed vault; never from a message's
words. `wording.damage_text` says it in the reader's language ([damage] of
templates/<lang>/restore_messages.toml).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from toolkit import envelope, textlines
from toolkit import frames as F
from toolkit.errors import (
    DamagedError,
    FormatError,
    Paper2faError,
    PasswordRequiredError,
    Source,
    UnknownVersionError,
    VaultDamagedError,
    WrongPasswordError,
)
from toolkit.texts import DEFAULT_LANGUAGE


class DamageKind(StrEnum):
    """What is damaged, and how."""

    FRAMES_MISSING = "frames-missing"
    """Not enough frames were read: `count` of `total` (`more` more needed)."""
    OTHER_PRINTOUT = "other-printout"
    """Frames of `count` different printouts carry the same document id (a frame from another
    document, or a forged one)."""
    FRAMES_DISAGREE = "frames-disagree"
    """Frames `frames` (of `total`) were read with different contents, or `count` frames have
    another length, kind or chunk size, and no reading of them checks."""
    TOO_MANY_READINGS = "too-many-readings"
    """So many frames disagree that not every reading could be tried."""
    BLOCK_DISAGREE = "block-disagree"
    """The frames of block `block` disagree with each other."""
    CHECKSUM = "checksum"
    """The frames reassemble to data that fails its checksum."""
    FRAME_UNREADABLE = "frame-unreadable"
    """One frame's text is not valid base45, or too short: it was misread."""
    FRAME_CHECKSUM = "frame-checksum"
    """One frame's checksum (CRC-32) does not match."""
    FRAME_HEADER = "frame-header"
    """One frame's header is impossible (its sizes, or its number outside its document)."""
    FRAME_VERSION = "frame-version"
    """A frame of a format version this program does not know."""
    NOT_SEALED = "not-sealed"
    """The data is not a sealed vault (no paper2fa-sealed magic)."""
    FORMAT_VERSION = "format-version"
    """A sealed vault or vault of a format version this program does not know."""
    HEADER_IMPOSSIBLE = "header-impossible"
    """The sealed vault's header asks for something impossible (k of n, scheme, KDF)."""
    TAMPERED = "tampered"
    """The sealed vault fails its check hash, or is truncated."""
    VAULT_UNREADABLE = "vault-unreadable"
    """The plain vault (home-safe backup) from the paper does not read as a vault."""
    DECRYPTION_FAILED = "decryption-failed"
    """The sealed vault does not open with its key: damaged or tampered."""
    WRONG_PASSPHRASE = "wrong-passphrase"  # noqa: S105 - a kind of damage, not a password
    """The passphrase given does not open the sealed vault."""


@dataclass(frozen=True)
class Damage:
    """Why something read is damaged, with the facts the words name."""

    kind: DamageKind
    count: int = 0
    total: int = 0
    more: int = 0
    block: int = 0
    frames: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"kind": str(self.kind), "count": self.count, "total": self.total,
                "more": self.more, "block": self.block, "frames": list(self.frames)}

    @property
    def text(self) -> str:
        """In English (`wording.damage_text` for another language)."""
        from toolkit.recovery.wording import damage_text

        return damage_text(self)


_FLAWS = {F.Flaw.NOT_BASE45: DamageKind.FRAME_UNREADABLE,
          F.Flaw.TOO_SHORT: DamageKind.FRAME_UNREADABLE,
          F.Flaw.CHECKSUM: DamageKind.FRAME_CHECKSUM,
          F.Flaw.HEADER: DamageKind.FRAME_HEADER,
          F.Flaw.NUMBER: DamageKind.FRAME_HEADER,
          F.Flaw.VERSION: DamageKind.FRAME_VERSION}


def of_flaw(flaw: F.Flaw) -> Damage | None:
    """What is wrong with one frame text (None: it is not a paper2fa frame at all)."""
    kind = _FLAWS.get(flaw)
    return Damage(kind) if kind is not None else None


def of_judgement(judged: F.Judgement) -> Damage:
    """Why the frames of one document give no payload (ValueError when they do)."""
    fault = judged.fault
    missing = judged.missing
    if fault is None:
        raise ValueError("a restored document is not damaged")
    if fault is F.Fault.INCOMPLETE:
        return Damage(DamageKind.FRAMES_MISSING, missing.have, missing.total, missing.need_more)
    if fault is F.Fault.PAYLOADS:
        return Damage(DamageKind.OTHER_PRINTOUT, judged.payloads)
    if fault is F.Fault.DISAGREE:
        return Damage(DamageKind.FRAMES_DISAGREE, judged.other_frames, missing.total,
                      frames=judged.conflicts)
    if fault is F.Fault.TOO_MANY:
        return Damage(DamageKind.TOO_MANY_READINGS)
    if fault is F.Fault.BLOCK:
        return Damage(DamageKind.BLOCK_DISAGREE, block=judged.block)
    return Damage(DamageKind.CHECKSUM)


def of_sealed(payload: bytes, error: Paper2faError) -> Damage:
    """Why `SealedVault.from_bytes(payload)` refused it, from the error's class."""
    if isinstance(error, UnknownVersionError):
        return Damage(DamageKind.FORMAT_VERSION)
    if isinstance(error, FormatError):
        if not payload.startswith(envelope.MAGIC):
            return Damage(DamageKind.NOT_SEALED)
        return Damage(DamageKind.HEADER_IMPOSSIBLE)
    return Damage(DamageKind.TAMPERED)


def of_sealed_file(data: bytes) -> Damage | None:
    """Why the bytes of a sealed vault file do not read as one (None: they do)."""
    try:
        envelope.SealedVault.from_bytes(data)
    except Paper2faError as exc:
        return of_sealed(data, exc)
    return None


def of_text_fallback(text: str) -> Damage | None:
    """Why a text fallback that decodes to a sealed vault does not read as one (None: it does
    not decode, or it is not a sealed vault, or the vault reads)."""
    try:
        payload = textlines.decode_text(text)
    except Paper2faError:
        return None
    return of_sealed_file(payload.payload) if payload.kind == "sealed" else None


def sealed_error(damage: Damage, lang: str = DEFAULT_LANGUAGE,
                 source: Source | None = None) -> Paper2faError:
    """The error for a sealed vault file that does not read, in `lang`, with the exit code of
    its kind: 4 not a sealed vault, impossible or of an unknown version; 6 damaged."""
    from toolkit.recovery.wording import damage_hint, damage_text

    message, hint = damage_text(damage, lang), damage_hint(damage, lang)
    error: Paper2faError
    if damage.kind is DamageKind.FORMAT_VERSION:
        error = UnknownVersionError(message, hint)
    elif damage.kind in (DamageKind.NOT_SEALED, DamageKind.HEADER_IMPOSSIBLE):
        error = FormatError(message, hint)
    else:
        error = VaultDamagedError(message, damage, hint)
    return error.with_source(source) if source is not None else error


def of_plain(error: Paper2faError) -> Damage:
    """Why the plain vault of a home-safe backup did not read."""
    if isinstance(error, UnknownVersionError):
        return Damage(DamageKind.FORMAT_VERSION)
    return Damage(DamageKind.VAULT_UNREADABLE)


def of_opening(error: Paper2faError) -> Damage | None:
    """Why a sealed vault did not open (None: the error is not about the vault itself, such as
    no passphrase given)."""
    if isinstance(error, PasswordRequiredError):
        return None
    if isinstance(error, WrongPasswordError):
        return Damage(DamageKind.WRONG_PASSPHRASE)
    if isinstance(error, DamagedError):
        return Damage(DamageKind.DECRYPTION_FAILED)
    return None

