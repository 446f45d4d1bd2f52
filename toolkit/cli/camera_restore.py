"""`paper2fa restore --camera`: the camera loop at the terminal.

It opens the camera (or a video file), reads its frames (toolkit.camera.watch: frames stay in
memory), adds every new QR text to the RecoveryState, and says on stderr what
toolkit.recovery.live says (a backup found, a share or vault codes read, what to show next) and
the camera's advice, in the words of templates/<lang>/camera.toml. It stops by itself as soon
as the drawer rules allow a restore, when a video file ends, or when the person presses Enter
(at a terminal); Ctrl-C ends it with nothing written (exit 130, like every command). The
restore then ends as `paper2fa restore` does.
"""

from __future__ import annotations

import argparse
import select
import sys
from collections.abc import Callable

from toolkit.camera import (
    DEFAULT_DEVICE,
    AdviceChanged,
    CodesRead,
    Ended,
    Opened,
    advice_text,
    open_source,
    watch,
)
from toolkit.cli.common import has_terminal
from toolkit.display import visible
from toolkit.recovery import RecoveryState, decision_lines
from toolkit.recovery.live import LiveProgress, Said
from toolkit.texts import DEFAULT_LANGUAGE, fill, load_texts

CAMERA_SOURCE = "camera"
"""How codes read by the camera are named in notes ("left out … (camera)")."""

Tell = Callable[[str], None]


def add_camera_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--camera", action="store_true",
                        help="read the sheets with a camera: hold them up one after the other; "
                        "it stops by itself once the backup can be restored (Enter stops "
                        "early); frames stay in memory")
    parser.add_argument("--camera-device", metavar="DEV", default=None,
                        help=f"the camera (default {DEFAULT_DEVICE}) or a video file of the "
                        "sheets; implies --camera")
    parser.add_argument("--camera-realtime", action="store_true",
                        help="play a video file at its own speed, dropping the frames that "
                        "decoding cannot keep up with, as a live camera does (to rehearse or "
                        "measure); by default every frame of a file is read")


def wants_camera(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "camera", False) or getattr(args, "camera_device", None))


def enter_pressed() -> bool:
    """Enter was pressed at the terminal (the line is taken); never blocks."""
    try:
        ready, _, _ = select.select([sys.stdin], [], [], 0)
    except (OSError, ValueError):
        return False
    if not ready:
        return False
    sys.stdin.readline()
    return True


class CameraTalk:
    """The words said during a camera restore, in one language."""

    def __init__(self, lang: str, tell: Tell) -> None:
        self.texts = load_texts("camera", lang)
        self.lang = lang
        self.tell: Tell = lambda message: tell(visible(message))  # paths and names from outside

    def say(self, table: str, key: str, **values: object) -> None:
        self.tell(fill(self.texts[table][key], **values))

    def said(self, items: list[Said]) -> None:
        for item in items:
            self.say("progress", item.key, **item.values)


def _summary(talk: CameraTalk, progress: LiveProgress) -> None:
    """What was read of each backup, when the camera stops before a restore is possible (the
    refusal that follows lists them itself when there are several)."""
    decision = progress.decision
    if decision is None or not decision.backups:
        talk.say("progress", "nothing_read")
    elif not decision_lines(decision):
        for backup in decision.backups:
            talk.tell(f"  {backup.summary(talk.lang)}")


def read_with_camera(state: RecoveryState, args: argparse.Namespace, tell: Tell,
                     stop_early: Callable[[], bool] | None = None) -> None:
    """Feed `state` from the camera until the backup can be restored, the video ends, or the
    person stops (see the module docstring). Camera errors are raised as they are (exit 3/11)."""
    talk = CameraTalk(getattr(args, "lang", None) or DEFAULT_LANGUAGE, tell)
    progress = LiveProgress(state, args.choice, talk.lang)
    talk.said(progress.update() if state.anything_read else [])
    if progress.done:
        return
    if stop_early is None:
        stop_early = enter_pressed if has_terminal() else (lambda: False)
    source = open_source(args.camera_device or DEFAULT_DEVICE,
                         realtime=bool(getattr(args, "camera_realtime", False)))
    events = watch(source)
    try:
        for event in events:
            if isinstance(event, Opened):
                key = "opened_camera" if event.kind == "camera" else "opened_video"
                talk.say("status", key, path=event.path, width=event.width,
                         height=event.height)
                talk.say("progress", "keys")
            elif isinstance(event, CodesRead):
                for code in event.codes:
                    state.add_qr_text(code.text, CAMERA_SOURCE)
                talk.said(progress.update())
                if progress.done:
                    return
            elif isinstance(event, AdviceChanged):
                talk.tell(advice_text(event.advice, "camera", talk.lang))
            elif isinstance(event, Ended):
                talk.say("status", "video_ended", frames=event.frames)
                _summary(talk, progress)
                return
            if stop_early():
                talk.say("progress", "stopped")
                _summary(talk, progress)
                return
    finally:
        events.close()  # stops the decoding threads and closes the camera
