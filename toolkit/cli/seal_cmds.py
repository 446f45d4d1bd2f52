"""Sealed-vault commands: seal, open, split, combine, inspect."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from toolkit import envelope, fsio, recovery, sharing
from toolkit.audit import audit_vault
from toolkit.cli.bar import progress_bar
from toolkit.cli.common import (
    add_output,
    add_sheet_options,
    add_software_note_option,
    add_source_options,
    has_terminal,
    load_vaults,
    parse_date,
    print_json,
    prompt_secret,
    read_secret_file,
    sheet_text,
)
from toolkit.cli.languages import add_lang_option, holder_languages, sheet_language
from toolkit.cli.restore_cmds import open_chosen, report_restore
from toolkit.display import visible
from toolkit.envelope import SealedVault
from toolkit.errors import (
    FormatError,
    Paper2faError,
    ShareError,
    Source,
    UsageError,
)
from toolkit.model import Vault, vault_to_json
from toolkit.render.checklist import audit_facts
from toolkit.render.split import render_split_pdfs

_FILE_NOTE = "file holding the passphrase (one trailing newline is ignored)"


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this group's commands to the parser."""
    p = sub.add_parser("seal", help="encrypt a vault under a passphrase (a sealed vault)",
                       description="Seal a vault: compress it and encrypt it with AES-256-GCM "
                       "under a random key, itself wrapped under a passphrase (scrypt).")
    p.add_argument("sources", nargs="+", metavar="SRC", help="vault or export files")
    add_source_options(p)
    p.add_argument("--passphrase-file", help=_FILE_NOTE + "; else asked twice")
    _add_common_seal_options(p)
    add_output(p, help="sealed vault file to write (e.g. vault.p2fa)")
    p.set_defaults(func=cmd_seal)

    p = sub.add_parser("open", help="decrypt a passphrase-sealed vault to vault JSON",
                       description="Open a vault sealed with `paper2fa seal` and write its "
                       "vault JSON (mode 0600). Split vaults are opened with `paper2fa combine`.")
    p.add_argument("sealed", metavar="SEALED", help="sealed vault file (vault.p2fa)")
    p.add_argument("--passphrase-file", help=_FILE_NOTE + "; else asked")
    add_output(p, help="vault JSON file to write")
    p.set_defaults(func=cmd_open)

    p = sub.add_parser("split", help="seal a vault and split its key into k-of-n shares",
                       description="Seal a vault and split its key k-of-n. Writes DIR/vault.p2fa "
                       "and DIR/share-<i>-of-<n>[-<holder>].txt (words and QR text), after a "
                       "self-test that every k shares restore the vault.")
    p.add_argument("sources", nargs="+", metavar="SRC", help="vault or export files")
    add_source_options(p)
    p.add_argument("-k", type=int, required=True, help="shares needed to restore (2..n)")
    p.add_argument("-n", type=int, required=True, help="shares made (k..16)")
    p.add_argument("--holder", action="append", default=[], metavar="NAME",
                   help="who keeps share i (give it n times, in order)")
    p.add_argument("--owner", metavar="NAME",
                   help="whose backup it is, printed on every holder sheet (else a line to "
                   "write it by hand)")
    p.add_argument("--contact", metavar="TEXT",
                   help="whom a holder should contact about the sheet (name, phone, e-mail), "
                   "printed on every holder sheet (else a line to write it by hand)")
    p.add_argument("--scheme", choices=sorted(sharing.SCHEME_NAMES), default="pyshamir",
                   help="pyshamir: paper2fa words (default); slip39: standard SLIP-39 mnemonics")
    p.add_argument("--passphrase-file", help=_FILE_NOTE + ": an extra factor the shares "
                   "alone cannot replace")
    p.add_argument("--passphrase", action="store_true", dest="ask_passphrase",
                   help="ask for an extra-factor passphrase (twice, without echo)")
    _add_common_seal_options(p)
    add_sheet_options(p)
    add_software_note_option(p, "every holder sheet and the cover letter")
    add_lang_option(p, holders=True)
    p.add_argument("--large-print", action="store_true",
                   help="14 pt running text on the holder sheets and the cover letter "
                   "(more pages)")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    p.add_argument("--force", action="store_true", help="replace files that exist")
    p.set_defaults(func=cmd_split)

    p = sub.add_parser("combine", help="restore a vault from k shares and the sealed vault",
                       description="Combine shares (files with words or QR text, a words file, "
                       "or words typed in) with the sealed vault and write the vault JSON.")
    p.add_argument("sealed", metavar="SEALED", help="sealed vault file (vault.p2fa)")
    p.add_argument("--share", action="append", default=[], metavar="FILE",
                   help="a share .txt file (repeatable)")
    p.add_argument("--words-file", metavar="F", help="one share per line, words separated by "
                   "spaces; blank lines and # comments ignored")
    p.add_argument("--passphrase-file", help=_FILE_NOTE + "; else asked when needed")
    add_output(p, help="vault JSON file to write")
    p.set_defaults(func=cmd_combine)

    p = sub.add_parser("inspect", help="say what a share or sealed vault file is (no secrets)",
                       description="Show which set and generation a share or sealed vault "
                       "belongs to, k of n, and (with --sealed) whether a share matches its "
                       "commitment. Reveals no secret.")
    p.add_argument("file", metavar="FILE", help="a share .txt or a sealed vault")
    p.add_argument("--sealed", metavar="SEALED",
                   help="check the share against this sealed vault's commitments")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_inspect)


def _add_common_seal_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--generation", type=int, default=1, metavar="N",
                   help="generation number (a reprint of the same backup is the last one + 1)")


def _kdf() -> envelope.KdfParams:
    """The passphrase KDF cost of every seal: always the real one (no option weakens it)."""
    return envelope.KDF_PROFILES["default"]


def _new_passphrase(file: str | None, ask: bool) -> str | None:
    if file:
        text = read_secret_file(file)
        envelope.check_new_passphrase(text)
        return text
    if not ask:
        return None
    first = prompt_secret("New passphrase: ", "--passphrase-file")
    envelope.check_new_passphrase(first)  # before asking for it a second time
    if prompt_secret("The same passphrase again: ", "--passphrase-file") != first:
        raise UsageError("the two passphrases differ; nothing was written")
    return first


def _existing_passphrase(file: str | None) -> str:
    if file:
        return read_secret_file(file)
    return prompt_secret("Passphrase of the sealed vault: ", "--passphrase-file")


def _read_sealed(path: str) -> SealedVault:
    data = fsio.read_input(path)
    if not envelope.is_sealed(data):
        raise FormatError("not a paper2fa sealed vault",
                          hint="give the vault.p2fa file written by seal or split",
                          source=Source(file=path))
    try:
        return SealedVault.from_bytes(data)
    except Paper2faError as exc:
        raise exc.opened_at(Source(file=path)) from None


def _vault_lines(vault: Vault, output: str) -> None:
    print(f"wrote {len(vault)} accounts to {visible(output)}")
    print(f"vault fingerprint: {vault.fingerprint} (compare it with the one on the sheets)")


def cmd_seal(args: argparse.Namespace) -> int:
    vault = load_vaults(args.sources, args)
    envelope.check_generation(args.generation)
    passphrase = _new_passphrase(args.passphrase_file, ask=True)
    assert passphrase is not None
    with progress_bar("seal") as progress:
        progress.start(None, "sealing the vault")
        sealed = envelope.seal_checked(vault, passphrase, kdf=_kdf(),
                                       generation=args.generation)
    fsio.write_file(args.output, sealed.to_bytes(), force=args.force)
    print(f"sealed {len(vault)} accounts into {visible(args.output)} "
          f"(set {sealed.header.set_id_text}, generation {sealed.header.generation})")
    print(f"vault fingerprint: {vault.fingerprint}")
    return 0


def cmd_open(args: argparse.Namespace) -> int:
    sealed = _read_sealed(args.sealed)
    if sealed.header.scheme != envelope.SCHEME_PASSPHRASE:
        raise UsageError("this sealed vault was split into shares: open it with "
                         "`paper2fa combine`", source=Source(file=args.sealed))
    vault = envelope.open_sealed(sealed, passphrase=_existing_passphrase(args.passphrase_file))
    fsio.write_file(args.output, vault_to_json(vault), force=args.force)
    _vault_lines(vault, args.output)
    return 0


def cmd_split(args: argparse.Namespace) -> int:
    if args.passphrase_file and args.ask_passphrase:
        raise UsageError("give --passphrase-file or --passphrase, not both")
    sharing.check_k_n(args.k, args.n)
    if args.holder and len(args.holder) != args.n:
        raise UsageError(f"{len(args.holder)} --holder names for {args.n} shares: "
                         "give one per share, in order")
    holder_langs = holder_languages(args, args.n)
    envelope.check_generation(args.generation)
    owner = sheet_text(args.owner, "--owner")
    contact = sheet_text(args.contact, "--contact")
    software_note = sheet_text(args.software_note, "--software-note")
    date = parse_date(args.date)
    lang = sheet_language(args)
    vault = load_vaults(args.sources, args)
    passphrase = _new_passphrase(args.passphrase_file, args.ask_passphrase)
    with progress_bar("split") as progress:
        progress.start(None, "sealing the vault")
        result = sharing.make_split(vault, args.k, args.n, args.holder, args.scheme,
                                    passphrase, generation=args.generation, kdf=_kdf(),
                                    now=date)
        sheets = render_split_pdfs(result, date, args.paper,
                                   facts=audit_facts(audit_vault(vault), lang=lang),
                                   text_fallback=args.text_fallback, owner=owner,
                                   contact=contact, lang=lang, holder_langs=holder_langs,
                                   self_check=not args.no_self_check,
                                   software_note=software_note,
                                   large_print=args.large_print, progress=progress)
    folder = fsio.ensure_output_dir(args.output)
    files: dict[str | os.PathLike[str], bytes] = {folder / "vault.p2fa": result.sealed_bytes}
    for i, name in enumerate(result.file_names, 1):
        files[folder / name] = sharing.share_file_text(result, i).encode("utf-8")
    files.update({folder / name: pdf for name, pdf in sheets.items()})
    fsio.write_files(files, force=args.force)
    h = result.header
    print(f"split {len(vault)} accounts: any {args.k} of {args.n} shares restore the vault "
          f"(scheme {result.scheme}, set {h.set_id_text}, generation {h.generation})")
    print(f"self-test passed; wrote {visible(str(folder / 'vault.p2fa'))}, {args.n} share files "
          "with their "
          "sheets, and cover.pdf:")
    for name in result.file_names:
        print(f"  {visible(str(folder / name))}  "
              f"{visible(str(folder / Path(name).with_suffix('.pdf')))}")
    print(f"vault fingerprint: {vault.fingerprint}")
    if passphrase:
        print("the passphrase is needed too: the shares alone do not open the vault")
    return 0


def _read_share_file(path: str, scheme: int) -> sharing.AnyShare:
    try:
        text = fsio.read_input(path, limit=1024 * 1024).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ShareError("not a share text file", source=Source(file=path)) from None
    try:
        return sharing.share_from_file_text(text, scheme)
    except Paper2faError as exc:
        raise exc.opened_at(Source(file=path)) from None


COMBINE_MORE = ("give more shares with --share FILE or --words-file F (or run in a terminal "
                "without them to type the words)")


def cmd_combine(args: argparse.Namespace) -> int:
    """A restore from one sealed vault file and the shares given, through toolkit.recovery:
    shares that do not belong to this sealed vault are named and left out."""
    sealed = _read_sealed(args.sealed)
    header = sealed.header
    if header.scheme == envelope.SCHEME_PASSPHRASE:
        raise UsageError("this sealed vault opens with its passphrase only: use "
                         "`paper2fa open`", source=Source(file=args.sealed))
    state = recovery.RecoveryState()
    state.add_sealed_file(sealed.to_bytes(), Path(args.sealed).name)
    for path in args.share:
        try:
            share = _read_share_file(path, header.scheme)
        except (ShareError, FormatError) as exc:
            state.add_unusable(path, exc)
            continue
        problem = sharing.share_problem(share, header)
        if problem is not None:  # combine has no --lang: the problem in English
            state.add_unusable(path, ShareError(problem.text(), source=Source(file=path)))
        else:
            state.add_share(share, path)
    if args.words_file:
        recovery.add_lines(state, recovery.words_file_lines(args.words_file))
    choice = header.set_id_text
    if not (args.share or args.words_file):
        if not has_terminal():
            raise UsageError("no shares given: use --share FILE or --words-file F "
                             "(or run in a terminal to type the words)")
        recovery.enter_shares(state, input, lambda m: print(m, file=sys.stderr),
                              done=lambda: recovery.restorable(state, choice),
                              needed=lambda: header.threshold)
    args.choice = choice
    restored, decision = open_chosen(state, args, COMBINE_MORE)
    report_restore(state, decision, restored)
    fsio.write_file(args.output, vault_to_json(restored.vault), force=args.force)
    print(f"combined sheets {', '.join(map(str, restored.sheets))} of "
          f"{header.share_count} (set {header.set_id_text})")
    _vault_lines(restored.vault, args.output)
    return 0


def _sealed_info(sealed: SealedVault) -> dict[str, Any]:
    h = sealed.header
    return {
        "kind": "sealed-vault",
        "format_version": envelope.VERSION,
        "set_id": h.set_id_text,
        "generation": h.generation,
        "scheme": h.scheme_name,
        "threshold": h.threshold or None,
        "share_count": h.share_count or None,
        "passphrase": h.has_passphrase,
        "vault_fingerprint": h.fingerprint_text,
        "created": h.created.isoformat(),
        "size": len(sealed.to_bytes()),
    }


def _share_info(share: sharing.AnyShare) -> dict[str, Any]:
    if isinstance(share, sharing.Share):
        return {"kind": "share", "scheme": "pyshamir", "format_version": share.version,
                "set_id": share.set_text, "generation": share.generation,
                "threshold": share.threshold, "share_count": share.share_count}
    return {"kind": "share", "scheme": "slip39", "slip39_identifier": share.identifier,
            "threshold": share.threshold, "slip39_member_index": share.x}


def cmd_inspect(args: argparse.Namespace) -> int:
    data = fsio.read_input(args.file)
    sealed = _read_sealed(args.sealed) if args.sealed else None
    info: dict[str, Any]
    if envelope.is_sealed(data):
        info = _sealed_info(SealedVault.from_bytes(data))
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FormatError("neither a share nor a sealed vault (not text)",
                              source=Source(file=args.file),
                              hint="give a share file (its words or QR text) or a sealed "
                              "vault (vault.p2fa)") from None
        try:
            share = sharing.share_from_file_text(text, sealed.header.scheme if sealed else None)
        except Paper2faError as exc:
            raise exc.opened_at(Source(file=args.file)) from None
        info = _share_info(share)
        if sealed is not None:
            problem = sharing.share_problem(share, sealed.header)
            info["matches_sealed_vault"] = problem is None
            info["sheet"] = sharing.sheet_of(share, sealed.header) if problem is None else None
            info["problem"] = problem.text() if problem is not None else None
            info["problem_kind"] = str(problem.kind) if problem is not None else None
            if share.scheme == envelope.SCHEME_SLIP39:
                info["identifier_checked"] = False
    if args.json:
        print_json(info)
    else:
        _print_info(info, args)
    return 0 if info.get("matches_sealed_vault", True) else ShareError.exit_code


def _print_info(info: dict[str, Any], args: argparse.Namespace) -> None:
    if info["kind"] == "sealed-vault":
        how = (f"any {info['threshold']} of {info['share_count']} shares ({info['scheme']})"
               if info["threshold"] else "a passphrase")
        extra = " plus a passphrase" if info["passphrase"] and info["threshold"] else ""
        print(f"{visible(args.file)}: paper2fa sealed vault, format version "
              f"{info['format_version']}")
        print(f"  set {info['set_id']}, generation {info['generation']}, created "
              f"{info['created']}")
        print(f"  opened with {how}{extra}")
        print(f"  vault fingerprint {info['vault_fingerprint']}, {info['size']} bytes")
        return
    if info["scheme"] == "pyshamir":
        print(f"{visible(args.file)}: paper2fa share (format version {info['format_version']})")
        print(f"  set {info['set_id']}, generation {info['generation']}, "
              f"{info['threshold']} of {info['share_count']} needed")
    else:
        print(f"{visible(args.file)}: SLIP-39 share, identifier {info['slip39_identifier']}, "
              f"member {info['slip39_member_index']}, {info['threshold']} needed")
    if "matches_sealed_vault" not in info:
        print("  give --sealed vault.p2fa to check it against its commitment")
    elif info["matches_sealed_vault"]:
        print(f"  matches sheet {info['sheet']} of the sealed vault {visible(args.sealed)}: it "
              "belongs "
              "to this backup and was read correctly")
        if info.get("identifier_checked") is False:
            print("  its SLIP-39 identifier cannot be checked against the sealed vault (format "
                  "v1 does not record it): if it was altered, combine names this share and "
                  "leaves it out")
    else:
        print(f"  does NOT match the sealed vault {visible(args.sealed)}: "
              f"{visible(info['problem'])}")

