"""The error tree. Library code raises these; only `toolkit.cli.main` turns them into exits.

Every error carries an exit code (documented in docs/exit-codes.md, checked by a test) and a
one-line hint saying what to do. Messages never contain secrets.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from toolkit.display import shortened

if TYPE_CHECKING:
    from toolkit.recovery.damage import Damage

SOURCE_LIMIT = 200
"""The most characters of a file path or a label that an error's place shows (a longer one is
cut in the middle, the cut marked): the line stays readable whatever the file was called."""


@dataclass(frozen=True)
class Source:
    """Where an error came from, set once where the input is opened: the file as given, a page
    of it, a line of it, or a label for an input that is not a file ("FreeOTP 2", "the token").

    Shown as `file` (or `label`), then " page N", then " line N": "words.txt line 3"."""

    file: str | None = None
    page: int | None = None
    line: int | None = None
    label: str | None = None

    def __str__(self) -> str:
        named = [shortened(name, SOURCE_LIMIT) for name in (self.file, self.label)
                 if name is not None]
        where = " ".join(named)
        if self.page is not None:
            where += f" page {self.page}"
        if self.line is not None:
            where += f" line {self.line}"
        return where.strip()

    def around(self, inner: Source) -> Source:
        """This place with what `inner` (found further in) knows: its page, line and label,
        and its file when this place names none."""
        return Source(file=inner.file if self.file is None else self.file,
                      page=self.page if inner.page is None else inner.page,
                      line=self.line if inner.line is None else inner.line,
                      label=self.label if inner.label is None else inner.label)

    def as_json(self) -> dict[str, str | int | None]:
        """The place as structured fields, for `--json` outputs."""
        return {"file": self.file, "page": self.page, "line": self.line, "label": self.label}


class Paper2faError(Exception):
    """Base of every error a user can cause with bad input.

    `message` says what is wrong; `source` (a `Source`, or None) says where, as a field: it is
    set where the input is opened (`with_source`), never glued into the message. `str()` and
    `located` give both, as one line: "words.txt line 3: ...".
    """

    exit_code = 1
    hint = "run the command again with -v for details"
    source: Source | None = None

    def __init__(self, message: str, hint: str | None = None, *,
                 source: Source | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint
        if source is not None:
            self.source = source

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__

    @property
    def located(self) -> str:
        """The message after its place, when it has one: "in.txt line 3: not a share"."""
        where = "" if self.source is None else str(self.source)
        return f"{where}: {self.message}" if where else self.message

    def __str__(self) -> str:
        return self.located

    def as_json(self) -> dict[str, object]:
        """The error for `--json` outputs: its kind, words, place (structured) and exit code."""
        return {"error": type(self).__name__, "message": self.message,
                "source": None if self.source is None else self.source.as_json(),
                "exit_code": self.exit_code}

    def with_source(self, source: Source | None) -> Self:
        """A copy of this error (same class, message and hint) that came from `source`."""
        located = copy.copy(self)
        located.source = source
        return located

    def opened_at(self, outer: Source) -> Self:
        """A copy of this error placed where its input was opened (`outer`, a file), keeping
        what it knew already of its place within that input (a page, a line, a label)."""
        return self.with_source(outer if self.source is None else outer.around(self.source))


class UsageError(Paper2faError):
    """The command line itself is wrong (a missing option, a bad value)."""

    exit_code = 2
    hint = "see `paper2fa --help`"

    def __init__(self, message: str, hint: str | None = None, *,
                 source: Source | None = None) -> None:
        super().__init__(message, hint, source=source)
        self._hint_given = hint is not None

    def name_command(self, command: str) -> None:
        """Point the default hint at the command's own help: see `paper2fa list --help`."""
        if not self._hint_given:
            self.hint = f"see `paper2fa {command} --help`"


class InputFileError(Paper2faError):
    """An input file is missing, unreadable or too large."""

    exit_code = 3
    hint = "check the path and that the file can be read"


class FormatError(Paper2faError):
    """Input data is not in the expected format, or is damaged."""

    exit_code = 4
    hint = "check that the file is the right one and complete; try --format to force a format"


class AccountError(FormatError):
    """One account's data is invalid (a bad secret, an unsupported algorithm...)."""

    hint = "fix or remove that account"


class UnknownVersionError(FormatError):
    """A file or code uses a format version this program does not know."""

    hint = "use a newer paper2fa to read this file"


class WrongPasswordError(Paper2faError):
    """A password or passphrase does not open the data."""

    exit_code = 5
    hint = "check the password (case, keyboard layout) and try again"


class PasswordRequiredError(WrongPasswordError):
    """The data is encrypted and no password could be obtained (no terminal to ask on)."""

    hint = "give it with --password-file FILE (or --passphrase-file FILE)"


class DamagedError(Paper2faError):
    """A sealed vault failed its integrity check: damaged, truncated or tampered."""

    exit_code = 6
    hint = "the sealed vault is damaged or was changed; scan or copy it again from another sheet"


class VaultDamagedError(DamagedError):
    """A sealed vault that reads but does not open: damaged or tampered. `damage` (a
    toolkit.recovery.damage.Damage) says why as a value; the message is in the reader's
    language."""

    def __init__(self, message: str, damage: Damage, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.damage = damage

    def __reduce__(self) -> tuple[Any, ...]:  # copied by with_source: its damage too
        return (type(self), (self.message, self.damage), self.__dict__)


class WrongPassphraseError(WrongPasswordError):
    """The passphrase given does not open the sealed vault of a restore: `damage` says so as a
    value (toolkit.recovery.damage.Damage); the message is in the reader's language."""

    def __init__(self, message: str, damage: Damage, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.damage = damage

    def __reduce__(self) -> tuple[Any, ...]:  # copied by with_source: its damage too
        return (type(self), (self.message, self.damage), self.__dict__)


class ShareError(Paper2faError):
    """Shares are missing, from another set, mistyped or otherwise unusable."""

    exit_code = 7
    hint = "check that every share belongs to this backup and was read correctly"


class NotEnoughError(ShareError):
    """Too few shares or QR frames to rebuild the vault."""

    hint = "add more shares or scan more pages"


class ChooseBackupError(Paper2faError):
    """The inputs hold more than one backup that could be meant; nothing is restored unless the
    person chooses one."""

    exit_code = 13
    hint = ("choose the backup by its set id or vault fingerprint (printed at the bottom of "
            "every page of its sheets)")


class OutputExistsError(Paper2faError):
    """An output file exists already and --force was not given."""

    exit_code = 8
    hint = "choose another output path, or pass --force to replace it"


class OutputError(Paper2faError):
    """An output file could not be written."""

    exit_code = 8
    hint = "check that the folder exists and is writable"


class VerifyError(Paper2faError):
    """A restore or a printed backup does not reproduce the source exactly."""

    exit_code = 9
    hint = "do not rely on this backup: print it again and repeat the check"


class OfflineError(Paper2faError):
    """The machine is online where it must be offline, or code tried to use the network."""

    exit_code = 10
    hint = "disconnect this machine from every network (see bootable/CHECKLIST.md)"


class CameraError(InputFileError):
    """A camera or video file cannot be opened (see its subclasses), or stops sending pictures."""

    hint = "connect a webcam and try again, or give a video file"


class CameraNotFoundError(CameraError):
    """No camera at the device path (nothing plugged in, or unplugged), or no such video file."""

    hint = "connect a webcam, wait a few seconds and try again (or give the right device or file)"


class CameraBusyError(CameraError):
    """The camera is in use by another program."""

    hint = "close the other program that uses the camera (a video call, a browser) and try again"


class CameraPermissionError(CameraError):
    """This user may not open the camera or the video file."""

    hint = "use an account in the `video` group, or run paper2fa with sudo"


class NotACameraError(CameraError):
    """The path is neither a video capture device nor a regular video file."""

    hint = "give a camera device such as /dev/video0, or a video file"


class ScanError(Paper2faError):
    """Scanned images or PDFs could not be read."""

    exit_code = 11
    hint = "scan again at 300\u00a0DPI, flat, in good light"


class WorkLimitError(ScanError):
    """A run would read more pages or pixels than paper2fa reads in one run (docs/restore.md,
    "Limits"): it stops, whatever file it was reading."""

    hint = "give only the scans of the backup, in fewer or smaller files"


class VideoFormatError(ScanError):
    """A video file or a camera stream cannot be decoded: not a video, or an unsupported format."""

    hint = "give a video file such as MP4, MKV, WebM or AVI, or use another camera"


class SelfCheckError(Paper2faError):
    """A freshly made PDF did not read back exactly what was drawn."""

    exit_code = 12
    hint = "do not print this file; report the problem with -v output"


class Interrupted(Paper2faError):
    """The user pressed Ctrl-C (or the process got SIGTERM); nothing was left behind."""

    exit_code = 130
    hint = "nothing was written"


def all_error_classes() -> list[type[Paper2faError]]:
    """Every error class, the base first (used by the docs test and `exit-codes` docs)."""
    seen: list[type[Paper2faError]] = []
    todo: list[type[Paper2faError]] = [Paper2faError]
    while todo:
        cls = todo.pop(0)
        if cls not in seen:
            seen.append(cls)
            todo.extend(cls.__subclasses__())
    return seen
