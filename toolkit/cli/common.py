"""Helpers the command modules share: secrets from files or prompts, loading sources, output."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from toolkit import fsio
from toolkit.errors import InputFileError, PasswordRequiredError, UsageError
from toolkit.importers import import_bytes
from toolkit.model import Vault, merge_accounts
from toolkit.render.layout import PAPERS


def read_secret_file(path: str) -> str:
    """A password or passphrase from a file, with one trailing newline stripped (not more).

    A leading byte-order mark (Windows Notepad writes one) is not part of the secret.
    """
    try:
        text = fsio.read_secret_input(path).decode("utf-8-sig", errors="strict")
    except UnicodeDecodeError:
        raise InputFileError(f"{path} is not UTF-8 text: it cannot hold a password or passphrase",
                             hint="save the file as UTF-8 text") from None
    if text.endswith("\r\n"):
        return text[:-2]
    if text.endswith("\n"):
        return text[:-1]
    return text


def has_terminal() -> bool:
    try:
        return os.isatty(sys.stdin.fileno())
    except (AttributeError, OSError, ValueError):
        return False


def prompt_secret(prompt: str, option: str) -> str:
    """Ask for a secret without echo; a clear error when there is no terminal to ask on."""
    if not has_terminal():
        raise PasswordRequiredError(f"a {option.strip('-').split('-')[0]} is needed and there is "
                                    f"no terminal to ask on", hint=f"give it with {option} FILE")
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise PasswordRequiredError("no password was entered",
                                    hint=f"give it with {option} FILE") from None


def password_source(file: str | None, what: str, option: str = "--password-file") -> Any:
    """A PasswordSource: read `file` if given, else prompt once (only when the data needs it)."""
    cache: list[str] = []

    def get() -> str:
        if not cache:
            cache.append(read_secret_file(file) if file else prompt_secret(f"Password for {what}: ",
                                                                           option))
        return cache[0]

    return get


def load_vault(path: str, args: argparse.Namespace) -> Vault:
    """Load a vault from a paper2fa vault JSON or any export file paper2fa can import."""
    data = fsio.read_input(path)
    result = import_bytes(
        data,
        filename=Path(path).name,
        password=password_source(getattr(args, "password_file", None), path),
        forced=getattr(args, "format", None),
    )
    for note in result.notes:
        warn(note)
    return result.vault


def load_vaults(paths: list[str], args: argparse.Namespace) -> Vault:
    vaults = [load_vault(p, args) for p in paths]
    if len(vaults) == 1:
        return vaults[0]
    merged = merge_accounts([v.accounts for v in vaults])
    for note in merged.notes:
        warn(note)
    return merged.vault


def warn(message: str) -> None:
    print(f"paper2fa: {message}", file=sys.stderr)


def print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=2, ensure_ascii=False))


def add_output(parser: argparse.ArgumentParser, required: bool = True, help: str = "") -> None:
    parser.add_argument("-o", "--output", required=required, help=help or "output file")
    parser.add_argument("--force", action="store_true", help="replace the output if it exists")


def add_source_options(parser: argparse.ArgumentParser, format_flag: str = "--format") -> None:
    """The input options load_vault reads (`args.format`, `args.password_file`); a command
    whose own --format means something else names the input one differently."""
    parser.add_argument(format_flag, dest="format", metavar="NAME",
                        help="force the input format (see `paper2fa formats`)")
    parser.add_argument("--password-file", help="file holding the export's password")


def parse_date(text: str | None) -> datetime:
    """A `--date YYYY-MM-DD` option as midnight UTC; today (now, UTC) when not given."""
    if text is None:
        return datetime.now(UTC)
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise UsageError(f"--date {text!r} is not a date like 2026-01-31") from None


def add_sheet_options(parser: argparse.ArgumentParser, text_fallback: bool = True) -> None:
    """Options shared by every command that prints sheets (print, split, export's PDFs)."""
    parser.add_argument("--paper", choices=sorted(PAPERS), default="a4", help="paper size (a4)")
    if text_fallback:
        parser.add_argument("--text-fallback", action="store_true",
                            help="also print the sealed vault as numbered, checksummed text "
                            "lines")
    parser.add_argument("--no-self-check", action="store_true",
                        help="skip reading back every QR code (for benchmarks only)")
    parser.add_argument("--date", metavar="YYYY-MM-DD",
                        help="date printed on the sheets and used for check codes (default: "
                        "today)")
