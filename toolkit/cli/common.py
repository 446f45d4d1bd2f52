"""Helpers the command modules share: secrets from files or prompts, loading sources, output."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from toolkit import constants as C
from toolkit import envelope, fsio
from toolkit.cli.bar import paused, write_line
from toolkit.cli.image_import import import_export
from toolkit.display import is_hidden, quoted, visible
from toolkit.errors import (
    FormatError,
    InputFileError,
    Paper2faError,
    PasswordRequiredError,
    Source,
    UsageError,
)
from toolkit.importers import find_importer
from toolkit.importers.base import IssuerNote
from toolkit.model import Vault, is_vault_json, merge_accounts, vault_from_json
from toolkit.progress import NO_PROGRESS, Progress
from toolkit.render.layout import PAPERS


def read_secret_file(path: str) -> str:
    """A password or passphrase from a file, with one trailing newline stripped (not more).

    A leading byte-order mark (Windows Notepad writes one) is not part of the secret.
    """
    try:
        text = fsio.read_secret_input(path).decode("utf-8-sig", errors="strict")
    except UnicodeDecodeError:
        raise InputFileError("this is not UTF-8 text: it cannot hold a password or passphrase",
                             hint="save the file as UTF-8 text",
                             source=Source(file=path)) from None
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
        with paused():
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


def sealed_file_error(data: bytes, path: str) -> FormatError | None:
    """The error for paper2fa's own sealed vault given where a vault or an export is read,
    saying which command opens it (None when `data` is not a sealed vault)."""
    if not envelope.is_sealed(data):
        return None
    message = "this is a paper2fa sealed vault, not a vault JSON or an app export"
    source = Source(file=path)
    try:
        header, _ = envelope.parse_header(data)
    except Paper2faError:
        return FormatError(message, hint=f"open it with `paper2fa open {visible(path)} -o "
                           "vault.json` (a passphrase copy) or `paper2fa combine` / `paper2fa "
                           "restore` with its shares (a split backup)", source=source)
    if header.scheme == envelope.SCHEME_PASSPHRASE:
        return FormatError(f"{message} (a passphrase copy)",
                           hint=f"open it first: paper2fa open {visible(path)} -o vault.json "
                           "(it asks for its passphrase), then use vault.json", source=source)
    return FormatError(f"{message} (a split backup: {header.threshold} of "
                       f"{header.share_count} shares open it)",
                       hint=f"restore it first: paper2fa combine {visible(path)} --share FILE "
                       "... -o vault.json, or paper2fa restore with the scanned sheets; then "
                       "use vault.json", source=source)


def load_vault(path: str, args: argparse.Namespace) -> Vault:
    """Load a vault from a paper2fa vault JSON or any export file paper2fa can import."""
    data = fsio.read_input(path)
    sealed = sealed_file_error(data, path)
    if sealed is not None:
        raise sealed
    result = import_export(  # an image's QR codes are read first
        data,
        filename=Path(path).name,
        password=password_source(getattr(args, "password_file", None), path),
        forced=getattr(args, "format", None),
    )
    for note in result.notes:
        warn(note)
    for line in issuer_note_lines(result.issuer_notes):
        warn(line)
    return result.vault


_ISSUER_SOURCES = {"label": "the label's", "parameter": "the issuer= parameter's"}


def issuer_note_lines(notes: Sequence[IssuerNote]) -> list[str]:
    """One line per URI whose label named another issuer than its issuer= parameter, saying
    which was kept; past `MAX_LISTED_NOTES`, the rest in one line."""
    lines = []
    for note in notes[: C.MAX_LISTED_NOTES]:
        m = note.mismatch
        account = f"{m.kept_issuer}:{m.name}" if m.name else m.kept_issuer
        lines.append(f"{note.source}: {note.where} ({account}): the label names the issuer "
                     f"\"{m.label_issuer}\" and the issuer= parameter \"{m.parameter_issuer}\"; "
                     f"kept {_ISSUER_SOURCES[m.kept]} \"{m.kept_issuer}\", not "
                     f"\"{m.dropped_issuer}\"")
    rest = notes[C.MAX_LISTED_NOTES :]
    if rest:
        kept = sorted({_ISSUER_SOURCES[n.mismatch.kept] for n in rest})
        lines.append(f"{rest[0].source}: {len(rest)} more URIs name one issuer in the label and "
                     f"another in the issuer= parameter; kept {' or '.join(kept)}")
    return lines


def load_vaults(paths: list[str], args: argparse.Namespace,
                progress: Progress = NO_PROGRESS) -> Vault:
    """Load and merge several sources (`merge_accounts`: nothing is lost); say which entries
    were one account and which accounts share a secret. `args.merge_same_secret` (import's
    option) also merges accounts with the same secret and settings under other names.
    `progress` gets the stage "export files read", with the accounts imported so far."""
    progress.start(len(paths), "export files read")
    vaults: list[Vault] = []
    for path in paths:
        progress.note(f"{sum(len(v) for v in vaults)} accounts imported, reading "
                      f"{Path(path).name}")
        vaults.append(load_vault(path, args))
        progress.advance()
    progress.note(f"{sum(len(v) for v in vaults)} accounts imported")
    same_secret = bool(getattr(args, "merge_same_secret", False))
    merged = merge_accounts([v.accounts for v in vaults], same_secret=same_secret)
    if merged.merged_note:
        warn(merged.merged_note)
    if merged.shared_note:
        warn(merged.shared_note + " (all are kept; `paper2fa audit` lists them"
             + ("" if same_secret else "; `paper2fa import --merge-same-secret` merges those "
                "with the same settings") + ")")
    return merged.vault


def warn(message: str) -> None:
    """A note on stderr; names from data in it are shown with hidden characters escaped."""
    write_line(f"paper2fa: {visible(message)}")


def print_json(obj: Any) -> None:
    """JSON on stdout. Characters that must not reach a terminal raw (`display.is_hidden`) are
    written as JSON escapes: the text is unchanged for a JSON reader. (json.dumps escapes
    control characters below U+0020 itself; the newlines left are its indentation.)"""
    text = json.dumps(obj, indent=2, ensure_ascii=False)
    if any(_escaped_in_json(ch) for ch in text):
        text = "".join(_json_escape(ch) if _escaped_in_json(ch) else ch for ch in text)
    print(text)


def _escaped_in_json(char: str) -> bool:
    return char >= " " and is_hidden(char)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code > 0xFFFF:  # JSON writes these as a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def read_vault_file(path: str) -> Vault:
    """A paper2fa vault file, for commands that change it in place (`add`,
    `add-recovery-codes`): any other file (an app export, a sealed vault) is refused before
    anything is written, so it stays byte for byte as it was."""
    data = fsio.read_input(path)
    sealed = sealed_file_error(data, path)
    if sealed is not None:
        raise sealed
    if not is_vault_json(data):
        try:
            kind = f"it looks like a {find_importer(data, Path(path).name).name} file"
        except Paper2faError:
            kind = "not in a format paper2fa knows"
        raise FormatError(f"this is not a paper2fa vault file ({kind}); only a vault file is "
                          "changed in place, and nothing was changed",
                          hint=f"import it into a vault first: paper2fa import {visible(path)} "
                          "-o vault.json, then give vault.json", source=Source(file=path))
    return vault_from_json(data)


def read_lines(path: str, what: str) -> list[str]:
    """The non-blank lines of a small UTF-8 text file (recovery codes, a CSV), stripped;
    a binary file or one with too many lines is a FormatError."""
    data = fsio.read_input(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormatError(f"this is not a text file (not UTF-8): it cannot hold {what}",
                          hint="give a plain text file, saved as UTF-8",
                          source=Source(file=path)) from None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > C.MAX_IMPORT_ENTRIES:
        raise FormatError(f"the file has more than {C.MAX_IMPORT_ENTRIES} lines: it is not a "
                          f"file of {what}", source=Source(file=path))
    return lines


def unix_time(text: str, option: str = "--at") -> int:
    """A UNIX time given on the command line (the argparse type of every `--at`): whole
    seconds within what a date can show (1970 to 9999); anything else is a UsageError."""
    hint = f"give {option} as seconds since 1970-01-01 UTC, for example 1700000000"
    shown = text if len(text) <= 24 else f"{text[:20]}... ({len(text)} characters)"
    try:
        value = int(text.strip())
    except ValueError:
        raise UsageError(f"{option} {visible(repr(shown))} is not a UNIX time (whole seconds)",
                         hint=hint) from None
    if not 0 <= value <= C.MAX_UNIX_TIME:
        raise UsageError(f"{option} {visible(shown.strip())} is outside the accepted range 0 "
                         f"to {C.MAX_UNIX_TIME} (1970-01-01 to 9999-12-31 UTC)", hint=hint)
    return value


def add_at_option(parser: argparse.ArgumentParser, help: str) -> None:
    """`--at UNIX_TIME` (`args.at`, None when not given), checked by `unix_time` as parsed."""
    parser.add_argument("--at", type=unix_time, metavar="UNIX_TIME", help=help)


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
        raise UsageError(f"--date {quoted(text, 20)} is not a date like 2026-01-31") from None


def add_sheet_options(parser: argparse.ArgumentParser, text_fallback: bool = True) -> None:
    """Options shared by every command that prints sheets (print, split, export's PDFs)."""
    parser.add_argument("--paper", choices=sorted(PAPERS), default="a4", help="paper size (a4)")
    if text_fallback:
        parser.add_argument("--text-fallback", action="store_true",
                            help="also print the vault as numbered, checksummed text lines "
                            "(the sealed vault when the sheets carry one: split, print "
                            "--passphrase-file; else the plain vault)")
    parser.add_argument("--no-self-check", action="store_true",
                        help="skip reading back every QR code (for benchmarks only)")
    parser.add_argument("--date", metavar="YYYY-MM-DD",
                        help="date printed on the sheets and used for check codes (default: "
                        "today)")


MAX_SHEET_TEXT = 200
"""Characters of `--owner`, `--contact` and `--software-note`: two lines on the sheet."""


def sheet_text(text: str | None, option: str) -> str:
    """An --owner, --contact or --software-note text as given, trimmed; control characters and
    line breaks are refused (other hidden characters are printed escaped,
    toolkit.display.visible)."""
    cleaned = (text or "").strip()
    if any(unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") for c in cleaned):
        raise UsageError(f"{option} \"{visible(cleaned)}\" has a line break or control character",
                         hint=f"give {option} as plain text on one line")
    if len(cleaned) > MAX_SHEET_TEXT:
        raise UsageError(f"{option} is {len(cleaned)} characters long; at most "
                         f"{MAX_SHEET_TEXT} fit on the sheet", hint=f"shorten {option}")
    return cleaned


def add_software_note_option(parser: argparse.ArgumentParser, where: str) -> None:
    """`--software-note TEXT`: the owner's line printed under where to get paper2fa."""
    parser.add_argument("--software-note", metavar="TEXT",
                        help="a line of your own printed under where to get paper2fa, on "
                        f"{where} (for example \"the paper2fa stick is in the blue envelope\"; "
                        f"at most {MAX_SHEET_TEXT} characters)")
