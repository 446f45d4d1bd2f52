"""The import flow of the sheets' code runs one way (STYLE.md): exporters/ use render/ and
never read scans themselves; render/ reaches the scanner only through the self-check, its one
exit; only the CLI imports the CLI; every PDF-making module draws through render/layout."""

from __future__ import annotations

import ast
from pathlib import Path

TOOLKIT = Path(__file__).resolve().parents[1] / "toolkit"


def imports_of(path: Path) -> set[str]:
    """The toolkit modules a file imports (`from toolkit import x` counts as toolkit.x)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            if node.module == "toolkit":
                found.update(f"toolkit.{alias.name}" for alias in node.names)
    return {name for name in found if name == "toolkit" or name.startswith("toolkit.")}


def modules(folder: str) -> dict[str, set[str]]:
    return {str(p.relative_to(TOOLKIT)): imports_of(p) for p in (TOOLKIT / folder).glob("*.py")}


def test_exporters_use_render_and_never_read_scans() -> None:
    for name, imported in modules("exporters").items():
        assert not imported & {"toolkit.scan", "toolkit.selfcheck", "toolkit.restore"}, name
        assert not any(m.startswith("toolkit.cli") for m in imported), name
    assert not (TOOLKIT / "exporters" / "_sheets.py").exists()


def test_render_reaches_the_scanner_only_through_its_self_check() -> None:
    for name, imported in modules("render").items():
        assert not imported & {"toolkit.scan", "toolkit.restore", "toolkit.exporters"}, name
        assert not any(m.startswith(("toolkit.cli", "toolkit.importers")) for m in imported)
    users = {name for name, imported in modules("render").items()
             if "toolkit.selfcheck" in imported}
    assert users == {"render/layout.py", "render/qr.py"}


def test_only_the_cli_imports_the_cli_and_pdfs_are_drawn_in_one_place() -> None:
    for path in TOOLKIT.rglob("*.py"):
        name = str(path.relative_to(TOOLKIT))
        text = path.read_text(encoding="utf-8")
        if not name.startswith("cli/") and name not in ("__main__.py", "entry.py"):
            assert not any(m.startswith("toolkit.cli") for m in imports_of(path)), name
        if name != "render/layout.py":
            assert "Canvas(" not in text, f"{name} makes its own PDF canvas"
        if not name.startswith("render/") and name != "selfcheck.py":
            assert "check_pdf" not in text, f"{name} checks a PDF itself"
