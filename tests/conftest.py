"""Shared test fixtures: the real sample exports and vectors in ../shared and the CLI runner.

The network guard is not installed for the session (audit hooks cannot be removed, and tests
run ruff, mypy and `unshare`): every command run through `main` (the `cli` fixture included)
runs with the guard on, as `paper2fa` does, and tests/test_network_guard.py checks the guard in
fresh processes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import exit_code_pages
import pytest

from toolkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = SHARED / "samples" / "aegis-importers"
VECTORS = SHARED / "vectors"



def pytest_sessionstart(session: pytest.Session) -> None:
    exit_code_pages.session_start(session)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    exit_code_pages.session_finish(session)

@pytest.fixture(scope="session")
def samples() -> Path:
    """The folder of real app exports; tests using it skip when ../shared is absent."""
    if not (SAMPLES / "expected-by-file.json").is_file():
        pytest.skip("../shared/samples/aegis-importers is not present")
    return SAMPLES


@pytest.fixture(scope="session")
def expected_by_file(samples: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((samples / "expected-by-file.json").read_text())
    return data


@pytest.fixture(scope="session")
def vectors() -> Path:
    if not VECTORS.is_dir():
        pytest.skip("../shared/vectors is not present")
    return VECTORS


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Any:
    """Run `paper2fa ARGS...` through the real entry point; returns code, stdout, stderr.

    `--allow-online` keeps the output independent of this machine's network state (the online
    warning itself is tested in test_airgap.py with an injected interface detector).
    """

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            code = main(["--allow-online", *(str(a) for a in args)])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        words = [str(a) for a in args if not str(a).startswith("-")]
        if words:
            exit_code_pages.record(words[0], code)
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def self_check_loses_a_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDF self-check's decoder loses the first QR code it reads (a code that did not print
    well): whatever makes the PDF must then refuse it."""
    from toolkit import selfcheck

    real = selfcheck.decode_image
    lost: list[Any] = []

    def lose_one(image: Any, page: int = 1) -> list[Any]:
        codes = real(image, page)
        if codes and not lost:
            lost.append(codes.pop(0))
        return codes

    monkeypatch.setattr(selfcheck, "decode_image", lose_one)
