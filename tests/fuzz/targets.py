"""What the fuzzer feeds: every parser of outside data, called in-process the way the CLI calls it.

A target takes the input's bytes (or, for `fsio.read_input`, a path) and returns a short summary
of a valid result, or raises. A `Paper2faError` is a documented error; anything else is a crash.
Text parsers get the bytes decoded as UTF-8 with `surrogateescape`, as Python decodes argv, so
invalid bytes reach them as lone surrogates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from toolkit import (
    envelope,
    frames,
    fsio,
    gauth_migration,
    importers,
    scan,
    sharing,
    textlines,
    uri,
)
from toolkit.cli.image_import import import_export
from toolkit.importers.base import PasswordSource
from toolkit.recovery import RecoveryState
from toolkit.recovery.inputs import InputFile, InputKind, Reader, kind_of

from . import typed as typed_secrets

PASSWORD = "test"
"""The password of every encrypted sample in ../shared (and of the corpus' encrypted inputs)."""

PASSPHRASE = "fuzz passphrase"
"""The passphrase of the corpus' sealed vaults."""

MAX_BLOCKS = 20
"""Typed-secret blocks checked per input (each one costs an OTP computation)."""


def _password() -> str:
    return PASSWORD


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _import_auto(data: bytes, name: str) -> str:
    """As `paper2fa import` reads a file: an image's QR codes read first by the CLI."""
    result = import_export(data, name, password=_password)
    return f"{len(result.vault)} accounts"


def _importer(fmt: str) -> Callable[[bytes, str], str]:
    def run(data: bytes, name: str) -> str:
        password: PasswordSource = _password
        result = import_export(data, name, password=password, forced=fmt)
        return f"{len(result.vault)} accounts"
    return run


def _sniff_all(data: bytes, name: str) -> str:
    scores = [(imp.sniff(data, name), imp.name) for imp in importers.all_importers()]
    bad = [n for score, n in scores if not isinstance(score, int)]
    if bad:
        raise TypeError(f"sniff of {bad[0]} did not return an int")
    return f"{sum(1 for s, _ in scores if s > 0)} formats claim it"


def _sealed(data: bytes, name: str) -> str:
    sealed = envelope.SealedVault.from_bytes(data)
    return f"sealed vault, scheme {sealed.header.scheme_name}"


def _sealed_open(data: bytes, name: str) -> str:
    sealed = envelope.SealedVault.from_bytes(data)
    if sealed.header.has_passphrase and sealed.header.scheme == envelope.SCHEME_PASSPHRASE:
        vault = envelope.open_sealed(sealed, passphrase=PASSPHRASE)
    elif sealed.header.has_passphrase:
        vault = envelope.open_sealed(sealed, bytes(32), passphrase=PASSPHRASE)
    else:
        vault = envelope.open_sealed(sealed, bytes(32))
    return f"opened, {len(vault)} accounts"


def _share(data: bytes, name: str) -> str:
    share = sharing.share_from_text(_text(data))
    return f"share x={share.x}"


def _share_file(data: bytes, name: str) -> str:
    share = sharing.share_from_file_text(_text(data))
    return f"share x={share.x}"


def _otpauth(data: bytes, name: str) -> str:
    account = uri.parse_otpauth(_text(data))
    return f"account {account.type}"


def _migration(data: bytes, name: str) -> str:
    text = _text(data)
    payload = gauth_migration.parse_migration_uri(text)
    batch = gauth_migration.read_payload(payload)
    return f"{len(batch.accounts)} accounts"


def _migration_payload(data: bytes, name: str) -> str:
    batch = gauth_migration.read_payload(data)
    return f"{len(batch.accounts)} accounts"


def _textlines(data: bytes, name: str) -> str:
    payload = textlines.decode_text(_text(data))
    return f"{payload.kind}, {len(payload.payload)} bytes"


def _typed(data: bytes, name: str) -> str:
    blocks = typed_secrets.parse_typed_secrets(_text(data))
    accounts = [typed_secrets.typed_account(b) for b in blocks[:MAX_BLOCKS]]
    return f"{len(accounts)} typed accounts"


def _frames(data: bytes, name: str) -> str:
    collector = frames.FrameCollector()
    outcomes = collector.add_all(_text(data).splitlines())
    payload = collector.finish()
    return f"{len(outcomes)} texts, payload {len(payload)} bytes"


def _restore_input(data: bytes, name: str) -> str:
    """One input file as restore reads it (named on the command line), images excepted: the
    image readers have their own targets."""
    item = InputFile(Path(name), named=True)
    if kind_of(item.path, data) is InputKind.SCAN:
        return "an image or PDF (read by the image targets)"
    kind = Reader(RecoveryState(), lambda note: None).read_data(item, data, "fast")
    return f"read as {kind}"


def _images_of(data: bytes, name: str) -> str:
    count = 0
    for image in scan.images_of(data):
        count += 1
        image.getbbox()  # touch every pixel
    return f"{count} pages"


def _decode_bytes(data: bytes, name: str) -> str:
    return f"{len(scan.decode_bytes(data))} codes"


def _read_page(data: bytes, name: str) -> str:
    pages = [scan.read_page(image, number, name)
             for number, image in enumerate(scan.images_of(data), start=1)]
    return f"{len(pages)} pages, {sum(len(p.codes) for p in pages)} codes"


def _read_input(data: bytes, name: str) -> str:
    # `name` is the path: the input is a file that is not a regular file (see corpus.SPECIAL)
    return f"{len(fsio.read_input(name))} bytes"


def _read_secret_input(data: bytes, name: str) -> str:
    # as _read_input: a password or secret file that is not a regular file (a FIFO nothing
    # writes to must end at once, not after the wait a pipe's writer gets)
    return f"{len(fsio.read_secret_input(name))} bytes"


MAX_VIDEO_FRAMES = 300
"""Frames of a video played per input (a fuzzed video may hold many more)."""


class _CountingClock:
    """The decoder's clock and sleep: time passes only by sleeping; every wait is counted."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _video_played(data: bytes, name: str) -> str:
    """A video file played in real time (`restore --camera-device FILE --camera-realtime`) on
    a counting clock: no gap between two frames may be waited on longer than MAX_FRAME_GAP."""
    import tempfile

    from toolkit.camera.source import MAX_FRAME_GAP, open_source

    clock = _CountingClock()
    with tempfile.TemporaryDirectory(prefix="paper2fa-fuzz-video-") as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(data)
        source = open_source(str(path), realtime=True, clock=clock, sleep=clock.sleep)
        count = 0
        with source:
            for count, _frame in enumerate(source, start=1):
                if count >= MAX_VIDEO_FRAMES:
                    break
    played = count + source.dropped  # a frame is dropped when a newer one is due first
    if clock.now > max(played - 1, 0) * MAX_FRAME_GAP + 1e-6:
        raise AssertionError(f"{played} frames played in {clock.now:g} s of waiting")
    return f"{played} frames, {clock.now:.2f} s waited"


@dataclass(frozen=True)
class Target:
    name: str
    run: Callable[[bytes, str], str]
    module: str
    """Where the code under test lives (named in crash reports)."""


def _build() -> dict[str, Target]:
    out = [
        Target("import", _import_auto, "toolkit.importers"),
        Target("sniff", _sniff_all, "toolkit.importers"),
        Target("sealed", _sealed, "toolkit.envelope"),
        Target("sealed.open", _sealed_open, "toolkit.envelope"),
        Target("share", _share, "toolkit.sharing"),
        Target("share.file", _share_file, "toolkit.sharing"),
        Target("otpauth", _otpauth, "toolkit.uri"),
        Target("migration", _migration, "toolkit.gauth_migration"),
        Target("migration.payload", _migration_payload, "toolkit.gauth_migration"),
        Target("textlines", _textlines, "toolkit.textlines"),
        Target("typed", _typed, typed_secrets.MODULE),
        Target("frames", _frames, "toolkit.frames"),
        Target("recovery.inputs", _restore_input, "toolkit.recovery.inputs"),
        Target("scan.images_of", _images_of, "toolkit.scan"),
        Target("scan.decode_bytes", _decode_bytes, "toolkit.scan"),
        Target("scan.read_page", _read_page, "toolkit.scan"),
        Target("fsio.read_input", _read_input, "toolkit.fsio"),
        Target("fsio.read_secret_input", _read_secret_input, "toolkit.fsio"),
        Target("camera.video", _video_played, "toolkit.camera.source"),
    ]
    for imp in importers.all_importers():
        module = imp.load.__module__ if hasattr(imp.load, "__module__") else "toolkit.importers"
        out.append(Target(f"import:{imp.name}", _importer(imp.name), module))
    return {t.name: t for t in out}


TARGETS = _build()

IMPORTERS = ["import", "sniff"]
EVERY_IMPORTER = IMPORTERS + sorted(n for n in TARGETS if n.startswith("import:"))
TEXT = ["share", "share.file", "otpauth", "migration", "textlines", "typed", "frames",
        "recovery.inputs"]
BYTES = ["sealed", "migration.payload"]
IMAGES = ["scan.images_of", "scan.decode_bytes", "scan.read_page"]
"""Target groups that the corpus names for its inputs."""

EVERYTHING = [*EVERY_IMPORTER, *TEXT, *BYTES, *IMAGES]


def importer_of(data: bytes, name: str) -> str | None:
    """The format name the registry sniffs for a (real, benign) sample, or None."""
    try:
        return importers.find_importer(data, name).name
    except Exception:
        return None

