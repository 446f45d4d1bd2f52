"""Paper damage, simulated: the degradations shared by the end-to-end tests and the benchmark.

Every function takes grayscale PIL images (and an `rng` where chance plays a part) and returns
new images, so a condition is reproducible from its seed. Only Pillow is used (no numpy).

`print_and_scan` simulates a printer and a scanner: render at 600 DPI, printer blur and dot
gain, resample to the scan resolution (the scanner's sensor averages), scanner noise.
`CONDITIONS` names each condition of the benchmark's degradation suite.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pypdfium2
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageMath

from toolkit.scan import zxing_pass

WHITE = 255
PRINT_DPI = 600
Corners = tuple[tuple[int, int], ...]


# --- paper -> pixels ----------------------------------------------------------------------


def rasterize(pdf: bytes, dpi: int) -> list[Image.Image]:
    """Every page of a PDF as a grayscale image at `dpi` (an ideal print and scan)."""
    doc = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for index in range(len(doc)):
            page = doc[index]
            try:
                pages.append(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
            finally:
                page.close()
        return pages
    finally:
        doc.close()


def print_and_scan(pdf: bytes, dpi: int, rng: random.Random,
                   print_dpi: int = PRINT_DPI) -> list[Image.Image]:
    """Print a PDF and scan the paper at `dpi` (see `printed_and_scanned`)."""
    return [printed_and_scanned(page, dpi, rng, print_dpi) for page in rasterize(pdf, print_dpi)]


def printed_and_scanned(page: Image.Image, dpi: int, rng: random.Random,
                        print_dpi: int = PRINT_DPI) -> Image.Image:
    """A page rendered at `print_dpi`: blurred and spread toner, scanned at `dpi` with noise."""
    page = page.convert("L").filter(ImageFilter.GaussianBlur(print_dpi / 600))  # soft toner
    page = page.point(_dot_gain_table())  # ink spreads: edges of dark areas grow
    size = (round(page.width * dpi / print_dpi), round(page.height * dpi / print_dpi))
    page = page.resize(size, Image.Resampling.BOX)  # the sensor averages each cell
    page = page.filter(ImageFilter.GaussianBlur(0.5))  # scanner optics
    return noise(page, 3, rng)


def _dot_gain_table() -> list[int]:
    return [round(255 * (v / 255) ** 1.6) for v in range(256)]


def to_pdf(pages: Sequence[Image.Image], dpi: int) -> bytes:
    """Scanned pages saved as one PDF, as a scanner's 'scan to PDF' does."""
    out = io.BytesIO()
    first, *rest = [p.convert("L") for p in pages]
    first.save(out, format="PDF", save_all=True, append_images=rest, resolution=dpi)
    return out.getvalue()


# --- geometry -----------------------------------------------------------------------------


def rotate(image: Image.Image, degrees: float) -> Image.Image:
    """Rotated counter-clockwise, the page grown to fit, corners filled with white paper."""
    if degrees % 90 == 0:
        return image.rotate(degrees, expand=True)
    return image.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True,
                        fillcolor=WHITE)


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (8 unknowns; no numpy here)."""
    n = len(vector)
    rows = [[*row, v] for row, v in zip(matrix, vector, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def _perspective_coeffs(dst: Sequence[tuple[float, float]],
                        src: Sequence[tuple[float, float]]) -> list[float]:
    """Coefficients for Image.transform(PERSPECTIVE) mapping output points `dst` to `src`."""
    matrix, vector = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        vector.extend([u, v])
    return _solve(matrix, vector)


def keystone(image: Image.Image, fraction: float) -> Image.Image:
    """A photo taken at an angle: the top edge `fraction` narrower than the bottom edge."""
    w, h = image.size
    inset = w * fraction / 2
    dst = [(inset, 0.0), (w - inset, 0.0), (float(w), float(h)), (0.0, float(h))]
    src = [(0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h))]
    return image.transform(image.size, Image.Transform.PERSPECTIVE,
                           _perspective_coeffs(dst, src), Image.Resampling.BICUBIC,
                           fillcolor=WHITE)


# --- optics and sensor --------------------------------------------------------------------


def blur(image: Image.Image, sigma: float) -> Image.Image:
    """Gaussian blur with standard deviation `sigma` pixels (out of focus, a dirty glass)."""
    return image.filter(ImageFilter.GaussianBlur(sigma))


def noise(image: Image.Image, sigma: float, rng: random.Random) -> Image.Image:
    """Add near-Gaussian noise of standard deviation `sigma` grey levels (sum of 4 uniforms)."""
    size = image.width * image.height
    parts = {k: Image.frombytes("L", image.size, rng.randbytes(size)) for k in "abcd"}
    # four uniform 0..255 bytes sum to mean 510 and standard deviation ~147.8
    scale = sigma / 147.8
    out = ImageMath.lambda_eval(
        lambda a: a["img"] + (a["a"] + a["b"] + a["c"] + a["d"] - 510) * scale,
        img=image.convert("L"), **parts)
    result: Image.Image = out.convert("L")
    return result


def jpeg(image: Image.Image, quality: int) -> Image.Image:
    """Saved and reopened as JPEG at `quality` (phones and 'scan to e-mail')."""
    out = io.BytesIO()
    image.convert("L").save(out, format="JPEG", quality=quality)
    return Image.open(io.BytesIO(out.getvalue())).convert("L")


def low_contrast(image: Image.Image, dark: int = 90, light: int = 180) -> Image.Image:
    """Black printed as grey `dark`, white paper as grey `light` (a faded print, a dim scan)."""
    return image.point([round(dark + (light - dark) * v / 255) for v in range(256)])


def uneven_light(image: Image.Image, darkest: float = 0.45) -> Image.Image:
    """Light falling off across the page to `darkest` times its strength in one corner."""
    gradient = Image.linear_gradient("L").rotate(45, expand=True).resize(image.size)
    shade = gradient.point([round(255 * (1 - (1 - darkest) * v / 255)) for v in range(256)])
    return ImageChops.multiply(image.convert("L"), shade)


def fold(image: Image.Image, at: float = 0.5, width: float = 0.004) -> Image.Image:
    """A fold line across the page at `at` of its height: a dark crease and a shadow beside it."""
    w, h = image.size
    y = round(h * at)
    crease = max(2, round(h * width))
    shade = Image.new("L", image.size, WHITE)
    draw = ImageDraw.Draw(shade)
    draw.rectangle([0, y, w, y + 6 * crease], fill=215)  # the paper bends away from the light
    draw.rectangle([0, y, w, y + crease], fill=110)
    shade = shade.filter(ImageFilter.GaussianBlur(crease / 2))
    return ImageChops.multiply(image.convert("L"), shade)


# --- damage to codes ----------------------------------------------------------------------


def code_corners(image: Image.Image) -> list[Corners]:
    """Where the QR codes readable on `image` are (to aim blotches at them)."""
    found, _ = zxing_pass(image.convert("L"))
    return [c.position for c in found]


def _side(corners: Corners) -> float:
    (x0, y0), (x1, y1) = corners[0], corners[1]
    return math.hypot(x1 - x0, y1 - y0)


def blotch(image: Image.Image, corners: Corners, fraction: float, rng: random.Random,
           shade: int = 0) -> Image.Image:
    """An ink blot (a round blob of grey `shade`) over `fraction` of one code's area."""
    side = _side(corners)
    radius = side * math.sqrt(fraction / math.pi)
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    cx = rng.uniform(min(xs) + radius, max(max(xs) - radius, min(xs) + radius))
    cy = rng.uniform(min(ys) + radius, max(max(ys) - radius, min(ys) + radius))
    out = image.convert("L").copy()
    ImageDraw.Draw(out).ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=shade)
    return out


def cover_finder(image: Image.Image, corners: Corners, shade: int = 0) -> Image.Image:
    """A blot over the top-left finder pattern of one code (the pattern readers look for)."""
    (tlx, tly), (trx, try_), _, (blx, bly) = corners[:4]
    f = 0.16  # a finder is 7 modules of 25-60 plus the quiet zone around it
    ax, ay = (trx - tlx) * f, (try_ - tly) * f
    bx, by = (blx - tlx) * f, (bly - tly) * f
    ox, oy = tlx - (ax + bx) * 0.1, tly - (ay + by) * 0.1
    polygon = [(ox, oy), (ox + ax, oy + ay), (ox + ax + bx, oy + ay + by), (ox + bx, oy + by)]
    out = image.convert("L").copy()
    ImageDraw.Draw(out).polygon(polygon, fill=shade)
    return out


def destroy_code(image: Image.Image, corners: Corners) -> Image.Image:
    """A code torn away or burnt: its whole area painted over."""
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    out = image.convert("L").copy()
    ImageDraw.Draw(out).rectangle([min(xs) - 4, min(ys) - 4, max(xs) + 4, max(ys) + 4], fill=60)
    return out


def blotch_one_code(image: Image.Image, fraction: float, rng: random.Random) -> Image.Image:
    """A blot over `fraction` of one code chosen at random on the page (if it has codes)."""
    corners = code_corners(image)
    if not corners:
        return image
    return blotch(image, rng.choice(corners), fraction, rng)


def cover_one_finder(image: Image.Image, rng: random.Random) -> Image.Image:
    corners = code_corners(image)
    if not corners:
        return image
    return cover_finder(image, rng.choice(corners))


# --- the degradation suite ----------------------------------------------------------------

PageFn = Callable[[Image.Image, random.Random], Image.Image]


@dataclass(frozen=True)
class Condition:
    """A named degradation: `page` is applied to every scanned page, then `pages` to the set.

    `pages` gets the list of pages of all sheets and returns the list to read (pages dropped,
    shuffled).
    """

    name: str
    page: PageFn | None = None
    pages: Callable[[list[Image.Image], random.Random], list[Image.Image]] | None = None

    def apply(self, pages: list[Image.Image], rng: random.Random) -> list[Image.Image]:
        out = [self.page(p, rng) for p in pages] if self.page else list(pages)
        return self.pages(out, rng) if self.pages else out


def drop_page(pages: list[Image.Image], rng: random.Random) -> list[Image.Image]:
    """One page lost (the others of its sheet and every other sheet are kept)."""
    if len(pages) < 2:
        return pages
    kept = list(pages)
    del kept[rng.randrange(len(kept))]
    return kept


def shuffle(pages: list[Image.Image], rng: random.Random) -> list[Image.Image]:
    shuffled = list(pages)
    rng.shuffle(shuffled)
    return shuffled


def _rot(deg: float) -> PageFn:
    return lambda im, rng: rotate(im, deg)


CONDITIONS: dict[str, Condition] = {c.name: c for c in [
    Condition("clean"),
    Condition("rotate 1°", _rot(1)),
    Condition("rotate 7°", _rot(7)),
    Condition("rotate 90°", _rot(90)),
    Condition("rotate 180°", _rot(180)),
    Condition("keystone 10%", lambda im, rng: keystone(im, 0.10)),
    Condition("keystone 15%", lambda im, rng: keystone(im, 0.15)),
    Condition("blur σ0.5", lambda im, rng: blur(im, 0.5)),
    Condition("blur σ1", lambda im, rng: blur(im, 1.0)),
    Condition("blur σ1.5", lambda im, rng: blur(im, 1.5)),
    Condition("blur σ2", lambda im, rng: blur(im, 2.0)),
    Condition("noise σ10", lambda im, rng: noise(im, 10, rng)),
    Condition("noise σ25", lambda im, rng: noise(im, 25, rng)),
    Condition("jpeg 50", lambda im, rng: jpeg(im, 50)),
    Condition("jpeg 30", lambda im, rng: jpeg(im, 30)),
    Condition("blotch 5%", lambda im, rng: blotch_one_code(im, 0.05, rng)),
    Condition("blotch 10%", lambda im, rng: blotch_one_code(im, 0.10, rng)),
    Condition("blotch 15%", lambda im, rng: blotch_one_code(im, 0.15, rng)),
    Condition("blotch finder", cover_one_finder),
    Condition("fold", lambda im, rng: fold(im, rng.uniform(0.3, 0.7))),
    Condition("low contrast", lambda im, rng: low_contrast(im)),
    Condition("uneven light", lambda im, rng: uneven_light(im)),
    Condition("dropped page", pages=drop_page),
    Condition("shuffled", pages=shuffle),
]}
