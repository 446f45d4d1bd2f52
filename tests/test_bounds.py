"""Hostile and odd inputs through the installed `paper2fa` program, each within memory.

Each reproducer of issue 11 runs in its own process; its peak memory is read from the kernel's
accounting of that process (wait4), and it must end in a documented error or a result, in
one error line and one hint, with no traceback and no Python warning. How much work each one
may make paper2fa do is counted in process, not timed here (a busy machine makes any time
limit fail): bytes read from a device in tests/test_fsio.py, pages and pixels decoded in
tests/test_scan.py.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

PAPER2FA = Path(sys.executable).with_name("paper2fa")
GIB = 1024 * 1024 * 1024


@dataclass(frozen=True)
class Ended:
    code: int
    out: str
    err: str
    peak_bytes: int


def paper2fa(*args: str | Path, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(PAPER2FA), "--allow-online", *map(str, args)], input=stdin,
                          capture_output=True, timeout=600)


PEAK_REPORTER = """
import atexit, os, resource, sys

def report() -> None:  # the command's own peak (VmHWM) and its forked children's
    with open("/proc/self/status") as status:
        own = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    os.write(PEAK_FD, str(max(own, children) * 1024).encode())

PEAK_FD = int(sys.argv[1])
atexit.register(report)
sys.argv = ["paper2fa", *sys.argv[2:]]
from toolkit.entry import main
sys.exit(main())
"""
"""Runs the command as `paper2fa` does and writes its peak memory to the file descriptor
named first as it exits. The
peak is read from /proc (VmHWM: this process's own, since its exec), not from wait4: a
child's ru_maxrss keeps the high-water mark of the test worker that started it (the kernel
carries it across vfork and exec), so a worker that once grew would fail the bound."""


def measured(*args: str | Path) -> Ended:
    """Like paper2fa(), with the command's own peak memory (PEAK_REPORTER)."""
    with open(os.devnull, "rb") as null_in, \
            open(os.devnull, "wb") as null_out:
        err_read, err_write = os.pipe()
        peak_read, peak_write = os.pipe()
        proc = subprocess.Popen([sys.executable, "-c", PEAK_REPORTER, str(peak_write),
                                 "--allow-online", *map(str, args)], stdin=null_in,
                                stdout=null_out, stderr=err_write, pass_fds=(peak_write,))
        os.close(err_write)
        os.close(peak_write)
        with os.fdopen(err_read, "rb") as err_pipe:
            err = err_pipe.read()  # ends when the child exits (it holds the only writer)
        with os.fdopen(peak_read, "rb") as peak_pipe:
            peak = peak_pipe.read()
        proc.wait()
    assert peak, f"the command reported no peak memory: {err!r}"  # it ended without atexit
    return Ended(proc.returncode, "", err.decode(errors="replace"), int(peak))


def one_error(result: Ended, code: int, *fragments: str) -> None:
    """Exit `code`, one error line and one hint last, and before them at most the command's
    own notices (restore says it tries again)."""
    *notices, error, hint = result.err.splitlines()
    assert result.code == code, result
    assert error.startswith("paper2fa: error: ") and hint.startswith("  what to do: "), result
    assert all(n.startswith("paper2fa: ") and "error" not in n for n in notices), result
    assert "Traceback" not in result.err and "Warning" not in result.err, result
    for fragment in fragments:
        assert fragment in error, result


# --- files that are not regular files -----------------------------------------------------------


def test_import_of_a_device_is_refused_at_once(tmp_path: Path) -> None:
    """`import /dev/zero` ran to 5.9 GB (not a byte is read now: tests/test_fsio.py)."""
    result = measured("import", "/dev/zero", "-o", tmp_path / "v.json")
    one_error(result, 3, "/dev/zero: this is a device, not a regular file")
    assert result.peak_bytes < GIB
    assert not (tmp_path / "v.json").exists()


def test_import_of_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "export.json"
    os.mkfifo(fifo)
    result = measured("import", fifo, "-o", tmp_path / "v.json")
    one_error(result, 3, "is a pipe, not a regular file")


def test_a_passphrase_from_stdin_works_through_the_program(tmp_path: Path) -> None:
    vault = tmp_path / "v.json"
    from toolkit.model import Account, Vault, vault_to_json

    vault.write_bytes(vault_to_json(Vault((Account(issuer="E", name="a", secret=b"0123456789"),))))
    result = paper2fa("seal", vault, "--passphrase-file", "/dev/stdin", "-o",
                      tmp_path / "v.p2fa", stdin=b"a long enough passphrase\n")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "v.p2fa").read_bytes().startswith(b"paper2fa-sealed")


# --- images and PDFs ----------------------------------------------------------------------------


def poster_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(14400, 14400), invariant=1)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


@pytest.mark.parametrize("command", ["scan", "restore"])
def test_a_poster_sized_pdf_page_stays_within_memory(tmp_path: Path, command: str) -> None:
    """1.3 KB, one 14400 x 14400 pt page: 3.65 GB and a MemoryError before."""
    (tmp_path / "poster.pdf").write_bytes(poster_pdf())
    args: list[str | Path] = [command, tmp_path / "poster.pdf"]
    if command == "restore":
        args += ["-o", tmp_path / "v.json"]
    result = measured(*args)
    one_error(result, 11)  # nothing to read on a blank page
    assert result.peak_bytes < GIB, result


def test_a_144_megapixel_png_is_scaled_down(tmp_path: Path) -> None:
    """36 s before; read at 25 megapixels now (pixels counted in tests/test_scan.py)."""
    big = tmp_path / "big.png"
    Image.new("L", (12000, 12000), 255).save(big)
    result = measured("scan", big)
    one_error(result, 11, "no QR code")
    assert result.peak_bytes < GIB, result


def test_a_tiff_with_a_huge_later_frame_is_one_error_naming_file_and_page(tmp_path: Path) -> None:
    """A DecompressionBombError and a raw DecompressionBombWarning before."""
    frames = [Image.new("L", (300, 300), 255), Image.new("L", (77, 79), 255)]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:])
    data = out.getvalue()
    for tag, value in ((256, 77), (257, 79)):  # frame 2 now claims 60000 x 60000 pixels
        for kind, size in ((3, 2), (4, 4)):  # written as SHORT or LONG
            entry = tag.to_bytes(2, "little") + kind.to_bytes(2, "little") + b"\x01\0\0\0"
            old = entry + value.to_bytes(size, "little")
            if old in data:
                data = data.replace(old, entry + (60000).to_bytes(size, "little"))
                break
        else:
            raise AssertionError(f"tag {tag} of frame 2 not found")
    (tmp_path / "bomb.tiff").write_bytes(data)
    result = measured("scan", tmp_path / "bomb.tiff")
    one_error(result, 11, "bomb.tiff", "page 2: this page is 60000x60000 pixels")
    assert "Warning" not in result.err and result.peak_bytes < GIB


def test_a_3000_frame_tiff_is_refused_quickly(tmp_path: Path, tiff_3000_frames: bytes) -> None:
    """About 1 MB, 67 s before; refused before any frame is decoded (tests/test_scan.py)."""
    (tmp_path / "many.tiff").write_bytes(tiff_3000_frames)
    result = measured("scan", tmp_path / "many.tiff")
    one_error(result, 11, "many.tiff", "3000 pages; paper2fa reads at most 2000")
