"""One target under atheris: `python -m tests.fuzz.atheris_target TARGET FINDINGS [libFuzzer args]`.

toolkit is instrumented for coverage; a documented error (Paper2faError) or a valid result is
fine; any other exception is saved once per (type, place) in FINDINGS and fuzzing goes on.
"""

from __future__ import annotations

import hashlib
import resource
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

MEMORY_LIMIT = 2 << 30
"""The fuzzing process holds its coverage corpus too: twice the worker's limit."""


def checker(target: str, findings: Path) -> Callable[[bytes], None]:
    from toolkit.errors import Paper2faError

    from . import targets as T

    run = T.TARGETS[target].run
    seen: set[str] = set()

    def check(data: bytes) -> None:
        try:
            run(data, "fuzz-input")
        except Paper2faError:
            return
        except Exception as exc:  # a finding: keep one input per type and place
            frames = traceback.extract_tb(exc.__traceback__)
            inside = [f for f in frames if "/toolkit/" in f.filename] or frames
            place = f"{inside[-1].filename}:{inside[-1].name}" if inside else ""
            key = f"{type(exc).__name__}@{place}"
            if key in seen:
                return
            seen.add(key)
            digest = hashlib.sha256(data).hexdigest()[:12]
            name = f"crash-{type(exc).__name__}-{digest}"
            (findings / name).write_bytes(data)
    return check


def main() -> None:
    import atheris

    target, findings = sys.argv[1], Path(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    with atheris.instrument_imports(include=["toolkit"]):
        import toolkit.importers

        toolkit.importers.all_importers()
        from . import targets  # noqa: F401
    check = checker(target, findings)
    atheris.Setup([sys.argv[0], *sys.argv[3:]], check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
