"""Test videos of real paper2fa sheets filmed by a simulated webcam (made once, then cached).

Real sheets are rendered (a 3-of-5 split made as toolkit.sharing.make_split makes one, drawn
from a seeded random.Random by `seeded_split`, and toolkit.render.split.render_split_pdfs; a
home-safe backup with render_home_safe), rasterized
with pypdfium2, and filmed: each `Shot` holds one page (or part of it) in front of the camera
for a while, or nothing at all; between a shot's start and end view the sheet moves, and it can
be turned, tilted, out of focus, dim, shaking or partly out of the picture (tests/degrade.py
`camera_view`). Every frame gets a webcam's exposure, lens softness, vignetting and sensor
noise and is encoded with H.264 (PyAV). Frames are made in memory; only the video is written.

Videos are cached in .cache/camera-videos/ (git-ignored), named after the script and a hash of
everything that makes them, so each is made once per machine:

    .venv/bin/python tests/camera_videos.py --list
    .venv/bin/python tests/camera_videos.py split-sheet-by-sheet --fps 30 --size 1920x1080

Each `Video` knows the QR texts drawn on the pages it shows (`drawn`), the ones a reader must
read (`needed`: every code wholly inside the part of the page shown in a shot marked needed),
and when the last needed page came into view (`last_needed_at`, seconds).
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import math
import os
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # degrade.py
sys.path.insert(0, str(HERE.parent))  # the repository, for toolkit

import av  # noqa: E402
import degrade as D  # noqa: E402
from PIL import Image, ImageChops  # noqa: E402

from toolkit import envelope, scan, sharing  # noqa: E402
from toolkit.camera import Advice  # noqa: E402
from toolkit.model import Account, Vault, vault_from_json, vault_to_json  # noqa: E402
from toolkit.render.home_safe import render_home_safe  # noqa: E402
from toolkit.render.layout import PAPERS  # noqa: E402
from toolkit.render.split import render_split_pdfs  # noqa: E402

CACHE = HERE.parent / ".cache" / "camera-videos"
DATE = datetime(2026, 1, 15, tzinfo=UTC)
PAGE_DPI = 200
"""Pages are rasterized at this resolution: half an A4 page then has more pixels than 1080p."""

VERSION = 4
"""Bumped when the way frames are made changes, so cached videos are made again."""

SIZES = {"640x480": (640, 480), "1280x720": (1280, 720), "1920x1080": (1920, 1080)}

TOP = (0.0, 0.0, 1.0, 0.5)
BOTTOM = (0.0, 0.42, 1.0, 0.92)
WHOLE = (0.0, 0.0, 1.0, 1.0)
"""Parts of a page (left, top, right, bottom, as fractions): what a person shows at a time."""


# --- the sheets ---------------------------------------------------------------------------


def make_vault(count: int, seed: int = 13) -> Vault:
    rng = random.Random(seed)
    return Vault(tuple(
        Account(issuer=f"Service {i:03d}", name=f"person{i}@example.com",
                secret=rng.randbytes(20),
                recovery_codes=tuple(f"{rng.randrange(10**10):010d}" for _ in range(4)))
        for i in range(count)))


@dataclass(frozen=True)
class DrawnCode:
    """A QR code on a page: its text and its box as fractions of the page."""

    text: str
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class Sheets:
    """Pages to film by name ("sheet 2 page 1", "home page 3"), and the codes on each.

    `sealed` is the sealed vault a split's frames carry (None for a home-safe backup, whose
    frames carry the vault JSON); `vault` is what a restore must give back.
    """

    pages: dict[str, Image.Image] = field(repr=False)
    codes: dict[str, tuple[DrawnCode, ...]]
    vault: Vault = field(repr=False)
    sealed: bytes | None = field(repr=False)
    shares: dict[int, str]
    """The share QR text of each sheet of a split, by sheet number."""


def _codes_on(page: Image.Image) -> tuple[DrawnCode, ...]:
    found, failed = scan.zxing_pass(page)
    assert not failed, "a clean rendering reads completely"
    out = []
    for code in found:
        xs = [p[0] / page.width for p in code.position]
        ys = [p[1] / page.height for p in code.position]
        out.append(DrawnCode(code.text, (min(xs), min(ys), max(xs), max(ys))))
    return tuple(out)


def seeded_split(vault: Vault, k: int, n: int, rng: random.Random) -> sharing.SplitResult:
    """A k-of-n split of `vault` (scheme pyshamir) as sharing.make_split makes one, with every
    random draw taken from `rng`, so the sheets (and what a test reads of them) are the same in
    every run. pyshamir draws its own randomness, which only the test-vector generator may fix
    (STYLE.md): here each byte's polynomial and the x coordinates are drawn from `rng` and
    evaluated as pyshamir does; the sealing and the self-test are the project's own."""
    set_id, secret = rng.randbytes(envelope.SET_ID_LEN), rng.randbytes(envelope.KEY_LEN)
    xs = rng.sample(range(1, 256), n)
    ys = [bytearray() for _ in range(n)]
    for byte in secret:
        coefficients = [byte, *rng.randbytes(k - 1)]
        for x, y in zip(xs, ys, strict=True):
            value = 0
            for coefficient in reversed(coefficients):  # Horner
                value = sharing._mul(value, x) ^ coefficient  # pyshamir's field
            y.append(value)
    shares = [sharing.Share(set_id, 1, k, n, x=x, y=bytes(y)) for x, y in zip(xs, ys, strict=True)]
    inputs = envelope.SealInputs(envelope.SCHEME_PYSHAMIR, k, n,
                                 envelope.commitments_for(set_id, [s.point() for s in shares]), 1)
    sealed, _ = envelope.seal(vault, split_secret=secret, passphrase=None, set_id=set_id,
                              inputs=inputs, kdf=envelope.KDF_PROFILES["test"], rng=rng.randbytes,
                              now=DATE)
    sealed_bytes = sealed.to_bytes()
    sharing.self_test(sealed_bytes, shares, secret, vault, None)
    return sharing.SplitResult(sealed_bytes, tuple(shares), (),
                               tuple(f"share-{i}-of-{n}.txt" for i in range(1, n + 1)),
                               sealed.header)


@cache
def split_sheets(accounts: int = 40, k: int = 3, n: int = 5) -> Sheets:
    """A k-of-n split of `accounts` made-up accounts: every page of every sheet (seeded by the
    split's shape, `seeded_split`)."""
    vault = make_vault(accounts)
    result = seeded_split(vault, k, n, random.Random(f"camera-videos/{accounts}/{k}/{n}"))
    pdfs = render_split_pdfs(result, DATE, PAPERS["a4"], self_check=False)
    # a holder sheet's frames start on page 3 (page 1: the instructions, page 2: the words)
    pages: dict[str, Image.Image] = {}
    for number in range(1, n + 1):
        for p, page in enumerate(D.rasterize(pdfs[f"share-{number}-of-{n}.pdf"], PAGE_DPI), 1):
            pages[f"sheet {number} page {p}"] = page
    codes = {name: _codes_on(page) for name, page in pages.items()}
    shares = {number: next(c.text for c in codes[f"sheet {number} page 1"]
                           if c.text.startswith("P2FA-SHARE"))
              for number in range(1, n + 1)}
    return Sheets(pages, codes, vault, result.sealed_bytes, shares)


@cache
def home_safe_sheets(accounts: int = 6) -> Sheets:
    """A home-safe backup of `accounts` made-up accounts: its pages that carry QR codes."""
    vault = make_vault(accounts, seed=5)
    pdf = render_home_safe(vault, date=DATE, generation=1, paper=PAPERS["a4"]).pdf
    pages = {f"home page {p}": page
             for p, page in enumerate(D.rasterize(pdf, PAGE_DPI), 1)}
    codes = {name: _codes_on(page) for name, page in pages.items()}
    with_codes = {name for name, found in codes.items() if found}
    return Sheets({n: p for n, p in pages.items() if n in with_codes},
                  {n: c for n, c in codes.items() if n in with_codes}, vault, None, {})


# --- shots --------------------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """Where a sheet is in the picture (tests/degrade.py `camera_view`), how sharp and lit.

    `blur` is defocus (σ in frame pixels, on top of the lens's own softness); `light` scales
    the exposure (1: white paper at grey 215; 0.25 a dim room).
    """

    part: tuple[float, float, float, float] = TOP
    fill: float = 0.92
    angle: float = 0.0
    tilt: float = 0.0
    shift: tuple[float, float] = (0.0, 0.0)
    blur: float = 0.0
    light: float = 1.0


def _mix(a: float, b: float, u: float) -> float:
    return a + (b - a) * u


def between(start: View, end: View, u: float) -> View:
    """The view a fraction `u` of the way from `start` to `end` (the sheet moving)."""
    (a0, a1, a2, a3), (b0, b1, b2, b3) = start.part, end.part
    return View((_mix(a0, b0, u), _mix(a1, b1, u), _mix(a2, b2, u), _mix(a3, b3, u)),
                _mix(start.fill, end.fill, u), _mix(start.angle, end.angle, u),
                _mix(start.tilt, end.tilt, u),
                (_mix(start.shift[0], end.shift[0], u), _mix(start.shift[1], end.shift[1], u)),
                _mix(start.blur, end.blur, u), _mix(start.light, end.light, u))


@dataclass(frozen=True)
class Hand:
    """A hand holding the sheet, and the camera's exposure: the sheet sways with a speed of
    `speed` pixels per second (standard deviation along each axis, a sum of slow sways of 1 to 6
    Hz) and moves during each exposure of `exposure` seconds, which smears it (motion blur).
    The smear's length then follows a Rayleigh law: median 1.18 and 90th percentile 2.15 times
    speed × exposure (speed 102 px/s at 1/30 s: median 4 px, 90th percentile 7 px)."""

    speed: float
    exposure: float = 1 / 30


@dataclass(frozen=True)
class Shot:
    """`page` (a name in Sheets.pages, or None for the empty desk) held for `seconds`, moving
    from `start` to `end` (None: held still), trembling by `shake` pixels, or held by `hand`.

    `levels` (ink, paper) overrides the exposure of the page (grey levels before vignetting);
    `noise` adds sensor noise (σ grey levels, new in every frame) to the camera's own.
    When `needed`, every code wholly inside the part shown must be read from this shot;
    `expect` is the advice (toolkit.camera.Advice) due at the end of the shot.
    """

    page: str | None
    seconds: float
    start: View = View()
    end: View | None = None
    shake: float = 0.0
    needed: bool = False
    expect: Advice | None = None
    hand: Hand | None = None
    levels: tuple[int, int] | None = None
    noise: float = 0.0


@dataclass(frozen=True)
class Script:
    """`quality` is the H.264 CRF of the video: 20 keeps almost everything (the bits follow
    the picture). `bitrate`, when set, is a webcam's own H.264 instead: about constant bits
    per second (for 720p at 30 frames per second; kept per pixel and per frame at other sizes
    and rates, `bits_per_second`)."""

    name: str
    sheets: Callable[[], Sheets]
    shots: tuple[Shot, ...]
    about: str
    quality: int = 20
    bitrate: int | None = None


def _sheet_by_sheet() -> tuple[Shot, ...]:
    """Sheets 1, 3 and 5 of a 3-of-5 split of 40 accounts, one after another, half a page at a
    time: the frames page of sheet 1 (top half sliding in from the side, then the bottom half,
    out of focus for a moment), page 1 of sheet 3 turned and tilted, page 2 of sheet 5 coming
    up from below the picture, then held until the restore is complete. Each part is held 1.2 s
    (as in issue 20's trials: `_restore`); every code of each part reads in its first frame."""
    frames_page = "sheet 1 page 3"
    return (
        Shot(None, 0.5),
        Shot(frames_page, 0.6, View(TOP, shift=(0.8, 0.05)), View(TOP)),
        Shot(frames_page, 1.2, View(TOP), shake=1.5, needed=True),
        Shot(frames_page, 0.5, View(TOP), View(BOTTOM)),
        Shot(frames_page, 0.8, View(BOTTOM, blur=3.0), View(BOTTOM, blur=1.0)),
        Shot(frames_page, 1.2, View(BOTTOM), shake=1.5, needed=True),
        Shot(None, 0.4),
        Shot("sheet 3 page 1", 1.2, View(TOP, angle=8, tilt=20), shake=1.0, needed=True),
        Shot(None, 0.4),
        Shot("sheet 5 page 1", 0.6, View(TOP, shift=(0.0, 0.7)), View(TOP)),
        Shot("sheet 5 page 1", 6.0, View(TOP), shake=1.0, needed=True),
    )


def _home_safe() -> tuple[Shot, ...]:
    """A home-safe backup of 6 accounts: its page of vault frames in two halves, then the first
    page of account codes in two halves."""
    frames_page, accounts_page = "home page 5", "home page 2"  # checked in make_video
    return (
        Shot(None, 0.5),
        Shot(frames_page, 1.5, View(TOP), shake=1.0, needed=True),
        Shot(frames_page, 1.5, View(BOTTOM), shake=1.0, needed=True),
        Shot(None, 0.5),
        Shot(accounts_page, 1.5, View(TOP), shake=1.0, needed=True),
        Shot(accounts_page, 1.5, View(BOTTOM), shake=1.0, needed=True),
    )


def _guidance() -> tuple[Shot, ...]:
    """Each thing the advice is for, 2 seconds each (twice the advice's window of recent
    frames, toolkit.camera.session.ADVICE_WINDOW): nothing shown; a whole page (too small at
    720p); half a page in a dim room; half a page moved about fast; half a page seen at a
    steep angle; finally half a page held well."""
    page = "sheet 2 page 3"
    return (
        Shot(None, 2.0, expect=Advice.SHOW_CODES),
        Shot(page, 2.0, View(WHOLE, fill=0.95), shake=1.0, expect=Advice.HALF_PAGE),
        Shot(page, 2.0, View(TOP, light=0.08), shake=1.0, expect=Advice.MORE_LIGHT),
        Shot(page, 1.0, View(TOP, shift=(-0.25, 0.0)), View(TOP, shift=(0.25, 0.05))),
        Shot(page, 1.0, View(TOP, shift=(0.25, 0.05)), View(TOP, shift=(-0.25, 0.0))),
        Shot(page, 1.0, View(TOP, shift=(-0.25, 0.0)), View(TOP, shift=(0.25, 0.0)),
             expect=Advice.HOLD_STILL),
        Shot(page, 2.0, View(TOP, tilt=62, fill=1.0), shake=1.0, expect=Advice.HOLD_STRAIGHT),
        Shot(page, 2.0, View(TOP), shake=1.0, needed=True, expect=Advice.READING),
    )


def _quick() -> tuple[Shot, ...]:
    """A short video for the default test run: the frames page of a 10-account split in two
    halves (the second partly out of the picture at first), with nothing before and between."""
    page = "sheet 2 page 3"
    return (
        Shot(None, 0.4),
        Shot(page, 1.2, View(TOP), shake=1.0, needed=True),
        Shot(None, 0.3),
        Shot(page, 0.4, View(BOTTOM, shift=(0.0, 0.6)), View(BOTTOM)),
        Shot(page, 1.2, View(BOTTOM), shake=1.0, needed=True),
    )


STEADY_HAND = Hand(38.0)
"""A hand held as still as a person can: at 1/30 s a median smear of 1.5 px at 720p."""

SHAKING_HAND = Hand(102.0)
"""Trembling hands (issue 20): at 1/30 s a median smear of 4 px, 7 px at the 90th percentile."""

DIM_ROOM = (25, 115)
"""Ink and paper as a webcam exposes them in a dim room at 1/30 s (issue 20), with sensor
noise of σ 10 grey levels (DIM_NOISE)."""

DIM_NOISE = 9.5
"""Added to the camera's own σ 3: about σ 10 in all."""


WEBCAM_BITRATE = 3_000_000
"""A webcam's own H.264 at 720p and 30 frames per second (2-4 Mbit/s; issue 20's trials)."""

LOW_QUALITY = 28
"""An H.264 CRF that starves a held sheet's frames: the shaking-hands video at CRF 28 is 0.6
Mbit/s (its smeared frames cost the encoder little), a fifth of a webcam's (docs/camera.md)."""


def _dim_room() -> tuple[Shot, ...]:
    """The frames page of a 40-account split in a dim room (paper at grey 115, ink at 25, noise
    σ 10, 1/30 s exposure), held steadily, half a page at a time."""
    page = "sheet 1 page 3"
    dim = {"hand": STEADY_HAND, "levels": DIM_ROOM, "noise": DIM_NOISE}
    return (
        Shot(None, 0.4),
        Shot(page, 1.4, View(TOP), needed=True, expect=Advice.MORE_LIGHT, **dim),  # type: ignore[arg-type]
        Shot(None, 0.3),
        Shot(page, 1.4, View(BOTTOM), needed=True, expect=Advice.MORE_LIGHT, **dim),  # type: ignore[arg-type]
    )


SOFT_LENS = 0.3
"""More lens softness (σ pixels, on top of LENS_BLUR): a cheap webcam's lens."""


def _shaking_hands() -> tuple[Shot, ...]:
    """The frames page of a 40-account split held by trembling hands (1/30 s exposure: a
    median smear of 4 px, 7 px at the 90th percentile) to a cheap webcam, half a page at a time."""
    page = "sheet 1 page 3"
    return (
        Shot(None, 0.4),
        Shot(page, 1.2, View(TOP, blur=SOFT_LENS), needed=True, hand=SHAKING_HAND,
             expect=Advice.HOLD_STILL),
        Shot(None, 0.3),
        Shot(page, 1.2, View(BOTTOM, blur=SOFT_LENS), needed=True, hand=SHAKING_HAND,
             expect=Advice.HOLD_STILL),
    )


def _restore(hand: Hand | None = None, levels: tuple[int, int] | None = None,
             noise: float = 0.0, blur: float = 0.0,
             parts: tuple[tuple[float, float, float, float], ...] = (TOP, BOTTOM)
             ) -> tuple[Shot, ...]:
    """What a restore needs, as a person shows it (issue 20's webcam trials): the frames page
    of sheet 1 (in `parts`: two halves, or the whole page), then page 1 of sheets 3 and 5 (their
    share codes), each part held 1.2 s, the last one until the restore ends."""
    held = {"hand": hand, "levels": levels, "noise": noise, "needed": True}
    frames_page = "sheet 1 page 3"
    fill = 0.95 if parts == (WHOLE,) else 0.92
    shots: list[Shot] = [Shot(None, 0.5)]
    for part in parts:
        shots.append(Shot(frames_page, 1.2, View(part, fill=fill, blur=blur), **held))  # type: ignore[arg-type]
    shots.append(Shot(None, 0.4))
    shots.append(Shot("sheet 3 page 1", 1.2, View(parts[0], fill=fill, blur=blur), **held))  # type: ignore[arg-type]
    shots.append(Shot(None, 0.4))
    shots.append(Shot("sheet 5 page 1", 4.0, View(parts[0], fill=fill, blur=blur), **held))  # type: ignore[arg-type]
    return tuple(shots)


SCRIPTS: dict[str, Script] = {s.name: s for s in [
    Script("split-sheet-by-sheet", split_sheets, _sheet_by_sheet(), _sheet_by_sheet.__doc__ or ""),
    Script("home-safe", home_safe_sheets, _home_safe(), _home_safe.__doc__ or ""),
    Script("guidance", split_sheets, _guidance(), _guidance.__doc__ or ""),
    Script("quick", lambda: split_sheets(10), _quick(), _quick.__doc__ or ""),
    Script("dim-room", split_sheets, _dim_room(), _dim_room.__doc__ or "",
           bitrate=WEBCAM_BITRATE),
    Script("shaking-hands", split_sheets, _shaking_hands(), _shaking_hands.__doc__ or "",
           bitrate=WEBCAM_BITRATE),
    Script("restore-steady", split_sheets, _restore(STEADY_HAND),
           "A restore (sheets 1, 3, 5; half pages) held steadily in good light.",
           bitrate=WEBCAM_BITRATE),
    Script("restore-dim-room", split_sheets, _restore(STEADY_HAND, DIM_ROOM, DIM_NOISE),
           "A restore (sheets 1, 3, 5; half pages) in a dim room.", bitrate=WEBCAM_BITRATE),
    Script("restore-shaking-hands", split_sheets, _restore(SHAKING_HAND, blur=SOFT_LENS),
           "A restore (sheets 1, 3, 5; half pages) with trembling hands and a cheap lens.",
           bitrate=WEBCAM_BITRATE),
    Script("restore-shaking-hands-crf28", split_sheets, _restore(SHAKING_HAND, blur=SOFT_LENS),
           "The same at H.264 CRF 28 (0.6 Mbit/s): the limit, for the benchmark.",
           quality=LOW_QUALITY),
    Script("restore-whole-pages", split_sheets, _restore(STEADY_HAND, parts=(WHOLE,)),
           "A restore (sheets 1, 3, 5) showing whole pages: for 1080p.",
           bitrate=WEBCAM_BITRATE),
    Script("shaking-hands-seed4", split_sheets, _shaking_hands(), "The shaking-hands video drawn "
           "again (its name is its seed; variant 4 of tests/benchmarks/camera.py --variants): "
           "the sheet moves more between frames.", bitrate=WEBCAM_BITRATE),
]}


# --- frames -------------------------------------------------------------------------------

LENS_BLUR = 0.6
SENSOR_NOISE = 3.0
INK, PAPER = 30, 215
"""A webcam's picture: lens softness (σ pixels), noise (σ grey levels), black ink and white
paper as exposed (grey levels)."""


def _vignette(size: tuple[int, int]) -> Image.Image:
    shade = Image.radial_gradient("L").resize(size, Image.Resampling.BILINEAR)
    return shade.point([round(255 - 45 * (v / 255) ** 2) for v in range(256)])


def _noise_fields(size: tuple[int, int], rng: random.Random, count: int = 6) -> list[Image.Image]:
    flat = Image.new("L", size, 128)
    return [D.noise(flat, SENSOR_NOISE, rng) for _ in range(count)]


LONG_SMEAR = 16.0
"""A smear longer than this many pixels (a sheet sliding in or swept across the picture) is
drawn by `smeared` in a few doubling steps instead of one shifted copy a pixel."""


def smeared(frame: Image.Image, length: float, angle: float) -> Image.Image:
    """The sheet moved `length` pixels in direction `angle` (degrees) during the exposure:
    tests/degrade.py `motion_blur` (a copy of the frame shifted by each pixel of the way, one
    transform each), or for a smear longer than LONG_SMEAR the same even spread of copies made
    by doubling: the frame moved to the start of the way, then averaged with itself shifted by
    half the way, a quarter, ... (2^k copies a pixel or less apart from log2(length) + 1
    transforms, not `length`; the frames of a hand-held sheet, whose smears are a few pixels,
    are made as before)."""
    if length <= LONG_SMEAR:
        return D.motion_blur(frame, length, angle)
    stages = math.ceil(math.log2(round(length)))
    step = length / (2**stages - 1)  # the copies' spacing, at most a pixel
    dx, dy = math.cos(math.radians(angle)), math.sin(math.radians(angle))

    def moved(image: Image.Image, by: float) -> Image.Image:
        return image.transform(image.size, Image.Transform.AFFINE, (1, 0, by * dx, 0, 1, by * dy),
                               Image.Resampling.BILINEAR, fillcolor=D.DESK)

    out = moved(frame.convert("L"), -length / 2)
    for stage in range(stages):
        out = Image.blend(out, moved(out, step * 2**stage), 0.5)
    return out


SwayFn = Callable[[float], tuple[float, float]]


def sway(hand: Hand, rng: random.Random) -> SwayFn:
    """Where a hand holds the sheet at time t (pixels from where it means to): three sways per
    axis of random frequency (1-6 Hz) and phase, whose speeds add up to `hand.speed` (σ)."""
    each = hand.speed * math.sqrt(2 / 3)  # three sines of speed amplitude a: σ² = 3 a² / 2
    waves = [[(rng.uniform(1.0, 6.0), rng.uniform(0, 2 * math.pi)) for _ in range(3)]
             for _axis in range(2)]

    def at(t: float) -> tuple[float, float]:
        x, y = (sum(each / (2 * math.pi * f) * math.sin(2 * math.pi * f * t + phase)
                    for f, phase in axis) for axis in waves)
        return (x, y)
    return at


def smear(hand: Hand, path: SwayFn, t: float) -> tuple[float, float]:
    """How far the sheet moves during the exposure that ends at time t (pixels, x and y)."""
    (x0, y0), (x1, y1) = path(t - hand.exposure), path(t)
    return (x1 - x0, y1 - y0)


def frames_of(script: Script, size: tuple[int, int], fps: float,
              rng: random.Random) -> Iterator[Image.Image]:
    """Every frame of the video, in memory."""
    sheets = script.sheets()
    vignette = _vignette(size)
    fields = _noise_fields(size, rng)
    exposed: dict[tuple[str, float, tuple[int, int] | None], Image.Image] = {}
    tremor = (0.0, 0.0)
    previous: tuple[float, float] | None = None
    number = 0
    for shot in script.shots:
        count = max(1, round(shot.seconds * fps))
        path = sway(shot.hand, rng) if shot.hand else None
        for i in range(count):
            u = i / (count - 1) if count > 1 else 0.0
            view = between(shot.start, shot.end, u) if shot.end else shot.start
            tremor = (0.8 * tremor[0] + rng.gauss(0, shot.shake),
                      0.8 * tremor[1] + rng.gauss(0, shot.shake))
            swayed = (0.0, 0.0)
            if shot.hand and path:  # where the sheet is halfway through the exposure
                swayed = path(number / fps - shot.hand.exposure / 2)
            shift = (view.shift[0] + (tremor[0] + swayed[0]) / size[0],
                     view.shift[1] + (tremor[1] + swayed[1]) / size[1])
            if shot.page is None:
                frame = Image.new("L", size, D.DESK)
                previous = None
            else:
                key = (shot.page, view.light, shot.levels)
                if key not in exposed:
                    levels = shot.levels or (round(INK * view.light), round(PAPER * view.light))
                    exposed[key] = D.exposed(sheets.pages[shot.page], levels)
                desk = round(D.DESK * (shot.levels[1] / PAPER if shot.levels else view.light))
                frame = D.camera_view(exposed[key], size, part=view.part, fill=view.fill,
                                      angle=view.angle, tilt=view.tilt, shift=shift, desk=desk)
                moved = (shift[0] * size[0], shift[1] * size[1])
                if shot.hand and path:
                    dx, dy = smear(shot.hand, path, number / fps)
                    if math.hypot(dx, dy) > 0.5:
                        frame = smeared(frame, math.hypot(dx, dy),
                                        math.degrees(math.atan2(dy, dx)))
                elif previous is not None:
                    speed = math.dist(previous, moved)
                    if speed > 2:  # the sheet moved during the exposure (half a frame's time)
                        frame = smeared(frame, speed / 2, math.degrees(
                            math.atan2(moved[1] - previous[1], moved[0] - previous[0])))
                previous = moved
            if shot.page is not None:  # the bare desk is one grey: blurring keeps it
                frame = D.blur(frame, LENS_BLUR + view.blur)
            if shot.noise and shot.page is not None:
                frame = D.noise(frame, shot.noise, rng)
            if view.light < 1:  # in dim light the camera raises its gain, and its noise
                frame = D.noise(frame, SENSOR_NOISE * (1 / math.sqrt(view.light) - 1), rng)
            frame = ImageChops.multiply(frame, vignette)
            frame = ImageChops.add(frame, fields[number % len(fields)], 1.0, -128)
            number += 1
            yield frame


def shot_times(script: Script, fps: float) -> list[tuple[Shot, float]]:
    """Each shot with the time (seconds) its first frame is shown."""
    out = []
    at = 0.0
    for shot in script.shots:
        out.append((shot, at))
        at += max(1, round(shot.seconds * fps)) / fps
    return out


# --- videos -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Video:
    """A made video file and what is on it (see the module docstring).

    `codes` are the codes drawn on each page shown; `sealed` the sealed vault a split's frames
    carry (None for a home-safe backup); `vault` what a restore must give back; `shares` the
    share QR text of each sheet of a split. They are kept beside the video in a JSON file (read
    back without making the sheets again).
    """

    path: Path
    name: str
    size: tuple[int, int]
    fps: float
    codes: dict[str, tuple[DrawnCode, ...]] = field(repr=False)
    sealed: bytes | None = field(repr=False)
    vault: Vault = field(repr=False)
    shares: dict[int, str] = field(repr=False)

    @property
    def shots(self) -> tuple[Shot, ...]:
        return SCRIPTS[self.name].shots

    @property
    def drawn(self) -> frozenset[str]:
        """Every QR text on the pages shown: nothing else may be read."""
        return frozenset(c.text for codes in self.codes.values() for c in codes)

    @property
    def needed(self) -> frozenset[str]:
        """The QR texts wholly inside the part of the page shown in a needed shot."""
        out = set()
        for shot in self.shots:
            if shot.needed and shot.page:
                left, top, right, bottom = (shot.end or shot.start).part
                out.update(c.text for c in self.codes[shot.page]
                           if c.box[0] >= left and c.box[1] >= top and c.box[2] <= right
                           and c.box[3] <= bottom)
        return frozenset(out)

    @property
    def last_needed_at(self) -> float:
        """When the page of the last needed shot comes into view (seconds into the video): the
        start of the shots of that page just before it (sliding in, say)."""
        times = shot_times(SCRIPTS[self.name], self.fps)
        last = max(i for i, (shot, _) in enumerate(times) if shot.needed)
        while last > 0 and times[last - 1][0].page == times[last][0].page:
            last -= 1
        return times[last][1]

    @property
    def seconds(self) -> float:
        shot, at = shot_times(SCRIPTS[self.name], self.fps)[-1]
        return at + max(1, round(shot.seconds * self.fps)) / self.fps


SHEET_SOURCES = ("toolkit/render", "toolkit/data", "templates", "tests/degrade.py",
                 "tests/camera_videos.py", "toolkit/sharing.py", "toolkit/envelope.py",
                 "toolkit/frames.py", "toolkit/erasure.py", "toolkit/model.py",
                 "toolkit/constants.py", "toolkit/texts.py", "toolkit/secret_lines.py",
                 "toolkit/uri.py", "toolkit/qr_capacity.py", "toolkit/words.py")
"""What draws the sheets a video films and films them: a change to any of these makes the
videos again (a cache keyed on the script alone kept filming sheets the code no longer draws,
so a fresh checkout and a used one tested different pages)."""


@cache
def _sources_digest() -> str:
    top = HERE.parent
    files = sorted(f for name in SHEET_SOURCES for f in
                   ([top / name] if (top / name).is_file() else (top / name).rglob("*"))
                   if f.is_file() and "__pycache__" not in f.parts)
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.relative_to(top).as_posix().encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()


def _digest(script: Script, size: tuple[int, int], fps: float) -> str:
    filmed = [(s.page, s.seconds, s.start, s.end, s.shake)
              + ((s.hand, s.levels, s.noise) if s.hand or s.levels or s.noise else ())
              for s in script.shots]
    what = repr((VERSION, _sources_digest(), script.name, filmed, size, fps)
                 + ((script.quality,) if script.quality != 20 else ())
                 + ((script.bitrate,) if script.bitrate else ()))
    return hashlib.sha256(what.encode()).hexdigest()[:12]


def _manifest(sheets: Sheets, script: Script) -> dict[str, object]:
    shown = sorted({s.page for s in script.shots if s.page})
    return {"codes": {p: [[c.text, list(c.box)] for c in sheets.codes[p]] for p in shown},
            "sealed": sheets.sealed.hex() if sheets.sealed is not None else None,
            "vault": vault_to_json(sheets.vault).decode(),
            "shares": {str(k): v for k, v in sheets.shares.items()}}


def _load(path: Path, name: str, size: tuple[int, int], fps: float) -> Video:
    data = json.loads(path.with_suffix(".json").read_text())
    codes = {p: tuple(DrawnCode(t, (b[0], b[1], b[2], b[3])) for t, b in items)
             for p, items in data["codes"].items()}
    sealed = bytes.fromhex(data["sealed"]) if data["sealed"] is not None else None
    return Video(path, name, size, fps, codes, sealed, vault_from_json(data["vault"].encode()),
                 {int(k): v for k, v in data["shares"].items()})


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        write(partial)
        os.replace(partial, path)  # whole or not at all
    finally:
        partial.unlink(missing_ok=True)


def seed_of(script: Script) -> str:
    """The seed of a script's random draws (noise, tremor, sway): its name."""
    return script.name


def smear_lengths(hand: Hand, count: int = 4000, seed: int = 1) -> list[float]:
    """Smear lengths (pixels) of `count` exposures by `hand`, sorted (to check the figures)."""
    rng = random.Random(seed)
    out = []
    for _ in range(count // 100):
        path = sway(hand, rng)
        out.extend(math.hypot(*smear(hand, path, rng.uniform(0, 60))) for _ in range(100))
    return sorted(out)


def bits_per_second(bitrate: int, size: tuple[int, int], fps: float) -> int:
    """A webcam's `bitrate` (720p, 30 frames per second) for `size` and `fps`: the same bits
    per pixel and per frame."""
    return round(bitrate * size[0] * size[1] / (1280 * 720) * fps / 30)


def _preset(script: Script) -> str:
    """x264's preset for a video at CRF `script.quality`: at CRF 20, which keeps almost
    everything, "ultrafast" (a fifth of veryfast's CPU; the bits follow the picture, so the file
    is larger for about the same picture); a starved CRF and a webcam's bitrate keep "veryfast",
    whose choices decide what survives in so few bits."""
    return "ultrafast" if script.quality <= 20 else "veryfast"


def _encode(script: Script, size: tuple[int, int], fps: float, target: Path) -> None:
    with av.open(str(target), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=round(fps))
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        # one encoder thread: libx264's threads (as many as the machine has cores) make a
        # different video each run, so a CI machine tested other frames than a developer's
        stream.codec_context.thread_count = 1
        if script.bitrate:
            rate = bits_per_second(script.bitrate, size, fps)
            stream.bit_rate = rate
            stream.options = {"maxrate": str(rate), "bufsize": str(rate), "preset": "veryfast"}
        else:
            stream.options = {"crf": str(script.quality), "preset": _preset(script)}
        for frame in frames_of(script, size, fps, random.Random(seed_of(script))):
            picture = av.VideoFrame.from_image(frame.convert("RGB"))
            for packet in stream.encode(picture):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def make_video(name: str, size: tuple[int, int] = (1280, 720), fps: float = 10.0,
               folder: Path = CACHE) -> Video:
    """The video of script `name` (made now unless cached)."""
    script = SCRIPTS[name]
    path = folder / f"{name}-{size[0]}x{size[1]}-{fps:g}fps-{_digest(script, size, fps)}.mp4"
    folder.mkdir(parents=True, exist_ok=True)
    # one lock per video: two test workers make two different videos at once, one video once
    with (folder / f".{name}-{size[0]}x{size[1]}-{fps:g}fps.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # tests in parallel make each video once
        if not path.is_file():
            for stale in folder.glob(f"{name}-{size[0]}x{size[1]}-{fps:g}fps-*"):
                stale.unlink()  # an older version of the same video
            sheets = script.sheets()
            for shot in script.shots:
                assert shot.page is None or sheets.codes.get(shot.page), f"no codes: {shot.page}"
            manifest = json.dumps(_manifest(sheets, script))
            _atomic(path.with_suffix(".json"), lambda p: p.write_text(manifest))
            print(f"making {path.name} (seed {seed_of(script)!r})", file=sys.stderr)
            _atomic(path, lambda p: _encode(script, size, fps, p))  # the video last: complete
    return _load(path, name, size, fps)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("names", nargs="*", help="scripts to make (default: all)")
    p.add_argument("--size", default="1280x720", choices=sorted(SIZES))
    p.add_argument("--fps", type=float, default=10.0)
    p.add_argument("--list", action="store_true", help="list the scripts")
    args = p.parse_args(argv)
    if args.list:
        for script in SCRIPTS.values():
            print(f"{script.name}: {' '.join(script.about.split())}")
        return 0
    for name in args.names or list(SCRIPTS):
        if name not in SCRIPTS:
            p.error(f"unknown script {name!r}; known: {', '.join(SCRIPTS)}")
        video = make_video(name, SIZES[args.size], args.fps)
        print(f"{video.path}  ({video.seconds:.1f} s, {len(video.needed)} codes needed, "
              f"last needed page at {video.last_needed_at:.1f} s, seed {seed_of(SCRIPTS[name])!r})")
        for hand in sorted({s.hand for s in SCRIPTS[name].shots if s.hand},
                           key=lambda h: h.speed):
            lengths = smear_lengths(hand)
            print(f"  hand {hand.speed:g} px/s at {hand.exposure:.3f} s: smear median "
                  f"{lengths[len(lengths) // 2]:.1f} px, 90th percentile "
                  f"{lengths[len(lengths) * 9 // 10]:.1f} px")
    return 0


if __name__ == "__main__":
    sys.exit(main())
