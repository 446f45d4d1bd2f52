"""The first screen: a short menu that runs the real commands and says where the result is."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from terminal import run_in_pty

from toolkit import envelope, places, sharing
from toolkit.cli.menu import Menu
from toolkit.errors import ChooseBackupError
from toolkit.model import Account, Vault, vault_from_json, vault_to_json


def script(*answers: str) -> Any:
    it: Iterator[str] = iter(answers)

    def ask(prompt: str) -> str:
        try:
            return next(it)
        except StopIteration:
            raise EOFError from None

    return ask


@pytest.fixture
def vault() -> Vault:
    return Vault((Account(issuer="Example", name="grandma", secret=b"0123456789abcdef"),))


def sheets(tmp_path: Path, vault: Vault) -> Path:
    result = sharing.make_split(vault, 2, 3, kdf=envelope.KDF_PROFILES["test"])
    folder = tmp_path / "stick" / "scans"
    folder.mkdir(parents=True)
    (folder / "vault.p2fa").write_bytes(result.sealed_bytes)
    for i in (1, 3):
        (folder / f"share-{i}.txt").write_text(sharing.share_file_text(result, i))
    return folder


def test_restore_from_a_folder_then_the_new_phone_sheet(cli: Any, tmp_path: Path,
                                                        vault: Vault) -> None:
    folder = sheets(tmp_path, vault)
    told: list[str] = []
    runs: list[list[str]] = []

    def run(argv: list[str]) -> int:
        runs.append(argv)
        return cli(*argv).code

    menu = Menu(script("1", "1", str(folder), "", "", "4"), told.append, run,
                home=tmp_path / "home")
    (tmp_path / "home").mkdir()
    assert menu.main() == 0
    out = tmp_path / "home" / "paper2fa-restored" / "vault.json"
    assert vault_from_json(out.read_bytes()) == vault
    assert os.stat(out).st_mode & 0o777 == 0o600
    assert runs[0] == ["restore", str(folder), "-o", str(out)]
    sheet = tmp_path / "home" / "paper2fa-restored" / "new-phone.pdf"
    assert sheet.read_bytes().startswith(b"%PDF")
    text = "\n".join(told)
    assert f"Your accounts are back. They are in the file {out}." in text
    assert f"The sheet is in {sheet}." in text and "Goodbye" in text


def test_a_usb_stick_is_offered_and_a_second_restore_never_overwrites(
        cli: Any, tmp_path: Path, vault: Vault) -> None:
    folder = sheets(tmp_path / "media" / "me", vault)
    home = tmp_path / "home"
    home.mkdir()
    told: list[str] = []
    for _ in range(2):
        menu = Menu(script("1", "1", "", "1", "n", ""), told.append,
                    lambda argv: cli(*argv).code, home=home,
                    media_roots=[str(tmp_path / "media")])
        menu.main()
    assert f"  1. {tmp_path / 'media' / 'me' / 'stick'}" in told
    assert folder.parent == tmp_path / "media" / "me" / "stick"
    restored = sorted(p.name for p in (home / "paper2fa-restored").iterdir())
    assert restored == ["vault-2.json", "vault.json"]


def test_missing_sheets_are_explained_and_nothing_is_written(
        cli: Any, tmp_path: Path, vault: Vault) -> None:
    folder = sheets(tmp_path, vault)
    (folder / "share-3.txt").unlink()
    told: list[str] = []
    home = tmp_path / "home"
    home.mkdir()
    Menu(script("1", "1", str(folder), "", "4"), told.append, lambda argv: cli(*argv).code,
         home=home).main()
    assert any("Something is still missing" in t for t in told)
    assert not list((home / "paper2fa-restored").iterdir())


def test_make_paper_and_check_this_computer(cli: Any, tmp_path: Path, vault: Vault) -> None:
    source = tmp_path / "export.json"
    source.write_bytes(vault_to_json(vault))
    home = tmp_path / "home"
    home.mkdir()
    told: list[str] = []
    runs: list[list[str]] = []

    def run(argv: list[str]) -> int:
        runs.append(argv)
        return cli(*argv).code

    Menu(script("9", "3", str(source), "", "2", "", "4"), told.append, run, home=home).main()
    backup = home / "paper2fa-paper" / "backup.pdf"
    assert backup.read_bytes().startswith(b"%PDF")
    assert runs == [["print", str(source), "-o", str(backup)], ["doctor"]]
    assert "Please type one of the numbers shown." in told
    assert any(t.startswith(f"The backup is in {backup}.") for t in told)


def test_free_path_and_mounted_folders(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("")
    assert places.free_path(tmp_path, "a.json") == tmp_path / "a-2.json"
    assert places.free_path(tmp_path, "b.json") == tmp_path / "b.json"
    (tmp_path / "mnt" / "CARD").mkdir(parents=True)
    (tmp_path / "media" / "me" / "STICK").mkdir(parents=True)
    assert places.mounted_folders([tmp_path / "media", tmp_path / "mnt", tmp_path / "nope"]) == [
        tmp_path / "media" / "me" / "STICK", tmp_path / "mnt" / "CARD"]


# --- through a real terminal -------------------------------------------------------------------


def test_paper2fa_alone_at_a_terminal_opens_the_menu_and_quits() -> None:
    code, shown = run_in_pty(["-m", "toolkit"], [
        ("What do you want to do?", "7"), ("Please type one of the numbers shown.", "4")])
    assert code == 0 and "Goodbye" in shown
    assert "Restore accounts from paper" in shown and "Check this computer" in shown


def test_the_menu_checks_this_computer_through_a_terminal() -> None:
    code, shown = run_in_pty(["-m", "toolkit"], [("What do you want to do?", "2"),
                                                  ("Press Enter to go back", ""),
                                                  ("What do you want to do?", "4")])
    assert code == 0 and "paper2fa doctor" in shown and "verdict:" in shown


def test_without_a_terminal_paper2fa_alone_prints_the_usage() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "toolkit"], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 2 and "usage: paper2fa" in done.stderr


def test_a_camera_restore_that_needs_a_choice_is_not_run_again(tmp_path: Path) -> None:
    """The camera restore asks which backup itself; when the person declines, the menu does not
    ask again (that would mean showing every sheet to the camera again)."""
    runs: list[list[str]] = []
    told: list[str] = []

    def run(argv: list[str]) -> int:
        runs.append(argv)
        return ChooseBackupError.exit_code

    home = tmp_path / "home"
    home.mkdir()
    Menu(script("1", "1", "", "4"), told.append, run, home=home, camera="/dev/video0").main()
    assert len(runs) == 1 and runs[0][:3] == ["restore", "--camera-device", "/dev/video0"]
    assert any("The restore did not finish" in t for t in told)


# --- true words on the first screen (issue 19) -----------------------------------------------

def first_and_last_words(tmp_path: Path, computer: Any, lang: str = "en") -> tuple[str, str]:
    told: list[str] = []
    Menu(script("4"), told.append, lambda argv: 0, home=tmp_path, lang=lang,
         computer=computer).main()
    return "\n".join(told[:4]), told[-1]


@pytest.mark.parametrize("lang", ["de", "en", "es", "fr"])
def test_the_greeting_says_nothing_stays_only_on_the_offline_stick(tmp_path: Path,
                                                                   lang: str) -> None:
    from toolkit.cli.menu import this_computer
    from toolkit.texts import load_texts

    t = load_texts("menu", lang)
    run_live = tmp_path / "run-live"
    cmdline = tmp_path / "cmdline"
    cmdline.write_text("BOOT_IMAGE=/vmlinuz quiet\n")
    # an ordinary machine with a network: no live marker
    ordinary = this_computer(run_live, cmdline, online=lambda: ("eth0", "wlan0"))
    assert not ordinary.live and not ordinary.offline_stick
    greeting, bye = first_and_last_words(tmp_path, ordinary, lang)
    assert t["greeting_live"] not in greeting and t["bye"] != bye
    assert "eth0, wlan0" in greeting and str(tmp_path / "paper2fa-restored") in greeting
    assert str(tmp_path / "paper2fa-restored") in bye and "vault.json" in bye
    # the same machine offline: still its disk, no word of a network
    greeting, bye = first_and_last_words(tmp_path, this_computer(run_live, cmdline,
                                                                 online=lambda: ()), lang)
    assert t["greeting_live"] not in greeting and "eth0" not in greeting
    assert str(tmp_path / "paper2fa-paper") in greeting and t["bye"] != bye
    # the stick's live system, marked by live-boot (either mark), offline
    run_live.mkdir()
    stick = this_computer(run_live, cmdline, online=lambda: ())
    assert stick.offline_stick
    greeting, bye = first_and_last_words(tmp_path, stick, lang)
    assert t["greeting_live"] in greeting and bye == t["bye"]
    run_live.rmdir()
    cmdline.write_text("BOOT_IMAGE=/live/vmlinuz boot=live components quiet\n")
    assert this_computer(run_live, cmdline, online=lambda: ()).offline_stick
    # a live system with a network up is not called offline
    networked = this_computer(run_live, cmdline, online=lambda: ("eth0",))
    greeting, bye = first_and_last_words(tmp_path, networked, lang)
    assert t["greeting_live"] not in greeting and "eth0" in greeting and bye != t["bye"]


def test_a_container_root_is_not_the_stick(tmp_path: Path) -> None:
    """doctor counts an overlay root as live; the greeting wants live-boot's own marks."""
    from toolkit import airgap
    from toolkit.cli.menu import this_computer

    mounts = tmp_path / "mounts"
    mounts.write_text("overlay / overlay rw 0 0\n")
    cmdline = tmp_path / "cmdline"
    cmdline.write_text("quiet\n")
    assert airgap.live_system_reasons(tmp_path / "none", cmdline, mounts)
    assert not this_computer(tmp_path / "none", cmdline, online=lambda: ()).live


@pytest.mark.parametrize("lang", ["de", "en", "es", "fr"])
def test_the_example_path_has_this_computers_user_name(tmp_path: Path, lang: str) -> None:
    from toolkit.cli.menu import ThisComputer

    prompts: list[str] = []

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        if len(prompts) > 2:
            raise EOFError
        return "3" if len(prompts) == 1 else ""

    Menu(ask, lambda line: None, lambda argv: 0, home=tmp_path, lang=lang,
         computer=ThisComputer(False, ()), user="maria").main()
    assert "/media/maria/" in prompts[1]
    for translated in ("/sie/", "/vous/", "/usted/", "/you/"):
        assert translated not in prompts[1]


def test_the_user_name_is_shown_only_when_plain(monkeypatch: pytest.MonkeyPatch) -> None:
    import getpass

    from toolkit.cli.menu import USER_PLACEHOLDER, user_name

    monkeypatch.setattr(getpass, "getuser", lambda: "anna")
    assert user_name() == "anna"
    monkeypatch.setattr(getpass, "getuser", lambda: "x\x1b[2Jy")
    assert user_name() == USER_PLACEHOLDER


def test_an_unknown_paper2fa_lang_is_named_before_the_question() -> None:
    from toolkit.cli.menu import choose_language
    from toolkit.texts import languages

    told: list[str] = []
    assert choose_language(lambda prompt: "1", told.append, {"PAPER2FA_LANG": "xx"}) == (
        languages()[0])
    assert any("PAPER2FA_LANG" in line and "'xx'" in line for line in told)
    told.clear()
    choose_language(lambda prompt: "1", told.append, {"PAPER2FA_LANG": "x\x1b[31m\ny"})
    said = "\n".join(told)
    assert "\x1b" not in said and "PAPER2FA_LANG" in said
    told.clear()
    choose_language(lambda prompt: "1", told.append, {})
    assert not any("PAPER2FA_LANG" in line for line in told)
