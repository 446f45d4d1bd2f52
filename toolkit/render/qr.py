"""QR codes drawn as vector squares at an exact module size, error correction M, with the quiet
zone the frames format requires (constants from toolkit.frames).

Two writers, each where it is the better one (measured in docs/print-parameters.md, "Which QR
writer"); both choose the smallest version for the level and the mask by the standard penalty
rules, and add no ECI header:

- frame and share texts (QR alphanumeric characters only) are written by segno, in one
  alphanumeric segment as FORMAT.md requires: zxing-cpp's writer would switch to numeric mode
  for the runs of `0` that a padded last chunk makes, and to a smaller version;
- otpauth and migration URIs are written by zxing-cpp (its own segmentation; about ten times
  faster than segno, and a backup has one such code per account).

python-qrcode 8.2 is not used: it fails ("glog(0)") on any code with an all-zero Reed-Solomon
data block (tests/test_qr_shapes.py).
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

import segno
import segno.consts
import segno.encoder
import zxingcpp
from PIL import Image
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from toolkit.errors import AccountError, Source
from toolkit.frames import (
    QR_ERROR_CORRECTION,
    QUIET_ZONE_MODULES,
    RECOMMENDED_MODULE_MM,
    is_qr_alphanumeric,
)
from toolkit.selfcheck import check_png

FRAME_MODULE: float = RECOMMENDED_MODULE_MM * mm
"""Module size of frame codes (points): measured to scan at 150 DPI with light blur and after
a 94 % fit-to-page shrink (docs/print-parameters.md)."""

SHARE_ERROR_CORRECTION = "H"
"""A share's QR code is small (about 80 characters) and is the one code a sheet cannot lose:
level H survives a blot over 30 % of it, at the cost of a few more modules."""


_SEGNO_TO_BYTES = bytes([255, 0]) + bytes(254)
"""segno's modules are 1 (dark) or 0 (light); rows here are 0 (dark) or 255 (light)."""


def _alphanumeric_rows(text: str, ec: str) -> tuple[bytes, ...]:
    """segno's code for the text, with the mask segno's own choice would give (`_best_mask`),
    chosen about four times faster than segno chooses it."""
    try:
        code = segno.make_qr(text, error=ec, mode="alphanumeric", boost_error=False, mask=0)
    except segno.DataOverflowError:
        raise ValueError("too much text for one QR code") from None
    return tuple(row.translate(_SEGNO_TO_BYTES) for row in _best_mask(code))


# --- segno's mask choice, exactly, without its module-by-module Python loops ---------------
#
# segno encodes once per mask pattern (8 times) and scores each masked matrix by the penalty
# rules of ISO/IEC 18004 7.8.3 (`segno.encoder.mask_scores`), all in per-module Python: 80 %
# of a frame code's time. Here the code is made once with mask 0, unmasked, masked 8 times by
# XOR-ing whole rows as integers, and scored by the same rules computed row- and column-wise
# (regular expressions, bytes.count, bytes.find), with segno's exact arithmetic: the matrix
# scored is the one segno scores (format and version areas still reserved as 0), the lowest
# score wins and the first mask wins a tie. tests/test_qr_shapes.py compares the result with
# segno's own choice.


_ENCODER: Any = segno.encoder
_CONSTS: Any = segno.consts
"""segno's encoder functions and constants (untyped): what `_best_mask` builds on."""


@dataclass(frozen=True)
class _Grid:
    """For one matrix size: which modules are data (1) and each mask's pattern over them."""

    size: int
    region: tuple[int, ...]
    """Per row, an integer with byte value 1 where the module belongs to the encoding region
    (as in `segno.encoder.find_and_apply_best_mask`)."""
    masks: tuple[tuple[int, ...], ...]
    """Per mask pattern, per row: byte value 1 where the pattern flips a data module."""


@lru_cache(maxsize=64)
def _grid(size: int) -> _Grid:
    function = _ENCODER.make_matrix(size, size)
    _ENCODER.add_finder_patterns(function, size, size)
    _ENCODER.add_alignment_patterns(function, size, size)
    function[-8][8] = 0x1
    inside = [bytes(1 if v > 0x1 else 0 for v in row) for row in function]
    patterns = _ENCODER.get_data_mask_functions(False)
    masks = tuple(
        tuple(int.from_bytes(bytes(1 if inside[i][j] and pattern(i, j) else 0
                                   for j in range(size)), "big") for i in range(size))
        for pattern in patterns)
    region = tuple(int.from_bytes(row, "big") for row in inside)
    return _Grid(size, region, masks)


_RUNS = tuple(re.compile(bytes((value,)) + rb"{5,}") for value in range(4))
"""Five or more modules of one value in a row, per value: 0 and 1, and 2 (3 masked) where
segno leaves a module unfilled. One pattern per value is twice as fast as one for all."""
_N3 = bytes((1, 0, 1, 1, 1, 0, 1))


def _n3(seq: bytes, size: int) -> int:
    """segno's N3 count on one row or column (`mask_scores.n3_pattern_occurrences`)."""
    count = 0
    idx = seq.find(_N3)
    while idx != -1:
        offset = idx + 7
        if (idx in (0, size - 7) or not any(seq[max(idx - 4, 0):min(idx, size)])
                or not any(seq[max(offset, 0):min(offset + 4, size)])):
            count += 40
        else:
            offset = idx + 4
        idx = seq.find(_N3, offset)
    return count


def _penalty(rows: list[bytes], ints: list[int], size: int) -> int:
    """The sum of segno's four penalty scores (N1 + N2 + N3 + N4) of a masked matrix."""
    columns = [bytes(c) for c in zip(*rows, strict=True)]
    lines = b"\xff".join(itertools.chain(rows, columns))
    score = 0
    for value, pattern in enumerate(_RUNS):  # N1: runs of 5 or more, 3 + (length - 5)
        if value < 2 or bytes((value,)) in lines:
            runs = pattern.findall(lines)
            score += sum(map(len, runs)) - 2 * len(runs)
    score += sum(_n3(line, size) for line in itertools.chain(rows, columns))
    for above, below in itertools.pairwise(ints):  # N2: 2x2 blocks of one colour, 3 each
        differs = above ^ (above >> 8) | below ^ (below >> 8) | above ^ below
        score += 3 * differs.to_bytes(size, "big")[1:].count(0)
    dark = sum(sum(row) for row in rows)  # N4, with segno's float arithmetic
    score += 10 * int(abs(float(dark) / (size ** 2) * 100 - 50) / 5)
    return score


def _best_mask(code: segno.QRCode) -> list[bytes]:
    """The matrix of `code` (made with mask 0) under the mask segno would have chosen."""
    final = code.matrix
    size = len(final)
    grid = _grid(size)
    reserved = _ENCODER.make_matrix(size, size)  # what segno scores outside the data modules
    _ENCODER.add_finder_patterns(reserved, size, size)
    _ENCODER.add_alignment_patterns(reserved, size, size)
    plain = []  # the data modules unmasked, the rest as segno has it when scoring
    for i, row in enumerate(final):
        data = int.from_bytes(row, "big") ^ grid.masks[0][i]
        rest = int.from_bytes(reserved[i], "big")
        plain.append(data & (grid.region[i] * 0xFF) | rest & ~(grid.region[i] * 0xFF))
    best, best_score = 0, -1
    for number, mask in enumerate(grid.masks):
        ints = [p ^ m for p, m in zip(plain, mask, strict=True)]
        rows = [v.to_bytes(size, "big") for v in ints]
        score = _penalty(rows, ints, size)
        if best_score < 0 or score < best_score:
            best, best_score = number, score
    if best == 0:
        return [bytes(row) for row in final]
    chosen = []
    for i, row in enumerate(final):
        flip = grid.masks[0][i] ^ grid.masks[best][i]
        chosen.append(bytearray((int.from_bytes(row, "big") ^ flip).to_bytes(size, "big")))
    _ENCODER.add_format_info(chosen, code.version, _CONSTS.ERROR_MAPPING[code.error], best)
    return [bytes(row) for row in chosen]


def _uri_rows(text: str, ec: str) -> tuple[bytes, ...]:
    try:
        code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=ec)
    except ValueError:  # zxing-cpp's "Input too long for ECC level"
        raise ValueError("too much text for one QR code") from None
    image = code.to_image(scale=1, add_quiet_zones=False)
    side = int(image.shape[0])
    flat = bytes(memoryview(image))  # type: ignore[arg-type]  # zxing's Image is a buffer
    return tuple(flat[r * side:(r + 1) * side] for r in range(side))


_Made = TypeVar("_Made")

_MADE_ELSEWHERE: dict[tuple[str, str], tuple[bytes, ...]] = {}
"""Rows encoded by another process of this one (`supply_rows`), taken by `_rows`."""


def supply_rows(text: str, rows: tuple[bytes, ...]) -> None:
    """Hand over the rows of a code at level M that a worker process encoded (with `rows_of`)."""
    _MADE_ELSEWHERE[(text, QR_ERROR_CORRECTION)] = rows


def rows_of(text: str) -> tuple[bytes, ...]:
    """The rows of the code of `text` at level M (0 dark, 255 light), for `supply_rows`."""
    return _rows(text, QR_ERROR_CORRECTION)


_OPS_ELSEWHERE: dict[tuple[str, str], str] = {}
"""Path operators made by another process of this one (`supply_ops`), taken by `_path_ops`."""

_SUPPLIER: list[Callable[[], None]] = []
"""Called when a code is needed that no other process has supplied yet: takes in what one
has made since (without waiting), before the code is encoded here."""


def supply_ops(text: str, ops: str) -> None:
    """Hand over the path operators of a code at level M made by `ops_of` in a worker."""
    _OPS_ELSEWHERE[(text, QR_ERROR_CORRECTION)] = ops


def ops_of(text: str) -> str:
    """The path operators `draw_qr` writes for the code of `text` at level M."""
    return _path_ops(text, QR_ERROR_CORRECTION)


def _made_elsewhere(store: dict[tuple[str, str], _Made], key: tuple[str, str]) -> _Made | None:
    """What another process made for `key` (taking in what it has sent since, if needed), or
    None when it has not made it yet."""
    made = store.pop(key, None)
    if made is None and _SUPPLIER:
        _SUPPLIER[-1]()
        made = store.pop(key, None)
    return made


@contextmanager
def supplied_by(take_in: Callable[[], None]) -> Iterator[None]:
    """While the block runs, `take_in()` is called before any code is encoded here."""
    _SUPPLIER.append(take_in)
    try:
        yield
    finally:
        _SUPPLIER.remove(take_in)  # what it supplied stays, until the codes are drawn


@lru_cache(maxsize=8192)
def _rows(text: str, ec: str) -> tuple[bytes, ...]:
    """The code's rows as bytes, 0 for a dark module and 255 for a light one.

    Always called with both arguments: lru_cache keys `(text,)` and `(text, "M")` apart, which
    encoded every frame twice."""
    made = _made_elsewhere(_MADE_ELSEWHERE, (text, ec))
    if made is not None:
        return made
    if not text.isascii():
        raise ValueError("QR texts on the sheets are ASCII (URIs are percent-encoded)")
    if ec not in ("L", "M", "Q", "H"):
        raise ValueError(f"unknown QR error correction level {ec!r}")
    if text and is_qr_alphanumeric(text):  # frame and share texts: one alphanumeric segment
        return _alphanumeric_rows(text, ec)
    return _uri_rows(text, ec)


_DARK_RUN = re.compile(rb"\x00+")


@lru_cache(maxsize=8192)
def _path_ops(text: str, ec: str) -> str:
    """PDF operators filling the dark modules, in module units (row 0 at the top, y down)."""
    made = _made_elsewhere(_OPS_ELSEWHERE, (text, ec))
    if made is not None:
        return made
    ops: list[str] = []
    for r, row in enumerate(_rows(text, ec)):
        y = f" {-(r + 1)} "
        for run in _DARK_RUN.finditer(row):
            start, end = run.span()
            ops.append(f"{start}{y}{end - start} 1 re")
    return "\n".join(ops)


def prepare(text: str) -> None:
    """Encode a code ahead of drawing (kept for `QrCode` and `draw_qr`): encoding is the slow
    part of a sheet, and a caller that does it first can report its progress."""
    _rows(text, QR_ERROR_CORRECTION)


def qr_fits(text: str) -> bool:
    """Whether the text fits one QR code at the error correction level used."""
    try:
        _rows(text, QR_ERROR_CORRECTION)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class QrCode:
    """One QR code's text and module matrix (True = dark), without quiet zone."""

    text: str
    ec: str = QR_ERROR_CORRECTION

    @property
    def matrix(self) -> list[list[bool]]:
        return [[v == 0 for v in row] for row in _rows(self.text, self.ec)]

    @property
    def modules(self) -> int:
        return len(_rows(self.text, self.ec))

    def size(self, module: float) -> float:
        """Side in points including the quiet zone, at `module` points per module."""
        return (self.modules + 2 * QUIET_ZONE_MODULES) * module


def module_for(code: QrCode, box: float, largest: float = 0.9 * mm) -> float:
    """The module size (points) that fits `box` with its quiet zone, never below the minimum."""
    fitted = box / (code.modules + 2 * QUIET_ZONE_MODULES)
    return float(max(FRAME_MODULE, min(largest, fitted)))


def draw_qr(canvas: Canvas, code: QrCode, x: float, y_top: float, module: float) -> float:
    """Draw the code with its quiet zone; (x, y_top) is the quiet zone's top-left corner.

    Returns the side drawn (points). Dark runs of a row are one rectangle each, all filled as
    one path so rasterizers leave no seams between modules; the path is written in module
    units under a scaling matrix (reportlab's per-rectangle calls dominate the run time at
    2000 accounts).
    """
    left = x + QUIET_ZONE_MODULES * module
    top = y_top - QUIET_ZONE_MODULES * module
    canvas.addLiteral(f"q 0 g {module:.4f} 0 0 {module:.4f} {left:.3f} {top:.3f} cm\n"
                      f"{_path_ops(code.text, code.ec)}\nf Q")
    return code.size(module)


PNG_MODULE_PIXELS = 10
"""Pixels per QR module in PNG files: sharp on any screen and when printed at 300 DPI."""


def qr_code(text: str, what: str) -> QrCode:
    """The QR code of `text`; AccountError naming `what` when it does not fit in one code."""
    if not qr_fits(text):
        raise AccountError("too much data for one QR code (a very long name or "
                           "secret)", source=Source(label=what))
    return QrCode(text)


def qr_png(text: str, what: str, *, module_px: int = PNG_MODULE_PIXELS,
           self_check: bool = True) -> bytes:
    """A QR code (error correction M, 4-module quiet zone) as a black-and-white PNG, read back
    before it is returned unless `self_check` is off (benchmarks only)."""
    code = qr_code(text, what)
    quiet = QUIET_ZONE_MODULES
    modules = code.modules + 2 * quiet
    small = Image.new("L", (modules, modules), 255)
    for r, row in enumerate(code.matrix):
        for c, dark in enumerate(row):
            if dark:
                small.putpixel((c + quiet, r + quiet), 0)
    side = modules * module_px
    image = small.resize((side, side), Image.Resampling.NEAREST).convert("1")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    png = out.getvalue()
    if self_check:
        check_png(png, text)
    return png
