"""The hostile corpus: recipes that make each bad input, deterministically from a seed.

Nothing large is committed: `materialize()` writes the files into .cache/fuzz/hostile (ignored
by git) the first time they are needed, and a stamp keeps them until the seed or GENERATOR
changes. Each recipe names its family (docs/bad-input.md), the targets it is fed to and a
reproducer name, which is its file name: `python -m tests.fuzz --only NAME` runs one again.

    .venv/bin/python -m tests.fuzz.corpus [--seed N] [--list]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import itertools
import json
import os
import random
import shutil
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import targets as T

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "fuzz"
GENERATOR = 3
"""Bump when a recipe changes, so cached corpora are rebuilt."""

DEFAULT_SEED = 20261
NOW = datetime(2026, 1, 15, tzinfo=UTC)


@dataclass(frozen=True)
class Recipe:
    name: str
    family: str
    targets: tuple[str, ...]
    make: Callable[[random.Random], bytes] | None = None
    special: str | None = None
    """For non-regular files: "dev-zero", "fifo", "folder", "dev-null"."""
    short: bool = True
    """Part of the short run in the default test suite."""
    short_targets: tuple[str, ...] | None = None
    """The targets of the short run, when fewer than `targets` (slow inputs)."""


# --- small valid documents to break -------------------------------------------------------------

def demo_vault(accounts: int = 3) -> Any:
    from toolkit.model import Account, Vault
    base = [
        Account(issuer="Example", name="alice@example.com", secret=b"0123456789abcdefghij"),
        Account(issuer="Bank", name="bob", secret=b"9876543210zyxwvutsrq", type="hotp",
                counter=7, digits=8, algorithm="SHA256", notes="note",
                recovery_codes=("aaaa-bbbb", "cccc-dddd")),
        Account(issuer="Steam", name="gamer", secret=b"steamsteamsteamsteam", type="steam"),
    ]
    more = [Account(issuer=f"Site {i}", name=f"user{i}", secret=bytes([i]) * 20)
            for i in range(3, accounts)]
    return Vault(tuple(base[:accounts] + more))


def _export(fmt: str) -> bytes:
    from toolkit.exporters import ExportOptions, export_vault
    options = ExportOptions(now=int(NOW.timestamp()), rng=random.Random(1))
    return export_vault(demo_vault(), fmt, options).data


def aegis_json() -> bytes:
    return _export("aegis")


def twofas_json() -> bytes:
    return _export("2fas")


def otpauth_list() -> bytes:
    return _export("otpauth")


def vault_json() -> bytes:
    from toolkit.model import vault_to_json
    return vault_to_json(demo_vault())


def andotp_json() -> bytes:
    entries = [{"secret": "GEZDGNBVGY3TQOJQ", "issuer": "Example", "label": "alice",
                "digits": 6, "type": "TOTP", "algorithm": "SHA1", "thumbnail": "Default",
                "last_used": 0, "used_frequency": 0, "period": 30, "tags": ["work"]},
               {"secret": "MFRGGZDFMZTWQ2LK", "issuer": "Bank", "label": "bob", "digits": 8,
                "type": "HOTP", "algorithm": "SHA256", "counter": 3, "tags": []}]
    return json.dumps(entries).encode()


def migration_uri() -> bytes:
    from toolkit import gauth_migration
    return gauth_migration.batches(list(demo_vault(2).accounts))[0].encode()


def _fixed_rng(seed: int) -> Callable[[int], bytes]:
    r = random.Random(seed)
    return lambda n: bytes(r.getrandbits(8) for _ in range(n))


def sealed_passphrase() -> bytes:
    from toolkit import envelope
    sealed = envelope.seal_with_passphrase(demo_vault(), T.PASSPHRASE,
                                           kdf=envelope.KDF_PROFILES["test"],
                                           rng=_fixed_rng(3), now=NOW)
    return sealed.to_bytes()


def split_result() -> Any:
    from toolkit import envelope, sharing
    return sharing.make_split(demo_vault(), 2, 3, scheme="pyshamir", rng=_fixed_rng(5), now=NOW,
                              kdf=envelope.KDF_PROFILES["test"])


def share_file() -> bytes:
    from toolkit import sharing
    return sharing.share_file_text(split_result(), 1).encode()


def slip39_share_file() -> bytes:
    from toolkit import envelope, sharing
    result = sharing.make_split(demo_vault(), 2, 3, scheme="slip39", rng=_fixed_rng(6), now=NOW,
                                kdf=envelope.KDF_PROFILES["test"])
    return sharing.share_file_text(result, 2).encode()


def share_words() -> bytes:
    return " ".join(split_result().shares[1].words()).encode()


def share_qr() -> bytes:
    return split_result().shares[2].qr_text().encode()


def otpauth_uri() -> bytes:
    return otpauth_list().splitlines()[1]


def frame_texts() -> bytes:
    from toolkit import frames
    payload = sealed_passphrase()
    texts = [f.text for f in frames.encode_frames(payload, "sealed", frames.doc_id_for(payload),
                                                  max_frame_bytes=120)]
    return "\n".join(texts).encode()


def text_fallback() -> bytes:
    from toolkit import textlines
    return textlines.encode_text(sealed_passphrase(), "sealed").encode()


def typed_text() -> bytes:
    from toolkit import otp
    from toolkit.model import Account
    from toolkit.secret_lines import secret_lines
    account = Account(issuer="Example", name="alice", secret=b"0123456789abcdefghij")
    at = 1768435200
    lines = secret_lines(account.secret_base32)
    secret = "\n".join(f"  {ln.text} {ln.check}" for ln in lines).lstrip()
    code = otp.check_code(account, at).code
    return (f"issuer: Example\nname: alice\nsecret: {secret}\ncheck: {code} at {at}\n").encode()


TEMPLATES: dict[str, tuple[Callable[[], bytes], tuple[str, ...]]] = {
    "aegis.json": (aegis_json, ("import", "import:aegis")),
    "2fas.2fas": (twofas_json, ("import", "import:2fas")),
    "vault.json": (vault_json, ("import", "import:paper2fa")),
    "andotp.json": (andotp_json, ("import", "import:andotp")),
    "otpauth.txt": (otpauth_list, ("import", "import:otpauth")),
    "otpauth-uri.txt": (otpauth_uri, ("import", "otpauth")),
    "migration.txt": (migration_uri, ("import", "import:google-migration", "migration")),
    "sealed.p2fa": (sealed_passphrase, ("sealed", "sealed.open")),
    "share.txt": (share_file, ("share.file", "recovery.inputs")),
    "share-words.txt": (share_words, ("share", "share.file", "recovery.inputs")),
    "share-qr.txt": (share_qr, ("share", "share.file", "recovery.inputs")),
    "slip39-share.txt": (slip39_share_file, ("share.file", "recovery.inputs")),
    "frames.txt": (frame_texts, ("frames",)),
    "text-fallback.txt": (text_fallback, ("textlines", "recovery.inputs")),
    "typed.txt": (typed_text, ("typed",)),
}
"""Valid documents (made with paper2fa's own code, so no sample is needed) that the mutators
break; each with the targets that read it."""

JSON_TEMPLATES = ("aegis.json", "2fas.2fas", "vault.json", "andotp.json")


# --- JSON ---------------------------------------------------------------------------------------

def deep_list(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def deep_dict(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


def _deep_inside(template: bytes, key: str, depth: int) -> bytes:
    doc = json.loads(template)
    marker = "@@DEEP@@"
    _set_first_key(doc, key, marker)
    text = json.dumps(doc).encode()
    return text.replace(json.dumps(marker).encode(), deep_list(depth))


def _set_first_key(node: Any, key: str, value: Any) -> bool:
    if isinstance(node, dict):
        if key in node:
            node[key] = value
            return True
        return any(_set_first_key(v, key, value) for v in node.values())
    if isinstance(node, list):
        return any(_set_first_key(v, key, value) for v in node)
    return False


def json_paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a node (dict keys and list indices), parents before children."""
    if prefix:
        yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from json_paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from json_paths(v, (*prefix, i))


SWAPS: dict[str, Any] = {
    "list": [], "dict": {}, "str": "x", "int": 5, "null": None, "float": 1.5, "bool": True,
    "surrogate": "\ud800", "huge": "@@HUGE@@", "inf": "@@INF@@", "negative": -1,
    "big": 2**64,
}
"""What a node is replaced with; @@...@@ markers are written raw (not valid json.dumps)."""

_RAW = {'"@@HUGE@@"': "9" * 4000, '"@@INF@@"': "1e999"}


def swapped(template: bytes, path: tuple[Any, ...], swap: str) -> bytes:
    doc = json.loads(template)
    node = doc
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = SWAPS[swap]
    text = json.dumps(doc, ensure_ascii=True)
    for marker, raw in _RAW.items():
        text = text.replace(marker, raw)
    return text.encode()


def _swap_recipes(rng: random.Random, short_each: int) -> list[Recipe]:
    out: list[Recipe] = []
    for tname in JSON_TEMPLATES:
        make, feeds = TEMPLATES[tname]
        template = make()
        paths = list(json_paths(json.loads(template)))
        combos = [(i, s) for i in range(len(paths)) for s in SWAPS]
        chosen = set(rng.sample(range(len(combos)), min(short_each, len(combos))))
        for n, (i, s) in enumerate(combos):
            path = paths[i]
            where = ".".join(str(p) for p in path)
            out.append(Recipe(
                f"swap-{tname}--{where}--{s}", "json-type-swap", feeds,
                lambda r, template=template, path=path, s=s: swapped(template, path, s),
                short=n in chosen))
    return out


# --- zips ---------------------------------------------------------------------------------------

def _zip(members: list[tuple[str, bytes]], level: int = 9) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()


def zip_bomb(member: str, size: int) -> bytes:
    """A zip whose one member inflates to `size` zero bytes (about size/1000 compressed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z, z.open(member, "w",
                                                                      force_zip64=True) as f:
        chunk = bytes(1 << 20)
        for _ in range(size >> 20):
            f.write(chunk)
    return buf.getvalue()


def lying_zip(member: str, real: int, claimed: int) -> bytes:
    """A zip whose member says it is `claimed` bytes long but inflates to `real` bytes."""
    data = zip_bomb(member, real)
    # patch the uncompressed size in the local header and the central directory
    small = struct.pack("<I", claimed)
    out = bytearray(data)
    local = out.find(b"PK\x03\x04")
    central = out.find(b"PK\x01\x02")
    for at in (local + 22, central + 24):
        if out[at:at + 4] != b"\xff\xff\xff\xff":
            out[at:at + 4] = small
    return bytes(out)


def uri_lines(count: int, distinct: bool) -> bytes:
    line = "otpauth://totp/a{}?secret=GEZDGNBV\n"
    if distinct:
        return "".join(line.format(i) for i in range(count)).encode()
    return (line.format("") * count).encode()


def removed_bytes(data: bytes, count: int, rng: random.Random) -> list[tuple[int, bytes]]:
    """`count` copies of data each with one byte removed: at the ends, in the central directory
    and at random places."""
    places = {0, 4, 26, len(data) - 1, len(data) - 22, len(data) - 10}
    central = data.find(b"PK\x01\x02")
    if central > 0:
        places |= {central, central + 42, central + 46}
    while len(places) < count:
        places.add(rng.randrange(len(data)))
    return [(p, data[:p] + data[p + 1:]) for p in sorted(places)[:count] if 0 <= p < len(data)]


# --- images and PDFs ----------------------------------------------------------------------------

def pdf(pages: list[tuple[float, float]]) -> bytes:
    """A minimal valid PDF with blank pages of the given sizes (points)."""
    objects: list[bytes] = []
    kids = " ".join(f"{3 + i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    for w, h in pages:
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w:g} {h:g}] >>".encode())
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
            .encode())
    return bytes(out)


def png(width: int, height: int, rows: bool = True) -> bytes:
    """A grayscale PNG, all white; rows=False writes the header of that size with no pixels."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    comp = zlib.compressobj(9)
    idat = bytearray()
    if rows:
        row = b"\x00" + b"\xff" * width
        block = row * 64
        for _ in range(height // 64):
            idat += comp.compress(block)
        idat += comp.compress(row * (height % 64))
    idat += comp.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", bytes(idat))
            + chunk(b"IEND", b""))


def tiff(frames: list[tuple[int, int, bytes | None]]) -> bytes:
    """A little-endian multi-page 8-bit grayscale TIFF; a frame's data None points past the end
    of the file (a corrupt strip)."""
    out = bytearray(b"II*\x00\x00\x00\x00\x00")
    ifd_offsets: list[int] = []
    data_offsets: list[int] = []
    for _, _, data in frames:
        data_offsets.append(len(out))
        if data is not None:
            out += data
            if len(out) % 2:
                out += b"\x00"
    for i, (w, h, data) in enumerate(frames):
        ifd_offsets.append(len(out))
        size = len(data) if data is not None else w * h
        where = data_offsets[i] if data is not None else 0x7FFFFFF0
        tags = [(256, 4, 1, w), (257, 4, 1, h), (258, 3, 1, 8), (259, 3, 1, 1),
                (262, 3, 1, 1), (273, 4, 1, where), (277, 3, 1, 1), (278, 4, 1, h),
                (279, 4, 1, size)]
        out += struct.pack("<H", len(tags))
        for tag, kind, count, value in tags:
            if kind == 3:
                out += struct.pack("<HHIHH", tag, kind, count, value, 0)
            else:
                out += struct.pack("<HHII", tag, kind, count, value)
        out += b"\x00\x00\x00\x00"  # next IFD, patched below
    struct.pack_into("<I", out, 4, ifd_offsets[0])
    for i in range(len(ifd_offsets) - 1):
        entries = struct.unpack_from("<H", out, ifd_offsets[i])[0]
        struct.pack_into("<I", out, ifd_offsets[i] + 2 + 12 * entries, ifd_offsets[i + 1])
    return bytes(out)


def deflated_repeat(unit: bytes, size: int) -> bytes:
    """zlib data inflating to `size` bytes of `unit` repeated: about size/1000 bytes, made in a
    fraction of a second. Each MiB is compressed after a full flush (an empty dictionary), so
    its compressed bytes are the same every time and are written out, not computed again.
    The length of `unit` divides a MiB."""
    assert (1 << 20) % len(unit) == 0, "a unit whose length divides a MiB"
    block = unit * ((1 << 20) // len(unit))
    blocks, rest = divmod(size, len(block))
    comp = zlib.compressobj(9)
    out = bytearray()
    if blocks:
        out += comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)  # with the zlib header
    if blocks > 1:
        again = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
        out += again * (blocks - 1)
    out += comp.compress(block[:rest]) + comp.flush()
    checksum = 1
    for _ in range(blocks):
        checksum = zlib.adler32(block, checksum)
    checksum = zlib.adler32(block[:rest], checksum)
    out[-4:] = checksum.to_bytes(4, "big")  # the compressor saw only two of the blocks
    return bytes(out)


def tiff_shared_strip(width: int, height: int, frames: int) -> bytes:
    """A TIFF of `frames` white 8-bit grayscale frames of width x height, every frame's one
    Deflate strip the same bytes (written once): 12 frames of 144 megapixels in 150 KB."""
    strip = deflated_repeat(b"\xff", width * height)
    out = bytearray(b"II*\x00\x00\x00\x00\x00") + strip
    if len(out) % 2:
        out += b"\x00"
    tags = [(256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 8), (262, 3, 1),
            (273, 4, 8), (277, 3, 1), (278, 4, height), (279, 4, len(strip))]
    ifds = []
    for _ in range(frames):
        ifds.append(len(out))
        out += struct.pack("<H", len(tags))
        for tag, kind, value in tags:
            out += struct.pack("<HHIHH" if kind == 3 else "<HHII", tag, kind, 1, value,
                               *((0,) if kind == 3 else ()))
        out += b"\x00\x00\x00\x00"
    struct.pack_into("<I", out, 4, ifds[0])
    for this, following in itertools.pairwise(ifds):
        struct.pack_into("<I", out, this + 2 + 12 * len(tags), following)
    return bytes(out)


def pdf_inflating(size: int, unit: bytes = b" ") -> bytes:
    """A one-page PDF whose content stream (FlateDecode) inflates to `size` bytes of `unit`
    repeated: 1 GiB of spaces in a 1 MB file."""
    body = deflated_repeat(unit, size)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body
               + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += (b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, xref))
    return bytes(out)


def aegis_many_entries(count: int) -> bytes:
    """A plain Aegis export of `count` short entries (400,000 are 45 MB, 3.2 million values)."""
    entry = ('{"type":"totp","uuid":"%08d","name":"u%d","issuer":"Issuer","info":'
             '{"secret":"JBSWY3DPEHPK3PXP","digits":6}}')
    entries = ",".join(entry % (i, i) for i in range(count))
    return ('{"version":1,"header":{"slots":null,"params":null},"db":{"version":2,"entries":['
            + entries + "]}}").encode()


def json_many_keys(count: int) -> bytes:
    """One JSON object of `count` keys, each holding a small number."""
    return ("{" + ",".join(f'"k{i}":{i % 10}' for i in range(count)) + "}").encode()


def small_frame(seed: int) -> tuple[int, int, bytes]:
    return 16, 16, bytes((seed * 7 + i) % 256 for i in range(256))


# --- sealed vaults, migration payloads, URIs, typed text ------------------------------------------

def sealed_with_kdf(log_n: int, r: int, p: int) -> bytes:
    """A passphrase-sealed vault whose header asks for other scrypt costs (check hash redone)."""
    from toolkit import envelope
    sealed = envelope.SealedVault.from_bytes(sealed_passphrase())
    header = replace(sealed.header, kdf=envelope.KdfParams(log_n, r, p))
    return envelope.SealedVault(header, sealed.ciphertext).to_bytes()


def video(seconds: list[float]) -> bytes:
    """A tiny video (32x32 MJPEG in Matroska) whose frames are shown at `seconds`."""
    import fractions

    import av
    from PIL import Image

    millisecond = fractions.Fraction(1, 1000)
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="matroska") as out:
        stream = out.add_stream("mjpeg", rate=30)
        stream.width, stream.height = 32, 32
        stream.pix_fmt = "yuvj420p"
        stream.time_base = millisecond
        out.start_encoding()
        for number, at in enumerate(seconds):
            frame = av.VideoFrame.from_image(Image.new("RGB", (32, 32), (number * 40, 0, 0)))
            frame.pts, frame.time_base = round(at * 1000), millisecond
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return buffer.getvalue()


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def protobuf_many_accounts(count: int) -> bytes:
    account = (b"\x0a\x0a" + b"0123456789" + b"\x12\x05alice" + b"\x1a\x07Example"
               + b"\x20\x01\x28\x01\x30\x02")
    entry = b"\x0a" + varint(len(account)) + account
    return entry * count


def protobuf_oddities() -> dict[str, bytes]:
    return {
        "length-2**63": b"\x0a" + varint(2**63),
        "varint-100-bytes": b"\x10" + b"\xff" * 100 + b"\x01",
        "field-0": b"\x00\x01",
        "wire-type-7": b"\x0f\x01",
        "nested-garbage": b"\x0a\x03\x0a\x01",
        "group-wire-3": b"\x0b" * 10000,
    }


def migration_text(payload: bytes) -> bytes:
    import base64
    return b"otpauth-migration://offline?data=" + base64.b64encode(payload)


URI_ODDITIES = {
    "digits-underscore": "otpauth://totp/A:b?secret=GEZDGNBV&digits=1_0",
    "period-arabic": "otpauth://totp/A:b?secret=GEZDGNBV&period=\u0663\u0660",
    "period-fullwidth": "otpauth://totp/A:b?secret=GEZDGNBV&period=\uff13\uff10",
    "period-zero": "otpauth://totp/A:b?secret=GEZDGNBV&period=0",
    "period-negative": "otpauth://totp/A:b?secret=GEZDGNBV&period=-30",
    "digits-huge": "otpauth://totp/A:b?secret=GEZDGNBV&digits=99999999999999999999",
    "digits-4000": "otpauth://totp/A:b?secret=GEZDGNBV&digits=" + "9" * 4400,
    "counter-2**70": f"otpauth://hotp/A:b?secret=GEZDGNBV&counter={2**70}",
    "counter-negative": "otpauth://hotp/A:b?secret=GEZDGNBV&counter=-1",
    "secret-twice": "otpauth://totp/A:b?secret=GEZDGNBV&secret=MFRGGZDF",
    "algorithm-md5": "otpauth://totp/A:b?secret=GEZDGNBV&algorithm=MD5",
    "label-surrogate": "otpauth://totp/%ED%A0%80:b?secret=GEZDGNBV",
    "issuer-surrogate-escape": "otpauth://totp/A:b?secret=GEZDGNBV&issuer=\udcff",
    "secret-empty": "otpauth://totp/A:b?secret=",
    "secret-padding-only": "otpauth://totp/A:b?secret=========",
    "no-netloc": "otpauth:///A:b?secret=GEZDGNBV",
    "ipv6-netloc": "otpauth://[::1/A:b?secret=GEZDGNBV",
    "steam-empty": "steam://",
    "issuer-10000": "otpauth://totp/A:b?secret=GEZDGNBV&issuer=" + "I" * 10000,
}


TYPED_ODDITIES = {
    "check-at-huge": "issuer: A\nsecret: {s}\ncheck: 123456 at 99999999999999999999999\n",
    "check-at-4400-digits": "issuer: A\nsecret: {s}\ncheck: 123456 at " + "9" * 4400 + "\n",
    "digits-huge": "issuer: A\nsecret: {s}\ncheck: 123456 at 1768435200\ndigits: 99999999999\n",
    "digits-zero": "issuer: A\nsecret: {s}\ncheck: 123456 at 1768435200\ndigits: 0\n",
    "period-zero": "issuer: A\nsecret: {s}\ncheck: 123456 at 1768435200\nperiod: 0\n",
    "counter-negative": "issuer: A\ntype: hotp\nsecret: {s}\ncheck: 123456\ncounter: -5\n",
    "counter-2**70": "issuer: A\ntype: hotp\nsecret: {s}\ncheck: 123456\ncounter: "
                     + str(2**70) + "\n",
    "type-odd": "issuer: A\ntype: steam2\nsecret: {s}\ncheck: 123456 at 1\n",
    "algorithm-md5": "issuer: A\nsecret: {s}\ncheck: 123456 at 1\nalgorithm: MD5\n",
    "no-colon": "just some words\n",
    "continuation-first": "  indented first line\nsecret: x\n",
}


MESSAGE_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"


def message_inputs() -> dict[str, bytes]:
    """Secrets and terminal-driving text where share words, share files or typed secrets are
    expected (issue 21): each must end in a valid result or a documented error whose message
    repeats no secret, holds no raw control character and is short (tests/fuzz/messages.py)."""
    words = share_words().decode().split()
    typo = list(words)
    typo[4] = typo[4][:-1] + ("x" if typo[4][-1] != "x" else "z")
    control = [*words[:2], "\x1b[2J\x1b[H", *words[3:]]
    s = MESSAGE_SECRET
    texts = {
        "otpauth-uri": f"otpauth://totp/Ex:me?secret={s}\n",
        "migration-link": "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SBGRlbW8\n",
        "base32-secret": f"{s}\n",
        "base32-grouped": "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXQ\n",
        "recovery-codes": "1a2b-3c4d-5e6f\n9z8y-7x6w-5v4u\n",
        "hex-secret": "31323334353637383930313233343536\n",
        "share-word-typo": " ".join(typo) + "\n",
        "share-word-escape": " ".join(control) + "\n",
        "share-words-100": "academic " * 100 + "\n",
        "slip39-bad-checksum": "academic " * 20 + "\n",
        "wide-10000": "\u4e2d" * 10_000 + "\n",
        "escapes-10000": "\x1b[2J\u202e\n" * 10_000,
        "typed-secret-not-a-field": f"issuer: A\n{s}\n",
        "typed-secret-as-field": f"{s}: x\nsecret: MFRGGZDF\ncheck: 123456 @ 1\n",
        "typed-check-letters-long": "secret: MFRGGZDF\ncheck: 123456 @ 1\ncheck-letters: "
                                    + "x" * 10_000 + "\x1b[2J\n",
        "typed-type-secret": f"secret: MFRGGZDF\ncheck: 123456 @ 1\ntype: {s}\n",
        "uri-type-10000": "otpauth://" + "t" * 10_000 + f"/A:b?secret={s}\n",
        "uri-algorithm-escapes": f"otpauth://totp/A:b?secret={s}&algorithm="
                                 + "%1B%5B2J" * 1000 + "\n",
    }
    out = {name: text.encode() for name, text in texts.items()}
    out["line-4mib"] = b"A" * (4 << 20) + b"\n"
    return out


MESSAGE_TARGETS = ("share", "share.file", "recovery.inputs", "typed", "textlines", "frames",
                   "otpauth", "import")


# --- the recipe list ------------------------------------------------------------------------------

def recipes(seed: int = DEFAULT_SEED) -> list[Recipe]:
    """Every hostile input, in a fixed order (a seed only picks random places and bytes)."""
    rng = random.Random(seed)
    out: list[Recipe] = []
    every = tuple(T.EVERY_IMPORTER)
    text = tuple(T.TEXT)

    # JSON nested deeply, alone and inside real formats
    for depth in (1000, 100_000):
        out.append(Recipe(f"json-deep-list-{depth}.json", "json-deep-nesting",
                          every + text + ("sealed",), lambda r, d=depth: deep_list(d)))
        out.append(Recipe(f"json-deep-dict-{depth}.json", "json-deep-nesting", every,
                          lambda r, d=depth: deep_dict(d)))
    for tname, key in (("aegis.json", "entries"), ("2fas.2fas", "services"),
                       ("vault.json", "accounts"), ("andotp.json", "tags")):
        make, feeds = TEMPLATES[tname]
        out.append(Recipe(f"json-deep-in-{tname}", "json-deep-nesting", every,
                          lambda r, m=make, k=key: _deep_inside(m(), k, 100_000)))
    # JSON type changes, lone surrogates and huge numbers at every node of every template
    out += _swap_recipes(rng, short_each=40)
    # huge numbers and lone surrogates in otpauth URIs
    for label, line in URI_ODDITIES.items():
        out.append(Recipe(f"uri-{label}.txt", "uri-oddities", ("import", "otpauth", "sniff"),
                          lambda r, t=line: t.encode("utf-8", "surrogateescape")))
    # typed secrets with odd numbers
    typed = typed_text().decode()
    secret_part = typed.split("secret: ", 1)[1].split("\ncheck")[0]
    for label, body in TYPED_ODDITIES.items():
        out.append(Recipe(f"typed-{label}.txt", "typed-oddities", ("typed",),
                          lambda r, b=body: b.replace("{s}", secret_part).encode()))
    # zips: bombs, lying sizes, millions of URIs, a byte removed
    out.append(Recipe("zip-bomb-1gib-winauth.zip", "zip-bomb", every,
                      lambda r: zip_bomb("winauth-export.txt", 1 << 30)))
    out.append(Recipe("zip-bomb-1gib-accounts.zip", "zip-bomb", every,
                      lambda r: zip_bomb("Accounts.txt", 1 << 30)))
    out.append(Recipe("zip-lying-size-winauth.zip", "zip-bomb", every,
                      lambda r: lying_zip("winauth-export.txt", 256 << 20, 1000)))
    out.append(Recipe("zip-winauth-1.5m-uris.zip", "many-entries", ("import", "import:winauth"),
                      lambda r: _zip([("winauth-export.txt", uri_lines(1_500_000, False))]),
                      short_targets=("import:winauth",)))
    out.append(Recipe("zip-accounts-1.5m-uris.zip", "many-entries",
                      ("import", "import:authenticator-plus"),
                      lambda r: _zip([("Accounts.txt", uri_lines(1_500_000, False))]),
                      short_targets=("import:authenticator-plus",)))
    small_zip = _zip([("Accounts.txt", otpauth_list())])
    for pos, broken in removed_bytes(small_zip, 10, rng):
        out.append(Recipe(f"zip-accounts-removed-byte-{pos}.zip", "zip-byte-removed", every,
                          lambda r, b=broken: b))
    win_zip = _zip([("winauth-2026.txt", otpauth_list())])
    for pos, broken in removed_bytes(win_zip, 6, rng):
        out.append(Recipe(f"zip-winauth-removed-byte-{pos}.zip", "zip-byte-removed", every,
                          lambda r, b=broken: b))
    # URI lists with millions of entries
    out.append(Recipe("uri-list-1.5m-same.txt", "many-entries", ("import", "import:otpauth"),
                      lambda r: uri_lines(1_500_000, False), short_targets=("import:otpauth",)))
    out.append(Recipe("uri-list-1m-distinct.txt", "many-entries",
                      ("import", "import:otpauth"), lambda r: uri_lines(1_000_000, True),
                      short=False))
    out.append(Recipe("uri-10mb-issuer.txt", "many-entries", ("import", "otpauth"),
                      lambda r: b"otpauth://totp/A:b?secret=GEZDGNBV&issuer="
                      + b"x" * 10_000_000))
    out.append(Recipe("migration-100k-accounts.txt", "many-entries",
                      ("import", "migration"),
                      lambda r: migration_text(protobuf_many_accounts(100_000))))
    out.append(Recipe("migration-data-20mb.txt", "many-entries", ("import", "migration"),
                      lambda r: b"otpauth-migration://offline?data=" + b"A" * 20_000_000))
    for label, payload in protobuf_oddities().items():
        out.append(Recipe(f"protobuf-{label}.bin", "protobuf-oddities",
                          ("migration.payload", "migration", "import"),
                          lambda r, p=payload: p))
        out.append(Recipe(f"migration-{label}.txt", "protobuf-oddities", ("migration", "import"),
                          lambda r, p=payload: migration_text(p)))
    # sealed vaults asking for absurd or maximal work
    out.append(Recipe("sealed-kdf-1gib.p2fa", "sealed-kdf", ("sealed", "sealed.open", "import"),
                      lambda r: sealed_with_kdf(20, 8, 1)))
    out.append(Recipe("sealed-kdf-512mib-p2.p2fa", "sealed-kdf", ("sealed", "sealed.open"),
                      lambda r: sealed_with_kdf(19, 8, 2)))
    out.append(Recipe("sealed-kdf-128mib-p8.p2fa", "sealed-kdf", ("sealed", "sealed.open"),
                      lambda r: sealed_with_kdf(17, 8, 8)))
    out.append(Recipe("sealed-kdf-default.p2fa", "sealed-kdf", ("sealed", "sealed.open"),
                      lambda r: sealed_with_kdf(17, 8, 1)))
    # binary files where text is expected
    out.append(Recipe("binary-random-4k.bin", "binary-as-text", every + text,
                      lambda r: bytes(r.getrandbits(8) for _ in range(4096))))
    out.append(Recipe("binary-nul-1k.txt", "binary-as-text", every + text, lambda r: bytes(1024)))
    out.append(Recipe("binary-latin1.txt", "binary-as-text", every + text,
                      lambda r: "otpauth://totp/Café:é?secret=GEZDGNBV\nwörds\n".encode("latin-1")))
    out.append(Recipe("binary-utf16.txt", "binary-as-text", every + text,
                      lambda r: otpauth_list().decode().encode("utf-16")))
    out.append(Recipe("binary-png-as-text.txt", "binary-as-text", every + text,
                      lambda r: png(8, 8)))
    # images and PDFs that cost too much or are damaged
    images = (*T.IMAGES, "import", "import:qr-image")
    few = ("scan.images_of", "scan.read_page")
    out.append(Recipe("pdf-page-14400pt.pdf", "pdf-huge-page", images,
                      lambda r: pdf([(14400, 14400)]),
                      short_targets=few))
    out.append(Recipe("pdf-1000-blank-pages.pdf", "pdf-many-pages", images,
                      lambda r: pdf([(595, 842)] * 1000),
                      short_targets=few))
    out.append(Recipe("pdf-truncated.pdf", "pdf-damaged", images,
                      lambda r: pdf([(595, 842)] * 3)[:300]))
    out.append(Recipe("pdf-garbage.pdf", "pdf-damaged", images,
                      lambda r: b"%PDF-1.7\n" + bytes(r.getrandbits(8) for _ in range(2000))))
    out.append(Recipe("tiff-3000-frames.tif", "tiff-many-frames", images,
                      lambda r: tiff([small_frame(i) for i in range(3000)]),
                      short_targets=few))
    out.append(Recipe("tiff-huge-later-frame.tif", "tiff-bad-later-frame", images,
                      lambda r: tiff([small_frame(1), (60000, 60000, bytes(64))])))
    out.append(Recipe("tiff-corrupt-later-frame.tif", "tiff-bad-later-frame", images,
                      lambda r: tiff([small_frame(1), (16, 16, None)])))
    out.append(Recipe("tiff-zero-size-later-frame.tif", "tiff-bad-later-frame", images,
                      lambda r: tiff([small_frame(1), (0, 0, b"")])))
    # issue 21: memory and time on inputs that were accepted
    out.append(Recipe("pdf-content-inflates-1gib.pdf", "pdf-inflate-bomb", images,
                      lambda r: pdf_inflating(1 << 30), short_targets=("scan.images_of",)))
    out.append(Recipe("tiff-12-frames-144-megapixels.tif", "tiff-huge-frames", images,
                      lambda r: tiff_shared_strip(12_000, 12_000, 12),
                      short_targets=("scan.images_of",)))
    out.append(Recipe("aegis-400k-entries.json", "json-many-values", every,
                      lambda r: aegis_many_entries(400_000),
                      short_targets=("import", "import:aegis")))
    out.append(Recipe("json-1m-keys.json", "json-many-values", every,
                      lambda r: json_many_keys(1_000_000), short_targets=("import",)))
    out.append(Recipe("png-144-megapixels.png", "png-huge", images,
                      lambda r: png(12_000, 12_000),
                      short_targets=few))
    out.append(Recipe("png-bomb-header.png", "png-huge", images,
                      lambda r: png(100_000, 100_000, rows=False)))
    out.append(Recipe("png-truncated.png", "png-damaged", images, lambda r: png(64, 64)[:60]))
    # files that are not regular files, for the input reader
    for special in ("dev-zero", "fifo", "folder", "dev-null"):
        out.append(Recipe(f"special-{special}", "not-a-regular-file",
                          ("fsio.read_input", "fsio.read_secret_input"), special=special))
    # video files played in real time: frames hours apart, no frame at all, damaged
    out.append(Recipe("video-frames-hours-apart.mkv", "video-long-gaps", ("camera.video",),
                      lambda r: video([0.0, 5 * 3600.0, 10 * 3600.0])))
    out.append(Recipe("video-no-frame.mkv", "video-empty", ("camera.video",),
                      lambda r: video([])))
    out.append(Recipe("video-truncated.mkv", "video-empty", ("camera.video",),
                      lambda r: video([0.0, 0.1, 0.2])[:300]))
    # secrets and terminal-driving text where share words or typed secrets are expected
    for label, data in message_inputs().items():
        out.append(Recipe(f"message-{label}.txt", "message-echo", MESSAGE_TARGETS,
                          lambda r, d=data: d))
    # the valid templates themselves (each must give a valid result)
    for tname, (make, feeds) in TEMPLATES.items():
        out.append(Recipe(f"valid-{tname}", "valid", feeds, lambda r, m=make: m()))
    return out


# --- writing the files ----------------------------------------------------------------------------

def folder(seed: int) -> Path:
    return CACHE / "hostile" / f"seed-{seed}-v{GENERATOR}"


def materialize(recipe: Recipe, seed: int = DEFAULT_SEED) -> Path:
    """The file (or special file) of a recipe, made on first use."""
    base = folder(seed)
    base.mkdir(parents=True, exist_ok=True)
    if recipe.special == "dev-zero":
        return Path("/dev/zero")
    if recipe.special == "dev-null":
        return Path("/dev/null")
    path = base / recipe.name
    if recipe.special == "fifo":
        if not path.exists():
            os.mkfifo(path)
        return path
    if recipe.special == "folder":
        path.mkdir(exist_ok=True)
        return path
    if not path.is_file():
        assert recipe.make is not None
        rng = random.Random(f"{seed}:{recipe.name}")
        data = recipe.make(rng)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return path


def clean_other_seeds(seed: int) -> None:
    keep = folder(seed)
    parent = keep.parent
    if parent.is_dir():
        for child in parent.iterdir():
            if child != keep and child.is_dir():
                shutil.rmtree(child, ignore_errors=True)


def digest(path: Path) -> str:
    if not path.is_file():
        return "-"
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.corpus",
                                     description="write the hostile corpus into .cache/fuzz")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--list", action="store_true", help="list the recipes, write nothing")
    args = parser.parse_args(argv)
    for recipe in recipes(args.seed):
        if args.list:
            print(f"{recipe.family:24} {recipe.name}")
            continue
        path = materialize(recipe, args.seed)
        size = path.stat().st_size if path.is_file() else 0
        print(f"{recipe.family:24} {size:>12,} {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
