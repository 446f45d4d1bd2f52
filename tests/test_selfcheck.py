"""Work on two cores: the PDF self-check (the worker's pages count as much as this process's,
a code lost on either side is refused, progress counts every page once), and frame codes
encoded ahead by a worker."""

from __future__ import annotations

import io
import time

import pytest
from reportlab.pdfgen.canvas import Canvas

from toolkit import forked, selfcheck
from toolkit.errors import SelfCheckError
from toolkit.render.qr import FRAME_MODULE, QrCode, draw_qr

PAGES = selfcheck.PARALLEL_MIN_PAGES + 1


def pdf_of(texts: list[str]) -> bytes:
    """One QR code per page (texts distinct, so a lost one is named by its page)."""
    out = io.BytesIO()
    c = Canvas(out, invariant=1)
    for text in texts:
        draw_qr(c, QrCode(text), 100, 700, FRAME_MODULE * 2)
        c.showPage()
    c.save()
    return out.getvalue()


TEXTS = [f"P2FA PAGE {n:02d}" for n in range(1, PAGES + 1)]
PDF = pdf_of(TEXTS)


class Count:
    def __init__(self) -> None:
        self.steps = 0

    def start(self, total: int | None, what: str) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        self.steps += n

    def note(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


@pytest.mark.parametrize("workers", [1, 2])
def test_every_page_is_read_once(workers: int) -> None:
    progress = Count()
    selfcheck.check_pdf(PDF, TEXTS, progress=progress, workers=workers)
    assert progress.steps == PAGES


@pytest.mark.parametrize("page", [1, 2])  # read here, read by the worker
def test_a_code_missing_from_either_half_is_refused(page: int) -> None:
    texts = list(TEXTS)
    texts[page - 1] = "P2FA NOT DRAWN"
    with pytest.raises(SelfCheckError, match="1 of"):
        selfcheck.check_pdf(PDF, texts, workers=2, pages=PAGES)


def test_a_code_counted_twice_is_refused() -> None:
    """Every expected text must be read as many times as it is expected."""
    with pytest.raises(SelfCheckError):
        selfcheck.check_pdf(PDF, [*TEXTS, TEXTS[1]], workers=2)


@pytest.mark.usefixtures("self_check_loses_a_code")
def test_the_decoder_losing_a_code_is_refused_with_two_workers() -> None:
    with pytest.raises(SelfCheckError):
        selfcheck.check_pdf(PDF, TEXTS, workers=2)


def test_frame_codes_encoded_ahead_are_the_codes_encoded_here() -> None:
    """FramesAhead: a worker encodes from the first frame on, this process from the last back;
    every frame is counted once and its rows are those this process would have made."""
    from toolkit.render import qr
    from toolkit.render.vault_frames import FramesAhead

    payload = bytes(range(256)) * 16  # 4 kB: 12 data frames and their parity
    progress = Count()
    with FramesAhead(payload, "sealed") as ahead:
        assert ahead.worker is not None or forked.cores() < 2
        ahead.encode(progress)
    texts = [frame.text for frame in ahead.frames]
    assert len(texts) >= FramesAhead.MIN_FRAMES and progress.steps == len(texts)
    for text in texts:
        assert qr.rows_of(text) == qr._alphanumeric_rows(text, "M")


def test_account_codes_encoded_ahead_are_the_codes_encoded_here() -> None:
    """Given the account URIs, the worker sends their rows and path operators first (none for
    a URI too long for one code); they equal what this process makes."""
    from toolkit.render import qr
    from toolkit.render.vault_frames import FramesAhead

    uris = [f"otpauth://totp/Ahead{n}:a{n}?secret=JBSWY3DPEHPK3PXP&issuer=Ahead{n}"
            for n in range(5)] + ["otpauth://totp/x?secret=" + "A" * 5000]
    with FramesAhead(bytes(range(256)) * 16, "sealed", uris) as ahead:
        if ahead.worker is None:
            pytest.skip("one core: no worker")
        for _ in range(3000):  # the worker sends the URIs' codes first: wait for them
            ahead._take_in()
            if ahead._received >= len(uris):
                break
            time.sleep(0.01)
    for uri in uris[:-1]:
        rows = qr._MADE_ELSEWHERE.pop((uri, "M"))
        ops = qr._OPS_ELSEWHERE.pop((uri, "M"))
        assert rows == qr._uri_rows(uri, "M")
        assert ops == qr._path_ops.__wrapped__(uri, "M")
    assert (uris[-1], "M") not in qr._MADE_ELSEWHERE
