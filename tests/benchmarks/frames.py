"""Frame benchmarks (not collected by pytest; run by hand).

    .venv/bin/python tests/benchmarks/frames.py            # encode/decode times
    .venv/bin/python tests/benchmarks/frames.py --decode-rate [--trials N]

The first prints encode/decode times for vaults of 10, 200 and 2000 accounts' size. The second
measures how often a full-size frame (QR version 15, level M) reads back after being printed at
a given module size and scanned at 150 or 300 DPI, simulated: drawn at 1200 DPI, rotated a
little, averaged down to the scan resolution, blurred and given noise, then decoded with
zxing-cpp in one plain pass (the numbers in docs/print-parameters.md come from here).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import qrcode
import zxingcpp
from PIL import Image, ImageFilter
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import MODE_ALPHA_NUM, QRData

from toolkit import frames as F

BYTES_PER_ACCOUNT = 110
"""A sealed account is ~100-120 bytes of canonical JSON (issuer, name, 20-byte secret)."""


def timing() -> None:
    print(f"{'accounts':>8} {'payload':>9} {'frames':>6} {'encode ms':>10} {'decode ms':>10} "
          f"{'decode, parity used ms':>23}")
    for accounts in (10, 200, 2000):
        payload = random.Random(accounts).randbytes(accounts * BYTES_PER_ACCOUNT)
        start = time.perf_counter()
        frames = F.encode_frames(payload, "sealed", F.doc_id_for(payload))
        encode = time.perf_counter() - start
        start = time.perf_counter()
        assert F.decode_frames(f.text for f in frames) == payload
        decode = time.perf_counter() - start
        shapes = F.block_shapes(frames[0].payload_length, frames[0].chunk_size)
        lost = {s.first + t for s in shapes for t in range(s.m)}  # every block loses m data
        start = time.perf_counter()
        assert F.decode_frames(f.text for f in frames if f.index not in lost) == payload
        repair = time.perf_counter() - start
        print(f"{accounts:>8} {len(payload):>9} {len(frames):>6} {encode * 1000:>10.1f} "
              f"{decode * 1000:>10.1f} {repair * 1000:>23.1f}")


def qr_image(text: str, module_px: int) -> Image.Image:
    qr = qrcode.QRCode(version=None, error_correction=ERROR_CORRECT_M, border=F.QUIET_ZONE_MODULES,
                       box_size=module_px)
    qr.add_data(QRData(text, mode=MODE_ALPHA_NUM))
    qr.make(fit=True)
    image = qr.make_image().get_image().convert("L")
    # white paper around the quiet zone
    page = Image.new("L", (image.width + 8 * module_px, image.height + 8 * module_px), 255)
    page.paste(image, (4 * module_px, 4 * module_px))
    return page


def scanned(text: str, module_mm: float, dpi: int, blur: float, noise: float,
            rng: random.Random) -> Image.Image:
    draw_dpi = 1200
    module_px = round(module_mm / 25.4 * draw_dpi)
    image = qr_image(text, module_px)
    image = image.rotate(rng.uniform(-2, 2), resample=Image.Resampling.BILINEAR, fillcolor=255)
    size = (round(image.width * dpi / draw_dpi), round(image.height * dpi / draw_dpi))
    image = image.resize(size, Image.Resampling.BOX)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        pixels = bytes(min(255, max(0, int(v + rng.gauss(0, noise)))) for v in image.tobytes())
        image = Image.frombytes("L", image.size, pixels)
    return image


def decode_rate(trials: int) -> None:
    rng = random.Random(1)
    payload = rng.randbytes(20 * F.MAX_CHUNK_BYTES)
    frames = [f for f in F.encode_frames(payload, "sealed", F.doc_id_for(payload))]
    print(f"QR version 15 level M, {len(frames[0].text)} characters; {trials} trials per cell;")
    print("blur = Gaussian sigma in scan pixels, noise = sigma in grey levels (0-255)\n")
    print(f"{'dpi':>4} {'module mm':>9} {'px/module':>9} {'blur':>5} {'noise':>5} {'read':>7}")
    for dpi in (150, 300):
        for module_mm in (0.33, 0.42, 0.50, 0.60):
            for blur, noise in ((0.0, 0.0), (0.6, 8.0), (1.0, 16.0), (1.4, 24.0)):
                ok = 0
                for t in range(trials):
                    frame = frames[t % len(frames)]
                    image = scanned(frame.text, module_mm, dpi, blur, noise, rng)
                    found = zxingcpp.read_barcodes(image)
                    ok += any(code.text == frame.text for code in found)
                px = module_mm / 25.4 * dpi
                print(f"{dpi:>4} {module_mm:>9.2f} {px:>9.2f} {blur:>5.1f} {noise:>5.0f} "
                      f"{ok:>3}/{trials:<3}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decode-rate", action="store_true")
    parser.add_argument("--trials", type=int, default=20)
    args = parser.parse_args()
    if args.decode_rate:
        decode_rate(args.trials)
    else:
        timing()


if __name__ == "__main__":
    main()
