"""Phone photos of a sheet, 12 to 200 megapixels: do its QR codes still read after paper2fa
scales the photo down to `constants.MAX_PAGE_PIXELS`? (run on demand; not collected by pytest)

For each photo size and framing, a frames page of a split sheet is "photographed": rendered so
that it fills a share of the photo's height, turned 2 degrees, laid on a grey desk, blurred the
way a phone lens is at that resolution (the sharpness of a 12-megapixel photo, whatever the
sensor), given sensor noise and saved as JPEG (or HEIC). Each photo is then read exactly as
`paper2fa restore` reads a file (`scan.images_of`, then `scan.read_page`) in a fresh process,
which reports the codes read, the seconds and its peak memory.

    .venv/bin/python tests/benchmarks/photos.py --megapixels 12,48,108,200 --fill 0.9,0.55
    .venv/bin/python tests/benchmarks/photos.py --megapixels 12,24 --formats heic

Making a 200-megapixel photo needs about 1.5 GB of memory for a minute; reading it is the
measurement. HEIC is simulated up to 35 megapixels only: pillow-heif writes one HEVC picture,
and HEVC allows at most 35.6 megapixels in one (phones write larger photos as a grid of tiles).

Measured 2026-12 (2 shared CPUs, page 3 of a 200-account sheet, 8 codes at 300 DPI): every
photo read 8/8 codes; JPEG 12 / 48 / 108 / 200 megapixels decoded at 3000x4000, 3000x4000,
4325x5767, 4325x5767 in 0.6 / 0.7 / 1.3 / 2.1 s with a peak of 150 / 123 / 214 / 258 MB;
HEIC 12 / 24 megapixels in 2.5 / 4.5 s, 157 / 270 MB.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the repository, for toolkit

from PIL import Image, ImageChops, ImageFilter  # noqa: E402

from toolkit import constants as C  # noqa: E402
from toolkit import envelope, scan, sharing  # noqa: E402
from toolkit.model import Account, Vault  # noqa: E402
from toolkit.render.layout import PAPERS  # noqa: E402
from toolkit.render.split import render_split_pdfs  # noqa: E402

DATE = datetime(2026, 1, 15, tzinfo=UTC)
DESK = 110
A4_HEIGHT_INCHES = 297 / 25.4


def sheet_pdf(accounts: int) -> bytes:
    rng = random.Random(accounts)
    vault = Vault(tuple(
        Account(issuer=f"Service {i:04d}", name=f"person{i}@example.com",
                secret=rng.randbytes(20)) for i in range(accounts)))
    split = sharing.make_split(vault, 3, 5, (), "pyshamir", None,
                               kdf=envelope.KDF_PROFILES["test"], now=DATE)
    pdfs = render_split_pdfs(split, DATE, PAPERS["a4"], self_check=False)
    return pdfs[sorted(n for n in pdfs if n.startswith("share-"))[0]]


def render_page(pdf: bytes, number: int, dpi: float) -> Image.Image:
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    try:
        page = doc[number - 1]
        try:
            image: Image.Image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            return image.convert("L")
        finally:
            page.close()
    finally:
        doc.close()


def make_photo(pdf: bytes, page: int, megapixels: float, fill: float, fmt: str) -> bytes:
    """A portrait 4:3 photo of page `page` filling `fill` of the photo's height."""
    height = round(math.sqrt(megapixels * 1e6 * 4 / 3))
    width = round(height * 3 / 4)
    sheet = render_page(pdf, page, fill * height / A4_HEIGHT_INCHES)
    sheet = sheet.rotate(2, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=DESK)
    photo = Image.new("L", (width, height), DESK)
    photo.paste(sheet, ((width - sheet.width) // 2, (height - sheet.height) // 2))
    del sheet
    photo = photo.filter(ImageFilter.GaussianBlur(0.8 * math.sqrt(megapixels / 12)))
    photo = ImageChops.add(photo, Image.effect_noise(photo.size, 6), offset=-128)
    out = io.BytesIO()
    if fmt == "heic":
        import pillow_heif

        pillow_heif.register_heif_opener()
        photo.convert("RGB").save(out, format="HEIF", quality=85)
    else:
        photo.convert("RGB").save(out, format="JPEG", quality=90)
    return out.getvalue()


def read_photo(path: Path) -> dict[str, Any]:
    """Read one photo as `paper2fa restore` does; runs in its own process (peak memory)."""
    start = time.perf_counter()
    codes = 0
    size: tuple[int, int] = (0, 0)
    for number, image in enumerate(scan.images_of(path.read_bytes(), None), 1):
        size = image.size
        codes += len(scan.read_page(image, number, path.name).codes)
    return {"codes": codes, "seconds": time.perf_counter() - start, "decoded": list(size),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure(pdf: bytes, page: int, megapixels: float, fill: float, fmt: str,
            expected: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"photo.{fmt}"
        made = subprocess.run([sys.executable, __file__, "--make", str(path), "--page", str(page),
                               "--megapixels", str(megapixels), "--fill", str(fill),
                               "--formats", fmt], stdin=subprocess.DEVNULL)
        if made.returncode != 0:
            return {"error": f"making the photo failed ({made.returncode})"}
        size = path.stat().st_size
        read = subprocess.run([sys.executable, __file__, "--read", str(path)],
                              capture_output=True, text=True)
        if read.returncode != 0:
            return {"error": read.stderr.strip().splitlines()[-1:]}
        result: dict[str, Any] = json.loads(read.stdout)
        result.update(megapixels=megapixels, fill=fill, format=fmt, file_mb=size / 1e6,
                      expected=expected)
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megapixels", default="12,48,108,200")
    parser.add_argument("--fill", default="0.9,0.55",
                        help="share of the photo's height the sheet covers")
    parser.add_argument("--formats", default="jpeg")
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--page", type=int, default=3, help="page of the sheet (3: frames)")
    parser.add_argument("--make", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--read", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.read:
        print(json.dumps(read_photo(args.read)))
        return
    pdf = sheet_pdf(args.accounts)
    if args.make:
        args.make.write_bytes(make_photo(pdf, args.page, float(args.megapixels),
                                         float(args.fill), args.formats))
        return
    expected = len(scan.zxing_pass(render_page(pdf, args.page, 300))[0])
    print(f"page {args.page} of a {args.accounts}-account sheet: {expected} codes at 300 DPI; "
          f"pages scaled to at most {C.MAX_PAGE_PIXELS / 1e6:g} megapixels; "
          f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print("| photo MP | sheet fills | format | file MB | decoded at | codes read | s | peak MB |")
    print("|---:|---:|---|---:|---|---:|---:|---:|")
    for fmt in args.formats.split(","):
        for megapixels in (float(m) for m in args.megapixels.split(",")):
            for fill in (float(f) for f in args.fill.split(",")):
                r = measure(pdf, args.page, megapixels, fill, fmt, expected)
                if "error" in r:
                    print(f"| {megapixels:g} | {fill:.0%} | {fmt} | | | {r['error']} | | |")
                    continue
                w, h = r["decoded"]
                print(f"| {megapixels:g} | {fill:.0%} | {fmt} | {r['file_mb']:.1f} | {w}x{h} "
                      f"| {r['codes']}/{expected} | {r['seconds']:.1f} | {r['peak_mb']:.0f} |",
                      flush=True)


if __name__ == "__main__":
    main()
