"""What to tell the person holding the sheet (or the phone): one `Advice` from what was read.

`frame_problem` looks at one camera frame's `FrameScan` (codes read, codes seen but not read
with their sizes and shapes, light, sharpness, glare, movement) and names what stops it being
read; `advise` takes the frames of the last second and returns the most frequent. `photo_advice`
does the same for one phone photo or scan. The words come from templates/<lang>/camera.toml
(table [camera] for the live camera, [photo] for photos), one entry per Advice value.

The thresholds were set on the simulated frames of tests/camera_videos.py and the hard phone
photos of tests/degrade.py (docs/camera.md, docs/restore.md "Hard phone photos").
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from enum import Enum
from typing import Literal

from PIL import Image

from toolkit.camera.reader import (
    FrameScan,
    is_cut,
    look_of,
    same_place,
    side,
    skew,
    thumbnail_of,
)
from toolkit.scan import FoundCode, PageScan, zxing_pass
from toolkit.texts import load_texts


class Advice(Enum):
    """What would make the codes readable; READING when they are being read."""

    READING = "reading"
    SHOW_CODES = "show_codes"
    HOLD_CLOSER = "hold_closer"
    HALF_PAGE = "half_page"
    WHOLE_CODES = "whole_codes"
    HOLD_STILL = "hold_still"
    FARTHER = "farther"
    MORE_LIGHT = "more_light"
    LESS_GLARE = "less_glare"
    HOLD_STRAIGHT = "hold_straight"
    FLATTEN = "flatten"
    FOCUS = "focus"


Context = Literal["camera", "photo"]

DARK = 45.0
"""Mean grey under which a frame is too dark (0-255)."""

PAPER_CONTRAST = 30.0
"""A camera frame this contrasted shows printed paper (an empty desk or wall measured 2 to 5; a
sheet 60 to 65): with no code seen in it, the sheet is too far away for its codes."""

LOW_CONTRAST = 18.0
"""Grey standard deviation under which codes in view are too faint (too little light)."""

NOISY = 4.0
"""Sensor noise (toolkit.camera.reader.FrameLook.noise, σ grey levels) from which a picture is
too noisy: the camera raised its gain in too little light (the simulated webcam measures 0.7-3
in good light, the dim room of tests/camera_videos.py 4.5-7 after H.264)."""

DIM_PAPER = 150.0
"""Paper greyer than this (FrameLook.paper) was exposed in too little light: a camera's
exposure makes white paper 180-220 when it can (the dim room of issue 20: 115)."""

MOTION = 6.0
"""Mean grey difference between thumbnails of consecutive frames above which the sheet moves
(a still sheet with camera noise gives 1-2)."""

SKEW = 1.25
"""A code whose sides differ more than this (1.25: 25%, a view about 37° off straight) is seen
at too steep an angle."""

STRAIGHT = 1.1
"""Codes read whose sides differ less than this are seen straight on, whatever the corners of
the codes not read (often a part of a code) look like."""

SKEW_SEEN = 3.0
"""A code seen but not read whose sides differ more than this is a fragment, not a code."""

FRAGMENT = 0.5
"""Codes seen but not read smaller than this part of the codes read are fragments."""

SMALL_READ = 100.0
"""Codes read that are smaller than this (pixels) were read by luck or are the share codes of a
whole page in view (their modules are bigger than the frame codes'): come closer."""

SMALL_SIDE = 150.0
"""Codes seen but not read that are smaller than this (pixels) are too small: a version-15
frame code has modules under 2 pixels then."""

BLURRED = 0.3
"""Sharpness (toolkit.camera.reader.FrameLook) under which the picture is blurred: out of focus
or moved (sharp frames and photos measure 0.33-0.6, defocused ones 0.2-0.28, shaken 0.1-0.17)."""

CLOSE = 0.4
"""Codes wider than this part of the frame's shorter side are close to the lens (focus limit)."""

STREAK = 1.35
"""A blurred picture whose sharpest direction is this many times sharper than its weakest was
smeared by movement (FrameLook.streak); below, it is out of focus (sharp, defocused and noisy
pictures measure 1.0-1.2, a photo shaken by 16 pixels 1.6 and more)."""

STILL = 3.0
"""Thumbnails of consecutive frames differing less than this: the sheet is held still (camera
noise gives 1-2), so a blurred frame is out of focus, not moved."""

SHAKEN = 0.35
"""A video frame that moved from the one before (STILL) and is less sharp than this is smeared
by shaking hands, even when it is not blurred enough to be BLURRED: trembling hands at 1/30 s
measure 0.22-0.33 and thumbnail differences of 3-8, a sheet held steadily 0.4-0.6."""

GLARE = 0.02
"""Share of pixels much brighter than the paper, around a code not read, that means a reflection."""


def unread_codes(scan: FrameScan, strict: bool = False) -> list[tuple[tuple[int, int], ...]]:
    """The codes seen but not read that count: not cut by the frame's border, of a shape a
    code can have (SKEW_SEEN), and not much smaller than the codes read (fragments). `strict`
    (one photo, no next frame to wait for) keeps every one not cut by the border."""
    if strict:
        return [c for c in scan.unreadable if not is_cut(c, scan.width, scan.height)
                and skew(c) <= SKEW_SEEN]
    read = [side(c.position) for c in scan.codes]
    least = FRAGMENT * statistics.median(read) if read else 0.0
    return [c for c in scan.unreadable if not is_cut(c, scan.width, scan.height)
            and skew(c) <= SKEW_SEEN and side(c) >= least]


def frame_problem(scan: FrameScan, strict: bool = False) -> Advice:
    """What keeps this frame's codes from being read (READING when nothing does). `strict`
    (for a photo) reads any code seen but not read as a problem; a camera frame tolerates one
    damaged code and fragments, since the next frames will show them again."""
    look = scan.look
    in_view = len(scan.codes) + len(scan.unreadable)
    whole = unread_codes(scan, strict)
    cut = [c for c in scan.unreadable if is_cut(c, scan.width, scan.height)
           and skew(c) <= SKEW_SEEN]
    dim = too_dim(scan)
    if strict and cut and not dim:  # too dark is the first thing to fix
        return Advice.WHOLE_CODES  # a photo has no next frame in which they will be whole
    if dim and not (strict and scan.codes and not whole):
        return Advice.MORE_LIGHT  # noise hides what is not read, even when some codes read
    if scan.codes:
        missed = any(not is_cut(c, scan.width, scan.height) for c in scan.unreadable)
        if missed and statistics.median(skew(c.position) for c in scan.codes) > SKEW:
            return Advice.HOLD_STRAIGHT  # the corners of codes read are exact; others failed
        if shaken(scan):
            return Advice.HOLD_STILL  # the smear hides the small codes; the big ones read
        if statistics.median(side(c.position) for c in scan.codes) < SMALL_READ:
            return Advice.HALF_PAGE  # on a whole page only the share codes (bigger modules) read
        if (not whole) if strict else len(scan.codes) >= len(whole):
            return Advice.READING  # codes cut by the frame's edge, or one damaged code, are normal
    if (scan.motion is not None and scan.motion > MOTION) or shaken(scan):
        return Advice.HOLD_STILL
    if not in_view:  # a blurred photo of something (not a bare wall) may hide codes; in a
        # video, movement was measured above, and a part of a page without codes looks blurred
        blurred = look.sharpness < BLURRED and look.contrast >= LOW_CONTRAST
        if blurred and scan.motion is None:
            return Advice.HOLD_STILL if moved(scan) else Advice.FOCUS
        if not strict and look.contrast >= PAPER_CONTRAST and not blurred:
            return Advice.HALF_PAGE  # a sharp page fills the view, yet no code is even seen: far
        return Advice.SHOW_CODES
    if not whole:
        return Advice.WHOLE_CODES
    if look.glare > GLARE:
        return Advice.LESS_GLARE
    straight = scan.codes and statistics.median(skew(c.position) for c in scan.codes) <= STRAIGHT
    if not straight and statistics.median(skew(c) for c in whole) > SKEW:
        return Advice.HOLD_STRAIGHT  # (unless the codes read, whose corners are exact, are square)
    size = statistics.median(side(c) for c in whole)
    if size < SMALL_SIDE:
        return Advice.HALF_PAGE if in_view > 1 else Advice.HOLD_CLOSER
    if look.sharpness < BLURRED:
        if size > CLOSE * min(scan.width, scan.height):
            return Advice.FARTHER  # too close for the lens to focus
        return Advice.HOLD_STILL if moved(scan) else Advice.FOCUS
    return Advice.FLATTEN  # sharp, big enough, straight and lit: the paper itself is bent


def too_dim(scan: FrameScan) -> bool:
    """Whether the picture is too dark: dark on average, or something in view (codes, or
    anything printed, even with no code seen) faint, noisy (NOISY) or on grey paper
    (DIM_PAPER)."""
    look = scan.look
    in_view = bool(scan.codes or scan.unreadable)
    printed = look.contrast >= LOW_CONTRAST
    return look.brightness < DARK or (in_view and look.contrast < LOW_CONTRAST) or (
        (in_view or printed) and (look.noise >= NOISY or look.paper < DIM_PAPER))


def shaken(scan: FrameScan) -> bool:
    """A video frame smeared by trembling hands (SHAKEN)."""
    return (scan.motion is not None and scan.motion >= STILL
            and scan.look.sharpness < SHAKEN)


def moved(scan: FrameScan) -> bool:
    """Whether a blurred picture was smeared by movement rather than out of focus: smeared one
    way (FrameLook.streak), or a video frame that differs from the one before. Without a
    measure of either (older callers), movement is assumed."""
    streak = scan.look.streak
    if streak is None:
        return True
    return streak >= STREAK or (scan.motion is not None and scan.motion >= STILL)


PRIORITY = tuple(Advice)
"""Ties between equally frequent problems go to the one listed first."""


def advise(recent: Sequence[FrameScan]) -> Advice | None:
    """The most frequent problem of the recent frames (None without frames). Frames that show
    no code at all count only when every frame is so: a code read now and then says more."""
    if not recent:
        return None
    counts = Counter(frame_problem(scan) for scan in recent)
    if len(counts) > 1:
        counts.pop(Advice.SHOW_CODES, None)
    best = max(counts.values())
    return next(a for a in PRIORITY if counts.get(a) == best)


def photo_advice(image: Image.Image, page: PageScan | None = None) -> Advice:
    """What to do better for one photo or scan: READING when its codes read.

    `page` is what `toolkit.scan.read_page` read on it (its codes count as read); without it
    one plain pass is made. The positions of codes seen but not read come from one plain pass.
    """
    gray = image if image.mode == "L" else image.convert("L")
    plain, failed = zxing_pass(gray)
    codes: tuple[FoundCode, ...] = page.codes if page is not None else tuple(plain)
    unread = tuple(c for c in failed
                   if not any(same_place(code.position, c) for code in codes))
    around = unread[0] if unread else (codes[0].position if codes else None)
    scan = FrameScan(0, 0.0, gray.width, gray.height, codes, unread, look_of(gray, around),
                     thumbnail_of(gray))
    return frame_problem(scan, strict=True)


def advice_text(advice: Advice, context: Context = "camera", lang: str = "en") -> str:
    """The sentence for the person, from templates/<lang>/camera.toml."""
    texts: dict[str, str] = load_texts("camera", lang)[context]
    return texts[advice.value]
