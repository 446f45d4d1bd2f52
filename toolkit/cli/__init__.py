"""The `paper2fa` command line: the only place that reads argv, prints, prompts or exits.

Each command group lives in a module of this package with a `register(subparsers)` function;
handlers take the parsed arguments and return an exit code. Library errors (Paper2faError) are
turned into one line on stderr plus a hint, with the error's exit code; -v adds the traceback.

Ctrl-C (and SIGTERM) at any moment ends the run with exit 130 and one error line:
`toolkit.entry` (the program) takes both signals before importing this module, and `main`
takes them over first thing, so this module imports only what it must before that (everything
else is imported inside `main`).
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

from toolkit.display import counted
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
    "toolkit.cli.check_cmd",
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

AGAIN_AFTER = 1.0
"""Seconds after an interrupt during which another one is ignored (its cleanup runs); after
that, in case a library swallowed the first, another Ctrl-C interrupts again."""


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

        def _check_value(self, action: argparse.Action, value: Any) -> None:
            # a mistyped command gets the nearest one, not the list of all of them
            if (isinstance(action, argparse._SubParsersAction) and action.choices is not None
                    and value not in action.choices):
                raise argparse.ArgumentError(action, unknown_command(value, action.choices))
            super()._check_value(action, value)

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


def unknown_command(typed: str, commands: Iterable[str]) -> str:
    """The error for a command that does not exist, naming the nearest one if any is close
    (`paper2fa restor`: did you mean restore?); what was typed is shown visibly."""
    import difflib

    from toolkit.display import visible

    nearest = difflib.get_close_matches(typed, list(commands), n=1, cutoff=0.6)
    shown = visible(typed[:40])
    if nearest:
        return f"invalid choice: '{shown}' (no such command; did you mean `paper2fa {nearest[0]}`?)"
    return f"invalid choice: '{shown}' (no such command)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run one paper2fa command; returns the exit code.

    Without `argv` (the `paper2fa` program itself) Ctrl-C stays ignored once the command has
    ended, as the process only exits then; with `argv` (tests, callers) the signal handlers
    are put back as they were.
    """
    verbose = False
    written: list[Path] = []
    if argv is None and not sys.argv[1:] and _at_a_terminal():
        from toolkit.cli.menu import run_menu

        with contextlib.suppress(ValueError):  # not the main thread: nothing to give back
            # the menu takes Ctrl-C itself (as KeyboardInterrupt); toolkit.entry took it first
            signal.signal(signal.SIGINT, signal.default_int_handler)
        return run_menu(main)  # the first screen; each command it runs goes through main
    try:  # first: a Ctrl-C from here on is reported, never a traceback
        tokens = list(sys.argv[1:] if argv is None else argv)
        verbose = _verbose_in(tokens)
        with _run_setting(verbose, restore=argv is not None):
            from toolkit import fsio

            with fsio.recording_files() as written:
                return _run(tokens, verbose)
    except KeyboardInterrupt:
        return _report(_interrupted(written), verbose)


def _at_a_terminal() -> bool:
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


class _Interrupts:
    """The first Ctrl-C or SIGTERM of a run raises KeyboardInterrupt; later ones are ignored,
    so the cleanup and the one-line report are never cut short.

    While `held()`, an interrupt waits until the block ends: native extension modules turn an
    exception raised while they are being imported into an abort (zxing-cpp: "terminate
    called after throwing nanobind::python_error"). Python swallows an exception raised where
    it cannot propagate (a weakref callback inside an import, a __del__); such a lost
    interrupt is sent again a moment later, when it lands in ordinary code. A library may
    also turn it into another exception (ctypes: ArgumentError; zxing-cpp: TypeError): a run
    that got an interrupt and ends in any error is reported as interrupted.
    """

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose
        self.received: int | None = None
        self.first: int | None = None
        self.holding = False
        self.pending: int | None = None
        self.raised_at = 0.0

    def handler(self, signum: int, _frame: FrameType | None) -> None:
        import time

        if self.holding:
            self.pending = self.pending or signum
            return
        if self.received is not None and time.monotonic() - self.raised_at < AGAIN_AFTER:
            return  # one is on its way already
        self.received = signum
        self.first = self.first or signum
        self.raised_at = time.monotonic()
        global _interrupt_raised
        _interrupt_raised = True
        raise KeyboardInterrupt

    @contextmanager
    def held(self) -> Iterator[None]:
        self.holding = True
        try:
            yield
        finally:
            self.holding = False
            if self.pending is not None:
                self.handler(self.pending, None)

    def unraisable(self, unraisable: Any) -> None:
        """sys.unraisablehook: a lost interrupt is sent again; other exceptions Python could
        not raise (a library's finalizer) are shown only with -v."""
        signum = self.received
        if isinstance(unraisable.exc_value, KeyboardInterrupt) and signum is not None:
            import os
            import threading

            self.received = None
            threading.Timer(0.005, os.kill, (os.getpid(), signum)).start()
        elif self.verbose:
            sys.__unraisablehook__(unraisable)


_interrupts = _Interrupts(verbose=False)

_interrupt_raised = False
"""Whether a KeyboardInterrupt was raised for a signal in this process (any run of `main`)."""


def interrupt_raised() -> bool:
    """Whether Ctrl-C or SIGTERM raised a KeyboardInterrupt in this process, in any run of
    `main` (the menu runs several): `toolkit.entry` then ends the process itself."""
    return _interrupt_raised


@contextmanager
def _run_setting(verbose: bool, restore: bool) -> Iterator[None]:
    """Ctrl-C and SIGTERM end the run through KeyboardInterrupt (see _Interrupts), and unless
    -v, libraries' warnings, log messages and ignored exceptions stay off the terminal.

    Put back as it was afterwards only when `restore` (a caller's process goes on); the
    `paper2fa` program keeps it for its shutdown, which runs libraries' exit handlers.
    """
    import logging
    import threading
    import warnings

    global _interrupts
    _interrupts = _Interrupts(verbose)
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = {}
    if in_main_thread:
        previous = {each: signal.signal(each, _interrupts.handler) for each in INTERRUPT_SIGNALS}
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _interrupts.unraisable
    previous_logging = logging.root.manager.disable
    filters = warnings.catch_warnings()
    filters.__enter__()
    if not verbose:
        logging.disable(logging.CRITICAL)
        warnings.simplefilter("ignore")
        _quiet_pdfium()
    try:
        yield
    finally:
        for each, handler in previous.items():
            signal.signal(each, handler if restore and handler is not None else signal.SIG_IGN)
        if restore:
            sys.unraisablehook = previous_hook
            logging.disable(previous_logging)
            filters.__exit__(None, None, None)


def _quiet_pdfium() -> None:
    """pypdfium2 writes its own warnings straight to stderr at exit (objects an interrupt left
    open): one line of ours stays the only line, unless -v."""
    import logging

    try:
        import pypdfium2_cfg
    except ImportError:  # pragma: no cover - a dependency
        return
    pypdfium2_cfg.DEBUG_AUTOCLOSE.value = logging.CRITICAL + 1


def _interrupted(written: list[Path]) -> Interrupted:
    """What an interrupt left: nothing (fsio undoes a set being written), or complete files
    written before it came."""
    by_sigterm = _interrupts.first == signal.SIGTERM
    what = "stopped by SIGTERM" if by_sigterm else "interrupted"
    if not written:
        return Interrupted(what)
    from toolkit.display import visible

    names = ", ".join(visible(str(p)) for p in written[:3]) + (", ..." if len(written) > 3
                                                                else "")
    return Interrupted(f"{what} after writing {counted(len(written), 'file', 'files')}: {names}",
                       hint="the files written are complete; nothing else was written")


def _verbose_in(tokens: Sequence[str]) -> bool:
    """-v / --verbose anywhere before `--` (known before the command line is parsed)."""
    for word in tokens:
        if word == "--":
            return False
        if word in ("-v", "--verbose"):
            return True
    return False


def _run(tokens: list[str], verbose: bool) -> int:
    from toolkit import airgap

    command: str | None = None
    try:
        with airgap.guarded():
            with _interrupts.held():  # the command modules import native extensions
                parser = build_parser()
            args = _parse(parser, tokens)
            command = args.command
            _check_online(args)
            code: int = args.func(args)
            return code
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0
    except UsageError as exc:
        _reraise_interrupt(exc)
        if command is not None:
            exc.name_command(command)
        return _report(exc, verbose)
    except Paper2faError as exc:
        _reraise_interrupt(exc)
        return _report(exc, verbose)
    except BrokenPipeError as exc:
        _reraise_interrupt(exc)
        return 1
    except Exception as exc:  # a bug: still one line, and never the message (it may hold data)
        _reraise_interrupt(exc)
        bug = Paper2faError(f"unexpected internal error ({type(exc).__name__}); this is a bug "
                            "in paper2fa, and no output file was written",
                            hint="run the same command with -v and report the traceback "
                            "(check it holds no secrets first)")
        return _report(bug, verbose)


def _reraise_interrupt(exc: BaseException) -> None:
    """A run that got Ctrl-C ends as interrupted, whatever a library turned the interrupt into
    (a damaged-looking page, ctypes' ArgumentError)."""
    if _interrupts.received is not None:
        raise KeyboardInterrupt from exc


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
    from toolkit.display import visible  # a last guard: a message never moves the cursor

    # the place (file, page, line) is a field of the error, shown before what is wrong
    print(f"paper2fa: error: {visible(exc.located)}", file=sys.stderr)
    print(f"  what to do: {visible(exc.hint)}", file=sys.stderr)
    return exc.exit_code
