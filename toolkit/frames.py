"""Payload <-> QR-sized text frames: header, CRC-32, Reed-Solomon erasure coding across frames.

The format is specified in docs/FORMAT.md, section 4; the print numbers are justified in
docs/print-parameters.md. `encode_frames` cuts a payload into frames (the erasure code itself is
`toolkit.erasure`); `FrameCollector` records QR texts read in any order (duplicates, foreign
codes and disagreeing frames allowed), `judge` decides once over all of them, so the result
never depends on the order read; `finish()` returns the exact payload. `layout` spreads each
block's frames across pages.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import struct
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final, Literal

from toolkit import erasure
from toolkit.errors import (
    DamagedError,
    FormatError,
    NotEnoughError,
    Paper2faError,
    UnknownVersionError,
)

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


def frame_text(kind: str, doc_id: bytes, length: int, size: int, index: int, chunk: bytes) -> str:
    """The QR text of one frame, its header built from the arguments as given (CRC added)."""
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
        for pos, chunk in enumerate(chunks + erasure.encode_parity(chunks, shape.m)):
            index = shape.first + pos
            text = frame_text(kind, doc_id, len(payload), size, index, chunk)
            frames.append(
                Frame(index, total, shape.block, kind, doc_id, chunk, text, len(payload), size,
                      pos >= shape.k)
            )
    return frames


def doc_id_for(payload: bytes) -> bytes:
    """A document id derived from the payload: every sheet carrying it gets the same id."""
    return hashlib.sha256(b"paper2fa frames doc id\x00" + payload).digest()[:DOC_ID_BYTES]


class Flaw(StrEnum):
    """What is wrong with one frame text, as a value (`FrameTextError.flaw`, `Added.flaw`);
    `detail` says it in English."""

    FOREIGN = "foreign"
    """Not a paper2fa frame."""
    VERSION = "version"
    """A paper2fa frame of a format version this program does not know."""
    NOT_BASE45 = "not-base45"
    """Its text is not valid base45 (misread)."""
    TOO_SHORT = "too-short"
    """Too short to be a frame."""
    CHECKSUM = "checksum"
    """Its checksum (CRC-32) does not match."""
    HEADER = "header"
    """Its header is impossible (kind, sizes, lengths)."""
    NUMBER = "number"
    """Its frame number is outside its document."""


class FrameTextError(ValueError):
    """A text is not a usable frame; `outcome` says why (see Added.outcome), `flaw` exactly."""

    def __init__(self, outcome: Literal["foreign", "unknown-version", "damaged"],
                 detail: str, flaw: Flaw = Flaw.FOREIGN) -> None:
        super().__init__(detail)
        self.outcome = outcome
        self.detail = detail
        self.flaw = flaw


def decode_frame(text: str) -> Frame:
    """One frame from its QR text; FrameTextError when foreign, of unknown version, or damaged.

    The text is used exactly as read: never strip or change spaces (base45 uses them).
    """
    if not text.startswith(FRAME_MAGIC):
        raise FrameTextError("foreign", "not a paper2fa frame", Flaw.FOREIGN)
    if not text.startswith(FRAME_PREFIX):
        raise FrameTextError("unknown-version", "a paper2fa frame of an unknown format version",
                             Flaw.VERSION)
    try:
        body = base45_decode(text[len(FRAME_PREFIX):])
    except ValueError:
        raise FrameTextError("damaged", "frame text is not valid base45",
                             Flaw.NOT_BASE45) from None
    if len(body) < FRAME_OVERHEAD + 1:
        raise FrameTextError("damaged", "frame is too short", Flaw.TOO_SHORT)
    if zlib.crc32(body[:-CRC_BYTES]) != int.from_bytes(body[-CRC_BYTES:], "big"):
        raise FrameTextError("damaged", "frame checksum (CRC-32) does not match", Flaw.CHECKSUM)
    version, kind_code, doc_id, length, size, index = _HEADER.unpack_from(body)
    chunk = body[HEADER_BYTES:-CRC_BYTES]
    if version != FRAME_VERSION:
        raise FrameTextError("unknown-version", f"frame format version {version} is not known",
                             Flaw.VERSION)
    if kind_code not in _KIND_NAMES or size != len(chunk) or length > MAX_PAYLOAD_BYTES:
        raise FrameTextError("damaged", "frame header is inconsistent", Flaw.HEADER)
    if length == 0 or math.ceil((length + HASH_BYTES) / max(size, 1)) > MAX_DATA_FRAMES:
        raise FrameTextError("damaged", "frame header is inconsistent", Flaw.HEADER)
    shapes = block_shapes(length, size)
    total = sum(s.n for s in shapes)
    if index >= total:
        raise FrameTextError("damaged", "frame number is outside its document", Flaw.NUMBER)
    shape = _shape_of(index, shapes)
    return Frame(index, total, shape.block, _KIND_NAMES[kind_code], doc_id, chunk, text, length,
                 size, index - shape.first >= shape.k)


# --- collecting frames back --------------------------------------------------------------------


AddOutcome = Literal["new", "duplicate", "foreign", "unknown-version", "damaged",
                     "other-document"]


@dataclass(frozen=True)
class Added:
    """What one scanned text was.

    outcome: "new" (a frame not read before), "duplicate" (the very same frame read again),
    "foreign" (not a paper2fa frame), "unknown-version", "damaged" (CRC or structure wrong:
    rejected, never used), or "other-document" (a good frame of a document this collector does
    not want). A good frame that disagrees with others of its document is "new" too: reading
    records it, and `judge` weighs it against all the others.
    """

    outcome: AddOutcome
    detail: str
    frame: Frame | None = None
    flaw: Flaw | None = None
    """foreign, unknown-version, damaged: what exactly is wrong with the text."""

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


class Verdict(StrEnum):
    """The one decision over every frame read of a document (see `judge`)."""

    RESTORED = "restored"
    """One payload is the document: the only one restored that derives the document id, or
    the only one restored at all."""
    INCOMPLETE = "incomplete"
    """No header group of the document has enough frames in every block."""
    DAMAGED = "damaged"
    """The frames agree with each other as read, yet do not rebuild data that checks."""
    CONFLICT = "conflict"
    """Frames of the document disagree (another header, or two chunks at one index) and no
    single payload can be told to be the document."""


class Fault(StrEnum):
    """Why a document judged has no payload, as a value (`Judgement.fault`); the words are
    the reader's (toolkit.recovery.damage), `Judgement.problem` is English for errors."""

    INCOMPLETE = "incomplete"
    """Not enough frames read (`Judgement.missing` says which)."""
    PAYLOADS = "payloads"
    """Frames of `Judgement.payloads` different payloads carry the same document id (frames of
    another printout)."""
    DISAGREE = "disagree"
    """Frames read with different contents at one number (`conflicts`), or with another length,
    kind or chunk size (`other_frames`), and no reading of them checks."""
    TOO_MANY = "too-many"
    """So many frames disagree that not every reading could be tried."""
    BLOCK = "block"
    """The frames of block `Judgement.block` (1-based) disagree with each other."""
    CHECKSUM = "checksum"
    """The frames reassemble to data that fails its checksum."""


MAX_READINGS: Final = 16
"""Readings of a block (one chunk picked at each index read with several) tried per document
at most, and combinations of the blocks' readings kept; more are a conflict, so the work stays
bounded whatever frames are read (one reading of a full 191+64-frame block is one erasure
decode, about 0.15 s in pure Python: 16 keep a hostile document within a few seconds)."""


@dataclass(frozen=True, order=True)
class FrameHeader:
    """What every frame of one document must agree on (besides the document id)."""

    kind: str
    payload_length: int
    chunk_size: int


def header_of(frame: Frame) -> FrameHeader:
    return FrameHeader(frame.kind, frame.payload_length, frame.chunk_size)


@dataclass(frozen=True)
class Judgement:
    """The decision over every frame read of one document id, whatever the order read.

    `missing` describes the header group chosen (the one restored, else the one nearest to
    restoring); `conflicts` are the numbers (1-based) of its frames read with more than one
    chunk, `other_frames` counts frames of the same document id with another header.
    """

    doc_id: bytes
    verdict: Verdict
    header: FrameHeader
    missing: Missing
    restored: Restored | None
    conflicts: tuple[int, ...]
    other_frames: int
    problem: str = ""
    """For people, in English: why there is no payload ('' when restored)."""
    fault: Fault | None = None
    """Why there is no payload, as a value (None when restored)."""
    payloads: int = 0
    """PAYLOADS: how many different payloads."""
    block: int = 0
    """BLOCK: the block (1-based) whose frames disagree."""

    def error(self) -> Paper2faError:
        """The error `finish` raises for this judgement (ValueError when restored)."""
        if self.verdict is Verdict.RESTORED:
            raise ValueError("a restored document has no error")
        if self.verdict is Verdict.INCOMPLETE:
            return NotEnoughError(self.problem)
        if self.verdict is Verdict.CONFLICT:
            return DamagedError(self.problem, hint="frames of another printout with the same "
                                "document id, or forged ones, were read: scan the pages of one "
                                "backup at a time")
        return DamagedError(self.problem, hint="a frame was misread or comes from another "
                            "printout; scan again")


@dataclass(frozen=True)
class _GroupResult:
    header: FrameHeader
    missing: Missing
    conflicts: tuple[int, ...]
    payloads: tuple[bytes, ...]  # distinct payloads that check, sorted
    recovered: int
    problem: str  # why no payload checks ('' when one does, or when too few frames)
    too_many: bool = False
    block: int = 0  # the block (1-based) whose frames disagree, when that is the problem


def _missing(doc_id: bytes, header: FrameHeader, read: Mapping[int, object],
             shapes: Sequence[BlockShape]) -> Missing:
    total = sum(s.n for s in shapes)
    absent = tuple(i + 1 for i in range(total) if i not in read)
    needs = tuple(
        BlockNeed(s.block, s.k, s.n, sum(1 for i in range(s.first, s.first + s.n) if i in read))
        for s in shapes
    )
    return Missing(doc_id, header.kind, total, len(read), absent, needs)


@dataclass
class _Budget:
    """Readings of blocks with disagreeing frames still to be tried for one document."""

    left: int = MAX_READINGS

    def spend(self, tries: int) -> bool:
        if tries > self.left:
            return False
        self.left -= tries
        return True


def _block_readings(shape: BlockShape, size: int, options: Mapping[int, Sequence[bytes]],
                    budget: _Budget) -> list[list[bytes]] | None:
    """The distinct data of a block over every reading (one chunk per position read) whose
    chunks all belong to one codeword; None when the budget does not cover the tries."""
    unique = {p: c[0] for p, c in options.items() if len(c) == 1}
    conflicted = sorted(p for p, c in options.items() if len(c) > 1)
    if len(unique) >= shape.k:
        # k agreeing chunks fix the codeword: each position read twice must show its chunk
        decoded = erasure.decode_block(shape.k, shape.m, size, unique)
        if decoded is None:
            return []
        codeword = decoded[0] + erasure.encode_parity(decoded[0], shape.m)
        return [decoded[0]] if all(codeword[p] in options[p] for p in conflicted) else []
    if not budget.spend(math.prod(len(options[p]) for p in conflicted)):
        return None
    found: list[list[bytes]] = []
    for choice in itertools.product(*(options[p] for p in conflicted)):
        decoded = erasure.decode_block(shape.k, shape.m, size,
                                       {**unique, **dict(zip(conflicted, choice, strict=True))})
        if decoded is not None and decoded[0] not in found:
            found.append(decoded[0])
    return found


def _read_group(doc_id: bytes, header: FrameHeader, read: Mapping[int, Sequence[bytes]],
                budget: _Budget) -> _GroupResult:
    """Every payload that frames of one header group rebuild, trying each reading."""
    shapes = block_shapes(header.payload_length, header.chunk_size)
    missing = _missing(doc_id, header, read, shapes)
    conflicts = tuple(i + 1 for i in sorted(read) if len(read[i]) > 1)
    recovered = sum(1 for s in shapes for t in range(s.k) if s.first + t not in read)
    if not missing.complete:
        return _GroupResult(header, missing, conflicts, (), recovered, "")
    per_block: list[list[list[bytes]]] = []
    for s in shapes:
        options = {i - s.first: read[i] for i in range(s.first, s.first + s.n) if i in read}
        found = _block_readings(s, header.chunk_size, options, budget)
        if found is None or math.prod(len(f) for f in per_block) * len(found) > MAX_READINGS:
            return _GroupResult(header, missing, conflicts, (), recovered,
                                "too many QR frames disagree to try every reading", True)
        if not found:
            return _GroupResult(header, missing, conflicts, (), recovered,
                                f"QR frames of block {s.block + 1} disagree with each other",
                                block=s.block + 1)
        per_block.append(found)
    payloads: set[bytes] = set()
    for choice in itertools.product(*per_block):
        container = b"".join(chunk for data in choice for chunk in data)
        payload = container[HASH_BYTES:HASH_BYTES + header.payload_length]
        padding = container[HASH_BYTES + header.payload_length:]
        if (hashlib.sha256(payload).digest()[:HASH_BYTES] == container[:HASH_BYTES]
                and not padding.strip(b"\x00")):
            payloads.add(payload)
    problem = "" if payloads else "the QR frames reassemble to data that fails its checksum"
    return _GroupResult(header, missing, conflicts, tuple(sorted(payloads)), recovered, problem)


def judge(doc_id: bytes, frames: Iterable[Frame]) -> Judgement:
    """Decide once, over every frame read of document `doc_id`, what the document is.

    Frames are grouped by header (kind, payload length, chunk size). A reading of a group picks
    one chunk for each index read; it restores when each block has enough frames, every frame
    of each block belongs to the one codeword rebuilt, and the container's SHA-256 prefix and
    zero padding check. Of the (kind, payload) pairs restored, the one whose `doc_id_for` is
    `doc_id` is the document, if exactly one is; else the only one, if only one is and every
    reading was tried (see MAX_READINGS). A pure function of the set of frames: the order they
    were read in, and repeats, change nothing.
    """
    groups: dict[FrameHeader, dict[int, set[bytes]]] = {}
    for frame in frames:
        if frame.doc_id != doc_id:
            raise ValueError("a frame of another document")
        groups.setdefault(header_of(frame), {}).setdefault(frame.index, set()).add(frame.data)
    if not groups:
        raise ValueError("no frames to judge")
    budget = _Budget()
    results = [_read_group(doc_id, h, {i: sorted(c) for i, c in groups[h].items()}, budget)
               for h in sorted(groups)]
    frames_in = {r.header: sum(len(c) for c in groups[r.header].values()) for r in results}
    candidates = [(r, p) for r in results for p in r.payloads]
    distinct = len({(r.header.kind, p) for r, p in candidates})
    own = [(r, p) for r, p in candidates if doc_id_for(p) == doc_id]
    if len({(r.header.kind, p) for r, p in own}) == 1:
        accepted = own
    elif distinct == 1 and not any(
            r.too_many for r in results):  # readings left untried might give another payload
        accepted = candidates
    else:
        accepted = []
    if accepted:
        chosen, payload = accepted[0]
        restored = Restored(payload, chosen.header.kind, doc_id, chosen.missing.have,
                            chosen.recovered)
        return Judgement(doc_id, Verdict.RESTORED, chosen.header, chosen.missing, restored,
                         chosen.conflicts, sum(frames_in.values()) - frames_in[chosen.header])
    chosen = max(results, key=lambda r: (r.missing.complete, r.missing.have))  # first of ties
    others = sum(frames_in.values()) - frames_in[chosen.header]
    disagree = bool(chosen.conflicts or others)
    fault = Fault.DISAGREE
    if distinct > 1:
        verdict, fault, problem = Verdict.CONFLICT, Fault.PAYLOADS, (
            f"QR frames of {distinct} different payloads carry the same document id")
    elif candidates:
        verdict, problem = Verdict.CONFLICT, _disagreement(chosen, others, cut_short=True)
        fault = Fault.TOO_MANY
    elif disagree and chosen.missing.complete:
        verdict, problem = Verdict.CONFLICT, _disagreement(chosen, others)
        fault = Fault.TOO_MANY if chosen.too_many else Fault.DISAGREE
    elif not chosen.missing.complete:
        verdict, fault, problem = Verdict.INCOMPLETE, Fault.INCOMPLETE, (
            f"not enough QR frames to restore: {chosen.missing.message}")
    else:
        verdict, problem = Verdict.DAMAGED, chosen.problem
        fault = (Fault.TOO_MANY if chosen.too_many else Fault.BLOCK if chosen.block
                 else Fault.CHECKSUM)
    return Judgement(doc_id, verdict, chosen.header, chosen.missing, None, chosen.conflicts,
                     others, problem, fault, distinct if distinct > 1 else 0, chosen.block)


def _disagreement(chosen: _GroupResult, others: int, cut_short: bool = False) -> str:
    parts = []
    if chosen.conflicts:
        parts.append(f"frame{'s' if len(chosen.conflicts) > 1 else ''} "
                     f"{number_ranges(chosen.conflicts)} of {chosen.missing.total} read with "
                     "different contents")
    if others:
        parts.append(f"{others} frame{'s' if others > 1 else ''} with another length, kind or "
                     "chunk size")
    if chosen.too_many or cut_short:
        parts.append("too many to try every reading")
    elif chosen.missing.complete:
        parts.append("no reading of them checks")
    else:
        parts.append(f"and {chosen.missing.message}")
    return "QR frames of one document id disagree: " + "; ".join(parts)


class FrameCollector:
    """Collects frame texts from scans in any order; says what is missing; rebuilds the payload.

    Reading only records facts: every distinct frame read, by document id. What a document is
    gets decided by `judge` over all of them, so the result never depends on the order of the
    texts. With `doc_id` and/or `kind` given, frames of other documents are "other-document"
    and not kept; otherwise frames of every document are kept apart by document id.
    """

    def __init__(self, doc_id: bytes | None = None, kind: str | None = None) -> None:
        self.want_doc = doc_id
        self.want_kind = kind
        self._read: dict[bytes, dict[str, Frame]] = {}
        self._judged: dict[bytes, Judgement] = {}
        self.rejected: dict[str, int] = {}

    def add(self, text: str) -> Added:
        """Add one scanned QR text (any text: foreign and damaged ones are counted, not used)."""
        try:
            frame = decode_frame(text)
        except FrameTextError as exc:
            self.rejected[exc.outcome] = self.rejected.get(exc.outcome, 0) + 1
            return Added(exc.outcome, exc.detail, flaw=exc.flaw)
        if (self.want_doc is not None and frame.doc_id != self.want_doc) or (
                self.want_kind is not None and frame.kind != self.want_kind):
            return Added("other-document", "a frame of another document", frame)
        read = self._read.setdefault(frame.doc_id, {})
        known = read.get(frame.text)
        if known is not None:  # base45 text and binary frame map one to one
            return Added("duplicate", f"{frame.label} was read already", known)
        read[frame.text] = frame
        self._judged.pop(frame.doc_id, None)
        return Added("new", frame.label, frame)

    def add_all(self, texts: Iterable[str]) -> list[Added]:
        return [self.add(t) for t in texts]

    @property
    def docs(self) -> dict[bytes, tuple[Frame, ...]]:
        """Every distinct frame read, by document id (in id order; frames by index, text)."""
        return {d: tuple(sorted(self._read[d].values(), key=lambda f: (f.index, f.text)))
                for d in sorted(self._read)}

    @property
    def documents(self) -> list[bytes]:
        """The document ids read, sorted."""
        return sorted(self._read)

    def judgement(self, doc_id: bytes | None = None) -> Judgement:
        """The decision over every frame read of `doc_id` (or of the only document read)."""
        doc = self._doc_id(doc_id)
        if doc not in self._judged:
            self._judged[doc] = judge(doc, self._read[doc].values())
        return self._judged[doc]

    def _doc_id(self, doc_id: bytes | None) -> bytes:
        if doc_id is not None:
            if doc_id not in self._read:
                raise NotEnoughError("no QR frames of this document were read")
            return doc_id
        if not self._read:
            if self.rejected.get("unknown-version"):
                raise UnknownVersionError("the QR frames are of a format version this program "
                                          "does not know")
            damaged = self.rejected.get("damaged", 0)
            extra = f" ({damaged} damaged frame{'s' if damaged != 1 else ''} rejected)" if (
                damaged) else ""
            raise NotEnoughError(f"no paper2fa QR frames were read{extra}")
        if len(self._read) > 1:
            raise NotEnoughError(
                f"QR frames of {len(self._read)} different printouts were read",
                hint="scan the pages of one backup at a time",
            )
        return next(iter(self._read))

    def frame(self, doc_id: bytes, index: int) -> Frame | None:
        """The frame `index` (0-based) of a document, if read with one content only in the
        header group judged."""
        if doc_id not in self._read:
            return None
        header = self.judgement(doc_id).header
        found = [f for f in self._read[doc_id].values()
                 if f.index == index and header_of(f) == header]
        return found[0] if len(found) == 1 else None

    def missing(self, doc_id: bytes | None = None) -> Missing:
        """What is read and what is needed (for `doc_id`, or the only document read)."""
        doc = self._doc_id(doc_id)
        frames = self._read[doc].values()
        headers = {header_of(f) for f in frames}
        if doc not in self._judged and len(headers) == 1 and len(
                {f.index for f in frames}) == len(frames):
            # frames that all agree: the judgement would choose them, no need to decode yet
            (header,) = headers
            return _missing(doc, header, {f.index: f for f in frames},
                            block_shapes(header.payload_length, header.chunk_size))
        return self.judgement(doc).missing

    def is_complete(self, doc_id: bytes | None = None) -> bool:
        try:
            return self.missing(doc_id).complete
        except NotEnoughError:
            return False

    def finish_report(self, doc_id: bytes | None = None) -> Restored:
        """The payload, with how many data frames were rebuilt from parity."""
        judged = self.judgement(doc_id)
        if judged.restored is None:
            raise judged.error()
        return judged.restored

    def finish(self, doc_id: bytes | None = None) -> bytes:
        """The exact payload; NotEnoughError saying what is missing; DamagedError if it fails
        its checksum or the frames read disagree."""
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
        if len(pages) <= 1 or not all(collector.missing(d).complete for d in collector.documents):
            return False
        if len(collector.documents) != len({f.doc_id for page in pages for f in page}):
            return False
    return True
