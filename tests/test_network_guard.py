"""The guard: while a command runs, no network and no other program.

In this process the guard is on only inside `airgap.guarded()` (as `main` uses it), so the
suite can still run ruff, mypy and `unshare`; what must hold in a fresh process (a library
loaded for the first time under the guard, the real `paper2fa` program) runs in one.
"""

from __future__ import annotations

import ctypes.util
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from toolkit import airgap
from toolkit.cli import system_cmds
from toolkit.errors import OfflineError

ROOT = Path(__file__).resolve().parents[1]
PAPER2FA = Path(sys.executable).with_name("paper2fa")


def fresh_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)


# --- the network --------------------------------------------------------------------------------


def test_connect_refused() -> None:
    with airgap.guarded(), socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s, \
            pytest.raises(OfflineError):
        s.connect(("192.0.2.1", 443))


def test_dns_refused() -> None:
    with airgap.guarded(), pytest.raises(OfflineError):
        socket.getaddrinfo("example.com", 443)


def test_sendto_refused() -> None:
    with airgap.guarded(), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s, \
            pytest.raises(OfflineError):
        s.sendto(b"x", ("192.0.2.1", 53))


def test_bind_non_loopback_refused_loopback_allowed() -> None:
    with airgap.guarded():
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s, \
                pytest.raises(OfflineError):
            s.bind(("0.0.0.0", 0))
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))


def test_socket_creation_allowed() -> None:
    with airgap.guarded():
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()


def test_library_connect_is_stopped() -> None:
    """A dependency that tries the network (urllib here) is stopped, not just our own code."""
    import urllib.request

    with airgap.guarded(), pytest.raises(OfflineError):
        urllib.request.urlopen("http://192.0.2.1/", timeout=1)


# --- other programs -----------------------------------------------------------------------------


def test_every_way_of_starting_a_program_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    script = f"touch {marker}"
    attempts = {
        "subprocess.Popen": lambda: subprocess.run(["sh", "-c", script]),
        "os.system": lambda: os.system(script),
        "os.posix_spawn": lambda: os.posix_spawn("/bin/sh", ["sh", "-c", script], os.environ),
        "os.exec": lambda: os.execv("/bin/sh", ["sh", "-c", script]),  # refused before exec
    }
    with airgap.guarded():
        for event, attempt in attempts.items():
            with pytest.raises(OfflineError, match=f"starting another program refused.*{event}"):
                attempt()
    assert not marker.exists()
    assert not airgap.is_active()
    subprocess.run(["sh", "-c", script], check=True)  # outside the guard: allowed again
    assert marker.exists()


def test_a_child_python_is_refused_so_it_cannot_connect_freely() -> None:
    child = ("import socket; socket.create_connection(('192.0.2.1', 443), timeout=1)")
    with airgap.guarded(), pytest.raises(OfflineError, match="python"):
        subprocess.run([sys.executable, "-c", child])


def test_multiprocessing_cannot_start_a_fresh_interpreter() -> None:
    """multiprocessing's spawn start method runs Python without any audit event (3.11)."""
    result = fresh_python(
        "import multiprocessing as mp\n"
        "from toolkit import airgap\n"
        "from toolkit.errors import OfflineError\n"
        "with airgap.guarded():\n"
        "    try:\n"
        "        mp.get_context('spawn').Process(target=print).start()\n"
        "    except OfflineError as exc:\n"
        "        print('REFUSED', exc.message)\n")
    assert "REFUSED starting a new Python process refused" in result.stdout, result.stderr


def test_find_library_would_run_ldconfig_and_is_refused() -> None:
    """Why libzbar is found by path: ctypes.util.find_library runs /sbin/ldconfig -p."""
    with airgap.guarded(), pytest.raises(OfflineError, match="ldconfig"):
        ctypes.util.find_library("zbar")


def test_a_command_that_starts_a_program_exits_10_in_one_line(
        cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def spawning(*_: Any, **__: Any) -> Any:
        subprocess.run(["true"])

    monkeypatch.setattr(system_cmds.airgap, "check_environment", spawning)
    result = cli("doctor")
    assert result.code == 10
    assert result.err.splitlines() == [
        "paper2fa: error: starting another program refused: true (subprocess.Popen)",
        "  what to do: paper2fa runs no other program; this is a bug in paper2fa or a library "
        "it uses: report it with the output of -v"]
    assert not airgap.is_active()


# --- libzbar, found by path ---------------------------------------------------------------------


def test_libzbar_is_found_in_the_library_folders(tmp_path: Path) -> None:
    conf = tmp_path / "ld.so.conf"
    (tmp_path / "conf.d").mkdir()
    conf.write_text("# comment\ninclude conf.d/*.conf\n/opt/first\n")
    (tmp_path / "conf.d" / "a.conf").write_text("/opt/included\n")
    folders = airgap.library_folders({"LD_LIBRARY_PATH": "/opt/env::"}, conf)
    assert folders[:3] == (Path("/opt/env"), Path("/opt/included"), Path("/opt/first"))
    assert Path("/usr/lib") in folders
    (tmp_path / "lib").mkdir()
    assert airgap.find_libzbar([tmp_path / "lib"]) is None
    (tmp_path / "lib" / "libzbar.so.0").write_bytes(b"")
    assert airgap.find_libzbar([tmp_path / "nope", tmp_path / "lib"]) == (
        tmp_path / "lib" / "libzbar.so.0")


@pytest.fixture
def libzbar() -> None:
    if airgap.find_libzbar() is None:
        pytest.skip("libzbar is not installed")


@pytest.mark.usefixtures("libzbar")
def test_pyzbar_decodes_with_the_guard_on_in_a_fresh_process() -> None:
    """pyzbar is loaded for the first time under the guard: it must not run ldconfig."""
    result = fresh_python(
        "import qrcode\n"
        "from toolkit import airgap, scan\n"
        "image = qrcode.make('guarded zbar').get_image().convert('L')\n"
        "with airgap.guarded():\n"
        "    print([c.text for c in scan.pyzbar_pass(image)])\n")
    assert result.stdout.strip() == "['guarded zbar']", result.stderr


@pytest.mark.usefixtures("libzbar")
def test_doctor_in_the_real_program_has_the_guard_on_and_finds_libzbar() -> None:
    result = subprocess.run([str(PAPER2FA), "doctor", "--json"], capture_output=True,
                            text=True, timeout=600)
    report = json.loads(result.stdout)
    assert report["guard_installed"] is True
    versions = {c["name"]: c["version"] for c in report["components"]}
    assert versions["libzbar"] and versions["pyzbar"], result.stderr
    assert result.stderr == ""


def test_the_guard_is_on_only_while_a_command_runs(cli: Any) -> None:
    assert not airgap.is_active()
    assert cli("doctor", "--json").json()["guard_installed"] is True
    assert not airgap.is_active()
    with airgap.guarded():
        with airgap.guarded():
            assert airgap.is_active()
        assert airgap.is_active()
    assert not airgap.is_active()
