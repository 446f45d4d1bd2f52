"""Camera benchmark (run on demand; not collected by pytest): how fast camera frames are read,
and how soon after the last needed sheet is shown every code a restore needs has been read.

1. Capture: frames per second the capture library alone decodes to grayscale images (PyAV's
   luma plane; OpenCV too when it is installed, for comparison), per size.
2. Throughput: frames per second `toolkit.camera.watch` reads (decoding the video and every QR
   code in every frame, 2 worker threads) on the sheet-by-sheet video of a 40-account 3-of-5
   split (tests/camera_videos.py), at 640x480, 1280x720 and 1920x1080.
3. Latency: the same video played at its real frame rate (30 fps; frames dropped when reading
   falls behind, as with a live camera): seconds from the moment the last needed page is in
   view to the moment the QR texts read hold 3 shares and enough frames to decode the sealed
   vault.
4. Restore: the whole `paper2fa restore --camera --camera-device VIDEO --camera-realtime -o F`
   (the command a person runs, passphrase-free): seconds from the moment the last needed page
   is in view to the moment the command has written the vault and ended, counted from the
   command's start, so its start-up time (about 0.7 s) is counted too (an upper bound). The
   vault written is checked against the one the sheets were made from.

5. Conditions (issue 20), with `--conditions`: restores of the same three sheets (the frames
   page in halves, then page 1 of sheets 3 and 5) held steadily, in a dim room, with shaking
   hands (also at a fifth of a webcam's bitrate), and as whole pages (tests/camera_videos.py
   `restore-*`): per condition and size,
   frames per second read with frames combined and without, how many frames were combined,
   and whether `paper2fa restore --camera --camera-realtime` restores the exact vault and
   how many seconds after the last needed page came into view.

6. Variants (issue 20's margin), with `--variants N`: the dim-room and shaking-hands test
   videos and N other draws of each (the same shots under another name, the seed: other
   noise, tremor, sway and encoding), read by `watch`: per half page the codes read of those
   needed, misreads, combinations and CPU seconds per combination (docs/camera.md). With
   `--varied` the draws of other scripts, e.g. the 30 frames per second restores.

    .venv/bin/python tests/benchmarks/camera.py --sizes 640x480,1280x720,1920x1080 --trials 3
    .venv/bin/python tests/benchmarks/camera.py --sizes 1280x720 --trials 1 --skip-latency \
        --conditions steady,dim-room,shaking-hands
    .venv/bin/python tests/benchmarks/camera.py --sizes 1280x720 --fps 10 --variants 5
    .venv/bin/python tests/benchmarks/camera.py --sizes 1280x720 --fps 30 --variants 5 \
        --varied restore-dim-room,restore-shaking-hands
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the other benchmarks
sys.path.insert(0, str(HERE.parent))  # tests/, for camera_videos.py
sys.path.insert(0, str(HERE.parents[1]))  # the repository, for toolkit

import av  # noqa: E402
import camera_videos as V  # noqa: E402
import restore as restore_benchmark  # noqa: E402  (tests/benchmarks/restore.py)

from toolkit import frames  # noqa: E402
from toolkit.camera import CodesRead, CombinedRead, FrameRead, open_source, watch  # noqa: E402
from toolkit.camera.source import gray_image  # noqa: E402
from toolkit.errors import Paper2faError  # noqa: E402
from toolkit.model import vault_from_json  # noqa: E402

SHEETS = (1, 3, 5)
"""The sheets the sheet-by-sheet video shows (tests/camera_videos.py)."""


def capture_fps(path: Path) -> dict[str, float]:
    """Frames per second decoded to grayscale PIL images by PyAV and (if installed) OpenCV."""
    out = {}
    start = time.perf_counter()
    count = 0
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for decoded in container.decode(stream):
            gray_image(decoded)
            count += 1
    out["PyAV"] = count / (time.perf_counter() - start)
    try:
        import cv2  # type: ignore[import-not-found]
        from PIL import Image
    except ImportError:
        return out
    start = time.perf_counter()
    count = 0
    capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    while True:
        ok, picture = capture.read()
        if not ok:
            break
        Image.fromarray(cv2.cvtColor(picture, cv2.COLOR_BGR2GRAY))
        count += 1
    out["OpenCV"] = count / (time.perf_counter() - start)
    return out


def cpu_fps(video: V.Video, workers: int, combining: bool = True) -> float:
    """Frames per second watch() would read on `workers` idle cores, from the CPU time it
    takes (decoding the video included): comparable between runs on a loaded machine."""
    start = time.process_time()
    count = sum(isinstance(e, FrameRead) for e in watch(
        open_source(str(video.path), realtime=False), workers=workers, combining=combining))
    return count / ((time.process_time() - start) / workers)


def throughput(video: V.Video, workers: int, combining: bool = True) -> tuple[float, float, int]:
    """Frames per second read by watch() (every frame), mean seconds per frame, frames
    combined (every combination counted)."""
    start = time.perf_counter()
    count = 0
    combined = 0
    busy = 0.0
    for event in watch(open_source(str(video.path), realtime=False), workers=workers,
                       combining=combining):
        if isinstance(event, FrameRead):
            count += 1
            busy += event.scan.seconds
        elif isinstance(event, CombinedRead):
            combined += 1
            busy += event.scan.seconds
    return count / (time.perf_counter() - start), busy / max(1, count), combined


def enough(texts: set[str], video: V.Video) -> bool:
    """Whether the texts hold 3 shares of the sheets shown and the whole sealed vault."""
    if sum(video.shares[n] in texts for n in SHEETS) < 3:
        return False
    try:
        return frames.decode_frames([t for t in texts if t.startswith(frames.FRAME_PREFIX)]) \
            == video.sealed
    except Paper2faError:
        return False


def latency(video: V.Video, workers: int) -> tuple[float | None, int, int]:
    """Seconds from the last needed page in view to everything read, frames read, dropped."""
    source = open_source(str(video.path), realtime=True)
    texts: set[str] = set()
    done: float | None = None
    count = 0
    for event in watch(source, workers=workers):
        if isinstance(event, FrameRead):
            count += 1
        if isinstance(event, CodesRead):
            texts.update(c.text for c in event.codes)
            if enough(texts, video):
                done = event.wall - ((source.started or 0.0) + video.last_needed_at)
                break
    return done, count, source.dropped


def restore_latency(video: V.Video) -> float | None:
    """Seconds from the last needed page in view to `paper2fa restore --camera` ended with the
    exact vault written (None if it did not restore exactly)."""
    seconds, _ = restore_run(video)
    return seconds


def restore_run(video: V.Video) -> tuple[float | None, str]:
    """`restore_latency`, and how it ended: "restored", or the exit code of a failure and
    whether it was clean (nothing written); a wrong vault written is "WRONG VAULT"."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "vault.json"
        start = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "toolkit", "restore", "--allow-online", "--camera-realtime",
             "--camera-device", str(video.path), "-o", str(out)],
            capture_output=True, text=True, cwd=HERE.parents[1], check=False)
        end = time.monotonic()
        if result.returncode != 0:
            clean = "clean" if not out.exists() and "Traceback" not in result.stderr \
                else "NOT CLEAN"
            return None, f"exit {result.returncode}, {clean}"
        if vault_from_json(out.read_bytes()) != video.vault:
            return None, "WRONG VAULT"
    return end - start - video.last_needed_at, "restored"


CONDITIONS = ("steady", "dim-room", "shaking-hands", "whole-pages", "shaking-hands-crf28")
"""The restore videos of tests/camera_videos.py (`restore-<condition>`): at a webcam's bitrate
(3 Mbit/s at 720p and 30 frames per second), and shaking hands at H.264 CRF 28 (0.6 Mbit/s)."""


def conditions(names: list[str], sizes: list[tuple[int, int]], fps: float, trials: int,
               workers: int) -> None:
    """Item 5 of the module docstring, printed as a table."""
    rows = []
    for name in names:
        for size in sizes:
            video = V.make_video(f"restore-{name}", size, fps)
            on = throughput(video, workers)
            off = throughput(video, workers, combining=False)
            cpu = (cpu_fps(video, workers), cpu_fps(video, workers, combining=False))
            restores = [restore_run(video) for _ in range(trials)]
            load = os.getloadavg()[0]
            rows.append((name, size, on, off, cpu, restores, load))
            print(f"{name} {size[0]}x{size[1]}: read {on[0]:.1f} fps combining ({on[2]} "
                  f"combinations), {off[0]:.1f} fps frame by frame, on idle cores {cpu[0]:.0f} "
                  f"and {cpu[1]:.0f}, restore {restores}, load {load:.1f}", flush=True)
    print(f"\n| condition | frame size | read, fps (combining / frame by frame) | on {workers} "
          "idle cores, from CPU time (combining / frame by frame) | combinations | vault "
          "written after the last needed page, s (trials) | load |")
    print("|---|---|---|---|---:|---|---:|")
    for name, size, on, off, cpu, restores, load in rows:
        written = ", ".join(how if r is None else f"{r:.1f}" for r, how in restores)
        print(f"| {name} | {size[0]}x{size[1]} | {on[0]:.1f} / {off[0]:.1f} | {cpu[0]:.0f} / "
              f"{cpu[1]:.0f} | {on[2]} | {written} | {load:.1f} |")


def machine() -> str:
    return (f"{restore_benchmark.machine()}, PyAV {av.__version__} (FFmpeg "
            f"{av.ffmpeg_version_info}), load {os.getloadavg()[0]:.1f}")


VARIED = ("dim-room", "shaking-hands")
"""The test videos whose variants `--variants` reads (issue 20's two hard conditions)."""


def variant(base: str, number: int) -> str:
    """The script `base` drawn again: the same shots under another name, which is the seed of
    its noise, tremor and sway (tests/camera_videos.py `seed_of`), so another draw. Variant 0
    is the test video itself; the others are registered here, not in camera_videos.SCRIPTS'
    source (their videos are made in a temporary folder)."""
    if number == 0:
        return base
    name = f"{base}-seed{number}"
    if name not in V.SCRIPTS:
        V.SCRIPTS[name] = dataclasses.replace(V.SCRIPTS[base], name=name)
    return name


def halves_read(video: V.Video, read: set[str]) -> list[tuple[int, int]]:
    """(codes read, codes needed) of each needed shot (half page) of `video`."""
    out = []
    for shot in video.shots:
        if shot.needed and shot.page:
            left, top, right, bottom = (shot.end or shot.start).part
            need = {c.text for c in video.codes[shot.page] if c.box[0] >= left
                    and c.box[1] >= top and c.box[2] <= right and c.box[3] <= bottom}
            out.append((len(need & read), len(need)))
    return out


def variants(count: int, sizes: list[tuple[int, int]], fps: float,
             bases: tuple[str, ...] = VARIED) -> None:
    """Variants 0..count of each script of `bases` (VARIED unless told), read by `watch` as
    fast as they decode: per needed half page the codes read of those needed, codes read that
    were not drawn, the combinations and the seconds each took in its worker (clock time: on a
    loaded machine more than its CPU time)."""
    print("| video | size | halves read | all | misread | combinations | s per combination "
          "| CPU s |")
    print("|---|---|---|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for base in bases:
            for number in range(count + 1):
                name = variant(base, number)
                for size in sizes:
                    video = V.make_video(name, size, fps, folder=Path(folder))
                    start = time.process_time()
                    events = list(watch(open_source(str(video.path), realtime=False)))
                    cpu = time.process_time() - start
                    read = {c.text for e in events if isinstance(e, CodesRead) for c in e.codes}
                    combined = [e for e in events if isinstance(e, CombinedRead)]
                    each = sum(e.scan.seconds for e in combined) / max(1, len(combined))
                    halves = " ".join(f"{r}/{n}" for r, n in halves_read(video, read))
                    print(f"| {name} | {size[0]}x{size[1]} | {halves} | "
                          f"{'yes' if video.needed <= read else 'no'} | "
                          f"{len(read - video.drawn)} | {len(combined)} | {each:.2f} | "
                          f"{cpu:.1f} |", flush=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="640x480,1280x720,1920x1080")
    p.add_argument("--trials", type=int, default=3)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--fps", type=float, default=30.0, help="frame rate of the videos")
    p.add_argument("--skip-latency", action="store_true")
    p.add_argument("--conditions", default="",
                   help=f"only these restore conditions (of {', '.join(CONDITIONS)})")
    p.add_argument("--variants", type=int, default=0,
                   help=f"read this many other draws of {' and '.join(VARIED)} (and the test "
                   "videos) at --fps")
    p.add_argument("--varied", default=",".join(VARIED),
                   help="the scripts whose draws --variants reads (tests/camera_videos.py "
                   "names, e.g. restore-dim-room,restore-shaking-hands at --fps 30)")
    args = p.parse_args(argv)
    sizes = [V.SIZES[s] for s in args.sizes.split(",")]
    print(f"machine: {machine()}\n", flush=True)
    if args.variants:
        unknown = [n for n in args.varied.split(",") if n not in V.SCRIPTS]
        if unknown:
            p.error(f"unknown scripts {unknown}; known: {', '.join(V.SCRIPTS)}")
        variants(args.variants, sizes, args.fps, tuple(args.varied.split(",")))
        return 0
    if args.conditions:
        conditions(args.conditions.split(","), sizes, args.fps, args.trials, args.workers)
        return 0
    rows = []
    for size in sizes:
        video = V.make_video("split-sheet-by-sheet", size, args.fps)
        capture = capture_fps(video.path)
        best = max(throughput(video, args.workers) for _ in range(args.trials))
        waits = []
        restores: list[float | None] = []
        if not args.skip_latency:
            waits = [latency(video, args.workers) for _ in range(args.trials)]
            restores = [restore_latency(video) for _ in range(args.trials)]
        rows.append((size, capture, best, waits, restores))
        print(f"{size[0]}x{size[1]}: capture {capture}, read {best[0]:.1f} fps "
              f"({best[1] * 1000:.0f} ms per frame per worker), latency {waits}, "
              f"restore {restores}", flush=True)
    print("\n| frame size | capture (PyAV), fps | capture (OpenCV), fps | read with "
          f"{args.workers} workers, fps | ms per frame | seconds to all codes after the last "
          "needed page (trials) | frames read / dropped in real time | seconds to the vault "
          "written by `restore --camera` (trials) |")
    print("|---|---:|---:|---:|---:|---|---|---|")
    for size, capture, best, waits, restores in rows:
        opencv = f"{capture['OpenCV']:.0f}" if "OpenCV" in capture else "-"
        shown = ", ".join("not all" if w is None else f"{w:.1f}" for w, _, _ in waits) or "-"
        counts = ", ".join(f"{c}/{d}" for _, c, d in waits) or "-"
        written = ", ".join("failed" if r is None else f"{r:.1f}" for r in restores) or "-"
        print(f"| {size[0]}x{size[1]} | {capture['PyAV']:.0f} | {opencv} | {best[0]:.1f} "
              f"| {best[1] * 1000:.0f} | {shown} | {counts} | {written} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
