"""Commands that read paper back: scan, restore, verify."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from toolkit import envelope, fsio, scan, sharing, words
from toolkit.cli.common import (
    add_source_options,
    has_terminal,
    load_vault,
    print_json,
    prompt_secret,
    read_secret_file,
    warn,
)
from toolkit.errors import (
    FormatError,
    InputFileError,
    OutputExistsError,
    Paper2faError,
    ScanError,
    ShareError,
    UsageError,
    VerifyError,
)
from toolkit.model import vault_to_json
from toolkit.restore import (
    Restored,
    RestoreState,
    add_lines,
    add_text_file,
    compare,
    parse_typed_secrets,
    read_text_input,
    typed_account,
)

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
                       description="Read all the scans at once (all sheets in one folder is "
                       "fine), rebuild the vault from the QR frames of any sheets, check every "
                       "share against the sealed vault, combine them, open the vault and write "
                       "its vault JSON (mode 0600). If something is missing it says exactly "
                       "what and writes nothing.")
    p.add_argument("scans", nargs="*", metavar="SCAN", help=SCANS_HELP + "; text-fallback "
                   "files and share .txt files are accepted too")
    p.add_argument("-o", "--output", required=True, help="vault JSON file to write")
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
    _add_scan_options(p)
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("verify", help="prove that printed paper restores exactly to the source",
                       description="Restore from scans of freshly printed paper (nothing is "
                       "written) and compare with the source vault: same accounts, secrets, "
                       "settings, recovery codes and fingerprint. Differences are named by "
                       "account and field, never by secret.")
    p.add_argument("scans", nargs="+", metavar="SCAN", help=SCANS_HELP)
    p.add_argument("--against", required=True, metavar="SRC",
                   help="the vault (or export) the paper was printed from")
    add_source_options(p)
    _add_secret_options(p)
    _add_scan_options(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_verify)


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


# --- reading the inputs ------------------------------------------------------------------------


class _Inputs:
    """The files given, read once; pages can be decoded again with more effort."""

    def __init__(self, paths: list[str], dpi: int | None) -> None:
        if dpi is not None and not 50 <= dpi <= 1200:
            raise UsageError("--dpi must be between 50 and 1200")
        self.dpi = dpi
        self.images: list[tuple[str, bytes]] = []
        self.texts: list[tuple[str, str, bool]] = []
        self.notes: list[str] = []
        for path, named in scan.input_files(paths):
            try:
                data = fsio.read_input(path)
            except InputFileError as exc:
                if named:
                    raise
                self.notes.append(f"skipped {path}: {exc.message}")
                continue
            text = read_text_input(path, data)
            if text is not None and text.strip() and not _looks_binary(text):
                if named or path.suffix.lower() in (".txt", ".text"):
                    self.texts.append((str(path), text, named))
                else:
                    self.notes.append(f"skipped {path}: not an image or PDF")
                continue
            self.images.append((str(path), data))

    def pages(self, effort: scan.Effort) -> list[tuple[scan.PageScan, int]]:
        out: list[tuple[scan.PageScan, int]] = []
        for source, data in self.images:
            try:
                images = list(scan.images_of(data, self.dpi))
            except ScanError as exc:
                raise ScanError(f"{source}: {exc.message}", exc.hint) from None
            for number, image in enumerate(images, start=1):
                out.append((scan.read_page(image, number, source, effort), len(images)))
        return out


def _looks_binary(text: str) -> bool:
    return sum(1 for ch in text[:2000] if ord(ch) < 9) > 0


def _read_scans(args: argparse.Namespace, state: RestoreState) -> None:
    """Decode every page; when frames are still missing, decode again with every retry."""
    inputs = _Inputs(args.scans, args.dpi)
    for note in inputs.notes:
        warn(note)
    for path, text, named in inputs.texts:
        try:
            add_text_file(state, path, text)
        except ScanError:
            if named:
                raise
            warn(f"skipped {path}: not a scan, a text fallback or a share file")
    effort: scan.Effort = "full" if args.thorough else "auto"
    for page, count in inputs.pages(effort):
        state.add_page(page, count)
    if effort == "auto" and inputs.images and _frames_missing(state):
        warn("some QR codes did not read; trying again with every decoder (slower)")
        for page, count in inputs.pages("full"):
            state.add_page(page, count)


def _frames_missing(state: RestoreState) -> bool:
    return any(not d.missing().complete for d in state.frames.docs.values()) or (
        not state.frames.docs and not state.text_documents)


# --- typed shares ------------------------------------------------------------------------------


def _words_file_lines(path: str) -> list[tuple[str, str]]:
    text = fsio.read_input(path, limit=1024 * 1024).decode("utf-8-sig", errors="replace")
    lines = []
    for number, line in enumerate(text.splitlines(), 1):
        body = line.split("#", 1)[0].strip()
        if body:
            lines.append((f"{Path(path).name} line {number}", body))
    if not lines:
        raise ShareError(f"{path} holds no share words")
    return lines


def type_shares(state: RestoreState, ask: Callable[[str], str],
                tell: Callable[[str], None]) -> None:
    """Prompt for shares until enough are read: each word is checked as it is typed, each
    share's checksum (and its commitment, once the sealed vault is known) at its end."""
    header = state.sealed_header()
    while True:
        header = state.sealed_header()
        if header is not None:
            k = header.threshold
            have = len(state.usable_sheets(header))
            if have >= k:
                return
        else:
            k = max([s.share.threshold for s in state.shares], default=2)
            have = len(state.shares)
            if have >= k and state.shares:
                return
        scheme = header.scheme if header is not None else None
        count = sharing.WORD_COUNT if scheme != envelope.SCHEME_SLIP39 else None
        label = f"typed share {have + 1}"
        size = f"its {count} words" if count else "its words"
        tell(f"{label} ({have} of {k} shares so far): type {size}, several per line; an empty "
             "line ends the share")
        typed: list[str] = []
        while count is None or len(typed) < count:
            line = ask(f"word {len(typed) + 1}: ")
            if not line.strip():
                if count is None and typed:
                    break
                if not typed:
                    raise ShareError("no more words were typed")
                continue
            for word in words.split_words(line):
                try:
                    words.word_index(word)
                except ShareError as exc:
                    tell(f"word {len(typed) + 1}: {exc.message}; type it again")
                    break
                typed.append(word)
                if count is not None and len(typed) == count:
                    break
        try:
            state.add_share_text(" ".join(typed), label)
        except Paper2faError as exc:
            tell(f"{label}: {exc.message}; type this share again")
            continue
        tell(f"{label}: checksum correct")


def _gather(args: argparse.Namespace) -> RestoreState:
    if not (args.scans or args.words_file or args.words or getattr(args, "typed_secrets", None)):
        raise UsageError("give the scans (files or folders), --words-file F or --words")
    state = RestoreState()
    if args.scans:
        _read_scans(args, state)
    if args.words_file:
        add_lines(state, _words_file_lines(args.words_file))
    if getattr(args, "typed_secrets", None):
        text = fsio.read_input(args.typed_secrets, limit=1024 * 1024).decode(
            "utf-8-sig", errors="replace")
        blocks = parse_typed_secrets(text)
        if not blocks:
            raise FormatError(f"{args.typed_secrets} holds no typed secret")
        for number, fields in enumerate(blocks, 1):
            state.add_typed_account(typed_account(fields, f"typed secret {number}"))
    if args.words:
        if not has_terminal():
            raise UsageError("--words needs a terminal to type in; use --words-file F")
        type_shares(state, input, lambda m: print(m, file=sys.stderr))
    return state


def _passphrase(args: argparse.Namespace) -> Callable[[], str]:
    def get() -> str:
        if args.passphrase_file:
            return read_secret_file(args.passphrase_file)
        return prompt_secret("Passphrase of the backup: ", "--passphrase-file")

    return get


def _report_notes(state: RestoreState, restored: Restored | None = None) -> None:
    notes = restored.notes if restored is not None else tuple(state.notes)
    for note in notes:
        warn(note)
    if state.foreign > 5:
        warn(f"ignored {state.foreign} QR codes in all that are not part of a paper2fa backup")


# --- the commands ------------------------------------------------------------------------------


def _kind_of(text: str) -> str:
    if text.startswith("P2F-FRAME"):
        from toolkit import frames

        try:
            frame = frames.decode_frame(text)
        except frames.FrameTextError as exc:
            return f"paper2fa frame, unusable: {exc.detail}"
        return f"paper2fa frame ({frame.kind}): {frame.label}"
    upper = text.strip().upper()
    if upper.startswith((sharing.QR_PREFIX, sharing.SLIP39_QR_PREFIX)):
        return "paper2fa share (secret, not shown)"
    if text.lower().startswith(("otpauth://", "steam://")):
        return "account QR code (secret, not shown)"
    return f"other QR code ({len(text)} characters)"


def cmd_scan(args: argparse.Namespace) -> int:
    inputs = _Inputs(args.scans, args.dpi)
    for note in inputs.notes:
        warn(note)
    for path, _, _ in inputs.texts:
        warn(f"skipped {path}: a text file, not an image (paper2fa restore reads it)")
    pages = inputs.pages("full" if args.thorough else "auto")
    if not inputs.images:
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
            print(f"{where}: {len(page.codes)} QR codes{extra} ({page.seconds:.2f} s)")
            for c in page.codes:
                x, y = (round(v) for v in c.center)
                print(f"  at {x},{y}: {_kind_of(c.text)}")
    if not any(page.codes for page, _ in pages):
        raise ScanError("no QR code could be read from the scans")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    if Path(args.output).exists() and not args.force:
        raise OutputExistsError(f"{args.output} exists already")
    state = _gather(args)
    try:
        restored = state.finish(_passphrase(args), accounts_only=args.accounts_only)
    except Paper2faError:
        _report_notes(state)
        raise
    _report_notes(state, restored)
    fsio.write_file(args.output, vault_to_json(restored.vault), force=args.force)
    print(f"restored {len(restored.vault)} accounts into {args.output}{_how(restored)}")
    print(f"vault fingerprint: {restored.fingerprint}")
    print("compare it with the vault fingerprint printed at the bottom of every page of the "
          "sheets: it must be the same")
    return 0


def _how(restored: Restored) -> str:
    if restored.kind == "shares":
        return (f" (shares {', '.join(map(str, restored.sheets))} of set {restored.set_id})")
    if restored.kind == "passphrase":
        return " (sealed vault opened with the passphrase)"
    if restored.kind == "accounts":
        return " (from account QR codes and typed secrets only)"
    return ""


def cmd_verify(args: argparse.Namespace) -> int:
    source = load_vault(args.against, args)
    state = _gather(args)
    try:
        restored = state.finish(_passphrase(args))
    except Paper2faError:
        _report_notes(state)
        raise
    result = compare(state, restored, source)
    problems = result.problems()
    problems += [n for n in restored.notes if n.startswith("left out")]
    if args.json:
        print_json({"identical": not problems, "accounts": len(restored.vault),
                    "fingerprint": restored.fingerprint,
                    "source_fingerprint": source.fingerprint,
                    "kind": restored.kind, "sheets": list(restored.sheets),
                    "recovered_codes": restored.recovered, "problems": problems})
    else:
        _report_notes(state, restored)
    if problems:
        if not args.json:
            for line in problems:
                print(f"paper2fa: difference: {line}", file=sys.stderr)
        raise VerifyError(f"the paper does not restore exactly to {args.against}: "
                          f"{len(problems)} difference(s)")
    if not args.json:
        print(f"the paper restores exactly to {args.against}: {len(restored.vault)} accounts"
              f"{_how(restored)}")
        print(f"vault fingerprint: {restored.fingerprint} (the same as the source)")
        if state.account_codes:
            print(f"all {len(state.account_codes)} account QR codes read match the source")
            if len(state.account_codes) < len(source):
                warn(f"only {len(state.account_codes)} of {len(source)} account QR codes were "
                     "read: scan the account pages again to check the others")
    return 0
