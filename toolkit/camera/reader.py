"""Every QR code in one camera frame, and how the frame looks (light, sharpness, glare).

`read_frame` runs one plain zxing-cpp pass over the frame (toolkit.scan). Only where a code was
seen but not read does it zoom: up to `MAX_REGION_RETRIES` such codes are retried one by one,
2x then 3x upscaled and sharpened; more of them on a frame of at most `WHOLE_ZOOM_PIXELS` (720p)
and the whole frame is zoomed 2x; on a larger frame one of four overlapping quarters that holds
unread codes is zoomed, a different one on each frame, so the cost per frame stays bounded while
a sheet held still is zoomed everywhere within four frames. A frame with nothing seen costs one
plain pass (a few milliseconds), so the empty frames between sheets are cheap. A combination of
frames (toolkit.camera.stack, made in the background a few times a second at most) is read
`close`: the box around its codes stretched to the whole grey range, zoomed 3x and sharpened,
which reads far more of a dim or smeared view and costs several frames' time.

The measurements behind these choices are in docs/camera.md.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from PIL import Image, ImageChops, ImageFilter, ImageOps, ImageStat

from toolkit.scan import (
    FoundCode,
    Point,
    box_holds,
    could_be_a_code,
    sharpened,
    without_phantoms,
    zxing_pass,
)

Corners = tuple[Point, ...]

ZOOM = 2
"""Upscaling factor of a zoomed frame or quarter (with hard sharpening, toolkit.scan.sharpened)."""

REGION_ZOOMS = (2, 3)
"""Upscaling factors tried, in order, on one unread code."""

MAX_ZOOMED_PIXELS = 1_500_000
"""A zoomed code region is kept under this size (the factor lowered), bounding its cost."""

MAX_REGION_RETRIES = 3
"""Up to this many unread codes are retried one by one; more are zoomed as a frame or quarter."""

WHOLE_ZOOM_PIXELS = 1_000_000
"""Frames up to this size (1280x720 is 0.92 Mpx) are zoomed whole; larger ones by quarters."""

QUARTER_OVERLAP = 0.25
"""How far a quarter reaches past the middle (of a half), so a code there is whole in one."""

MIN_ZOOM_SIDE = 80
"""Unread codes smaller than this (pixels) are not zoomed: a version-15 frame code would have
modules of about one pixel, which no upscaling brings back (the person is asked to come closer)."""

CLOSE_ZOOM = 3.0
"""Upscaling of a combination of frames read closely (`read_frame(close=True)`)..."""

CLOSE_SHARPENINGS = ((4, 600), (5, 500))
"""...then an unsharp mask of each radius (pixels of the zoomed picture) and strength (%) in
turn, the second only while a code seen is still unread. Smeared frames want the sharper first
one, a dim room's noisier averages the wider second. Measured on the windows of 8 frames of
the dim-room and shaking-hands test videos of the 3-page holder sheet (10 frames per second;
docs/camera.md, "Reading across frames"): 2.5x with radius 3 at 250% read at most 3 of the 7
frame codes of the bottom half held by shaking hands in any window, and 4 in all; 3x with
these two read 7 in one window and all 7 over the half page's windows, and all 4 and 7 of
the dim room's halves."""

MAX_CLOSE_RETRIES = 8
"""After the box around the codes, up to this many codes seen but still unread are zoomed
closely one by one (a small crop each): zxing-cpp reads a code alone that it missed among
others (measured on the shaking-hands test video: a combination whose box read 2 of the 7
frame codes of the bottom half and saw 6, read 5 more one by one)."""

MAX_CLOSE_PIXELS = 6_000_000
"""A box zoomed closely is kept under this size (720p whole fits; 1080p is zoomed 1.7x)."""

EDGE_PIXELS = 3
"""A code with a corner this close to the frame's border is cut by it (partly out of view)."""

THUMBNAIL_WIDTH = 96
"""Width of the small copy of each frame compared with the previous one to measure movement."""

SHARPNESS_BOX = 256
"""Side of the square, around a code or where the picture has most detail, where sharpness is
measured."""

SHARPNESS_SCALE = 1280
"""Pictures are brought down to about this size before sharpness is measured."""


@dataclass(frozen=True)
class FrameLook:
    """How a frame looks: mean grey (0-255), contrast (standard deviation of grey), sharpness
    (the weakest directional gradient relative to contrast: 0.35-0.6 sharp, under 0.3
    blurred), and glare (the share of pixels much brighter than the paper: a reflection), the
    last two measured around a code seen but not read (else around a code read, else where the
    picture has most detail). `paper` is the grey of the paper (the 95th percentile of the
    picture, so a page that fills a small part of it counts: a camera's exposure makes white
    paper 180-220 in good light, under 150 when it cannot gather enough). `noise` is the
    sensor noise (σ in grey levels, on the flattest parts of the picture: 1-3 in good light, 5
    and more in a dim room) and `streak` how
    much sharper the sharpest direction is than the weakest (1: the same, a picture in or out of
    focus; 2 and more: smeared one way, the sheet or the camera moved)."""

    brightness: float
    contrast: float
    sharpness: float
    glare: float
    noise: float = 0.0
    streak: float | None = None
    paper: float = 255.0


@dataclass(frozen=True)
class FrameScan:
    """What one camera frame gave: codes read, codes seen but not read (their corners), how the
    frame looks, and a thumbnail to measure movement against the next frame.

    `motion` is the mean grey difference between this frame's thumbnail and the previous one
    (None until a session compares them); `seconds` is the decoding time.
    """

    index: int
    time: float
    width: int
    height: int
    codes: tuple[FoundCode, ...]
    unreadable: tuple[Corners, ...]
    look: FrameLook
    thumbnail: Image.Image = field(repr=False)
    seconds: float = 0.0
    passes: tuple[str, ...] = ()
    motion: float | None = None

    @property
    def texts(self) -> frozenset[str]:
        return frozenset(code.text for code in self.codes)


# --- geometry -----------------------------------------------------------------------------


def center(corners: Corners) -> tuple[float, float]:
    return (sum(p[0] for p in corners) / len(corners), sum(p[1] for p in corners) / len(corners))


def side(corners: Corners) -> float:
    """The longer side of the box around a code, in pixels."""
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    return float(max(max(xs) - min(xs), max(ys) - min(ys)))


def is_cut(corners: Corners, width: int, height: int) -> bool:
    """Whether a code reaches the frame's border (within an eighth of its size, as a reader
    often sees only the inner part of a code cut by the border)."""
    margin = max(EDGE_PIXELS, side(corners) / 8)
    return any(x <= margin or y <= margin or x >= width - 1 - margin
               or y >= height - 1 - margin for x, y in corners)


def skew(corners: Corners) -> float:
    """How far from square a code looks (1.0: square; 1.4: one pair of sides 40% longer): a
    code seen at an angle is foreshortened."""
    if len(corners) != 4:
        return 1.0
    tl, tr, br, bl = corners
    across = (math.dist(tl, tr) + math.dist(bl, br)) / 2
    down = (math.dist(tl, bl) + math.dist(tr, br)) / 2
    if min(across, down) < 1:
        return 1.0
    return max(across, down) / min(across, down)


def same_place(a: Corners, b: Corners) -> bool:
    """Whether two codes are at the same place (centres within half a code of each other)."""
    (ax, ay), (bx, by) = center(a), center(b)
    tolerance = max(side(a), side(b), 8.0) / 2
    return abs(ax - bx) <= tolerance and abs(ay - by) <= tolerance


def same_code(a: Corners, b: Corners) -> bool:
    """Whether two codes seen are one: at the same place and of about the same size (within
    a factor of 1.5)."""
    return same_place(a, b) and max(side(a), side(b)) <= 1.5 * max(1.0, min(side(a), side(b)))


def _moved(codes: Iterable[FoundCode], factor: float, dx: int, dy: int,
           decoder: str) -> list[FoundCode]:
    """Codes read on a zoomed crop, with their corners back in frame pixels."""
    return [FoundCode(c.text, c.raw, c.page, tuple((round(x / factor) + dx, round(y / factor) + dy)
                                                   for x, y in c.position), c.source, decoder)
            for c in codes]


# --- measures -----------------------------------------------------------------------------


def _box_around(x: float, y: float, width: int, height: int) -> tuple[int, int, int, int]:
    half = SHARPNESS_BOX // 2
    left = int(min(max(0, x - half), max(0, width - SHARPNESS_BOX)))
    top = int(min(max(0, y - half), max(0, height - SHARPNESS_BOX)))
    return (left, top, min(width, left + SHARPNESS_BOX), min(height, top + SHARPNESS_BOX))


def look_of(gray: Image.Image, around: Corners | None = None) -> FrameLook:
    """Brightness, contrast and glare of the frame; sharpness around a code (else where the
    picture has most detail), on the picture brought to about 720p (a 12 MP photo's sensor
    noise would otherwise look like sharp detail)."""
    small = gray.reduce(max(1, gray.width // 320))
    stats = ImageStat.Stat(small)
    paper = _percentile(small.histogram(), 0.75)  # most of the picture is paper
    scale = max(1, round(max(gray.size) / SHARPNESS_SCALE))
    view = gray.reduce(scale) if scale > 1 else gray
    if around:
        cx, cy = center(around)
        box = _box_around(cx / scale, cy / scale, view.width, view.height)
    else:  # where the picture has most detail (codes, text), not a lone edge of the sheet
        boxes = [_box_around(view.width * i / 6, view.height * j / 6, view.width, view.height)
                 for i in (1, 3, 5) for j in (1, 3, 5)]
        everywhere = view.filter(ImageFilter.FIND_EDGES)
        box = max(boxes, key=lambda b: ImageStat.Stat(everywhere.crop(b)).mean[0])
    patch = view.crop(box)
    histogram = patch.histogram()
    limit = max(250, paper + 25)  # paper already this white leaves no room for a reflection
    glare = sum(histogram[limit:]) / max(1, patch.width * patch.height) if limit <= 255 else 0.0
    slopes = gradients(patch)
    contrast = max(ImageStat.Stat(patch).stddev[0], 4.0)
    return FrameLook(stats.mean[0], stats.stddev[0], min(slopes) / contrast, glare,
                     noise_of(gray), max(slopes) / max(min(slopes), 0.5),
                     _percentile(small.histogram(), 0.95))


NOISE_GRID = (12, 8)
NOISE_BLOCK = 24
"""Noise is measured on a grid of small blocks across the picture (columns, rows, side in
pixels): the flattest of them are bare paper (or desk), whose grey varies by the noise alone."""


def noise_of(gray: Image.Image) -> float:
    """Sensor noise (σ, grey levels): the standard deviation of the flattest tenth of the
    blocks of NOISE_GRID (neither black nor white, where noise is clipped). Measured on the
    simulated webcam: 3.0 for noise of σ 3; after H.264, 2 in good light, 5 in the dim room."""
    columns, rows = NOISE_GRID
    half = NOISE_BLOCK // 2
    spreads = []
    for j in range(rows):
        for i in range(columns):
            x = int((i + 0.5) * gray.width / columns) - half
            y = int((j + 0.5) * gray.height / rows) - half
            stats = ImageStat.Stat(gray.crop((x, y, x + NOISE_BLOCK, y + NOISE_BLOCK)))
            if 12 < stats.mean[0] < 243:
                spreads.append(stats.stddev[0])
    spreads.sort()
    return spreads[len(spreads) // 10] if spreads else 0.0


_SOBEL = ((-1, 0, 1, -2, 0, 2, -1, 0, 1), (-1, -2, -1, 0, 0, 0, 1, 2, 1),
          (0, 1, 2, -1, 0, 1, -2, -1, 0), (-2, -1, 0, -1, 0, 1, 0, 1, 2))
"""Gradients across, down and along both diagonals."""


def gradients(patch: Image.Image) -> list[float]:
    """The mean of each of the four directional gradients of the patch."""
    middle = Image.new("L", patch.size, 128)
    return [ImageStat.Stat(ImageChops.difference(
        patch.filter(ImageFilter.Kernel((3, 3), kernel, scale=4, offset=128)), middle)).mean[0]
        for kernel in _SOBEL]


def _percentile(histogram: Sequence[int], fraction: float) -> int:
    target = fraction * sum(histogram)
    seen = 0
    for value, count in enumerate(histogram):
        seen += count
        if seen >= target:
            return value
    return 255


def thumbnail_of(gray: Image.Image) -> Image.Image:
    height = max(1, round(gray.height * THUMBNAIL_WIDTH / gray.width))
    return gray.resize((THUMBNAIL_WIDTH, height), Image.Resampling.BOX)


def motion_between(previous: Image.Image, current: Image.Image) -> float:
    """Mean grey difference of two thumbnails (0: nothing moved; camera noise gives ~1-2)."""
    if previous.size != current.size:
        return 255.0
    return float(ImageStat.Stat(ImageChops.difference(previous, current)).mean[0])


THUMBNAIL_REACH = 4
"""How far (thumbnail pixels: 4 are 53 pixels of a 1280-wide frame) `view_change` shifts one
thumbnail onto the other."""


def view_change(previous: Image.Image, current: Image.Image) -> float:
    """The mean grey difference of two thumbnails once the best shift of up to THUMBNAIL_REACH
    pixels is taken out: a sheet moved in the hands stays the same view (measured on the
    shaking-hands test videos: `motion_between` 12-17, a view change under 5), another page or
    the desk does not (65 and more from the desk to a page)."""
    if previous.size != current.size:
        return 255.0
    width, height = current.size
    reach = THUMBNAIL_REACH
    if width <= 2 * reach or height <= 2 * reach:
        return motion_between(previous, current)
    middle = current.crop((reach, reach, width - reach, height - reach))
    return min(float(ImageStat.Stat(ImageChops.difference(middle, previous.crop(
        (reach + dx, reach + dy, width - reach + dx, height - reach + dy)))).mean[0])
        for dx in range(-reach, reach + 1) for dy in range(-reach, reach + 1))


# --- reading ------------------------------------------------------------------------------


class _Found:
    """Codes of one frame from several passes, each physical code once."""

    def __init__(self, codes: Sequence[FoundCode]) -> None:
        self.codes = list(codes)

    def add(self, codes: Iterable[FoundCode]) -> None:
        for code in codes:
            if not any(c.text == code.text and same_place(c.position, code.position)
                       for c in self.codes):
                self.codes.append(code)

    def whole(self) -> list[FoundCode]:
        return without_phantoms(self.codes)

    def covers(self, corners: Corners) -> bool:
        """Whether a code read is at this place, or this place is inside a code read (zxing
        sometimes sees finder-like patterns in the data of a code)."""
        x, y = center(corners)
        return any(same_place(c.position, corners) or box_holds(c.position, x, y)
                   for c in self.codes)


PHANTOM_RATIO = 2.0
"""A code read whose centre lies inside a code seen but not read this many times its size is
a phantom (`inside_none`)..."""

TYPICAL_SIDE = 1.5
"""...when that code seen is at most this many times the median side of the codes read and
seen: zxing-cpp also reports shapes spanning several codes (measured: 390-421 pixels around
codes of 172), inside which a real code lies."""


def inside_none(codes: Sequence[FoundCode], seen: Sequence[Corners]) -> list[FoundCode]:
    """`codes` less any whose centre lies inside a code seen (not read) PHANTOM_RATIO times its
    size or more, of a code's size (TYPICAL_SIDE): like toolkit.scan.without_phantoms for
    codes read, a finder pattern and the modules beside it, zoomed and sharpened, can decode
    as a tiny code of its own inside a code that did not read (measured: '395282', 26 pixels
    wide, read in the top left corner of an unread frame code of 172, in a combination of
    dim frames of a test video)."""
    sides = sorted([side(c.position) for c in codes] + [side(s) for s in seen])
    if not seen or not sides:
        return list(codes)
    typical = TYPICAL_SIDE * sides[len(sides) // 2]
    whole = [s for s in seen if side(s) <= typical]
    return [c for c in codes if not any(
        side(s) >= PHANTOM_RATIO * side(c.position) and box_holds(s, *c.center) for s in whole)]


def quarters(width: int, height: int) -> list[tuple[int, int, int, int]]:
    """Four overlapping boxes covering a frame (top left, top right, bottom left, bottom right)."""
    w = round(width * (0.5 + QUARTER_OVERLAP / 2))
    h = round(height * (0.5 + QUARTER_OVERLAP / 2))
    return [(x, y, x + w, y + h) for y in (0, height - h) for x in (0, width - w)]


def _inside(box: tuple[int, int, int, int], corners: Corners) -> bool:
    x, y = center(corners)
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def _zoom(gray: Image.Image, box: tuple[int, int, int, int], factor: int,
          name: str) -> list[FoundCode]:
    codes, _ = zxing_pass(sharpened(gray.crop(box), factor))
    return _moved(codes, factor, box[0], box[1], name)


def _region_factors(box: tuple[int, int, int, int]) -> list[int]:
    area = max(1, (box[2] - box[0]) * (box[3] - box[1]))
    return [f for f in REGION_ZOOMS if area * f * f <= MAX_ZOOMED_PIXELS] or [REGION_ZOOMS[0]]


def _region(corners: Corners, width: int, height: int) -> tuple[int, int, int, int]:
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    margin = int(0.3 * max(side(corners), 20))
    return (max(0, min(xs) - margin), max(0, min(ys) - margin),
            min(width, max(xs) + margin), min(height, max(ys) + margin))


def close_box(seen: Sequence[Corners], width: int, height: int) -> tuple[int, int, int, int]:
    """The box around every code seen (a code's side of margin), else the whole frame."""
    if not seen:
        return (0, 0, width, height)
    margin = max(side(c) for c in seen)
    xs = [p[0] for c in seen for p in c]
    ys = [p[1] for c in seen for p in c]
    return (max(0, int(min(xs) - margin)), max(0, int(min(ys) - margin)),
            min(width, int(max(xs) + margin)), min(height, int(max(ys) + margin)))


def closely(gray: Image.Image, box: tuple[int, int, int, int]) -> tuple[Image.Image, float]:
    """The box stretched to the whole range of grey (a dim room's paper at 115 and ink at 25
    leave few levels to sharpen in; 1% of the pixels clipped at each end) and upscaled
    CLOSE_ZOOM times (less if it would exceed MAX_CLOSE_PIXELS), and the factor used; each of
    CLOSE_SHARPENINGS is then applied to it (`sharpen_closely`)."""
    area = max(1, (box[2] - box[0]) * (box[3] - box[1]))
    factor = max(1.0, min(CLOSE_ZOOM, math.sqrt(MAX_CLOSE_PIXELS / area)))
    part = ImageOps.autocontrast(gray.crop(box), cutoff=1)
    big = part.resize((round(part.width * factor), round(part.height * factor)),
                      Image.Resampling.BICUBIC)
    return big, factor


def sharpen_closely(big: Image.Image, sharpening: tuple[int, int]) -> Image.Image:
    radius, percent = sharpening
    return big.filter(ImageFilter.UnsharpMask(radius, percent, threshold=0))


def codes_at(gray: Image.Image, places: Sequence[Corners]) -> list[FoundCode]:
    """The codes read at `places` (codes seen but not read, up to MAX_CLOSE_RETRIES of them),
    each zoomed `closely` alone, with each of CLOSE_SHARPENINGS until it reads."""
    unique: list[Corners] = []
    for corners in places:
        if not any(same_place(corners, other) for other in unique):
            unique.append(corners)
    found = _Found([])
    for corners in unique[:MAX_CLOSE_RETRIES]:
        region = _region(corners, gray.width, gray.height)
        zoomed, factor = closely(gray, region)
        for sharpening in CLOSE_SHARPENINGS:
            read_here, _ = zxing_pass(sharpen_closely(zoomed, sharpening))
            # only the code retried: in a noisy crop zxing-cpp can find a tiny code in noise
            found.add(c for c in _moved(read_here, factor, region[0], region[1], "zoom closely")
                      if same_code(c.position, corners))
            if found.covers(corners):
                break
    return found.codes


def read_frame(image: Image.Image, index: int = 0, at: float = 0.0,
               close: bool = False) -> FrameScan:
    """Every QR code in one camera frame (see the module docstring), and how the frame looks.

    `index` picks which quarter of a large frame is zoomed (they take turns frame by frame).
    `close` (a combination of frames, read in the background): after the plain pass, the
    box around every code seen (else the whole frame) is zoomed `closely` instead.
    """
    start = time.perf_counter()
    gray = image if image.mode == "L" else image.convert("L")
    width, height = gray.size
    plain, failed = zxing_pass(gray, decoder="zxing-cpp")
    found = _Found(plain)
    passes = ["zxing-cpp"]
    unread = [c for c in failed if not found.covers(c) and side(c) >= MIN_ZOOM_SIDE]
    seen_closely: list[Corners] = []
    if close:
        passes.append("zoom closely")
        box = close_box([c.position for c in plain] + failed, width, height)
        zoomed, factor = closely(gray, box)
        retry: list[Corners] = []
        for sharpening in CLOSE_SHARPENINGS:
            read_here, seen = zxing_pass(sharpen_closely(zoomed, sharpening))
            found.add(_moved(read_here, factor, box[0], box[1], "zoom closely"))
            seen_here = [tuple((round(x / factor) + box[0], round(y / factor) + box[1])
                               for x, y in c) for c in seen]
            seen_closely.extend(seen_here)
            retry = [c for c in [*failed, *seen_here] if not found.covers(c)
                     and side(c) >= MIN_ZOOM_SIDE and could_be_a_code(c)]
            if not retry:
                break  # every code seen is read
        found.add(codes_at(gray, retry))
    elif 0 < len(unread) <= MAX_REGION_RETRIES:
        passes.append("zoom code")
        for corners in unread:
            box = _region(corners, width, height)
            for factor in _region_factors(box):
                # only the code retried: in a noisy crop zxing-cpp can find a tiny code in noise
                found.add(c for c in _zoom(gray, box, factor, "zoom code")
                          if same_code(c.position, corners))
                if found.covers(corners):
                    break
    elif unread and width * height <= WHOLE_ZOOM_PIXELS:
        passes.append("zoom frame")
        found.add(_zoom(gray, (0, 0, width, height), ZOOM, "zoom frame"))
    elif unread:
        boxes = [b for b in quarters(width, height) if any(_inside(b, c) for c in unread)]
        passes.append("zoom quarter")
        found.add(_zoom(gray, boxes[index % len(boxes)], ZOOM, "zoom quarter"))
    still = tuple(c for c in failed if not found.covers(c))
    codes = tuple(sorted(inside_none(found.whole(), [*failed, *seen_closely]),
                         key=lambda c: (round(c.center[1] / 50), c.center[0])))
    around = still[0] if still else (codes[0].position if codes else None)
    return FrameScan(index, at, width, height, codes, still, look_of(gray, around),
                     thumbnail_of(gray), time.perf_counter() - start, tuple(passes))
