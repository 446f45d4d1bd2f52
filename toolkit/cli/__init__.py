"""The `paper2fa` command line: the only place that reads argv, prints, prompts or exits.

Each command group lives in a module of this package with a `register(subparsers)` function;
handlers take the parsed arguments and return an exit code. Library errors (Paper2faError) are
turned into one line on stderr plus a hint, with the error's exit code; -v adds the traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Callable, Sequence

from toolkit import __version__, airgap
from toolkit.errors import Interrupted, OfflineError, Paper2faError

COMMAND_MODULES = (
    "toolkit.cli.vault_cmds",
    "toolkit.cli.export_cmd",
    "toolkit.cli.seal_cmds",
    "toolkit.cli.paper_cmds",
    "toolkit.cli.restore_cmds",
    "toolkit.cli.system_cmds",
    "toolkit.cli.demo_cmd",
    "toolkit.cli.check_cmd",
)

SECRET_COMMANDS = frozenset({
    "import", "list", "codes", "add", "add-recovery-codes", "export", "seal", "open", "split",
    "combine", "print", "restore", "verify", "scan", "demo", "audit", "diff",
})
"""Commands known to handle plaintext secrets, for those whose parser does not say so itself
with set_defaults(handles_secrets=True|False) (that attribute wins when present)."""

ONLINE_DETECTOR: Callable[[], tuple[str, ...]] = airgap.online_interfaces
"""Names of the network interfaces up other than loopback (tests replace it)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="paper2fa",
        description="Offline paper backups of two-factor (TOTP/HOTP) secrets.",
    )
    parser.add_argument("--version", action="version", version=f"paper2fa {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="show a traceback when something fails"
    )
    parser.add_argument(
        "--allow-online",
        action="store_true",
        help="do not warn when this machine is connected to a network",
    )
    parser.add_argument(
        "--require-offline",
        action="store_true",
        help="refuse to handle secrets when this machine is connected to a network",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one paper2fa command; returns the exit code."""
    airgap.install()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _check_online(args)
        code: int = args.func(args)
        return code
    except Paper2faError as exc:
        return _report(exc, args.verbose)
    except KeyboardInterrupt:
        return _report(Interrupted("interrupted"), args.verbose)
    except BrokenPipeError:
        return 1
    except Exception as exc:  # a bug: still one line, and never the message (it may hold data)
        bug = Paper2faError(f"unexpected internal error ({type(exc).__name__}); this is a bug "
                            "in paper2fa, and no output file was written",
                            hint="run the same command with -v and report the traceback "
                            "(check it holds no secrets first)")
        return _report(bug, args.verbose)


def handles_secrets(args: argparse.Namespace) -> bool:
    marked = getattr(args, "handles_secrets", None)
    if marked is not None:
        return bool(marked)
    return args.command in SECRET_COMMANDS


def _check_online(args: argparse.Namespace) -> None:
    """Before a command that handles secrets: refuse (--require-offline) or warn once when an
    interface other than loopback is up; --allow-online silences the warning."""
    if not handles_secrets(args) or (args.allow_online and not args.require_offline):
        return
    online = ONLINE_DETECTOR()
    if not online:
        return
    names = ", ".join(online)
    if args.require_offline:
        raise OfflineError(f"this machine is connected to a network ({names}); "
                           "--require-offline refuses to handle secrets here")
    print(f"paper2fa: warning: this machine is connected to a network ({names}); secrets "
          "handled here could leak. Disconnect it (bootable/CHECKLIST.md) or pass "
          "--allow-online to silence this warning", file=sys.stderr)


def _report(exc: Paper2faError, verbose: bool) -> int:
    if verbose:
        traceback.print_exc()
    print(f"paper2fa: error: {exc.message}", file=sys.stderr)
    print(f"  what to do: {exc.hint}", file=sys.stderr)
    return exc.exit_code
