"""The offline live image's configuration (bootable/live-build/), checked without building it:
its log-in message comes from the first screen's texts, tty1 opens the first screen, the webcam
driver survives the deletion of the network drivers, the live user can open a camera, and the
boot self-test restores from a camera video whose expected fingerprint is right.

Building and booting the image itself is done by hand (bootable/README.md)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.texts import DEFAULT_LANGUAGE, languages, load_texts

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "bootable" / "live-build" / "config"
INCLUDES = CONFIG / "includes.chroot_after_packages"
HOOKS = CONFIG / "hooks" / "normal"
GREETING = INCLUDES / "usr" / "local" / "lib" / "paper2fa" / "greeting.py"
FIRST_SCREEN = INCLUDES / "etc" / "profile.d" / "paper2fa-first-screen.sh"
SELFTEST = INCLUDES / "usr" / "local" / "lib" / "paper2fa" / "selftest.sh"


def _words(text: str) -> str:
    return " ".join(text.split())


def test_greeting_is_the_first_screens_texts_in_every_language() -> None:
    made = subprocess.run([sys.executable, str(GREETING)], capture_output=True, text=True,
                          check=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    motd = made.stdout
    assert all(len(line) <= 78 for line in motd.splitlines())
    # one 80x25 console, with room for the log-in lines around it (issue 19: it was 27 lines)
    assert len(motd.splitlines()) <= 19
    blocks = motd.strip("\n").split("\n\n")
    assert len(blocks) == len(languages()) >= 4
    english = load_texts("menu", DEFAULT_LANGUAGE)
    assert _words(blocks[0]) == _words(" ".join([english["title"], english["greeting_live"],
                                                 *english["greeting"],
                                                 english["greeting_next"]]))
    for code in languages():
        texts = load_texts("menu", code)
        block = next(b for b in blocks if _words(texts["greeting_live"]) in _words(b))
        assert _words(block).endswith(_words(texts["greeting_next"]))
        assert "  paper2fa  " in texts["greeting_next"] and "  paper2fa  " in block


def test_no_hand_written_greeting_is_left_in_the_image() -> None:
    assert not (INCLUDES / "etc" / "motd").exists()
    hook = (HOOKS / "8600-paper2fa-greeting.hook.chroot").read_text()
    assert "/opt/paper2fa/bin/python /usr/local/lib/paper2fa/greeting.py" in hook
    assert os.access(HOOKS / "8600-paper2fa-greeting.hook.chroot", os.X_OK)
    # after the hook that installs paper2fa, which greeting.py imports
    assert sorted(p.name for p in HOOKS.iterdir())[:2] == [
        "8500-paper2fa-install.hook.chroot", "8600-paper2fa-greeting.hook.chroot"]


def _login(tmp_path: Path, tty: str, *, interactive: bool,
           environ: dict[str, str] | None = None) -> bool:
    """Source the profile.d script as a login shell on `tty` would; True if it opened the first
    screen (a stand-in `paper2fa` records that it ran)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    ran = tmp_path / "ran"
    ran.unlink(missing_ok=True)
    (bin_dir / "tty").write_text(f"#!/bin/sh\necho {tty}\n")
    (bin_dir / "paper2fa").write_text(f'#!/bin/sh\necho "$#" >> {ran}\n')
    for tool in ("tty", "paper2fa"):
        (bin_dir / tool).chmod(0o755)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path), **(environ or {})}
    shell = ["sh", "-i"] if interactive else ["sh"]
    subprocess.run([*shell, "-c", f". {FIRST_SCREEN}; . {FIRST_SCREEN}"], env=env,
                   stdin=subprocess.DEVNULL, capture_output=True, check=True, timeout=600)
    if not ran.exists():
        return False
    assert ran.read_text() == "0\n"  # once, with no arguments: the first screen
    return True


def test_first_screen_opens_once_on_tty1_only(tmp_path: Path) -> None:
    assert _login(tmp_path, "/dev/tty1", interactive=True)
    assert not _login(tmp_path, "/dev/tty2", interactive=True)
    assert not _login(tmp_path, "/dev/tty1", interactive=False)
    assert not _login(tmp_path, "/dev/tty1", interactive=True,
                      environ={"PAPER2FA_FIRST_SCREEN": "shown"})


def test_the_webcam_driver_is_kept_and_checked() -> None:
    hook = (HOOKS / "9000-paper2fa-offline.hook.chroot").read_text()
    removed = re.search(r"rm -rf ((?:\"\$k/[^\"]+\"\s*\\?\s*)+)", hook)
    assert removed is not None
    paths = re.findall(r"\"\$k/([^\"]+)\"", removed.group(1))
    assert "drivers/net" in paths and "net/bluetooth" in paths
    for kept in ("drivers/media/usb/uvc", "drivers/media/v4l2-core",
                 "drivers/media/common/videobuf2", "drivers/media/mc", "drivers/usb"):
        assert not any(kept == p or kept.startswith(p + "/") for p in paths), kept
    assert "--show-depends uvcvideo" in hook and "exit 1" in hook
    blocked = (INCLUDES / "etc" / "modprobe.d" / "paper2fa-no-network.conf").read_text()
    assert not re.search(r"uvcvideo|videodev|videobuf2|\bmc\b", blocked)
    assert "uvcvideo.ko" in (ROOT / "bootable" / "build.sh").read_text()


def test_the_live_user_exists_and_may_use_the_camera() -> None:
    packages = (CONFIG / "package-lists" / "paper2fa.list.chroot").read_text().split("\n")
    assert "user-setup" in packages  # live-config creates the user only through it
    bootappend = (ROOT / "bootable" / "live-build" / "auto" / "config").read_text()
    assert "username=user" in bootappend
    assert "user-default-groups" not in bootappend  # live-config's default list has video
    assert "grep -qx video" in SELFTEST.read_text()


def test_selftest_runs_the_camera_restore_command() -> None:
    script = SELFTEST.read_text()
    assert ('paper2fa restore --camera --camera-device "$video" -o "$work/camera-vault.json"'
            in script)
    assert 'grep -Fq "vault fingerprint: $expected"' in script
    assert "modprobe uvcvideo" in script and "paper2fa doctor" in script
    assert 'say "camera restore FAILED' in script and "fail=1" in script
    result = subprocess.run(["sh", "-n", str(SELFTEST)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_selftest_video_restores_to_its_recorded_fingerprint(tmp_path: Path) -> None:
    """The video and fingerprint build.sh puts in the image: read back through the camera
    package (every frame, as from a file), the frames give a vault with that fingerprint."""
    from toolkit import frames
    from toolkit.camera import CodesRead, open_source, watch
    from toolkit.model import vault_from_paper

    made = subprocess.run([sys.executable, str(ROOT / "bootable" / "make-selftest-video.py"),
                           str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stdout + made.stderr
    video = tmp_path / "camera-home-safe.mp4"
    expected = (tmp_path / "camera-home-safe.fingerprint").read_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){3}", expected)
    assert video.stat().st_size < 8 * 1024 * 1024  # it goes into the image
    read = {code.text for event in watch(open_source(str(video), realtime=False))
            if isinstance(event, CodesRead) for code in event.codes}
    vault = vault_from_paper(frames.decode_frames(
        [t for t in read if t.startswith(frames.FRAME_PREFIX)]))
    assert vault.fingerprint == expected and len(vault) == 6
