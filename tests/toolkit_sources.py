"""The modules of toolkit/ as source text, for the tests that read the code itself (an error's
words holding a path, decisions on an error's words)."""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "toolkit"


def findings(find: Callable[[str, str], list[str]]) -> list[str]:
    """What `find(source, module)` reports over every module of toolkit/ (`module` is its path
    under toolkit/, as in "cli/common.py")."""
    found: list[str] = []
    for path in sorted(ROOT.rglob("*.py")):
        found += find(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    return found


def called_name(func: ast.expr) -> str:
    """The name a call is made by: `f` of `f(...)`, `attr` of `x.attr(...)`, else ""."""
    return func.id if isinstance(func, ast.Name) else (
        func.attr if isinstance(func, ast.Attribute) else "")


def is_error_class(func: ast.expr) -> bool:
    """A call of what is named like an error class (`ShareError`, `CameraError`)."""
    return called_name(func).endswith("Error")


class ModuleScan(ast.NodeVisitor):
    """Walks one module knowing the function it is in; `flag` records a finding unless that
    (module, function) is in `allowed` (each entry there says why elsewhere)."""

    def __init__(self, module: str, allowed: Collection[tuple[str, str]]) -> None:
        self.module = module
        self.allowed = allowed
        self.function = "<module>"
        self.found: list[str] = []

    def flag(self, node: ast.AST, what: str = "") -> None:
        if (self.module, self.function) not in self.allowed:
            self.found.append(f"{self.module}:{getattr(node, 'lineno', '?')} "
                              f"({self.function}): {what + ': ' if what else ''}"
                              f"{ast.unparse(node)[:120]}")

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        outer = self.function
        self.function = node.name
        self.generic_visit(node)
        self.function = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def scan(self, source: str) -> list[str]:
        self.visit(ast.parse(source))
        return self.found
