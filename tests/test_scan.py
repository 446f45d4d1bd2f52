"""Reading QR codes from images and PDFs: inputs, the decoder cascade, positions, `paper2fa scan`,
and the degradation helpers shared with the end-to-end tests and the benchmark."""

from __future__ import annotations

import io
import json
import os
import random
import signal
import threading
import warnings
from pathlib import Path
from typing import Any

import degrade as D
import pytest
import qrcode
from PIL import Image

from toolkit import constants as C
from toolkit import scan
from toolkit.errors import InputFileError, ScanError
from toolkit.recovery import ReadingNotice, RecoveryState, Skipped, SkipReason
from toolkit.recovery.inputs import Reader, walk

TEXTS = [f"P2F-TEST:{i}:" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[i:] * 6 for i in range(4)]


def qr_image(text: str, box: int) -> Image.Image:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box,
                         border=4)
    code.add_data(text)
    code.make(fit=True)
    image: Image.Image = code.make_image().get_image().convert("L")
    return image


def page_of(texts: list[str], box: int = 4, size: tuple[int, int] = (1240, 1240),
            ) -> tuple[Image.Image, dict[str, tuple[int, int, int, int]]]:
    """A white page with the codes in a 2-column grid; returns it and each code's box."""
    page = Image.new("L", size, 255)
    boxes = {}
    for i, text in enumerate(texts):
        code = qr_image(text, box)
        x, y = 40 + (i % 2) * (size[0] // 2), 40 + (i // 2) * (size[1] // 2)
        page.paste(code, (x, y))
        boxes[text] = (x, y, x + code.width, y + code.height)
    return page, boxes


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return page_of(TEXTS)[0]


def test_every_code_on_a_page_is_read_with_its_position() -> None:
    image, boxes = page_of(TEXTS)
    result = scan.read_page(image, page=3, source="p.png")
    assert sorted(c.text for c in result.codes) == sorted(TEXTS)
    for code in result.codes:
        x0, y0, x1, y1 = boxes[code.text]
        cx, cy = code.center
        assert x0 < cx < x1 and y0 < cy < y1
        assert code.page == 3 and code.source == "p.png" and code.raw == code.text.encode()
    assert result.unreadable == 0 and result.passes == ("zxing-cpp",)


def test_decode_bytes_and_images_of_keep_working(page: Image.Image) -> None:
    assert sorted(c.text for c in scan.decode_bytes(png(page))) == sorted(TEXTS)
    assert len(list(scan.images_of(png(page)))) == 1
    with pytest.raises(ScanError):
        scan.decode_bytes(b"this is not an image")


def test_jpeg_with_exif_rotation_is_turned_upright(page: Image.Image) -> None:
    turned = page.rotate(90, expand=True)  # stored sideways, EXIF says "rotate back"
    exif = Image.Exif()
    exif[0x0112] = 8  # orientation: rotate 90 CW to view
    out = io.BytesIO()
    turned.save(out, format="JPEG", quality=90, exif=exif)
    (upright,) = list(scan.images_of(out.getvalue()))
    assert upright.size == page.size
    assert sorted(c.text for c in scan.scan_bytes(out.getvalue())[0].codes) == sorted(TEXTS)


def test_multi_page_tiff_gives_every_page(page: Image.Image) -> None:
    other = page_of(TEXTS[:1])[0]
    out = io.BytesIO()
    page.save(out, format="TIFF", save_all=True, append_images=[other])
    pages = scan.scan_bytes(out.getvalue(), "s.tiff")
    assert [p.page for p in pages] == [1, 2]
    assert scan.page_count(out.getvalue()) == 2  # counted without decoding, for progress
    assert scan.page_count(png(page)) == scan.page_count(b"no image at all") == 1
    assert len(pages[0].codes) == 4 and [c.text for c in pages[1].codes] == TEXTS[:1]


def test_heic_phone_photo_is_read(page: Image.Image) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    page.convert("RGB").save(out, format="HEIF", quality=90)
    assert out.getvalue()[4:8] == b"ftyp"
    assert sorted(c.text for c in scan.scan_bytes(out.getvalue())[0].codes) == sorted(TEXTS)


def test_scanner_pdf_is_rendered_at_its_scan_resolution(page: Image.Image) -> None:
    pdf = D.to_pdf([page, page.rotate(180)], dpi=150)
    images = list(scan.images_of(pdf, None))
    for im in images:  # 150 DPI inside, kept (within rounding)
        assert abs(im.width - page.width) <= 2 and abs(im.height - page.height) <= 2
    pages = scan.scan_bytes(pdf, "scan.pdf")
    assert [len(p.codes) for p in pages] == [4, 4]
    assert scan.page_count(pdf) == 2


def test_folders_are_walked_and_junk_inside_is_skipped_with_a_note(
        tmp_path: Path, page: Image.Image) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.png").write_bytes(png(page))
    (tmp_path / "a.png").write_bytes(png(page_of(TEXTS[:2])[0]))
    (tmp_path / "notes.txt").write_text("my scans")
    (tmp_path / ".hidden.png").write_bytes(b"junk")
    notes: list[ReadingNotice] = []
    state = RecoveryState()
    Reader(state, notes.append).read(walk([tmp_path]), "auto")
    assert [Path(p.source).name for p in state.pages] == ["a.png", "b.png"]
    assert sum(p.codes for p in state.pages) == 6
    (note,) = notes
    assert isinstance(note, Skipped) and Path(note.path).name == "notes.txt"
    assert note.reason is SkipReason.NOT_OURS_TEXT and note.error is not None


def test_a_named_file_that_is_no_image_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.png"
    bad.write_bytes(b"\x89PNG broken")
    with pytest.raises(ScanError, match=r"x\.png"):
        Reader(RecoveryState(), print).read(walk([bad]), "auto")
    with pytest.raises(InputFileError):
        walk([tmp_path / "missing.png"])


def test_cascade_reads_blurred_small_codes_the_plain_pass_cannot() -> None:
    # modules of 2 pixels, blurred: zxing-cpp sees the codes but cannot read them plainly
    image, _ = page_of(TEXTS, box=2, size=(700, 700))
    blurred = D.blur(image, 1.0)
    plain, _failed = scan.zxing_pass(blurred)
    assert len(plain) < len(TEXTS)
    result = scan.read_page(blurred, effort="auto")
    assert sorted(c.text for c in result.codes) == sorted(TEXTS)
    assert len(result.passes) > 1
    full = scan.read_page(blurred, effort="full")
    assert sorted(c.text for c in full.codes) == sorted(TEXTS)
    fast = scan.read_page(blurred, effort="fast")
    assert len(fast.codes) == len(plain)


def test_each_code_is_kept_once_across_passes(page: Image.Image) -> None:
    result = scan.read_page(page, effort="full")
    assert len(result.codes) == len(TEXTS)
    assert "zxing-cpp upscaled" in result.passes


def test_pyzbar_pass_reads_codes_when_libzbar_is_there(page: Image.Image) -> None:
    if not scan.pyzbar_available():
        pytest.skip("libzbar is not installed")
    found = scan.pyzbar_pass(page)
    assert sorted(c.text for c in found) == sorted(TEXTS)
    assert {c.decoder for c in found} == {"pyzbar"}


# --- degradation helpers ---------------------------------------------------------------------


def test_noise_is_reproducible_from_its_seed(page: Image.Image) -> None:
    a = D.noise(page, 10, random.Random(1))
    b = D.noise(page, 10, random.Random(1))
    c = D.noise(page, 10, random.Random(2))
    assert a.tobytes() == b.tobytes() != c.tobytes()
    grey = Image.new("L", (200, 200), 128)
    values = list(D.noise(grey, 10, random.Random(3)).tobytes())
    mean = sum(values) / len(values)
    sd = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
    assert abs(mean - 128) < 1 and 8.5 < sd < 11.5


def test_blotch_covers_the_asked_fraction_of_a_code() -> None:
    image, _boxes = page_of(TEXTS[:1], box=8, size=(700, 700))
    (corners,) = D.code_corners(image)
    white = Image.new("L", image.size, 255)
    blotted = D.blotch(white, corners, 0.10, random.Random(1))
    dark = sum(1 for v in blotted.tobytes() if v < 128)
    side = D._side(corners)
    assert 0.08 < dark / side**2 < 0.12


def test_geometry_keeps_codes_readable(page: Image.Image) -> None:
    for changed in (D.rotate(page, 7), D.rotate(page, 90), D.keystone(page, 0.1)):
        assert len(scan.read_page(changed).codes) == len(TEXTS)
    assert D.rotate(page, 90).size == (page.height, page.width)


def test_a_covered_finder_or_destroyed_code_is_not_read(page: Image.Image) -> None:
    corners = D.code_corners(page)
    destroyed = D.destroy_code(page, corners[0])
    assert len(scan.read_page(destroyed, effort="full").codes) == len(TEXTS) - 1


def test_every_condition_runs_and_pages_conditions_change_the_set(page: Image.Image) -> None:
    small = page.resize((620, 620))
    for name, condition in D.CONDITIONS.items():
        out = condition.apply([small, small.copy(), small.copy()], random.Random(1))
        assert all(im.mode == "L" for im in out), name
        assert len(out) == (2 if name == "dropped page" else 3), name


def test_print_and_scan_simulation_reads_back(page: Image.Image) -> None:
    big = page.resize((page.width * 2, page.height * 2), Image.Resampling.NEAREST)
    scanned = D.printed_and_scanned(big, 150, random.Random(1), print_dpi=300)
    assert scanned.size == page.size
    assert len(scan.read_page(scanned).codes) == len(TEXTS)


# --- paper2fa scan ---------------------------------------------------------------------------


def test_scan_command_lists_codes_as_json_and_hides_secrets_otherwise(
        cli: Any, tmp_path: Path) -> None:
    uri = "otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example"
    image, _ = page_of([uri, TEXTS[0]])
    (tmp_path / "p.png").write_bytes(png(image))
    result = cli("scan", tmp_path / "p.png", "--json")
    assert result.code == 0, result.err
    (entry,) = result.json()
    assert entry["page"] == 1 and entry["file"].endswith("p.png")
    assert sorted(c["text"] for c in entry["codes"]) == sorted([uri, TEXTS[0]])
    assert all(len(c["position"]) == 4 for c in entry["codes"])
    plain = cli("scan", tmp_path / "p.png")
    assert plain.code == 0
    assert "JBSWY3DPEHPK3PXP" not in plain.out and "account QR code" in plain.out
    assert "2 QR codes" in plain.out


def test_scan_command_without_codes_exits_11(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "blank.png").write_bytes(png(Image.new("L", (300, 300), 255)))
    result = cli("scan", tmp_path / "blank.png")
    assert result.code == 11
    assert "no QR code" in result.err
    json.dumps(result.err)  # one plain line, no traceback
    assert "Traceback" not in result.err


# --- bounded work: huge pages, many pages, damaged frames --------------------------------------


def plain_pdf(pages: int, size: tuple[float, float] = (595, 842)) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=size, invariant=1)
    for _ in range(pages):
        pdf.rect(10, 10, 5, 5)  # one drawn path: a page with nothing at all is not rendered
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def tiff_frames(frames: list[Image.Image]) -> bytes:
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:])
    return out.getvalue()


def test_a_poster_sized_pdf_page_is_rendered_within_the_pixel_limit() -> None:
    """A 1.3 KB PDF with one 14400 x 14400 pt page took 3.65 GB: now it fits the page limit."""
    pdf = plain_pdf(1, (14400, 14400))
    assert len(pdf) < 2000
    budget = scan.WorkBudget()
    (image,) = list(scan.images_of(pdf, 200, budget=budget))
    assert image.width * image.height <= C.MAX_PAGE_PIXELS
    assert image.width > 4000 and image.mode == "L"
    assert budget.pages == 1 and budget.pixels == image.width * image.height


def test_a_big_page_keeps_its_codes_when_scaled_down(page: Image.Image) -> None:
    """The same page, scaled into a budget of a quarter of its pixels, reads every code."""
    pdf = D.to_pdf([page], dpi=150)
    small = scan.WorkBudget(page_pixels=page.width * page.height // 4)
    (image,) = list(scan.images_of(pdf, 300, budget=small))  # 300 DPI would be 4x the pixels
    assert image.width * image.height <= small.page_pixels
    assert sorted(c.text for c in scan.read_page(image).codes) == sorted(TEXTS)


def test_pdf_pages_stream_one_at_a_time() -> None:
    """1,000 blank pages hit 6 GB when all were kept: pages are rendered as they are asked for."""
    budget = scan.WorkBudget()
    pages = scan.images_of(plain_pdf(30), 100, budget=budget)
    next(pages)
    assert budget.pages == 1
    assert sum(1 for _ in pages) == 29 and budget.pages == 30


def test_too_many_pages_in_one_file_are_refused_before_any_is_read() -> None:
    budget = scan.WorkBudget(file_pages=10)
    with pytest.raises(ScanError, match="the PDF has 11 pages; paper2fa reads at most 10"):
        next(scan.images_of(plain_pdf(11), 100, budget=budget))
    assert budget.pages == 0
    frames = [Image.new("L", (8, 8), 255)] * 11
    with pytest.raises(ScanError, match="the image file has 11 pages"):
        next(scan.images_of(tiff_frames(frames), budget=budget))


def test_a_3000_frame_tiff_is_refused_quickly(tiff_3000_frames: bytes) -> None:
    """About 1 MB, 3,000 frames: 67 s before; the real per-file limit now refuses it before any
    frame is decoded (counted: no page charged to the budget)."""
    budget = scan.WorkBudget()
    with pytest.raises(ScanError, match="3000 pages; paper2fa reads at most 2000"):
        next(scan.images_of(tiff_3000_frames, budget=budget))
    assert budget.pages == 0 and budget.pixels == 0


def test_the_run_budget_spans_files() -> None:
    budget = scan.WorkBudget(max_pages=5)
    assert len(list(scan.images_of(plain_pdf(3), 72, budget=budget))) == 3
    with pytest.raises(ScanError, match="this run has read 5 pages"):
        list(scan.images_of(plain_pdf(3), 72, budget=budget))
    pixels = scan.WorkBudget(max_pixels=1_000_000)
    with pytest.raises(ScanError, match="megapixels, the most paper2fa decodes in one run"):
        list(scan.images_of(plain_pdf(3), 150, budget=pixels))  # 150 DPI A4: 2.2 Mpx a page


def test_a_huge_photo_is_scaled_down_and_still_reads(page: Image.Image) -> None:
    """A photo over the page limit is decoded smaller (JPEG directly at 1/2) and reads."""
    big = page.resize((page.width * 4, page.height * 4), Image.Resampling.NEAREST)
    for fmt in ("JPEG", "PNG"):
        out = io.BytesIO()
        big.convert("RGB").save(out, format=fmt)
        budget = scan.WorkBudget(page_pixels=big.width * big.height // 5)
        (image,) = list(scan.images_of(out.getvalue(), budget=budget))
        assert image.width * image.height <= budget.page_pixels, fmt
        assert sorted(c.text for c in scan.read_page(image).codes) == sorted(TEXTS), fmt


def test_transparent_png_is_read_on_white(page: Image.Image) -> None:
    """Black codes on a transparent background (as some apps export them)."""
    rgba = Image.new("RGBA", page.size, (0, 0, 0, 0))
    rgba.putalpha(page.point(lambda v: 255 - v))
    (image,) = list(scan.images_of(png(rgba)))
    assert sorted(c.text for c in scan.read_page(image).codes) == sorted(TEXTS)


def _patched_size(data: bytes, width: int, height: int, new: int) -> bytes:
    """A little-endian TIFF whose (only) frame of `width` x `height` claims `new` x `new`."""
    for tag, value in ((256, width), (257, height)):
        for kind in (3, 4):  # SHORT or LONG
            entry = tag.to_bytes(2, "little") + kind.to_bytes(2, "little") + b"\x01\0\0\0"
            old = entry + value.to_bytes(4 if kind == 4 else 2, "little")
            if old in data:
                data = data.replace(old, entry + new.to_bytes(4 if kind == 4 else 2, "little"))
                break
        else:
            raise AssertionError(f"tag {tag} not found")
    return data


def test_a_huge_later_tiff_frame_is_a_scan_error_naming_the_page(page: Image.Image) -> None:
    """The second frame claims 65535 x 65535 pixels (was DecompressionBombError + a warning)."""
    data = _patched_size(tiff_frames([page, Image.new("L", (77, 79), 255)]), 77, 79, 65535)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning escaping would fail here
        pages = scan.images_of(data)
        first = next(pages)
        assert len(scan.read_page(first).codes) == len(TEXTS)
        with pytest.raises(ScanError, match=r"page 2: this page is 65535x65535 pixels, larger"):
            next(pages)


def test_a_damaged_later_tiff_frame_is_a_scan_error_naming_the_page(page: Image.Image) -> None:
    data = tiff_frames([page, Image.new("L", (300, 300), 0)])
    damaged = _patched_size(data, 300, 300, 3000)  # its strip is now far too short
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pages = scan.images_of(damaged)
        next(pages)
        with pytest.raises(ScanError, match="page 2: this page is damaged or cannot be read"):
            next(pages)


def test_garbage_after_a_valid_header_is_a_scan_error() -> None:
    data = png(Image.effect_noise((400, 400), 60).convert("L"))
    for cut in (60, len(data) // 2):
        with pytest.raises(ScanError):
            list(scan.images_of(data[:cut]))


def test_ctrl_c_during_decoding_stays_a_keyboard_interrupt() -> None:
    """zxing-cpp turned an interrupt landing while it read a PIL image into a TypeError."""
    image = Image.effect_noise((1200, 1200), 60).convert("L")
    rng = random.Random(5)
    for _ in range(15):
        timer = threading.Timer(rng.uniform(0, 0.05), os.kill, (os.getpid(), signal.SIGINT))
        try:
            with pytest.raises(KeyboardInterrupt):
                timer.start()  # inside: on a busy machine it may fire before the loop starts
                while True:  # until the interrupt lands, wherever that is
                    scan.zxing_pass(image)
        finally:
            timer.join()


def test_a_scaled_down_photo_keeps_its_exif_rotation() -> None:
    image = Image.new("L", (1000, 600), 255)
    image.paste(0, (0, 0, 100, 100))  # a mark in the stored top-left corner
    exif = Image.Exif()
    exif[0x0112] = 8  # shown turned: the mark ends up bottom left
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    for budget in (scan.WorkBudget(), scan.WorkBudget(page_pixels=60_000)):
        (page,) = list(scan.images_of(out.getvalue(), budget=budget))
        assert page.width < page.height and page.width * page.height <= budget.page_pixels
        assert page.getpixel((2, page.height - 3)) < 60 and page.getpixel((2, 2)) > 200


def test_a_shape_seen_but_unreadable_counts_only_with_a_code_s_proportions() -> None:
    assert scan.could_be_a_code(((0, 0), (100, 0), (100, 100), (0, 100)))
    assert scan.could_be_a_code(((0, 0), (100, 10), (90, 60), (5, 50)))  # tilted 60 degrees
    # what zxing-cpp reported in lines of bold text: a parallelogram 861 by 123 pixels
    assert not scan.could_be_a_code(((546, 948), (1386, 1137), (1263, 1137), (423, 948)))
    assert not scan.could_be_a_code(((5, 5), (5, 5), (5, 5), (5, 5)))


def test_text_on_a_page_is_not_a_code_seen_but_unreadable() -> None:
    """The English home-safe front page (text only) at 200 DPI: zxing-cpp saw two 'codes' in
    its bold lines, so a scan said 'seen but unreadable' and the camera advice counted codes
    in view that were not there."""
    from datetime import UTC, datetime

    from toolkit.demo import demo_vault
    from toolkit.render.home_safe import render_home_safe
    from toolkit.render.layout import PAPERS

    pdf = render_home_safe(demo_vault(), date=datetime(2026, 1, 15, tzinfo=UTC), generation=1,
                           paper=PAPERS["a4"], self_check=False).pdf
    front = D.rasterize(pdf, 200)[0]
    result = scan.read_page(front)
    assert (result.codes, result.unreadable) == ((), 0)


def test_a_code_read_inside_a_larger_code_is_a_phantom_and_left_out() -> None:
    """Two codes on paper never overlap: a tiny code 'read' inside a code read (zxing-cpp
    decoded '774644' in the top right corner of a share code, zoomed and sharpened, in the
    split-sheet-by-sheet test video) is left out; codes side by side and the same code read by
    two passes are kept."""
    share = scan.FoundCode("P2FA-SHARE:X", b"", 1, ((254, 149), (388, 149), (388, 283),
                                                     (254, 283)))
    phantom = scan.FoundCode("774644", b"", 1, ((387, 147), (387, 183), (354, 183),
                                               (354, 147)))
    beside = scan.FoundCode("P2FA-SHARE:Y", b"", 1, ((896, 149), (1030, 149), (1030, 283),
                                                     (896, 283)))
    small_beside = scan.FoundCode("P2F-FRAME1:Z", b"", 1, ((400, 150), (430, 150),
                                                           (430, 180), (400, 180)))
    again = scan.FoundCode("P2FA-SHARE:X", b"", 1, ((255, 150), (389, 150), (389, 284),
                                                    (255, 284)))
    kept = scan.without_phantoms([share, phantom, beside, small_beside, again])
    assert kept == [share, beside, small_beside, again]


def test_only_standard_qr_codes_are_read_not_micro_qr() -> None:
    """A Micro QR code has one finder pattern: on a page of QR codes a finder and the modules
    beside it decode as one (zxing-cpp 3's QRCode also means Micro QR: '2278' in a whole page
    filmed at 720p). No paper2fa sheet and no authenticator app writes one, so a Micro QR code
    is never read (nor counted as a code seen but unread); a standard code beside it is."""
    import zxingcpp

    def drawn(text: str, fmt: Any) -> Image.Image:
        code = zxingcpp.create_barcode(text, fmt)
        return Image.fromarray(code.to_image(scale=6, add_quiet_zones=True))

    micro_format = zxingcpp.BarcodeFormat.MicroQRCode
    micro = drawn("2278", micro_format)
    standard = drawn("P2FA-SHARE:X", zxingcpp.BarcodeFormat.QRCode)
    page = Image.new("L", (micro.width + standard.width + 40, max(micro.height,
                                                                  standard.height) + 40), 255)
    page.paste(micro.convert("L"), (20, 20))
    page.paste(standard.convert("L"), (micro.width + 20, 20))
    assert [c.text for c in zxingcpp.read_barcodes(micro, formats=micro_format)] == ["2278"]
    found, seen = scan.zxing_pass(page)
    assert [c.text for c in found] == ["P2FA-SHARE:X"]
    assert seen == []


def _pdf_page_with(draw: Any) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(595, 842), invariant=1)
    draw(pdf)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_a_drawn_pdf_page_without_codes_is_read_once_a_scanned_one_with_every_retry() -> None:
    """A page of instructions in a PDF that paper2fa printed (text and lines, no picture) is as
    sharp as its rendering: where the plain pass sees nothing, no retry can read more, so it is
    read once (verify of a 12-account home-safe PDF: 3.6 s of CPU before, 1.2 s after). The
    same page scanned (a picture in the PDF) may hide a blurred code: it gets every retry."""
    def text_page(pdf: Any) -> None:
        pdf.drawString(72, 700, "Keep this sheet in a safe place.")
        pdf.line(72, 690, 500, 690)

    (drawn,) = list(scan.images_of(_pdf_page_with(text_page), 100))
    assert drawn.info.get(scan.DRAWN_PAGE)
    assert scan.read_page(drawn, effort="auto").passes == ("zxing-cpp",)
    assert len(scan.read_page(drawn, effort="full").passes) > 1

    picture = io.BytesIO()
    drawn.save(picture, format="PNG")

    def scanned_page(pdf: Any) -> None:
        from reportlab.lib.utils import ImageReader

        pdf.drawImage(ImageReader(io.BytesIO(picture.getvalue())), 0, 0, 595, 842)

    (scanned,) = list(scan.images_of(_pdf_page_with(scanned_page), 100))
    assert not scanned.info.get(scan.DRAWN_PAGE)
    assert len(scan.read_page(scanned, effort="auto").passes) > 1


def test_a_drawn_pdf_page_still_reads_its_codes() -> None:
    """Codes drawn as vector squares on a drawn page read in the plain pass."""
    def codes_page(pdf: Any) -> None:
        from reportlab.graphics import renderPDF
        from reportlab.graphics.barcode.qr import QrCodeWidget
        from reportlab.graphics.shapes import Drawing

        for i, text in enumerate(TEXTS[:2]):
            widget = QrCodeWidget(text)
            drawing = Drawing(200, 200)
            drawing.add(widget)
            renderPDF.draw(drawing, pdf, 72 + 250 * i, 500)

    (drawn,) = list(scan.images_of(_pdf_page_with(codes_page), 200))
    assert drawn.info.get(scan.DRAWN_PAGE)
    assert sorted(c.text for c in scan.read_page(drawn).codes) == sorted(TEXTS[:2])
