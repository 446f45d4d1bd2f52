"""Benchmark: seal, split (with its self-test) and combine for 10, 200 and 2000 accounts, and
pyshamir on the whole vault vs on the 32-byte key. Run on demand, prints a table:

    .venv/bin/python tests/benchmarks/seal.py

Not a pytest module (its name does not start with test_), so the suite never imports it.
"""

from __future__ import annotations

import os
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pyshamir

from toolkit import envelope, sharing
from toolkit.envelope import SealedVault
from toolkit.model import Account, Vault


def make_vault(count: int) -> Vault:
    return Vault(tuple(Account(issuer=f"Service {i}", name=f"user{i}@example.com",
                               secret=os.urandom(20), notes="n" * (i % 40),
                               recovery_codes=tuple(f"{i:04d}-{j:04d}" for j in range(i % 8)))
                       for i in range(count)))


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def measure(count: int) -> tuple[str, ...]:
    vault = make_vault(count)
    canonical = vault.canonical_bytes()
    seal = timed(lambda: envelope.seal_with_passphrase(vault, "benchmark"), 1)
    result = sharing.make_split(vault, 3, 5)
    split = timed(lambda: sharing.make_split(vault, 3, 5))
    sealed = SealedVault.from_bytes(result.sealed_bytes)
    combine = timed(lambda: envelope.open_sealed(
        sealed, sharing.combine(list(result.shares[:3]), sealed)))
    whole = "-"
    if count <= 200:
        data = zlib.compress(canonical, 9)
        seconds = timed(lambda: pyshamir.combine(pyshamir.split(data, 5, 3)[:3]), 1)
        whole = f"{seconds:.3f} s"
    key = timed(lambda: pyshamir.combine(pyshamir.split(os.urandom(32), 5, 3)[:3]))
    return (str(count), str(len(canonical)), str(len(result.sealed_bytes)), f"{seal:.3f} s",
            f"{split:.3f} s", f"{combine:.3f} s", whole, f"{key:.4f} s")


def main() -> None:
    rows: list[tuple[str, ...]] = [
        ("accounts", "vault bytes", "sealed bytes", "seal (scrypt 2^17)", "split 3-of-5",
         "combine 3", "pyshamir vault", "pyshamir key")]
    rows += [measure(count) for count in (10, 200, 2000)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
    print("split includes its self-test; pyshamir vault/key: split 3-of-5 and combine of the "
          "compressed vault or of the 32-byte key.")


if __name__ == "__main__":
    main()
