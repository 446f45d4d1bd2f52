"""Damaged exports give a clear paper2fa error, never an uncaught exception (a traceback).

Every real sample file is truncated and bit-flipped; each result must either import or raise a
Paper2faError (which the CLI turns into one line and an exit code).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from toolkit.errors import Paper2faError
from toolkit.importers import all_importers, import_bytes


def _damaged(data: bytes, seed: int) -> list[bytes]:
    rnd = random.Random(seed)
    out = [data[: len(data) // 2], data[: max(1, len(data) - 7)], data[:1], b""]
    for _ in range(4):
        buf = bytearray(data)
        for _ in range(3):
            i = rnd.randrange(len(buf))
            buf[i] ^= 1 << rnd.randrange(8)
        out.append(bytes(buf))
    return out


def test_damaged_samples_never_escape_as_tracebacks(samples: Path,
                                                    expected_by_file: dict[str, Any]) -> None:
    for index, name in enumerate(sorted(expected_by_file)):
        data = (samples / name).read_bytes()
        password = expected_by_file[name]["password"] or "test"
        for damaged in _damaged(data, index):
            try:
                import_bytes(damaged, name, password=lambda p=password: p)
            except Paper2faError:
                pass
            except Exception as exc:  # the point of the test: anything else is a bug
                pytest.fail(f"{name}: damaged input raised {type(exc).__name__}: {exc}")


def test_forced_format_on_wrong_file_is_a_clear_error(samples: Path,
                                                      expected_by_file: dict[str, Any]) -> None:
    names = sorted(expected_by_file)
    for importer in all_importers():
        for name in names[:: max(1, len(names) // 8)]:
            data = (samples / name).read_bytes()
            try:
                importer.load(data, lambda: "test")
            except Paper2faError:
                pass
            except Exception as exc:
                pytest.fail(f"--format {importer.name} on {name}: {type(exc).__name__}: {exc}")
