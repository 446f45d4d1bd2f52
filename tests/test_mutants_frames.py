"""Tests that kill mutants of toolkit/frames.py the other tests let live.

See tests/fuzz/mutation.py and docs/mutation-testing.md.
"""

from __future__ import annotations

import pytest

from toolkit import erasure
from toolkit import frames as F
from toolkit.errors import DamagedError, NotEnoughError

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
    with pytest.raises(ValueError, match=r"^3 codes need at least 2 pages$"):
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


def raw_frame(version: int = 1, kind: int = 0x53, doc_id: bytes = b"C" * 8, length: int = 10,
               size: int = 18, index: int = 0, chunk: bytes | None = None) -> str:
    """A frame text built by hand from docs/FORMAT.md section 4, with a correct CRC."""
    import struct
    import zlib
    body = struct.pack(">BB8sIHH", version, kind, doc_id, length, size, index)
    body += chunk if chunk is not None else bytes(size)
    body += zlib.crc32(body).to_bytes(4, "big")
    return F.FRAME_PREFIX + F.base45_encode(body)


@pytest.mark.parametrize(("text", "outcome", "detail"), [
    (raw_frame(), "new", "frame 1 of 3"),
    (raw_frame(version=2), "unknown-version", "frame format version 2 is not known"),
    (raw_frame(kind=0x41), "damaged", "frame header is inconsistent"),
    (raw_frame(size=17, chunk=bytes(18)), "damaged", "frame header is inconsistent"),
    (raw_frame(length=0), "damaged", "frame header is inconsistent"),
    (raw_frame(length=F.MAX_PAYLOAD_BYTES + 1), "damaged", "frame header is inconsistent"),
    (raw_frame(length=8 * 1024 * 1024, size=1, chunk=b"x"), "damaged",
     "frame header is inconsistent"),
    (raw_frame(index=3), "damaged", "frame number is outside its document"),
    (F.FRAME_PREFIX + F.base45_encode(bytes(22)), "damaged", "frame is too short"),
    (F.FRAME_PREFIX + "::", "damaged", "frame text is not valid base45"),
    (F.FRAME_PREFIX + ":::", "damaged", "frame text is not valid base45"),
    ("P2F-FRAME2:ABC", "unknown-version", "a paper2fa frame of an unknown format version"),
    ("otpauth://totp/x", "foreign", "not a paper2fa frame"),
])
def test_each_kind_of_bad_frame_is_told_apart(text: str, outcome: str, detail: str) -> None:
    added = F.FrameCollector().add(text)
    assert (added.outcome, added.detail) == (outcome, detail)
    assert added.is_frame == (outcome == "new")


def test_base45_rejects_groups_out_of_range() -> None:
    assert F.base45_decode("FGW") == b"\xff\xff"
    assert F.base45_decode("U5") == b"\xff"
    for bad in ("GGW", "V5", "::", ":::"):
        with pytest.raises(ValueError, match="base45 group out of range"):
            F.base45_decode(bad)


def test_frames_that_disagree_are_recorded_then_judged_a_conflict() -> None:
    collector = F.FrameCollector()
    assert collector.add(raw_frame(length=10)).outcome == "new"
    same_doc_other_length = collector.add(raw_frame(length=11, index=1))
    assert (same_doc_other_length.outcome, same_doc_other_length.detail) == ("new", "frame 2 of 4")
    again = collector.add(raw_frame(length=10, chunk=b"\x01" * 18))
    assert (again.outcome, again.detail) == ("new", "frame 1 of 3")
    assert collector.add(raw_frame(length=10)).outcome == "duplicate"
    assert collector.rejected == {}
    assert len(collector.docs[b"C" * 8]) == 3
    judged = collector.judgement()
    assert (judged.verdict, judged.header, judged.conflicts, judged.other_frames) == (
        F.Verdict.CONFLICT, F.FrameHeader("sealed", 10, 18), (1,), 1)
    assert collector.missing() == judged.missing
    assert (judged.missing.have, judged.missing.total, judged.missing.complete) == (1, 3, True)
    assert judged.restored is None
    with pytest.raises(DamagedError) as damaged:
        collector.finish()
    assert damaged.value.message == (
        "QR frames of one document id disagree: frame 1 of 3 read with different contents; "
        "1 frame with another length, kind or chunk size; no reading of them checks")
    assert damaged.value.hint.startswith("frames of another printout with the same document id")
    with pytest.raises(NotEnoughError, match="no QR frames of this document were read"):
        collector.missing(b"Z" * 8)


def test_encode_frames_limits() -> None:
    from toolkit.errors import FormatError
    for size in (F.FRAME_OVERHEAD, 0x10000):
        with pytest.raises(ValueError, match="max_frame_bytes out of range"):
            F.encode_frames(b"x", "sealed", b"A" * 8, max_frame_bytes=size)
    one_byte_chunks = F.encode_frames(b"x", "sealed", b"A" * 8,
                                      max_frame_bytes=F.FRAME_OVERHEAD + 1)
    assert len(one_byte_chunks) == 12  # 8 hash bytes and 1 payload byte, then 3 parity
    with pytest.raises(FormatError, match=r"^the data is too large to print \(8388609 bytes\)$"):
        F.encode_frames(bytes(F.MAX_PAYLOAD_BYTES + 1), "sealed", b"A" * 8)
    with pytest.raises(FormatError, match=r"^the data is too large to print \(48000 bytes\)$"):
        F.encode_frames(bytes(48_000), "sealed", b"A" * 8, max_frame_bytes=F.FRAME_OVERHEAD + 1)


def test_page_loss_is_not_ok_when_a_page_holds_a_whole_document() -> None:
    pages = [list(SMALL), list(LARGE)]
    assert not F.page_loss_ok(pages)


def test_what_a_collector_says_when_it_cannot_finish() -> None:
    from toolkit.errors import DamagedError, UnknownVersionError
    empty = F.FrameCollector()
    with pytest.raises(NotEnoughError) as info:
        empty.finish()
    assert info.value.message == "no paper2fa QR frames were read"
    for count, text in ((1, "(1 damaged frame rejected)"), (2, "(2 damaged frames rejected)")):
        collector = F.FrameCollector()
        collector.add_all([F.FRAME_PREFIX + "!!"] * count + ["foreign text"])
        assert collector.rejected == {"damaged": count, "foreign": 1}
        with pytest.raises(NotEnoughError) as info:
            collector.finish()
        assert info.value.message == f"no paper2fa QR frames were read {text}"
    newer = F.FrameCollector()
    newer.add(raw_frame(version=2))
    with pytest.raises(UnknownVersionError) as info:
        newer.finish()
    assert info.value.message == ("the QR frames are of a format version this program does not "
                                  "know")
    two = F.FrameCollector()
    two.add_all([SMALL[0].text, LARGE[0].text])
    with pytest.raises(NotEnoughError) as info:
        two.finish()
    assert info.value.message == "QR frames of 2 different printouts were read"
    assert info.value.hint == "scan the pages of one backup at a time"
    with pytest.raises(NotEnoughError) as info:
        two.finish(b"Z" * 8)
    assert info.value.message == "no QR frames of this document were read"
    with pytest.raises(DamagedError):
        F.decode_frames([raw_frame(length=10)])  # all zero bytes: fails the payload hash


def test_added_frames_carry_the_frame_and_what_happened() -> None:
    collector = F.FrameCollector(doc_id=b"A" * 8)
    other = collector.add(LARGE[0].text)
    assert (other.outcome, other.detail) == ("other-document", "a frame of another document")
    assert other.frame == LARGE[0] and other.doc_id == b"B" * 8
    first = collector.add(SMALL[1].text)
    again = collector.add(SMALL[1].text)
    assert (again.outcome, again.detail) == ("duplicate", "frame 2 of 3 was read already")
    assert again.frame == first.frame == SMALL[1]
    collector.add(F.FRAME_PREFIX + "!!")
    disagrees = collector.add(raw_frame(doc_id=b"A" * 8, length=10, size=18, index=1))
    assert collector.rejected == {"damaged": 1}
    assert disagrees.frame is not None
    assert collector.docs == {b"A" * 8: tuple(sorted([SMALL[1], disagrees.frame],
                                                     key=lambda f: f.text))}
    assert collector.frame(b"A" * 8, 1) is None  # read with two contents
    assert collector.frame(b"Z" * 8, 1) is None
    collector.add(SMALL[0].text)  # frame 1 fixes the codeword: frame 2 as printed fits it
    assert collector.frame(b"A" * 8, 0) == SMALL[0]
    judged = collector.judgement()
    assert (judged.verdict, judged.conflicts, judged.restored) == (
        F.Verdict.RESTORED, (2,), F.Restored(b"a" * 10, "sealed", b"A" * 8, 2, 0))
    report = F.FrameCollector()
    report.add_all(f.text for f in SMALL[1:])
    restored = report.finish_report()
    assert (restored.payload, restored.frames_read, restored.recovered) == (b"a" * 10, 2, 1)


def test_frames_that_disagree_or_carry_non_zero_padding_are_damage() -> None:
    import hashlib

    from toolkit.errors import DamagedError
    payload, doc, size = b"abc", b"E" * 8, 16
    container = hashlib.sha256(payload).digest()[:8] + payload
    chunk = container + b"X" * (size - len(container))  # padding of "X" instead of zeros
    texts = [F.frame_text("sealed", doc, len(payload), size, i, c)
             for i, c in enumerate([chunk, *erasure.encode_parity([chunk], 2)])]
    with pytest.raises(DamagedError) as info:
        F.decode_frames(texts)
    assert info.value.message == "the QR frames reassemble to data that fails its checksum"
    assert info.value.hint == "a frame was misread or comes from another printout; scan again"
    good = container + bytes(size - len(container))
    bad_parity = [F.frame_text("sealed", doc, len(payload), size, i, c)
                  for i, c in enumerate([good, *erasure.encode_parity([chunk], 2)])]
    assert F.decode_frames(bad_parity[:1]) == payload
    with pytest.raises(DamagedError) as info:
        F.decode_frames(bad_parity)
    assert info.value.message == "QR frames of block 1 disagree with each other"
    assert info.value.hint == "a frame was misread or comes from another printout; scan again"


def test_base45_and_encoder_errors_are_worded() -> None:
    for text, message in (("A", "impossible base45 length"), ("AB!", "not a base45 character"),
                          ("GGW", "base45 group out of range"),
                          ("V5", "base45 group out of range")):
        with pytest.raises(ValueError) as info:
            F.base45_decode(text)
        assert str(info.value) == message
    for kwargs, message in (({"kind": "photo"}, "unknown frame kind 'photo'"),
                            ({"doc_id": b"short"}, "doc_id must be 8 bytes"),
                            ({"payload": b""}, "nothing to put on frames"),
                            ({"max_frame_bytes": 22}, "max_frame_bytes out of range")):
        args = {"payload": b"x", "kind": "sealed", "doc_id": b"A" * 8, **kwargs}
        with pytest.raises(ValueError) as info:
            F.encode_frames(args.pop("payload"), args.pop("kind"), args.pop("doc_id"), **args)
        assert str(info.value) == message
    widest = F.encode_frames(b"x" * 100, "vault", b"A" * 8, max_frame_bytes=0xFFFF)
    assert (len(widest), widest[0].kind, widest[0].doc_id) == (3, "vault", b"A" * 8)
    text = widest[0].text
    broken = text[:-3] + ("0" if text[-3] != "0" else "1") + text[-2:]
    added = F.FrameCollector().add(broken)
    assert (added.outcome, added.detail) in {("damaged", "frame checksum (CRC-32) does not match"),
                                             ("damaged", "frame text is not valid base45")}


@pytest.mark.parametrize(("length", "size", "outcome"), [
    (47_992, 1, "new"), (47_993, 1, "damaged"), (F.MAX_PAYLOAD_BYTES, 200, "new"),
])
def test_frame_count_and_payload_limits_at_their_edges(length: int, size: int,
                                                       outcome: str) -> None:
    added = F.FrameCollector().add(raw_frame(length=length, size=size, chunk=bytes(size)))
    assert added.outcome == outcome


def test_each_way_of_rejecting_counts_once() -> None:
    twice = F.FrameCollector()
    twice.add_all([F.FRAME_PREFIX + "!!", F.FRAME_PREFIX + "!!", "foreign", raw_frame(version=2)])
    assert twice.rejected == {"damaged": 2, "foreign": 1, "unknown-version": 1}
    vaults_only = F.FrameCollector(kind="vault")
    assert vaults_only.add(SMALL[0].text).outcome == "other-document"
    assert vaults_only.add(LARGE[0].text).outcome == "new"
    missing = vaults_only.missing()
    assert (missing.doc_id, missing.kind, missing.total, missing.have) == (b"B" * 8, "vault", 36, 1)


def test_frames_of_later_blocks_know_their_block_and_whether_they_are_parity() -> None:
    payload = bytes(range(256)) * 7
    frames = F.encode_frames(payload, "sealed", b"F" * 8, max_frame_bytes=30)
    shapes = F.block_shapes(len(payload), frames[0].chunk_size)
    assert len(shapes) == 2
    for frame in frames:
        again = F.decode_frame(frame.text)
        assert (again.block, again.is_parity, again.index) == (frame.block, frame.is_parity,
                                                               frame.index)
    assert F.decode_frames(f.text for f in frames if not f.is_parity) == payload


def test_rejections_add_up_whatever_their_kind() -> None:
    collector = F.FrameCollector()
    collector.add(raw_frame(length=10))
    collector.add(F.FRAME_PREFIX + "!!")  # not base45
    collector.add(raw_frame(length=10, chunk=b"\x01" * 18))  # disagrees: recorded, not rejected
    collector.add(raw_frame(size=17, chunk=bytes(18)))  # inconsistent header
    assert collector.rejected == {"damaged": 2}
