"""Camera frames from a webcam (V4L2) or a video file, in memory only, through PyAV (FFmpeg).

`open_source(device)` opens a video capture device (a character device such as /dev/video0) or
a regular video file and returns a `FrameSource`: an iterator of grayscale `CameraFrame`s.
Frames are decoded by a background thread and handed over in memory; nothing is written to disk.

Delivery: a camera, and a video file opened with `realtime=True`, behave alike: the newest frame
waits for the consumer and older ones it did not take are dropped (counted in `dropped`), and a
video file is played at its own frame rate, a gap between two frames lasting at most
MAX_FRAME_GAP. With `realtime=False` a video file yields every
frame in order, as fast as the consumer takes them (tests and benchmarks).

Every way of failing to open is one `CameraError` subclass (exit 3) or `VideoFormatError`
(exit 11), chosen by the errno FFmpeg reports. FIFOs, sockets and folders are refused before
anything opens them (reading a FIFO would block); FFmpeg may only use its `file` protocol and
the container formats of VIDEO_FORMATS, so no playlist inside a file can reach the network.
The measurements behind the choice of PyAV are in docs/camera.md.
"""

from __future__ import annotations

import errno
import os
import stat
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal

from PIL import Image

from toolkit import fsio
from toolkit.errors import (
    CameraBusyError,
    CameraError,
    CameraNotFoundError,
    CameraPermissionError,
    NotACameraError,
    Paper2faError,
    Source,
    VideoFormatError,
)

DEFAULT_DEVICE = "/dev/video0"
"""The first video device of a Linux machine: a laptop's built-in webcam or the first USB one."""

CAMERA_SIZE = (1280, 720)
"""The picture size asked of a camera; a camera that cannot gives its nearest size."""

OPEN_TIMEOUT = 5.0
"""Seconds a camera or file may take to open."""

NO_PICTURE_TIMEOUT = 5.0
"""A camera that sends no picture for this many seconds is reported (bounded waiting)."""

MAX_FRAME_PIXELS = 40_000_000
"""Larger frames are refused (8K video is 33 Mpx), so memory stays bounded."""

QUEUE_FRAMES = 4
"""Frames decoded ahead of the consumer when no frame may be dropped."""

MAX_FRAME_GAP = 1.0
"""Longest wait between two frames of a video file played in real time (seconds): a longer
gap between their times (a still scene a recorder did not repeat, or a crafted file with
frames hours apart) is played as this long, so playing never waits for hours."""

LATE_FRAMES_DROPPED = 0.5
"""A video file played in real time drops late frames for at most this many seconds of frames
in a row; then decoding is what falls behind, and the video plays on slower instead."""

MAX_BAD_PACKETS = 50
"""Undecodable packets in a row after which a stream is declared damaged (single bad packets
from a USB camera are skipped)."""

CAMERA_FORMATS = ("mjpeg", None)
"""Camera picture formats to ask for, in order: MJPEG gives webcams their highest frame rates
at 720p; None takes the camera's default (raw YUYV)."""

LUMA_FIRST_FORMATS = frozenset({
    "gray", "yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "yuv440p",
    "yuvj440p", "yuv411p", "yuv410p", "nv12", "nv21", "nv16", "nv24",
})
"""FFmpeg pixel formats whose first plane is 8-bit luma: the gray picture without conversion."""

VIDEO_FORMATS = ("mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpegts,mpeg,asf,ogg,flv,mjpeg,"
                 "h264,hevc")
"""FFmpeg demuxers a video file may be read with: what phones, cameras and webcam recorders
write. Others are refused: FFmpeg would otherwise show a text file as a video of its letters
(the `tty` demuxer) or follow a playlist."""

SourceKind = Literal["camera", "video"]

EMPTY_VIDEO = "the video is empty: it holds no picture"
"""What a video file without a single picture is told (when it is opened or read to its end)."""


@dataclass(frozen=True)
class CameraFrame:
    """One picture from the camera or the video: grayscale, its index in the stream (dropped
    frames counted), and its time in seconds from the first frame."""

    image: Image.Image = field(repr=False)
    index: int
    time: float


# --- opening ------------------------------------------------------------------------------


def _refuse_non_media(path: str, shown: str) -> SourceKind:
    """'camera' for a character device, 'video' for a regular file; errors (naming the path as
    `shown`) for anything else."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if path.startswith("/dev/"):
            raise CameraNotFoundError("no camera found: no such device",
                                      source=Source(file=shown)) from None
        raise CameraNotFoundError("no such video file or camera device",
                                  hint="check the path of the video file",
                                  source=Source(file=shown)) from None
    except PermissionError:
        raise CameraPermissionError("permission denied", source=Source(file=shown)) from None
    except OSError as exc:
        raise CameraError(f"{exc.strerror or 'cannot be opened'}",
                          source=Source(file=shown)) from None
    if stat.S_ISCHR(mode):
        return "camera"
    if stat.S_ISREG(mode):
        return "video"
    what = ("a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode)
            else "a block device" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "not a regular file")
    raise NotACameraError(f"this is {what}, not a camera device or a video file",
                          source=Source(file=shown))


def _errno_of(exc: BaseException) -> int | None:
    number = getattr(exc, "errno", None)
    return number if isinstance(number, int) else None


def open_error(exc: BaseException, path: str, kind: SourceKind) -> Paper2faError:
    """The paper2fa error for an exception FFmpeg raised while opening `path` (the device or
    file as given, which the error carries as its source)."""
    import av

    code = _errno_of(exc)
    if kind == "video":
        return _video_open_error(exc, code, Source(file=path))
    source = Source(file=path)
    if isinstance(exc, av.error.InvalidDataError):
        return VideoFormatError("not a video file paper2fa can read", source=source)
    if code == errno.ENOENT:
        return CameraNotFoundError("no camera found: no such device", source=source)
    if code in (errno.ENXIO, errno.ENODEV):
        return CameraNotFoundError("no camera answers at this device (not plugged in, or not "
                                   "a camera's picture device)", source=source)
    if code in (errno.EACCES, errno.EPERM):
        return CameraPermissionError("permission denied", source=source)
    if code == errno.EBUSY:
        return CameraBusyError("the camera is in use by another program", source=source)
    if code in (errno.ENOTTY, errno.EISDIR):
        return NotACameraError("not a video capture device", source=source)
    if isinstance(exc, av.error.ExitError) or code == errno.ETIMEDOUT:
        return CameraError(f"the camera did not answer within {OPEN_TIMEOUT:.0f} s",
                           source=source)
    if code == errno.EINVAL:
        return VideoFormatError("the camera offers no picture format paper2fa can read",
                                source=source)
    if code == errno.EIO:
        return CameraError("input/output error (unplug the camera and plug it in again)",
                           source=source)
    return CameraError(f"cannot be opened ({_reason(exc)})", source=source)


def _reason(exc: BaseException) -> str:
    """What went wrong, in the system's words, without the path FFmpeg puts in its message
    (the error carries the path as its source)."""
    return getattr(exc, "strerror", None) or type(exc).__name__


def _video_open_error(exc: BaseException, code: int | None, source: Source) -> Paper2faError:
    """A video file that FFmpeg could not open: unless it went missing or may not be read,
    what is in it is the problem (exit 11), never a camera to connect."""
    import av

    if code == errno.ENOENT:
        return CameraNotFoundError("no such video file",
                                   hint="check the path of the video file", source=source)
    if code in (errno.EACCES, errno.EPERM):
        return CameraPermissionError("permission denied", source=source)
    if isinstance(exc, av.error.EOFError):
        return VideoFormatError(EMPTY_VIDEO, source=source)
    if isinstance(exc, av.error.InvalidDataError) or code in (errno.EINVAL, errno.ENOSYS):
        return VideoFormatError("not a video file paper2fa can read", source=source)
    if isinstance(exc, av.error.ExitError) or code == errno.ETIMEDOUT:
        return VideoFormatError(f"could not be opened as a video within {OPEN_TIMEOUT:.0f} s",
                                source=source)
    return VideoFormatError(f"cannot be read as a video: damaged or truncated ({_reason(exc)})",
                            source=source)


def _open_container(path: str, shown: str, kind: SourceKind, size: tuple[int, int]) -> Any:
    try:
        import av
    except ImportError:  # an install without it (it is a dependency; `doctor` lists it)
        raise CameraError("reading a camera or a video needs PyAV, which is not installed",
                          hint="install paper2fa again with its dependencies (./install.sh), "
                          "or scan the sheets instead") from None

    timeout = (OPEN_TIMEOUT, NO_PICTURE_TIMEOUT)
    if kind == "video":
        try:
            return av.open(path, "r", options={"protocol_whitelist": "file",
                                               "format_whitelist": VIDEO_FORMATS},
                           timeout=timeout)
        except av.error.FFmpegError as exc:
            raise open_error(exc, shown, kind) from None
    last: BaseException | None = None
    for pixel_format in CAMERA_FORMATS:
        options = {"video_size": f"{size[0]}x{size[1]}"}
        if pixel_format:
            options["input_format"] = pixel_format
        try:
            return av.open(path, "r", format="v4l2", options=options, timeout=timeout)
        except av.error.FFmpegError as exc:
            last = exc
            if _errno_of(exc) not in (errno.EINVAL, errno.EIO):
                break  # not a format problem: asking for another format will not help
    assert last is not None
    raise open_error(last, shown, kind) from None


def open_source(device: str = DEFAULT_DEVICE, *, realtime: bool = True,
                size: tuple[int, int] = CAMERA_SIZE,
                clock: Callable[[], float] = time.monotonic,
                sleep: Callable[[float], None] = time.sleep) -> FrameSource:
    """Open a camera device or a video file; see the module docstring.

    `realtime` only matters for a video file (a camera is always real time). `size` is asked
    of a camera. `clock` and `sleep` pace a video file played in real time.
    """
    path = os.path.abspath(device)  # an absolute path is never read as an FFmpeg protocol
    kind = _refuse_non_media(path, device)
    if kind == "video":
        fsio.note_input(path)  # a command's output never replaces the video it reads
    container = _open_container(path, device, kind, size)
    try:
        if not container.streams.video:
            raise VideoFormatError("there is no video in it", source=Source(file=device))
        stream = container.streams.video[0]
        width, height = stream.codec_context.width, stream.codec_context.height
        if width * height > MAX_FRAME_PIXELS:
            raise VideoFormatError(f"pictures of {width}x{height} are too large",
                                   source=Source(file=device))
        rate = stream.average_rate or stream.guessed_rate
        fps = float(rate) if rate else None
        stream.thread_type = "AUTO"
    except BaseException:
        container.close()
        raise
    return FrameSource(container, kind, device, width, height, fps,
                       realtime=realtime or kind == "camera", clock=clock, sleep=sleep)


# --- frames -------------------------------------------------------------------------------


def gray_image(frame: Any) -> Image.Image:
    """A decoded PyAV VideoFrame as a grayscale PIL image (the luma plane when there is one)."""
    if frame.format.name not in LUMA_FIRST_FORMATS:
        frame = frame.reformat(format="gray")
    plane = frame.planes[0]
    return Image.frombuffer("L", (frame.width, frame.height), bytes(plane), "raw", "L",
                            plane.line_size, 1)


_END = object()


class FrameSource:
    """Camera frames from an open camera or video file; iterate it once, close it after.

    `kind` is "camera" or "video"; `width`, `height` and `fps` are what the stream announces;
    `dropped` counts frames skipped because the consumer was busy, `damaged` packets that could
    not be decoded; `started` is the clock time at which the first frame was shown (for a video
    played in real time: moved later as decoding that falls behind plays it on slower, and
    earlier as a gap longer than MAX_FRAME_GAP is cut short).
    """

    def __init__(self, container: Any, kind: SourceKind, path: str, width: int, height: int,
                 fps: float | None, *, realtime: bool, clock: Callable[[], float],
                 sleep: Callable[[float], None]) -> None:
        self.kind: SourceKind = kind
        self.path = path
        self.width = width
        self.height = height
        self.fps = fps
        self.realtime = realtime
        self.dropped = 0
        self.damaged = 0
        self.started: float | None = None
        self._container = container
        self._clock = clock
        self._sleep = sleep
        self._items: deque[object] = deque()
        self._ready = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="paper2fa-camera", daemon=True)
        self._iterated = False

    @property
    def closed(self) -> bool:
        """Whether the consumer has stopped (close() was called or iteration ended)."""
        return self._stop.is_set()

    @property
    def decoding(self) -> bool:
        """Whether the decoder thread still runs."""
        return self._thread.is_alive()

    # the producer (background thread)

    def _decoded(self) -> Iterator[Any]:
        import av

        stream = self._container.streams.video[0]
        bad = 0
        for packet in self._container.demux(stream):
            if self._stop.is_set():
                return
            try:
                frames = packet.decode()
            except av.error.FFmpegError:
                bad += 1
                self.damaged += 1
                if bad >= MAX_BAD_PACKETS:
                    raise VideoFormatError(f"the video is damaged "
                                           f"({bad} pictures in a row cannot be decoded)",
                                           source=Source(file=self.path)) from None
                continue
            bad = 0
            yield from frames

    def _run(self) -> None:
        import av

        first: float | None = None
        late = 0
        period = 1 / self.fps if self.fps else 0.0
        previous_due: float | None = None
        try:
            for index, decoded in enumerate(self._decoded()):
                if decoded.width * decoded.height > MAX_FRAME_PIXELS:
                    raise VideoFormatError(f"pictures of {decoded.width}x"
                                           f"{decoded.height} are too large",
                                           source=Source(file=self.path))
                at = decoded.time
                if at is None:
                    at = index / (self.fps or 30.0)
                if first is None:
                    first = at
                    self.started = self._clock()
                if self.kind == "video" and self.realtime:
                    due = (self.started or 0.0) + at - first
                    if previous_due is not None and due - previous_due > MAX_FRAME_GAP:
                        self.started = (self.started or 0.0) - (due - previous_due
                                                                - MAX_FRAME_GAP)
                        due = previous_due + MAX_FRAME_GAP
                    previous_due = due
                    if self._clock() >= due + period:
                        if late < LATE_FRAMES_DROPPED * (self.fps or 30.0):
                            late += 1
                            self.dropped += 1  # a newer frame is already due: as a live camera
                            continue
                        # decoding itself cannot keep up: play on from this frame, slower (as
                        # a slow camera does), rather than drop every frame from here on
                        self.started = self._clock() - (at - first)
                    late = 0
                    self._wait_until(due)
                if not self._put(CameraFrame(gray_image(decoded), index, at - first)):
                    return
            if first is None and self.kind == "video" and not self._stop.is_set():
                raise VideoFormatError(EMPTY_VIDEO, source=Source(file=self.path))
        except Paper2faError as exc:
            self._put(exc)
        except av.error.FFmpegError as exc:
            if self.kind == "camera":
                self._put(open_error(exc, self.path, self.kind))
            else:
                self._put(VideoFormatError(f"the video cannot be decoded ({_reason(exc)})",
                                           source=Source(file=self.path)))
        except Exception as exc:  # a bug in a decoder thread must still reach the consumer
            self._put(exc)
        finally:
            self._put(_END)
            self._container.close()

    def _wait_until(self, when: float) -> None:
        while not self._stop.is_set():
            left = when - self._clock()
            if left <= 0:
                return
            self._sleep(min(left, 0.05))

    def _put(self, item: object) -> bool:
        """Hand an item over; False when the consumer has stopped."""
        with self._ready:
            if isinstance(item, CameraFrame):
                if self.realtime:
                    while self._items and isinstance(self._items[-1], CameraFrame):
                        self._items.pop()
                        self.dropped += 1
                else:
                    while len(self._items) >= QUEUE_FRAMES and not self._stop.is_set():
                        self._ready.wait(0.1)
            if self._stop.is_set():
                return False
            self._items.append(item)
            self._ready.notify_all()
            return True

    # the consumer

    def __iter__(self) -> Iterator[CameraFrame]:
        return self.frames()

    def frames(self) -> Iterator[CameraFrame]:
        """Every frame (or, in real time, the newest at each call) until the stream ends."""
        if self._iterated:
            raise RuntimeError("a FrameSource is iterated once")
        self._iterated = True
        self._thread.start()
        try:
            while True:
                item = self._take()
                if item is _END:
                    return
                if isinstance(item, BaseException):
                    raise item
                assert isinstance(item, CameraFrame)
                yield item
        finally:
            self.close()

    def _take(self) -> object:
        # a watchdog, not logic: the real clock even when a test paces playback with its own
        deadline = time.monotonic() + NO_PICTURE_TIMEOUT
        with self._ready:
            while not self._items:
                left = deadline - time.monotonic()
                if self.kind == "camera" and left <= 0:
                    raise CameraError(f"the camera sent no picture for "
                                      f"{NO_PICTURE_TIMEOUT:.0f} s", hint="unplug the camera, "
                                      "plug it in again and try again",
                                      source=Source(file=self.path))
                self._ready.wait(left if self.kind == "camera" else 1.0)
            item = self._items.popleft()
            self._ready.notify_all()
            return item

    def close(self) -> None:
        """Stop reading; the decoder thread closes the stream (a camera stuck in the driver is
        left to the process's exit)."""
        self._stop.set()
        with self._ready:
            self._ready.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout=2.0)
        elif not self._iterated:
            self._container.close()

    def __enter__(self) -> FrameSource:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
