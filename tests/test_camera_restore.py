"""`paper2fa restore --camera`: videos of real sheets (tests/camera_videos.py) given as the
camera, through the real command line: exact restores, what it says while reading, that it
stops as soon as the drawer rules allow a restore, Enter and Ctrl-C, camera errors, and the
first screen's camera restore through a pseudo-terminal."""

from __future__ import annotations

import random
import stat
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import camera_videos as V
import pytest
from terminal import run_in_pty

from toolkit import envelope, frames, sharing
from toolkit.cli.menu import camera_device
from toolkit.model import Account, Vault, vault_from_json
from toolkit.recovery import RecoveryState, group
from toolkit.recovery.live import LiveProgress

END_OF_VIDEO = "End of the video"
COMPLETE = "can be restored (vault fingerprint"


def _words_file(tmp_path: Path, video: V.Video, sheets: tuple[int, ...]) -> Path:
    path = tmp_path / "shares.txt"
    path.write_text("".join(f"{video.shares[n]}\n" for n in sheets))
    return path


def _restored(path: Path) -> Vault:
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    return vault_from_json(path.read_bytes())


def test_the_camera_completes_a_set_with_typed_shares_and_stops_at_once(
        cli: Any, tmp_path: Path) -> None:
    """Shares 1 and 3 typed in a file, then the camera shows sheet 2's page of vault codes: the
    restore is exact, and the camera stops before the video ends."""
    video = V.make_video("quick")
    out = tmp_path / "vault.json"
    result = cli("restore", "--camera-device", video.path, "--words-file",
                 _words_file(tmp_path, video, (1, 3)), "-o", out)
    assert result.code == 0, result.err
    assert _restored(out) == video.vault
    lines = result.err.splitlines()
    assert "Found set " in result.err and "2 of 3 shares read." in result.err
    # before the camera, it says what to show: another sheet, all of it (no vault code yet)
    assert any(line.startswith("Now show another sheet of set") for line in lines)
    assert "3 of 3 shares read." in result.err and COMPLETE in result.err
    assert END_OF_VIDEO not in result.err  # stopped as soon as it could
    assert "restored 10 accounts" in result.out


def test_the_camera_is_not_opened_when_the_files_are_enough(cli: Any, tmp_path: Path) -> None:
    video = V.make_video("quick")
    sealed = tmp_path / "vault.p2fa"
    assert video.sealed is not None
    sealed.write_bytes(video.sealed)
    out = tmp_path / "vault.json"
    result = cli("restore", sealed, "--words-file", _words_file(tmp_path, video, (1, 2, 3)),
                 "--camera-device", tmp_path / "no-camera", "-o", out)
    assert result.code == 0, result.err
    assert _restored(out) == video.vault and COMPLETE in result.err


def test_a_video_that_ends_before_the_set_is_complete_says_what_is_missing(
        cli: Any, tmp_path: Path) -> None:
    video = V.make_video("quick")
    out = tmp_path / "vault.json"
    result = cli("restore", "--camera-device", video.path, "-o", out)
    assert result.code == 7, result.err
    assert END_OF_VIDEO in result.err
    assert "1 of 3 shares read." in result.err
    assert "Now show any page of another sheet of set" in result.err
    assert "need 2 more shares: you have share 2 of set" in result.err
    assert not out.exists()


@pytest.mark.slow
def test_three_sheets_shown_one_after_another_restore_exactly(cli: Any, tmp_path: Path) -> None:
    """The 40-account 3-of-5 split shown sheet by sheet, half a page at a time, moved, tilted,
    out of focus for a moment: shares counted up one by one, then it stops by itself."""
    video = V.make_video("split-sheet-by-sheet")
    out = tmp_path / "vault.json"
    result = cli("restore", "--camera", "--camera-device", video.path, "-o", out)
    assert result.code == 0, result.err
    assert _restored(out) == video.vault
    said = result.err
    order = [said.index(f"{n} of 3 shares read.") for n in (1, 2, 3)]
    assert order == sorted(order) and said.index(COMPLETE) > order[-1]
    assert "all the codes of the vault that are needed are read." in said
    assert END_OF_VIDEO not in said


@pytest.mark.slow
def test_a_home_safe_backup_from_the_camera(cli: Any, tmp_path: Path) -> None:
    video = V.make_video("home-safe")
    out = tmp_path / "vault.json"
    result = cli("restore", "--camera-device", video.path, "-o", out)
    assert result.code == 0, result.err
    assert _restored(out) == video.vault
    assert "Found home-safe backup" in result.err or "Found printout" in result.err


@pytest.mark.slow
def test_played_in_real_time_it_finishes_soon_after_the_last_page_is_shown(
        cli: Any, tmp_path: Path) -> None:
    """The video played at its own frame rate (frames dropped when reading falls behind): the
    command ends with the vault written well before the video would end. The 5-second goal is
    measured by tests/benchmarks/camera.py, not here (this machine may be busy)."""
    video = V.make_video("split-sheet-by-sheet")
    out = tmp_path / "vault.json"
    result = cli("restore", "--camera-device", video.path, "--camera-realtime", "-o", out)
    assert result.code == 0, result.err
    assert _restored(out) == video.vault and END_OF_VIDEO not in result.err


@pytest.mark.parametrize("lang, words", [("de", "Gefunden: Set"),
                                         ("fr", "Sauvegarde trouvée\u00a0: jeu"),
                                         ("es", "Se ha encontrado juego")])
def test_what_the_camera_says_is_in_the_language_asked(cli: Any, tmp_path: Path, lang: str,
                                                       words: str) -> None:
    video = V.make_video("quick")
    result = cli("restore", "--camera-device", video.path, "--lang", lang,
                 "--words-file", _words_file(tmp_path, video, (4, 5)), "-o", tmp_path / "v.json")
    assert result.code == 0, result.err
    assert words in result.err


def test_camera_errors_are_one_line_with_a_documented_code(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "vault.json"
    missing = cli("restore", "--camera-device", tmp_path / "video9", "-o", out)
    assert missing.code == 3 and "Traceback" not in missing.err
    not_video = tmp_path / "notes.mp4"
    not_video.write_text("these are not moving pictures\n" * 50)
    refused = cli("restore", "--camera-device", not_video, "-o", out)
    assert refused.code == 11, refused.err
    folder = cli("restore", "--camera-device", tmp_path, "-o", out)
    assert folder.code == 3, folder.err
    both = cli("restore", "--camera", "--words", "-o", out)
    assert both.code == 2 and "--words-file" in both.err
    assert not out.exists()


def _split(seed: int, generation: int = 1, vault_seed: int | None = None) -> sharing.SplitResult:
    rng = random.Random(seed)
    secret = random.Random(seed if vault_seed is None else vault_seed).randbytes(20)
    vault = Vault((Account(issuer="Site", name="me", secret=secret),))
    return sharing.make_split(vault, 2, 3, (), "pyshamir", None,
                              kdf=envelope.KDF_PROFILES["test"], rng=rng.randbytes,
                              generation=generation)


def _feed(state: RecoveryState, result: sharing.SplitResult, sheets: tuple[int, ...]) -> None:
    sealed = result.sealed_bytes
    for frame in frames.encode_frames(sealed, "sealed", frames.doc_id_for(sealed)):
        state.add_qr_text(frame.text, "camera")
    for number in sheets:
        state.add_qr_text(result.shares[number - 1].qr_text(), "camera")


def test_the_camera_applies_the_drawer_rules_to_what_it_has_seen() -> None:
    """A complete old generation does not stop the camera while a newer one (of the vault as
    it is now) is incomplete: it says why and what the newer one lacks. Once both are complete
    it asks for a choice (two vaults), and `--set` makes it stop."""
    state = RecoveryState()
    progress = LiveProgress(state)
    old = _split(1, generation=1)
    _feed(state, old, (1, 2))
    said = progress.update()
    assert progress.done and said[-1].key == "complete"
    state = RecoveryState()
    progress = LiveProgress(state)
    _feed(state, old, (1, 2))
    new = _split(2, generation=2, vault_seed=9)
    _feed(state, new, (1,))
    said = progress.update()
    assert not progress.done
    keys = [s.key for s in said]
    assert "choose_newer" in keys and keys[-1] == "next_sheet"
    assert progress.update() == []  # said once
    _feed(state, new, (3,))
    said = progress.update()
    assert not progress.done and said[-1].key == "choose_several"
    newest = next(b.set_text for b in group(state) if b.generation == 2)
    chosen = LiveProgress(state, newest)
    said = chosen.update()
    assert chosen.done and said[-1].key == "complete"
    assert "generation 2" in str(said[-1].values["title"])


def test_two_complete_vaults_ask_for_a_choice_and_never_stop_by_themselves() -> None:
    state = RecoveryState()
    progress = LiveProgress(state)
    for seed in (3, 4):
        _feed(state, _split(seed), (1, 2))
    said = progress.update()
    assert not progress.done and [s.key for s in said][-1] == "choose_several"


def test_enter_stops_early_with_a_summary_and_writes_nothing(tmp_path: Path) -> None:
    video = V.make_video("quick")
    out = tmp_path / "vault.json"
    code, shown = run_in_pty(
        ["-m", "toolkit", "restore", "--allow-online", "--camera-device", str(video.path),
         "--camera-realtime", "-o", str(out)], [("1 of 3 shares read.", "")], timeout=600)
    assert code == 7, shown
    assert "Stopped. What was read:" in shown and "share 2 of 3 needed, need 2 more" in shown
    assert END_OF_VIDEO not in shown and not out.exists()


def test_ctrl_c_gives_up_with_130_and_writes_nothing(tmp_path: Path) -> None:
    video = V.make_video("quick")
    out = tmp_path / "vault.json"
    code, shown = run_in_pty(
        ["-m", "toolkit", "restore", "--allow-online", "--camera-device", str(video.path),
         "--camera-realtime", "-o", str(out)], [], timeout=600,
        interrupt_after="Press Enter to stop early")
    assert code == 130, shown
    assert "Traceback" not in shown and not out.exists()


@pytest.mark.slow
def test_the_menu_restores_with_the_camera_through_a_terminal(tmp_path: Path) -> None:
    """The first screen with a camera (here a video file named by PAPER2FA_CAMERA): restore,
    with the camera, the sheets shown one after another, then the new-phone sheet."""
    video = V.make_video("split-sheet-by-sheet")
    home = tmp_path / "home"
    home.mkdir()
    code, shown = run_in_pty(
        ["-m", "toolkit"],
        [("> ", "1"), ("Hold them up to this computer's camera", ""), ("> ", "1"),
         ("[Y/n]", "y"), ("Press Enter to go back", ""), ("> ", "4")],
        timeout=600, env={"HOME": str(home), "PAPER2FA_CAMERA": str(video.path)})
    assert code == 0, shown
    assert "Hold each sheet still" in shown and COMPLETE in shown
    assert "Your accounts are back." in shown
    assert vault_from_json((home / "paper2fa-restored" / "vault.json").read_bytes()) == (
        video.vault)
    assert (home / "paper2fa-restored" / "new-phone.pdf").is_file()


def test_the_menu_offers_the_camera_only_when_there_is_one(tmp_path: Path) -> None:
    assert camera_device({"PAPER2FA_CAMERA": "/dev/video2"}) == "/dev/video2"
    assert camera_device({}, str(tmp_path / "video*")) is None
    for name in ("video10", "video1", "video0"):
        (tmp_path / name).touch()
    assert camera_device({}, str(tmp_path / "video*")) == str(tmp_path / "video0")



def test_without_pyav_the_camera_is_a_clear_error(cli: Any, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    video = V.make_video("quick")
    monkeypatch.setitem(sys.modules, "av", None)  # `import av` raises ImportError
    out = tmp_path / "vault.json"
    result = cli("restore", "--camera-device", video.path, "-o", out)
    assert result.code == 3 and "needs PyAV" in result.err and "Traceback" not in result.err
    assert not out.exists()



def test_after_the_camera_the_backup_is_chosen_at_the_terminal(tmp_path: Path) -> None:
    """A newer backup that cannot be completed (its sealed vault and one share of two, from
    files) beside the one the camera completes: the camera does not stop by itself; at the end
    the backups are listed and the one typed is restored, without showing the sheets again."""
    video = V.make_video("quick")
    vault = Vault((Account(issuer="Newer", name="me", secret=b"\x07" * 20),))
    newer = sharing.make_split(vault, 2, 3, (), "pyshamir", None,
                               kdf=envelope.KDF_PROFILES["test"], rng=random.Random(8).randbytes,
                               now=datetime(2026, 6, 1, tzinfo=UTC))
    sealed = tmp_path / "newer.p2fa"
    sealed.write_bytes(newer.sealed_bytes)
    words = tmp_path / "words.txt"
    words.write_text("".join(f"{t}\n" for t in (newer.shares[0].qr_text(), video.shares[1],
                                                 video.shares[3])))
    out = tmp_path / "vault.json"
    code, shown = run_in_pty(
        ["-m", "toolkit", "restore", "--allow-online", str(sealed), "--words-file", str(words),
         "--camera-device", str(video.path), "-o", str(out)],
        [("or press Enter to stop:", video.vault.fingerprint)], timeout=600)
    assert code == 0, shown
    assert "may be newer and is not complete" in shown
    assert _restored(out) == video.vault


if sys.platform != "linux":  # pragma: no cover - the camera is V4L2
    pytestmark = pytest.mark.skip("Linux only")
