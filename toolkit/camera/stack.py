"""Reading across frames: the last frames of a page held up, aligned and combined into one.

Every frame of a held sheet shows the same codes; in a dim room each is too noisy to read, with
trembling hands most are smeared. `combine` takes the recent frames of one held page, keeps the
STACK_KEEP steadiest (`steadiness`: a smeared frame would smear the result), aligns each to the
steadiest by a translation found coarse to fine (`offset`: the mean grey difference is smallest
there, searched on an image pyramid) and then to a part of a pixel (`fraction`), and averages
them: the noise of N frames averaged is divided by √N, while the codes, at the same place in
every aligned frame, stay as sharp as the steadiest frames. `read_combined` reads the
combination with the same reader as a single frame (toolkit.camera.reader.read_frame),
closely: stretched, zoomed 3x and sharpened; when codes seen are left unread, the STACK_FEW
steadiest of the frames combined, as aligned, are averaged and read the same way too.

Only translation is found: a sheet held in the hands turns a little too, which a translation
leaves as a slight blur away from the middle of the picture (docs/camera.md, "Reading across
frames", has the measurements and limits). Nothing is kept beyond the frames of the window.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from PIL import Image, ImageChops

from toolkit.camera.reader import FrameScan, gradients, read_frame, same_place
from toolkit.scan import without_phantoms

STACK_FRAMES = 8
"""The recent frames of a held page a combination is chosen from (STACK_KEEP of them)."""

MIN_FRAMES = 3
"""Fewer frames held than this are not combined (too little to gain)."""

STACK_KEEP = 5
"""The sharpest this many frames of the window are combined (`steadiness`): with trembling
hands a smeared frame would smear the rest (measured: of 8 frames of the shaking-hands video,
the 3 or 5 sharpest read all 8 frame codes combined, all 8 only 5), while in a dim room 5
frames already divide the noise by 2.2 (5 and 8 both read all 8 of the dim-room video)."""

STACK_FEW = 3
"""When the combination of STACK_KEEP leaves codes seen but unread, the steadiest this many of
its frames (already aligned: not aligned again) are averaged too and read closely: with
trembling hands fewer, steadier frames read codes that more frames blur (measured: the last
frame code of the shaking-hands test video's bottom half was read so; read on the 5 alone, 6
of its 7 were, docs/camera.md)."""

REACH = 64
"""How far (pixels of the frame) a frame may have moved from the sharpest one and be aligned."""

TOP_LEVEL = 32
"""The coarsest level of the search (the frame reduced 32 times), searched over all of REACH;
each finer level refines by one pixel."""

FINE_SHARE = 0.4
"""The finest level (full resolution) is compared on the middle of the frame only, this share
of each side (the codes of a page held up are there; the cost stays bounded)."""

MISFIT = 1.6
"""A frame whose grey difference to the sharpest, once aligned, is more than this many times the
median of the window's is not the same view (the sheet turned or changed): left out."""


Pyramid = list[Image.Image]


def pyramid(gray: Image.Image) -> Pyramid:
    """The frame and its halvings down to TOP_LEVEL (level i is reduced 2**i times)."""
    levels = [gray]
    while 2 ** (len(levels) - 1) < TOP_LEVEL and min(levels[-1].size) >= 32:
        levels.append(levels[-1].reduce(2))
    return levels


def _difference(part: Image.Image, moving: Image.Image, box: tuple[int, int, int, int],
                dx: int, dy: int) -> float:
    """Mean grey difference between `part` (the reference's `box`) and `moving` shifted."""
    left, top, right, bottom = box
    difference = ImageChops.difference(part, moving.crop((left + dx, top + dy, right + dx,
                                                          bottom + dy)))
    # averaged by Pillow into a grid of 8x8 blocks (fast), then summed: ImageStat costs 5x more
    blocks = difference.reduce((max(1, difference.width // 8), max(1, difference.height // 8)))
    values = blocks.tobytes()
    return sum(values) / len(values)


def _best(reference: Image.Image, moving: Image.Image, box: tuple[int, int, int, int],
          around: tuple[int, int], radius: int) -> tuple[float, int, int]:
    cx, cy = around
    part = reference.crop(box)
    return min((_difference(part, moving, box, dx, dy), dx, dy)
               for dy in range(cy - radius, cy + radius + 1)
               for dx in range(cx - radius, cx + radius + 1))


def offset(reference: Pyramid, moving: Pyramid) -> tuple[int, int, float]:
    """Where `moving` shows what `reference` shows at (0, 0): moving(x + dx, y + dy) is
    reference(x, y); with the mean grey difference left once aligned (full resolution)."""
    level = len(reference) - 1
    radius = max(1, REACH >> level)
    width, height = reference[level].size
    margin = radius + 1
    _, dx, dy = _best(reference[level], moving[level],
                      (margin, margin, width - margin, height - margin), (0, 0), radius)
    cost = 0.0
    for finer in range(level - 1, -1, -1):
        dx, dy = 2 * dx, 2 * dy
        width, height = reference[finer].size
        share = 1.0 if finer else FINE_SHARE
        mx = max(abs(dx) + 2, round(width * (1 - share) / 2))
        my = max(abs(dy) + 2, round(height * (1 - share) / 2))
        if mx * 2 >= width or my * 2 >= height:
            return dx, dy, 255.0  # moved too far to compare
        cost, dx, dy = _best(reference[finer], moving[finer],
                             (mx, my, width - mx, height - my), (dx, dy), 1)
    return dx, dy, cost


def fraction(reference: Image.Image, moving: Image.Image, dx: int, dy: int) -> tuple[float,
                                                                                   float]:
    """The part of a pixel to add to the whole-pixel offset (dx, dy) of `moving` onto
    `reference` (full resolution), each within ±0.5: where a parabola through the mean grey
    differences one pixel either side is lowest (4 more comparisons of the middle of the
    frame). Frames shifted by parts of a pixel, aligned to a part of a pixel, add detail a
    whole-pixel alignment blurs (measured on the shaking-hands test videos, docs/camera.md)."""
    width, height = reference.size
    mx = max(abs(dx) + 3, round(width * (1 - FINE_SHARE) / 2))
    my = max(abs(dy) + 3, round(height * (1 - FINE_SHARE) / 2))
    if mx * 2 >= width or my * 2 >= height:
        return 0.0, 0.0
    box = (mx, my, width - mx, height - my)
    part = reference.crop(box)
    at = _difference(part, moving, box, dx, dy)

    def vertex(before: float, after: float) -> float:
        curve = before - 2 * at + after
        return 0.0 if curve <= 0 else max(-0.5, min(0.5, (before - after) / (2 * curve)))
    return (vertex(_difference(part, moving, box, dx - 1, dy),
                   _difference(part, moving, box, dx + 1, dy)),
            vertex(_difference(part, moving, box, dx, dy - 1),
                   _difference(part, moving, box, dx, dy + 1)))


def shifted(image: Image.Image, dx: float, dy: float) -> Image.Image:
    """`image` moved so that what it shows at (x + dx, y + dy) is at (x, y): cropped for whole
    pixels (nothing resampled), resampled bicubic for parts of a pixel."""
    width, height = image.size
    if dx == int(dx) and dy == int(dy):
        return image.crop((int(dx), int(dy), int(dx) + width, int(dy) + height))
    return image.transform(image.size, Image.Transform.AFFINE, (1, 0, dx, 0, 1, dy),
                           Image.Resampling.BICUBIC)


def steadiness(gray: Image.Image) -> float:
    """How sharp a frame is in the middle (FINE_SHARE of each side, where the codes of a page
    held up are): its weakest directional gradient (grey levels), so a frame smeared one way
    counts as blurred as its worst side. Frames of one held page compare by it (the same
    codes, the same light); it is not relative to contrast like FrameLook.sharpness, which is
    measured around one code and can miss the smear."""
    width, height = gray.size
    mx, my = round(width * (1 - FINE_SHARE) / 2), round(height * (1 - FINE_SHARE) / 2)
    return min(gradients(gray.crop((mx, my, width - mx, height - my))))


def average(images: Sequence[Image.Image]) -> Image.Image:
    """The mean of same-sized grey images (a running mean: each weighs the same)."""
    out = images[0]
    for count, image in enumerate(images[1:], 2):
        out = Image.blend(out, image, 1 / count)
    return out


@dataclass(frozen=True)
class Combined:
    """A combination of frames: the picture, the frames used (indexes) and their offsets."""

    image: Image.Image
    frames: tuple[int, ...]
    offsets: tuple[tuple[int, int], ...]
    parts: tuple[tuple[float, float], ...] = ()
    """The parts of a pixel added to each offset (`fraction`)."""
    aligned: tuple[Image.Image, ...] = field(default=(), repr=False, compare=False)
    """The frames as aligned, in the order of `frames` (averaged into `image`)."""


def combine(images: Sequence[Image.Image], indexes: Sequence[int] | None = None,
            sharpness: Sequence[float] | None = None, keep: int = STACK_KEEP,
            subpixel: bool = True) -> Combined | None:
    """The STACK_KEEP sharpest of `images` (frames of one held page, oldest first) aligned on
    the sharpest and averaged; None when fewer than MIN_FRAMES are alike enough. `sharpness`
    ranks the frames; without it, `steadiness` does. Each frame is aligned to a part of a
    pixel (`fraction`); `subpixel=False` aligns to whole pixels only (to measure the gain)."""
    if len(images) < MIN_FRAMES or len({i.size for i in images}) != 1:
        return None
    numbers = list(indexes) if indexes is not None else list(range(len(images)))
    if sharpness is None:
        sharpness = [steadiness(image) for image in images]
    best = max(range(len(images)), key=lambda i: sharpness[i])
    chosen = sorted(sorted(range(len(images)), key=lambda i: -sharpness[i])[:keep])
    reference = pyramid(images[best])
    placed: list[tuple[int, int, int, float]] = []
    for i in chosen:
        if i == best:
            placed.append((i, 0, 0, 0.0))
            continue
        dx, dy, cost = offset(reference, pyramid(images[i]))
        placed.append((i, dx, dy, cost))
    costs = sorted(c for i, _, _, c in placed if i != best)
    typical = costs[len(costs) // 2] if costs else 0.0
    kept = [(i, dx, dy) for i, dx, dy, c in placed if i == best or c <= MISFIT * typical]
    if len(kept) < MIN_FRAMES:
        return None
    parts = [(0.0, 0.0) if i == best or not subpixel else
             fraction(images[best], images[i], dx, dy) for i, dx, dy in kept]
    aligned = [images[i] if i == best else shifted(images[i], dx + fx, dy + fy)
               for (i, dx, dy), (fx, fy) in zip(kept, parts, strict=True)]
    return Combined(average(aligned), tuple(numbers[i] for i, _, _ in kept),
                    tuple((dx, dy) for _, dx, dy in kept), tuple(parts), tuple(aligned))


@dataclass(frozen=True)
class CombinedScan:
    """What the combination of frames `frames` (indexes) read, as one frame's FrameScan
    (indexed and timed as the newest frame; `seconds` includes combining); `offered` is how
    many frames the combination was chosen from."""

    scan: FrameScan
    frames: tuple[int, ...]
    offered: int = 0


def read_combined(images: Sequence[Image.Image],
                  scans: Sequence[FrameScan]) -> CombinedScan | None:
    """The codes of the combination of `images` (whose scans are `scans`), read as one frame;
    None when they cannot be combined."""
    start = time.perf_counter()
    indexes = [s.index for s in scans]
    sharpness = [steadiness(image) for image in images]
    combined = combine(images, indexes, sharpness)
    if combined is None:
        return None
    scan = read_frame(combined.image, scans[-1].index, scans[-1].time, close=True)
    frames_used = combined.frames
    if scan.unreadable and len(combined.frames) > STACK_FEW:
        # the steadiest of the frames combined, as already aligned (not aligned again)
        place = {number: i for i, number in enumerate(indexes)}
        steadiest = sorted(sorted(range(len(combined.frames)),
                                  key=lambda k: -sharpness[place[combined.frames[k]]])[:STACK_FEW])
        fewer = tuple(combined.frames[k] for k in steadiest)
        again = read_frame(average([combined.aligned[k] for k in steadiest]), scans[-1].index,
                           scans[-1].time, close=True)
        texts = scan.texts
        codes = tuple(without_phantoms(
            scan.codes + tuple(c for c in again.codes if c.text not in texts)))
        if len(codes) > len(scan.codes):
            frames_used = tuple(sorted(set(combined.frames) | set(fewer)))
        scan = dataclasses.replace(scan, codes=codes, unreadable=tuple(
            u for u in scan.unreadable if not any(same_place(c.position, u) for c in codes)))
    return CombinedScan(dataclasses.replace(
        scan, seconds=time.perf_counter() - start,
        passes=(f"combined {len(combined.frames)}", *scan.passes)), frames_used,
        len(images))
