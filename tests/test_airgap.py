"""The environment checks (`paper2fa doctor`) and the online warning / --require-offline.

Nothing here depends on whether the machine running the tests is online: the interface
detector is injected (fake names and flags, fake /proc files) and both states are tested.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import toolkit.cli as cli_module
from toolkit import airgap
from toolkit.cli import build_parser, handles_secrets, main

NOW = datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]

LO = (1, "lo")
ETH = (2, "eth0")
FLAGS = {"lo": 0x1 | 0x8 | 0x40, "eth0_up": 0x1 | 0x2 | 0x40 | 0x1000, "eth0_down": 0x2 | 0x1000}


def fake_flags(eth0_up: bool) -> Callable[[str], int]:
    def flags(name: str) -> int:
        if name == "lo":
            return FLAGS["lo"]
        return FLAGS["eth0_up" if eth0_up else "eth0_down"]

    return flags


def fake_proc(tmp_path: Path, *, swaps: str = "", cmdline: str = "quiet",
              root_fs: str = "ext4", net_dev_names: tuple[str, ...] = ("lo",)) -> Path:
    proc = tmp_path / "proc"
    (proc / "net").mkdir(parents=True)
    (proc / "swaps").write_text("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n" + swaps)
    (proc / "cmdline").write_text(cmdline + "\n")
    (proc / "mounts").write_text(
        "proc /proc proc rw 0 0\n"
        f"/dev/sda1 / {root_fs} rw,relatime 0 0\n"
        "tmpfs /tmp tmpfs rw 0 0\n"
    )
    header = ("Inter-|   Receive                            |  Transmit\n"
              " face |bytes    packets errs drop fifo frame compressed multicast|bytes\n")
    rows = "".join(f"{n:>6}: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n" for n in net_dev_names)
    (proc / "net" / "dev").write_text(header + rows)
    return proc


def components(missing: tuple[str, ...] = ()) -> tuple[airgap.Component, ...]:
    return airgap.list_components(
        version_of=lambda dist: "1.2.3",
        importable=lambda module: module not in missing,
        zbar_version=lambda: "0.23.92",
    )


# --- interfaces ------------------------------------------------------------------------------


def test_interface_up_other_than_loopback_is_online() -> None:
    found, source = airgap.list_interfaces(lambda: [LO, ETH], fake_flags(eth0_up=True))
    assert source == "if_nameindex+SIOCGIFFLAGS"
    assert found == (airgap.Interface("lo", True, True), airgap.Interface("eth0", True, False))
    assert airgap.online_interfaces(lambda: [LO, ETH], fake_flags(eth0_up=True)) == ("eth0",)


def test_interface_down_and_loopback_only_is_offline() -> None:
    assert airgap.online_interfaces(lambda: [LO, ETH], fake_flags(eth0_up=False)) == ()
    assert airgap.online_interfaces(lambda: [LO], fake_flags(eth0_up=True)) == ()


def test_proc_net_dev_fallback_counts_every_non_lo_interface_as_up(tmp_path: Path) -> None:
    proc = fake_proc(tmp_path, net_dev_names=("lo", "wlan0"))

    def broken() -> list[tuple[int, str]]:
        raise OSError("no if_nameindex here")

    found, source = airgap.list_interfaces(broken, fake_flags(True), proc / "net" / "dev")
    assert source.endswith("net/dev")
    assert [(i.name, i.up, i.loopback) for i in found] == [("lo", False, True),
                                                           ("wlan0", True, False)]


def test_no_interface_list_at_all_is_treated_as_online(tmp_path: Path) -> None:
    def broken() -> list[tuple[int, str]]:
        raise OSError("nothing")

    found, source = airgap.list_interfaces(broken, fake_flags(True), tmp_path / "missing")
    assert source == "none" and found[0].up and not found[0].loopback


def test_real_detector_is_namespace_aware() -> None:
    """In a fresh network namespace only lo exists, and it is down: offline."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed")
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"the kernel refuses network namespaces: {probe.stderr.decode().strip()}")
    code = ("import json; from toolkit import airgap; "
            "f, s = airgap.list_interfaces(); "
            "print(json.dumps([[i.name, i.up, i.loopback] for i in f] + [s]))")
    out = subprocess.run(["unshare", "-rn", sys.executable, "-c", code], capture_output=True,
                         text=True, check=True, cwd=ROOT).stdout
    assert json.loads(out) == [["lo", False, True], "if_nameindex+SIOCGIFFLAGS"]


# --- swap, live system ------------------------------------------------------------------------


def test_swap_parsed_from_proc_swaps(tmp_path: Path) -> None:
    proc = fake_proc(tmp_path, swaps="/dev/sda2                               partition\t"
                     "8388604\t\t0\t\t-2\n/swap\\040file  file  1024  0  -3\n")
    assert airgap.active_swap(proc / "swaps") == ("/dev/sda2", "/swap file")
    assert airgap.active_swap(fake_proc(tmp_path / "b") / "swaps") == ()
    assert airgap.active_swap(tmp_path / "absent") == ()


def test_live_system_detected_three_ways(tmp_path: Path) -> None:
    run_live = tmp_path / "run-live"
    run_live.mkdir()
    proc = fake_proc(tmp_path, cmdline="BOOT_IMAGE=/live/vmlinuz boot=live components",
                     root_fs="overlay")
    reasons = airgap.live_system_reasons(run_live, proc / "cmdline", proc / "mounts")
    assert len(reasons) == 3
    assert "boot=live on the kernel command line" in reasons
    assert "the root file system is overlay" in reasons


def test_installed_system_is_not_live(tmp_path: Path) -> None:
    proc = fake_proc(tmp_path, cmdline="root=/dev/sda1 ro quiet boot=liveish")
    assert airgap.live_system_reasons(tmp_path / "none", proc / "cmdline", proc / "mounts") == ()


# --- the report -------------------------------------------------------------------------------


def report(tmp_path: Path, *, eth0_up: bool, **proc: Any) -> airgap.DoctorReport:
    return airgap.check_environment(
        NOW,
        interfaces=airgap.list_interfaces(lambda: [LO, ETH], fake_flags(eth0_up)),
        proc=fake_proc(tmp_path, **proc),
        run_live=tmp_path / "run-live",
        components=components(),
    )


def test_online_machine_is_fatal_exit_10(tmp_path: Path) -> None:
    r = report(tmp_path, eth0_up=True)
    assert r.online_interfaces == ("eth0",)
    assert r.exit_code == 10
    assert r.findings[0].level == "fatal" and "eth0" in r.findings[0].message


def test_offline_live_machine_without_swap_is_clean(tmp_path: Path) -> None:
    r = report(tmp_path, eth0_up=False, cmdline="boot=live", root_fs="overlay")
    assert r.findings == () and r.exit_code == 0 and r.live


def test_swap_and_not_live_are_warnings_exit_0(tmp_path: Path) -> None:
    r = report(tmp_path, eth0_up=False, swaps="/dev/sda2 partition 1 0 -2\n")
    assert [f.level for f in r.findings] == ["warning", "warning"]
    assert "swap" in r.findings[0].message and "swapoff" in r.findings[0].fix
    assert "live" in r.findings[1].message
    assert r.exit_code == 0


def test_missing_required_library_is_an_error(tmp_path: Path) -> None:
    r = airgap.check_environment(
        NOW, interfaces=airgap.list_interfaces(lambda: [LO], fake_flags(False)),
        proc=fake_proc(tmp_path), run_live=tmp_path, components=components(("zxingcpp",)))
    assert r.exit_code == 1
    assert any(f.level == "error" and "zxing-cpp" in f.message for f in r.findings)
    missing_optional = components(("pyzbar",))
    assert not next(c for c in missing_optional if c.name == "pyzbar").available


def test_report_is_frozen_and_json_is_complete(tmp_path: Path) -> None:
    r = report(tmp_path, eth0_up=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.swap = ()  # type: ignore[misc]
    data = json.loads(json.dumps(r.to_json()))
    assert data["time_utc"] == "2026-05-04T03:02:01Z"
    assert data["online"] is True and data["online_interfaces"] == ["eth0"]
    assert data["exit_code"] == 10 and data["live"] is False
    assert {c["name"] for c in data["components"]} >= {"zxing-cpp", "pyzbar", "libzbar",
                                                         "pypdfium2", "cryptography",
                                                         "reportlab", "pyshamir",
                                                         "shamir-mnemonic"}


def test_naive_time_is_a_programming_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        airgap.check_environment(datetime(2026, 1, 1), proc=fake_proc(tmp_path))


def test_real_components_have_versions() -> None:
    found = {c.name: c for c in airgap.list_components()}
    assert found["zxing-cpp"].available and found["cryptography"].available
    assert all(c.available for c in found.values() if c.required)


# --- `paper2fa doctor` ------------------------------------------------------------------------


@pytest.fixture
def machine(monkeypatch: pytest.MonkeyPatch) -> Callable[[bool], None]:
    """Make the doctor see eth0 up (True) or down (False), whatever this machine really has."""

    real = airgap.list_interfaces

    def set_state(eth0_up: bool) -> None:
        def fake(**_: Any) -> tuple[tuple[airgap.Interface, ...], str]:
            return real(lambda: [LO, ETH], fake_flags(eth0_up))

        monkeypatch.setattr(airgap, "list_interfaces", fake)

    return set_state


def test_doctor_online_exits_10_with_what_to_fix(cli: Any, machine: Any) -> None:
    machine(True)
    r = cli("doctor")
    assert r.code == 10
    assert "network      FAIL   interfaces up: eth0" in r.out
    assert "verdict: NOT SAFE" in r.out and "fix: unplug every network cable" in r.out
    assert "time (UTC)" in r.out and "zxing-cpp" in r.out


def test_doctor_offline_exits_0(cli: Any, machine: Any) -> None:
    machine(False)
    r = cli("doctor")
    assert r.code == 0, r.out
    assert "no interface up but loopback (down: eth0)" in r.out
    assert "FAIL" not in r.out


def test_doctor_json(cli: Any, machine: Any) -> None:
    machine(True)
    r = cli("doctor", "--json")
    data = r.json()
    assert r.code == 10 and data["online_interfaces"] == ["eth0"]
    assert data["guard_installed"] is True
    assert data["findings"][0]["level"] == "fatal"
    machine(False)
    assert cli("doctor", "--json").json()["online"] is False


def test_doctor_is_not_refused_by_require_offline(cli: Any, machine: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    machine(True)
    monkeypatch.setattr(cli_module, "ONLINE_DETECTOR", lambda: ("eth0",))
    r = cli("--require-offline", "doctor")
    assert r.code == 10 and "verdict: NOT SAFE" in r.out and "refuses" not in r.err


# --- the online warning and --require-offline ----------------------------------------------


@pytest.fixture
def online(monkeypatch: pytest.MonkeyPatch) -> Callable[[bool], None]:
    def set_state(is_online: bool) -> None:
        monkeypatch.setattr(cli_module, "ONLINE_DETECTOR",
                            lambda: ("eth0", "wlan0") if is_online else ())

    return set_state


def run_main(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    """The real entry point without the `cli` fixture's --allow-online; returns code, stderr."""
    capsys.readouterr()
    code = main([str(a) for a in args])
    return code, capsys.readouterr().err


def test_secret_command_warns_once_when_online(capsys: pytest.CaptureFixture[str], online: Any,
                                               tmp_path: Path) -> None:
    online(True)
    code, err = run_main(capsys, "demo", "-o", tmp_path / "demo")
    assert code == 0, err
    assert err.count("warning: this machine is connected to a network (eth0, wlan0)") == 1
    assert "--allow-online" in err
    assert (tmp_path / "demo" / "vault.json").is_file()


def a_vault_file(folder: Path) -> Path:
    """The demo vault as a file, for a quick command that handles secrets (`list`): the
    warning is decided before any command runs, so the whole `demo` is needed only where a
    command of many steps must warn once."""
    from toolkit.demo import demo_vault
    from toolkit.model import vault_to_json

    path = folder / "vault.json"
    path.write_bytes(vault_to_json(demo_vault()))
    return path


def test_allow_online_silences_the_warning(capsys: pytest.CaptureFixture[str], online: Any,
                                           tmp_path: Path) -> None:
    online(True)
    code, err = run_main(capsys, "--allow-online", "list", a_vault_file(tmp_path))
    assert code == 0 and "connected to a network" not in err
    code, err = run_main(capsys, "list", a_vault_file(tmp_path))
    assert code == 0 and "connected to a network" in err  # the same command warns without it


def test_require_offline_refuses_before_touching_anything(cli: Any, online: Any,
                                                          tmp_path: Path) -> None:
    online(True)
    r = cli("--require-offline", "demo", "-o", tmp_path / "demo")
    assert r.code == 10
    assert "connected to a network (eth0, wlan0)" in r.err
    assert "--require-offline refuses" in r.err and "what to do: disconnect" in r.err
    assert not (tmp_path / "demo").exists()
    r = cli("--require-offline", "--allow-online", "demo", "-o", tmp_path / "demo")
    assert r.code == 10, "--require-offline wins over --allow-online"


def test_offline_machine_gets_no_warning(capsys: pytest.CaptureFixture[str], online: Any,
                                        tmp_path: Path) -> None:
    online(False)
    vault = a_vault_file(tmp_path)
    for args in (("list",), ("--require-offline", "list")):
        code, err = run_main(capsys, *args, vault)
        assert code == 0 and "connected to a network" not in err, err


def test_command_without_secrets_gets_no_warning(capsys: pytest.CaptureFixture[str],
                                                 online: Any, machine: Any) -> None:
    online(True)
    machine(False)
    code, err = run_main(capsys, "doctor", "--json")
    assert code == 0 and "warning" not in err


def test_which_commands_handle_secrets() -> None:
    parser = build_parser()
    assert not handles_secrets(parser.parse_args(["doctor"]))
    assert handles_secrets(parser.parse_args(["demo"]))
    # the parser's own mark wins over the fallback list
    args = parser.parse_args(["demo"])
    args.handles_secrets = False
    assert not handles_secrets(args)
    assert {"import", "export", "seal", "open", "split", "combine", "restore", "scan",
            "print", "verify", "demo"} <= cli_module.SECRET_COMMANDS
