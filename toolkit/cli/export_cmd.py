"""`paper2fa export`: a vault (or any importable export) to another app's format or a sheet."""

from __future__ import annotations

import argparse
import random
import re
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from toolkit import fsio
from toolkit.cli.bar import progress_bar
from toolkit.cli.common import (
    add_output,
    add_sheet_options,
    add_software_note_option,
    add_source_options,
    load_vault,
    parse_date,
    sheet_text,
    warn,
)
from toolkit.cli.languages import add_lang_option, sheet_language
from toolkit.display import counted, visible
from toolkit.errors import FormatError, OutputError, Source, UsageError
from toolkit.exporters import ExportOptions, ExportResult, all_exporters, export_vault
from toolkit.texts import DEFAULT_LANGUAGE

PRINTED_FORMATS = ("reenroll-pdf", "gauth-qr")
"""Formats whose PDF carries texts for a person (in the language of `--lang`)."""

SOFTWARE_NOTE_FORMAT = "reenroll-pdf"
"""The one export that prints where to get paper2fa, and so `--software-note`."""

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
        "FOLDER/ for numbered PNGs; the folder is created if needed) or reenroll-pdf (one QR "
        "code per account with tick boxes). Every output holds your secrets: it is written "
        "with mode 0600 and never over an existing file without --force. It says how many "
        "accounts it wrote and names each account left out (one the app would refuse or "
        "compute wrong codes for) with the way to carry it instead; what a format drops from "
        "an account it wrote (notes, tags...) is listed on stderr.",
    )
    p.add_argument("source", metavar="SRC", help="vault JSON or app export to read")
    p.add_argument("--format", required=True, choices=formats, dest="output_format",
                   help="output format")
    add_source_options(p, format_flag="--input-format")
    add_output(p, help="file to write (gauth-qr: FILE.pdf, NAME.png or a folder)")
    p.add_argument("--tag", help="only accounts with this tag")
    add_sheet_options(p, text_fallback=False)
    add_software_note_option(p, f"the {SOFTWARE_NOTE_FORMAT} sheet")
    p.add_argument("--large-print", action="store_true",
                   help=f"the {SOFTWARE_NOTE_FORMAT} sheet's running text at 14 pt instead of 10")
    add_lang_option(p)
    p.set_defaults(func=cmd_export)


def _is_folder(output: str) -> bool:
    return Path(output).is_dir() or output.endswith(("/", "\\"))


def _gauth_targets(output: str, parts: int) -> dict[Path, int]:
    """Where gauth-qr PNGs go: NAME.png -> NAME-1.png...; a folder -> paper2fa-gauth-1.png..."""
    out = Path(output)
    if _is_folder(output):
        folder, stem = out, GAUTH_PNG_STEM
    else:
        folder, stem = out.parent, out.stem
    return {folder / f"{stem}-{n}.png": n for n in range(1, parts + 1)}


def _check_output_folder(output: str, container: str) -> None:
    """Fail before any work when the output file's folder is missing (a folder target of
    gauth-qr PNGs is created instead, as `split` creates its own)."""
    if container == "png" and _is_folder(output):
        return
    folder = Path(output).parent
    if not folder.is_dir():
        raise OutputError("the output folder does not exist",
                          hint="create it first, or give another -o",
                          source=Source(file=str(folder)))


def _container(fmt: str, output: str) -> str:
    if fmt != "gauth-qr":
        return "pdf"
    out = Path(output)
    if out.suffix.lower() == ".pdf" and not out.is_dir():
        return "pdf"
    if out.suffix.lower() == ".png" or out.is_dir() or output.endswith(("/", "\\")):
        return "png"
    raise UsageError("give a FILE.pdf, a NAME.png or a FOLDER/ for gauth-qr",
                     source=Source(label=f"-o {output}"))


def _write(result: ExportResult, output: str, force: bool) -> list[Path]:
    if not result.multi:
        return [fsio.write_file(output, result.data, force=force)]
    targets = _gauth_targets(output, len(result.files))
    if _is_folder(output):
        fsio.ensure_output_dir(output)
    return fsio.write_files({path: result.files[n - 1] for path, n in targets.items()},
                            force=force)


def _report(result: ExportResult, total: int, fmt: str, written: list[Path]) -> None:
    """What was written and what was left out, on stdout; what a kept account lost, on stderr."""
    for message in result.warnings:
        warn(visible(message))
    exported = total - len(result.left_out)
    names = ", ".join(visible(str(p)) for p in written)
    count = f"{exported} of {total}" if result.left_out else f"{exported}"
    print(f"exported {count} accounts as {fmt} to {names}")
    if result.left_out:
        left_out = counted(len(result.left_out), "account", "accounts")
        print(f"left out {left_out} that {fmt} cannot carry:")
        for out in result.left_out:
            print(f"  {visible(out.label)}: {out.reason}")
        for carry in dict.fromkeys(out.carry for out in result.left_out):
            print(f"  to carry them: {carry}")
    if result.warnings:
        warned = counted(len(result.warnings), "warning", "warnings")
        print(f"{warned} about what this format cannot hold (listed on stderr)")


def _export_language(args: argparse.Namespace, container: str) -> str:
    """The language of a PDF export's texts; `--lang` is refused where no text is printed."""
    if args.output_format in PRINTED_FORMATS and container == "pdf":
        return sheet_language(args)
    if args.lang:
        what = f"{args.output_format} as PNG" if container == "png" else args.output_format
        raise UsageError(f"--lang sets the language of the PDF sheets of "
                         f"{' and '.join(PRINTED_FORMATS)}; {what} has no text to translate",
                         hint="leave --lang out")
    return DEFAULT_LANGUAGE


def _software_note(args: argparse.Namespace) -> str:
    """`--software-note`, checked; refused for a format that prints no sheet with it."""
    if args.software_note is not None and args.output_format != SOFTWARE_NOTE_FORMAT:
        raise UsageError(f"--software-note is printed on the {SOFTWARE_NOTE_FORMAT} sheet; "
                         f"{args.output_format} has no page for it", hint="leave it out")
    return sheet_text(args.software_note, "--software-note")


def _large_print(args: argparse.Namespace) -> bool:
    """`--large-print`; refused for a format that prints no sheet of running text."""
    if args.large_print and args.output_format != SOFTWARE_NOTE_FORMAT:
        raise UsageError(f"--large-print is for the {SOFTWARE_NOTE_FORMAT} sheet; "
                         f"{args.output_format} has no running text to enlarge",
                         hint="leave it out")
    return bool(args.large_print)


def cmd_export(args: argparse.Namespace) -> int:
    container = _container(args.output_format, args.output)
    _check_output_folder(args.output, container)
    lang = _export_language(args, container)
    software_note = _software_note(args)
    large_print = _large_print(args)
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
        lang=lang,
        software_note=software_note,
        large_print=large_print,
    )
    with progress_bar("export") as progress:
        result = export_vault(vault, args.output_format, replace(options, progress=progress))
    written = _write(result, args.output, args.force)
    _report(result, len(vault), args.output_format, written)
    print("These files hold your secrets: delete or shred them when you no longer need them.")
    return 0
