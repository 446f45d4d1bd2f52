"""Print-and-scan benchmark of restoring from share sheets (run on demand; not collected by pytest).

For each account count, a vault is split 3-of-5 and its sheets rendered. Each trial picks 3
sheets at random, "prints and scans" every page (render at 600 DPI, printer blur and dot gain,
resample to the scan DPI, scanner noise; tests/degrade.py), applies one degradation condition,
and restores the way `paper2fa restore` does (the cascade; every retry when something is
missing). It records whether the vault came back exactly, how many codes each decoder read on
its own (zxing-cpp, pyzbar) and with the cascade, and the seconds per page.

    .venv/bin/python tests/benchmarks/restore.py --accounts 10,200 --dpi 150,200,300,600 \\
        --trials 3 --results bench-restore.jsonl
    .venv/bin/python tests/benchmarks/restore.py --accounts 2000 --dpi 300 \\
        --conditions "clean,rotate 7°,dropped page" --results bench-restore.jsonl

Hard phone photos (tests/degrade.py PHOTO_CONDITIONS, docs/restore.md "Hard phone photos"):
the pages printed and scanned at --dpi are the paper, photographed by a simulated phone (12 MP
or 5 MP, two sheets per photo, close-ups, 30° and 45° angles, motion blur, crumpled, dim light).
`--photos` runs them all. For photos the table adds "misread" (texts read that were never
printed: must stay 0) and, when a restore fails, the most frequent advice of
toolkit.camera.photo_advice over the photos that did not read completely on the first pass.

    .venv/bin/python tests/benchmarks/restore.py --photos --accounts 10,200 --dpi 300 \
        --trials 3 --results bench-photos.jsonl

Results are appended to the JSONL file one trial at a time; running again with the same file
resumes (finished trials are skipped) and prints the table of everything in it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/, for degrade.py
sys.path.insert(0, str(HERE.parents[1]))  # the repository, for toolkit

import degrade as D  # noqa: E402
from PIL import Image  # noqa: E402

from toolkit import envelope, scan, sharing  # noqa: E402
from toolkit.camera import photo_advice  # noqa: E402
from toolkit.model import Account, Vault  # noqa: E402
from toolkit.recovery import RecoveryState, Verdict, choose, finish  # noqa: E402
from toolkit.render.layout import PAPERS  # noqa: E402
from toolkit.render.split import render_split_pdfs  # noqa: E402

DATE = datetime(2026, 1, 15, tzinfo=UTC)
K, N = 3, 5
ALL_CONDITIONS = {**D.CONDITIONS, **D.PHOTO_CONDITIONS}


def make_vault(count: int) -> Vault:
    rng = random.Random(count)
    return Vault(tuple(
        Account(issuer=f"Service {i:04d}", name=f"person{i}@example.com",
                secret=rng.randbytes(20),
                recovery_codes=tuple(f"{rng.randrange(10**10):010d}" for _ in range(5)))
        for i in range(count)))


def sheets(count: int, cache: dict[int, tuple[Vault, list[bytes]]]) -> tuple[Vault, list[bytes]]:
    if count not in cache:
        vault = make_vault(count)
        result = sharing.make_split(vault, K, N, (), "pyshamir", None,
                                    kdf=envelope.KDF_PROFILES["test"], now=DATE)
        pdfs = render_split_pdfs(result, DATE, PAPERS["a4"], self_check=False)
        cache[count] = (vault, [pdfs[n] for n in sorted(pdfs) if n.startswith("share-")])
    return cache[count]


Scanned = tuple[list[Image.Image], int, frozenset[str]]


def scanned_sheets(count: int, dpi: int, trial: int, cache: dict[int, tuple[Vault, list[bytes]]],
                   print_dpi: int, scans: dict[tuple[int, int, int], Scanned]) -> Scanned:
    """The 3 sheets of one trial, printed and scanned once and shared by every condition."""
    key = (count, dpi, trial)
    if key not in scans:
        scans.clear()  # one trial's pages at a time: 600 DPI pages are large
        _, pdfs = sheets(count, cache)
        rng = random.Random(f"{count}/{dpi}/{trial}")
        chosen = sorted(rng.sample(range(N), K))
        pages = [D.printed_and_scanned(p, dpi, rng, print_dpi)
                 for i in chosen for p in D.rasterize(pdfs[i], print_dpi)]
        clean = [scan.zxing_pass(p)[0] for i in chosen for p in D.rasterize(pdfs[i], 150)]
        printed = sum(len(codes) for codes in clean)
        scans[key] = (pages, printed, frozenset(c.text for codes in clean for c in codes))
    return scans[key]


def run_trial(count: int, dpi: int, condition: str, trial: int,
              cache: dict[int, tuple[Vault, list[bytes]]], print_dpi: int,
              scans: dict[tuple[int, int, int], Scanned]) -> dict[str, Any]:
    vault, _ = sheets(count, cache)
    clean, expected, drawn = scanned_sheets(count, dpi, trial, cache, print_dpi, scans)
    rng = random.Random(f"{count}/{dpi}/{condition}/{trial}")
    pages = ALL_CONDITIONS[condition].apply(list(clean), rng)
    zxing = sum(len(scan.zxing_pass(p)[0]) for p in pages)
    pyzbar = sum(len(scan.pyzbar_pass(p)) for p in pages)
    start = time.perf_counter()
    state = RecoveryState()
    cascade = 0
    results = []
    for number, page in enumerate(pages, 1):
        result = scan.read_page(page, number, f"page-{number}.png")
        state.add_page(result)
        cascade += len(result.codes)
        results.append(result)
    first_pass = list(results)  # what the advice is taken from: restore has it at hand
    retried = False
    if choose(state).verdict is not Verdict.RESTORE:  # what restore's second pass does
        retried = True
        cascade = 0
        results = []
        for number, page in enumerate(pages, 1):
            result = scan.read_page(page, number, f"page-{number}.png", effort="full")
            state.add_page(result)
            cascade += len(result.codes)
            results.append(result)
    try:
        exact = finish(state, choose(state)).vault == vault
        problem = ""
    except Exception as exc:  # a failed restore is a result here, not a crash
        exact = False
        problem = getattr(exc, "message", str(exc))
    seconds = time.perf_counter() - start
    foreign = {(c.text, c.decoder) for r in results for c in r.codes if c.text not in drawn}
    misread = len({text for text, _ in foreign})
    misread_by = sorted({f"{decoder}: {text.split(':', 1)[0]}" for text, decoder in foreign})
    advice = ""
    if not exact and condition in D.PHOTO_CONDITIONS:
        told = Counter(photo_advice(page, result).value
                       for page, result in zip(pages, first_pass, strict=True)
                       if result.unreadable or not result.codes)
        advice = told.most_common(1)[0][0] if told else ""
    return {"accounts": count, "dpi": dpi, "condition": condition, "trial": trial,
            "exact": exact, "problem": problem, "pages": len(pages), "codes_printed": expected,
            "zxing": zxing, "pyzbar": pyzbar, "cascade": cascade, "retried": retried,
            "seconds_per_page": seconds / max(1, len(pages)), "seconds": seconds,
            "misread": misread, "misread_by": misread_by, "advice": advice}


def table(rows: list[dict[str, Any]]) -> str:
    groups: dict[tuple[int, int, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["accounts"], row["dpi"], row["condition"]), []).append(row)
    order = list(ALL_CONDITIONS)
    photos = any(row["condition"] in D.PHOTO_CONDITIONS for row in rows)
    lines = ["| accounts | DPI | condition | exact restores | codes read: zxing-cpp | pyzbar "
             "| cascade | of printed | s/page |" + (" photos | misread | advice |" if photos
                                                   else ""),
             "|---:|---:|---|---:|---:|---:|---:|---:|---:|" + ("---:|---:|---|" if photos
                                                               else "")]
    for (count, dpi, condition), items in sorted(
            groups.items(), key=lambda kv: (kv[0][0], kv[0][1], order.index(kv[0][2])
                                            if kv[0][2] in order else 99)):
        t = len(items)
        lines.append(
            f"| {count} | {dpi} | {condition} | {sum(r['exact'] for r in items)}/{t} "
            f"| {sum(r['zxing'] for r in items) / t:.0f} "
            f"| {sum(r['pyzbar'] for r in items) / t:.0f} "
            f"| {sum(r['cascade'] for r in items) / t:.0f} "
            f"| {sum(r['codes_printed'] for r in items) / t:.0f} "
            f"| {sum(r['seconds_per_page'] for r in items) / t:.2f} |"
            + (_photo_columns(items) if photos else ""))
    return "\n".join(lines)


def _photo_columns(items: list[dict[str, Any]]) -> str:
    if items[0]["condition"] not in D.PHOTO_CONDITIONS:
        return " | | |"
    t = len(items)
    told = Counter(r.get("advice", "") for r in items if r.get("advice"))
    advice = ", ".join(f"{a} ({n})" for a, n in told.most_common())
    misread = sum(r.get("misread", 0) for r in items)
    return f" {sum(r['pages'] for r in items) / t:.0f} | {misread} | {advice} |"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--accounts", default="10,200")
    p.add_argument("--dpi", default="150,200,300,600")
    p.add_argument("--conditions", default=",".join(D.CONDITIONS),
                   help="comma-separated names from tests/degrade.py CONDITIONS and "
                        "PHOTO_CONDITIONS")
    p.add_argument("--photos", action="store_true",
                   help="the hard phone photos (PHOTO_CONDITIONS) instead of --conditions")
    p.add_argument("--trials", type=int, default=3)
    p.add_argument("--print-dpi", type=int, default=D.PRINT_DPI)
    p.add_argument("--results", default="bench-restore.jsonl", help="JSONL file (resumable)")
    p.add_argument("--table-only", action="store_true")
    args = p.parse_args(argv)
    path = Path(args.results)
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()] \
        if path.exists() else []
    done = {(r["accounts"], r["dpi"], r["condition"], r["trial"]) for r in rows}
    conditions = [c.strip() for c in args.conditions.split(",") if c.strip()]
    if args.photos:
        conditions = list(D.PHOTO_CONDITIONS)
    unknown = [c for c in conditions if c not in ALL_CONDITIONS]
    if unknown:
        p.error(f"unknown conditions: {unknown}; known: {list(ALL_CONDITIONS)}")
    cache: dict[int, tuple[Vault, list[bytes]]] = {}
    scans: dict[tuple[int, int, int], Scanned] = {}
    if not args.table_only:
        for count in (int(x) for x in args.accounts.split(",")):
            for dpi in (int(x) for x in args.dpi.split(",")):
                for trial in range(args.trials):
                    for condition in conditions:
                        if (count, dpi, condition, trial) in done:
                            continue
                        row = run_trial(count, dpi, condition, trial, cache, args.print_dpi,
                                        scans)
                        rows.append(row)
                        with path.open("a") as fh:
                            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                        print(f"{count} accounts, {dpi} DPI, {condition}, trial {trial}: "
                              f"{'exact' if row['exact'] else 'FAILED ' + row['problem']} "
                              f"({row['seconds']:.1f} s)", flush=True)
    print(f"\nmachine: {machine()}\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
