"""Images and PDFs -> QR texts: the only image input on the way back from paper.

Inputs are scanner PDFs (pdfium, run in a forked child with bounded memory and CPU time:
`IsolatedPdf`), PNG, JPEG (EXIF rotation applied), TIFF (every page), HEIC phone photos
(pillow-heif) and whole folders of them. Each page goes through a decoder cascade:
zxing-cpp on the page as it is (binary-exact, the fastest and most robust decoder measured),
then, around each code it saw but could not read (or on the whole page when it saw nothing,
unless the page is drawn in a PDF without any picture: DRAWN_PAGE),
zxing-cpp again on a sharpened, an upscaled-and-sharpened and a thresholded image, then pyzbar
when libzbar is installed. Effort "full" runs every retry on the whole page (`paper2fa restore`
does that when frames are still missing). Every QR code on a page is kept, with its position.
The measurements behind these choices are in docs/restore.md.
"""

from __future__ import annotations

import contextlib
import faulthandler
import io
import itertools
import json
import math
import os
import resource
import signal
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import zxingcpp
from PIL import Image, ImageChops, ImageFilter, ImageOps, UnidentifiedImageError

from toolkit import airgap
from toolkit import constants as C
from toolkit.errors import ScanError, Source, WorkLimitError
from toolkit.forked import no_core_dump_and_die_with_parent

PDF_MAGIC = b"%PDF-"

PDF_DPI = 300
"""Vector PDF pages (sheets saved, not scanned) are rasterized at this resolution."""

PDF_MIN_DPI = 150
PDF_MAX_DPI = 600
"""A scanned PDF page is rasterized at the resolution of the scan inside it, within these bounds."""

UPSCALE = 2
"""Small or blurred modules read better after doubling the resolution and sharpening."""

MAX_UPSCALED_PIXELS = 80_000_000
"""Pages larger than this are not upscaled (a 600 DPI A4 page is 35 Mpx; phones give 12-48)."""

BLANK_RANGE = 24
"""A page whose darkest and lightest pixels differ by less than this (of 255) is blank: a QR
code printed at even very low contrast (tests/degrade.py maps black and white to 90 and 180)
spans far more."""

MAX_RETRY_REGIONS = 40
"""At most this many codes seen but not read are retried one by one on a page."""

MAX_PDF_OBJECTS_INSPECTED = 200
"""Images of a PDF page looked at to find its scan resolution (a scan page holds one)."""

Effort = Literal["fast", "auto", "full"]
"""fast: one zxing-cpp pass; auto: retries when a code was seen but not read or none was read;
full: every retry on every page."""

DECODER_NAMES = ("zxing-cpp", "pyzbar")

Point = tuple[int, int]


@dataclass(frozen=True)
class FoundCode:
    """One QR code read from a page: its text, raw bytes, page number (1-based) and position.

    `position` is the four corners (top left, top right, bottom right, bottom left) in pixels of
    the page image; `source` is the file it came from, `decoder` the pass that read it.
    """

    text: str
    raw: bytes
    page: int
    position: tuple[Point, ...]
    source: str = ""
    decoder: str = "zxing-cpp"

    @property
    def center(self) -> tuple[float, float]:
        xs = [p[0] for p in self.position] or [0]
        ys = [p[1] for p in self.position] or [0]
        return (sum(xs) / len(xs), sum(ys) / len(ys))

    @property
    def size(self) -> float:
        """The longer side of the code's bounding box, in pixels."""
        if not self.position:
            return 0.0
        xs = [p[0] for p in self.position]
        ys = [p[1] for p in self.position]
        return float(max(max(xs) - min(xs), max(ys) - min(ys)))


@dataclass(frozen=True)
class PageScan:
    """What one page gave: its codes, codes seen but unreadable, and the time it took."""

    source: str
    page: int
    codes: tuple[FoundCode, ...]
    unreadable: int = 0
    seconds: float = 0.0
    passes: tuple[str, ...] = ()


# --- one decoder pass ---------------------------------------------------------------------


def _corners_zxing(code: Any) -> tuple[Point, ...]:
    p = code.position
    return tuple((pt.x, pt.y) for pt in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))


MAX_SIDE_RATIO = 3.0
"""A QR code's four sides: the longest at most this many times the shortest. A code tilted 60
degrees away from the camera is still 2:1; zxing-cpp's "seen but unreadable" shapes of 7:1 came
from lines of bold text (English home-safe front page at 200 DPI) and are no code."""


def could_be_a_code(corners: tuple[Point, ...]) -> bool:
    """Whether a shape zxing-cpp saw but could not read has the proportions of a QR code."""
    sides = [math.dist(corners[i], corners[(i + 1) % len(corners)])
             for i in range(len(corners))]
    return min(sides) > 0 and max(sides) <= MAX_SIDE_RATIO * min(sides)


SMALL_QR_FORMATS = frozenset(getattr(zxingcpp.BarcodeFormat, name) for name in
                             ("MicroQRCode", "RMQRCode") if hasattr(zxingcpp.BarcodeFormat, name))
"""Codes never taken as read: Micro QR and rMQR codes, which no paper2fa sheet and no
authenticator app writes. From zxing-cpp 3.0, `BarcodeFormat.QRCode` also means these. A Micro
QR code has a single finder pattern: on a page of QR codes a finder and the modules beside it
can decode as one ('2278', 18 pixels wide, in a whole page filmed at 720p; docs/camera.md). Their
shapes seen but not read still count as codes seen, as they did when the camera's reading and
advice were measured."""


def zxing_pass(
    image: Image.Image, page: int = 1, source: str = "", binarizer: Any = None,
    decoder: str = "zxing-cpp", *, as_drawn: bool = False,
) -> tuple[list[FoundCode], list[tuple[Point, ...]]]:
    """Codes zxing-cpp reads in `image`, and the positions of codes it saw but could not read.

    `as_drawn`: only at the image's own resolution, dark on light, upright (the self-check of
    a PDF just drawn): zxing-cpp's extra passes on downscaled and inverted copies are skipped,
    which halves the time and can only read fewer codes, never more."""
    kwargs: dict[str, Any] = {"formats": zxingcpp.BarcodeFormat.QRCode, "return_errors": True}
    if as_drawn:
        kwargs.update(try_downscale=False, try_invert=False, try_rotate=False)
    if binarizer is not None:
        kwargs["binarizer"] = binarizer
    found: list[FoundCode] = []
    failed: list[tuple[Point, ...]] = []
    gray = image if image.mode == "L" else image.convert("L")
    if gray.width < 1 or gray.height < 1:
        return found, failed
    # Pixels handed over as a view of bytes made here: given a PIL image, zxing-cpp runs
    # Python code to read it and turns a Ctrl-C landing there into a TypeError.
    pixels: Any = gray.tobytes()  # zxing-cpp's stubs name an ndarray; any buffer works
    view = zxingcpp.ImageView(pixels, gray.width, gray.height, zxingcpp.ImageFormat.Lum)
    for code in zxingcpp.read_barcodes(view, **kwargs):
        if code.valid:
            if code.format not in SMALL_QR_FORMATS:
                found.append(FoundCode(code.text, bytes(code.bytes), page,
                                       _corners_zxing(code), source, decoder))
        elif could_be_a_code(corners := _corners_zxing(code)):
            failed.append(corners)
    return found, failed


@cache
def _pyzbar() -> Any:
    """The pyzbar module, or None when it or libzbar is not installed.

    pyzbar finds libzbar with `ctypes.util.find_library`, which runs `/sbin/ldconfig -p` (a
    program the network guard refuses): it is handed the library loaded by path instead.
    """
    libzbar = airgap.load_libzbar()
    if libzbar is None:
        return None
    try:
        from pyzbar import zbar_library

        zbar_library.load = lambda: (libzbar, [])
        from pyzbar import pyzbar
    except (ImportError, OSError):
        return None
    return pyzbar


def pyzbar_available() -> bool:
    return _pyzbar() is not None


def pyzbar_pass(image: Image.Image, page: int = 1, source: str = "") -> list[FoundCode]:
    """Codes pyzbar (libzbar) reads in `image`; empty when libzbar is not installed."""
    pyzbar = _pyzbar()
    if pyzbar is None:
        return []
    found = []
    for code in pyzbar.decode(image, symbols=[pyzbar.ZBarSymbol.QRCODE]):
        try:
            text = code.data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # zbar re-encodes binary content by guessing: not exact, so not used
        corners = tuple((int(p.x), int(p.y)) for p in code.polygon)
        found.append(FoundCode(text, bytes(code.data), page, corners, source, "pyzbar"))
    return found


def decode_image(image: Image.Image, page: int = 1) -> list[FoundCode]:
    """Every QR code in one image (one plain zxing-cpp pass, as the self-check needs)."""
    return zxing_pass(image.convert("L"), page)[0]


# --- the cascade --------------------------------------------------------------------------


def sharpened(image: Image.Image, factor: int = UPSCALE) -> Image.Image:
    """The image upscaled `factor` times (1: not at all) and sharpened hard.

    Measured on simulated print-and-scan pages: this reads blurred codes and codes with modules
    under 4 pixels that the plain pass cannot (docs/restore.md, "Benchmark").
    """
    big = image
    if factor != 1:
        big = image.resize((image.width * factor, image.height * factor),
                           Image.Resampling.BICUBIC)
    return big.filter(ImageFilter.UnsharpMask(radius=2 + factor, percent=300 - 50 * (factor == 1),
                                              threshold=0))


def thresholded(image: Image.Image) -> Image.Image:
    """Black and white by comparing each pixel with its neighbourhood (uneven light, low contrast).

    The neighbourhood is about 1/40 of the image's shorter side: bigger than a module, smaller
    than a shadow.
    """
    radius = max(4, min(image.size) // 40)
    background = image.filter(ImageFilter.BoxBlur(radius))
    darker = ImageChops.subtract(background, image)  # how much darker than the surroundings
    return darker.point(lambda v: 0 if v > 12 else 255)  # the offset drops paper grain


def _scaled(codes: Iterable[FoundCode], factor: float, dx: int = 0, dy: int = 0,
            decoder: str | None = None) -> list[FoundCode]:
    out = []
    for c in codes:
        pos = tuple((round(x / factor) + dx, round(y / factor) + dy) for x, y in c.position)
        out.append(FoundCode(c.text, c.raw, c.page, pos, c.source, decoder or c.decoder))
    return out


def _same_code(a: FoundCode, b: FoundCode) -> bool:
    if a.text != b.text or a.raw != b.raw:
        return False
    (ax, ay), (bx, by) = a.center, b.center
    tolerance = max(a.size, b.size, 8.0) / 2
    return abs(ax - bx) <= tolerance and abs(ay - by) <= tolerance


def without_phantoms(codes: Sequence[FoundCode]) -> list[FoundCode]:
    """`codes` less any whose centre lies inside a larger code read: two codes on paper never
    overlap, and zoomed and sharpened, a code's own modules (a finder pattern and the data
    beside it) can decode as a tiny code of their own (measured: '774644' read inside the top
    right corner of a share code, in a combination of three frames of a test video)."""
    return [c for c in codes if not any(
        o.text != c.text and o.size > c.size and box_holds(o.position, *c.center)
        for o in codes)]


def box_holds(corners: tuple[Point, ...], x: float, y: float) -> bool:
    """Whether (x, y) lies in the bounding box of `corners`."""
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    return min(xs) <= x <= max(xs) and min(ys) <= y <= max(ys)


class _Merged:
    """Codes from several passes, each physical code once (same text, same place)."""

    def __init__(self) -> None:
        self.codes: list[FoundCode] = []

    def add(self, codes: Iterable[FoundCode]) -> int:
        added = 0
        for code in codes:
            if not any(_same_code(code, seen) for seen in self.codes):
                self.codes.append(code)
                added += 1
        return added

    def covers(self, corners: tuple[Point, ...]) -> bool:
        probe = FoundCode("", b"", 0, corners)
        (px, py) = probe.center
        for seen in self.codes:
            (sx, sy) = seen.center
            tolerance = max(seen.size, probe.size, 8.0) / 2
            if abs(px - sx) <= tolerance and abs(py - sy) <= tolerance:
                return True
        return False


Decode = Callable[[Image.Image], list[FoundCode]]


def _retries(page: int, source: str, upscale: bool) -> list[tuple[str, Decode]]:
    """The cascade after the plain pass, cheapest first; each returns codes in image pixels."""
    cache: dict[int, Image.Image] = {}

    def big(image: Image.Image) -> Image.Image:
        if id(image) not in cache:
            cache.clear()
            cache[id(image)] = sharpened(image, UPSCALE)
        return cache[id(image)]

    def zx(name: str, prepare: Callable[[Image.Image], Image.Image], factor: int) -> Decode:
        return lambda image: _scaled(zxing_pass(prepare(image), page, source)[0], factor,
                                     decoder=name)

    passes = [("zxing-cpp sharpened", zx("zxing-cpp sharpened", lambda im: sharpened(im, 1), 1))]
    if upscale:
        passes.append(("zxing-cpp upscaled", zx("zxing-cpp upscaled", big, UPSCALE)))
        passes.append(("zxing-cpp threshold",
                       zx("zxing-cpp threshold", lambda im: thresholded(big(im)), UPSCALE)))
    else:
        passes.append(("zxing-cpp threshold", zx("zxing-cpp threshold", thresholded, 1)))
    if pyzbar_available():
        passes.append(("pyzbar", lambda image: pyzbar_pass(image, page, source)))
    return passes


def _region(corners: tuple[Point, ...], image: Image.Image) -> tuple[int, int, int, int]:
    """The box around a code with a margin of 30% of its size (its quiet zone and more)."""
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    margin = int(0.3 * max(max(xs) - min(xs), max(ys) - min(ys), 20))
    return (max(0, min(xs) - margin), max(0, min(ys) - margin),
            min(image.width, max(xs) + margin), min(image.height, max(ys) + margin))


def read_page(image: Image.Image, page: int = 1, source: str = "",
              effort: Effort = "auto") -> PageScan:
    """Every QR code on one page through the decoder cascade (see the module docstring).

    effort "auto" retries only around codes that were seen but not read, or on the whole page
    when nothing at all was seen on a scan or photo (not on a page drawn in a PDF, DRAWN_PAGE);
    "full" runs every retry on the whole page.
    """
    start = time.perf_counter()
    gray = image.convert("L")
    extrema: Any = gray.getextrema()  # (low, high) for a one-band image
    if extrema[1] - extrema[0] < BLANK_RANGE:  # a blank page: no decoder reads anything
        return PageScan(source, page, (), 0, time.perf_counter() - start, ("blank",))
    merged = _Merged()
    codes, failed = zxing_pass(gray, page, source)
    merged.add(codes)
    passes = ["zxing-cpp"]
    upscale = gray.width * gray.height * UPSCALE**2 <= MAX_UPSCALED_PIXELS
    if effort == "auto" and failed:
        for corners in failed[:MAX_RETRY_REGIONS]:
            if merged.covers(corners):
                continue
            box = _region(corners, gray)
            crop = gray.crop(box)
            for name, decode in _retries(page, source, True):
                merged.add(_scaled(decode(crop), 1, box[0], box[1]))
                if name not in passes:
                    passes.append(name)
                if merged.covers(corners):
                    break
    drawn = bool(image.info.get(DRAWN_PAGE))
    if effort == "full" or (effort == "auto" and not codes and not failed and not drawn):
        for name, decode in _retries(page, source, upscale):
            found = decode(gray)
            merged.add(found)
            passes.append(name)
            if effort == "auto" and found:
                break
    unreadable = sum(1 for f in failed if not merged.covers(f))
    ordered = sorted(without_phantoms(merged.codes),
                     key=lambda c: (round(c.center[1] / 50), c.center[0]))
    return PageScan(source, page, tuple(ordered), unreadable,
                    time.perf_counter() - start, tuple(passes))


# --- inputs -------------------------------------------------------------------------------


def _register_heif() -> None:
    try:
        import pillow_heif
    except ImportError:  # pragma: no cover - a dependency; HEIC then reads as "not an image"
        return
    pillow_heif.register_heif_opener()


@dataclass
class WorkBudget:
    """How much image work a run may do, and how much it has done (limits in constants.py).

    One budget per command run, passed to every `images_of` / `pdf_pages` call, bounds the
    run across all its files: each page is charged before it is rasterized or decoded, and
    `charge` raises ScanError when the run would pass `max_pages` or `max_pixels`. Pages
    larger than `page_pixels` are scaled down (never refused), and one file may hold at most
    `file_pages` pages, whose pixels beyond `page_pixels` add up to at most
    `file_oversize_pixels` (checked before any is decoded). Without a budget, each call gets a
    fresh one.
    """

    page_pixels: int = C.MAX_PAGE_PIXELS
    file_pages: int = C.MAX_PAGES_PER_FILE
    file_oversize_pixels: int = C.MAX_OVERSIZE_PIXELS_PER_FILE
    max_pages: int = C.MAX_PAGES_PER_RUN
    max_pixels: int = C.MAX_PIXELS_PER_RUN
    pages: int = 0
    pixels: int = 0

    def charge(self, pixels: int) -> None:
        """Count one more page of `pixels` pixels; ScanError if the run would pass a limit."""
        if self.pages + 1 > self.max_pages:
            raise WorkLimitError(f"this run has read {self.pages} pages, the most paper2fa reads "
                            "in one run", hint=_FEWER_FILES)
        if self.pixels + pixels > self.max_pixels:
            raise WorkLimitError(f"this run has decoded {self.pixels // 1_000_000} megapixels, the "
                            "most paper2fa decodes in one run", hint=_FEWER_FILES)
        self.pages += 1
        self.pixels += pixels

    def check_file_pages(self, count: int, what: str) -> None:
        """ScanError when one file holds more pages than `file_pages` (checked before any)."""
        if count > self.file_pages:
            raise ScanError(f"the {what} has {count} pages; paper2fa reads at most "
                            f"{self.file_pages} from one file", hint=_FEWER_FILES)


    def check_file_pixels(self, sizes: list[tuple[int, int]], what: str) -> None:
        """ScanError when the pages of one file (their `sizes`, known before any is decoded)
        hold more than `file_oversize_pixels` pixels beyond `page_pixels` each: pixels decoded
        only to be scaled down, 1.8 s per 144-megapixel TIFF frame. A page over
        `MAX_IMAGE_PIXELS` counts as that much: it is refused by name when it is reached."""
        oversize = sum(max(0, min(w * h, C.MAX_IMAGE_PIXELS) - self.page_pixels)
                       for w, h in sizes)
        if oversize > self.file_oversize_pixels:
            raise ScanError(
                f"the {what}'s {len(sizes)} pages are too large to read: "
                f"{oversize // 1_000_000} megapixels beyond {self.page_pixels // 1_000_000} per "
                f"page, where paper2fa decodes at most {self.file_oversize_pixels // 1_000_000} "
                "such megapixels from one file",
                hint="save the scans at 300 to 600 DPI, or each page as its own file")


_FEWER_FILES = ("give only the scans of the backup (a 2,000-account backup has about 640 "
                "pages in all), in fewer or smaller files")


@contextlib.contextmanager
def _decoding() -> Iterator[None]:
    """Around every Pillow decode: our pixel limits replace Pillow's, warnings stay silent.

    Pillow refuses images over 179 megapixels (a 200-megapixel phone photo is 16320x12240)
    and warns about bombs and odd metadata on stderr; `MAX_IMAGE_PIXELS` and the decoded-size
    check in `_frame` bound the work instead, and a damaged file becomes a ScanError.
    """
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def _pdf_page_dpi(page: Any) -> int:
    """The resolution of the scan inside a PDF page, or PDF_DPI for a page without images."""
    import pypdfium2.raw as pdfium_c

    best = 0.0
    try:
        objects = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2)
        for obj in itertools.islice(objects, MAX_PDF_OBJECTS_INSPECTED):
            width_px, _ = obj.get_px_size()
            left, _, right, _ = obj.get_bounds()
            if right - left > 72:  # ignore logos and small pictures: a scan covers the page
                best = max(best, width_px / ((right - left) / 72))
    except Exception:  # a page we cannot inspect is rendered at the default resolution
        return PDF_DPI
    if not best:
        return PDF_DPI
    return int(min(PDF_MAX_DPI, max(PDF_MIN_DPI, best)))


def _fitting_scale(width: float, height: float, scale: float, max_pixels: int) -> float:
    """`scale`, lowered so that a `width` x `height` area scaled by it stays within max_pixels."""
    if width * height * scale * scale <= max_pixels:
        return scale
    return math.sqrt(max_pixels / (width * height)) * 0.999  # rounding up must not pass it


def pdf_pages(data: bytes, dpi: int | None = 200, *,
              budget: WorkBudget | None = None,
              only: Callable[[int], bool] | None = None) -> Iterator[Image.Image]:
    """Rasterize each page of a PDF (pdfium) at `dpi`, or None: at the resolution of its scan.

    One page at a time, in grayscale; a page that would pass the budget's page pixels is
    rendered at the highest resolution that fits (a 200-inch poster page still reads). A PDF
    with more pages than the budget allows is refused before any page is rendered. pdfium runs
    in a child process with bounded memory and time (`IsolatedPdf`). `only(index)` (0-based)
    picks the pages rendered, for a caller that shares the pages out between processes.
    """
    budget = budget if budget is not None else WorkBudget()
    with IsolatedPdf(data) as pdf:
        budget.check_file_pages(pdf.pages, "PDF")
        for index in range(pdf.pages):
            if only is not None and not only(index):
                continue
            image = _pdf_page(pdf, index, dpi, budget)
            yield image
            del image  # the next page is not rendered while this one is still held here


def pdf_page_count(data: bytes) -> int:
    """The pages of a PDF, read as `pdf_pages` reads them (ScanError when it cannot be read)."""
    with IsolatedPdf(data) as pdf:
        return pdf.pages


def _may_hold_codes(page: Any) -> bool:
    """Whether a PDF page draws an image or a path: a QR code is one or the other (a scan, or
    vector squares); a page of text alone, or an empty page, is not rendered at all."""
    import pypdfium2.raw as pdfium_c

    kinds = (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH,
             pdfium_c.FPDF_PAGEOBJ_FORM, pdfium_c.FPDF_PAGEOBJ_SHADING)
    try:
        return any(True for _ in page.get_objects(filter=kinds, max_depth=3))
    except Exception:  # a page we cannot inspect is rendered and read as usual
        return True


def _holds_images(page: Any) -> bool:
    """Whether a PDF page holds a picture (a scan, a photo, a pasted screenshot), of any size;
    a page without one is drawn (vector paths and text, as `paper2fa print` makes it)."""
    import pypdfium2.raw as pdfium_c

    try:
        return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE],
                                                  max_depth=3))
    except Exception:  # a page we cannot inspect is read as a scan
        return True


DRAWN_PAGE = "paper2fa-drawn-page"
"""`Image.info` key set on a PDF page rendered from drawing alone (no picture on it): its codes
are as sharp as the rendering, so `read_page` does not retry a drawn page where the plain pass
saw nothing at all (a page of instructions); a restore's second look at pages that should
show missing frames (toolkit.recovery.inputs) still reads it with every decoder."""


def _pdf_page(pdf: IsolatedPdf, index: int, dpi: int | None, budget: WorkBudget) -> Image.Image:
    width, height, may_hold_codes, page_dpi, scanned = pdf.page_info(index, dpi)
    if not may_hold_codes:
        budget.charge(1)
        return Image.new("L", (1, 1), 255)  # nothing drawn: nothing to decode
    scale = _fitting_scale(width, height, page_dpi / 72, budget.page_pixels)
    budget.charge(math.ceil(width * scale) * math.ceil(height * scale))
    image = pdf.render(index, scale)
    if not scanned:
        image.info[DRAWN_PAGE] = True
    return image


class IsolatedPdf:
    """A PDF opened by pdfium in a forked child process, which answers for one page at a time.

    pdfium inflates a page's streams and decodes its images itself, with no limit: a 1 MB PDF
    whose content stream inflates to 1 GiB took 2.1 GiB, and 16 MiB of drawing operators keep
    it busy for 9 s. The child may grow by `constants.MAX_PDF_CHILD_BYTES` of address space
    (RLIMIT_AS) and spend `MAX_PDF_PAGE_CPU_SECONDS` of CPU time per request (RLIMIT_CPU);
    pdfium failing an allocation, or the child ended by either limit, is one ScanError naming
    the page. The child runs no other program (it is this process, forked: the network guard
    holds there too) and ends when the parent closes the pipes or dies.
    """

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pid = 0
        self._to_child = self._from_child = -1
        self.pages = 0
        self.child_peak_bytes = 0
        """The most memory the child had resident (counted by the kernel), once it has ended."""

    def __enter__(self) -> IsolatedPdf:
        import pypdfium2  # noqa: F401 - imported before the fork, not by the child

        request_r, request_w = os.pipe()
        answer_r, answer_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child (measured through its answers)
            status = 70
            try:
                os.close(request_w)
                os.close(answer_r)
                status = _pdf_child(self._data, request_r, answer_w)
            finally:
                os._exit(status)
        os.close(request_r)
        os.close(answer_w)
        self._pid, self._to_child, self._from_child = pid, request_w, answer_r
        try:
            self.pages = int(self._ask({"op": "open"}, 0)["pages"])
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the child (it may be busy inside pdfium) and reap it."""
        for fd in (self._to_child, self._from_child):
            if fd >= 0:
                os.close(fd)
        self._to_child = self._from_child = -1
        if self._pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                self._reap()

    def page_info(self, index: int, dpi: int | None) -> tuple[float, float, bool, int, bool]:
        """Width and height (points), whether it draws anything a code could be, its DPI,
        whether it holds a picture (a scan)."""
        answer = self._ask({"op": "info", "page": index, "dpi": dpi}, index + 1)
        return (float(answer["width"]), float(answer["height"]), bool(answer["draws"]),
                int(answer["dpi"]), bool(answer.get("scanned", True)))

    def render(self, index: int, scale: float) -> Image.Image:
        answer = self._ask({"op": "render", "page": index, "scale": scale}, index + 1)
        size = (int(answer["width"]), int(answer["height"]))
        pixels = self._read_exactly(size[0] * size[1], index + 1)
        return Image.frombuffer("L", size, pixels, "raw", "L", 0, 1)

    def _ask(self, request: dict[str, Any], page: int) -> dict[str, Any]:
        try:
            os.write(self._to_child, json.dumps(request).encode() + b"\n")
        except BrokenPipeError:
            raise self._child_ended(page) from None
        line = bytearray()
        while not line.endswith(b"\n"):
            chunk = os.read(self._from_child, 1)
            if not chunk:
                raise self._child_ended(page)
            line += chunk
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            what, where = ("this page", Source(page=page)) if page else ("the PDF", None)
            raise ScanError(f"{what} {answer['error']}", source=where)
        return answer

    def _read_exactly(self, count: int, page: int) -> bytearray:
        buffer = bytearray(count)
        view = memoryview(buffer)
        done = 0
        while done < count:
            got = os.readv(self._from_child, [view[done:]])
            if not got:
                raise self._child_ended(page)
            done += got
        return buffer

    def _reap(self) -> int:
        """Wait for the child to end; its exit status."""
        _, status, usage = os.wait4(self._pid, 0)
        self._pid = 0
        self.child_peak_bytes = usage.ru_maxrss * 1024
        return status

    def _child_ended(self, page: int) -> ScanError:
        status = self._reap()
        what, where = ("this page", Source(page=page)) if page else ("this PDF", None)
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
            return ScanError(f"{what} takes more time to render than paper2fa gives it "
                             f"({C.MAX_PDF_PAGE_CPU_SECONDS} s)", hint=_SMALLER_PDF,
                             source=where)
        return ScanError(f"{what} needs more memory to render than paper2fa gives it "
                         f"({C.MAX_PDF_CHILD_BYTES >> 20} MiB)", hint=_SMALLER_PDF, source=where)


_SMALLER_PDF = ("this PDF is damaged or was made to exhaust this machine; scan the sheets "
                "again, or save the scans as images")


def _vm_size() -> int | None:
    """Bytes of address space this process maps now (the child's limit is set above it), or
    None where the system does not say (no /proc: there RLIMIT_AS is not enforced either)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _pdf_child(data: bytes, requests: int, answers: int) -> int:  # pragma: no cover - child
    """The child of `IsolatedPdf`: limits itself, opens the PDF, answers until the pipe ends."""
    import pypdfium2

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    no_core_dump_and_die_with_parent()
    faulthandler.disable()  # an abort in pdfium is reported by the parent, in one line
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    mapped = _vm_size()
    if mapped is not None:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = mapped + C.MAX_PDF_CHILD_BYTES
        if soft != resource.RLIM_INFINITY:
            limit = min(limit, soft)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    source = os.fdopen(requests, "rb")
    sink = os.fdopen(answers, "wb")

    def answer(message: dict[str, Any], pixels: bytes = b"") -> None:
        sink.write(json.dumps(message).encode() + b"\n")
        sink.write(pixels)
        sink.flush()

    pdf: Any = None
    held: list[Any] = []  # the page `info` loaded, kept for the `render` that follows it

    def page_at(index: int) -> Any:
        if held and held[0] == index:
            return held[1]
        release()
        page = pdf[index]
        held[:] = [index, page]
        return page

    def release() -> None:
        if held:
            held[1].close()
            held.clear()

    for line in source:
        request = json.loads(line)
        used = resource.getrusage(resource.RUSAGE_SELF)
        allowed = math.ceil(used.ru_utime + used.ru_stime) + C.MAX_PDF_PAGE_CPU_SECONDS
        if cpu_hard == resource.RLIM_INFINITY or allowed < cpu_hard:
            resource.setrlimit(resource.RLIMIT_CPU, (allowed, cpu_hard))
        try:
            with _decoding():
                if request["op"] == "open":
                    try:
                        pdf = pypdfium2.PdfDocument(data)
                    except pypdfium2.PdfiumError:
                        answer({"error": "cannot be read (damaged or not a PDF)"})
                        continue
                    answer({"pages": len(pdf)})
                elif request["op"] == "info":
                    answer(_page_info(page_at(request["page"]), request["dpi"]))
                else:
                    try:
                        image = _rendered(page_at(request["page"]), request["scale"])
                    finally:
                        release()
                    answer({"width": image.width, "height": image.height}, image.tobytes())
        except (pypdfium2.PdfiumError, ValueError, OSError, MemoryError):
            answer({"error": "cannot be rendered (damaged PDF)"})
    return 0


def _page_info(page: Any, dpi: int | None) -> dict[str, Any]:  # pragma: no cover - child
    """A page's size, whether it may hold codes and its DPI (the page stays loaded for its
    rendering, which follows: loading a page of text twice cost 1 ms of its 13)."""
    width, height = page.get_size()
    if not (width >= 1 and height >= 1):  # also NaN
        return {"error": "has no size"}
    draws = _may_hold_codes(page)
    page_dpi = dpi if dpi is not None else (_pdf_page_dpi(page) if draws else PDF_DPI)
    return {"width": width, "height": height, "draws": draws, "dpi": page_dpi,
            "scanned": draws and _holds_images(page)}


def _rendered(page: Any, scale: float) -> Image.Image:  # pragma: no cover - child
    image: Image.Image = page.render(scale=scale, grayscale=True).to_pil()
    return image.convert("L")


def page_count(data: bytes) -> int:
    """The pages `images_of` gives for a scan file, counted without decoding one: a PDF's pages
    (pdfium in its bounded child, as when reading), an image file's frames; 1 when it cannot
    tell (reading the file then says why). For a progress bar's length."""
    if data.startswith(PDF_MAGIC):
        try:
            return pdf_page_count(data)
        except ScanError:
            return 1
    _register_heif()
    try:
        with _decoding(), Image.open(io.BytesIO(data)) as image:
            return max(1, int(getattr(image, "n_frames", 1)))
    except Exception:  # any failure on untrusted bytes: reading the file reports it
        return 1


def images_of(data: bytes, dpi: int | None = 200, *,
              budget: WorkBudget | None = None) -> Iterator[Image.Image]:
    """The pages of a PDF, or the frames of an image file, one at a time, in grayscale.

    EXIF rotation is applied and transparency laid on white paper. A page larger than the
    budget's page pixels is scaled down to fit (JPEG photos are decoded at a reduced size
    directly); a damaged page or one beyond the limits raises ScanError naming the page.
    """
    budget = budget if budget is not None else WorkBudget()
    if data.startswith(PDF_MAGIC):
        yield from pdf_pages(data, dpi, budget=budget)
        return
    _register_heif()
    try:
        with _decoding():
            image = Image.open(io.BytesIO(data))
            frames = getattr(image, "n_frames", 1)
    except (UnidentifiedImageError, SyntaxError, ValueError) as exc:
        raise ScanError("not an image or PDF that paper2fa can read") from exc
    except Exception as exc:  # any decoder failure on untrusted bytes is bad data, not a bug
        raise ScanError("the image is damaged or cannot be read") from exc
    budget.check_file_pages(frames, "image file")
    if frames > 1:
        budget.check_file_pixels(_frame_sizes(image, frames), "image file")
    for index in range(frames):
        frame = _frame(image, index, budget)
        yield frame
        del frame


_SEEK_READS_HEADER_ONLY = frozenset({"TIFF", "MPO", "HEIF", "AVIF"})
"""Formats whose `seek` reads a frame's header without decoding earlier frames (GIF and APNG
frames are decoded in turn, and all have the size of the first)."""


def _frame_sizes(image: Image.Image, frames: int) -> list[tuple[int, int]]:
    """The width and height of every frame of an open image file, none of them decoded."""
    if image.format not in _SEEK_READS_HEADER_ONLY:
        return [image.size] * frames
    sizes = []
    try:
        with _decoding():
            for index in range(frames):
                image.seek(index)
                sizes.append(image.size)
            image.seek(0)
    except Exception:  # a damaged frame is named by `_frame` when it is reached
        return sizes
    return sizes


def _frame(image: Image.Image, index: int, budget: WorkBudget) -> Image.Image:
    """Frame `index` of an open image file, decoded within the limits, upright, grayscale."""
    number = index + 1
    try:
        with _decoding():
            image.seek(index)
            width, height = image.size
            if width < 1 or height < 1:
                raise ScanError("this page has no pixels", source=Source(page=number))
            pixels = width * height
            decoded_bytes = pixels * _bytes_per_pixel(image)
            if pixels > C.MAX_IMAGE_PIXELS or decoded_bytes > C.MAX_DECODED_IMAGE_BYTES:
                raise ScanError(
                    f"this page is {width}x{height} pixels, larger than paper2fa decodes "
                    f"({C.MAX_IMAGE_PIXELS // 1_000_000} megapixels)",
                    hint="save the photo or scan at a lower resolution",
                    source=Source(page=number))
            factor = math.ceil(math.sqrt(pixels / budget.page_pixels))
            if factor > 1:  # JPEG decodes straight to 1/2, 1/4 or 1/8 of its size
                image.draft("L", (width // factor, height // factor))
            image.load()
            frame: Image.Image = image
            scale = _fitting_scale(frame.width, frame.height, 1.0, budget.page_pixels)
            if scale < 1:
                if frame.mode not in ("L", "LA", "RGB", "RGBA"):
                    frame = _on_white(frame)
                size = (max(1, int(frame.width * scale)), max(1, int(frame.height * scale)))
                frame = frame.resize(size, Image.Resampling.BOX)  # each pixel: its area's mean
            frame = _on_white(frame)
            budget.charge(frame.width * frame.height)
            return ImageOps.exif_transpose(frame) or frame
    except ScanError:
        raise
    except Exception as exc:  # any decoder failure on untrusted bytes is bad data, not a bug
        raise ScanError("this page is damaged or cannot be read",
                        source=Source(page=number)) from exc


def _bytes_per_pixel(image: Image.Image) -> int:
    """Memory one pixel takes while `image` is decoded: Pillow keeps colour as 4 bytes (RGBX);
    the HEIF decoder holds its own 3-byte copy until Pillow has taken the pixels over."""
    held = 1 if image.mode in ("1", "L", "P") else 4
    return held + 3 if image.format in ("HEIF", "AVIF") else held


def _on_white(image: Image.Image) -> Image.Image:
    """The image in grayscale, transparent parts as white paper."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, rgba).convert("L")
    return image.convert("L")


def decode_bytes(data: bytes, dpi: int = 200) -> list[FoundCode]:
    """Every QR code in an image file or PDF given as bytes (one plain pass per page)."""
    found: list[FoundCode] = []
    for number, image in enumerate(images_of(data, dpi), start=1):
        found.extend(decode_image(image, page=number))
    return found


def scan_bytes(data: bytes, source: str = "", effort: Effort = "auto",
               dpi: int | None = None) -> list[PageScan]:
    """Read every QR code on every page of one image file or PDF given as bytes."""
    return [read_page(image, number, source, effort)
            for number, image in enumerate(images_of(data, dpi), start=1)]
