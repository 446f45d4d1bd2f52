"""Shared test fixtures: the real sample exports and vectors in ../shared and the CLI runner.

The network guard is not installed for the session (audit hooks cannot be removed, and tests
run ruff, mypy and `unshare`): every command run through `main` (the `cli` fixture included)
runs with the guard on, as `paper2fa` does, and tests/test_network_guard.py checks the guard in
fresh processes.

Randomness: every random choice a test makes comes from a fixed seed or from the run's seed
(`run_seed`), which is also Hypothesis' seed. The run's seed is printed at the end of the run;
`pytest --hypothesis-seed=N` repeats a run with seed N.

Time: no test asserts how long something took (a busy machine fails such a test, not slow
code). A bound on work is asserted by counting the work (`kdf_runs`, `accounts_built`, pages
and pixels in `scan.WorkBudget`, bytes read); measured times are in tests/benchmarks/.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import pkgutil
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import exit_code_pages
import pytest
from hypothesis import HealthCheck, settings

from toolkit.cli import main

settings.register_profile("paper2fa", deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("paper2fa")
"""No Hypothesis example has a time limit (its 200 ms deadline and the too-slow health check
fail on a busy machine, not on slow code); a failing example is printed with its blob."""

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = SHARED / "samples" / "aegis-importers"
VECTORS = SHARED / "vectors"





@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Choose the run's seed once, in the controller (each pytest-xdist worker is handed it),
    and give it to Hypothesis. Ctrl-C is Python's own in every process of the run: a suite
    started in the background of a shell script (`… &`, or under nohup) inherits SIGINT
    ignored, and the tests that send themselves a Ctrl-C then waited forever for it."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    given = getattr(config, "workerinput", {}).get("paper2fa_seed")
    if given is not None:
        config.option.hypothesis_seed = given
    elif getattr(config.option, "hypothesis_seed", None) is None:
        config.option.hypothesis_seed = str(int.from_bytes(os.urandom(4), "big"))


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist: every worker uses the controller's seed."""
    node.workerinput["paper2fa_seed"] = str(node.config.option.hypothesis_seed)


def seed_of(config: pytest.Config) -> int:
    value = str(config.option.hypothesis_seed)
    return int(value) if value.isdigit() else int.from_bytes(
        hashlib.sha256(value.encode()).digest()[:4], "big")


def pytest_report_header(config: pytest.Config) -> str:
    return f"run seed {seed_of(config)} (repeat with --hypothesis-seed={seed_of(config)})"


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int,
                            config: pytest.Config) -> None:
    terminalreporter.write_line(f"run seed {seed_of(config)}: repeat this run's random choices "
                                f"with --hypothesis-seed={seed_of(config)}")


@pytest.fixture(scope="session")
def run_seed(request: pytest.FixtureRequest) -> int:
    """The run's seed, for a test that draws its own random choices (print it in failures)."""
    return seed_of(request.config)


HEAVY_FILES = (
    "test_camera_videos.py", "test_bundle.py", "test_camera_photos.py", "test_fuzz.py",
    "test_render.py", "test_restore_e2e.py", "test_interrupt.py", "test_camera_restore.py",
    "test_qr_shapes.py", "test_cli_vault.py", "test_vault_sizes.py", "test_seal_cli.py",
    "test_fuzz_harness.py", "test_progress.py", "test_sharing.py", "test_qr_capacity.py",
)
"""The test files that take the most time, longest first (measured with --cpu-times, and the
clock for those that wait on programs: docs/testing.md; test_camera_videos.py first since on a
fresh clone it also makes its videos, about 60 s of CPU). With
`--dist loadfile` (pyproject.toml) pytest-xdist hands each file whole to one worker (its module
fixtures are made once), in the order collected: these go first, so the long files start at
once and the two workers end together. A file not listed that has slow tests comes next, then
the rest in their usual order. The order only decides when a file runs, never what it proves."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--cpu-times", metavar="FILE", default=None,
                     help="append each test's CPU seconds (its worker's and the programs it "
                          "ran) to FILE.<pid>, one tab-separated line a test")


def _cpu_now() -> float:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """With --cpu-times: the CPU a test took (setup, call and teardown), which a busy machine
    does not inflate as it does the time on the clock (docs/testing.md)."""
    target = item.config.getoption("--cpu-times")
    start = _cpu_now() if target else 0.0
    yield
    if target:
        with open(f"{target}.{os.getpid()}", "a", encoding="utf-8") as out:
            out.write(f"{item.nodeid}\t{_cpu_now() - start:.3f}\n")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The heavy files first (HEAVY_FILES), each file's tests together and in their order."""
    first: dict[str, int] = {}
    slow: set[str] = set()
    for index, item in enumerate(items):
        first.setdefault(item.path.name, index)
        if item.get_closest_marker("slow") is not None:
            slow.add(item.path.name)

    def rank(item: pytest.Item) -> tuple[int, int]:
        name = item.path.name
        if name in HEAVY_FILES:
            return (0, HEAVY_FILES.index(name))
        return (1 if name in slow else 2, first[name])

    items.sort(key=rank)


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


@pytest.fixture(scope="session")
def tiff_3000_frames() -> bytes:
    """A TIFF of 3,000 white 16x16 grey frames (1.1 MB), written directly (the fuzz corpus's
    writer): Pillow's `save_all` took 7 s of CPU for it, in each test that made one."""
    from fuzz.corpus import tiff

    return tiff([(16, 16, b"\xff" * 256)] * 3000)


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


@dataclass(frozen=True)
class KdfRun:
    """One password KDF started: which one and the cost parameters it was given."""

    kind: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


KDF_CLASSES = ("scrypt", "pbkdf2", "argon2id")
"""The KDFs made as objects (cryptography's) whose `derive` runs them; the others are calls."""


def _replace_kdfs(monkeypatch: pytest.MonkeyPatch,
                  wrap: Callable[[str, Callable[..., Any]], Callable[..., Any]]) -> None:
    """Replace every password KDF that toolkit code can reach by `wrap(kind, real)`."""
    import nacl.pwhash.argon2id
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    import toolkit

    classes: dict[int, Callable[..., Any]] = {
        id(Scrypt): wrap("scrypt", Scrypt), id(PBKDF2HMAC): wrap("pbkdf2", PBKDF2HMAC),
        id(Argon2id): wrap("argon2id", Argon2id)}
    for info in pkgutil.walk_packages(toolkit.__path__, "toolkit."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)  # a module imported later would keep the real KDF
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] != "toolkit" or module is None:
            continue
        for attr, value in list(vars(module).items()):
            if id(value) in classes:
                monkeypatch.setattr(module, attr, classes[id(value)])
    monkeypatch.setattr(hashlib, "pbkdf2_hmac", wrap("hashlib.pbkdf2", hashlib.pbkdf2_hmac))
    monkeypatch.setattr(hashlib, "scrypt", wrap("hashlib.scrypt", hashlib.scrypt))
    monkeypatch.setattr(nacl.pwhash.argon2id, "kdf",
                        wrap("libsodium.argon2id", nacl.pwhash.argon2id.kdf))


@pytest.fixture
def kdf_runs(monkeypatch: pytest.MonkeyPatch) -> list[KdfRun]:
    """Every password KDF (scrypt, PBKDF2, Argon2id, libsodium's Argon2id) that toolkit code
    starts during the test, recorded before it runs: a file whose KDF cost is refused must
    leave this list empty. Counting work, not time: the refusal holds on a busy machine."""
    runs: list[KdfRun] = []

    def recording(kind: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def start(*args: Any, **kwargs: Any) -> Any:
            runs.append(KdfRun(kind, () if kind in KDF_CLASSES else args, kwargs))
            return real(*args, **kwargs)
        return start

    _replace_kdfs(monkeypatch, recording)
    return runs


def _hashable(value: Any) -> Any:
    return value if isinstance(value, bytes | str | int | None) else type(value).__name__


@pytest.fixture
def kdf_cache(monkeypatch: pytest.MonkeyPatch) -> Count:
    """Each password KDF computed once per (kind, costs, salt, password) during the test, then
    given again: a test that feeds hundreds of damaged copies of one encrypted export still
    runs every step of the importer on each, without deriving the same key each time. Returns
    how many keys were derived."""
    derived = Count()
    keys: dict[Any, Any] = {}

    def once(key: Any, derive: Callable[[], Any]) -> Any:
        if key not in keys:
            derived.n += 1
            keys[key] = derive()
        return keys[key]

    def caching(kind: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def start(*args: Any, **kwargs: Any) -> Any:
            params = (kind, tuple(map(_hashable, args)),
                      tuple(sorted((k, _hashable(v)) for k, v in kwargs.items())))
            if kind not in KDF_CLASSES:
                return once(params, lambda: real(*args, **kwargs))
            made = real(*args, **kwargs)  # refuses bad parameters where the real one does

            class Once:
                def derive(self, secret: bytes) -> bytes:
                    return once((params, bytes(secret)), lambda: made.derive(secret))

                def __getattr__(self, name: str) -> Any:
                    return getattr(made, name)

            return Once()
        return start

    _replace_kdfs(monkeypatch, caching)
    return derived


@dataclass
class Count:
    """How many times something was done (work counted by a fixture)."""

    n: int = 0


@pytest.fixture
def accounts_built(monkeypatch: pytest.MonkeyPatch) -> Count:
    """How many accounts (toolkit.model.Account) are made during the test: an importer that
    refuses a file for holding too many entries must have made no more than a few per entry
    allowed. Set `.n = 0` to count from a later point."""
    from toolkit.model import Account

    count = Count()
    real = Account.__post_init__

    def counted(account: Account) -> None:
        count.n += 1
        real(account)

    monkeypatch.setattr(Account, "__post_init__", counted)
    return count
