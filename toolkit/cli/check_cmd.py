"""`paper2fa check`: is a secret typed from a home-safe page right? Writes nothing."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from toolkit.cli.common import has_terminal, prompt_secret, read_secret_file
from toolkit.display import visible
from toolkit.errors import AccountError, Source, UsageError
from toolkit.recovery.typed import (
    Settings,
    TypedCheck,
    check_typed,
    typed_account,
    typed_secret,
    typed_secrets_file,
)
from toolkit.secret_lines import AmbiguousLines, CheckLetters, TypedLines

SAY_WHICH = ("type that line as printed, with its spaces (groups of four, the check letter "
             "apart), or say which with --check-letters included or --check-letters left-out")
MAX_LINES = 100
"""More secret lines than the longest secret paper2fa prints."""


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "check", help="check a secret typed from a home-safe page against its check code",
        description="Check the secret lines of an account typed from a home-safe page (with or "
        "without their check letters) and its settings against the printed check line. Says "
        "which line has a typing mistake, or that secret and settings give the printed check "
        "code. Writes nothing. Without --secret-file the lines are asked for without echo.")
    p.add_argument("typed", nargs="?", metavar="TYPED_FILE",
                   help="a file of typed secrets (the format of restore --typed-secrets); "
                   "every account in it is checked")
    p.add_argument("--secret-file", metavar="F",
                   help="file holding the typed secret lines, one printed line per line")
    p.add_argument("--check-line", metavar="TEXT",
                   help="the check line as printed, e.g. '644494 @ 1768435200'")
    add_settings_options(p)
    add_check_letters_option(p)
    p.set_defaults(func=cmd_check, handles_secrets=True)


def add_settings_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--type", choices=["totp", "hotp", "steam"], default="totp",
                   help="as printed beside the key (default totp)")
    p.add_argument("--algorithm", choices=["SHA1", "SHA256", "SHA512"], default="SHA1")
    p.add_argument("--digits", type=int, default=6)
    p.add_argument("--period", type=int, default=30, help="seconds (default 30)")


def add_check_letters_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--check-letters", choices=[c.value for c in CheckLetters],
                   help="say whether the typed lines end with their check letters (only needed "
                   "when the lines can be read both ways)")


def check_letters(args: argparse.Namespace) -> CheckLetters | None:
    return CheckLetters(args.check_letters) if args.check_letters else None


def typed_lines(secret_file: str | None) -> list[str]:
    """Secret lines from a file, or asked for one by one without echo at a terminal."""
    if secret_file:
        return read_secret_file(secret_file).splitlines()
    lines: list[str] = []
    while len(lines) < MAX_LINES:
        line = prompt_secret(f"Secret line {len(lines) + 1} as printed (an empty line when "
                             "done): ", "--secret-file")
        if not line.strip():
            break
        lines.append(line)
    return lines


def page_secret(args: argparse.Namespace) -> tuple[bytes, TypedLines]:
    """The secret typed from a home-safe page (add --at): lines from --secret-file or asked."""
    typed = typed_secret(typed_lines(args.secret_file), check_letters(args))
    if isinstance(typed, AmbiguousLines):
        raise AccountError(typed.message, hint=SAY_WHICH)
    return typed


def lines_checked(read: TypedLines) -> str:
    lines = "line 1" if read.lines == 1 else f"lines 1 to {read.lines}"
    if len(read.checked) == read.lines:
        return f"secret {lines}: every check letter matches"
    if read.checked:
        return f"secret {lines}: the check letters typed match (some were left out)"
    return f"secret {lines}: typed without check letters"


def refuse_ambiguous(result: TypedCheck | AmbiguousLines) -> TypedCheck:
    if isinstance(result, AmbiguousLines):
        raise AccountError(result.message, hint=SAY_WHICH)
    return result


def when(at: int) -> str:
    return datetime.fromtimestamp(at, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")


def cmd_check(args: argparse.Namespace) -> int:
    if args.typed:
        if args.secret_file or args.check_line:
            raise UsageError("give either TYPED_FILE or --secret-file with --check-line")
        return _check_file(args.typed, check_letters(args))
    lines = typed_lines(args.secret_file)
    check = args.check_line
    if check is None and has_terminal():
        try:
            check = input("Check line as printed (like 644494 @ 1768435200; empty to skip): ")
        except EOFError:
            check = None
    settings = Settings(type=args.type, algorithm=args.algorithm, digits=args.digits,
                        period=args.period)
    result = refuse_ambiguous(check_typed(lines, settings, check,
                                          check_letters=check_letters(args)))
    if result.check is None and not result.lines.checked:
        raise UsageError("nothing was checked: the lines have no check letters and no check "
                         "line was given",
                         hint="give the check line printed for the account with --check-line")
    for line in report(result):
        print(line)
    return 0


def report(result: TypedCheck) -> list[str]:
    """What was checked, in words (never the secret)."""
    out = [lines_checked(result.lines)]
    a = result.account
    if result.check is None:
        return [*out, "no check line given: the settings were not checked"]
    settings = (f"HOTP {a.algorithm}, {a.digits} digits" if a.type == "hotp" else
                f"Steam, {a.period} s" if a.type == "steam" else
                f"TOTP {a.algorithm}, {a.digits} digits, {a.period} s")
    at = result.check.at
    moment = (f"at counter {at or 0}" if a.type == "hotp" else
              f"at {when(at)}" if at is not None else "")
    return [*out, f"check code {result.check.text} ({moment}): this secret with {settings} "
            "gives it", "the typed secret and its settings are right; nothing was written"]


def _check_file(path: str, letters: CheckLetters | None) -> int:
    blocks = typed_secrets_file(path)
    wrong = 0
    for number, fields in enumerate(blocks, 1):
        label = f"typed secret {number}"
        try:
            account = typed_account(fields, label, check_letters=letters)
        except AccountError as exc:
            wrong += 1
            print(f"paper2fa: {visible(exc.located)}", file=sys.stderr)
            continue
        print(f"{label} ({visible(account.label)}): right, it gives the printed check code")
    if wrong:
        raise AccountError(f"{wrong} of {len(blocks)} typed secrets are wrong",
                           hint="compare the lines named above with the paper again",
                           source=Source(file=path))
    print("nothing was written")
    return 0
