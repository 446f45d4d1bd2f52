"""toolkit.erasure, the Reed-Solomon erasure code of the frames, cross-checked against an
independent implementation: Python `reedsolo`, with the parameters docs/FORMAT.md section 4
names (`RSCodec(nsym=m, nsize=k+m, fcr=0, prim=0x11d, generator=2)`), on the worked example of
FORMAT.md and on payloads of one and of several blocks; and the code's own edges."""

from __future__ import annotations

import hashlib
import itertools
import random
import re
from pathlib import Path

import pytest
import reedsolo

from toolkit import erasure
from toolkit import frames as F

FORMAT = Path(__file__).resolve().parents[1] / "docs" / "FORMAT.md"


def codec(k: int, m: int) -> reedsolo.RSCodec:
    return reedsolo.RSCodec(nsym=m, nsize=k + m, fcr=0, prim=0x11D, generator=2)


def check_parity(frames: list[F.Frame]) -> int:
    """Every parity byte of every block equals reedsolo's for the same column; returns the
    number of columns compared."""
    shapes = F.block_shapes(frames[0].payload_length, frames[0].chunk_size)
    columns = 0
    for shape in shapes:
        block = frames[shape.first : shape.first + shape.n]
        assert [f.is_parity for f in block] == [False] * shape.k + [True] * shape.m
        rs = codec(shape.k, shape.m)
        for j in range(frames[0].chunk_size):
            column = bytes(f.data[j] for f in block[: shape.k])
            parity = bytes(f.data[j] for f in block[shape.k :])
            assert bytes(rs.encode(column))[shape.k :] == parity
            columns += 1
    return columns


def test_the_worked_example_of_format_md() -> None:
    """FORMAT.md section 4's payload and document id give the three texts printed there, and
    their parity is reedsolo's."""
    section = FORMAT.read_text(encoding="utf-8").split("## 4.", 1)[1].split("## 5.", 1)[0]
    printed = re.findall(r"^P2F-FRAME1:\S.*$", section, re.M)
    assert len(printed) == 3
    frames = F.encode_frames(b"JBSWY3DPEHPK3PXP", "vault", bytes.fromhex("0011223344556677"))
    assert [f.text for f in frames] == printed
    assert check_parity(frames) == 24
    # g(x) = x^2 + 3x + 2: the parity chunks are 3*d and 2*d bytewise, as FORMAT.md says
    data = frames[0].data
    assert frames[1].data == bytes(reedsolo.gf_mul(3, b) for b in data)
    assert frames[2].data == bytes(reedsolo.gf_mul(2, b) for b in data)


@pytest.mark.parametrize("size", [1, 370, 5_000, 80_000])
def test_parity_matches_reedsolo(size: int) -> None:
    """One block (a few frames), many frames, and several blocks (over 191 data frames)."""
    payload = random.Random(size).randbytes(size)
    frames = F.encode_frames(payload, "sealed", F.doc_id_for(payload))
    shapes = F.block_shapes(frames[0].payload_length, frames[0].chunk_size)
    assert len(shapes) == (2 if size == 80_000 else 1)
    assert check_parity(frames) == len(shapes) * frames[0].chunk_size


def test_reedsolo_restores_what_frames_restores() -> None:
    """Lose as many frames of a block as it has parity: reedsolo's erasure decoder and
    toolkit.frames both give the payload back."""
    payload = hashlib.sha256(b"cross-check").digest() * 300
    frames = F.encode_frames(payload, "vault", F.doc_id_for(payload))
    (shape,) = F.block_shapes(frames[0].payload_length, frames[0].chunk_size)
    lost = sorted(random.Random(7).sample(range(shape.n), shape.m))
    kept = [f for f in frames if f.index not in lost]
    assert F.decode_frames(f.text for f in kept) == payload
    rs = codec(shape.k, shape.m)
    rebuilt = [bytearray() for _ in range(shape.k)]
    for j in range(frames[0].chunk_size):
        column = bytearray(0 if f.index in lost else f.data[j] for f in frames)
        message = rs.decode(column, erase_pos=lost)[0]
        for i in range(shape.k):
            rebuilt[i].append(message[i])
    container = b"".join(rebuilt)
    assert container[: F.HASH_BYTES] == hashlib.sha256(payload).digest()[: F.HASH_BYTES]
    assert container[F.HASH_BYTES : F.HASH_BYTES + len(payload)] == payload


@pytest.mark.parametrize("payload_size", [10, 700, 3000])
def test_parity_computed_afresh_is_standard_reed_solomon(payload_size: int) -> None:
    # parity matrices are cached per (k, m); emptying the cache makes this test compute them
    erasure.parity_matrix.cache_clear()
    payload = bytes((i * 7 + 3) % 256 for i in range(payload_size))
    frames = F.encode_frames(payload, "sealed", b"D" * 8, max_frame_bytes=120)
    shape = F.block_shapes(len(payload), frames[0].chunk_size)[0]
    reedsolo.init_tables(prim=0x11D, generator=2, c_exp=8)
    assert reedsolo.rs_generator_poly(shape.m, fcr=0, generator=2) == bytearray(
        erasure.generator_poly(shape.m))
    for col in range(len(frames[0].data)):
        word = bytearray(f.data[col] for f in frames[: shape.n])
        assert reedsolo.rs_check(word, shape.m, fcr=0, generator=2)
    erasure.parity_matrix.cache_clear()
    lost = min(shape.m, shape.k)  # as many data frames as parity can rebuild
    assert F.decode_frames(f.text for f in frames[lost:]) == payload


def test_field_arithmetic_matches_reedsolo() -> None:
    reedsolo.init_tables(prim=0x11D, generator=2, c_exp=8)
    for a in range(256):
        for b in (0, 1, 2, 3, 0x53, 0x8E, 255):
            assert erasure.gf_mul(a, b) == reedsolo.gf_mul(a, b)
        if a:
            assert erasure.gf_mul(a, erasure.gf_inv(a)) == 1
    with pytest.raises(ValueError, match="0 has no inverse"):
        erasure.gf_inv(0)


@pytest.mark.parametrize(("k", "m"), [(0, 2), (1, 0), (200, 56), (192, 64)])
def test_no_code_beyond_one_codeword(k: int, m: int) -> None:
    with pytest.raises(ValueError, match="no Reed-Solomon code"):
        erasure.parity_matrix(k, m)


def test_any_k_chunks_restore_and_fewer_are_a_programming_error() -> None:
    rng = random.Random(5)
    k, m, size = 5, 3, 7
    data = [rng.randbytes(size) for _ in range(k)]
    word = data + erasure.encode_parity(data, m)
    for kept in itertools.combinations(range(k + m), k):
        known = {p: word[p] for p in kept}
        assert erasure.recover_data(k, m, size, known) == (data, sum(1 for p in range(k)
                                                                     if p not in kept))
        assert erasure.decode_block(k, m, size, known) == erasure.recover_data(k, m, size, known)
    with pytest.raises(ValueError, match="4 chunks cannot restore a block of 5 data chunks"):
        erasure.recover_data(k, m, size, {p: word[p] for p in range(1, 5)})


def test_a_chunk_off_the_codeword_is_never_left_out_silently() -> None:
    k, m, size = 3, 2, 4
    data = [bytes([i] * size) for i in (1, 2, 3)]
    word = data + erasure.encode_parity(data, m)
    bad = dict(enumerate(word))
    bad[4] = bytes(size) if word[4] != bytes(size) else b"\x01" * size
    assert erasure.recover_data(k, m, size, bad) == (data, 0)  # data chunks all there
    assert erasure.decode_block(k, m, size, bad) is None
    del bad[0]
    assert erasure.decode_block(k, m, size, bad) is None  # rebuilt from p0, p1 disagrees
