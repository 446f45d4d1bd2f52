"""Sum the CPU seconds that `pytest --cpu-times FILE` wrote (FILE.<pid>, one per worker), per
test file, heaviest first, with the heaviest tests: the figures for tests/conftest.py's
HEAVY_FILES and docs/testing.md.

    .venv/bin/python -m pytest -n 2 --cpu-times /tmp/cpu
    .venv/bin/python tests/benchmarks/cpu_by_file.py /tmp/cpu
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path


def main(prefix: str, shown: int = 30) -> None:
    base = Path(prefix)
    by_test: Counter[str] = Counter()
    for part in sorted(base.parent.glob(base.name + ".[0-9]*")):
        for line in filter(None, part.read_text(encoding="utf-8").split("\n")):
            nodeid, seconds = line.rsplit("\t", 1)
            by_test[nodeid] += float(seconds)
    by_file: Counter[str] = Counter()
    for nodeid, seconds in by_test.items():
        by_file[nodeid.split("::", 1)[0]] += seconds
    print(f"{sum(by_test.values()):.0f} s of CPU in {len(by_test)} tests")
    for name, seconds in by_file.most_common(shown):
        print(f"{seconds:8.1f} s  {name}")
    print()
    for name, seconds in by_test.most_common(shown):
        print(f"{seconds:8.1f} s  {name}")


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:3]))
