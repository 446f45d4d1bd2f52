"""Hard phone photos (tests/degrade.py PHOTO_CONDITIONS): each condition makes real photos of
real sheets; the QR codes of the photos that should restore are read without a single misread,
and photos that fail get advice that says what to do better (toolkit.camera.photo_advice)."""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path
from typing import Any

import camera_videos as V
import degrade as D
import pytest
from PIL import Image

from toolkit import frames, scan
from toolkit.camera import Advice, photo_advice


@pytest.fixture(scope="module")
def sheets() -> V.Sheets:
    return V.split_sheets(10)


def _needed_pages(sheets: V.Sheets) -> list[Image.Image]:
    """What a restore needs of sheets 1, 3 and 5: the sheet's share, which every page of it
    carries (at its top), and the sealed vault's codes, which every sheet's third page carries
    whole (one is enough): page 3 of sheet 1 and page 1 of sheets 3 and 5. More pages of these
    sheets (their words page, the same vault codes again) would only be more photos read by the
    same code: a 12 MP photo costs about a second of CPU to make and as much to read."""
    assert all(sheets.shares[n] in {c.text for c in sheets.codes[f"sheet {n} page {p}"]}
               for n in (1, 3, 5) for p in (1, 3))
    return [sheets.pages[name] for name in ("sheet 1 page 3", "sheet 3 page 1",
                                            "sheet 5 page 1")]


@cache
def _photo(page: str, seed: int, **options: Any) -> Image.Image:
    """A 5 MP photo of `page` of the 10-account split (D.photograph with `options`), made once a
    session: the tests of one kind of bad photo and the restore that names them share it."""
    return D.photograph(V.split_sheets(10).pages[page], random.Random(seed), D.PHOTO_5MP,
                        **options)


def _dim_photo() -> Image.Image:
    return _photo("sheet 2 page 3", 3, light=(3, 20), noise_sigma=8)


def _shaken_photo() -> Image.Image:
    return _photo("sheet 2 page 3", 4, shake=16)


def _read(photos: list[Image.Image]) -> tuple[set[str], list[scan.PageScan]]:
    scans = [scan.read_page(p, i) for i, p in enumerate(photos, 1)]
    return {c.text for s in scans for c in s.codes}, scans


def test_every_photo_condition_makes_grey_photos_of_phone_sizes() -> None:
    page = Image.new("L", (413, 585), 255)  # an A4 page at 50 DPI: the sizes come from the phone
    sizes = {D.PHOTO_12MP, D.PHOTO_12MP[::-1], D.PHOTO_5MP}
    for name, condition in D.PHOTO_CONDITIONS.items():
        if "blur 24" in name or "close-ups" in name:
            continue  # the same code as their neighbours, only slower
        # three pages where the count depends on pairs (the last one alone), else one
        pages = [page, page.copy(), page.copy()] if name == "photo 12 MP two sheets" else [page]
        photos = condition.apply(pages, random.Random(1))
        assert all(p.mode == "L" and p.size in sizes for p in photos), name
        assert len(photos) == (2 if name == "photo 12 MP two sheets" else 1), name


@pytest.mark.slow
@pytest.mark.parametrize("condition", ["photo 12 MP two sheets", "photo close-ups",
                                       "photo 5 MP", "photo 30°"])
def test_hard_photos_that_restore(sheets: V.Sheets, condition: str) -> None:
    photos = D.PHOTO_CONDITIONS[condition].apply(_needed_pages(sheets), random.Random(7))
    read, _ = _read(photos)
    drawn = {c.text for codes in sheets.codes.values() for c in codes}
    assert read <= drawn  # never a misread
    assert {sheets.shares[n] for n in (1, 3, 5)} <= read
    assert frames.decode_frames(t for t in read if t.startswith(frames.FRAME_PREFIX)) \
        == sheets.sealed


@pytest.mark.slow
def test_a_close_up_of_part_of_a_page_ignores_the_codes_cut_at_its_edge(
        sheets: V.Sheets) -> None:
    page = sheets.pages["sheet 2 page 3"]
    photos = D.PHOTO_CONDITIONS["photo part of page"].apply([page], random.Random(2))
    read, _ = _read(photos)
    drawn = {c.text for c in sheets.codes["sheet 2 page 3"]}
    top = {c.text for c in sheets.codes["sheet 2 page 3"] if c.box[3] <= 0.58}
    assert top <= read <= drawn


@pytest.mark.slow
def test_a_dim_photo_is_told_to_use_more_light(sheets: V.Sheets) -> None:
    photo = _dim_photo()
    result = scan.read_page(photo)
    assert len(result.codes) < len(sheets.codes["sheet 2 page 3"])
    assert photo_advice(photo, result) is Advice.MORE_LIGHT


@pytest.mark.slow
def test_a_shaken_photo_is_told_to_hold_still_and_a_steady_one_reads(sheets: V.Sheets) -> None:
    steady = _photo("sheet 2 page 3", 4)
    shaken = _shaken_photo()
    assert photo_advice(steady, scan.read_page(steady)) is Advice.READING
    result = scan.read_page(shaken)
    assert len(result.codes) < len(sheets.codes["sheet 2 page 3"])
    assert photo_advice(shaken, result) is Advice.HOLD_STILL


@pytest.mark.slow
def test_restore_tells_what_to_do_better_for_the_photos_that_failed(
        sheets: V.Sheets, cli: Any, tmp_path: Path) -> None:
    """A restore that cannot finish names each photo that did not read and the advice for it
    (templates/en/camera.toml [photo]); a photo that read gets none."""
    # PNG keeps every pixel at any compression; level 1 writes a 5 MP photo in a fifth of the
    # CPU of the default level 6 (0.2 s, not 0.8)
    _dim_photo().save(tmp_path / "dim.png", compress_level=1)
    _shaken_photo().save(tmp_path / "shaken.png", compress_level=1)
    _photo("sheet 1 page 1", 4).save(tmp_path / "steady.png", compress_level=1)
    out = tmp_path / "vault.json"
    result = cli("restore", tmp_path, "-o", out)
    assert result.code == 7, result.err
    assert "dim.png: Take the photo in more light (near a window or under a lamp)." in result.err
    assert ("shaken.png: Hold the phone still and let it focus before taking the photo."
            in result.err)
    assert "steady.png:" not in result.err
    assert not out.exists()


@pytest.mark.slow
def test_a_photo_out_of_focus_is_told_to_focus_not_to_hold_still(sheets: V.Sheets) -> None:
    """Blur from focus (the same in every direction) is named apart from blur from movement
    (smeared one way: test_a_shaken_photo_is_told_to_hold_still_and_a_steady_one_reads)."""
    page = sheets.pages["sheet 2 page 3"]
    defocused = D.photograph(page, random.Random(4), D.PHOTO_5MP, focus=6)
    result = scan.read_page(defocused)
    assert len(result.codes) < len(sheets.codes["sheet 2 page 3"])
    assert photo_advice(defocused, result) is Advice.FOCUS


@pytest.mark.slow
def test_a_noisy_photo_in_a_dim_room_is_told_more_light_first(sheets: V.Sheets) -> None:
    """Paper at grey 115 and ink at 25 (issue 20's dim room), noisy: bright enough on average,
    yet the darkness is what to fix."""
    page = sheets.pages["sheet 2 page 3"]
    # seed 5: two codes stay unread. With seed 4 this page (since issue 19's type sizes moved
    # its frames a little) reads 6 of 7, and a single unread code the plain pass does not
    # locate gives READING: the advice judges where a code was seen but not read.
    photo = D.photograph(page, random.Random(5), D.PHOTO_5MP, light=V.DIM_ROOM,
                         noise_sigma=14, quality=70)
    result = scan.read_page(photo)
    assert len({c.text for c in result.codes}) < len({c.text for c in
                                                     sheets.codes["sheet 2 page 3"]})
    assert photo_advice(photo, result) is Advice.MORE_LIGHT
