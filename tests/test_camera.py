"""toolkit.camera without a camera: opening devices and files that are not there, not allowed,
not cameras or not videos; frames from a real video file, every one or in real time; reading
codes from simulated camera frames; the advice and its words."""

from __future__ import annotations

import errno
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import av
import camera_videos as V
import degrade as D
import pytest
from PIL import Image

from toolkit import errors
from toolkit.camera import (
    DEFAULT_DEVICE,
    Advice,
    FrameScan,
    advice_text,
    advise,
    frame_problem,
    open_source,
    photo_advice,
    read_frame,
)
from toolkit.camera.reader import (
    FrameLook,
    inside_none,
    motion_between,
    quarters,
    skew,
    view_change,
)
from toolkit.camera.source import open_error
from toolkit.errors import (
    CameraBusyError,
    CameraError,
    CameraNotFoundError,
    CameraPermissionError,
    NotACameraError,
    Source,
    VideoFormatError,
)
from toolkit.scan import FoundCode
from toolkit.texts import load_texts

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def quick() -> V.Video:
    """A 3.5 s video of a 10-account split's frames page (tests/camera_videos.py)."""
    return V.make_video("quick")


@pytest.fixture(scope="module")
def frames_page() -> tuple[Image.Image, tuple[V.DrawnCode, ...]]:
    sheets = V.split_sheets(40)
    return sheets.pages["sheet 1 page 3"], sheets.codes["sheet 1 page 3"]


def _one_line(exc: errors.Paper2faError) -> None:
    assert "\n" not in exc.message and "\n" not in exc.hint


# --- opening ------------------------------------------------------------------------------


def test_no_camera_at_the_default_device_is_exit_3() -> None:
    if os.path.exists(DEFAULT_DEVICE):
        pytest.skip("this machine has a camera")
    with pytest.raises(CameraNotFoundError) as caught:
        open_source()
    assert caught.value.exit_code == 3
    assert caught.value.message == "no camera found: no such device"
    assert caught.value.source == Source(file=DEFAULT_DEVICE)
    _one_line(caught.value)


def test_a_missing_video_file_names_the_path_as_given(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CameraNotFoundError) as caught:
        open_source("sheets.mp4")
    assert caught.value.source == Source(file="sheets.mp4")
    assert caught.value.located == "sheets.mp4: no such video file or camera device"
    assert "path" in caught.value.hint


def test_a_file_that_is_not_a_video_is_exit_11(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a video\n" * 100)
    with pytest.raises(VideoFormatError) as caught:
        open_source(str(text))
    assert caught.value.exit_code == 11
    assert caught.value.message == "not a video file paper2fa can read"
    assert caught.value.source == Source(file=str(text))
    _one_line(caught.value)


def test_a_truncated_video_is_refused(tmp_path: Path, quick: V.Video) -> None:
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(quick.path.read_bytes()[:20_000])  # the index (moov) is at the end
    with pytest.raises(VideoFormatError):
        open_source(str(cut))


@pytest.mark.timeout(60)  # a hang guard; what is asserted is that nothing was opened
def test_a_fifo_is_refused_without_opening_it(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.camera import source

    fifo = tmp_path / "camera"
    os.mkfifo(fifo)
    opened: list[str] = []
    real = source._open_container
    monkeypatch.setattr(source, "_open_container",
                        lambda path, *rest: opened.append(path) or real(path, *rest))
    with pytest.raises(NotACameraError, match="is a FIFO"):
        open_source(str(fifo))  # opening a FIFO for reading would wait for a writer forever
    assert opened == []


def test_a_folder_is_not_a_camera(tmp_path: Path) -> None:
    with pytest.raises(NotACameraError, match="is a folder"):
        open_source(str(tmp_path))


def test_a_character_device_that_is_not_video_is_not_a_camera() -> None:
    with pytest.raises(NotACameraError) as caught:
        open_source("/dev/null")
    assert caught.value.located == "/dev/null: not a video capture device"
    assert caught.value.exit_code == 3


def test_a_video_device_node_with_no_camera_behind_it(tmp_path: Path) -> None:
    node = tmp_path / "video0"
    try:
        os.mknod(node, 0o600 | 0o020000, os.makedev(81, 0))  # a V4L2 node, no driver
    except (PermissionError, OSError):
        pytest.skip("cannot make device nodes here")
    try:
        os.open(node, os.O_RDWR)
    except OSError as exc:
        if exc.errno not in (errno.ENXIO, errno.ENODEV):
            pytest.skip(f"this machine has a video driver at 81:0 ({exc.strerror})")
    else:
        pytest.skip("this machine has a camera at 81:0")
    with pytest.raises(CameraNotFoundError, match="no camera answers at"):
        open_source(str(node))


def _as_nobody(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                           sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="simulates another user with setpriv as root")
def test_permission_denied_on_a_camera_node_and_a_video_file(tmp_path: Path,
                                                             quick: V.Video) -> None:
    tmp_path.chmod(0o755)
    video = tmp_path / "private.mp4"
    shutil.copy(quick.path, video)
    video.chmod(0o600)
    targets = [str(video)]
    node = tmp_path / "video0"
    try:
        os.mknod(node, 0o600 | 0o020000, os.makedev(81, 0))
        targets.append(str(node))
    except OSError:
        pass
    code = ("from toolkit.camera import open_source\n"
            "from toolkit.errors import Paper2faError\n"
            f"for path in {targets!r}:\n"
            "    try:\n        open_source(path)\n    except Paper2faError as exc:\n"
            "        print(type(exc).__name__, exc.exit_code, exc.located)\n")
    result = _as_nobody(code)
    if result.returncode and "Permission denied" in result.stderr and "python" in result.stderr:
        pytest.skip("the virtual environment is not readable by another user")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == [f"CameraPermissionError 3 {t}: permission denied" for t in targets]


@pytest.mark.parametrize(("number", "expected"), [
    (errno.EBUSY, CameraBusyError), (errno.EACCES, CameraPermissionError),
    (errno.ENODEV, CameraNotFoundError), (errno.ENXIO, CameraNotFoundError),
    (errno.ENOTTY, NotACameraError), (errno.EINVAL, VideoFormatError),
    (errno.EIO, CameraError),
])
def test_every_camera_errno_has_its_error(number: int, expected: type[errors.Paper2faError]
                                          ) -> None:
    try:
        av.error.err_check(-number, "/dev/video0")
    except av.error.FFmpegError as exc:
        mapped = open_error(exc, "/dev/video0", "camera")
    assert type(mapped) is expected
    _one_line(mapped)
    if expected is CameraBusyError:
        assert mapped.located == "/dev/video0: the camera is in use by another program"
    assert mapped.source == Source(file="/dev/video0")


def test_a_playlist_cannot_make_ffmpeg_open_the_network(tmp_path: Path) -> None:
    playlist = tmp_path / "sheets.m3u8"
    playlist.write_text("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n"
                        "http://127.0.0.1:9/sheet.ts\n#EXT-X-ENDLIST\n")
    with pytest.raises(VideoFormatError):
        open_source(str(playlist))


# --- frames -------------------------------------------------------------------------------


def test_every_frame_in_order_when_not_in_real_time(quick: V.Video) -> None:
    source = open_source(str(quick.path), realtime=False)
    assert (source.kind, source.width, source.height, source.fps) == ("video", 1280, 720, 10)
    frames = list(source)
    assert [f.index for f in frames] == list(range(round(quick.seconds * quick.fps)))
    assert all(f.image.mode == "L" and f.image.size == (1280, 720) for f in frames)
    assert [round(f.time, 3) for f in frames] == [round(i / 10, 3) for i in range(len(frames))]
    assert source.dropped == 0


class FakeClock:
    """Time that passes only when the consumer says so (a slow decoder, without waiting)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        time.sleep(0.001)


def test_real_time_drops_the_frames_a_slow_reader_misses(quick: V.Video) -> None:
    clock = FakeClock()
    source = open_source(str(quick.path), realtime=True, clock=clock, sleep=clock.sleep)
    taken = []
    for frame in source:
        assert frame.time <= clock.now + 1e-9  # never before its time
        taken.append(frame)
        clock.now += 0.35  # each frame takes 0.35 s to decode: 3.5 frames of a 10 fps video
    total = round(quick.seconds * quick.fps)
    assert len(taken) + source.dropped == total
    assert 8 <= len(taken) <= 14 and source.dropped >= 20
    assert [f.index for f in taken] == sorted({f.index for f in taken})


class SlowDecoderClock(FakeClock):
    """Time that passes whenever the decoder thread looks at the clock: decoding a frame takes
    longer than the video's frame period, whatever the reader does."""

    def __call__(self) -> float:
        if threading.current_thread().name == "paper2fa-camera":
            self.now += 0.12
        return self.now


def test_real_time_with_a_decoder_slower_than_the_video_still_gives_frames(
        quick: V.Video) -> None:
    """Decoding that cannot keep up with the video's rate plays it on slower (as a slow camera
    does) instead of dropping every frame after the first."""
    clock = SlowDecoderClock()
    source = open_source(str(quick.path), realtime=True, clock=clock, sleep=clock.sleep)
    taken = [frame.index for frame in source]
    total = round(quick.seconds * quick.fps)
    assert len(taken) + source.dropped == total
    assert len(taken) >= 4 and taken[-1] >= total * 0.8, taken


class WaitingClock(FakeClock):
    """Time that passes only while the player waits (decoding takes none): how long playing
    in real time waits is counted on this clock, whatever else the machine does."""

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.now += seconds
        time.sleep(0)  # let the reader take the frame shown


def test_real_time_plays_at_the_videos_own_rate(quick: V.Video) -> None:
    clock = WaitingClock()
    source = open_source(str(quick.path), realtime=True, clock=clock, sleep=clock.sleep)
    shown = [(frame.index, frame.time, clock.now) for frame in source]
    last = round(quick.seconds * quick.fps) - 1
    assert shown[-1][0] == last
    # each frame comes when its time has come, not before; the whole video takes its length
    assert all(at <= now + 1e-9 for _, at, now in shown)
    assert clock.now == pytest.approx(last / quick.fps, abs=1e-6)


def test_stopping_early_stops_the_decoder(quick: V.Video) -> None:
    source = open_source(str(quick.path), realtime=False)
    for frame in source:
        if frame.index == 2:
            break
    source.close()
    assert not source.decoding


def test_a_source_is_iterated_once(quick: V.Video) -> None:
    source = open_source(str(quick.path), realtime=False)
    next(iter(source))
    with pytest.raises(RuntimeError):
        list(source.frames())
    source.close()


# --- reading frames -----------------------------------------------------------------------


def _within(code: V.DrawnCode, part: tuple[float, float, float, float]) -> bool:
    return (code.box[0] >= part[0] and code.box[1] >= part[1] and code.box[2] <= part[2]
            and code.box[3] <= part[3])


def _frame(page: Image.Image, part: tuple[float, float, float, float],
           size: tuple[int, int] = (1280, 720), **view: Any) -> Image.Image:
    picture = D.camera_view(D.exposed(page, (30, 215)), size, part=part, **view)
    return D.noise(D.blur(picture, 0.6), 3, random.Random(1))


@pytest.mark.parametrize("part", [V.TOP, V.BOTTOM])
def test_half_a_page_at_720p_reads_every_whole_code_and_nothing_else(
        frames_page: tuple[Image.Image, tuple[V.DrawnCode, ...]],
        part: tuple[float, float, float, float]) -> None:
    page, drawn = frames_page
    scan = read_frame(_frame(page, part))
    assert {c.text for c in drawn if _within(c, part)} <= scan.texts
    assert scan.texts <= {c.text for c in drawn}
    assert frame_problem(scan) is Advice.READING


def test_codes_cut_by_the_edge_are_not_misread(
        frames_page: tuple[Image.Image, tuple[V.DrawnCode, ...]]) -> None:
    page, drawn = frames_page
    for dx in (-0.3, 0.3):
        scan = read_frame(_frame(page, V.TOP, shift=(dx, 0.25)))
        assert scan.texts <= {c.text for c in drawn}


def test_a_whole_page_at_720p_reads_few_codes_and_asks_for_half(
        frames_page: tuple[Image.Image, tuple[V.DrawnCode, ...]]) -> None:
    page, _ = frames_page
    scans = [read_frame(_frame(page, V.WHOLE, fill=0.95 - 0.01 * i), i) for i in range(4)]
    assert all(len(s.texts) < 4 for s in scans)
    advice = advise(scans)  # codes too small to be seen, or only the bigger share codes read
    assert advice in (Advice.HALF_PAGE, Advice.HOLD_CLOSER, Advice.SHOW_CODES)
    assert "close" in advice_text(advice)


def test_the_same_page_at_1080p_reads_more(
        frames_page: tuple[Image.Image, tuple[V.DrawnCode, ...]]) -> None:
    page, drawn = frames_page
    small = read_frame(_frame(page, V.WHOLE))
    large = read_frame(_frame(page, V.WHOLE, size=(1920, 1080)))
    assert len(large.texts) >= 5 and len(large.texts) > len(small.texts)  # docs/camera.md
    assert large.texts <= {c.text for c in drawn}


def test_large_frames_zoom_a_different_quarter_each_time() -> None:
    boxes = quarters(1920, 1080)
    assert len(boxes) == 4 and boxes[0][:2] == (0, 0) and boxes[3][2:] == (1920, 1080)
    assert boxes[0][2] > 960 and boxes[0][3] > 540  # they overlap across the middle


# --- advice -------------------------------------------------------------------------------


def _scan(**changes: Any) -> FrameScan:
    base = FrameScan(0, 0.0, 1280, 720, (), (), FrameLook(150, 60, 1.0, 0.0),
                     Image.new("L", (96, 54)))
    return replace(base, **changes)


def test_advice_for_single_frames() -> None:
    square = ((500, 300), (650, 300), (650, 450), (500, 450))
    steep = ((500, 300), (650, 300), (650, 380), (500, 380))
    small = ((500, 300), (560, 300), (560, 360), (500, 360))
    cut = ((0, 300), (150, 300), (150, 450), (0, 450))
    desk = FrameLook(60, 3, 0.8, 0.0)  # an empty desk or wall: no paper in view
    assert frame_problem(_scan(look=desk)) is Advice.SHOW_CODES
    assert frame_problem(_scan()) is Advice.HALF_PAGE  # sharp paper, no code seen: too far
    assert frame_problem(_scan(look=FrameLook(20, 10, 1.0, 0.0))) is Advice.MORE_LIGHT
    assert frame_problem(_scan(unreadable=(steep,))) is Advice.HOLD_STRAIGHT
    assert frame_problem(_scan(unreadable=(small,))) is Advice.HOLD_CLOSER
    assert frame_problem(_scan(unreadable=(small, square))) is Advice.HALF_PAGE
    assert frame_problem(_scan(unreadable=(cut,))) is Advice.WHOLE_CODES
    assert frame_problem(_scan(unreadable=(square,), motion=20.0)) is Advice.HOLD_STILL
    assert frame_problem(_scan(motion=20.0)) is Advice.HOLD_STILL
    assert frame_problem(_scan(unreadable=(square,),
                               look=FrameLook(150, 60, 1.0, 0.1))) is Advice.LESS_GLARE
    big = ((300, 100), (700, 100), (700, 500), (300, 500))
    assert frame_problem(_scan(unreadable=(big,),
                               look=FrameLook(150, 60, 0.2, 0.0))) is Advice.FARTHER
    assert frame_problem(_scan(unreadable=(square,))) is Advice.FLATTEN
    assert frame_problem(_scan(unreadable=(square,),
                               look=FrameLook(150, 60, 0.2, 0.0))) is Advice.HOLD_STILL
    assert frame_problem(_scan(look=FrameLook(150, 60, 0.2, 0.0))) is Advice.HOLD_STILL
    assert frame_problem(_scan(look=FrameLook(150, 60, 0.2, 0.0), motion=1.0)) \
        is Advice.SHOW_CODES  # a video: not moving, so no codes in view
    assert skew(steep) == pytest.approx(150 / 80)


def test_advise_takes_the_most_frequent_problem_and_ignores_empty_frames() -> None:
    square = ((500, 300), (650, 300), (650, 450), (500, 450))
    empty = _scan(look=FrameLook(60, 3, 0.8, 0.0))
    moving = _scan(unreadable=(square,), motion=20.0)
    assert advise([]) is None
    assert advise([empty, empty]) is Advice.SHOW_CODES
    assert advise([empty, empty, empty, moving]) is Advice.HOLD_STILL


def test_motion_between_thumbnails() -> None:
    still = Image.new("L", (96, 54), 100)
    assert motion_between(still, still) == 0
    assert motion_between(still, Image.new("L", (96, 54), 130)) == 30


def test_a_view_moved_a_little_is_the_same_view() -> None:
    """A sheet swayed by trembling hands differs from the frame before by its shift, which
    view_change takes out; another picture stays apart."""
    rng = random.Random(20)
    print("seed 20")
    big = Image.frombytes("L", (120, 80), rng.randbytes(120 * 80))
    before, after = big.crop((10, 10, 106, 64)), big.crop((13, 8, 109, 62))
    assert motion_between(before, after) > 40  # random grey: a shift changes every pixel
    assert view_change(before, after) == 0
    assert view_change(before, Image.new("L", (96, 54), 128)) > 40


def _code(text: str, left: int, top: int, side: int) -> FoundCode:
    return FoundCode(text, text.encode(), 1, ((left, top), (left + side, top),
                                              (left + side, top + side), (left, top + side)))


def test_a_tiny_code_inside_a_code_seen_but_not_read_is_a_phantom() -> None:
    """Measured on a combination of dim frames: '395282' (26 pixels) read in the corner of a
    frame code of 172 that did not read. A code inside a shape zxing-cpp saw across several
    codes (390-421 pixels, twice the codes' size) is kept."""
    real = _code("P2F-FRAME1:real", 652, 246, 172)
    phantom = _code("395282", 255, 33, 26)
    unread = ((255, 32), (428, 32), (428, 204), (255, 204))
    across = ((450, 20), (870, 20), (870, 440), (450, 440))
    seen = [unread, ((454, 34), (626, 34), (626, 206), (454, 206)), across]
    assert inside_none([real, phantom], seen) == [real]
    assert inside_none([real, phantom], []) == [real, phantom]


def test_every_advice_has_words_for_the_camera_and_for_photos() -> None:
    for lang_dir in sorted((ROOT / "templates").iterdir()):
        if not (lang_dir / "camera.toml").is_file():
            continue
        texts = load_texts("camera", lang_dir.name)
        for context in ("camera", "photo"):
            assert set(texts[context]) == {a.value for a in Advice}, (lang_dir.name, context)
    assert advice_text(Advice.HALF_PAGE) == "Hold the sheet closer: show half a page at a time."
    assert advice_text(Advice.HOLD_STRAIGHT, "photo") == "Hold the phone straight above the page."


def test_photo_advice_for_a_dim_photo_and_a_good_one(
        frames_page: tuple[Image.Image, tuple[V.DrawnCode, ...]]) -> None:
    page, _ = frames_page
    rng = random.Random(3)
    good = D.photograph(page, rng, D.PHOTO_5MP)
    dim = D.photograph(page, rng, D.PHOTO_5MP, light=(4, 22), noise_sigma=8)
    assert photo_advice(good) is Advice.READING
    assert photo_advice(dim) is Advice.MORE_LIGHT
    empty = Image.new("L", (1200, 900), 200)
    assert photo_advice(empty) is Advice.SHOW_CODES


def _prose(text: str) -> str:
    return " ".join(text.replace("**", "").replace(">", " ").replace("- [ ]", " ").split())


def test_the_photograph_rule_is_the_same_in_the_checklist_and_the_camera_page() -> None:
    page = (ROOT / "docs" / "camera.md").read_text()
    section = page.split("## Photographing sheets", 1)[1].split("\n## ", 1)[0]
    rule = _prose("\n".join(line for line in section.splitlines() if line.startswith("> ")))
    assert rule.startswith("Never photograph a sheet") and rule.endswith("after the restore.")
    assert rule in _prose((ROOT / "bootable" / "CHECKLIST.md").read_text())


def test_a_whole_page_is_told_half_a_page_from_its_first_frame_and_light_first_when_dim(
        frames_page: tuple[Image.Image, tuple[V.DrawnCode, ...]]) -> None:
    """At 720p a whole page reads nothing: its very first frame asks for half a page. In a dim
    room (issue 20: paper 115, ink 25, noise σ 10) the darkness is named first, even when no
    code is seen; a whole page that fills little of a well-lit 1080p picture is not dim."""
    page, _ = frames_page
    assert frame_problem(read_frame(_frame(page, V.WHOLE, fill=0.95))) is Advice.HALF_PAGE
    dim = D.camera_view(D.exposed(page, V.DIM_ROOM), (1280, 720), part=V.WHOLE, fill=0.5,
                        desk=40)
    assert frame_problem(read_frame(D.noise(D.blur(dim, 0.6), 10, random.Random(1)))) \
        is Advice.MORE_LIGHT
    lit = read_frame(_frame(page, V.WHOLE, size=(1920, 1080), fill=0.85))
    assert lit.look.paper > 200 and frame_problem(lit) is not Advice.MORE_LIGHT
