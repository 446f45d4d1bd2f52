"""Text fallback: a payload as numbered base32 lines, each with a CRC-24, for typing back by hand.

Used when every QR code of a sealed vault is lost. Each line's checksum covers its number and
its bytes, so a mistyped, missing or swapped line is named exactly; a SHA-256 line checks the
whole. The format is specified in docs/FORMAT.md, section 5.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from typing import Final

from toolkit.errors import FormatError, UnknownVersionError

TEXT_MAGIC: Final = "P2F-TEXT"
TEXT_VERSION: Final = 1
LINE_BYTES: Final = 20
"""Bytes per line: 32 base32 characters, typed as 4 groups of 8."""
GROUP: Final = 8
HASH_BYTES: Final = 10
"""The whole-payload check: SHA-256(payload)[:10], 16 base32 characters."""
MAX_TEXT_PAYLOAD: Final = 1024 * 1024

TEXT_KINDS: Final[dict[str, str]] = {"sealed": "SEALED", "vault": "VAULT"}

CRC24_INIT: Final = 0xB704CE
CRC24_POLY: Final = 0x1864CFB


def crc24(data: bytes) -> int:
    """OpenPGP CRC-24 (RFC 4880 section 6.1), as paperkey prints per line."""
    crc = CRC24_INIT
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= CRC24_POLY
    return crc & 0xFFFFFF


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def _unb32(text: str) -> bytes:
    return base64.b32decode(text + "=" * (-len(text) % 8))


def _line_check(number: int, chunk: bytes) -> str:
    return _b32(crc24(number.to_bytes(4, "big") + chunk).to_bytes(3, "big"))


def encode_text(payload: bytes, kind: str) -> str:
    """The typed-back form of `payload` (lines end with newlines)."""
    if kind not in TEXT_KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if not payload:
        raise ValueError("nothing to write")
    chunks = [payload[i : i + LINE_BYTES] for i in range(0, len(payload), LINE_BYTES)]
    width = len(str(len(chunks)))
    head = f"{TEXT_MAGIC}{TEXT_VERSION} {TEXT_KINDS[kind]}"
    out = [f"{head} {len(payload)} BYTES {len(chunks)} LINES"]
    for number, chunk in enumerate(chunks, start=1):
        body = _b32(chunk)
        groups = " ".join(body[i : i + GROUP] for i in range(0, len(body), GROUP))
        out.append(f"{number:>{width}}: {groups}  {_line_check(number, chunk)}")
    digest = _b32(hashlib.sha256(payload).digest()[:HASH_BYTES])
    out.append("SHA256: " + " ".join(digest[i : i + 4] for i in range(0, len(digest), 4)))
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class TextPayload:
    kind: str
    payload: bytes = field(repr=False)


_HEADER = re.compile(r"^P2F-TEXT(\d{1,4})\s+([A-Z]+)\s+(\d{1,9})\s+BYTES\s+(\d{1,9})\s+LINES$",
                     re.ASCII)
_LINE = re.compile(r"^(\d{1,9})\s*[:.]\s*(.*)$", re.ASCII)
"""ASCII digits only, and few: a number typed from paper is never 4,000 digits long."""
_TYPO = str.maketrans({"0": "O", "1": "I", "8": "B"})  # never base32: read as the letter


def _clean(text: str) -> str:
    return re.sub(r"[\s\-]", "", text.upper()).translate(_TYPO)


def _plural(numbers: list[int]) -> str:
    word = "line" if len(numbers) == 1 else "lines"
    return f"{word} {', '.join(str(n) for n in numbers)}"


def decode_text(text: str) -> TextPayload:
    """The payload from typed or scanned-as-text lines; FormatError naming the bad line(s)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    header = next((ln for ln in lines if ln.upper().startswith(TEXT_MAGIC)), None)
    if header is None:
        raise FormatError(f"no '{TEXT_MAGIC}{TEXT_VERSION} ...' first line found",
                          hint="type the text exactly as printed, starting with its first line")
    match = _HEADER.match(re.sub(r"\s+", " ", header.upper()))
    if match is None:
        raise FormatError("the first line (P2F-TEXT...) is mistyped",
                          hint="type it exactly as printed")
    version, kind_word, length_s, count_s = match.groups()
    if int(version) != TEXT_VERSION:
        raise UnknownVersionError(f"text format version {version} is not known")
    kinds = {v: k for k, v in TEXT_KINDS.items()}
    length, count = int(length_s), int(count_s)
    if kind_word not in kinds or not 0 < length <= MAX_TEXT_PAYLOAD or count != -(
            -length // LINE_BYTES):
        raise FormatError("the first line (P2F-TEXT...) is mistyped",
                          hint="type it exactly as printed")
    rows: dict[int, bytes] = {}
    bad: list[int] = []
    digest_text: str | None = None
    for ln in lines:
        if ln is header:
            continue
        if ln.upper().startswith("SHA256"):
            digest_text = _clean(ln.split(":", 1)[-1])
            continue
        m = _LINE.match(ln)
        if m is None:
            continue
        number = int(m.group(1))
        cleaned = _clean(m.group(2))
        if not 1 <= number <= count:
            bad.append(number)
            continue
        size = min(LINE_BYTES, length - (number - 1) * LINE_BYTES)
        data_chars = len(_b32(bytes(size)))
        body, check = cleaned[:data_chars], cleaned[data_chars:]
        try:
            chunk = _unb32(body)
            ok = len(chunk) == size and check == _line_check(number, chunk)
        except ValueError:  # binascii.Error, or a character that is not ASCII
            ok = False
        if not ok:
            bad.append(number)
        elif number not in rows:
            rows[number] = chunk
    absent = [n for n in range(1, count + 1) if n not in rows and n not in bad]
    problems = []
    if bad:
        problems.append(f"{_plural(sorted(set(bad)))}: checksum does not match (mistyped)")
    if absent:
        problems.append(f"{_plural(absent)} missing")
    if problems:
        raise FormatError("; ".join(problems),
                          hint="compare those lines with the paper character by character")
    payload = b"".join(rows[n] for n in range(1, count + 1))
    if digest_text is None:
        raise FormatError("the SHA256 line at the end is missing", hint="type it as printed")
    if digest_text != _b32(hashlib.sha256(payload).digest()[:HASH_BYTES]):
        raise FormatError("the SHA256 line does not match the other lines",
                          hint="check the SHA256 line; every numbered line checked fine")
    return TextPayload(kinds[kind_word], payload)
