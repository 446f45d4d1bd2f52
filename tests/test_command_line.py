"""The command line itself: global options before or after the command, usage errors that
print the command's own usage and what to do, hints that name the real command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import toolkit.cli as cli_module
from toolkit.cli import main
from toolkit.model import Account, Vault, vault_to_json

PAPER2FA = Path(sys.executable).with_name("paper2fa")


@pytest.fixture
def vault_file(tmp_path: Path) -> Path:
    path = tmp_path / "vault.json"
    path.write_bytes(vault_to_json(Vault((Account(issuer="Example", name="alice",
                                                  secret=b"0123456789"),))))
    return path


@pytest.fixture
def online(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_module, "ONLINE_DETECTOR", lambda: ("eth0",))


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.usefixtures("online")
def test_global_options_work_after_the_command(capsys: pytest.CaptureFixture[str],
                                               vault_file: Path) -> None:
    code, out, err = run(capsys, "list", vault_file, "--allow-online")
    assert code == 0 and "Example" in out and err == ""
    code, _, err = run(capsys, "list", vault_file)
    assert code == 0 and "connected to a network (eth0)" in err
    code, out, err = run(capsys, "list", vault_file, "--require-offline")
    assert code == 10 and out == "" and "--require-offline refuses" in err
    code, _, err = run(capsys, "--allow-online", "list", vault_file, "--require-offline")
    assert code == 10, "--require-offline wins, wherever each is given"


def test_verbose_after_the_command_shows_the_traceback(capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path) -> None:
    code, _, err = run(capsys, "--allow-online", "list", tmp_path / "missing.json", "-v")
    assert code == 3 and "Traceback" in err and "no such file" in err
    code, _, err = run(capsys, "--allow-online", "list", tmp_path / "missing.json")
    assert code == 3 and "Traceback" not in err


def test_unknown_option_prints_the_commands_usage_and_what_to_do(
        capsys: pytest.CaptureFixture[str], vault_file: Path) -> None:
    code, out, err = run(capsys, "list", vault_file, "--bogus")
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith("usage: paper2fa list ")
    assert lines[-2:] == ["paper2fa: error: unrecognized arguments: --bogus",
                          "  what to do: see `paper2fa list --help`"]


def test_missing_argument_and_bad_value_name_the_command(
        capsys: pytest.CaptureFixture[str], vault_file: Path) -> None:
    code, _, err = run(capsys, "split", vault_file)
    assert code == 2 and err.startswith("usage: paper2fa split ")
    assert "the following arguments are required" in err
    assert err.endswith("  what to do: see `paper2fa split --help`\n")
    code, _, err = run(capsys, "print", vault_file, "-o", "x.pdf", "--generation", "two")
    assert code == 2 and "invalid int value: 'two'" in err
    assert err.endswith("  what to do: see `paper2fa print --help`\n")


def test_unknown_command_points_at_the_top_level_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "frobnicate")
    assert code == 2 and err.startswith("usage: paper2fa ")
    assert "invalid choice: 'frobnicate'" in err
    assert err.endswith("  what to do: see `paper2fa --help`\n")


def test_usage_errors_from_a_command_say_its_real_name(capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path) -> None:
    """UsageError raised by a handler had the hint "see `paper2fa COMMAND --help`"."""
    code, _, err = run(capsys, "--allow-online", "restore", "-o", tmp_path / "v.json")
    assert code == 2
    assert err.splitlines()[-1] == "  what to do: see `paper2fa restore --help`"
    assert "COMMAND" not in err


def test_help_and_version_still_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("paper2fa ")
    code, out, _ = run(capsys, "list", "--help")
    assert code == 0 and out.startswith("usage: paper2fa list")


def test_the_installed_program_accepts_options_after_the_command(vault_file: Path) -> None:
    proc = subprocess.run([str(PAPER2FA), "list", str(vault_file), "--allow-online"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0 and "Example" in proc.stdout and proc.stderr == ""
    proc = subprocess.run([str(PAPER2FA), "list", str(vault_file), "--nope"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == "  what to do: see `paper2fa list --help`"
