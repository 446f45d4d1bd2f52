"""Mutators: real samples and valid templates, damaged the ways files get damaged or forged.

Every mutant is a pure function of (seed, source name, operator, index), so its name is its
reproducer: `mut-aegis_plain.json--bitflip-3` is made again by `mutant(seed, source, data,
"bitflip", 3)`. Mutants of the samples in ../shared are never written into the project (the
samples are GPL-3.0 data); a crash on one is kept as a recipe in tests/fuzz/regressions.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from pathlib import Path

from . import corpus

SAMPLES = corpus.ROOT.parent / "shared" / "samples" / "aegis-importers"
NOT_SAMPLES = {"README.md", "expected.json", "expected-by-file.json"}


def _bitflip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        pos = rng.randrange(len(out))
        out[pos] ^= 1 << rng.randrange(8)
    return bytes(out)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data))]


def _remove(data: bytes, rng: random.Random) -> bytes:
    pos = rng.randrange(len(data))
    return data[:pos] + data[pos + rng.choice((1, 1, 1, 2, 16)):]


def _insert(data: bytes, rng: random.Random) -> bytes:
    pos = rng.randrange(len(data) + 1)
    junk = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 16)))
    return data[:pos] + junk + data[pos:]


def _duplicate(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    chunk = data[start : start + rng.randint(1, 256)]
    pos = rng.randrange(len(data) + 1)
    return data[:pos] + chunk * rng.choice((1, 2, 100)) + data[pos:]


_NUMBERS = (b"0", b"-1", b"99999999999999999999", b"9" * 4400, b"1e999", b"NaN", b"2.5",
            b"18446744073709551616")


def _digits(data: bytes, rng: random.Random) -> bytes:
    runs = [m.span() for m in re.finditer(rb"\d+", data)]
    if not runs:
        return _bitflip(data, rng)
    start, end = rng.choice(runs)
    return data[:start] + rng.choice(_NUMBERS) + data[end:]


def _lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    action = rng.randrange(3)
    if action == 0:
        del lines[i]
    elif action == 1:
        lines.insert(i, lines[i])
    else:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def _jsonswap(data: bytes, rng: random.Random) -> bytes:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return _digits(data, rng)
    paths = list(corpus.json_paths(doc))
    if not paths:
        return _digits(data, rng)
    return corpus.swapped(json.dumps(doc).encode(), rng.choice(paths), rng.choice(
        list(corpus.SWAPS)))


OPERATORS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "bitflip": _bitflip,
    "truncate": _truncate,
    "remove": _remove,
    "insert": _insert,
    "duplicate": _duplicate,
    "digits": _digits,
    "lines": _lines,
    "jsonswap": _jsonswap,
}


def mutant(seed: int, source: str, data: bytes, operator: str, index: int) -> bytes:
    if not data:
        return data
    rng = random.Random(f"{seed}:{source}:{operator}:{index}")
    return OPERATORS[operator](data, rng)


def mutant_name(source: str, operator: str, index: int) -> str:
    return f"mut-{source}--{operator}-{index}"


def parse_name(name: str) -> tuple[str, str, int]:
    """(source, operator, index) of a mutant name."""
    body = name.removeprefix("mut-")
    source, _, rest = body.rpartition("--")
    operator, _, index = rest.rpartition("-")
    return source, operator, int(index)


def samples() -> list[Path]:
    """The real exports in ../shared (empty when the folder is absent)."""
    if not (SAMPLES / "expected-by-file.json").is_file():
        return []
    return sorted(p for p in SAMPLES.iterdir() if p.is_file() and p.name not in NOT_SAMPLES)
