"""Every (command, exit code) pair the CLI tests see must be on that command's page.

The `cli` fixture records each run's command and exit code; at the end of the session each
pytest-xdist worker writes what it saw, and the controller checks every pair against the
"Exit codes" part of docs/commands/<command>.md and fails the run when one is missing
(tests/conftest.py calls session_start and session_finish). Codes
that any command may give are documented once, in docs/exit-codes.md (ANY_COMMAND).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "docs" / "commands"
LOG = ROOT / ".pytest_cache" / "exit-codes-seen"

ANY_COMMAND = {1, 130}
"""A bug (an unexpected internal error) and Ctrl-C: any command, documented once in
docs/exit-codes.md."""

SEEN: set[tuple[str, int]] = set()


def record(command: str, code: int) -> None:
    if (PAGES / f"{command}.md").is_file():
        SEEN.add((command, code))


def documented(page: str) -> set[int]:
    """The exit codes a command page lists: the numbers in its "Exit codes" part."""
    start = re.search(r"^(#+ )?Exit codes\b", page, re.M | re.I)
    if start is None:
        return set()
    part = page[start.end():]
    following = re.search(r"^#+ ", part, re.M)
    if following is not None and start.group(1):
        part = part[:following.start()]
    numbers = re.findall(r"(?:^|[\s;(,-])(\d{1,3})(?=[\s:,;)])", part)
    return {int(n) for n in numbers if int(n) <= 255}


def missing(seen: set[tuple[str, int]]) -> list[str]:
    out = []
    for command, code in sorted(seen):
        if code in ANY_COMMAND:
            continue
        page = PAGES / f"{command}.md"
        if code not in documented(page.read_text()):
            out.append(f"`paper2fa {command}` exits {code} in the tests, but "
                       f"docs/commands/{command}.md does not list it")
    return out


def session_start(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):
        LOG.mkdir(parents=True, exist_ok=True)
        for old in LOG.glob("*.json"):
            old.unlink()


def session_finish(session: pytest.Session) -> None:
    worker = getattr(session.config, "workerinput", None)
    name = worker["workerid"] if worker else "main"
    LOG.mkdir(parents=True, exist_ok=True)
    (LOG / f"{name}.json").write_text(json.dumps(sorted(SEEN)))
    if worker:
        return
    seen = {(c, n) for f in LOG.glob("*.json") for c, n in json.loads(f.read_text())}
    problems = missing(seen)
    if problems:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        for line in problems:
            if reporter is not None:
                reporter.write_line(f"EXIT CODE NOT DOCUMENTED: {line}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
