"""Every Google Authenticator transfer code paper2fa writes, read by three independent decoders.

zxing-cpp (paper2fa's own reader), zbar and OpenCV (`opencv-contrib-python-headless` 5.0.0.93,
the version extract_otp_secrets pins; a test-only dependency) must each read every PNG code
exactly. OpenCV has two detectors: `QRCodeDetectorAruco` must read them all; the basic
`QRCodeDetector` fails to *locate* some perfectly drawn codes whatever their mask, quiet zone or
pixels per module (docs/commands/export.md, "Which apps read the transfer codes"), so for it the
test asserts the measured rate, not perfection: a code it misses is read by the others.
"""

from __future__ import annotations

import io
import random
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from toolkit.demo import demo_vault
from toolkit.errors import PasswordRequiredError
from toolkit.exporters import ExportOptions, export_vault
from toolkit.importers import import_bytes
from toolkit.model import Account, Vault, merge_accounts
from toolkit.scan import decode_bytes

pytestmark = pytest.mark.slow

cv2 = pytest.importorskip("cv2")
np = pytest.importorskip("numpy")
pyzbar = pytest.importorskip("pyzbar.pyzbar")

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples" / "aegis-importers"
PNG = ExportOptions(container="png")


def _samples_vault() -> Vault:
    """Every account of the shared plain samples (25 distinct accounts)."""
    groups = []
    for path in sorted(SAMPLES.glob("*")):
        if "encrypted" in path.name or path.suffix == ".md" or path.name.startswith("expected"):
            continue
        try:
            groups.append(import_bytes(path.read_bytes(), path.name).vault.accounts)
        except PasswordRequiredError:
            continue  # an encrypted export under another name
    return merge_accounts(groups).vault


def _generated_vault(seed: int, count: int = 41) -> Vault:
    """A vault like a real one: short issuers and e-mail names, 80-256-bit secrets, some HOTP."""
    rng = random.Random(seed)
    words = ["Example", "Mail", "Bank", "Cloud", "Forum", "Shop", "Code", "VPN", "Social"]
    return Vault(tuple(
        Account(issuer=" ".join(rng.choice(words) for _ in range(rng.randrange(1, 3))),
                name=f"{rng.choice(words).lower()}{n}@example.com",
                secret=rng.randbytes(rng.choice([10, 20, 20, 32])),
                type=rng.choice(["totp"] * 9 + ["hotp"]), digits=rng.choice([6, 6, 6, 8]),
                counter=rng.randrange(0, 1000))
        for n in range(count)))


def _vaults() -> dict[str, Vault]:
    vaults = {"demo": demo_vault()}
    if SAMPLES.is_dir():
        vaults["samples"] = _samples_vault()
    vaults.update({f"generated-{seed}": _generated_vault(seed) for seed in range(5)})
    return vaults


@pytest.fixture(scope="module")
def codes() -> list[tuple[str, str, bytes]]:
    """(vault name, expected text, PNG) of every transfer code of the test vaults."""
    found = []
    for name, vault in _vaults().items():
        result = export_vault(vault, "gauth-qr", replace(PNG, self_check=True))
        for png in result.files:
            [code] = decode_bytes(png)  # paper2fa's reader gives the expected text
            found.append((name, code.text, png))
    return found


def _gray(png: bytes) -> object:
    return np.array(Image.open(io.BytesIO(png)).convert("L"))


def test_zbar_reads_every_code(codes: list[tuple[str, str, bytes]]) -> None:
    for name, text, png in codes:
        read = [r.data.decode() for r in pyzbar.decode(Image.open(io.BytesIO(png)))]
        assert read == [text], name


def test_opencv_aruco_detector_reads_every_code(codes: list[tuple[str, str, bytes]]) -> None:
    detector = cv2.QRCodeDetectorAruco()
    for name, text, png in codes:
        read, _, _ = detector.detectAndDecode(_gray(png))
        assert read == text, name


def test_opencv_basic_detector_reads_most_codes(codes: list[tuple[str, str, bytes]]) -> None:
    detector = cv2.QRCodeDetector()
    missed = 0
    for _name, text, png in codes:
        read, points, _ = detector.detectAndDecode(_gray(png))
        if read != text:
            assert read == "" and points is None  # not located, never misread
            missed += 1
    # measured on random codes: 4 % of version 5 up to 25 % of version 17 are not located
    assert missed <= len(codes) * 3 // 10, f"{missed} of {len(codes)}"
