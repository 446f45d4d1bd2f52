"""Make the boot self-test's camera video: a home-safe backup filmed by a simulated webcam.

    .venv/bin/python bootable/make-selftest-video.py DIR

writes DIR/camera-home-safe.mp4 (1280x720, 5 frames per second, H.264) and
DIR/camera-home-safe.fingerprint (the vault fingerprint a restore of it must print). The
video comes from the test videos' own machinery (tests/camera_videos.py: real sheets rendered,
rasterized and filmed), so this needs the repository's test environment (./install.sh --test).
The shots: the empty desk, then the home-safe backup's page of vault frames in two halves, each
held for 3 s with a slight tremor, so that the frames read on an emulated machine too. The video
is the same byte for byte each time it is made (its only randomness is seeded).
bootable/build.sh puts both files in the image (/usr/local/share/paper2fa/selftest/), where
selftest.sh runs `paper2fa restore --camera --camera-device` on the video and compares the
fingerprint.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import camera_videos as V  # noqa: E402

NAME = "live-selftest"
SIZE = (1280, 720)
FPS = 5.0


def _shots() -> tuple[V.Shot, ...]:
    frames_page = "home page 5"  # the page of vault frames (make_video checks it has codes)
    return (
        V.Shot(None, 0.5),
        V.Shot(frames_page, 3.0, V.View(V.TOP), shake=0.5, needed=True),
        V.Shot(None, 0.3),
        V.Shot(frames_page, 3.0, V.View(V.BOTTOM), shake=0.5, needed=True),
    )


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    V.SCRIPTS.setdefault(NAME, V.Script(NAME, V.home_safe_sheets, _shots(), "boot self-test"))
    video = V.make_video(NAME, SIZE, FPS)
    shutil.copyfile(video.path, out / "camera-home-safe.mp4")
    (out / "camera-home-safe.fingerprint").write_text(video.vault.fingerprint + "\n")
    size = (out / "camera-home-safe.mp4").stat().st_size
    print(f"make-selftest-video: {out}/camera-home-safe.mp4: {video.seconds:.1f} s, "
          f"{size} bytes, vault fingerprint {video.vault.fingerprint}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
