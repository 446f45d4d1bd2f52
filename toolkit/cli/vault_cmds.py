"""Commands on plain vaults: import, list, codes, add, add-recovery-codes, formats."""

from __future__ import annotations

import argparse
import csv
import io
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from toolkit import fsio, otp
from toolkit.cli.bar import progress_bar
from toolkit.cli.check_cmd import add_check_letters_option, lines_checked, page_secret, when
from toolkit.cli.common import (
    add_at_option,
    add_output,
    add_source_options,
    has_terminal,
    load_vault,
    load_vaults,
    print_json,
    prompt_secret,
    read_lines,
    read_secret_file,
    read_vault_file,
    warn,
)
from toolkit.display import counted, visible
from toolkit.errors import FormatError, Source, UsageError
from toolkit.importers import formats_table
from toolkit.model import Account, Vault, secret_from_base32, vault_to_json
from toolkit.secret_lines import check_line


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("import", help="read authenticator exports into a paper2fa vault file",
                       description="Read one or more authenticator app exports (format sniffed) "
                       "and write them as one paper2fa vault JSON file (mode 0600).")
    p.add_argument("sources", nargs="+", metavar="SRC", help="export files")
    add_source_options(p)
    add_output(p, help="vault JSON file to write")
    p.add_argument("--merge-same-secret", action="store_true",
                   help="also merge accounts with the same secret and settings under other "
                   "names into one (their other names go to its notes)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("list", help="list the accounts of a vault or export (no secrets)",
                       description="List accounts without their secrets.")
    p.add_argument("source", metavar="SRC")
    add_source_options(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--tag", help="only accounts with this tag")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("codes", help="show the current codes of every account",
                       description="Show current codes, seconds left and the UTC time used "
                       "(check it against a watch: TOTP codes are wrong on a wrong clock).")
    p.add_argument("source", metavar="SRC")
    add_source_options(p)
    add_at_option(p, help="compute at this time instead (0 to 253402300799)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--tag", help="only accounts with this tag")
    p.set_defaults(func=cmd_codes)

    p = sub.add_parser("add", help="enter an account by hand (the secret a site shows)",
                       description="Add an account to a vault file (created if missing). "
                       "Without --secret-file the secret is asked for without echo. The current "
                       "code is printed so you can compare it with your phone before saving. "
                       "With --at, the key is typed from a home-safe page: its lines are read "
                       "with or without their check letters, and the code at that time is "
                       "printed to compare with the page's check code.")
    p.add_argument("vault", metavar="VAULT")
    p.add_argument("--issuer", required=True)
    p.add_argument("--name", required=True, help="account name (user name or e-mail)")
    p.add_argument("--secret-file", help="file holding the base32 secret")
    p.add_argument("--type", choices=["totp", "hotp", "steam"], default="totp")
    p.add_argument("--algorithm", choices=["SHA1", "SHA256", "SHA512"], default="SHA1")
    p.add_argument("--digits", type=int, default=6)
    p.add_argument("--period", type=int, default=30)
    p.add_argument("--counter", type=int, default=0)
    p.add_argument("--notes", default="")
    p.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    p.add_argument("--other-factor", action="append", default=[],
                   help="another registered factor, e.g. 'YubiKey 5 (keyring)' (repeatable)")
    p.add_argument("--recovery-codes-file", help="file with the site's backup codes, one a line")
    p.add_argument("--yes", action="store_true", help="save without asking to compare the code")
    add_at_option(p, help="type the key from a home-safe page and show the code at this time "
                  "(the UNIX time printed with the account's check code; 0 to 253402300799)")
    add_check_letters_option(p)
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("add-recovery-codes", help="attach a site's backup codes to accounts",
                       description="Attach recovery (backup) codes: --account with --file "
                       "(one code per line), or --csv with rows issuer,name,code.")
    p.add_argument("vault", metavar="VAULT")
    p.add_argument("--account", help="'Issuer' or 'Issuer:name' of the account")
    p.add_argument("--file", help="file with one recovery code per line")
    p.add_argument("--csv", help="CSV file with header issuer,name,code (one code a row)")
    p.set_defaults(func=cmd_add_recovery_codes)

    p = sub.add_parser("formats", help="list the file formats paper2fa can import",
                       description="List every import format with its --format name.")
    p.set_defaults(func=cmd_formats)


def _write_vault(path: str, vault: Vault, force: bool) -> None:
    fsio.write_file(path, vault_to_json(vault), force=force)


def cmd_import(args: argparse.Namespace) -> int:
    with progress_bar("import") as progress:
        vault = load_vaults(args.sources, args, progress)
    _write_vault(args.output, vault, args.force)
    print(f"imported {counted(len(vault), 'account', 'accounts')} from "
          f"{counted(len(args.sources), 'file', 'files')} into {visible(args.output)}")
    print(f"vault fingerprint: {vault.fingerprint}")
    return 0


def _account_row(account: Account) -> dict[str, Any]:
    return {
        "issuer": account.issuer,
        "name": account.name,
        "type": account.type,
        "algorithm": account.algorithm,
        "digits": account.digits,
        "period": account.period if account.type != "hotp" else None,
        "counter": account.counter if account.type == "hotp" else None,
        "tags": list(account.tags),
        "recovery_codes": len(account.recovery_codes),
        "other_factors": list(account.other_factors),
        "has_notes": bool(account.notes),
    }


def _settings(account: Account) -> str:
    if account.type == "hotp":
        return f"{account.algorithm}/{account.digits}/counter {account.counter}"
    return f"{account.algorithm}/{account.digits}/{account.period}s"


def cmd_list(args: argparse.Namespace) -> int:
    vault = load_vault(args.source, args).with_tag(args.tag)
    if args.json:
        print_json({"fingerprint": vault.fingerprint,
                    "accounts": [_account_row(a) for a in vault.accounts]})
        return 0
    rows = [("ISSUER", "NAME", "TYPE", "SETTINGS", "RECOVERY CODES", "TAGS")]
    for a in vault.accounts:
        rows.append((visible(a.issuer), visible(a.name), a.type, _settings(a),
                     str(len(a.recovery_codes)), visible(",".join(a.tags))))
    _print_table(rows)
    print(f"{len(vault)} accounts, vault fingerprint {vault.fingerprint}")
    return 0


def _print_table(rows: Sequence[Sequence[str]]) -> None:
    widths = [min(40, max(len(r[i]) for r in rows)) for i in range(len(rows[0]))]
    for row in rows:
        cells = [c if len(c) <= w else c[: w - 1] + "…" for c, w in zip(row, widths, strict=True)]
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())


def cmd_codes(args: argparse.Namespace) -> int:
    at = args.at if args.at is not None else int(time.time())
    vault = load_vault(args.source, args).with_tag(args.tag)
    when = datetime.fromtimestamp(at, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    entries = []
    for a in vault.accounts:
        entry: dict[str, Any] = {"issuer": a.issuer, "name": a.name, "type": a.type}
        if a.type == "hotp":
            entry["next_codes"] = [{"counter": c, "code": code}
                                   for c, code in otp.next_hotp_codes(a, 3)]
        else:
            entry["code"] = otp.code_at(a, at)
            entry["seconds_left"] = otp.seconds_left(a, at)
        entries.append(entry)
    if args.json:
        print_json({"time": at, "utc": when, "accounts": entries})
        return 0
    print(f"Codes at {when} (unix {at}). Check this time against a watch: "
          "on a wrong clock every TOTP code is wrong.")
    for a, e in zip(vault.accounts, entries, strict=True):
        if a.type == "hotp":
            codes = ", ".join(f"{x['code']} (counter {x['counter']})" for x in e["next_codes"])
            print(f"  {visible(a.label)}: next HOTP codes {codes}")
        else:
            print(f"  {visible(a.label)}: {e['code']}  ({e['seconds_left']} s left)")
    if any(a.type == "hotp" for a in vault.accounts):
        print("HOTP: the site accepts the next unused code; if it refuses, try the following "
              "ones (most sites look a few counters ahead) to resynchronise.")
    return 0


def _existing_vault(path: str, create: bool = True) -> Vault | None:
    """The vault file a command changes in place: only a paper2fa vault (an export or a sealed
    vault is refused unchanged). With `create`, a missing file is None (a new vault), checked
    as an output first: a symbolic link to nothing is refused before anything is asked."""
    if create and not Path(path).exists():
        fsio.check_output_free(path)
        return None
    return read_vault_file(path)


def _update_vault(path: str, vault: Vault, new: bool) -> None:
    fsio.update_file(path, vault_to_json(vault), new=new)


def _read_codes(path: str) -> list[str]:
    return read_lines(path, "recovery codes")


def cmd_add(args: argparse.Namespace) -> int:
    existing = _existing_vault(args.vault)
    vault = existing if existing is not None else Vault()
    if args.at is not None:
        secret, read = page_secret(args)
    elif args.check_letters:
        raise UsageError("--check-letters is for a key typed from a home-safe page, with --at")
    elif args.secret_file:
        secret = secret_from_base32(read_secret_file(args.secret_file))
    else:
        secret = secret_from_base32(prompt_secret("Secret key shown by the site (base32): ",
                                                  "--secret-file"))
    account = Account(
        issuer=args.issuer, name=args.name, secret=secret,
        type=args.type, algorithm=args.algorithm, digits=args.digits, period=args.period,
        counter=args.counter, notes=args.notes, tags=tuple(args.tag),
        other_factors=tuple(args.other_factor),
        recovery_codes=tuple(_read_codes(args.recovery_codes_file))
        if args.recovery_codes_file else (),
    )
    at = args.at if args.at is not None else int(time.time())
    if args.at is not None:
        check = check_line(account, at)
        moment = "at counter 0" if account.type == "hotp" else f"at {when(at)}"
        print(lines_checked(read))
        print(f"{visible(account.label)}: check code {check.text} (the code {moment}); it must "
              "equal the check code printed for this account")
    elif account.type == "hotp":
        print(f"{visible(account.label)}: next code {otp.code_at(account, at)} "
              f"(counter {account.counter})")
    else:
        print(f"{visible(account.label)}: current code {otp.code_at(account, at)} "
              f"({otp.seconds_left(account, at)} s left)")
    if args.at is None and not args.yes and has_terminal():
        answer = input("Does your phone or the site show the same code? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            raise UsageError("not saved: the codes did not match",
                             hint="check the secret (0/O, 1/I, 8/B) and the settings")
    duplicates = [a for a in vault.accounts if a.params_key == account.params_key]
    if duplicates:
        raise FormatError(f"the vault already has this account as "
                          f"{visible(duplicates[0].label)}",
                          hint="nothing was changed")
    _update_vault(args.vault, Vault((*vault.accounts, account)), new=existing is None)
    print(f"saved {visible(account.label)} to {visible(args.vault)} ({len(vault) + 1} accounts)")
    return 0


def _select(vault: Vault, selector: str) -> Account:
    issuer, sep, name = selector.partition(":")
    matches = [a for a in vault.accounts if a.issuer.casefold() == issuer.strip().casefold()
               and (not sep or a.name.casefold() == name.strip().casefold())]
    if not matches:
        raise UsageError(f"no account matches {visible(repr(selector))}",
                         hint="see `paper2fa list VAULT`")
    if len(matches) > 1:
        raise UsageError(f"{len(matches)} accounts match {visible(repr(selector))}",
                         hint="give it as 'Issuer:name'")
    return matches[0]


def _csv_codes(vault: Vault, path: str) -> dict[Account, list[str]]:
    """Recovery codes by account from a CSV with the header issuer,name,code."""
    text = "\n".join(read_lines(path, "recovery codes (a CSV)"))
    reader = csv.DictReader(io.StringIO(text), strict=True)
    additions: dict[Account, list[str]] = {}
    try:
        if not reader.fieldnames or not {"issuer", "name", "code"} <= set(reader.fieldnames):
            raise FormatError("the CSV needs the header issuer,name,code",
                              source=Source(file=path))
        for row in reader:
            code = (row.get("code") or "").strip()
            if code:
                account = _select(vault, f"{row.get('issuer') or ''}:{row.get('name') or ''}")
                additions.setdefault(account, []).append(code)
    except csv.Error:
        raise FormatError("the CSV is damaged (an unclosed quote?)",
                          hint="save it again as CSV with the header issuer,name,code; "
                          "nothing was changed", source=Source(file=path)) from None
    return additions


def cmd_add_recovery_codes(args: argparse.Namespace) -> int:
    if args.csv and (args.account or args.file):
        raise UsageError("give either --csv or --account with --file")
    if not args.csv and not (args.account and args.file):
        raise UsageError("give --account and --file (or --csv)")
    vault = _existing_vault(args.vault, create=False)
    if vault is None or not vault.accounts:
        raise UsageError("the vault has no accounts", source=Source(file=args.vault))
    if args.csv:
        additions = _csv_codes(vault, args.csv)
    else:
        additions = {_select(vault, args.account): _read_codes(args.file)}
    if not any(additions.values()):
        raise FormatError("the file holds no recovery code",
                          hint="one code a line (a CSV: the header issuer,name,code, then a "
                          "row per code); nothing was changed",
                          source=Source(file=args.csv or args.file))
    updated = []
    for account in vault.accounts:
        new = additions.get(account)
        if new:
            codes = list(account.recovery_codes) + [c for c in new
                                                    if c not in account.recovery_codes]
            account = account.with_changes(recovery_codes=tuple(codes))
        updated.append(account)
    _update_vault(args.vault, Vault(tuple(updated)), new=False)
    total = sum(len(v) for v in additions.values())
    print(f"attached {total} recovery codes to {counted(len(additions), 'account', 'accounts')} in "
          f"{visible(args.vault)}")
    return 0


def cmd_formats(args: argparse.Namespace) -> int:
    for name, description in formats_table():
        print(f"{name:24} {description}")
    if not sys.stdout.isatty():
        return 0
    warn("use `paper2fa import --format NAME` to force a format")
    return 0
