"""What a person is told about a restore, as values: what is missing (`Need`), how the sheets
are being read (`Medium`). Computed once in toolkit.recovery (sets, report, live); the words
are toolkit.recovery.wording's, from templates/<lang>/restore_messages.toml, so the CLI, the
camera loop and `--json` say the same thing in any language.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.errors import Paper2faError
    from toolkit.recovery.damage import Damage


class Medium(StrEnum):
    """How the sheets are being read: the how-to-do-it of a message follows it."""

    SCANNER = "scanner"
    PHOTOS = "photos"
    CAMERA = "camera"
    TYPED = "typed"


class NeedKind(StrEnum):
    """What is missing to restore a backup."""

    SHARES = "shares"
    """More shares of a set (another sheet, or its words typed)."""
    NO_FRAMES = "no-frames"
    """No QR frame of the backup's sealed vault was read."""
    FRAMES = "frames"
    """Frames of a document still missing; `pages` says which pages hold them."""
    DAMAGED = "damaged"
    """The frames read give a damaged vault."""
    PASSPHRASE = "passphrase"  # noqa: S105 - a kind of need, not a password
    """The backup opens with its passphrase (asked, or --passphrase-file)."""
    CHOICE = "choice"
    """Several backups could be meant: the person chooses (--set)."""


class NameKind(StrEnum):
    """What kind of backup a `BackupName` names (each has its words in [title])."""

    SET = "set"
    PASSPHRASE = "passphrase"  # noqa: S105 - a kind of backup, not a password
    HOME_SAFE = "home-safe"
    HOME_SAFE_PRINTOUT = "home-safe-printout"
    SLIP39 = "slip39"
    PRINTOUT = "printout"


@dataclass(frozen=True)
class BackupName:
    """How people tell a backup apart, as values: its set and generation, its vault
    fingerprint, its printout id or its SLIP-39 identifier; `wording.name_text` words it
    ("set P5RYN2WS generation 2") in the reader's language."""

    kind: NameKind
    set_id: str | None = None
    generation: int | None = None
    fingerprint: str | None = None
    document: str | None = None
    identifier: int | None = None


@dataclass(frozen=True)
class PageToRead:
    """A page that holds missing frames: page `page` of any sheet (a multi-page scan), the page
    of file `file` (or the same page of another sheet), or, when neither is known, the page
    showing frame `frames[0]` (`again`: a page read before that lost the frames)."""

    page: int | None = None
    file: str | None = None
    frames: tuple[int, ...] = ()
    again: bool = False


@dataclass(frozen=True)
class Need:
    """One thing missing to restore the backup titled `backup`."""

    kind: NeedKind
    backup: str
    set_id: str | None = None
    more: int = 0
    """Shares or frames still needed."""
    needed: int = 0
    """Shares needed in all (k)."""
    have: int = 0
    """Distinct shares read."""
    sheets: tuple[int, ...] = ()
    """Sheet numbers of the shares read, when the sealed vault tells them."""
    frames: tuple[int, ...] = ()
    """Frame numbers (1-based) not read."""
    total: int = 0
    """Frames of the document."""
    pages: tuple[PageToRead, ...] = ()
    damage: Damage | None = None
    """Why the vault is damaged (DAMAGED), as a value."""
    name: BackupName | None = None
    """The backup `backup` titles, as values (to word it in the reader's language)."""

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["kind"] = str(self.kind)
        out["problem"] = self.damage.text if self.damage is not None else None
        out["damage"] = self.damage.to_json() if self.damage is not None else None
        if self.name is not None:
            out["name"]["kind"] = str(self.name.kind)
        out["sheets"] = list(self.sheets)
        out["frames"] = list(self.frames)
        out["pages"] = [{**asdict(p), "frames": list(p.frames)} for p in self.pages]
        return out


class SkipReason(StrEnum):
    """Why a file met while reading the inputs (in a folder) was skipped."""

    UNREADABLE = "unreadable"
    """It could not be read (`Skipped.error` says why, as an error with its place)."""
    VAULT_JSON = "vault-json"
    """A vault JSON file: already restored, not a scan."""
    EMPTY = "empty"
    TEXT_NOT_TXT = "text-not-txt"
    NOT_OURS_TEXT = "not-ours-text"
    """A .txt file that is neither a text fallback nor a share file (`Skipped.error`: why)."""
    """A text file in a folder whose name does not end in .txt."""
    SEALED_NOT_SCAN = "sealed-not-scan"
    """`paper2fa scan` lists scans; a sealed vault file is for restore."""
    NOT_A_SCAN = "not-a-scan"
    """`paper2fa scan`: not an image or PDF (restore reads share and text files)."""


@dataclass(frozen=True)
class Skipped:
    """A file met in a folder and skipped (a file given by name is an error instead)."""

    path: str
    reason: SkipReason
    error: Paper2faError | None = None
    """UNREADABLE: the error that said why, placed at the file."""


@dataclass(frozen=True)
class ReadingAgain:
    """Pages read a second time with every decoder: `unreadable` codes were seen but not read
    (0: frames are missing that should be on pages already read)."""

    pages: int
    unreadable: int


ReadingNotice = Skipped | ReadingAgain
"""What a restore tells while it reads its inputs (worded by toolkit.recovery.wording)."""

