"""toolkit.frames' own Reed-Solomon erasure code, cross-checked against an independent
implementation: Python `reedsolo`, with the parameters docs/FORMAT.md section 4 names
(`RSCodec(nsym=m, nsize=k+m, fcr=0, prim=0x11d, generator=2)`), on the worked example of
FORMAT.md and on payloads of one and of several blocks."""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

import pytest
import reedsolo

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
