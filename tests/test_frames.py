"""Frames: payload <-> QR texts with CRC and Reed-Solomon erasure coding; the text fallback."""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

import pytest
import qrcode
import reedsolo
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import MODE_ALPHA_NUM, QRData

from toolkit import frames as F
from toolkit import textlines as T
from toolkit.errors import DamagedError, FormatError, NotEnoughError, UnknownVersionError

DOC = b"\x01\x02\x03\x04\x05\x06\x07\x08"
FORMAT_MD = Path(__file__).resolve().parents[1] / "docs" / "FORMAT.md"


def payload_of(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


sizes = st.one_of(st.integers(1, 2000), st.integers(2000, 200_000))


def shapes_of(frames: list[F.Frame]) -> tuple[F.BlockShape, ...]:
    return F.block_shapes(frames[0].payload_length, frames[0].chunk_size)


# --- base45 and CRC-24 against their specifications --------------------------------------------


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"AB", "BB8"),
        (b"Hello!!", "%69 VD92EX0"),
        (b"base-45", "UJCLQE7W581"),
        (b"ietf!", "QED8WEX0"),
    ],
)
def test_base45_rfc9285_examples(raw: bytes, text: str) -> None:
    assert F.base45_encode(raw) == text
    assert F.base45_decode(text) == raw


@pytest.mark.parametrize("bad", ["GGW", "A", "ab", "ZZZ"])
def test_base45_rejects_impossible_text(bad: str) -> None:
    with pytest.raises(ValueError):
        F.base45_decode(bad)


def test_crc24_is_openpgp_crc24() -> None:
    assert T.crc24(b"") == 0xB704CE
    assert T.crc24(b"123456789") == 0x21CF02  # the CRC-24/OPENPGP check value


# --- encoding: structure, alphabet, QR version -------------------------------------------------


@pytest.mark.parametrize("size", [1, 100, 383, 384, 10_000, 70_661, 70_662, 200_000])
def test_structure_and_parity_counts(size: int) -> None:
    frames = F.encode_frames(payload_of(size, size), "sealed", DOC)
    shapes = shapes_of(frames)
    assert [f.index for f in frames] == list(range(len(frames)))
    assert all(f.total == len(frames) == sum(s.n for s in shapes) for f in frames)
    for s in shapes:
        assert s.m >= max(2, -(-s.k // 3))
        assert s.n <= 255
        block = frames[s.first : s.first + s.n]
        assert {f.block for f in block} == {s.block}
        assert [f.is_parity for f in block] == [False] * s.k + [True] * s.m
    assert max(s.k for s in shapes) - min(s.k for s in shapes) <= 1
    assert len({len(f.data) for f in frames}) == 1


@settings(max_examples=30, deadline=None)
@given(size=sizes, seed=st.integers(0, 2**32))
def test_every_text_is_qr_alphanumeric_with_prefix(size: int, seed: int) -> None:
    for frame in F.encode_frames(payload_of(size, seed), "vault", DOC):
        assert frame.text.startswith(F.FRAME_PREFIX)
        assert F.is_qr_alphanumeric(frame.text)
        assert all(ch in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:" for ch in frame.text)
        assert not frame.text.endswith(" ")
        assert len(frame.text) <= 600
        assert len(F.base45_decode(frame.text[len(F.FRAME_PREFIX) :])) <= F.MAX_FRAME_BYTES


def qr_version(text: str) -> int:
    qr = qrcode.QRCode(version=None, error_correction=ERROR_CORRECT_M)
    qr.add_data(QRData(text, mode=MODE_ALPHA_NUM))
    qr.make(fit=True)
    return int(qr.version)


def test_full_frames_fit_qr_version_15_at_level_m() -> None:
    frames = F.encode_frames(payload_of(10 * F.MAX_CHUNK_BYTES - F.HASH_BYTES, 1), "sealed", DOC)
    assert max(len(f.data) for f in frames) == F.MAX_CHUNK_BYTES
    assert F.QR_ERROR_CORRECTION == "M"
    assert max(qr_version(f.text) for f in frames[:3]) == F.MAX_QR_VERSION == 15


def test_small_payload_gives_small_codes() -> None:
    frames = F.encode_frames(payload_of(60, 2), "vault", DOC)
    assert len(frames) == 3  # one data frame, two parity
    assert qr_version(frames[0].text) <= 6


def test_columns_are_standard_reed_solomon_codewords() -> None:
    """FORMAT.md promises reedsolo/any RS library (prim 0x11d, generator 2, fcr 0) reads them."""
    frames = F.encode_frames(payload_of(3000, 3), "sealed", DOC)
    (shape,) = shapes_of(frames)
    reedsolo.init_tables(prim=0x11D, generator=2, c_exp=8)
    for col in range(0, len(frames[0].data), 37):
        word = bytearray(f.data[col] for f in frames)
        assert reedsolo.rs_check(word, shape.m, fcr=0, generator=2)
        lost = list(range(shape.m))  # erase the first m data symbols
        damaged = bytearray(word)
        for pos in lost:
            damaged[pos] = 0
        fixed, _, _ = reedsolo.rs_correct_msg(damaged, shape.m, fcr=0, generator=2, erase_pos=lost)
        assert bytes(fixed) == bytes(word[: shape.k])


def test_bad_arguments_are_programming_errors() -> None:
    with pytest.raises(ValueError):
        F.encode_frames(b"x", "photo", DOC)
    with pytest.raises(ValueError):
        F.encode_frames(b"x", "sealed", b"short")
    with pytest.raises(ValueError):
        F.encode_frames(b"", "sealed", DOC)


# --- collecting: any order, duplicates, foreign texts ------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(size=sizes, seed=st.integers(0, 2**32), dupes=st.integers(0, 5))
def test_round_trip_any_order_with_duplicates_and_foreign(size: int, seed: int, dupes: int) -> None:
    payload = payload_of(size, seed)
    frames = F.encode_frames(payload, "sealed", F.doc_id_for(payload))
    rng = random.Random(seed)
    texts = [f.text for f in frames] + [f.text for f in rng.choices(frames, k=dupes)]
    texts += ["otpauth://totp/x?secret=JBSWY3DPEHPK3PXP", "P2F-SHARE1:ABC", "", "hello world"]
    rng.shuffle(texts)
    collector = F.FrameCollector()
    outcomes = [collector.add(t).outcome for t in texts]
    assert outcomes.count("new") == len(frames)
    assert outcomes.count("foreign") == 4
    assert outcomes.count("duplicate") == dupes
    assert collector.missing().message == f"all {len(frames)} frames read"
    report = collector.finish_report()
    assert report.payload == payload
    assert report.recovered == 0
    assert report.kind == "sealed"
    assert report.doc_id == F.doc_id_for(payload)


@settings(max_examples=30, deadline=None)
@given(size=sizes, seed=st.integers(0, 2**32))
def test_any_subset_with_k_frames_per_block_restores(size: int, seed: int) -> None:
    payload = payload_of(size, seed)
    frames = F.encode_frames(payload, "sealed", DOC)
    rng = random.Random(seed)
    kept: list[F.Frame] = []
    lost_data = 0
    for s in shapes_of(frames):
        block = frames[s.first : s.first + s.n]
        keep = rng.sample(block, rng.randint(s.k, s.n))
        kept += keep
        lost_data += sum(1 for f in block if not f.is_parity and f not in keep)
    rng.shuffle(kept)
    collector = F.FrameCollector(doc_id=DOC, kind="sealed")
    collector.add_all(f.text for f in kept)
    assert collector.is_complete()
    report = collector.finish_report()
    assert report.payload == payload
    assert report.recovered == lost_data


def test_worst_case_all_data_frames_lost_in_every_block() -> None:
    payload = payload_of(150_000, 7)
    frames = F.encode_frames(payload, "sealed", DOC)
    keep = []
    for s in shapes_of(frames):
        keep += frames[s.first + s.m : s.first + s.n]  # drop exactly m frames, all data
    report = F.FrameCollector()
    report.add_all(f.text for f in keep)
    assert report.finish_report().recovered == sum(s.m for s in shapes_of(frames))
    assert report.finish() == payload


def test_one_more_than_parity_lost_fails_with_precise_message() -> None:
    frames = F.encode_frames(payload_of(2000, 4), "sealed", DOC)
    (s,) = shapes_of(frames)
    assert (s.k, s.m, len(frames)) == (6, 2, 8)
    collector = F.FrameCollector()
    collector.add_all(f.text for f in frames if f.index not in {1, 4, 6})
    missing = collector.missing()
    assert (missing.complete, missing.need_more, missing.missing) == (False, 1, (2, 5, 7))
    with pytest.raises(NotEnoughError) as exc:
        collector.finish()
    assert exc.value.message == (
        "not enough QR frames to restore: frames 2, 5, 7 of 8 not read; 1 more needed"
    )
    collector.add(frames[6].text)
    assert collector.missing().message == "frames 2, 5 of 8 not read; the others are enough " \
        "to restore"


def test_missing_names_the_short_block_in_a_multi_block_document() -> None:
    payload = payload_of(150_000, 5)
    frames = F.encode_frames(payload, "sealed", DOC)
    shapes = shapes_of(frames)
    assert len(shapes) >= 2
    s = shapes[1]
    lost = set(range(s.first, s.first + s.m + 2))
    collector = F.FrameCollector()
    collector.add_all(f.text for f in frames if f.index not in lost)
    message = collector.missing().message
    span = f"frames {s.first + 1}-{s.first + s.n}"
    assert message == (
        f"frames {s.first + 1}-{s.first + s.m + 2} of {len(frames)} not read; 2 more needed: "
        f"block 2 of {len(shapes)} ({span}) has {s.n - s.m - 2} of the {s.k} it needs"
    )
    with pytest.raises(NotEnoughError, match="2 more needed"):
        collector.finish()


def test_missing_but_enough_says_so() -> None:
    frames = F.encode_frames(payload_of(900, 6), "vault", DOC)
    collector = F.FrameCollector()
    collector.add_all(f.text for f in frames[1:])
    assert collector.missing().message == f"frame 1 of {len(frames)} not read; the others are " \
        "enough to restore"


def flip(text: str, position: int) -> str:
    old = text[position]
    new = next(c for c in F.QR_ALPHANUMERIC if c != old and c != " ")
    return text[:position] + new + text[position + 1 :]


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32), where=st.floats(0, 1, exclude_max=True))
def test_flipped_character_is_rejected_never_used(seed: int, where: float) -> None:
    payload = payload_of(1500, seed)
    frames = F.encode_frames(payload, "sealed", DOC)
    victim = frames[seed % len(frames)]
    start = len(F.FRAME_PREFIX)
    position = start + int(where * (len(victim.text) - start))
    bad = flip(victim.text, position)
    collector = F.FrameCollector()
    added = collector.add(bad)
    assert added.outcome == "damaged" and added.frame is None
    collector.add_all(f.text for f in frames if f is not victim)
    assert collector.finish() == payload


def test_unknown_version_and_other_documents() -> None:
    frames = F.encode_frames(b"abc", "sealed", DOC)
    other = F.encode_frames(b"abc", "sealed", b"\xff" * 8)
    home = F.encode_frames(b"abc", "vault", DOC[::-1])
    collector = F.FrameCollector(doc_id=DOC, kind="sealed")
    assert collector.add("P2F-FRAME2:ABC").outcome == "unknown-version"
    assert collector.add(other[0].text).outcome == "other-document"
    assert collector.add(home[0].text).outcome == "other-document"
    assert collector.add(frames[0].text).doc_id == DOC
    only_unknown = F.FrameCollector()
    only_unknown.add("P2F-FRAME2:ABC")
    with pytest.raises(UnknownVersionError):
        only_unknown.finish()


def test_two_documents_need_choosing() -> None:
    a = F.encode_frames(b"first payload", "sealed", DOC)
    b = F.encode_frames(b"second", "vault", b"\x09" * 8)
    collector = F.FrameCollector()
    collector.add_all(f.text for f in a + b)
    assert sorted(collector.documents) == sorted([DOC, b"\x09" * 8])
    with pytest.raises(NotEnoughError, match="2 different printouts"):
        collector.finish()
    assert collector.finish(DOC) == b"first payload"
    assert collector.finish(b"\x09" * 8) == b"second"


def test_nothing_read() -> None:
    collector = F.FrameCollector()
    collector.add("hello")
    with pytest.raises(NotEnoughError, match="no paper2fa QR frames were read"):
        collector.finish()


def test_wrong_reassembly_is_caught_by_the_payload_hash() -> None:
    """Frames with valid CRCs but a forged chunk: the parity check or SHA-256 prefix refuse it."""
    frames = F.encode_frames(payload_of(800, 8), "sealed", DOC)
    f0 = frames[0]
    forged = F.frame_text("sealed", DOC, f0.payload_length, f0.chunk_size, 0,
                           bytes(len(f0.data)))
    collector = F.FrameCollector()
    collector.add(forged)
    collector.add_all(f.text for f in frames[1:])
    with pytest.raises(DamagedError):
        collector.finish()
    # without the parity frames to contradict it, the SHA-256 prefix catches it
    (s,) = shapes_of(frames)
    collector = F.FrameCollector()
    collector.add(forged)
    collector.add_all(f.text for f in frames[1 : s.k])
    with pytest.raises(DamagedError, match="checksum"):
        collector.finish()


# --- frames that disagree: one decision over all of them, whatever the order ---------------


def forged(frame: F.Frame, chunk: bytes, doc_id: bytes | None = None) -> str:
    """A frame with a valid CRC: `frame`'s header (or another document id) with another chunk."""
    return F.frame_text(frame.kind, frame.doc_id if doc_id is None else doc_id,
                        frame.payload_length, frame.chunk_size, frame.index, chunk)


def judged(texts: list[str]) -> tuple[object, ...]:
    collector = F.FrameCollector()
    collector.add_all(texts)
    j = collector.judgement()
    try:
        result: object = collector.finish_report()
    except (DamagedError, NotEnoughError) as exc:
        result = (type(exc).__name__, exc.message, exc.hint)
    return (j.verdict, j.header, j.missing, j.restored, j.conflicts, j.other_frames, j.problem,
            result, collector.missing(), collector.frame(j.doc_id, 0))


def scenario(name: str, rng: random.Random) -> tuple[list[str], F.Verdict, bytes | None]:
    """Texts read (genuine, colliding and forged frames), the verdict and payload expected."""
    genuine = rng.randbytes(rng.randint(1, 700))
    doc = F.doc_id_for(genuine)
    frames = F.encode_frames(genuine, "sealed", doc)
    texts = [f.text for f in frames]
    if name == "forged frame":  # another chunk at one index: the parity frames refuse it
        victim = rng.choice(frames)
        return [*texts, forged(victim, rng.randbytes(len(victim.data)))], F.Verdict.RESTORED, \
            genuine
    if name == "other length":  # a whole document of another length under the same id
        other = F.encode_frames(rng.randbytes(len(genuine) + 400), "sealed", doc)
        return texts + [f.text for f in other], F.Verdict.RESTORED, genuine
    # a whole document of the same length under the same id: every index read twice
    twin = F.encode_frames(rng.randbytes(len(genuine)), "sealed", doc)
    texts += [t.text for t in twin]
    if name == "same length":  # only the genuine payload derives the document id
        return texts, F.Verdict.RESTORED, genuine
    assert name == "id of neither"
    neither = b"\xee" * 8  # frames of two payloads, neither of which derives the id
    return ([forged(f, f.data, neither) for f in frames + twin], F.Verdict.CONFLICT, None)


SCENARIOS = ["forged frame", "other length", "same length", "id of neither"]


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), name=st.sampled_from(SCENARIOS))
def test_the_judgement_is_the_same_in_every_order(seed: int, name: str) -> None:
    print(f"seed {seed}, {name}")
    rng = random.Random(seed)
    texts, verdict, payload = scenario(name, rng)
    first = judged(sorted(texts))
    assert first[0] is verdict
    restored = first[3]
    assert (restored.payload if isinstance(restored, F.Restored) else None) == payload
    for _ in range(8):
        order = rng.sample(texts, len(texts)) + rng.choices(texts, k=rng.randint(0, 3))
        assert judged(order) == first


def test_every_order_of_a_forged_and_an_other_length_frame_gives_one_result() -> None:
    payload = b"JBSWY3DPEHPK3PXP"
    frames = F.encode_frames(payload, "vault", F.doc_id_for(payload))  # 3 frames, k = 1
    other = F.encode_frames(payload * 2, "vault", F.doc_id_for(payload))
    texts = [f.text for f in frames] + [forged(frames[2], bytes(24)), other[0].text]
    results = {judged(list(order)) for order in itertools.permutations(texts)}
    assert len(results) == 1
    (result,) = results
    assert result[0] is F.Verdict.RESTORED
    assert result[3] == F.Restored(payload, "vault", F.doc_id_for(payload), 3, 0)
    assert (result[4], result[5]) == ((3,), 1)  # frame 3 read twice; one of another length


def test_two_payloads_that_check_under_one_id_are_a_conflict_not_a_choice() -> None:
    a, b = b"first secret....", b"second secret..."
    doc = b"\x42" * 8
    texts = [f.text for f in F.encode_frames(a, "sealed", doc) + F.encode_frames(b, "sealed", doc)]
    collector = F.FrameCollector()
    collector.add_all(texts)
    assert collector.judgement().verdict is F.Verdict.CONFLICT
    with pytest.raises(DamagedError) as exc:
        collector.finish()
    assert exc.value.message == "QR frames of 2 different payloads carry the same document id"
    assert collector.missing().complete and collector.missing().have == 3
    # the frames of either alone restore it
    assert F.decode_frames(texts[:3]) == a and F.decode_frames(texts[3:]) == b


def test_too_many_disagreeing_frames_are_a_conflict_without_trying_them_all() -> None:
    payload = payload_of(2000, 13)
    frames = F.encode_frames(payload, "sealed", F.doc_id_for(payload))
    (s,) = shapes_of(frames)
    assert s.n > 6
    rng = random.Random(13)
    # two chunks at every index: fewer than k unique, 2^n readings > MAX_READINGS
    texts = [f.text for f in frames] + [forged(f, rng.randbytes(len(f.data))) for f in frames]
    collector = F.FrameCollector()
    collector.add_all(texts)
    j = collector.judgement()
    assert 2 ** s.n > F.MAX_READINGS
    assert (j.verdict, j.conflicts) == (F.Verdict.CONFLICT, tuple(range(1, s.n + 1)))
    assert j.problem.endswith("too many to try every reading")


def test_untried_readings_leave_only_a_payload_that_derives_its_id() -> None:
    """A flood of forged frames of another length, two at every index, is too much to try: the
    genuine frames still restore when their payload derives the id, and only then."""
    rng = random.Random(17)
    payload = payload_of(300, 17)
    for doc, verdict in ((F.doc_id_for(payload), F.Verdict.RESTORED),
                         (b"\x07" * 8, F.Verdict.CONFLICT)):
        genuine = F.encode_frames(payload, "sealed", doc)
        flood = F.encode_frames(payload_of(2000, 18), "sealed", doc)
        texts = [f.text for f in genuine + flood]
        texts += [forged(f, rng.randbytes(len(f.data))) for f in flood]
        collector = F.FrameCollector()
        collector.add_all(texts)
        j = collector.judgement()
        if verdict is F.Verdict.RESTORED:
            assert (j.verdict, j.other_frames, j.conflicts) == (verdict, 2 * len(flood), ())
            assert collector.finish() == payload
        else:  # told about the group read most, the flood
            assert (j.verdict, j.other_frames, j.conflicts) == (
                verdict, len(genuine), tuple(range(1, len(flood) + 1)))
            assert j.problem.endswith("too many to try every reading")


# --- layout across pages -----------------------------------------------------------------------


def check_page_loss(payload: bytes, per_page: int) -> None:
    frames = F.encode_frames(payload, "sealed", DOC)
    pages = F.layout(frames, per_page)
    assert sorted(f.index for page in pages for f in page) == list(range(len(frames)))
    assert all(len(page) <= per_page for page in pages)
    if len(pages) == 1:
        assert len(frames) <= per_page  # everything on one page: each sheet carries a copy
        return
    for s in shapes_of(frames):
        for page in pages:
            assert sum(1 for f in page if f.block == s.block) <= s.m
    for lost in range(len(pages)):
        collector = F.FrameCollector()
        for number, page in enumerate(pages):
            if number != lost:
                collector.add_all(f.text for f in page)
        assert collector.finish() == payload
    assert F.page_loss_ok(pages)


@settings(max_examples=25, deadline=None)
@given(size=st.integers(1, 12_000), seed=st.integers(0, 2**32), per_page=st.integers(3, 12))
def test_losing_any_one_page_restores(size: int, seed: int, per_page: int) -> None:
    check_page_loss(payload_of(size, seed), per_page)


@pytest.mark.slow
def test_losing_any_one_page_of_a_large_multi_block_vault_restores() -> None:
    check_page_loss(payload_of(100_000, 11), 20)


def test_layout_fills_pages_when_asked_and_refuses_too_few() -> None:
    frames = F.encode_frames(payload_of(3000, 9), "sealed", DOC)
    assert len(F.layout(frames, len(frames))) == 1
    assert not F.page_loss_ok(F.layout(frames, len(frames)))
    with pytest.raises(ValueError):
        F.layout(frames, 2, pages=1)
    two = F.layout(frames, len(frames), pages=2)
    assert [len(p) for p in two] == [-(-len(frames) // 2), len(frames) // 2]


# --- text fallback -----------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(payload=st.binary(min_size=1, max_size=3000), kind=st.sampled_from(["sealed", "vault"]))
def test_text_round_trip(payload: bytes, kind: str) -> None:
    text = T.encode_text(payload, kind)
    assert T.decode_text(text) == T.TextPayload(kind, payload)
    assert T.decode_text(text.lower().replace(" ", "  ")).payload == payload


def test_text_lines_are_typable() -> None:
    text = T.encode_text(payload_of(95, 1), "sealed")
    lines = text.splitlines()
    assert lines[0] == "P2F-TEXT1 SEALED 95 BYTES 5 LINES"
    assert re.fullmatch(r"1: ([A-Z2-7]{8} ){3}[A-Z2-7]{8}  [A-Z2-7]{5}", lines[1])
    assert re.fullmatch(r"SHA256: [A-Z2-7]{4}( [A-Z2-7]{4}){3}", lines[-1])


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32), line=st.integers(1, 10), col=st.integers(0, 37))
def test_text_mistyped_character_names_its_line(seed: int, line: int, col: int) -> None:
    text = T.encode_text(payload_of(200, seed), "sealed")
    lines = text.splitlines()
    prefix = len(f"{line:>2}: ")
    chars = list(lines[line])
    position = prefix + col
    if chars[position] == " ":
        position += 1
    chars[position] = "A" if chars[position] != "A" else "B"
    lines[line] = "".join(chars)
    with pytest.raises(FormatError) as exc:
        T.decode_text("\n".join(lines))
    assert exc.value.message == f"line {line}: checksum does not match (mistyped)"


def test_text_missing_and_swapped_lines_are_named() -> None:
    lines = T.encode_text(payload_of(200, 3), "vault").splitlines()
    with pytest.raises(FormatError, match=r"^lines 4, 7 missing$"):
        T.decode_text("\n".join(ln for i, ln in enumerate(lines) if i not in (4, 7)))
    swapped = list(lines)
    swapped[2] = swapped[2].replace(" 2:", " 3:", 1)
    swapped[3] = lines[3].replace(" 3:", " 2:", 1)
    with pytest.raises(FormatError, match=r"^lines 2, 3: checksum does not match"):
        T.decode_text("\n".join(swapped))


def test_text_whole_checksum_and_header() -> None:
    lines = T.encode_text(payload_of(60, 3), "sealed").splitlines()
    with pytest.raises(FormatError, match="SHA256 line does not match"):
        T.decode_text("\n".join([*lines[:-1], "SHA256: AAAA AAAA AAAA AAAA"]))
    with pytest.raises(FormatError, match="first line"):
        T.decode_text("\n".join(["P2F-TEXT1 SEALED 61 BYTES 3 LINES", *lines[1:]]))
    with pytest.raises(UnknownVersionError):
        T.decode_text("\n".join(["P2F-TEXT2 SEALED 60 BYTES 3 LINES", *lines[1:]]))
    with pytest.raises(FormatError, match="no 'P2F-TEXT1"):
        T.decode_text("hello")


# --- the worked example in FORMAT.md decodes ---------------------------------------------------


def test_format_md_worked_example_is_real() -> None:
    text = FORMAT_MD.read_text(encoding="utf-8")
    section = text.split("## 4. Frames", 1)[1].split("\n## 5.", 1)[0]
    codes = re.findall(r"^(P2F-FRAME1:.+)$", section, flags=re.MULTILINE)
    assert len(codes) == 3
    payload = F.decode_frames(codes[1:])  # data frame lost, rebuilt from the two parity frames
    assert payload == b"JBSWY3DPEHPK3PXP"
    assert F.encode_frames(payload, "vault", bytes.fromhex("0011223344556677"))[0].text == \
        codes[0]


# --- a printed frame at the minimum module size reads back from a 150 DPI scan ------------------


def test_full_frame_at_min_module_reads_back_at_150_dpi() -> None:
    from PIL import Image, ImageFilter

    from toolkit.scan import decode_image

    payload = payload_of(3 * F.MAX_CHUNK_BYTES - F.HASH_BYTES, 12)
    frames = F.encode_frames(payload, "sealed", DOC)
    draw_dpi, scan_dpi = 600, 150
    module_px = round(F.MIN_MODULE_MM / 25.4 * draw_dpi)
    assert abs(module_px * 25.4 / draw_dpi - F.MIN_MODULE_MM) < 0.01
    for frame in frames[:2]:
        qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=module_px,
                           border=F.QUIET_ZONE_MODULES)
        qr.add_data(QRData(frame.text, mode=MODE_ALPHA_NUM))
        qr.make(fit=True)
        assert qr.version <= F.MAX_QR_VERSION
        image = qr.make_image().get_image().convert("L")
        scan = image.resize((image.width * scan_dpi // draw_dpi,) * 2, Image.Resampling.BOX)
        found = decode_image(scan.filter(ImageFilter.GaussianBlur(0.5)))
        assert [code.text for code in found] == [frame.text]
