"""Reed-Solomon erasure code over GF(2^8), applied chunk by chunk (docs/FORMAT.md section 4).

A block of k equal data chunks gets m parity chunks; any k of the k + m chunks give the data
back. Each byte offset of the chunks is one systematic RS codeword (field polynomial 0x11d,
generator 2, first consecutive root 0, highest degree first), the default code of common RS
libraries such as Python `reedsolo`. The code knows nothing of frames, headers or payloads:
`toolkit.frames` decides the block sizes and what a chunk carries.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Final

RS_PRIM: Final = 0x11D
"""The field polynomial x^8 + x^4 + x^3 + x^2 + 1."""

RS_GENERATOR: Final = 2
"""alpha, the generator of the field's multiplicative group."""

RS_FCR: Final = 0
"""First consecutive root: g(x) = prod_{i<m} (x - alpha^(fcr+i))."""

MAX_CODEWORD: Final = 255
"""k + m at most: a codeword over GF(2^8) has at most 255 symbols."""


def _tables() -> tuple[list[int], list[int]]:
    exp = [0] * 512
    log = [0] * 256
    x = 1
    for i in range(255):
        exp[i] = x
        log[x] = i
        x <<= 1
        if x & 0x100:
            x ^= RS_PRIM
    for i in range(255, 512):
        exp[i] = exp[i - 255]
    return exp, log


_EXP, _LOG = _tables()


def gf_mul(a: int, b: int) -> int:
    """a * b in GF(2^8)."""
    if a == 0 or b == 0:
        return 0
    return _EXP[_LOG[a] + _LOG[b]]


def gf_inv(a: int) -> int:
    """1 / a in GF(2^8); ValueError for 0."""
    if a == 0:
        raise ValueError("0 has no inverse")
    return _EXP[255 - _LOG[a]]


_MUL_TABLES: Final[list[bytes]] = [bytes(gf_mul(c, v) for v in range(256)) for c in range(256)]
"""_MUL_TABLES[c] maps each byte v to c*v: multiplies a whole chunk by bytes.translate()."""


def _scaled(chunk: bytes, c: int) -> int:
    """c * chunk bytewise, as an integer (so that chunks add with ^)."""
    return int.from_bytes(chunk.translate(_MUL_TABLES[c]), "big")


def generator_poly(nsym: int) -> list[int]:
    """g(x) = prod_{i<nsym} (x - alpha^(fcr+i)), coefficients highest degree first."""
    g = [1]
    for i in range(nsym):
        root = _EXP[(RS_FCR + i) * _LOG[RS_GENERATOR] % 255]
        nxt = [*g, 0]
        for j, coef in enumerate(g):
            nxt[j + 1] ^= gf_mul(coef, root)
        g = nxt
    return g


@functools.cache
def parity_matrix(k: int, m: int) -> tuple[tuple[int, ...], ...]:
    """P[j][t]: parity symbol j of the codeword whose only non-zero data symbol is d_t = 1.

    Codeword = d_0..d_{k-1} p_0..p_{m-1} with p(x) = d(x) * x^m mod g(x) (highest degree
    first), the systematic encoding of standard RS libraries; by linearity P encodes any data.
    Cached per (k, m); `parity_matrix.cache_clear()` empties the cache.
    """
    if k < 1 or m < 1 or k + m > MAX_CODEWORD:
        raise ValueError(f"no Reed-Solomon code over GF(2^8) with k={k}, m={m}")
    g = generator_poly(m)
    n = k + m
    # r holds x^e mod g(x) as m coefficients (highest first), for e = m .. n-1.
    r = g[1:]
    rows: dict[int, list[int]] = {}
    for e in range(m, n):
        rows[e] = list(r)
        lead = r[0]
        shifted = [*r[1:], 0]
        r = [s ^ gf_mul(lead, gc) for s, gc in zip(shifted, g[1:], strict=True)]
    return tuple(tuple(rows[n - 1 - t][j] for t in range(k)) for j in range(m))


def encode_parity(chunks: Sequence[bytes], m: int) -> list[bytes]:
    """The m parity chunks of the data `chunks` (all of one length)."""
    size = len(chunks[0])
    out = []
    for row in parity_matrix(len(chunks), m):
        acc = 0
        for coef, chunk in zip(row, chunks, strict=True):
            if coef:
                acc ^= _scaled(chunk, coef)
        out.append(acc.to_bytes(size, "big"))
    return out


def recover_data(k: int, m: int, size: int, known: Mapping[int, bytes]) -> tuple[list[bytes], int]:
    """The k data chunks of a block from the chunks `known` by position (0..k+m-1), and how
    many data chunks were rebuilt. Needs at least k of them (ValueError otherwise); only
    the data chunks and as many parity chunks as data chunks are lost are used: see
    `decode_block` to check the others too."""
    data: list[bytes | None] = [known.get(t) for t in range(k)]
    lost = [t for t in range(k) if data[t] is None]
    if not lost:
        return [d for d in data if d is not None], 0
    matrix = parity_matrix(k, m)
    parities = [j for j in range(m) if k + j in known][: len(lost)]
    if len(parities) < len(lost):
        raise ValueError(f"{len(known)} chunks cannot restore a block of {k} data chunks")
    # Row j: syndrome s_j = p_j - sum_{known t} P[j][t] d_t = sum_{lost t} P[j][t] d_t.
    rows: list[list[int]] = []
    rhs: list[int] = []
    for j in parities:
        acc = int.from_bytes(known[k + j], "big")
        for t in range(k):
            chunk = data[t]
            if chunk is not None and matrix[j][t]:
                acc ^= _scaled(chunk, matrix[j][t])
        rows.append([matrix[j][t] for t in lost])
        rhs.append(acc)
    e = len(lost)
    for col in range(e):
        pivot = next((r for r in range(col, e) if rows[r][col]), None)
        if pivot is None:  # pragma: no cover - impossible for an MDS code
            raise ArithmeticError("the erasure code could not be solved")
        rows[col], rows[pivot] = rows[pivot], rows[col]
        rhs[col], rhs[pivot] = rhs[pivot], rhs[col]
        inv = gf_inv(rows[col][col])
        rows[col] = [gf_mul(inv, v) for v in rows[col]]
        rhs[col] = _scaled(rhs[col].to_bytes(size, "big"), inv)
        for r in range(e):
            if r != col and rows[r][col]:
                f = rows[r][col]
                rows[r] = [a ^ gf_mul(f, b) for a, b in zip(rows[r], rows[col], strict=True)]
                rhs[r] ^= _scaled(rhs[col].to_bytes(size, "big"), f)
    for i, t in enumerate(lost):
        data[t] = rhs[i].to_bytes(size, "big")
    return [d for d in data if d is not None], e


def decode_block(k: int, m: int, size: int,
                 known: Mapping[int, bytes]) -> tuple[list[bytes], int] | None:
    """Like `recover_data`, but None unless every known chunk, parity included, belongs to the
    one codeword rebuilt: chunks that disagree are never silently left out."""
    data, rebuilt = recover_data(k, m, size, known)
    parity = encode_parity(data, m)
    if any(known[k + j] != p for j, p in enumerate(parity) if k + j in known):
        return None
    return data, rebuilt
