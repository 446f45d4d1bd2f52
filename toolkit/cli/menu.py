"""The first screen: `paper2fa` with no arguments, at a terminal.

A short menu for a person who may never have used a command line: restore from paper (camera,
or scans and photos in a folder or on a USB stick), check this computer (`doctor`), make
paper, quit. Each step explains itself in one or two sentences (templates/<lang>/menu.toml),
runs the real command, and ends by saying where the result is and what to do with it.

Its very first question is the language, when more than one ships, unless the environment
variable PAPER2FA_LANG names one (the live image may set it); the sheets it makes are in that
language too (`--lang`), while the commands' own messages stay English (docs/translating.md).
"""

from __future__ import annotations

import getpass
import glob
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit import airgap, places
from toolkit.display import visible
from toolkit.errors import ChooseBackupError, NotEnoughError
from toolkit.texts import DEFAULT_LANGUAGE, fill, languages, load_texts, own_name

Ask = Callable[[str], str]
Tell = Callable[[str], None]
Run = Callable[[list[str]], int]

RESTORED_FOLDER = "paper2fa-restored"
PAPER_FOLDER = "paper2fa-paper"
"""Folders in the home folder where the first screen writes what it makes."""

LANG_VARIABLE = "PAPER2FA_LANG"
"""The environment variable that chooses the first screen's language (a code: de, en...)."""

CAMERA_VARIABLE = "PAPER2FA_CAMERA"
"""The environment variable that names the camera the first screen uses (a device such as
/dev/video2, or a video file of the sheets); without it, the first video device."""

VIDEO_DEVICES = "/dev/video*"

USER_PLACEHOLDER = "USER"
"""The user name in the example path when this computer's cannot be shown as it is."""


@dataclass(frozen=True)
class ThisComputer:
    """What the first screen says of the computer it runs on: whether it was started as the
    paper2fa stick's live system (live-boot's own marks, not a container's overlay root), and
    the network interfaces up (doctor's offline check)."""

    live: bool
    online: tuple[str, ...]

    @property
    def offline_stick(self) -> bool:
        """Started from the stick and with no network: only then does nothing stay behind."""
        return self.live and not self.online


def this_computer(run_live: Path = Path("/run/live"),
                  cmdline: Path = Path("/proc/cmdline"),
                  online: Callable[[], tuple[str, ...]] = airgap.online_interfaces,
                  ) -> ThisComputer:
    """This computer as the first screen describes it (paths and the check are parameters)."""
    return ThisComputer(bool(airgap.live_marker_reasons(run_live, cmdline)), online())


def user_name() -> str:
    """This computer's user name as the system has it, for an example path; a placeholder
    when it cannot be read or is not a plain name."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        return USER_PLACEHOLDER
    return name if re.fullmatch(r"[A-Za-z0-9._-]{1,32}", name) else USER_PLACEHOLDER


def camera_device(environ: Mapping[str, str], devices: str = VIDEO_DEVICES) -> str | None:
    """The camera the first screen offers: PAPER2FA_CAMERA, else the first video device of this
    machine; None when there is none (then the menu offers scans only)."""
    named = environ.get(CAMERA_VARIABLE, "").strip()
    if named:
        return named
    found = sorted(glob.glob(devices), key=lambda d: (len(d), d))
    return found[0] if found else None


def choose_language(ask: Ask, tell: Tell, environ: Mapping[str, str]) -> str:
    """The first screen's language: PAPER2FA_LANG when it names a shipped language, else asked
    first when more than one ships, each language listed in its own name (Enter alone keeps
    English). EOFError ends the menu."""
    shipped = languages()
    wanted = environ.get(LANG_VARIABLE, "").strip().lower()
    if wanted in shipped:
        return wanted
    if len(shipped) == 1:
        return shipped[0]
    tell("paper2fa")
    if wanted:
        # in every language, as the question itself: none of them is chosen yet
        for code in shipped:
            tell(fill(load_texts("menu", code)["unknown_language"],
                      value=f"'{visible(environ[LANG_VARIABLE][:40])}'",
                      codes=", ".join(shipped)))
    for number, code in enumerate(shipped, 1):
        tell(f"  {number}. {own_name(code)}")
    while True:
        for code in shipped:
            tell(load_texts("menu", code)["choose_language"])
        answer = ask("> ").strip()
        if not answer:
            return DEFAULT_LANGUAGE
        if answer.isdigit() and 1 <= int(answer) <= len(shipped):
            return shipped[int(answer) - 1]


class Menu:
    """The first screen, its prompts and the commands it runs (all injectable for tests)."""

    def __init__(self, ask: Ask, tell: Tell, run: Run, *, home: Path | None = None,
                 lang: str = "en", camera: str | None = None,
                 media_roots: Sequence[str] = places.MEDIA_ROOTS,
                 computer: ThisComputer | None = None, user: str | None = None) -> None:
        self.ask, self.tell, self.run = ask, tell, run
        self.home = home if home is not None else Path.home()
        self.computer = computer if computer is not None else this_computer()
        self.user = user if user is not None else user_name()
        self.t = load_texts("menu", lang)
        # given to the commands that make sheets, so that the sheets are in `lang` too
        self.lang_args = [] if lang == DEFAULT_LANGUAGE else ["--lang", lang]
        self.camera = camera  # the camera device (or video file) to offer, if any
        self.media_roots = media_roots

    def say(self, key: str, **values: object) -> None:
        self.tell(fill(self.t[key], **values))

    def pick(self, keys: Sequence[str]) -> int:
        """Show numbered choices; the 0-based index chosen (EOFError ends the menu)."""
        for number, key in enumerate(keys, 1):
            self.tell(f"  {number}. {self.t[key]}")
        while True:
            answer = self.ask("> ").strip()
            if answer.isdigit() and 1 <= int(answer) <= len(keys):
                return int(answer) - 1
            self.say("not_a_choice")

    def folders(self) -> dict[str, Path]:
        """The folders the first screen writes to, as the greeting and goodbye name them."""
        return {"restored": self.home / RESTORED_FOLDER, "paper": self.home / PAPER_FOLDER}

    def greet(self) -> None:
        """The title, what is true of this computer, then what paper2fa can do."""
        self.tell(self.t["title"])
        if self.computer.offline_stick:
            self.say("greeting_live")
        else:
            self.say("greeting_disk", **self.folders())
            if self.computer.online:
                self.say("greeting_network",
                         interfaces=", ".join(visible(n) for n in self.computer.online))
        for line in self.t["greeting"]:
            self.tell(line)

    def bye(self) -> None:
        """Goodbye: "it forgets everything" only on the stick's own offline system."""
        if self.computer.offline_stick:
            self.say("bye")
        else:
            self.say("bye_disk", **self.folders())

    def main(self) -> int:
        self.greet()
        while True:
            self.tell("")
            self.say("choose")
            try:
                choice = self.pick(["item_restore", "item_doctor", "item_make", "item_quit"])
                if choice == 3:
                    break
                (self.restore, self.doctor, self.make)[choice]()
                self.tell("")
                self.ask(self.t["press_enter"] + " ")
            except EOFError:
                break
        self.bye()
        return 0

    # --- the steps --------------------------------------------------------------------------

    def restore(self) -> None:
        self.say("restore_intro")
        self.say("restore_how")
        ways = ["how_camera", "how_folder", "how_back"] if self.camera else [
            "how_folder", "how_back"]
        how = ways[self.pick(ways)]
        if how == "how_back":
            return
        inputs: list[str]
        if how == "how_camera":
            self.say("camera_tips")
            inputs = ["--camera-device", str(self.camera), *self.lang_args]
        else:
            folder = self.folder()
            if folder is None:
                return
            inputs = [str(folder), *self.lang_args]  # restore speaks the first screen's language
        out_dir = self.home / RESTORED_FOLDER
        out_dir.mkdir(mode=0o700, exist_ok=True)
        output = places.free_path(out_dir, "vault.json")
        code = self.run(["restore", *inputs, "-o", str(output)])
        # the camera restore asks which backup itself, with the sheets already read: asking
        # again here would mean showing them all again
        while code == ChooseBackupError.exit_code and how != "how_camera":
            self.tell("")
            choice = self.ask(self.t["restore_choose"] + " ").strip()
            if not choice:
                return
            code = self.run(["restore", *inputs, "--set", choice, "-o", str(output)])
        if code != 0:
            self.say("restore_missing" if code == NotEnoughError.exit_code
                     else "restore_failed")
            return
        self.tell("")
        self.say("restore_done", file=output)
        self.say("restore_compare")
        if self.ask(self.t["export_ask"] + " ").strip().lower() in ("", *self.t["yes"]):
            sheet = places.free_path(out_dir, "new-phone.pdf")
            if self.run(["export", str(output), "--format", "reenroll-pdf", *self.lang_args,
                         "-o", str(sheet)]) == 0:
                self.say("export_done", file=sheet)
                self.say("export_other")

    def folder(self) -> Path | None:
        """A folder of scans: typed, or chosen among the USB sticks mounted."""
        while True:
            typed = self.ask(self.t["folder_ask"] + " ").strip()
            if typed:
                path = Path(os.path.expanduser(typed))
                if path.exists():
                    return path
                self.say("folder_missing", folder=typed)
                continue
            found = places.mounted_folders(self.media_roots)
            if not found:
                self.say("folder_none")
                return None
            self.say("folder_pick")
            for number, path in enumerate(found, 1):
                self.tell(f"  {number}. {visible(str(path))}")
            answer = self.ask("> ").strip()
            if answer.isdigit() and 1 <= int(answer) <= len(found):
                return found[int(answer) - 1]
            self.say("not_a_choice")

    def doctor(self) -> None:
        self.say("doctor_intro")
        self.run(["doctor"])
        self.say("doctor_done")

    def make(self) -> None:
        self.say("make_intro")
        example = fill(self.t["example_path"], user=self.user)
        typed = self.ask(fill(self.t["make_ask"], example=example) + " ").strip()
        if not typed:
            return
        source = Path(os.path.expanduser(typed))
        if not source.is_file():
            self.say("make_missing", file=typed)
            return
        out_dir = self.home / PAPER_FOLDER
        out_dir.mkdir(mode=0o700, exist_ok=True)
        output = places.free_path(out_dir, "backup.pdf")
        if self.run(["print", str(source), *self.lang_args, "-o", str(output)]) == 0:
            self.tell("")
            self.say("make_done", file=output)
            self.say("make_split")


def run_menu(run: Run) -> int:
    """The menu at this terminal (input/print), running commands with `run`, in the language
    chosen first (or named by PAPER2FA_LANG)."""
    try:
        try:
            lang = choose_language(input, print, os.environ)
        except EOFError:
            return 0
        return Menu(input, print, run, lang=lang, camera=camera_device(os.environ)).main()
    except KeyboardInterrupt:
        print()
        return 130
