"""`paper2fa export`: a vault (or any importable export) to another app's format or a sheet."""

from __future__ import annotations

import argparse
import random
import re
import time
from pathlib import Path
from typing import Any

from toolkit import fsio
from toolkit.cli.common import (
    add_output,
    add_sheet_options,
    add_source_options,
    load_vault,
    parse_date,
    warn,
)
from toolkit.errors import FormatError, UsageError
from toolkit.exporters import ExportOptions, all_exporters, export_vault

GAUTH_PNG_STEM = "paper2fa-gauth"
"""File names of gauth-qr PNGs written into a folder: paper2fa-gauth-1.png, -2.png..."""


def register(sub: argparse._SubParsersAction[Any]) -> None:
    formats = [e.name for e in all_exporters()]
    p = sub.add_parser(
        "export",
        help="write a vault in another app's format, or as a re-enrolment sheet",
        description="Export the accounts of SRC (a paper2fa vault or any export paper2fa can "
        "import) as: otpauth (URI list), aegis (Aegis plain JSON), 2fas (2FAS backup), gauth-qr "
        "(Google Authenticator transfer QR codes: -o FILE.pdf for one PDF, -o NAME.png or -o "
        "FOLDER for numbered PNGs) or reenroll-pdf (one QR code per account with tick boxes). "
        "Every output holds your secrets: it is written with mode 0600 and never over an "
        "existing file without --force. What a format cannot hold is listed on stderr.",
    )
    p.add_argument("source", metavar="SRC", help="vault JSON or app export to read")
    p.add_argument("--format", required=True, choices=formats, dest="output_format",
                   help="output format")
    add_source_options(p, format_flag="--input-format")
    add_output(p, help="file to write (gauth-qr: FILE.pdf, NAME.png or a folder)")
    p.add_argument("--tag", help="only accounts with this tag")
    add_sheet_options(p, text_fallback=False)
    p.set_defaults(func=cmd_export)


def _gauth_targets(output: str, parts: int) -> dict[Path, int]:
    """Where gauth-qr PNGs go: NAME.png -> NAME-1.png...; a folder -> paper2fa-gauth-1.png..."""
    out = Path(output)
    if out.is_dir() or output.endswith(("/", "\\")):
        folder, stem = out, GAUTH_PNG_STEM
    else:
        folder, stem = out.parent, out.stem
    return {folder / f"{stem}-{n}.png": n for n in range(1, parts + 1)}


def _container(fmt: str, output: str) -> str:
    if fmt != "gauth-qr":
        return "pdf"
    out = Path(output)
    if out.suffix.lower() == ".pdf" and not out.is_dir():
        return "pdf"
    if out.suffix.lower() == ".png" or out.is_dir() or output.endswith(("/", "\\")):
        return "png"
    raise UsageError(f"-o {output}: give a FILE.pdf, a NAME.png or an existing folder for gauth-qr")


def cmd_export(args: argparse.Namespace) -> int:
    container = _container(args.output_format, args.output)
    try:
        vault = load_vault(args.source, args).with_tag(args.tag)
    except (FormatError, UsageError) as exc:
        # the importers' hints name `--format`, which is the output format here
        exc.hint = re.sub(r"--format\b", "--input-format", exc.hint)
        raise
    if not vault.accounts:
        raise FormatError("there are no accounts to export",
                          hint="check the source file (and --tag, if given)")
    options = ExportOptions(
        now=int(time.time()),
        day=parse_date(args.date).date(),
        rng=random.SystemRandom(),
        paper=args.paper,
        container=container,
        self_check=not args.no_self_check,
    )
    result = export_vault(vault, args.output_format, options)
    for message in result.warnings:
        warn(message)
    if result.multi:
        targets = _gauth_targets(args.output, len(result.files))
        written = fsio.write_files(
            {path: result.files[n - 1] for path, n in targets.items()}, force=args.force
        )
    else:
        written = [fsio.write_file(args.output, result.data, force=args.force)]
    names = ", ".join(str(p) for p in written)
    print(f"exported {len(vault)} accounts as {args.output_format} to {names}")
    if result.warnings:
        print(f"{len(result.warnings)} warning(s) about what this format cannot hold "
              "(listed on stderr)")
    print("These files hold your secrets: delete or shred them when you no longer need them.")
    return 0
