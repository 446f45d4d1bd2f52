"""Paper damage, simulated: the degradations shared by the end-to-end tests and the benchmark.

Every function takes grayscale PIL images (and an `rng` where chance plays a part) and returns
new images, so a condition is reproducible from its seed. Only Pillow is used (no numpy).

`print_and_scan` simulates a printer and a scanner: render at 600 DPI, printer blur and dot
gain, resample to the scan resolution (the scanner's sensor averages), scanner noise.
`CONDITIONS` names each condition of the benchmark's degradation suite (one scanned page in,
one page out). `camera_view` puts a sheet in front of a camera (part of it, tilted, turned,
moved); `photograph` takes a hand-held phone photo with it, and `PHOTO_CONDITIONS` are the hard
phone photos of docs/restore.md; tests/camera_videos.py films sheets with `camera_view` too.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

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


def perspective_coeffs(dst: Sequence[tuple[float, float]],
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
                           perspective_coeffs(dst, src), Image.Resampling.BICUBIC,
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


# --- cameras and phones -------------------------------------------------------------------

DESK = 60
"""Grey of the table around a sheet in a photo or a camera frame."""

PHOTO_12MP = (3000, 4000)
PHOTO_5MP = (1944, 2592)
"""Phone photos, portrait (width, height): a 12 MP and a 5 MP camera."""


def _project(x: float, y: float, tilt: float, distance: float) -> tuple[float, float]:
    """A point of a sheet (relative to its centre) seen by a pinhole camera at `distance`, the
    sheet turned by `tilt` degrees about its horizontal axis (top edge away from the camera)."""
    t = math.radians(tilt)
    depth = distance - y * math.sin(t)
    return (x * distance / depth, y * math.cos(t) * distance / depth)


def camera_view(paper: Image.Image, size: tuple[int, int], *,
                part: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0),
                fill: float = 0.92, angle: float = 0.0, tilt: float = 0.0,
                shift: tuple[float, float] = (0.0, 0.0), distance: float = 1.6,
                desk: int = DESK) -> Image.Image:
    """What a camera of `size` pixels sees of `paper` (grayscale) lying on a desk.

    `part` (left, top, right, bottom as fractions of the paper) is centred and fills `fill` of
    the frame (the tighter of width and height); the paper is then tilted by `tilt` degrees
    (top edge away; the camera at `distance` frame heights), turned by `angle` degrees in the
    picture and moved by `shift` (fractions of the frame). Everything else is desk.
    """
    width, height = size
    pw, ph = paper.size
    x0, y0, x1, y1 = part[0] * pw, part[1] * ph, part[2] * pw, part[3] * ph
    scale = fill * min(width / (x1 - x0), height / (y1 - y0))
    level = 1
    while scale * level < 0.6 and min(pw, ph) // (level * 2) > 16:
        level *= 2  # average down first: a camera's sensor integrates, it does not skip pixels
    source = paper.reduce(level) if level > 1 else paper
    s = scale * level
    cx, cy = (x0 + x1) / 2 / level, (y0 + y1) / 2 / level
    a = math.radians(angle)
    far = distance * height
    corners = [(0.0, 0.0), (float(source.width), 0.0), (float(source.width), float(source.height)),
               (0.0, float(source.height))]
    placed = []
    for x, y in corners:
        px, py = _project((x - cx) * s, (y - cy) * s, tilt, far)
        placed.append((width / 2 + shift[0] * width + px * math.cos(a) - py * math.sin(a),
                       height / 2 + shift[1] * height + px * math.sin(a) + py * math.cos(a)))
    return source.convert("L").transform(size, Image.Transform.PERSPECTIVE,
                                         perspective_coeffs(placed, corners),
                                         Image.Resampling.BILINEAR, fillcolor=desk)


def side_by_side(papers: Sequence[Image.Image], gap: float = 0.04) -> Image.Image:
    """Sheets laid side by side on the desk (a gap of `gap` of a sheet's width between them)."""
    height = max(p.height for p in papers)
    space = round(papers[0].width * gap)
    out = Image.new("L", (sum(p.width for p in papers) + space * (len(papers) - 1), height), DESK)
    x = 0
    for paper in papers:
        out.paste(paper.convert("L"), (x, 0))
        x += paper.width + space
    return out


def motion_blur(image: Image.Image, length: float, angle: float = 0.0) -> Image.Image:
    """The camera moved `length` pixels in direction `angle` (degrees) while exposing."""
    steps = max(2, round(length))
    dx = length * math.cos(math.radians(angle))
    dy = length * math.sin(math.radians(angle))
    gray = image.convert("L")
    out = gray
    for k in range(1, steps):
        f = k / (steps - 1) - 0.5
        moved = gray.transform(gray.size, Image.Transform.AFFINE, (1, 0, f * dx, 0, 1, f * dy),
                               Image.Resampling.BILINEAR, fillcolor=DESK)
        out = Image.blend(out, moved, 1 / (k + 1))
    return out


def crumple(image: Image.Image, rng: random.Random, strength: float = 0.006,
            cells: tuple[int, int] = (7, 10), creases: int = 14) -> Image.Image:
    """A crumpled and flattened page: the paper bent along a grid (each grid point moved by
    about `strength` of the page size, straight between them) with short creases shaded."""
    w, h = image.size
    nx, ny = cells
    amount = strength * max(w, h)
    grid = [[(i * w / nx + (rng.gauss(0, amount) if 0 < i < nx else 0),
              j * h / ny + (rng.gauss(0, amount) if 0 < j < ny else 0))
             for j in range(ny + 1)] for i in range(nx + 1)]
    mesh = []
    for i in range(nx):
        for j in range(ny):
            box = (round(i * w / nx), round(j * h / ny), round((i + 1) * w / nx),
                   round((j + 1) * h / ny))
            nw, sw, se, ne = grid[i][j], grid[i][j + 1], grid[i + 1][j + 1], grid[i + 1][j]
            mesh.append((box, (*nw, *sw, *se, *ne)))
    bent = image.convert("L").transform(image.size, Image.Transform.MESH, mesh,
                                        Image.Resampling.BILINEAR, fillcolor=WHITE)
    shade = Image.new("L", image.size, WHITE)
    draw = ImageDraw.Draw(shade)
    for _ in range(creases):
        x0, y0 = rng.uniform(0, w), rng.uniform(0, h)
        t = rng.uniform(0, math.pi)
        reach = rng.uniform(0.08, 0.25) * max(w, h)
        line = [(x0 - reach * math.cos(t), y0 - reach * math.sin(t)),
                (x0 + reach * math.cos(t), y0 + reach * math.sin(t))]
        draw.line(line, fill=rng.randint(160, 215), width=max(2, round(0.003 * w)))
    shade = shade.filter(ImageFilter.GaussianBlur(0.006 * w))
    return ImageChops.multiply(bent, shade)


def photograph(paper: Image.Image, rng: random.Random, size: tuple[int, int] = PHOTO_12MP, *,
               part: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0),
               fill: float = 0.92, tilt: float = 0.0, angle: float | None = None,
               focus: float = 0.8, shake: float = 0.0, light: tuple[int, int] = (35, 215),
               noise_sigma: float = 3.0, quality: int = 90) -> Image.Image:
    """A hand-held phone photo of `paper`: a slight random turn (unless `angle`), lens blur
    `focus` (σ in photo pixels), camera shake `shake` pixels (motion blur), exposure (`light`:
    the grey of black ink and of white paper), sensor noise, JPEG at `quality`."""
    turn = rng.uniform(-3, 3) if angle is None else angle
    photo = camera_view(exposed(paper, light), size, part=part, fill=fill, angle=turn, tilt=tilt,
                        desk=max(0, light[0] - 10))
    photo = blur(photo, focus)
    if shake:
        photo = motion_blur(photo, shake, rng.uniform(0, 180))
    return jpeg(noise(photo, noise_sigma, rng), quality)


def exposed(paper: Image.Image, light: tuple[int, int]) -> Image.Image:
    """Paper as a camera exposes it: black ink at grey light[0], white paper at light[1]."""
    return low_contrast(paper.convert("L"), light[0], light[1])


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


# --- hard phone photos ----------------------------------------------------------------------


def _photos(**options: Any) -> Callable[[list[Image.Image], random.Random], list[Image.Image]]:
    """One photo of each page, `options` as for `photograph`."""
    def each(pages: list[Image.Image], rng: random.Random) -> list[Image.Image]:
        return [photograph(p, rng, **options) for p in pages]
    return each


def two_per_photo(pages: list[Image.Image], rng: random.Random) -> list[Image.Image]:
    """Two sheets side by side in each 12 MP photo (landscape), the last one alone if odd."""
    photos = []
    for i in range(0, len(pages), 2):
        pair = pages[i:i + 2]
        photos.append(photograph(side_by_side(pair), rng, (PHOTO_12MP[1], PHOTO_12MP[0])))
    return photos


def close_ups(pages: list[Image.Image], rng: random.Random) -> list[Image.Image]:
    """Each page in two 12 MP close-ups, the top 55% and the bottom 55%: the codes across the
    middle are cut at the edge of one photo and whole in the other."""
    landscape = (PHOTO_12MP[1], PHOTO_12MP[0])  # the phone turned, as people do for half a page
    return [photograph(p, rng, landscape, part=part, fill=1.0)
            for p in pages for part in ((0.0, 0.0, 1.0, 0.55), (0.0, 0.45, 1.0, 1.0))]


def part_of_page(pages: list[Image.Image], rng: random.Random) -> list[Image.Image]:
    """Each page in one 12 MP close-up of its top 60% only: codes cut at the edge must be
    ignored (never misread), codes out of the picture are lost."""
    landscape = (PHOTO_12MP[1], PHOTO_12MP[0])
    return [photograph(p, rng, landscape, part=(0.0, 0.0, 1.0, 0.6), fill=1.0) for p in pages]


def crumpled(pages: list[Image.Image], rng: random.Random) -> list[Image.Image]:
    return [photograph(crumple(p, rng), rng) for p in pages]


PHOTO_CONDITIONS: dict[str, Condition] = {c.name: c for c in [
    Condition("photo 12 MP", pages=_photos()),
    Condition("photo 12 MP two sheets", pages=two_per_photo),
    Condition("photo close-ups", pages=close_ups),
    Condition("photo part of page", pages=part_of_page),
    Condition("photo 5 MP", pages=_photos(size=PHOTO_5MP)),
    Condition("photo 30°", pages=_photos(tilt=30)),
    Condition("photo 45°", pages=_photos(tilt=45)),
    Condition("photo motion blur 8 px", pages=_photos(shake=8)),
    Condition("photo motion blur 24 px", pages=_photos(shake=24)),
    Condition("photo crumpled", pages=crumpled),
    Condition("photo dim", pages=_photos(light=(12, 60), noise_sigma=6)),
]}
"""Phone photos of printed pages (docs/restore.md "Hard phone photos"). Each turns the list of
printed pages into the list of photos taken of them; the paper is the page as printed (the
benchmark uses its 300 DPI print-and-scan simulation as the paper's texture)."""
