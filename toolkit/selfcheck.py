"""Check our own output: read back every QR code drawn on a freshly made PDF or PNG.

toolkit.render calls these on every sheet it makes (`layout.render_document`,
`qr.checked_png`); nothing else needs to.

A PDF of many pages is read on two cores: a forked worker reads every other page (rendering
them in its own `IsolatedPdf` child) and sends the texts it read back through a pipe, while
this process reads the rest; the check itself is the same plain pass on every page.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from typing import BinaryIO

from PIL import Image

from toolkit.errors import ScanError, SelfCheckError
from toolkit.forked import Worker, cores
from toolkit.progress import NO_PROGRESS, Progress
from toolkit.scan import (
    FoundCode,
    decode_bytes,
    pdf_page_count,
    pdf_pages,
    zxing_pass,
)

SELF_CHECK_DPI = 150
"""Rasterizing at the lowest scan resolution we promise proves the codes are big enough."""

PARALLEL_MIN_PAGES = 8
"""A PDF of at least this many pages is read by two processes (when two cores are there): the
fork costs a few milliseconds, a page about 18."""

_PAGE_DONE = b"."
_TEXTS = b"T"
_FAILED = b"E"


def decode_image(image: Image.Image, page: int = 1) -> list[FoundCode]:
    """The codes one plain zxing-cpp pass reads on a page as drawn: at its own resolution, no
    downscaled or inverted retries (a code that needs them fails the check)."""
    return zxing_pass(image.convert("L"), page, as_drawn=True)[0]


def check_pdf(pdf: bytes, expected: Sequence[str], dpi: int = SELF_CHECK_DPI, *,
              progress: Progress = NO_PROGRESS, pages: int | None = None,
              workers: int | None = None) -> None:
    """Raise SelfCheckError unless every expected QR text is read back byte for byte.

    One plain zxing-cpp pass, no retries: a code that needs help to read now will not survive
    printing and scanning. `progress` advances by one as each page is read. `workers` (1 or 2;
    None: 2 when the machine has two cores and the PDF enough pages) is how many processes
    read the pages; `pages`, the PDF's page count when the caller knows it.
    """
    read: Counter[str] = Counter()
    if workers is None:
        workers = 2 if cores() >= 2 else 1
    if workers > 1 and pages is None:
        pages = pdf_page_count(pdf)
    if workers > 1 and pages is not None and pages >= PARALLEL_MIN_PAGES:
        _read_in_two(pdf, dpi, read, progress)
    else:
        _read_pages(pdf, dpi, read, progress.advance)
    missing = Counter(expected) - read
    if missing:
        count = sum(missing.values())
        raise SelfCheckError(
            f"{count} of {len(expected)} QR codes on the new PDF did not read back exactly"
        )


def _read_pages(pdf: bytes, dpi: int, read: Counter[str], page_done: Callable[[], None],
                only: Callable[[int], bool] | None = None) -> None:
    for number, image in enumerate(pdf_pages(pdf, dpi, only=only), start=1):
        read.update(code.text for code in decode_image(image, number))
        page_done()


def _read_in_two(pdf: bytes, dpi: int, read: Counter[str], progress: Progress) -> None:
    """Odd pages here, even pages (1-based) in a forked worker; pages alternate so that both
    get their share of the slow frame pages at the end."""
    with Worker(lambda sink: _read_even_pages(pdf, dpi, sink)) as worker:
        pending = bytearray()

        def page_done() -> None:
            worker.read_some(pending)
            progress.advance(1 + _count_done(pending))

        _read_pages(pdf, dpi, read, page_done, only=lambda index: index % 2 == 0)
        worker.read_rest(pending)
        progress.advance(_count_done(pending))
    if pending[:1] == _FAILED:
        raise ScanError(pending[1:].decode("utf-8", "replace"))
    if pending[:1] != _TEXTS:
        raise SelfCheckError("the second process reading the new PDF ended early")
    read.update(json.loads(pending[1:]))


def _count_done(pending: bytearray) -> int:
    """Drop the page marks at the front of `pending`; how many there were."""
    count = len(pending) - len(pending.lstrip(_PAGE_DONE))
    del pending[:count]
    return count


def _read_even_pages(pdf: bytes, dpi: int, sink: BinaryIO) -> None:  # pragma: no cover
    """The worker's part: a mark per page read, then the texts read (or the error)."""

    def page_done() -> None:
        sink.write(_PAGE_DONE)
        sink.flush()

    texts: Counter[str] = Counter()
    try:
        _read_pages(pdf, dpi, texts, page_done, only=lambda index: index % 2 == 1)
        answer = _TEXTS + json.dumps(list(texts.elements())).encode()
    except ScanError as exc:
        answer = _FAILED + str(exc).encode()
    sink.write(answer)


def check_png(png: bytes, expected: str) -> None:
    """Raise SelfCheckError unless the PNG holds exactly the one expected QR text."""
    read = [code.text for code in decode_bytes(png)]
    if read != [expected]:
        raise SelfCheckError("a QR image made for this export did not read back exactly")
