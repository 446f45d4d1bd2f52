"""The `paper2fa` command line: the only place that reads argv, prints, prompts or exits.

Each command group lives in a module of this package with a `register(subparsers)` function;
handlers take the parsed arguments and return an exit code. Library errors (Paper2faError) are
turned into one line on stderr plus a hint, with the error's exit code; -v adds the traceback.

Ctrl-C (and SIGTERM) at any moment after `main` starts ends the run with exit 130 and one
error line: `main` takes both signals first, so this module imports only what it must before
that (everything else is imported inside `main`).
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, NoReturn

from toolkit.errors import Interrupted, OfflineError, Paper2faError, UsageError

if TYPE_CHECKING:
    import argparse

COMMAND_MODULES = (
    "toolkit.cli.vault_cmds",
    "toolkit.cli.export_cmd",
    "toolkit.cli.seal_cmds",
    "toolkit.cli.paper_cmds",
    "toolkit.cli.restore_cmds",
    "toolkit.cli.system_cmds",
    "toolkit.cli.demo_cmd",
)

SECRET_COMMANDS = frozenset({
    "import", "list", "codes", "add", "add-recovery-codes", "export", "seal", "open", "split",
    "combine", "print", "restore", "verify", "scan", "demo", "audit", "diff",
})
"""Commands known to handle plaintext secrets, for those whose parser does not say so itself
with set_defaults(handles_secrets=True|False) (that attribute wins when present)."""

ONLINE_DETECTOR: Callable[[], tuple[str, ...]] | None = None
"""Names of the network interfaces up other than loopback; None: airgap.online_interfaces
(tests replace it)."""

GLOBAL_FLAGS = {
    ("-v", "--verbose"): "show a traceback when something fails",
    ("--allow-online",): "do not warn when this machine is connected to a network",
    ("--require-offline",): "refuse to handle secrets when this machine is connected to a "
                            "network",
}
"""Options accepted before or after the command (`paper2fa list v.json --allow-online`)."""

INTERRUPT_SIGNALS = (signal.SIGINT, signal.SIGTERM)
"""Signals that end a run cleanly: staged files removed, exit 130, one line."""


def build_parser() -> argparse.ArgumentParser:
    import argparse
    import importlib

    from toolkit import __version__

    class Parser(argparse.ArgumentParser):
        """Usage errors print this parser's usage (the command's own) and raise UsageError,
        so `main` reports them like every other error: one line and what to do."""

        def error(self, message: str) -> NoReturn:
            self.print_usage(sys.stderr)
            raise UsageError(message, hint=f"see `{self.prog} --help`")

    parser = Parser(
        prog="paper2fa",
        description="Offline paper backups of two-factor (TOTP/HOTP) secrets. The options "
        "below may also be given after the command.",
    )
    parser.add_argument("--version", action="version", version=f"paper2fa {__version__}")
    for flags, help_text in GLOBAL_FLAGS.items():
        parser.add_argument(*flags, action="store_true", help=help_text)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    for command in sub.choices.values():
        for flags in GLOBAL_FLAGS:  # after the command too; absent there: the value from before
            command.add_argument(*flags, action="store_true", default=argparse.SUPPRESS,
                                 help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one paper2fa command; returns the exit code.

    Without `argv` (the `paper2fa` program itself) Ctrl-C stays ignored once the command has
    ended, as the process only exits then; with `argv` (tests, callers) the signal handlers
    are put back as they were.
    """
    verbose = False
    try:  # first: a Ctrl-C from here on is reported, never a traceback
        tokens = list(sys.argv[1:] if argv is None else argv)
        verbose = _verbose_in(tokens)
        with _interrupts_end_the_run(restore=argv is not None):
            return _run(tokens, verbose)
    except KeyboardInterrupt:
        return _report(Interrupted(_interrupted_by()), verbose)


_received: list[int] = []


@contextmanager
def _interrupts_end_the_run(restore: bool) -> Iterator[None]:
    """While a command runs, the first Ctrl-C or SIGTERM raises KeyboardInterrupt and any
    later one is ignored, so the cleanup and the one-line report are never cut short."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, _frame: FrameType | None) -> None:
        for each in INTERRUPT_SIGNALS:
            signal.signal(each, signal.SIG_IGN)
        _received.append(signum)
        raise KeyboardInterrupt

    _received.clear()
    previous = {each: signal.signal(each, interrupt) for each in INTERRUPT_SIGNALS}
    try:
        yield
    finally:
        for each, handler in previous.items():
            signal.signal(each, handler if restore and handler is not None else signal.SIG_IGN)


def _interrupted_by() -> str:
    if _received and _received[0] == signal.SIGTERM:
        return "stopped by SIGTERM"
    return "interrupted"


def _verbose_in(tokens: Sequence[str]) -> bool:
    """-v / --verbose anywhere before `--` (known before the command line is parsed)."""
    for word in tokens:
        if word == "--":
            return False
        if word in ("-v", "--verbose"):
            return True
    return False


def _run(tokens: list[str], verbose: bool) -> int:
    import warnings

    from toolkit import airgap

    command: str | None = None
    try:
        with airgap.guarded(), warnings.catch_warnings():
            if not verbose:  # a library's warning is not for the person at the terminal
                warnings.simplefilter("ignore")
            args = _parse(build_parser(), tokens)
            command = args.command
            _check_online(args)
            code: int = args.func(args)
            return code
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0
    except UsageError as exc:
        if command is not None:
            exc.name_command(command)
        return _report(exc, verbose)
    except Paper2faError as exc:
        return _report(exc, verbose)
    except BrokenPipeError:
        return 1
    except Exception as exc:  # a bug: still one line, and never the message (it may hold data)
        bug = Paper2faError(f"unexpected internal error ({type(exc).__name__}); this is a bug "
                            "in paper2fa, and no output file was written",
                            hint="run the same command with -v and report the traceback "
                            "(check it holds no secrets first)")
        return _report(bug, verbose)


def _parse(parser: argparse.ArgumentParser, tokens: list[str]) -> argparse.Namespace:
    """Parse; an unknown option is reported with the usage of the command it was given to."""
    args, extra = parser.parse_known_args(tokens)
    if extra:
        commands = _subparsers(parser)
        owner = commands.get(getattr(args, "command", None) or "", parser)
        owner.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


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
    from toolkit import airgap

    detector = ONLINE_DETECTOR if ONLINE_DETECTOR is not None else airgap.online_interfaces
    online = detector()
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
        import traceback

        traceback.print_exc()
    print(f"paper2fa: error: {exc.message}", file=sys.stderr)
    print(f"  what to do: {exc.hint}", file=sys.stderr)
    return exc.exit_code
