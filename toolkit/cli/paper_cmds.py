"""Commands about the paper backup: print, and its readiness and freshness: audit, diff.

Each command has its own register_* and cmd_* functions; `register` adds them all.
"""

from __future__ import annotations

import argparse
from typing import Any

from toolkit import envelope, fsio
from toolkit.audit import (
    MIN_SECRET_BITS,
    AccountRef,
    AuditReport,
    VaultDiff,
    audit_vault,
    diff_vaults,
)
from toolkit.cli.bar import progress_bar
from toolkit.cli.common import (
    add_output,
    add_sheet_options,
    add_software_note_option,
    add_source_options,
    load_vault,
    parse_date,
    print_json,
    read_secret_file,
    sheet_text,
    warn,
)
from toolkit.cli.languages import add_lang_option, sheet_language
from toolkit.display import visible
from toolkit.errors import Source, UsageError
from toolkit.exporters.otpauth import label_warnings
from toolkit.render.checklist import audit_facts
from toolkit.render.home_safe import render_home_safe, render_home_safe_sealed
from toolkit.render.layout import PAPERS
from toolkit.selfcheck import SELF_CHECK_DPI

OUT_OF_DATE = "paper is out of date: print a new generation and destroy the old sheets"
"""What `diff` says whenever the two vaults differ."""


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this group's commands to the parser."""
    register_audit(sub)
    register_diff(sub)
    register_print(sub)


# --- audit ------------------------------------------------------------------------------------


def register_audit(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "audit",
        help="readiness report: what to fix before relying on the backup",
        description="Report accounts with no recovery codes or no other factor recorded, HOTP "
        "accounts, secrets shorter than 128 bits, duplicates, settings that common apps "
        "ignore, and the order to move accounts to a new phone (critical first). "
        "A report: exits 0 whatever it finds.",
    )
    p.add_argument("source", metavar="SRC", help="vault JSON or app export")
    add_source_options(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_audit)


def _section(title: str, refs: list[str], advice: str, count: int | None = None) -> None:
    print(f"{title}: {len(refs) if count is None else count}")
    if refs:
        print(f"  {advice}")
        for ref in refs:
            print(f"  - {visible(ref)}")


def print_audit(report: AuditReport) -> None:
    print(f"Audit of {report.account_count} accounts (vault fingerprint {report.fingerprint})")
    print()
    _section("No recovery codes recorded", [r.label for r in report.no_recovery_codes],
             "get each site's backup codes and add them (paper2fa add-recovery-codes)")
    _section("No other factor recorded", [r.label for r in report.no_other_factor],
             "a second factor (security key, backup phone) is a way in if this backup is lost")
    _section("No way in without this backup (neither of the above)",
             [r.label for r in report.no_fallback],
             "these accounts are lost with the phone if the paper backup fails: fix them first")
    _section("HOTP (counter-based) accounts", [r.label for r in report.hotp],
             "the counter moves on every use: the paper copy falls behind; the site usually "
             "accepts a few codes ahead")
    _section(f"Secrets shorter than {MIN_SECRET_BITS} bits",
             [f"{s.account.label} ({s.bits} bits)" for s in report.short_secrets],
             "weak by today's advice: re-enrol two-factor on the site to get a longer secret")
    _section("Accounts that share a secret with another account",
             [" = ".join(r.label for r in group) for group in report.duplicates],
             "all are kept; if a group is one account under two names, remove the older name; "
             "two sites should never share a secret: re-enrol one of them",
             count=sum(len(group) for group in report.duplicates))
    _section("Settings that Google/Microsoft Authenticator ignore",
             [f"{i.account.label}: {', '.join(i.settings)}" for i in report.ignored_settings],
             "use an app that honours them (Aegis, 2FAS, Ente Auth) for these accounts")
    print()
    print("Suggested order for moving accounts to a new phone:")
    for number, step in enumerate(report.move_order, start=1):
        mark = "  (critical)" if step.critical else ""
        print(f"  {number:>3}. {visible(step.account.label)}{mark}")


def cmd_audit(args: argparse.Namespace) -> int:
    report = audit_vault(load_vault(args.source, args))
    if args.json:
        print_json(report.to_json())
    else:
        print_audit(report)
    return 0


# --- diff -------------------------------------------------------------------------------------


def register_diff(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "diff",
        help="compare two vaults: what was added, removed or changed",
        description="Compare OLD (for example the vault your paper sheets hold) with NEW: "
        "accounts added, removed and changed (matched by issuer and name; secrets are never "
        "shown, only 'secret changed'). Exits 0 when both hold the same accounts, 1 when they "
        "differ (then the paper is out of date).",
    )
    p.add_argument("old", metavar="OLD", help="the older vault (or export)")
    p.add_argument("new", metavar="NEW", help="the newer vault (or export)")
    add_source_options(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_diff)


def _refs(title: str, refs: tuple[AccountRef, ...], mark: str) -> None:
    if refs:
        print(f"{title}: {len(refs)}")
        for ref in refs:
            print(f"  {mark} {visible(ref.label)}")


def print_diff(diff: VaultDiff) -> None:
    print(f"old: vault fingerprint {diff.old_fingerprint}")
    print(f"new: vault fingerprint {diff.new_fingerprint}")
    if diff.identical:
        print("identical: the same accounts, secrets and settings")
        return
    _refs("added", diff.added, "+")
    _refs("removed", diff.removed, "-")
    if diff.changed:
        print(f"changed: {len(diff.changed)}")
        for change in diff.changed:
            print(f"  ~ {visible(change.account.label)}")
            for field in change.changes:
                print(f"      {visible(field.description)}")
    print(OUT_OF_DATE)


def cmd_diff(args: argparse.Namespace) -> int:
    diff = diff_vaults(load_vault(args.old, args), load_vault(args.new, args))
    if args.json:
        out = diff.to_json()
        if not diff.identical:
            out["advice"] = OUT_OF_DATE
        print_json(out)
    else:
        print_diff(diff)
    return 0 if diff.identical else 1


# --- print ------------------------------------------------------------------------------------


def register_print(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "print",
        help="make the home-safe backup PDF (QR codes, secrets, restore page, checklist)",
        description="Make the home-safe backup PDF: an index, every account's QR code (scannable "
        "by any authenticator app), its secret in checked lines, a check code, its recovery "
        "codes and notes; the whole vault as QR frames; a restore page and a checklist. The PDF "
        "is rasterized and every QR code read back before it is written. With "
        "--passphrase-file only the vault sealed under that passphrase is printed.",
    )
    p.add_argument("source", metavar="SRC", help="vault JSON or app export")
    add_source_options(p)
    add_output(p, help="PDF file to write")
    p.add_argument("--tag", help="only accounts with this tag")
    p.add_argument("--passphrase-file", metavar="FILE",
                   help="seal the vault under the passphrase in FILE and print only the sealed "
                   "vault (no account names or secrets on paper)")
    p.add_argument("--generation", type=int, default=1, metavar="N",
                   help="generation number printed on every page (raise it on every reprint)")
    add_sheet_options(p)
    add_software_note_option(p, "the page for the helper with a computer")
    p.add_argument("--large-print", action="store_true",
                   help="running text at 14 pt instead of 10 (more pages)")
    add_lang_option(p)
    p.set_defaults(func=cmd_print)


def cmd_print(args: argparse.Namespace) -> int:
    envelope.check_generation(args.generation)
    fsio.check_output_free(args.output, args.force)
    date = parse_date(args.date)
    paper = PAPERS[args.paper]
    software_note = sheet_text(args.software_note, "--software-note")
    vault = load_vault(args.source, args).with_tag(args.tag)
    if not vault.accounts:
        if args.tag:
            raise UsageError(f"no account has the tag \"{visible(args.tag)}\"")
        raise UsageError("no accounts to print", source=Source(file=args.source))
    report = audit_vault(vault)
    lang = sheet_language(args)
    with progress_bar("print") as progress:
        if args.passphrase_file:
            passphrase = read_secret_file(args.passphrase_file)
            envelope.check_new_passphrase(passphrase)
            progress.start(None, "sealing the vault")
            sealed = envelope.seal_checked(vault, passphrase, now=date,
                                           generation=args.generation)
            rendered = render_home_safe_sealed(
                sealed.to_bytes(), count=len(vault), fingerprint=vault.fingerprint, date=date,
                generation=args.generation, paper=paper,
                facts=audit_facts(report, names=False, lang=lang),
                text_fallback=args.text_fallback, lang=lang, self_check=not args.no_self_check,
                software_note=software_note, large_print=args.large_print, progress=progress)
        else:
            rendered = render_home_safe(vault, date=date, generation=args.generation,
                                        paper=paper, tag=args.tag,
                                        facts=audit_facts(report, lang=lang),
                                        text_fallback=args.text_fallback, lang=lang,
                                        self_check=not args.no_self_check,
                                        software_note=software_note,
                                        large_print=args.large_print, progress=progress)
    fsio.write_file(args.output, rendered.pdf, force=args.force)
    if not args.passphrase_file:  # the sheet warns beside these accounts' QR codes too
        for line in label_warnings(vault.accounts):
            warn(f"{line} (the sheet says so beside its QR code)")
    what = "sealed vault" if args.passphrase_file else f"{len(vault)} accounts"
    print(f"wrote {visible(args.output)}: {what}, {rendered.pages} pages, "
          f"{len(rendered.qr_texts)} QR codes")
    if args.no_self_check:
        print("self-check skipped (--no-self-check): do not print this file without checking it")
    else:
        print(f"self-check: all {len(rendered.qr_texts)} QR codes read back exactly "
              f"at {SELF_CHECK_DPI} DPI")
    print(f"vault fingerprint: {vault.fingerprint}, generation {args.generation}")
    print("next: print at 100 % (actual size), then scan the pages and test them with "
          "`paper2fa verify`")
    return 0
