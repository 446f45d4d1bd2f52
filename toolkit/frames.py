"""Payload <-> QR-sized text frames: header, CRC-32, Reed-Solomon erasure coding across frames.

The format is specified in docs/FORMAT.md, section 4; the print numbers are justified in
docs/print-parameters.md. `encode_frames` cuts a payload into frames; `FrameCollector` takes QR
texts back in any order (duplicates and foreign codes allowed), says what is missing and
`finish()` returns the exact payload. `layout` spreads each block's frames across pages.
"""

from __future__ import annotations

import hashlib
import math
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from toolkit.errors import DamagedError, FormatError, NotEnoughError, UnknownVersionError

# --- print parameters (docs/print-parameters.md) -----------------------------------------------

QR_ERROR_CORRECTION: Final = "M"
"""QR error-correction level: M restores ~15% damaged modules; frames add their own redundancy."""

MAX_QR_VERSION: Final = 15
"""Largest QR version a frame needs (77x77 modules): 600 alphanumeric characters at level M."""

MAX_FRAME_BYTES: Final = 392
"""Bytes of one binary frame (header + data + CRC); with the text prefix, 600 characters."""

MIN_MODULE_MM: Final = 0.42
"""Smallest printed QR module: 2.5 pixels of a 150 DPI scan."""

RECOMMENDED_MODULE_MM: Final = 0.5
"""Module size to draw at: still >= MIN_MODULE_MM after a 94% "fit to page" shrink."""

QUIET_ZONE_MODULES: Final = 4
"""White border around each code, in modules, as ISO/IEC 18004 requires."""

# --- format constants (docs/FORMAT.md section 4) -----------------------------------------------

FRAME_MAGIC: Final = "P2F-FRAME"
FRAME_VERSION: Final = 1
FRAME_PREFIX: Final = f"{FRAME_MAGIC}{FRAME_VERSION}:"
"""Every frame text begins with this; the rest is base45 of the binary frame."""

FRAME_KINDS: Final[dict[str, int]] = {"sealed": 0x53, "vault": 0x56}
"""What a payload is: a sealed vault ('S') or a plain vault JSON for the home-safe sheet ('V')."""

DOC_ID_BYTES: Final = 8
HEADER_BYTES: Final = 18
CRC_BYTES: Final = 4
FRAME_OVERHEAD: Final = HEADER_BYTES + CRC_BYTES
MAX_CHUNK_BYTES: Final = MAX_FRAME_BYTES - FRAME_OVERHEAD
HASH_BYTES: Final = 8
"""The payload travels as SHA-256(payload)[:8] followed by the payload (the container)."""

MAX_DATA_PER_BLOCK: Final = 191
"""Largest k with k + max(2, ceil(k/3)) <= 255, the Reed-Solomon limit over GF(2^8)."""

MAX_PAYLOAD_BYTES: Final = 8 * 1024 * 1024
"""Far more than any vault; keeps the frame count within its 16-bit field."""

MAX_DATA_FRAMES: Final = 48_000
"""Data frames of one document at most, so that data + parity frames fit the 16-bit index."""

RS_PRIM: Final = 0x11D
RS_GENERATOR: Final = 2
RS_FCR: Final = 0

QR_ALPHANUMERIC: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
"""The 45 characters of QR alphanumeric mode, in base45 (RFC 9285) order."""

_HEADER = struct.Struct(">BB8sIHH")
_KIND_NAMES = {code: name for name, code in FRAME_KINDS.items()}


# --- base45 (RFC 9285) -------------------------------------------------------------------------

_B45_INDEX = {ch: i for i, ch in enumerate(QR_ALPHANUMERIC)}


def base45_encode(data: bytes) -> str:
    """RFC 9285 base45: two bytes -> three characters, a last odd byte -> two."""
    out: list[str] = []
    a = QR_ALPHANUMERIC
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        c, n = n % 45, n // 45
        d, e = n % 45, n // 45
        out.append(a[c] + a[d] + a[e])
    if len(data) % 2:
        n = data[-1]
        out.append(a[n % 45] + a[n // 45])
    return "".join(out)


def base45_decode(text: str) -> bytes:
    """Inverse of base45_encode; ValueError on a character or length base45 cannot produce."""
    if len(text) % 3 == 1:
        raise ValueError("impossible base45 length")
    try:
        values = [_B45_INDEX[ch] for ch in text]
    except KeyError:
        raise ValueError("not a base45 character") from None
    out = bytearray()
    for i in range(0, len(values) - 2, 3):
        n = values[i] + values[i + 1] * 45 + values[i + 2] * 2025
        if n > 0xFFFF:
            raise ValueError("base45 group out of range")
        out += n.to_bytes(2, "big")
    if len(values) % 3 == 2:
        n = values[-2] + values[-1] * 45
        if n > 0xFF:
            raise ValueError("base45 group out of range")
        out.append(n)
    return bytes(out)


def is_qr_alphanumeric(text: str) -> bool:
    return all(ch in _B45_INDEX for ch in text)


# --- GF(2^8) and the systematic Reed-Solomon parity matrix -------------------------------------

_EXP = [0] * 512
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i] = _x
    _LOG[_x] = _i
    _x <<= 1
    if _x & 0x100:
        _x ^= RS_PRIM
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]


def _mul(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return _EXP[_LOG[a] + _LOG[b]]


def _inv(a: int) -> int:
    return _EXP[255 - _LOG[a]]


_MUL_TABLES: list[bytes] = [bytes(_mul(c, v) for v in range(256)) for c in range(256)]
"""_MUL_TABLES[c] maps each byte v to c*v in GF(2^8): multiplies a whole chunk by translate()."""


def _generator_poly(nsym: int) -> list[int]:
    """g(x) = prod_{i<nsym} (x - alpha^(fcr+i)), coefficients highest degree first."""
    g = [1]
    for i in range(nsym):
        root = _EXP[(RS_FCR + i) * _LOG[RS_GENERATOR] % 255]
        nxt = [*g, 0]
        for j, coef in enumerate(g):
            nxt[j + 1] ^= _mul(coef, root)
        g = nxt
    return g


_PARITY_CACHE: dict[tuple[int, int], tuple[tuple[int, ...], ...]] = {}


def _parity_matrix(k: int, m: int) -> tuple[tuple[int, ...], ...]:
    """P[j][t]: parity symbol j of the codeword whose only non-zero data symbol is d_t = 1.

    Codeword = d_0..d_{k-1} p_0..p_{m-1} with p(x) = d(x) * x^m mod g(x) (highest degree
    first), the systematic encoding of standard RS libraries; by linearity P encodes any data.
    """
    key = (k, m)
    if key not in _PARITY_CACHE:
        g = _generator_poly(m)
        n = k + m
        # r holds x^e mod g(x) as m coefficients (highest first), for e = m .. n-1.
        r = g[1:]
        rows: dict[int, list[int]] = {}
        for e in range(m, n):
            rows[e] = list(r)
            lead = r[0]
            shifted = [*r[1:], 0]
            r = [s ^ _mul(lead, gc) for s, gc in zip(shifted, g[1:], strict=True)]
        matrix = tuple(tuple(rows[n - 1 - t][j] for t in range(k)) for j in range(m))
        _PARITY_CACHE[key] = matrix
    return _PARITY_CACHE[key]


def _scaled(chunk: bytes, c: int) -> int:
    return int.from_bytes(chunk.translate(_MUL_TABLES[c]), "big")


def _encode_parity(chunks: Sequence[bytes], m: int) -> list[bytes]:
    size = len(chunks[0])
    matrix = _parity_matrix(len(chunks), m)
    out = []
    for row in matrix:
        acc = 0
        for coef, chunk in zip(row, chunks, strict=True):
            if coef:
                acc ^= _scaled(chunk, coef)
        out.append(acc.to_bytes(size, "big"))
    return out


def _recover_data(
    k: int, m: int, size: int, known: dict[int, bytes]
) -> tuple[list[bytes], int]:
    """The k data chunks of one block from any k of its n chunks (positions 0..n-1)."""
    data: list[bytes | None] = [known.get(t) for t in range(k)]
    lost = [t for t in range(k) if data[t] is None]
    if not lost:
        return [d for d in data if d is not None], 0
    matrix = _parity_matrix(k, m)
    parities = [j for j in range(m) if k + j in known][: len(lost)]
    if len(parities) < len(lost):
        raise NotEnoughError("not enough frames in a block")  # callers check counts first
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
            raise DamagedError("the erasure code could not be solved")
        rows[col], rows[pivot] = rows[pivot], rows[col]
        rhs[col], rhs[pivot] = rhs[pivot], rhs[col]
        inv = _inv(rows[col][col])
        rows[col] = [_mul(inv, v) for v in rows[col]]
        rhs[col] = _scaled(rhs[col].to_bytes(size, "big"), inv)
        for r in range(e):
            if r != col and rows[r][col]:
                f = rows[r][col]
                rows[r] = [a ^ _mul(f, b) for a, b in zip(rows[r], rows[col], strict=True)]
                rhs[r] ^= _scaled(rhs[col].to_bytes(size, "big"), f)
    for i, t in enumerate(lost):
        data[t] = rhs[i].to_bytes(size, "big")
    return [d for d in data if d is not None], e


# --- structure: blocks and frames --------------------------------------------------------------


def parity_count(data_frames: int) -> int:
    """Parity frames for a block of `data_frames` data frames: max(2, ceil(k/3))."""
    return max(2, math.ceil(data_frames / 3))


@dataclass(frozen=True)
class BlockShape:
    """One erasure-coded block: frames `first`..`first+k+m-1`, the first k carrying data."""

    block: int
    first: int
    k: int
    m: int
    data_offset: int  # index of its first data chunk in the container

    @property
    def n(self) -> int:
        return self.k + self.m


def block_shapes(payload_length: int, chunk_size: int) -> tuple[BlockShape, ...]:
    """The blocks every reader derives from a frame header's length and chunk size."""
    data_frames = math.ceil((payload_length + HASH_BYTES) / chunk_size)
    blocks = math.ceil(data_frames / MAX_DATA_PER_BLOCK)
    shapes = []
    first = offset = 0
    for b in range(blocks):
        k = data_frames // blocks + (1 if b < data_frames % blocks else 0)
        m = parity_count(k)
        shapes.append(BlockShape(b, first, k, m, offset))
        first += k + m
        offset += k
    return tuple(shapes)


@dataclass(frozen=True)
class Frame:
    """One QR code's worth of a payload. `index` is 0-based; people see `number` (1-based)."""

    index: int
    total: int
    block: int
    kind: str
    doc_id: bytes
    data: bytes = field(repr=False)
    text: str = field(repr=False)
    payload_length: int = 0
    chunk_size: int = 0
    is_parity: bool = False

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def label(self) -> str:
        """`frame 3 of 24`, as printed under the code."""
        return f"frame {self.number} of {self.total}"


def _frame_text(kind: str, doc_id: bytes, length: int, size: int, index: int, chunk: bytes) -> str:
    body = _HEADER.pack(FRAME_VERSION, FRAME_KINDS[kind], doc_id, length, size, index) + chunk
    body += zlib.crc32(body).to_bytes(CRC_BYTES, "big")
    return FRAME_PREFIX + base45_encode(body)


def _shape_of(index: int, shapes: Sequence[BlockShape]) -> BlockShape:
    for shape in shapes:
        if shape.first <= index < shape.first + shape.n:
            return shape
    raise ValueError("frame index outside the document")


def encode_frames(
    payload: bytes,
    kind: str,
    doc_id: bytes,
    *,
    max_frame_bytes: int = MAX_FRAME_BYTES,
) -> list[Frame]:
    """Cut `payload` into frames (data then parity, block by block); see FORMAT.md section 4.

    Chunks are made as equal as possible, so a small payload gives small QR codes.
    """
    if kind not in FRAME_KINDS:
        raise ValueError(f"unknown frame kind {kind!r}")
    if len(doc_id) != DOC_ID_BYTES:
        raise ValueError(f"doc_id must be {DOC_ID_BYTES} bytes")
    if not FRAME_OVERHEAD < max_frame_bytes <= 0xFFFF:
        raise ValueError("max_frame_bytes out of range")
    if not payload:
        raise ValueError("nothing to put on frames")
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise FormatError(f"the data is too large to print ({len(payload)} bytes)")
    container_len = len(payload) + HASH_BYTES
    max_chunk = max_frame_bytes - FRAME_OVERHEAD
    data_frames = math.ceil(container_len / max_chunk)
    if data_frames > MAX_DATA_FRAMES:
        raise FormatError(f"the data is too large to print ({len(payload)} bytes)")
    size = math.ceil(container_len / data_frames)
    container = hashlib.sha256(payload).digest()[:HASH_BYTES] + payload
    container += bytes(data_frames * size - container_len)
    shapes = block_shapes(len(payload), size)
    total = sum(s.n for s in shapes)
    frames: list[Frame] = []
    for shape in shapes:
        chunks = [
            container[(shape.data_offset + t) * size : (shape.data_offset + t + 1) * size]
            for t in range(shape.k)
        ]
        for pos, chunk in enumerate(chunks + _encode_parity(chunks, shape.m)):
            index = shape.first + pos
            text = _frame_text(kind, doc_id, len(payload), size, index, chunk)
            frames.append(
                Frame(index, total, shape.block, kind, doc_id, chunk, text, len(payload), size,
                      pos >= shape.k)
            )
    return frames


def doc_id_for(payload: bytes) -> bytes:
    """A document id derived from the payload: every sheet carrying it gets the same id."""
    return hashlib.sha256(b"paper2fa frames doc id\x00" + payload).digest()[:DOC_ID_BYTES]


class FrameTextError(ValueError):
    """A text is not a usable frame; `outcome` says why (see Added.outcome)."""

    def __init__(self, outcome: str, detail: str) -> None:
        super().__init__(detail)
        self.outcome = outcome
        self.detail = detail


def decode_frame(text: str) -> Frame:
    """One frame from its QR text; FrameTextError when foreign, of unknown version, or damaged.

    The text is used exactly as read: never strip or change spaces (base45 uses them).
    """
    if not text.startswith(FRAME_MAGIC):
        raise FrameTextError("foreign", "not a paper2fa frame")
    if not text.startswith(FRAME_PREFIX):
        raise FrameTextError("unknown-version", "a paper2fa frame of an unknown format version")
    try:
        body = base45_decode(text[len(FRAME_PREFIX):])
    except ValueError:
        raise FrameTextError("damaged", "frame text is not valid base45") from None
    if len(body) < FRAME_OVERHEAD + 1:
        raise FrameTextError("damaged", "frame is too short")
    if zlib.crc32(body[:-CRC_BYTES]) != int.from_bytes(body[-CRC_BYTES:], "big"):
        raise FrameTextError("damaged", "frame checksum (CRC-32) does not match")
    version, kind_code, doc_id, length, size, index = _HEADER.unpack_from(body)
    chunk = body[HEADER_BYTES:-CRC_BYTES]
    if version != FRAME_VERSION:
        raise FrameTextError("unknown-version", f"frame format version {version} is not known")
    if kind_code not in _KIND_NAMES or size != len(chunk) or length > MAX_PAYLOAD_BYTES:
        raise FrameTextError("damaged", "frame header is inconsistent")
    if length == 0 or math.ceil((length + HASH_BYTES) / max(size, 1)) > MAX_DATA_FRAMES:
        raise FrameTextError("damaged", "frame header is inconsistent")
    shapes = block_shapes(length, size)
    total = sum(s.n for s in shapes)
    if index >= total:
        raise FrameTextError("damaged", "frame number is outside its document")
    shape = _shape_of(index, shapes)
    return Frame(index, total, shape.block, _KIND_NAMES[kind_code], doc_id, chunk, text, length,
                 size, index - shape.first >= shape.k)


# --- collecting frames back --------------------------------------------------------------------


@dataclass(frozen=True)
class Added:
    """What one scanned text was.

    outcome: "new" (a frame not seen before), "duplicate", "foreign" (not a paper2fa frame),
    "unknown-version", "damaged" (CRC or structure wrong: rejected, never used), or
    "other-document" (a good frame of a document this collector does not want).
    """

    outcome: str
    detail: str
    frame: Frame | None = None

    @property
    def is_frame(self) -> bool:
        return self.frame is not None

    @property
    def doc_id(self) -> bytes | None:
        return self.frame.doc_id if self.frame else None


@dataclass(frozen=True)
class BlockNeed:
    block: int
    data_frames: int
    frames: int
    have: int

    @property
    def need_more(self) -> int:
        return max(0, self.data_frames - self.have)


def number_ranges(numbers: Sequence[int]) -> str:
    """Sorted numbers written short for people: [3, 7, 8, 9] -> '3, 7-9'."""
    parts: list[str] = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        parts.append(str(numbers[i]) if i == j else f"{numbers[i]}-{numbers[j]}")
        i = j + 1
    return ", ".join(parts)


@dataclass(frozen=True)
class Missing:
    """What is read and what is still needed for one document."""

    doc_id: bytes
    kind: str
    total: int
    have: int
    missing: tuple[int, ...]  # 1-based frame numbers not read
    blocks: tuple[BlockNeed, ...]

    @property
    def need_more(self) -> int:
        return sum(b.need_more for b in self.blocks)

    @property
    def complete(self) -> bool:
        return self.need_more == 0

    @property
    def message(self) -> str:
        if not self.missing:
            return f"all {self.total} frames read"
        head = (
            f"frame{'s' if len(self.missing) > 1 else ''} {number_ranges(self.missing)} "
            f"of {self.total} not read"
        )
        if self.complete:
            return f"{head}; the others are enough to restore"
        short = [b for b in self.blocks if b.need_more]
        if len(self.blocks) == 1:
            where = ""
        else:
            where = ": " + "; ".join(
                f"block {b.block + 1} of {len(self.blocks)} (frames "
                f"{self._span(b.block)}) has {b.have} of the {b.data_frames} it needs"
                for b in short
            )
        return f"{head}; {self.need_more} more needed{where}"

    def _span(self, block: int) -> str:
        first = sum(b.frames for b in self.blocks[:block]) + 1
        return f"{first}-{first + self.blocks[block].frames - 1}"


@dataclass(frozen=True)
class Restored:
    payload: bytes = field(repr=False)
    kind: str
    doc_id: bytes
    frames_read: int
    recovered: int  # data frames rebuilt from parity


class _Document:
    def __init__(self, first: Frame) -> None:
        self.kind = first.kind
        self.doc_id = first.doc_id
        self.length = first.payload_length
        self.size = first.chunk_size
        self.shapes = block_shapes(self.length, self.size)
        self.total = first.total
        self.frames: dict[int, Frame] = {}

    def matches(self, frame: Frame) -> bool:
        return (frame.kind, frame.payload_length, frame.chunk_size) == (
            self.kind, self.length, self.size)

    def missing(self) -> Missing:
        absent = tuple(i + 1 for i in range(self.total) if i not in self.frames)
        needs = tuple(
            BlockNeed(s.block, s.k, s.n,
                      sum(1 for i in range(s.first, s.first + s.n) if i in self.frames))
            for s in self.shapes
        )
        return Missing(self.doc_id, self.kind, self.total, len(self.frames), absent, needs)

    def finish(self) -> Restored:
        report = self.missing()
        if not report.complete:
            raise NotEnoughError(f"not enough QR frames to restore: {report.message}")
        chunks: list[bytes] = []
        recovered = 0
        for s in self.shapes:
            known = {i - s.first: f.data for i, f in self.frames.items()
                     if s.first <= i < s.first + s.n}
            data, rebuilt = _recover_data(s.k, s.m, self.size, known)
            parity = _encode_parity(data, s.m)
            for j, p in enumerate(parity):
                if s.k + j in known and known[s.k + j] != p:
                    raise DamagedError(
                        f"QR frames of block {s.block + 1} disagree with each other",
                        hint="a frame was misread or comes from another printout; scan again",
                    )
            chunks.extend(data)
            recovered += rebuilt
        container = b"".join(chunks)
        payload = container[HASH_BYTES:HASH_BYTES + self.length]
        padding = container[HASH_BYTES + self.length:]
        if (hashlib.sha256(payload).digest()[:HASH_BYTES] != container[:HASH_BYTES]
                or padding.strip(b"\x00")):
            raise DamagedError(
                "the QR frames reassemble to data that fails its checksum",
                hint="a frame was misread or comes from another printout; scan again",
            )
        return Restored(payload, self.kind, self.doc_id, len(self.frames), recovered)


class FrameCollector:
    """Collects frame texts from scans in any order; says what is missing; rebuilds the payload.

    With `doc_id` and/or `kind` given, frames of other documents are "other-document" and not
    kept; otherwise frames of every document are kept apart by document id.
    """

    def __init__(self, doc_id: bytes | None = None, kind: str | None = None) -> None:
        self.want_doc = doc_id
        self.want_kind = kind
        self.docs: dict[bytes, _Document] = {}
        self.rejected: dict[str, int] = {}

    def add(self, text: str) -> Added:
        """Add one scanned QR text (any text: foreign and damaged ones are counted, not used)."""
        try:
            frame = decode_frame(text)
        except FrameTextError as exc:
            self.rejected[exc.outcome] = self.rejected.get(exc.outcome, 0) + 1
            return Added(exc.outcome, exc.detail)
        if (self.want_doc is not None and frame.doc_id != self.want_doc) or (
                self.want_kind is not None and frame.kind != self.want_kind):
            return Added("other-document", "a frame of another document", frame)
        doc = self.docs.get(frame.doc_id)
        if doc is None:
            doc = self.docs[frame.doc_id] = _Document(frame)
        if not doc.matches(frame):
            self.rejected["damaged"] = self.rejected.get("damaged", 0) + 1
            return Added("damaged", "frame disagrees with the other frames of its document")
        old = doc.frames.get(frame.index)
        if old is not None:
            if old.data != frame.data:
                self.rejected["damaged"] = self.rejected.get("damaged", 0) + 1
                return Added("damaged", f"{frame.label} disagrees with an earlier reading")
            return Added("duplicate", f"{frame.label} was read already", frame)
        doc.frames[frame.index] = frame
        return Added("new", frame.label, frame)

    def add_all(self, texts: Iterable[str]) -> list[Added]:
        return [self.add(t) for t in texts]

    @property
    def documents(self) -> list[bytes]:
        return list(self.docs)

    def _doc(self, doc_id: bytes | None) -> _Document:
        if doc_id is not None:
            if doc_id not in self.docs:
                raise NotEnoughError("no QR frames of this document were read")
            return self.docs[doc_id]
        if not self.docs:
            if self.rejected.get("unknown-version"):
                raise UnknownVersionError("the QR frames are of a format version this program "
                                          "does not know")
            damaged = self.rejected.get("damaged", 0)
            extra = f" ({damaged} damaged frame{'s' if damaged != 1 else ''} rejected)" if (
                damaged) else ""
            raise NotEnoughError(f"no paper2fa QR frames were read{extra}")
        if len(self.docs) > 1:
            raise NotEnoughError(
                f"QR frames of {len(self.docs)} different printouts were read",
                hint="scan the pages of one backup at a time",
            )
        return next(iter(self.docs.values()))

    def frame(self, doc_id: bytes, index: int) -> Frame | None:
        """The frame `index` (0-based) of a document, if it was read."""
        doc = self.docs.get(doc_id)
        return doc.frames.get(index) if doc is not None else None

    def missing(self, doc_id: bytes | None = None) -> Missing:
        """What is read and what is needed (for `doc_id`, or the only document read)."""
        return self._doc(doc_id).missing()

    def is_complete(self, doc_id: bytes | None = None) -> bool:
        try:
            return self.missing(doc_id).complete
        except NotEnoughError:
            return False

    def finish_report(self, doc_id: bytes | None = None) -> Restored:
        """The payload, with how many data frames were rebuilt from parity."""
        return self._doc(doc_id).finish()

    def finish(self, doc_id: bytes | None = None) -> bytes:
        """The exact payload; NotEnoughError saying what is missing; DamagedError if it fails
        its checksum."""
        return self.finish_report(doc_id).payload


def decode_frames(texts: Iterable[str], doc_id: bytes | None = None) -> bytes:
    """Convenience: the payload from a batch of QR texts."""
    collector = FrameCollector(doc_id)
    collector.add_all(texts)
    return collector.finish()


# --- spreading frames over pages ---------------------------------------------------------------


def _pages_needed(frames: Sequence[Frame]) -> int:
    """Fewest pages over which no page holds more than the parity count of any block."""
    need = 1
    for f in frames:
        for s in block_shapes(f.payload_length, f.chunk_size):
            need = max(need, math.ceil(s.n / s.m))
        break
    return need


def layout(
    frames: Sequence[Frame], codes_per_page: int, pages: int | None = None
) -> list[list[Frame]]:
    """Spread frames over pages, each block's frames dealt round-robin across the pages.

    With `pages` None: one page when everything fits on one, else enough pages of at most
    `codes_per_page` codes that losing any one whole page loses at most each block's parity
    (`page_loss_ok` checks it). Frames of several documents are dealt one document after the
    other.
    """
    if codes_per_page < 1:
        raise ValueError("codes_per_page must be at least 1")
    ordered = sorted(frames, key=lambda f: (f.doc_id, f.index))
    fewest = math.ceil(len(ordered) / codes_per_page) if ordered else 0
    if pages is None:
        pages = fewest
        if fewest > 1:
            by_doc: dict[bytes, list[Frame]] = {}
            for f in ordered:
                by_doc.setdefault(f.doc_id, []).append(f)
            pages = max([fewest] + [_pages_needed(fs) for fs in by_doc.values()])
    elif pages < fewest:
        raise ValueError(f"{len(ordered)} codes need at least {fewest} pages")
    if not ordered:
        return []
    sheets: list[list[Frame]] = [[] for _ in range(pages)]
    for i, frame in enumerate(ordered):
        sheets[i % pages].append(frame)
    return sheets


def page_loss_ok(pages: Sequence[Sequence[Frame]]) -> bool:
    """True when dropping any one page still leaves every block enough frames to restore."""
    for lost in range(len(pages)):
        collector = FrameCollector()
        for p, page in enumerate(pages):
            if p != lost:
                for f in page:
                    collector.add(f.text)
        if len(pages) <= 1 or not all(d.missing().complete for d in collector.docs.values()):
            return False
        if len(collector.docs) != len({f.doc_id for page in pages for f in page}):
            return False
    return True
