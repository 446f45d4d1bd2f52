"""Reading QR codes from a webcam or a video file, with advice for the person holding the sheet.

The face of the package (what the CLI and the tests use):

- `open_source(device=DEFAULT_DEVICE, realtime=True)` -> `FrameSource` (source.py): grayscale
  `CameraFrame`s from a V4L2 camera or a video file, in memory only. Errors: `CameraError` and
  its subclasses (exit 3), `VideoFormatError` (exit 11), all in toolkit/errors.py.
- `read_frame(image)` -> `FrameScan` (reader.py): every QR code in one frame, zooming where
  codes are seen but not read; how the frame looks.
- `watch(source)` (session.py): the loop as a generator of `CameraEvent`s (`Opened`,
  `FrameRead`, `CodesRead`, `CombinedRead`, `AdviceChanged`, `Ended`); the caller stops when
  it has enough. The frames of a page held up that are hard to read are combined
  (stack.py: aligned and averaged) and read again.
- `Advice`, `advise`, `photo_advice`, `advice_text` (guidance.py): what to tell the person, for
  the camera and for phone photos, in words from templates/<lang>/camera.toml.

Measurements and the choice of PyAV: docs/camera.md.
"""

from toolkit.camera.guidance import Advice, advice_text, advise, frame_problem, photo_advice
from toolkit.camera.reader import FrameLook, FrameScan, read_frame
from toolkit.camera.session import (
    AdviceChanged,
    CameraEvent,
    CodesRead,
    CombinedRead,
    Ended,
    FrameRead,
    Opened,
    watch,
)
from toolkit.camera.source import DEFAULT_DEVICE, CameraFrame, FrameSource, open_source

__all__ = [
    "DEFAULT_DEVICE",
    "Advice",
    "AdviceChanged",
    "CameraEvent",
    "CameraFrame",
    "CodesRead",
    "CombinedRead",
    "Ended",
    "FrameLook",
    "FrameRead",
    "FrameScan",
    "FrameSource",
    "Opened",
    "advice_text",
    "advise",
    "frame_problem",
    "open_source",
    "photo_advice",
    "read_frame",
    "watch",
]
