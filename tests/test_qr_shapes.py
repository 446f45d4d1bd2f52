"""Every QR code shape paper2fa can print is encoded by toolkit.render.qr and read back exactly.

Why: python-qrcode 8.2 raised ValueError("glog(0)") for any code with an all-zero Reed-Solomon
data block. A frame gets one when its chunk ends in a long run of zero padding: base45 writes
0x0000 as "000", and in QR alphanumeric mode "00" is eleven zero bits. Measured with qrcode 8.2:
465 of the 2241 frame shapes below fail, all of chunk size 367-370 (QR version 15) with at
least 73-78 bytes of padding (the ninth of the ten version-15-M blocks, 42 codewords, falls
wholly in the zeros); a document has such a last chunk when it has 74 or more data frames
(about 27 kB and up: the sealed vault of some 500 accounts with notes and recovery codes).

Which frames exist (toolkit.frames.encode_frames, docs/FORMAT.md section 4): a payload plus its
8-byte hash is a container of c bytes cut into d = ceil(c / 370) chunks of s = ceil(c / d)
bytes; only the last data chunk is padded, with p = d*s - c zero bytes. So:
- d = 1: s = c, 9 <= s <= 370, p = 0;
- d >= 2: (d-1)*370 < c <= d*370 gives p <= d - 1 and p <= 369 - d*(370 - s).
`frame_shapes` lists every (s, p) these allow (2241 pairs; d beyond 370 adds none, since p <= s-1
<= 369 already). Parity chunks are Reed-Solomon combinations of the data chunks, as long as
them, and have no padding, so their shapes are among the p = 0 ones; a frame's QR version
depends on s alone. Any payload of any size therefore prints only codes of these shapes, which
is why the slow end-to-end test (test_vault_sizes.py) only samples vault sizes.
"""

from __future__ import annotations

import random
import struct
import zlib
from collections.abc import Iterator

import pytest
import segno
import zxingcpp
from PIL import Image, ImageOps

from toolkit import envelope, frames
from toolkit.gauth_migration import batches
from toolkit.model import Account, Vault
from toolkit.render.qr import SHARE_ERROR_CORRECTION, QrCode, qr_code
from toolkit.sharing import SLIP39_QR_PREFIX, make_split
from toolkit.uri import build_otpauth

ALNUM_CAPACITY_M = (20, 38, 61, 90, 122, 154, 178, 221, 262, 311, 366, 419, 483, 528, 600)
"""QR alphanumeric characters at level M, versions 1-15 (ISO/IEC 18004 table 7)."""


def frame_shapes() -> list[tuple[int, int]]:
    """Every (chunk size, zero padding of the last data chunk) a document can have."""
    limit = frames.MAX_CHUNK_BYTES
    shapes = {(s, 0) for s in range(frames.HASH_BYTES + 1, limit + 1)}
    for d in range(2, limit + 1):
        for s in range(1, limit + 1):
            for p in range(min(d - 1, limit - 1 - d * (limit - s)) + 1):
                shapes.add((s, p))
    return sorted(shapes)


def frame_text(size: int, pad: int, fill: bytes, index: int = 0) -> str:
    """A frame of the given shape as encode_frames would make it, its real bytes `fill` (cut to
    size - pad) followed by `pad` zero bytes; decode_frame checks it is a valid frame."""
    chunk = fill[:size - pad] + bytes(pad)
    assert len(chunk) == size
    header = struct.pack(">BB8sIHH", frames.FRAME_VERSION, frames.FRAME_KINDS["sealed"],
                         bytes.fromhex("5f3a9c1e0b7d2468"), 10 * size, size, index)
    body = header + chunk
    body += zlib.crc32(body).to_bytes(4, "big")
    text = frames.FRAME_PREFIX + frames.base45_encode(body)
    assert frames.decode_frame(text).data == chunk
    return text


def read_back(code: QrCode) -> list[str]:
    """The code drawn at 2 pixels per module with its quiet zone, read by zxing-cpp."""
    matrix = code.matrix
    side = len(matrix)
    plain = Image.frombytes("L", (side, side),
                            bytes(0 if dark else 255 for row in matrix for dark in row))
    image = ImageOps.expand(plain, frames.QUIET_ZONE_MODULES, fill=255)
    image = image.resize((2 * image.width, 2 * image.height), Image.Resampling.NEAREST)
    return [b.text for b in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def alphanumeric_version(chars: int) -> int:
    return next(v for v, cap in enumerate(ALNUM_CAPACITY_M, start=1) if chars <= cap)


def check_frame(text: str) -> None:
    code = QrCode(text)
    assert read_back(code) == [text]
    # one alphanumeric segment at level M: the smallest version for the text's length, which
    # the page layout relies on (every frame of a document has the same size)
    assert code.modules == 17 + 4 * alphanumeric_version(len(text))


def patterns(seed: int) -> Iterator[tuple[str, bytes]]:
    rng = random.Random(seed)
    while True:
        yield "0xFF", b"\xff" * frames.MAX_CHUNK_BYTES
        yield "random", rng.randbytes(frames.MAX_CHUNK_BYTES)


def test_the_shapes_are_the_ones_encode_frames_makes() -> None:
    """The arithmetic above against encode_frames, for sampled payload sizes."""
    shapes = set(frame_shapes())
    assert len(shapes) == 2241
    rng = random.Random(7)
    print("seed 7")
    for length in [1, 361, 362, 363, 740, 27_000, 36_000, 136_000] + [
            rng.randrange(1, 140_000) for _ in range(40)]:
        c = length + frames.HASH_BYTES
        d = -(-c // frames.MAX_CHUNK_BYTES)
        s = -(-c // d)
        assert (s, d * s - c) in shapes
    for length in (1, 740, 5000, 30_000):
        made = frames.encode_frames(rng.randbytes(length), "sealed", b"\x01" * 8)
        data = [f for f in made if not f.is_parity]
        s = data[0].chunk_size
        p = len(data) * s - (length + frames.HASH_BYTES)
        assert all(len(f.data) == s for f in made)
        assert (s, p) in shapes and data[-1].data.endswith(bytes(p))


def test_every_chunk_size_all_zero_reads_back() -> None:
    """The zero-heavy worst case, for every chunk size (so every QR version frames use): a
    chunk of zeros only, which makes every Reed-Solomon block that can be zero, zero."""
    for size in sorted({s for s, _ in frame_shapes()}):
        check_frame(frame_text(size, size - 1, b"\x00" * size))


@pytest.mark.parametrize("seed", [20261207])
def test_each_frame_version_full_and_most_padded_reads_back(seed: int) -> None:
    """For each QR version frames use, its smallest and largest chunk size, full of 0xFF-heavy
    and of random data, and with the most padding that size can have."""
    print(f"seed {seed}")
    most: dict[int, int] = {}
    for s, p in frame_shapes():
        most[s] = max(most.get(s, 0), p)
    by_version: dict[int, list[int]] = {}
    for size in most:
        chars = len(frame_text(size, 0, bytes(size)))
        by_version.setdefault(alphanumeric_version(chars), []).append(size)
    assert sorted(by_version) == list(range(3, 16))  # versions 3-15
    data = patterns(seed)
    for sizes in by_version.values():
        for size in (min(sizes), max(sizes)):
            for _ in range(2):
                fill = next(data)[1]
                check_frame(frame_text(size, 0, fill))
                if most[size]:
                    check_frame(frame_text(size, most[size], fill))


@pytest.mark.parametrize("seed", [20261209])
def test_the_mask_is_the_one_segno_chooses(seed: int) -> None:
    """toolkit.render.qr chooses the mask itself (segno's choice, made faster): the matrix is
    segno's own, module for module, for each frame version (3-15) with data of each kind, an
    all-zero chunk, and short texts at level H (shares), so no mask goes untried."""
    print(f"seed {seed}")
    rng = random.Random(seed)
    texts = [(frame_text(size, 0, rng.choice((rng.randbytes(size), b"\xff" * size))), "M")
             for size in (9, 21, 45, 64, 85, 107, 125, 155, 184, 218, 250, 286, 327, 370)]
    texts += [(frame_text(370, 369, bytes(370)), "M"), ("0", "M"), ("P2FA", "H")]
    texts += [("".join(rng.choice("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
                       for _ in range(rng.randrange(1, 120))), "H") for _ in range(12)]
    chosen = set()
    for text, ec in texts:
        ours = QrCode(text, ec).matrix
        theirs = segno.make_qr(text, error=ec, mode="alphanumeric", boost_error=False)
        assert ours == [[bool(v) for v in row] for row in theirs.matrix], (text, ec)
        chosen.add(theirs.mask)
    assert len(chosen) >= 5, chosen  # the comparison covered most masks


_LIGHT_DARK = bytes([255, 0]) + bytes(254)
"""segno's modules (1 dark, 0 light) as grey levels."""


def read_back_with_mask_0(text: str) -> list[str]:
    """`text` encoded by segno as toolkit.render.qr has it encode a frame (one alphanumeric
    segment, level M, the smallest version; data, Reed-Solomon blocks and placement), under
    mask 0 instead of the mask toolkit.render.qr then chooses, and read back as `read_back`
    reads. Choosing among the eight masks is more than half of the work of encoding a frame and
    does not depend on the frame's shape: it is checked against segno's own choice
    (`test_the_mask_is_the_one_segno_chooses`) and run for every chunk size by the other tests
    here."""
    code = segno.make_qr(text, error="M", mode="alphanumeric", mask=0, boost_error=False)
    assert code.version == alphanumeric_version(len(text)) and code.mask == 0
    side = len(code.matrix)
    plain = Image.frombytes("L", (side, side), b"".join(code.matrix).translate(_LIGHT_DARK))
    image = ImageOps.expand(plain, frames.QUIET_ZONE_MODULES, fill=255)
    image = image.resize((2 * image.width, 2 * image.height), Image.Resampling.NEAREST)
    return [b.text for b in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


FULL_PATH_EVERY = 16
"""One shape in this many (in order) also goes through toolkit.render.qr whole, its chosen
mask included (`check_frame`)."""


@pytest.mark.slow
@pytest.mark.parametrize("seed", [20261208])
def test_every_frame_shape_reads_back(seed: int) -> None:
    """All 2241 shapes, every fill of every chunk size, 0xFF-heavy and random by turns: each
    encoded (Reed-Solomon blocks included, where python-qrcode failed) and read back; one in
    FULL_PATH_EVERY through toolkit.render.qr with its mask choice as well."""
    print(f"seed {seed}")
    data = patterns(seed)
    for number, (size, pad) in enumerate(frame_shapes()):
        text = frame_text(size, pad, next(data)[1])
        assert read_back_with_mask_0(text) == [text], (size, pad)
        if number % FULL_PATH_EVERY == 0:
            check_frame(text)


def test_share_codes_at_their_largest_read_back() -> None:
    vault = Vault((Account(issuer="Example", name="a", secret=b"\x00" * 20),))
    for scheme in ("pyshamir", "slip39"):
        split = make_split(vault, 3, 16, scheme=scheme, kdf=envelope.KDF_PROFILES["test"])
        for share in split.shares[:3]:
            text = share.qr_text()
            code = QrCode(text, SHARE_ERROR_CORRECTION)
            assert read_back(code) == [text]
    # the largest SLIP-39 share: a 256-bit secret is 33 words
    text = SLIP39_QR_PREFIX + " ".join(["academic"] * 33).upper()
    assert read_back(QrCode(text, SHARE_ERROR_CORRECTION)) == [text]


@pytest.mark.parametrize("seed", [20261209])
def test_account_codes_at_their_largest_read_back(seed: int) -> None:
    """otpauth URIs from small to the largest that fits one code, secrets all zero, all 0xFF
    and random; one more character is refused cleanly (AccountError)."""
    print(f"seed {seed}")
    rng = random.Random(seed)
    secrets = [b"\x00" * 64, b"\xff" * 64, rng.randbytes(64), rng.randbytes(20)]
    for secret in secrets:
        for name_length in (1, 60, 400, 1200):
            account = Account(issuer="Example Bank", name="n" * name_length, secret=secret,
                              algorithm="SHA512", digits=8)
            text = build_otpauth(account)
            assert read_back(qr_code(text, "test")) == [text]
    # the largest: grow the name until the code no longer fits
    base = Account(issuer="X", name="", secret=rng.randbytes(64))
    low, high = 1, 4000
    while low < high:
        mid = (low + high + 1) // 2
        try:
            qr_code(build_otpauth(Account(issuer="X", name="n" * mid, secret=base.secret)), "t")
            low = mid
        except Exception:
            high = mid - 1
    text = build_otpauth(Account(issuer="X", name="n" * low, secret=base.secret))
    assert read_back(qr_code(text, "test")) == [text]
    from toolkit.errors import AccountError
    with pytest.raises(AccountError):
        qr_code(build_otpauth(Account(issuer="X", name="n" * (low + 1), secret=base.secret)),
                "test")


@pytest.mark.parametrize("seed", [20261210])
def test_google_migration_codes_at_their_largest_read_back(seed: int) -> None:
    print(f"seed {seed}")
    rng = random.Random(seed)
    accounts = [Account(issuer="I" * 40, name=f"user{i}@" + "e" * 60, secret=rng.randbytes(64))
                for i in range(12)]
    zeros = [Account(issuer="Z", name=f"z{i}", secret=b"\x00" * 64) for i in range(10)]
    for uri in batches(accounts) + batches(zeros):
        assert read_back(qr_code(uri, "transfer code")) == [uri]
