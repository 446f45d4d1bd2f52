"""Hostile inputs through the real entry point (issue 21): each ends with its documented exit
code, one error line and what to do, no traceback, and nothing written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from fuzz.interrupts import wait_until_signals_taken

from toolkit import constants as C
from toolkit.demo import demo_vault
from toolkit.model import Account, Vault, vault_to_json

SECRET = "JBSWY3DPEHPK3PXP"


def one_error(result: Any, code: int, *absent: Path) -> str:
    """The error line of a run that ended with exit `code`, one error line and what to do;
    no file in `absent` exists."""
    assert result.code == code, (result.code, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 2, result.err
    assert lines[0].startswith("paper2fa: error: "), result.err
    assert lines[1].startswith("  what to do: "), result.err
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    for path in absent:
        assert not os.path.lexists(path), path
    return lines[0]


def vault_file(folder: Path, name: str = "vault.json") -> Path:
    path = folder / name
    path.write_bytes(vault_to_json(demo_vault()))
    return path


# --- `--at` out of range: one parser for every command ----------------------------------------

OUT_OF_RANGE = ["-1", "9223372036854775808", str(C.MAX_UNIX_TIME + 1), "1e3", "", "x" * 5000,
                "9" * 4000, "9" * 5000]


@pytest.mark.parametrize("at", OUT_OF_RANGE)
def test_add_at_out_of_range_is_a_usage_error(cli: Any, tmp_path: Path, at: str) -> None:
    (tmp_path / "secret").write_text(SECRET + "\n")
    vault = tmp_path / "new.json"
    line = one_error(cli("add", vault, "--issuer", "A", "--name", "b", "--secret-file",
                         tmp_path / "secret", "--check-letters", "left-out", "--at", at), 2,
                     vault)
    assert line.startswith("paper2fa: error: --at ")
    assert len(line) < 200  # a huge value is not echoed whole


@pytest.mark.parametrize("at", OUT_OF_RANGE)
def test_codes_and_add_refuse_the_same_at_values_alike(cli: Any, tmp_path: Path,
                                                       at: str) -> None:
    (tmp_path / "secret").write_text(SECRET + "\n")
    codes = one_error(cli("codes", vault_file(tmp_path), "--at", at), 2)
    add = one_error(cli("add", tmp_path / "new.json", "--issuer", "A", "--name", "b",
                        "--secret-file", tmp_path / "secret", "--at", at), 2)
    assert codes == add


def test_add_at_the_ends_of_the_range(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "secret").write_text(SECRET + "\n")
    for number, at in enumerate(("0", str(C.MAX_UNIX_TIME))):
        result = cli("add", tmp_path / f"v{number}.json", "--issuer", "A", "--name", "b",
                     "--secret-file", tmp_path / "secret", "--check-letters", "left-out",
                     "--at", at)
        assert result.code == 0, result.err
    assert "9999-12-31 23:59 UTC" in result.out


# --- a named pipe nothing writes to, as a secret file -----------------------------------------

@pytest.mark.timeout(60)
def test_add_refuses_a_fifo_secret_file_nothing_writes_to(cli: Any, tmp_path: Path) -> None:
    fifo = tmp_path / "secret"
    os.mkfifo(fifo)
    vault = tmp_path / "v.json"
    line = one_error(cli("add", vault, "--issuer", "A", "--name", "b", "--secret-file", fifo,
                         "--yes"), 3, vault)
    assert "named pipe (FIFO) that nothing is writing to" in line


@pytest.mark.timeout(60)
def test_check_refuses_a_fifo_secret_file_nothing_writes_to(cli: Any, tmp_path: Path) -> None:
    fifo = tmp_path / "lines"
    os.mkfifo(fifo)
    line = one_error(cli("check", "--secret-file", fifo, "--check-line", "123456 @ 0"), 3)
    assert "named pipe (FIFO) that nothing is writing to" in line


@pytest.mark.timeout(60)
def test_a_fifo_password_file_nothing_writes_to(cli: Any, tmp_path: Path) -> None:
    fifo = tmp_path / "pass"
    os.mkfifo(fifo)
    out = tmp_path / "v.p2fa"
    line = one_error(cli("seal", vault_file(tmp_path), "--passphrase-file", fifo, "-o", out),
                     3, out)
    assert "named pipe (FIFO) that nothing is writing to" in line


# --- Ctrl-C during start-up ---------------------------------------------------------------------

PROGRAMS = {"console script": [str(Path(sys.executable).with_name("paper2fa"))],
            "python -m toolkit": [sys.executable, "-m", "toolkit"]}
AFTER_START = (0.0, 0.001, 0.003, 0.01, 0.03)
"""Seconds after the program took the signals (toolkit.entry, its first act) at which the
signal is sent: the command line's modules are being imported then."""


@pytest.mark.timeout(300)
@pytest.mark.parametrize("program", sorted(PROGRAMS))
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupt_during_start_up_ends_with_130_and_two_lines(
        tmp_path: Path, program: str, signum: int) -> None:
    vault = vault_file(tmp_path)
    words = "interrupted" if signum == signal.SIGINT else "stopped by SIGTERM"
    endings = []
    for delay in AFTER_START:
        out = tmp_path / f"out-{delay}"
        out.mkdir()
        proc = subprocess.Popen([*PROGRAMS[program], "--allow-online", "import", str(vault),
                                 "-o", str(out / "v.json")], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_until_signals_taken(proc)
        time.sleep(delay)
        proc.send_signal(signum)
        _, raw = proc.communicate(timeout=120)
        err = raw.decode(errors="replace")
        where = f"{program}, signal {signum} {delay} s after start: exit {proc.returncode}, {err!r}"
        print(where)
        assert "Traceback" not in err, where
        if proc.returncode == 0:  # finished before the signal came
            assert (out / "v.json").is_file(), where
            endings.append("finished")
            continue
        assert proc.returncode == 130, where
        assert err.splitlines() == [f"paper2fa: error: {words}",
                                    "  what to do: nothing was written"], where
        assert list(out.iterdir()) == [], where
        endings.append("interrupted")
    assert "interrupted" in endings, endings


def test_the_program_takes_the_signals_before_importing_the_command_line() -> None:
    """What runs before toolkit.entry takes the signals is Python's own start-up only: the
    package and the entry module import nothing else of paper2fa, and both ways of starting
    the program go through the entry module."""
    code = ("import sys, toolkit.entry; "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('toolkit'))))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=True).stdout.split()
    assert loaded == ["toolkit", "toolkit.entry"]
    root = Path(__file__).resolve().parents[1]
    assert 'paper2fa = "toolkit.entry:main"' in (root / "pyproject.toml").read_text()
    assert "from toolkit.entry import main" in (root / "toolkit" / "__main__.py").read_text()
    assert "from toolkit.entry import main" in Path(PROGRAMS["console script"][0]).read_text()


# --- a video file played in real time with hours between its frames ----------------------------

def gap_video(path: Path, seconds: list[float]) -> Path:
    """A tiny video (32x32 MJPEG in Matroska) whose frames are shown at `seconds`."""
    import fractions

    import av
    from PIL import Image

    millisecond = fractions.Fraction(1, 1000)
    with av.open(str(path), "w", format="matroska") as out:
        stream = out.add_stream("mjpeg", rate=30)
        stream.width, stream.height = 32, 32
        stream.pix_fmt = "yuvj420p"
        stream.time_base = millisecond
        for number, at in enumerate(seconds):
            frame = av.VideoFrame.from_image(Image.new("RGB", (32, 32), (number * 60, 0, 0)))
            frame.pts, frame.time_base = round(at * 1000), millisecond
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


class PacingClock:
    """The decoder's clock and sleep: time passes only by sleeping, and every wait is counted."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waited = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.waited += seconds


@pytest.mark.timeout(120)
def test_real_time_playing_cuts_hours_long_gaps_short(tmp_path: Path) -> None:
    from toolkit.camera.source import MAX_FRAME_GAP, open_source

    hours = [0.0, 5 * 3600.0, 10 * 3600.0]
    video = gap_video(tmp_path / "gaps.mkv", hours)
    assert video.stat().st_size < 10_000
    clock = PacingClock()
    source = open_source(str(video), realtime=True, clock=clock, sleep=clock.sleep)
    frames = list(source)
    # a frame the reader had not taken yet when the next was due is dropped, as a camera does
    assert len(frames) + source.dropped == 3
    assert {round(f.time) for f in frames} <= {0, 18000, 36000}  # the video's own times
    assert frames[-1].index == 2
    assert clock.waited <= 2 * MAX_FRAME_GAP + 1e-6, clock.waited


@pytest.mark.timeout(120)
def test_real_time_playing_keeps_short_gaps(tmp_path: Path) -> None:
    """Gaps up to MAX_FRAME_GAP are played as they are: the cap changes nothing else."""
    from toolkit.camera.source import MAX_FRAME_GAP, open_source

    seconds = [0.0, 0.1, MAX_FRAME_GAP / 2 + 0.1, MAX_FRAME_GAP + 0.1]
    clock = PacingClock()
    source = open_source(str(gap_video(tmp_path / "short.mkv", seconds)), realtime=True,
                         clock=clock, sleep=clock.sleep)
    frames = list(source)
    assert len(frames) + source.dropped == 4
    assert abs(clock.waited - seconds[-1]) < 1e-6, clock.waited


# --- an output that is one of the command's inputs ---------------------------------------------

@pytest.fixture
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI has no option to weaken the KDF; tests make the real profile cheap instead."""
    from toolkit import envelope

    monkeypatch.setitem(envelope.KDF_PROFILES, "default", envelope.KDF_PROFILES["test"])


def refused_as_input(result: Any, *unchanged: tuple[Path, bytes]) -> str:
    line = one_error(result, 8)
    assert "is an input of this command: an output never replaces an input" in line, line
    for path, data in unchanged:
        assert path.read_bytes() == data, path
    return line


def same_file_ways(folder: Path, source: Path) -> dict[str, Path]:
    """The same file as `source` under other names: a symbolic link and a hard link."""
    (folder / "link").symlink_to(source)
    os.link(source, folder / "hard")
    return {"same path": source, "symbolic link": folder / "link", "hard link": folder / "hard"}


@pytest.mark.parametrize("way", ["same path", "symbolic link", "hard link"])
def test_print_never_replaces_its_vault(cli: Any, tmp_path: Path, way: str) -> None:
    vault = vault_file(tmp_path)
    before = vault.read_bytes()
    out = same_file_ways(tmp_path, vault)[way]
    line = refused_as_input(cli("print", vault, "-o", out, "--force", "--no-self-check"),
                            (vault, before))
    if way == "symbolic link":
        assert out.is_symlink()
    assert ("(the same file as " in line) == (way != "same path")


def test_import_never_replaces_an_export_it_reads(cli: Any, tmp_path: Path) -> None:
    first = vault_file(tmp_path, "a.json")
    second = tmp_path / "b.json"
    second.write_bytes(vault_to_json(Vault((Account(issuer="Other", name="x",
                                                    secret=b"0123456789"),))))
    before = second.read_bytes()
    refused_as_input(cli("import", first, second, "-o", second, "--force"), (second, before))


def test_export_never_replaces_its_source(cli: Any, tmp_path: Path) -> None:
    vault = vault_file(tmp_path)
    before = vault.read_bytes()
    links = same_file_ways(tmp_path, vault)
    for out in links.values():
        refused_as_input(cli("export", vault, "--format", "otpauth", "-o", out, "--force"),
                         (vault, before))


@pytest.mark.usefixtures("fast_kdf")
def test_seal_and_open_never_replace_an_input(cli: Any, tmp_path: Path) -> None:
    vault = vault_file(tmp_path)
    passphrase = tmp_path / "pass.txt"
    passphrase.write_text("correct horse battery\n")
    before = vault.read_bytes()
    for out in (vault, passphrase):
        refused_as_input(cli("seal", vault, "--passphrase-file", passphrase, "-o", out,
                             "--force"), (vault, before),
                         (passphrase, b"correct horse battery\n"))
    sealed = tmp_path / "v.p2fa"
    assert cli("seal", vault, "--passphrase-file", passphrase, "-o", sealed).code == 0
    sealed_bytes = sealed.read_bytes()
    refused_as_input(cli("open", sealed, "--passphrase-file", passphrase, "-o", sealed,
                         "--force"), (sealed, sealed_bytes))


@pytest.fixture
def split_set(cli: Any, tmp_path: Path, fast_kdf: None) -> Path:
    out = tmp_path / "sheets"
    result = cli("split", vault_file(tmp_path), "-k", "2", "-n", "3", "-o", out,
                 "--no-self-check")
    assert result.code == 0, result.err
    return out


def test_split_never_writes_over_an_input_in_its_folder(cli: Any, tmp_path: Path,
                                                        fast_kdf: None) -> None:
    """`-o FOLDER`: an input lying where one of the files written would go is refused."""
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    vault = vault_file(sheets, "vault.p2fa")  # a vault JSON under the sealed vault's name
    before = vault.read_bytes()
    refused_as_input(cli("split", vault, "-k", "2", "-n", "3", "-o", sheets, "--force",
                         "--no-self-check"), (vault, before))
    assert sorted(p.name for p in sheets.iterdir()) == ["vault.p2fa"]


def test_combine_never_replaces_a_share(cli: Any, split_set: Path) -> None:
    share = split_set / "share-1-of-3.txt"
    before = share.read_bytes()
    refused_as_input(cli("combine", split_set / "vault.p2fa", "--share", share, "--share",
                         split_set / "share-2-of-3.txt", "-o", share, "--force"),
                     (share, before))


def test_restore_never_replaces_what_it_reads(cli: Any, split_set: Path) -> None:
    share, sealed = split_set / "share-2-of-3.txt", split_set / "vault.p2fa"
    befores = [(p, p.read_bytes()) for p in (share, sealed)]
    for out in (share, sealed):
        refused_as_input(cli("restore", split_set / "share-1-of-3.txt", share, sealed, "-o",
                             out, "--force"), *befores)
    assert cli("restore", split_set / "share-1-of-3.txt", share, sealed, "-o",
               split_set / "vault.json").code == 0


def test_restore_never_replaces_the_video_it_was_given(cli: Any, split_set: Path) -> None:
    """A video named with --camera-device is an input even when the files given are enough
    and the camera is never opened."""
    video = split_set / "sheets.mkv"
    video.write_bytes(b"a video")
    refused_as_input(cli("restore", split_set / "share-1-of-3.txt",
                         split_set / "share-2-of-3.txt", split_set / "vault.p2fa",
                         "--camera-device", video, "-o", video, "--force"),
                     (video, b"a video"))


def test_add_updates_its_vault_through_a_symbolic_link(cli: Any, tmp_path: Path) -> None:
    """A vault changed in place is the one input an output may replace; through a link, the
    file linked to is changed and the link stays."""
    (tmp_path / "secret").write_text(SECRET + "\n")
    real = tmp_path / "real.json"
    assert cli("add", real, "--issuer", "A", "--name", "a", "--secret-file",
               tmp_path / "secret", "--yes").code == 0
    link = tmp_path / "vault.json"
    link.symlink_to(real)
    result = cli("add", link, "--issuer", "B", "--name", "b", "--secret-file",
                 tmp_path / "secret", "--digits", "8", "--yes")
    assert result.code == 0, result.err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "(2 accounts)" in result.out and b'"B"' in real.read_bytes()


def test_add_refuses_a_symbolic_link_to_nothing_as_its_vault(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "secret").write_text(SECRET + "\n")
    link = tmp_path / "vault.json"
    link.symlink_to(tmp_path / "nowhere.json")
    line = one_error(cli("add", link, "--issuer", "A", "--name", "b", "--secret-file",
                         tmp_path / "secret", "--yes"), 8, tmp_path / "nowhere.json")
    assert "is a symbolic link to a file that does not exist" in line
    assert link.is_symlink() and not link.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret", "vault.json"]


@pytest.mark.parametrize("command", [("export", "--format", "otpauth"), ("print",),
                                     ("restore",)])
def test_every_output_refuses_a_symbolic_link_to_nothing(cli: Any, tmp_path: Path,
                                                         command: tuple[str, ...]) -> None:
    vault = vault_file(tmp_path)
    link = tmp_path / "out.pdf"
    link.symlink_to(tmp_path / "nowhere.pdf")
    line = one_error(cli(command[0], vault, *command[1:], "-o", link), 8,
                     tmp_path / "nowhere.pdf")
    assert "is a symbolic link to a file that does not exist" in line


# --- exit codes as their pages say ---------------------------------------------------------------

def test_inspect_a_file_that_is_not_text_is_exit_4(cli: Any, tmp_path: Path) -> None:
    """Neither a share nor a sealed vault: the data is not what was expected (4), the file
    itself was read fine (not 3)."""
    binary = tmp_path / "photo.bin"
    binary.write_bytes(bytes(range(256)))
    line = one_error(cli("inspect", binary), 4)
    assert f"{binary}: neither a share nor a sealed vault" in line


def empty_video(path: Path, container: str, codec: str, pixel_format: str) -> Path:
    """A video file with a video stream and not one picture in it."""
    import av

    with av.open(str(path), "w", format=container) as out:
        stream = out.add_stream(codec, rate=30)
        stream.width, stream.height = 32, 32
        stream.pix_fmt = pixel_format
        out.start_encoding()
        for packet in stream.encode():
            out.mux(packet)
    return path


@pytest.mark.timeout(120)
@pytest.mark.parametrize(("container", "codec", "pixel_format"), [
    ("matroska", "mjpeg", "yuvj420p"), ("mp4", "mjpeg", "yuvj420p"),
    ("webm", "libvpx", "yuv420p"), ("avi", "mjpeg", "yuvj420p")])
def test_a_video_without_pictures_is_exit_11_not_a_missing_webcam(
        cli: Any, tmp_path: Path, container: str, codec: str, pixel_format: str) -> None:
    video = empty_video(tmp_path / f"empty.{container}", container, codec, pixel_format)
    out = tmp_path / "vault.json"
    result = cli("restore", "--camera", "--camera-device", video, "-o", out)
    assert result.code == 11, result.err
    errors = [line for line in result.err.splitlines() if line.startswith("paper2fa: error:")]
    assert len(errors) == 1 and "webcam" not in result.err, result.err
    assert not out.exists()
