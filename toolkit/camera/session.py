"""The camera loop as a generator of events: what the CLI renders and what tests assert.

`watch(source)` reads the frames of an open `FrameSource` in a small pool of worker threads
(zxing-cpp and Pillow release the GIL, so two cores decode two frames at once), keeps at most
`workers` frames in flight (a live source drops the ones that arrive meanwhile), and yields, in
frame order:

- `Opened` once: the source's kind, path, size and frame rate;
- `FrameRead` for every decoded frame (its `FrameScan`, frames dropped so far);
- `CodesRead` when a frame holds QR texts not read before in this session (one code per text);
- `CombinedRead` when the last frames of a page held up were combined (toolkit.camera.stack)
  because they were noisy, blurred or had codes seen but not read, and the combination read;
- `AdviceChanged` when the advice for the last second of frames changes (toolkit.camera.guidance);
- `Ended` when a video file ends.

The caller decides when it has enough (for a restore: when the recovery state is complete) and
stops iterating; the source is then closed. Nothing here prints, and frames stay in memory.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from PIL import Image

from toolkit.camera.guidance import (
    LOW_CONTRAST,
    PAPER_CONTRAST,
    Advice,
    advise,
    shaken,
    too_dim,
    unread_codes,
)
from toolkit.camera.reader import FrameScan, motion_between, read_frame, view_change
from toolkit.camera.source import FrameSource, SourceKind
from toolkit.camera.stack import MIN_FRAMES, STACK_FRAMES, CombinedScan, read_combined
from toolkit.scan import FoundCode

ADVICE_WINDOW = 1.0
"""Seconds of recent frames (stream time) the advice is taken from."""

ADVICE_MIN_FRAMES = 3
"""No advice before this many frames are in the window (one odd frame says little)."""

COMBINE_EVERY = 0.3
"""While a page is held and its frames are hard to read, the last frames (up to
toolkit.camera.stack.STACK_FRAMES) are combined and read every this many seconds of the
stream (so the cost per second is the same at 10 and 30 frames per second)..."""

COMBINE_EVERY_MOST = 1.2
"""...doubled, up to this, after each combination of STACK_FRAMES frames that read nothing new
and either no code at all (a page out of reach) or every code it saw (a page read): the cost
stays bounded. A page whose combinations read some of its codes and see others keeps
COMBINE_EVERY while held (measured: the dim-room test video's top half read its last frame
code in the 5th combination, after two that read nothing new). Back to COMBINE_EVERY for the
next page held up."""

MOVED = 12.0
"""A mean grey difference between thumbnails of consecutive frames, once the best small shift
is taken out (toolkit.camera.reader.view_change), above which the view changed (another page,
or the sheet swept across): frames before it are not combined with those after. Shaking hands
give up to 10 so (and up to 17 unshifted, which left a half page of the shaking-hands test
video's variants never combined); the desk to a page in a dim room 26-30."""


@dataclass(frozen=True)
class Opened:
    kind: SourceKind
    path: str
    width: int
    height: int
    fps: float | None


@dataclass(frozen=True)
class FrameRead:
    """One frame decoded; `wall` is the clock time when its result was ready."""

    scan: FrameScan
    dropped: int
    wall: float


@dataclass(frozen=True)
class CodesRead:
    """QR texts read for the first time in this session, in the frame `frame` (stream time
    `time`, clock time `wall`)."""

    codes: tuple[FoundCode, ...]
    frame: int
    time: float
    wall: float


@dataclass(frozen=True)
class CombinedRead:
    """The frames `frames` (indexes) were combined and read as one picture (`scan`, indexed and
    timed as the newest of them); its new texts follow as a CodesRead."""

    scan: FrameScan
    frames: tuple[int, ...]
    wall: float


@dataclass(frozen=True)
class AdviceChanged:
    advice: Advice
    frame: int
    wall: float


@dataclass(frozen=True)
class Ended:
    """The video ended: frames decoded, dropped (real time) and damaged packets skipped."""

    frames: int
    dropped: int
    damaged: int


CameraEvent = Opened | FrameRead | CodesRead | CombinedRead | AdviceChanged | Ended

Reader = Callable[[Image.Image, int, float], FrameScan]


def hard_to_read(scan: FrameScan) -> bool:
    """Whether a frame of a page in view may hold more than it read, in a way combining frames
    helps: too dim (noisy, or grey paper: a webcam's compression may hide the noise it has),
    with whole codes seen but not read, or smeared by trembling hands (the sharpest frames of
    the window, read closely, read what a smeared frame does not)."""
    return too_dim(scan) or bool(unread_codes(scan)) or shaken(scan)


def shows_page(scan: FrameScan) -> bool:
    """Whether a page is in view: codes seen, or printed paper (PAPER_CONTRAST; in too little
    light a page has less contrast, LOW_CONTRAST: the bottom half of the frames page in the
    dim room measures 29.8, and its frames before a code was seen were left out)."""
    return bool(scan.codes or scan.unreadable) or scan.look.contrast >= (
        LOW_CONTRAST if too_dim(scan) else PAPER_CONTRAST)


@dataclass
class _Held:
    """The recent frames of the page held up (images kept only while it is held)."""

    frames: deque[tuple[Image.Image, FrameScan]]
    since: float | None = None
    every: float = COMBINE_EVERY

    def add(self, image: Image.Image | None, scan: FrameScan, change: float = 0.0) -> bool:
        """Keep a frame (`change`: its view_change from the frame before); whether the frames
        held should now be combined."""
        if not shows_page(scan) or change > MOVED:
            self.frames.clear()
            self.since = None
            self.every = COMBINE_EVERY
        if not shows_page(scan) or image is None:
            return False
        self.frames.append((image, scan))
        if self.since is None:
            self.since = scan.time  # the page came into view
        if len(self.frames) < MIN_FRAMES or scan.time - self.since < self.every - 1e-6:
            return False
        if not any(hard_to_read(s) for _, s in self.frames):
            return False
        self.since = scan.time
        return True

    def read(self, anything_new: bool, frames: int, scan: FrameScan) -> None:
        """A combination chosen from `frames` frames was read (`scan`): back off when it gave
        nothing new though it had all the frames it may have (with fewer, the next one has
        more), unless it read codes of the page and saw others it could not read yet, or the
        frames held see whole codes they do not read (a page in reach, still being read: the
        next combination, of other frames, may read them; measured: with shaking hands a
        combination of smeared frames can see no code at all where its frames see six)."""
        if anything_new:
            self.every = COMBINE_EVERY
        elif frames >= STACK_FRAMES and not (scan.codes and scan.unreadable) and not any(
                unread_codes(s) for _, s in self.frames):
            self.every = min(2 * self.every, COMBINE_EVERY_MOST)


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def watch(source: FrameSource, *, workers: int | None = None, reader: Reader = read_frame,
          clock: Callable[[], float] = time.monotonic,
          known: frozenset[str] = frozenset(),
          combining: bool = True) -> Generator[CameraEvent, None, None]:
    """The events of reading `source` until it ends or the caller stops (see the module
    docstring). QR texts in `known` (read before, say from scans) are not reported again;
    `combining=False` reads frame by frame only (to measure what combining adds)."""
    seen: set[str] = set(known)
    recent: deque[FrameScan] = deque()
    previous: Image.Image | None = None
    advice: Advice | None = None
    decoded = 0
    pool = ThreadPoolExecutor(max_workers=workers or default_workers(),
                              thread_name_prefix="paper2fa-decode")
    pending: deque[Future[FrameScan] | Future[CombinedScan | None]] = deque()
    images: dict[int, Image.Image] = {}  # frames being read, by index (for combining)
    held = _Held(deque(maxlen=STACK_FRAMES))

    def new_codes(scan: FrameScan, wall: float) -> Iterator[CameraEvent]:
        new: dict[str, FoundCode] = {}
        for code in scan.codes:
            if code.text not in seen and code.text not in new:
                new[code.text] = code
        if new:
            seen.update(new)
            yield CodesRead(tuple(new.values()), scan.index, scan.time, wall)

    def finished(scan: FrameScan) -> Iterator[CameraEvent]:
        nonlocal previous, advice, decoded
        decoded += 1
        change = 0.0
        if previous is not None:
            scan = dataclasses.replace(scan, motion=motion_between(previous, scan.thumbnail))
            if combining:
                change = view_change(previous, scan.thumbnail)
        previous = scan.thumbnail
        wall = clock()
        yield FrameRead(scan, source.dropped, wall)
        yield from new_codes(scan, wall)
        if combining and held.add(images.pop(scan.index, None), scan, change):
            frames = list(held.frames)
            combined = pool.submit(read_combined, [i for i, _ in frames], [s for _, s in frames])
            if source.realtime:
                pending.append(combined)
            else:  # a video read as fast as it decodes: the same frames combined every run
                yield from done(combined)
        images.pop(scan.index, None)
        recent.append(scan)
        while recent and recent[0].time < scan.time - ADVICE_WINDOW:
            recent.popleft()
        if len(recent) >= ADVICE_MIN_FRAMES:
            now = advise(recent)
            if now is not None and now != advice:
                advice = now
                yield AdviceChanged(now, scan.index, wall)

    def done(future: Future[FrameScan] | Future[CombinedScan | None]) -> Iterator[
            CameraEvent]:
        result = future.result()
        if isinstance(result, FrameScan):
            yield from finished(result)
        elif result is not None:
            wall = clock()
            yield CombinedRead(result.scan, result.frames, wall)
            new = list(new_codes(result.scan, wall))
            held.read(bool(new), result.offered, result.scan)
            yield from new

    try:
        yield Opened(source.kind, source.path, source.width, source.height, source.fps)
        size = workers or default_workers()
        for frame in source:
            if combining:
                images[frame.index] = frame.image
            pending.append(pool.submit(reader, frame.image, frame.index, frame.time))
            # a live source shows what is read as soon as it is; a video read as fast as it
            # decodes takes results in a fixed order, so what is combined never depends on
            # how busy the machine is (and each combination's result before the next frame)
            while pending and (len(pending) >= size
                               or (source.realtime and pending[0].done())):
                yield from done(pending.popleft())
        while pending:
            yield from done(pending.popleft())
        yield Ended(decoded, source.dropped, source.damaged)
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        source.close()
