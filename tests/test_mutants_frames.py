"""Tests that kill mutants of toolkit/frames.py the other tests let live.

See tests/fuzz/mutation.py and docs/mutation-testing.md.
"""

from __future__ import annotations

import pytest

from toolkit import frames as F
from toolkit.errors import NotEnoughError

SMALL = F.encode_frames(b"a" * 10, "sealed", b"A" * 8)  # 1 data frame, 2 parity
LARGE = F.encode_frames(bytes(range(256)) * 8, "vault", b"B" * 8, max_frame_bytes=100)


def test_the_document_id_is_pinned() -> None:
    # the same payload gets the same id on every printout (the golden PDF depends on it)
    assert F.doc_id_for(b"abc").hex() == "4ff8018c322d7386"


def test_a_frame_text_error_carries_its_outcome_and_detail() -> None:
    with pytest.raises(F.FrameTextError) as info:
        F.decode_frame(F.FRAME_PREFIX + "!!!")
    assert (info.value.outcome, info.value.detail) == ("damaged", "frame text is not valid base45")
    assert str(info.value) == "frame text is not valid base45"


@pytest.mark.parametrize(("numbers", "text"), [
    ([], ""), ([4], "4"), ([1, 2], "1-2"), ([3, 7, 8, 9, 10], "3, 7-10"),
    ([1, 2, 4, 5, 6, 9], "1-2, 4-6, 9"),
])
def test_number_ranges(numbers: list[int], text: str) -> None:
    assert F.number_ranges(numbers) == text


def test_a_collector_of_two_documents_answers_for_the_one_asked() -> None:
    collector = F.FrameCollector()
    assert not collector.is_complete()
    collector.add_all(f.text for f in SMALL[:1] + LARGE[:3])
    assert collector.is_complete(b"A" * 8)
    assert not collector.is_complete(b"B" * 8)
    assert not collector.is_complete()  # two printouts: which one is not said
    assert collector.missing(b"A" * 8).complete
    assert collector.missing(b"B" * 8).need_more == 24
    with pytest.raises(NotEnoughError, match="2 different printouts"):
        collector.missing()
    texts = [f.text for f in SMALL[1:] + LARGE]
    assert F.decode_frames(texts, b"A" * 8) == b"a" * 10
    assert F.decode_frames(texts, b"B" * 8) == bytes(range(256)) * 8


def test_layout_one_code_per_page_and_exactly_the_fewest_pages() -> None:
    assert [[f.index for f in page] for page in F.layout(SMALL, 1)] == [[0], [1], [2]]
    assert len(F.layout(SMALL, 2, pages=2)) == 2
    assert F.layout([], 5) == F.layout([], 5, pages=0) == []
    with pytest.raises(ValueError, match="^3 codes need at least 2 pages$"):
        F.layout(SMALL, 2, pages=1)
    with pytest.raises(ValueError, match="codes_per_page must be at least 1"):
        F.layout(SMALL, 0)


def test_layout_gives_each_document_the_pages_it_needs_to_survive_a_lost_page() -> None:
    # 39 codes fit on 2 pages of 20, but the large document needs 4 pages for any one to be
    # lost (36 frames, 9 of them parity); the small one alone would need 2
    pages = F.layout(SMALL + LARGE, 20)
    assert len(pages) == 4
    assert F.page_loss_ok(pages)


def test_two_pages_can_survive_the_loss_of_either() -> None:
    pages = F.layout(SMALL, 2)
    assert [[f.index for f in page] for page in pages] == [[0, 2], [1]]
    assert F.page_loss_ok(pages)
    assert not F.page_loss_ok([SMALL])
    assert not F.page_loss_ok([[]])
