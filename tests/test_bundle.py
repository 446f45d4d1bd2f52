"""The offline bundle: build it (online, as a subprocess), install it with no network at all
(inside `unshare -rn`) and run the demo there; a tampered bundle must be refused before
anything is installed. Slow (about a minute; pip's cache keeps re-runs short): the bundle is
built once and installed once for the module (pyproject's `--dist loadfile` keeps the module on
one pytest-xdist worker)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.bundle, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
MAKE_BUNDLE = ROOT / "bootable" / "make-bundle.sh"


def _no_network_prefix() -> list[str]:
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is not installed")
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"the kernel refuses user/network namespaces: {probe.stderr.strip()}")
    return ["unshare", "-rn"]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "paper2fa-bundle"
    env = dict(os.environ, PYTHON=sys.executable)
    result = subprocess.run(["sh", str(MAKE_BUNDLE), str(out)], capture_output=True, text=True,
                            env=env, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def installed(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundle installed once with no network (inside `unshare -rn`): its prefix. The tests
    that use it only run programs from it (their outputs go to their own folders)."""
    prefix = tmp_path_factory.mktemp("installed") / "prefix"
    result = _install(bundle, prefix, offline=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all files match SHA256SUMS" in result.stdout
    return prefix


def _install(bundle: Path, prefix: Path, *, offline: bool) -> subprocess.CompletedProcess[str]:
    command = ["sh", str(bundle / "install.sh"), "--prefix", str(prefix), "--no-debs"]
    if offline:
        command = _no_network_prefix() + command
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def test_bundle_contents_are_hash_locked(bundle: Path) -> None:
    requirements = (bundle / "requirements.txt").read_text()
    lock = (ROOT / "requirements.lock").read_text()
    pinned = re.findall(r"^([A-Za-z0-9_.-]+)==", requirements, re.M)
    assert set(pinned) == set(re.findall(r"^([A-Za-z0-9_.-]+)==", lock, re.M)) | {"paper2fa"}
    wheels = sorted(p.name for p in (bundle / "wheels").iterdir())
    assert len(wheels) == len(pinned) and all(w.endswith(".whl") for w in wheels)
    paper2fa_wheel = next(w for w in wheels if w.startswith("paper2fa-"))
    digest = subprocess.run(["sha256sum", str(bundle / "wheels" / paper2fa_wheel)],
                            capture_output=True, text=True, check=True).stdout.split()[0]
    assert f"--hash=sha256:{digest}" in requirements
    listed = {line.split("  ", 1)[1] for line in (bundle / "SHA256SUMS").read_text().splitlines()}
    present = {str(p.relative_to(bundle)) for p in bundle.rglob("*")
               if p.is_file() and p.name != "SHA256SUMS"}
    assert listed == present
    assert {"install.sh", "README.md", "CHECKLIST.md", "BUNDLE-INFO"} <= present
    assert "python=3.11" in (bundle / "BUNDLE-INFO").read_text()


def test_install_and_demo_with_no_network(installed: Path, tmp_path: Path) -> None:
    run = [*_no_network_prefix(), str(installed / "bin" / "paper2fa")]
    demo = subprocess.run([*run, "demo", "-o", str(tmp_path / "demo")], capture_output=True,
                          text=True, timeout=300, cwd=tmp_path)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "round trip exact: yes" in demo.stdout
    assert "connected to a network" not in demo.stderr  # no interface but lo in there
    doctor = subprocess.run([*run, "doctor", "--json"], capture_output=True, text=True,
                            timeout=600)
    assert '"online": false' in doctor.stdout, doctor.stdout + doctor.stderr
    missing = [c["name"] for c in json.loads(doctor.stdout)["components"]
               if c["required"] and not c["version"]]
    assert missing == []  # the bundle installs everything doctor requires (the live image too)


def test_camera_library_and_its_ffmpeg_are_in_the_bundle(bundle: Path, installed: Path,
                                                         tmp_path: Path) -> None:
    """The camera restore needs PyAV: its wheel (from requirements.lock) carries FFmpeg's own
    libraries, so the offline install decodes video with nothing else installed."""
    av_wheel = next((bundle / "wheels").glob("av-*.whl"))
    assert "manylinux" in av_wheel.name
    names = zipfile.ZipFile(av_wheel).namelist()
    assert any(re.match(r"av\.libs/libavcodec-[^/]*\.so", n) for n in names), names[:20]
    assert any(re.match(r"av\.libs/libavformat-[^/]*\.so", n) for n in names)
    video = tmp_path / "one.mp4"
    program = (
        "import sys, av\n"
        "with av.open(sys.argv[1], 'w', format='mp4') as out:\n"
        "    s = out.add_stream('mpeg4', rate=5); s.width, s.height = 64, 48\n"
        "    s.pix_fmt = 'yuv420p'\n"
        "    for p in s.encode(av.VideoFrame(64, 48, 'yuv420p')): out.mux(p)\n"
        "    for p in s.encode(): out.mux(p)\n"
        "with av.open(sys.argv[1]) as back:\n"
        "    print(sum(1 for _ in back.decode(video=0)), 'frame')\n")
    run = subprocess.run([*_no_network_prefix(), str(installed / "bin" / "python"), "-c", program,
                          str(video)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0 and run.stdout.strip() == "1 frame", run.stdout + run.stderr


def test_tampered_wheel_is_refused_before_installing(bundle: Path, tmp_path: Path) -> None:
    copy = tmp_path / "bundle"
    shutil.copytree(bundle, copy)
    wheel = next((copy / "wheels").glob("pyotp-*.whl"))
    data = bytearray(wheel.read_bytes())
    data[len(data) // 2] ^= 0x01
    wheel.write_bytes(bytes(data))
    prefix = tmp_path / "prefix"
    result = _install(copy, prefix, offline=False)
    assert result.returncode != 0
    assert "REFUSED" in result.stderr and "Nothing was installed" in result.stderr
    assert wheel.name in result.stdout + result.stderr
    assert not prefix.exists()


def test_unlisted_file_is_refused(bundle: Path, tmp_path: Path) -> None:
    copy = tmp_path / "bundle"
    shutil.copytree(bundle, copy)
    (copy / "wheels" / "evil-1.0-py3-none-any.whl").write_bytes(b"PK")
    result = _install(copy, tmp_path / "prefix", offline=False)
    assert result.returncode != 0 and "not listed in SHA256SUMS" in result.stderr
    assert not (tmp_path / "prefix").exists()


def test_make_bundle_refuses_a_non_empty_outdir(tmp_path: Path) -> None:
    (tmp_path / "something").write_text("x")
    result = subprocess.run(["sh", str(MAKE_BUNDLE), str(tmp_path)], capture_output=True,
                            text=True)
    assert result.returncode == 8 and "not empty" in result.stderr


def _setuptools_major(python: Path) -> int | None:
    """The major version of the setuptools `python` has, when it has pip as well (which
    make-bundle.sh runs); None without them."""
    probe = subprocess.run([str(python), "-c", "import setuptools, pip; "
                            "print(setuptools.__version__)"], capture_output=True, text=True)
    return int(probe.stdout.split(".")[0]) if probe.returncode == 0 else None


def test_bundle_builds_with_a_python_whose_setuptools_is_too_old(bundle: Path,
                                                                   tmp_path: Path) -> None:
    """pyproject.toml needs setuptools 77 (`license = "MIT"`); a plain Python 3.11 venv has 65.
    make-bundle.sh builds the wheel with the setuptools pinned in requirements.lock instead, so
    the wheel is the same byte for byte whatever Python runs it (issue 12). The Python this
    venv is made from, when it has pip and such a setuptools itself, is used as it is (making
    the venv was a third of this test's CPU). The wheels this build checks and copies come from
    the bundle the fixture downloaded (pip's own PIP_NO_INDEX and PIP_FIND_LINKS): the download
    is proven there; here it is the paper2fa wheel's build that counts."""
    python = Path(getattr(sys, "_base_executable", sys.executable))
    if python == Path(sys.executable) or _setuptools_major(python) not in range(77):
        # no Python here with an old setuptools and pip: a plain venv brings them
        old = tmp_path / "old-python"
        subprocess.run([sys.executable, "-m", "venv", str(old)], check=True, timeout=300)
        python = old / "bin" / "python"
        major = _setuptools_major(python)
        if major is not None and major >= 77:
            pytest.skip(f"this Python's venv brings setuptools {major}, not an old one")
    out = tmp_path / "bundle"
    env = dict(os.environ, PYTHON=str(python), BUNDLE_DEBS="", PIP_NO_INDEX="1",
               PIP_FIND_LINKS=str(bundle / "wheels"))
    result = subprocess.run(["sh", str(MAKE_BUNDLE), str(out)], capture_output=True, text=True,
                            env=env, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    built = next((out / "wheels").glob("paper2fa-*.whl"))
    first = next((bundle / "wheels").glob("paper2fa-*.whl"))
    assert built.name == first.name and built.read_bytes() == first.read_bytes()
