"""`paper2fa demo`: the whole job on the built-in demo vault, ending with one verdict line.

It runs the real commands a person would run, in order (import, list, audit, export, print,
split, scan three of the five sheets, restore, verify, codes), so the demo proves the same
code paths the tool uses, not a shortcut.
"""

from __future__ import annotations

import argparse
import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from toolkit import fsio
from toolkit.demo import DEMO_TIME, demo_vault
from toolkit.display import visible
from toolkit.errors import VerifyError
from toolkit.importers import import_bytes
from toolkit.model import Account, Vault, vault_from_json, vault_to_json
from toolkit.scan import pdf_pages

HOLDERS = ("Alice", "Bob", "Carol", "Dan", "Eve")
SCANNED = (1, 3, 5)
"""The sheets whose scans the demo restores from: exactly k = 3 of the 5."""

SCAN_DPI = 200
"""A middling office-scanner resolution (the restore targets hold from 150 DPI)."""

EXPORTS = {"otpauth": "for-any-app.txt", "aegis": "for-aegis.json", "2fas": "for-2fas.2fas"}
"""Exports re-imported by the demo to check that every account's code settings survive."""

LOOK_FIRST = (
    ("backup.pdf", "the home-safe backup: a QR code per account, then the whole vault"),
    ("sheets/share-1-of-5-*.pdf", "Alice's share-holder sheet (any 3 of the 5 restore)"),
    ("new-phone.pdf", "the re-enrolment sheet: scan each code into a new phone"),
    ("restored.json", "the vault rebuilt from three scanned sheets"),
)
"""The few files worth opening first, listed just before the verdict (glob patterns)."""


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("demo", help="run the whole job on a built-in demo vault",
                       description="On a built-in vault of clearly fake accounts, run the whole "
                       "job into ./paper2fa-demo/: import, list, audit, export, print the "
                       "home-safe backup, split 3-of-5 onto share-holder sheets, simulate "
                       "scanning three of the five sheets, restore, verify and show codes. The "
                       "last line says whether the round trip was exact.")
    p.add_argument("-o", "--output", default="paper2fa-demo", help="output folder")
    p.set_defaults(func=cmd_demo)


def _step(title: str) -> None:
    print(f"\n== {title}")


def _runner() -> Callable[..., int]:
    from toolkit.cli import main  # the entry point itself; imported here to avoid a cycle

    def run(*argv: str | Path) -> int:
        shown = visible(" ".join(str(a) for a in argv))
        print(f"$ paper2fa {shown}")
        return main(["--allow-online", *(str(a) for a in argv)])

    return run


def _codes_key(account: Account) -> tuple[object, ...]:
    return (account.issuer, account.name, *account.params_key)


def _scan_sheets(sheets: Path, scans: Path) -> list[Path]:
    """Rasterize the chosen sheets like a scanner would (PNG pages, slightly skewed)."""
    files: dict[Path, bytes] = {}
    for number in SCANNED:
        pdf = next(sheets.glob(f"share-{number}-of-{len(HOLDERS)}-*.pdf"))
        for page_number, page in enumerate(pdf_pages(pdf.read_bytes(), SCAN_DPI), start=1):
            skewed = page.convert("L").rotate(0.7, expand=True, fillcolor=255)
            buffer = io.BytesIO()
            skewed.save(buffer, format="PNG")
            files[scans / f"{pdf.stem}-page{page_number}.png"] = buffer.getvalue()
    fsio.write_files(files, force=True)
    return sorted(files)


def look_first(out: Path) -> list[tuple[Path, str]]:
    """The files of LOOK_FIRST that this run wrote, with what each one is."""
    found = []
    for pattern, what in LOOK_FIRST:
        matches = sorted(out.glob(pattern))
        if matches:
            found.append((matches[0], what))
    return found


def _show_files(out: Path) -> None:
    files = look_first(out)
    if files:
        print("open these first:")
        shown = [(visible(str(path)), what) for path, what in files]
        width = max(len(name) for name, _ in shown)
        for name, what in shown:
            print(f"  {name:<{width}}  {what}")


def cmd_demo(args: argparse.Namespace) -> int:
    run = _runner()
    out = fsio.ensure_output_dir(args.output)
    vault = demo_vault()
    source = out / "demo-vault.json"
    fsio.write_file(source, vault_to_json(vault), force=True)
    print(f"demo vault: {len(vault)} fake accounts, fingerprint {vault.fingerprint}")
    checks: dict[str, bool] = {}

    _step("1. import and look at the accounts")
    checks["import"] = run("import", source, "-o", out / "vault.json", "--force") == 0
    checks["import"] &= vault_from_json((out / "vault.json").read_bytes()) == vault
    run("list", out / "vault.json")
    run("audit", out / "vault.json")

    _step("2. export for a new phone, and read every export back")
    for fmt, name in EXPORTS.items():
        ok = run("export", out / "vault.json", "--format", fmt, "-o", out / name,
                 "--force") == 0
        again = import_bytes((out / name).read_bytes(), name).vault if ok else Vault()
        same = {_codes_key(a) for a in again.accounts} == {_codes_key(a) for a in vault.accounts}
        print(f"{name}: {'every account reads back with the same codes' if same else 'DIFFERS'}")
        checks[f"export {fmt}"] = ok and same
    checks["re-enrolment sheet"] = run("export", out / "vault.json", "--format", "reenroll-pdf",
                                       "-o", out / "new-phone.pdf", "--force") == 0

    _step("3. print the home-safe backup (every QR code is read back before writing)")
    checks["print"] = run("print", out / "vault.json", "-o", out / "backup.pdf", "--force") == 0

    _step("4. split 3-of-5 onto share-holder sheets")
    holders = [part for name in HOLDERS for part in ("--holder", name)]
    sheets = out / "sheets"
    checks["split"] = run("split", out / "vault.json", "-k", "3", "-n", "5", *holders,
                          "-o", sheets, "--force") == 0

    _step(f"5. scan sheets {', '.join(map(str, SCANNED))} of 5 at {SCAN_DPI} DPI "
          "(simulated: rasterized and slightly skewed)")
    scans = out / "scans"
    shutil.rmtree(scans, ignore_errors=True)
    fsio.ensure_output_dir(scans)
    pages = _scan_sheets(sheets, scans) if checks["split"] else []
    print(f"{len(pages)} scanned pages in {visible(str(scans))}")

    _step("6. restore from the scans, and verify against the source")
    restored_path = out / "restored.json"
    checks["restore"] = run("restore", scans, "-o", restored_path, "--force") == 0
    restored = vault_from_json(restored_path.read_bytes()) if checks["restore"] else Vault()
    checks["restore"] &= restored == vault
    checks["verify"] = run("verify", scans, "--against", out / "vault.json") == 0
    checks["verify home-safe"] = run("verify", out / "backup.pdf", "--against",
                                     out / "vault.json") == 0

    _step("7. codes from the restored vault (at the demo's fixed time, so runs repeat)")
    checks["codes"] = run("codes", restored_path, "--at", str(DEMO_TIME)) == 0

    failed = [name for name, ok in checks.items() if not ok]
    print()
    if failed:
        print(f"failed steps: {', '.join(failed)}")
        _show_files(out)
        print("round trip exact: NO")
        return VerifyError.exit_code
    print(f"restored fingerprint {restored.fingerprint} = source {vault.fingerprint}")
    _show_files(out)
    print("round trip exact: yes")
    return 0
