"""The modules of toolkit/ as source text, for the tests that read the code itself (an error's
words holding a path, decisions on an error's words)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "toolkit"


def findings(find: Callable[[str, str], list[str]]) -> list[str]:
    """What `find(source, module)` reports over every module of toolkit/ (`module` is its path
    under toolkit/, as in "cli/common.py")."""
    found: list[str] = []
    for path in sorted(ROOT.rglob("*.py")):
        found += find(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    return found
