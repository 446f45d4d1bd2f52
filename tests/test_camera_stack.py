"""Reading across frames (toolkit/camera/stack.py) on simulated webcam frames of a real frames
page: the translation between frames is found, averaging aligned frames divides the noise, a
frame of another view is left out, and codes no single dim frame reads are read combined."""

from __future__ import annotations

import random
from collections.abc import Iterator

import camera_videos as V
import degrade as D
import pytest
from PIL import Image

from toolkit.camera import CameraFrame, CombinedRead, read_frame, watch
from toolkit.camera.guidance import NOISY, Advice, advice_text, frame_problem
from toolkit.camera.reader import noise_of
from toolkit.camera.session import COMBINE_EVERY
from toolkit.camera.stack import MIN_FRAMES, STACK_KEEP, combine, offset, pyramid, steadiness

SIZE = (1280, 720)
SEED = 20


@pytest.fixture(scope="module")
def frames_page() -> tuple[Image.Image, tuple[V.DrawnCode, ...]]:
    sheets = V.split_sheets(40)
    return sheets.pages["sheet 1 page 3"], sheets.codes["sheet 1 page 3"]


def _dim_frames(page: Image.Image, shifts: list[tuple[int, int]],
                rng: random.Random) -> list[Image.Image]:
    """Frames of the top half of `page` in the dim room of issue 20 (paper 115, ink 25, noise
    σ 10), the sheet moved by each of `shifts` (pixels)."""
    exposed = D.exposed(page, V.DIM_ROOM)
    return [D.noise(D.blur(D.camera_view(exposed, SIZE, part=V.TOP, shift=(dx / SIZE[0],
                                                                           dy / SIZE[1]),
                                         desk=40), 0.6), 10, rng) for dx, dy in shifts]


@pytest.fixture(scope="module")
def dim(frames_page: tuple[Image.Image, tuple[V.DrawnCode, ...]]) -> tuple[
        list[Image.Image], list[tuple[int, int]]]:
    rng = random.Random(SEED)
    print(f"seed {SEED}")
    shifts = [(0, 0)] + [(rng.randint(-40, 40), rng.randint(-30, 30)) for _ in range(7)]
    return _dim_frames(frames_page[0], shifts, rng), shifts


def test_the_shift_between_two_frames_is_found(dim: tuple[
        list[Image.Image], list[tuple[int, int]]]) -> None:
    images, shifts = dim
    reference = pyramid(images[0])
    for image, (dx, dy) in zip(images[1:4], shifts[1:4], strict=True):
        found = offset(reference, pyramid(image))
        assert found[:2] == (dx, dy), (found, dx, dy, f"seed {SEED}")


def test_averaging_aligned_frames_divides_the_noise(dim: tuple[
        list[Image.Image], list[tuple[int, int]]]) -> None:
    images, shifts = dim
    combined = combine(images, sharpness=[0.5] * len(images))
    assert combined is not None
    assert combined.frames == tuple(range(STACK_KEEP))  # all equally sharp: the first ones
    assert combined.offsets == tuple(shifts[:STACK_KEEP])  # each aligned on the first
    single = noise_of(images[0])
    assert single > NOISY
    assert noise_of(combined.image) < single / 2  # 5 frames: √5 = 2.2 in theory
    assert combine(images[:MIN_FRAMES - 1]) is None


def test_codes_no_single_dim_frame_reads_are_read_combined(
        frames_page: tuple[Image.Image, tuple[V.DrawnCode, ...]],
        dim: tuple[list[Image.Image], list[tuple[int, int]]]) -> None:
    _, drawn = frames_page
    images, _ = dim
    in_view = {c.text for c in drawn if c.box[3] <= V.TOP[3]}
    single = read_frame(images[0])
    assert not in_view <= single.texts
    assert frame_problem(single) is Advice.MORE_LIGHT  # noisy: darkness is named first
    combined = combine(images, sharpness=[0.5] * len(images))
    assert combined is not None
    read = read_frame(combined.image, close=True).texts  # as read_combined reads it
    assert in_view <= read <= {c.text for c in drawn}


def test_the_sharpest_frames_are_combined_and_smeared_ones_left_out(
        frames_page: tuple[Image.Image, tuple[V.DrawnCode, ...]]) -> None:
    """Trembling hands: frames smeared one way or another (motion blur of 3 to 7 pixels) among
    a few barely smeared; the steadiest are chosen by `steadiness`, not by their order."""
    rng = random.Random(SEED)
    print(f"seed {SEED}")
    view = D.blur(D.camera_view(frames_page[0], SIZE, part=V.TOP), 0.6)
    smears = [rng.uniform(3, 7) for _ in range(8)]
    for steady in (1, 4, 6, 7, 2):
        smears[steady] = 0.0
    images = [D.motion_blur(view, smear, rng.uniform(0, 180)) if smear else view
              for smear in smears]
    combined = combine(images)
    assert combined is not None, f"seed {SEED}"
    assert combined.frames == (1, 2, 4, 6, 7), (smears, f"seed {SEED}")
    assert min(steadiness(images[i]) for i in combined.frames) > max(
        steadiness(images[i]) for i in range(8) if i not in combined.frames)


def test_a_frame_of_another_view_is_left_out(
        frames_page: tuple[Image.Image, tuple[V.DrawnCode, ...]],
        dim: tuple[list[Image.Image], list[tuple[int, int]]]) -> None:
    images, _ = dim
    other = D.noise(D.camera_view(D.exposed(frames_page[0], V.DIM_ROOM), SIZE, part=V.BOTTOM,
                                  desk=40), 10, random.Random(SEED))
    combined = combine([*images[:5], other], sharpness=[0.5] * 6)
    assert combined is not None and 5 not in combined.frames


def test_the_words_of_the_focus_advice() -> None:
    assert advice_text(Advice.FOCUS) == ("The picture is out of focus: hold the sheet still, a "
                                         "little farther from the camera, until it is sharp.")
    assert advice_text(Advice.FOCUS, "photo").startswith("The photo is out of focus")


class _HeldPage:
    """A source of `seconds` of one dim page held still, at `fps` (stands in for a FrameSource:
    what `watch` uses of one)."""

    kind = "video"
    path = "held page"
    realtime = False
    dropped = 0
    damaged = 0

    def __init__(self, image: Image.Image, fps: float, seconds: float) -> None:
        self.image, self.fps, self.seconds = image, fps, seconds
        self.width, self.height = image.size

    def __iter__(self) -> Iterator[CameraFrame]:
        for index in range(round(self.seconds * self.fps)):
            yield CameraFrame(self.image, index, index / self.fps)

    def close(self) -> None:
        pass


def test_frames_are_combined_a_few_times_a_second_whatever_the_frame_rate(
        frames_page: tuple[Image.Image, tuple[V.DrawnCode, ...]]) -> None:
    """The combining is paced by stream time (COMBINE_EVERY seconds, backing off when nothing
    new is read), not by frames: 30 frames per second cost no more combinations than 10."""
    # a small picture of a page on grey paper: too dim, so its frames are always combined
    page = D.camera_view(D.exposed(frames_page[0], V.DIM_ROOM), (320, 180), part=V.TOP, desk=40)
    counts = {}
    for fps in (10.0, 30.0):
        source = _HeldPage(page, fps, 3.0)
        events = list(watch(source, workers=1))  # type: ignore[arg-type]
        counts[fps] = sum(isinstance(e, CombinedRead) for e in events)
    assert 1 <= counts[30.0] <= counts[10.0] <= 3.0 / COMBINE_EVERY, counts
