"""Which QR writer: zxing-cpp's, python-qrcode's or segno? Correctness, speed, readability.

Every code paper2fa prints (the demo vault's otpauth URIs at the home-safe size, frame codes at
0.5 mm, share codes at level H) is made by both writers, drawn at its printed module size at
600 DPI, printed and scanned (tests/degrade.py, with extra blur, noise and a slight rotation),
and read by zxing-cpp, zbar (pyzbar) and OpenCV (QRCodeDetector and QRCodeDetectorAruco; test
dependency opencv-contrib-python-headless). Also the time to encode. Prints a Markdown table
(recorded in docs/print-parameters.md, "Which QR writer").

Run from the repository root:  .venv/bin/python tests/benchmarks/qr_writers.py [--trials N]

With --shapes: each writer encodes the frame shapes of tests/test_qr_shapes.py (every chunk size
with an all-zero chunk, and every chunk size's most padded fill of random data) and every demo
code; prints, per writer, how many read back exactly, how many raised, whether frame codes stay
in one alphanumeric segment at the version paper2fa lays out (same matrix as segno's at the same
mask), and the encode time per frame code and per otpauth URI (CPU ms).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import qrcode
import segno
import zxingcpp
from PIL import Image, ImageDraw, ImageFilter, ImageOps
from qrcode.util import MODE_ALPHA_NUM, QRData

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import degrade as D

from toolkit import envelope, frames
from toolkit.demo import demo_vault
from toolkit.model import vault_to_paper
from toolkit.render.home_safe import QR_BOX
from toolkit.render.qr import FRAME_MODULE, SHARE_ERROR_CORRECTION
from toolkit.render.share_sheet import SHARE_QR_BOX
from toolkit.scan import pyzbar_pass
from toolkit.sharing import make_split
from toolkit.uri import build_otpauth

Matrix = list[list[bool]]
QUIET = frames.QUIET_ZONE_MODULES
EC = {"M": qrcode.constants.ERROR_CORRECT_M, "H": qrcode.constants.ERROR_CORRECT_H}


def zxing_writer(text: str, ec: str) -> Matrix:
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=ec)
    image = code.to_image(scale=1, add_quiet_zones=False)
    flat = bytes(memoryview(image))
    size = int(image.shape[0])
    return [[flat[r * size + c] == 0 for c in range(size)] for r in range(size)]


def qrcode_writer(text: str, ec: str) -> Matrix:
    """python-qrcode as paper2fa would use it: alphanumeric mode for frame and share texts
    (FORMAT.md), its own segmentation for URIs; mask chosen by its penalty rules."""
    qr = qrcode.QRCode(error_correction=EC[ec], box_size=1, border=0)
    if frames.is_qr_alphanumeric(text):
        qr.add_data(QRData(text.encode("ascii"), mode=MODE_ALPHA_NUM))
    else:
        qr.add_data(text)
    qr.make(fit=True)
    return [[bool(v) for v in row] for row in qr.modules]


def segno_writer(text: str, ec: str) -> Matrix:
    """segno as paper2fa uses it for frame and share texts: one alphanumeric segment, no error
    level boost; for URIs its own mode choice (byte mode)."""
    mode = "alphanumeric" if frames.is_qr_alphanumeric(text) else None
    code = segno.make_qr(text, error=ec, mode=mode, boost_error=False)
    return [[bool(v) for v in row] for row in code.matrix]


WRITERS: dict[str, Callable[[str, str], Matrix]] = {"zxing-cpp": zxing_writer,
                                                    "qrcode": qrcode_writer,
                                                    "segno": segno_writer}


def codes() -> list[tuple[str, str, str, float]]:
    """(kind, text, error correction, box or module size in mm) for every code tried."""
    vault = demo_vault()
    out = [("otpauth URI", build_otpauth(a), "M", QR_BOX / 72 * 25.4) for a in vault.accounts]
    payload = vault_to_paper(vault)
    for frame in frames.encode_frames(payload * 40, "vault", frames.doc_id_for(payload))[:6]:
        out.append(("frame (v15)", frame.text, "M", -FRAME_MODULE / 72 * 25.4))
    split = make_split(vault, 2, 3, kdf=envelope.KDF_PROFILES["test"])
    out += [("share", s.qr_text(), SHARE_ERROR_CORRECTION, SHARE_QR_BOX / 72 * 25.4)
            for s in split.shares]
    return out


def module_mm(matrix: Matrix, size: float) -> float:
    """Negative size: a fixed module size; positive: the box the code is fitted into, with the
    same rule as toolkit.render.qr.module_for (0.5 mm at least, 0.9 mm at most)."""
    if size < 0:
        return -size
    return max(FRAME_MODULE / 72 * 25.4, min(0.9, size / (len(matrix) + 2 * QUIET)))


def printed(matrix: Matrix, module: float, dpi: int, blur: float, noise: float, angle: float,
            rng: random.Random) -> Image.Image:
    """The code drawn at 600 DPI on paper, printed, scanned at `dpi`, then blurred and noised
    (sigma in scan pixels), slightly rotated."""
    px = module / 25.4 * D.PRINT_DPI
    side = round((len(matrix) + 2 * QUIET + 8) * px)
    page = Image.new("L", (side, side), 255)
    draw = ImageDraw.Draw(page)
    offset = (QUIET + 4) * px
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                x0, y0 = offset + c * px, offset + r * px
                draw.rectangle((round(x0), round(y0), round(x0 + px) - 1, round(y0 + px) - 1),
                               fill=0)
    scan = D.printed_and_scanned(page, dpi, rng)
    if blur:
        scan = scan.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        scan = D.noise(scan, noise, rng)
    return D.rotate(scan, angle)


def opencv_reader(kind: str) -> Callable[[Image.Image], list[str]]:
    import cv2
    import numpy

    detector = cv2.QRCodeDetector() if kind == "basic" else cv2.QRCodeDetectorAruco()

    def read(image: Image.Image) -> list[str]:
        text, _, _ = detector.detectAndDecode(numpy.asarray(image))
        return [text] if text else []

    return read


def zxing_reader(image: Image.Image) -> list[str]:
    return [c.text for c in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def zbar_reader(image: Image.Image) -> list[str]:
    return [c.text for c in pyzbar_pass(image)]


READERS: dict[str, Callable[[Image.Image], list[str]]] = {
    "zxing-cpp": zxing_reader, "zbar": zbar_reader, "OpenCV": opencv_reader("basic"),
    "OpenCV Aruco": opencv_reader("aruco")}

CONDITIONS = {
    "300 DPI": (300, 0.0, 0.0),
    "150 DPI": (150, 0.0, 0.0),
    "150 DPI, blur 0.8, noise 12": (150, 0.8, 12.0),
    "150 DPI, blur 1.1, noise 18": (150, 1.1, 18.0),
}


def read_matrix(matrix: Matrix) -> list[str]:
    side = len(matrix)
    plain = Image.frombytes("L", (side, side),
                            bytes(0 if dark else 255 for row in matrix for dark in row))
    image = ImageOps.expand(plain, QUIET, fill=255)
    image = image.resize((2 * image.width, 2 * image.height), Image.Resampling.NEAREST)
    return zxing_reader(image)


def shape_texts() -> list[str]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from test_qr_shapes import frame_shapes, frame_text

    rng = random.Random(20261207)
    most: dict[int, int] = {}
    for size, pad in frame_shapes():
        most[size] = max(most.get(size, 0), pad)
    texts = [frame_text(size, size - 1, bytes(size)) for size in sorted(most)]
    texts += [frame_text(size, pad, rng.randbytes(size)) for size, pad in sorted(most.items())]
    return texts


def shapes(argv: list[str]) -> int:
    del argv
    texts = shape_texts()
    uris = [text for _, text, _, _ in codes() if not frames.is_qr_alphanumeric(text)]
    print(f"python {platform.python_version()}, zxing-cpp {package_version('zxing-cpp')}, qrcode "
          f"{package_version('qrcode')}, segno {package_version('segno')}; {len(texts)} frame "
          f"shapes (seed 20261207), {len(uris)} otpauth URIs")
    print()
    print("| writer | frame codes read back exactly | raised | one alphanumeric segment, "
          "version as laid out | encode ms per frame code | encode ms per otpauth URI |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    reference = {}
    for text in texts:
        code = segno.make_qr(text, error="M", mode="alphanumeric", boost_error=False)
        reference[text] = code
    for name, writer in WRITERS.items():
        good = raised = same = 0
        start = time.process_time()
        for text in texts:
            try:
                matrix = writer(text, "M")
            except ValueError:
                raised += 1
                continue
            good += read_matrix(matrix) == [text]
            ref = reference[text]
            if name == "zxing-cpp":  # compare at segno's mask: same segments, same matrix
                code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M",
                                               version=ref.version, data_mask=ref.mask)
                image = code.to_image(scale=1, add_quiet_zones=False)
                flat = bytes(memoryview(image))
                n = int(image.shape[0])
                same += [[flat[r * n + c] == 0 for c in range(n)] for r in range(n)] == [
                    [bool(v) for v in row] for row in ref.matrix] and len(matrix) == n
            else:
                same += matrix == [[bool(v) for v in row] for row in ref.matrix]
        frame_ms = (time.process_time() - start) * 1000 / len(texts)
        start = time.process_time()
        for _ in range(5):
            for uri in uris:
                writer(uri, "M")
        uri_ms = (time.process_time() - start) * 1000 / (5 * len(uris))
        print(f"| {name} | {good} of {len(texts)} | {raised} | {same} | {frame_ms:.1f} | "
              f"{uri_ms:.1f} |", flush=True)
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--shapes"]:
        return shapes(argv[1:])
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=2)
    args = parser.parse_args(argv)
    items = codes()
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, zxing-cpp "
          f"{package_version('zxing-cpp')}, qrcode {package_version('qrcode')}, OpenCV "
          f"{package_version('opencv-contrib-python-headless')}, {len(items)} codes x "
          f"{args.trials} trials per condition")
    print()
    print("| writer | encode ms per code | version (modules) differs | condition | "
          + " | ".join(READERS) + " |")
    print("| --- | ---: | ---: | --- |" + " ---: |" * len(READERS))
    for name, writer in WRITERS.items():
        start = time.perf_counter()
        matrices = [writer(text, ec) for _, text, ec, _ in items]
        encode_ms = (time.perf_counter() - start) * 1000 / len(items)
        other = WRITERS["qrcode" if name != "qrcode" else "zxing-cpp"]
        larger = sum(len(m) > len(other(text, ec)) for m, (_, text, ec, _) in
                     zip(matrices, items, strict=True))
        for condition, (dpi, blur, noise) in CONDITIONS.items():
            reads = dict.fromkeys(READERS, 0)
            total = 0
            for trial in range(args.trials):
                rng = random.Random(f"{condition} {trial}")  # both writers see the same damage
                for matrix, (_, text, _, size) in zip(matrices, items, strict=True):
                    image = printed(matrix, module_mm(matrix, size), dpi, blur, noise,
                                    rng.uniform(-1.5, 1.5), rng)
                    total += 1
                    for reader_name, read in READERS.items():
                        reads[reader_name] += read(image) == [text]
            cells = " | ".join(f"{reads[r]}/{total}" for r in READERS)
            print(f"| {name} | {encode_ms:.1f} | {larger} larger | {condition} | {cells} |",
                  flush=True)
    return 0


def package_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
