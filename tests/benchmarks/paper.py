"""Benchmark the printable sheets: time to render and self-check the home-safe backup and a
3-of-5 split for 10, 200 and 2000 accounts, pages produced and bytes per page.

Run from the repository root:  .venv/bin/python tests/benchmarks/paper.py [COUNTS...]
Prints a Markdown table (recorded in docs/paper.md, "Benchmarks"): wall seconds, and CPU
seconds of this process and of the processes it forked (the self-check's second reader, the
frame-code encoder, the pdfium children; `resource.getrusage`), with the load average when
measured. On a loaded machine the wall time says little: on two idle cores it is about the
larger of this process's CPU time and half the total.
With --pages: the pages of each kind of sheet for 10, 40 and 200 accounts (docs/paper.md,
"Pages per sheet"). With --profile COUNT: where the CPU time of the home-safe sheet of COUNT
accounts goes (cProfile, rendering and self-check, the 25 costliest calls).
"""

from __future__ import annotations

import hashlib
import os
import platform
import resource
import sys
import time
from datetime import UTC, datetime

from toolkit import envelope
from toolkit.audit import audit_vault
from toolkit.model import Account, Vault
from toolkit.render.checklist import audit_facts
from toolkit.render.home_safe import render_home_safe, render_home_safe_sealed
from toolkit.render.layout import PAPERS
from toolkit.render.split import COVER_NAME, render_split
from toolkit.selfcheck import check_pdf
from toolkit.sharing import make_split

DATE = datetime(2026, 1, 1, tzinfo=UTC)


def vault_of(count: int) -> Vault:
    """Realistic accounts: mixed settings, a few recovery codes and notes on some."""
    accounts = []
    for i in range(count):
        digest = hashlib.sha256(f"benchmark {i}".encode()).digest()
        accounts.append(Account(
            issuer=f"Example Service {i % 173}", name=f"user{i}@example.com",
            secret=digest[:20], algorithm=("SHA1", "SHA256")[i % 7 == 0],
            digits=(6, 8)[i % 11 == 0],
            recovery_codes=tuple(f"{i:04d}-{j:04d}" for j in range(8 if i % 3 == 0 else 0)),
            notes="Recovered from the old phone." if i % 5 == 0 else ""))
    return Vault(tuple(accounts))


class Clock:
    """Wall time, and CPU time of this process and its reaped children, since `start`."""

    def __init__(self) -> None:
        self.wall, self.own, self.children = self._now()

    @staticmethod
    def _now() -> tuple[float, float, float]:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (time.perf_counter(), own.ru_utime + own.ru_stime,
                kids.ru_utime + kids.ru_stime)

    def split(self) -> tuple[float, float, float]:
        """(wall, CPU of this process, CPU of all) seconds since the clock was made."""
        wall, own, kids = self._now()
        return wall - self.wall, own - self.own, own - self.own + kids - self.children


Row = tuple[str, int, tuple[float, float, float], tuple[float, float, float], int, int, float]


def load() -> float:
    return os.getloadavg()[0]


def bench(count: int) -> list[Row]:
    vault = vault_of(count)
    paper = PAPERS["a4"]
    facts = audit_facts(audit_vault(vault))
    rows: list[Row] = []
    clock = Clock()
    home = render_home_safe(vault, date=DATE, generation=1, paper=paper, facts=facts,
                            self_check=False)
    rendered = clock.split()
    check_pdf(home.pdf, home.qr_texts)
    rows.append(("home-safe", count, rendered, clock.split(), home.pages, len(home.pdf),
                 load()))
    split = make_split(vault, 3, 5, ["A", "B", "C", "D", "E"], now=DATE)
    clock = Clock()
    sheets = render_split(split, date=DATE, paper=paper, self_check=False)
    rendered = clock.split()
    for sheet in sheets.values():
        if sheet.qr_texts:
            check_pdf(sheet.pdf, sheet.qr_texts)
    rows.append(("split 3-of-5 (5 sheets + cover)", count, rendered, clock.split(),
                 sum(s.pages for s in sheets.values()), sum(len(s.pdf) for s in sheets.values()),
                 load()))
    return rows


def _times(times: tuple[float, float, float]) -> str:
    return " / ".join(f"{t:.1f}" for t in times)


def page_table(counts: list[int]) -> None:
    """Pages of each sheet (A4): home-safe, passphrase copy, one holder sheet, cover letter."""
    print("| accounts | home-safe | passphrase copy | holder sheet | cover letter |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for count in counts:
        vault = vault_of(count)
        facts = audit_facts(audit_vault(vault))
        paper = PAPERS["a4"]
        home = render_home_safe(vault, date=DATE, generation=1, paper=paper, facts=facts,
                                self_check=False)
        sealed = envelope.seal_with_passphrase(vault, "benchmark", now=DATE,
                                               kdf=envelope.KDF_PROFILES["test"])
        copy = render_home_safe_sealed(sealed.to_bytes(), count=count,
                                       fingerprint=vault.fingerprint, date=DATE, generation=1,
                                       paper=paper, facts=facts, self_check=False)
        split = make_split(vault, 3, 5, ["A", "B", "C", "D", "E"], now=DATE,
                           kdf=envelope.KDF_PROFILES["test"])
        sheets = render_split(split, date=DATE, paper=paper, facts=facts, self_check=False)
        print(f"| {count} | {home.pages} | {copy.pages} | {sheets['share-1-of-5-A.pdf'].pages} "
              f"| {sheets[COVER_NAME].pages} |", flush=True)


def profile(count: int) -> None:
    import cProfile
    import pstats

    vault = vault_of(count)
    facts = audit_facts(audit_vault(vault))
    with cProfile.Profile() as prof:
        render_home_safe(vault, date=DATE, generation=1, paper=PAPERS["a4"], facts=facts)
    pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--profile"]:
        profile(int(argv[1]) if len(argv) > 1 else 2000)
        return 0
    if argv[:1] == ["--pages"]:
        page_table([int(a) for a in argv[1:]] or [10, 40, 200])
        return 0
    counts = [int(a) for a in argv] or [10, 200, 2000]
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, A4, self-check at 150 DPI;"
          " s: wall / CPU of this process / CPU in all (with the forked workers)")
    print()
    print("| sheet | accounts | render s | render + self-check s | pages | kB per page | load |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for count in counts:
        for name, n, render_s, total_s, pages, size, avg in bench(count):
            print(f"| {name} | {n} | {_times(render_s)} | {_times(total_s)} | {pages} | "
                  f"{size / pages / 1024:.0f} | {avg:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
