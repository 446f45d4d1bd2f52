"""Commands that read paper back: scan, restore, verify.

They only prompt and print: reading, grouping, choosing and opening are toolkit.recovery's.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from types import EllipsisType
from typing import Any

from toolkit import frames, fsio, recovery, scan
from toolkit.camera import advice_text
from toolkit.cli.bar import progress_bar, write_line
from toolkit.cli.camera_restore import add_camera_options, read_with_camera, wants_camera
from toolkit.cli.common import (
    add_source_options,
    has_terminal,
    load_vault,
    print_json,
    prompt_secret,
    read_secret_file,
    warn,
)
from toolkit.display import quoted, visible
from toolkit.errors import (
    NotEnoughError,
    Paper2faError,
    ScanError,
    UsageError,
)
from toolkit.model import vault_to_json
from toolkit.recovery import Decision, LeftOut, RecoveryState, Restored, Verdict, Why
from toolkit.recovery.inputs import scan_pages
from toolkit.recovery.opening import PassphraseSource
from toolkit.recovery.state import QrKind, qr_kind
from toolkit.recovery.typed import typed_account, typed_secrets_file
from toolkit.texts import DEFAULT_LANGUAGE, languages

SCANS_HELP = ("scanned pages: PDF, PNG, JPEG, TIFF or HEIC files, or folders of them, in any "
              "order (unrelated pages are ignored)")



def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this group's commands to the parser."""
    p = sub.add_parser("scan", help="list the QR codes found in scans (to debug a bad scan)",
                       description="Read every QR code on every page of the scans and list "
                       "what each is, with its page and position. Secrets are hidden unless "
                       "--json is given (then the full QR texts are printed: keep it private).")
    p.add_argument("scans", nargs="+", metavar="SCAN", help=SCANS_HELP)
    p.add_argument("--json", action="store_true",
                   help="machine-readable output with the full QR texts (they hold secrets)")
    _add_scan_options(p)
    p.set_defaults(func=cmd_scan)

    p = sub.add_parser("restore", help="restore a vault from scanned sheets (and typed words)",
                       description="Read all the inputs first (scans, sealed vault files, share "
                       "and text-fallback files, typed words), group what they hold by backup, "
                       "choose the one backup to restore by the rules of docs/restore.md, open "
                       "it and write its vault JSON (mode 0600). If something is missing, or "
                       "the inputs hold more than one backup that could be meant, it says "
                       "exactly what and writes nothing.")
    p.add_argument("scans", nargs="*", metavar="SCAN", help=SCANS_HELP + "; sealed vault "
                   "files (vault.p2fa), text-fallback files and share .txt files are accepted "
                   "too")
    p.add_argument("-o", "--output", help="vault JSON file to write (not needed with "
                   "--dry-run)")
    p.add_argument("--force", action="store_true", help="replace the output if it exists")
    _add_secret_options(p)
    p.add_argument("--typed-secrets", metavar="F",
                   help="home-safe accounts typed by hand (when a QR code is destroyed): "
                   "blocks of issuer/name/secret/check lines, each checked against its check "
                   "letters and printed check code")
    p.add_argument("--accounts-only", action="store_true",
                   help="home-safe backup whose vault QR frames are incomplete: write the "
                   "accounts of the account QR codes and typed secrets (no notes, tags or "
                   "recovery codes)")
    p.add_argument("--dry-run", action="store_true",
                   help="show the backups found and the one that would be restored; write "
                   "nothing and ask for no passphrase")
    p.add_argument("--json", action="store_true", help="with --dry-run: machine-readable")
    add_camera_options(p)
    _add_lang_option(p, "the restore")
    _add_scan_options(p)
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("verify", help="prove that printed paper restores exactly to the source",
                       description="Restore from scans of freshly printed paper (nothing is "
                       "written) and compare with the source vault: same accounts, secrets, "
                       "settings, recovery codes and fingerprint, and on a home-safe backup "
                       "every printed account QR code read back and checked. Differences are "
                       "named by account and field, never by secret.")
    p.add_argument("scans", nargs="+", metavar="SCAN", help=SCANS_HELP)
    p.add_argument("--against", required=True, metavar="SRC",
                   help="the vault (or export) the paper was printed from")
    add_source_options(p)
    _add_secret_options(p)
    _add_scan_options(p)
    _add_lang_option(p, "verify")
    p.add_argument("--json", action="store_true", help="machine-readable output (its keys "
                   "and values stay the same whatever --lang)")
    p.set_defaults(func=cmd_verify)


def _add_lang_option(p: argparse.ArgumentParser, command: str) -> None:
    """restore's and verify's --lang: the same option, the same default."""
    extra = ("what the camera says to the person holding the sheets, " if command ==
             "the restore" else "whether the paper restores exactly, each difference, ")
    p.add_argument("--lang", choices=languages(), metavar="LANG",
                   help=f"language of what {command} tells: {extra}what is missing and what "
                   f"to do, why a vault is damaged, why an input was left out or skipped: "
                   f"{', '.join(languages())} (default {DEFAULT_LANGUAGE}); other messages "
                   "stay English")


def _add_scan_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--thorough", action="store_true",
                   help="run every decoder retry on every page from the start (slower; "
                   "otherwise done only when something is missing)")
    p.add_argument("--dpi", type=int, default=None, metavar="N",
                   help="rasterize PDF pages at N DPI (default: the resolution of the scan "
                   f"inside, or {scan.PDF_DPI} for PDFs made by paper2fa)")


def _add_secret_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--passphrase-file", metavar="F",
                   help="file holding the passphrase, if the backup has one (else asked)")
    p.add_argument("--words-file", metavar="F",
                   help="shares typed as words: one share per line; blank lines and # "
                   "comments ignored")
    p.add_argument("--words", action="store_true",
                   help="type shares' words at a prompt (each word checked as it is typed)")
    p.add_argument("--set", metavar="ID", dest="choice",
                   help="the backup to restore when the inputs hold several: its set id or "
                   "vault fingerprint (the first 4 or more characters are enough)")


# --- reading everything ------------------------------------------------------------------------


def tell(message: str) -> None:
    write_line(f"paper2fa: {visible(message)}")


def _notice_teller(lang: str) -> Callable[[recovery.ReadingNotice], None]:
    """Tell what happens while the inputs are read, in `lang`."""
    return lambda notice: warn(recovery.reading_text(notice, lang))


def _gather(args: argparse.Namespace) -> RecoveryState:
    typed_secrets = getattr(args, "typed_secrets", None)
    camera = wants_camera(args)
    if not (args.scans or args.words_file or args.words or typed_secrets or camera):
        raise UsageError("give the scans (files or folders), --camera, --words-file F or "
                         "--words")
    if camera and args.words:
        raise UsageError("--words and --camera both need the terminal: type the words into "
                         "a file and give it with --words-file")
    state = RecoveryState()
    if args.scans:
        with progress_bar(args.command) as progress:
            recovery.read_inputs(state, args.scans, _notice_teller(language(args)), dpi=args.dpi,
                                 thorough=args.thorough,
                                 wanted=lambda: not recovery.restorable(state, args.choice),
                                 progress=progress, lang=language(args))
    if args.words_file:
        recovery.add_lines(state, recovery.words_file_lines(args.words_file))
    if typed_secrets:
        for number, fields in enumerate(typed_secrets_file(typed_secrets), 1):
            state.add_typed_account(typed_account(fields, f"typed secret {number}"))
    if camera:
        read_with_camera(state, args, write_line)
    if args.words:
        if not has_terminal():
            raise UsageError("--words needs a terminal to type in; use --words-file F")
        recovery.enter_shares(state, input, tell,
                              done=lambda: recovery.restorable(state, args.choice),
                              needed=lambda: recovery.shares_needed(state),
                              lang=language(args))
    return state


def passphrase_source(args: argparse.Namespace) -> PassphraseSource:
    def get() -> str:
        if args.passphrase_file:
            return read_secret_file(args.passphrase_file)
        return prompt_secret("Passphrase of the backup: ", "--passphrase-file")

    return get


def report_reading(state: RecoveryState, lang: str = DEFAULT_LANGUAGE) -> None:
    """Notes from reading: foreign and damaged codes."""
    for note in recovery.reading_notes(state, lang):
        warn(note)


def language(args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or DEFAULT_LANGUAGE


def open_chosen(state: RecoveryState, args: argparse.Namespace, more_hint: str | None = None,
                *, choice: str | EllipsisType | None = ...) -> tuple[Restored, Decision]:
    """The restore the rules allow; a refusal prints the backups behind it first, and says
    what to do in the words of the way the sheets were read (scanner, photos, camera, typed),
    or `more_hint` when the command has its own (combine). `choice`: the backup chosen at the
    terminal, else `--set`."""
    decision = recovery.choose(state, args.choice if isinstance(choice, EllipsisType)
                               else choice)
    medium = recovery.medium_of(state, wants_camera(args))
    lang = language(args)
    try:
        restored = recovery.finish(state, decision, passphrase_source(args),
                                   accounts_only=getattr(args, "accounts_only", False),
                                   medium=medium, lang=lang)
    except Paper2faError as error:
        if decision.verdict is Verdict.RESTORE:
            raise
        report_reading(state, lang)
        for page, advice in state.photo_advice():
            warn(f"{page}: {advice_text(advice, 'photo', lang)}")
        for line in recovery.decision_lines(decision, lang):
            warn(line)
        if isinstance(error, NotEnoughError):
            error.hint = more_hint or recovery.how("more", medium, lang)
        raise
    return restored, decision


def report_restore(state: RecoveryState, decision: Decision, restored: Restored,
                   lang: str = DEFAULT_LANGUAGE, differences: Sequence[LeftOut] = ()) -> None:
    """Reading notes, the inputs left out and the restore's notes, as warnings; what verify
    counts as `differences` is said once, as a difference."""
    report_reading(state, lang)
    for item in recovery.left_out(state, decision):
        if item not in differences:
            warn(recovery.left_out_text(item, lang))
    for note in restored.notes:
        warn(recovery.note_text(note, lang))


# --- the commands ------------------------------------------------------------------------------


def _kind_of(text: str) -> str:
    """What `paper2fa scan` says a QR text is (`qr_kind` decides; secrets never shown)."""
    kind = qr_kind(text)
    if kind is QrKind.FRAME:
        try:
            frame = frames.decode_frame(text)
        except frames.FrameTextError as exc:
            return f"paper2fa frame, unusable: {exc.detail}"
        return f"paper2fa frame ({frame.kind}): {frame.label}"
    if kind is QrKind.SHARE:
        return "paper2fa share (secret, not shown)"
    if kind is QrKind.ACCOUNT:
        return "account QR code (secret, not shown)"
    return f"other QR code ({len(text)} characters)"


def cmd_scan(args: argparse.Namespace) -> int:
    with progress_bar("scan") as progress:
        pages = scan_pages(args.scans, _notice_teller(DEFAULT_LANGUAGE), dpi=args.dpi,
                           thorough=args.thorough,
                           progress=progress)
    if not pages:
        raise ScanError("no image or PDF was given")
    if args.json:
        print_json([{
            "file": page.source, "page": page.page, "seconds": round(page.seconds, 3),
            "unreadable": page.unreadable, "passes": list(page.passes),
            "codes": [{"text": c.text, "decoder": c.decoder,
                       "position": [list(p) for p in c.position]} for c in page.codes],
        } for page, _ in pages])
    else:
        for page, count in pages:
            where = f"{page.source} page {page.page}" if count > 1 else page.source
            extra = f", {page.unreadable} seen but unreadable" if page.unreadable else ""
            print(f"{visible(where)}: {len(page.codes)} QR codes{extra} ({page.seconds:.2f} s)")
            for c in page.codes:
                x, y = (round(v) for v in c.center)
                print(f"  at {x},{y}: {_kind_of(c.text)}")
    if not any(page.codes for page, _ in pages):
        raise ScanError("no QR code could be read from the scans")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    if args.json and not args.dry_run:
        raise UsageError("--json goes with --dry-run (the restore itself writes vault JSON)")
    if not args.dry_run:
        if not args.output:
            raise UsageError("give the vault file to write with -o FILE (or use --dry-run)")
        if getattr(args, "camera_device", None):
            fsio.note_input(args.camera_device)  # a video file named is an input, read or not
        fsio.check_output_free(args.output, args.force)
    state = _gather(args)
    if args.dry_run:
        return _dry_run(state, args)
    choice = args.choice
    if wants_camera(args) and has_terminal():
        choice = _choose_at_the_terminal(state, args.choice)
    restored, decision = open_chosen(state, args, choice=choice)
    report_restore(state, decision, restored, language(args))
    fsio.write_file(args.output, vault_to_json(restored.vault), force=args.force)
    print(f"restored {len(restored.vault)} accounts into {visible(args.output)}"
          f"{_how(restored)}")
    print(f"vault fingerprint: {restored.fingerprint}")
    print("compare it with the vault fingerprint printed at the bottom of every page of the "
          "sheets: it must be the same")
    return 0


def _choose_at_the_terminal(state: RecoveryState, choice: str | None) -> str | None:
    """After the camera, when the sheets shown hold several backups that could be meant: list
    them and ask which (the sheets need not be shown again); returns the choice to restore
    with. Enter alone chooses none, and the restore then refuses as without a terminal."""
    decision = recovery.choose(state, choice)
    while decision.verdict is Verdict.CHOOSE and any(b.completable for b in decision.backups):
        for line in recovery.decision_lines(decision):
            write_line(f"  {visible(line)}")
        try:
            answer = input("Type the set id or vault fingerprint of the backup to restore "
                           "(listed above), or press Enter to stop: ").strip()
        except EOFError:
            return choice
        if not answer:
            return choice
        choice = answer
        decision = recovery.choose(state, answer)
        if decision.why is Why.NO_MATCH:
            write_line(f"{quoted(answer)} names none of the backups listed")
            choice = None
            decision = recovery.choose(state)
    return choice


def _dry_run(state: RecoveryState, args: argparse.Namespace) -> int:
    decision = recovery.choose(state, args.choice)
    medium = recovery.medium_of(state, wants_camera(args))
    error = None if decision.verdict is Verdict.RESTORE else recovery.refusal(
        state, decision, medium, language(args))
    if args.json:
        print_json(recovery.decision_json(state, decision, medium, language(args)))
        return error.exit_code if error is not None else 0
    for backup in decision.backups:
        mark = "*" if backup is decision.chosen else "-"
        print(f"{mark} {visible(backup.summary(language(args)))}")
    if decision.chosen is not None:
        print(f"would restore: {decision.chosen.title} (vault fingerprint "
              f"{decision.chosen.fingerprint})")
        for item in recovery.left_out(state, decision):
            print(f"  {visible(recovery.left_out_text(item, language(args)))}")
    else:
        print(f"would restore nothing: {visible(error.message) if error else ''}")
    return error.exit_code if error is not None else 0


def _how(restored: Restored) -> str:
    if restored.kind == "shares":
        return f" (shares {', '.join(map(str, restored.sheets))} of set {restored.set_id})"
    if restored.kind == "passphrase":
        return " (sealed vault opened with the passphrase)"
    if restored.kind == "accounts":
        return " (from account QR codes and typed secrets only)"
    return ""


def cmd_verify(args: argparse.Namespace) -> int:
    source = load_vault(args.against, args)
    state = _gather(args)
    restored, decision = open_chosen(state, args)
    result = recovery.compare(state, restored, source, decision)
    differences = result.differences()
    lang = language(args)
    if args.json:
        print_json(result.to_json(source.fingerprint))
    else:
        report_restore(state, decision, restored, lang, differences=result.left_out)
    if differences:
        if not args.json:
            for difference in differences:
                print(f"paper2fa: {visible(recovery.difference_line(difference, lang))}",
                      file=sys.stderr)
        raise recovery.verify_refusal(len(differences), args.against, lang)
    if not args.json:
        for line in recovery.verify_lines(result, visible(args.against), lang):
            print(visible(line))
    return 0
