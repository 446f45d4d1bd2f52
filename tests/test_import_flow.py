"""The import flow of the sheets' code runs one way (STYLE.md): exporters/ use render/ and
never read scans themselves; render/ reaches the scanner only through the self-check, its one
exit; only the CLI imports the CLI; every PDF-making module draws through render/layout.

Two wings over a shared core (STYLE.md, "The shape"): paper in (scan.py, camera/, recovery/)
reaches nothing of paper out's render/ or exporters/, not even through another module, and paper
out (render/, exporters/, importers/) imports nothing of paper in. The words both speak are
core (toolkit/texts.py), and so is what fits one QR code (toolkit/qr_capacity.py)."""

from __future__ import annotations

import ast
import re
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


PAPER_IN = ("toolkit.scan", "toolkit.camera", "toolkit.recovery")
PAPER_OUT = ("toolkit.render", "toolkit.exporters", "toolkit.importers")


def in_wing(module: str, wing: tuple[str, ...]) -> bool:
    return any(module == top or module.startswith(top + ".") for top in wing)


def module_graph() -> dict[str, set[str]]:
    """Every toolkit module (dotted name; a package is its __init__) and what it imports, a
    module's import counting its packages' __init__ too, since importing runs them."""
    graph: dict[str, set[str]] = {}
    for path in TOOLKIT.rglob("*.py"):
        parts = list(path.relative_to(TOOLKIT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        imported = imports_of(path)
        packages = {".".join(m.split(".")[:n]) for m in imported
                    for n in range(2, m.count(".") + 1)}
        graph[".".join(parts)] = imported | packages
    return graph


def reached_from(start: str, graph: dict[str, set[str]]) -> dict[str, str]:
    """Each module `start` reaches through imports, with the module that imports it."""
    by: dict[str, str] = {}
    todo = [start]
    while todo:
        module = todo.pop()
        for name in graph.get(module, set()):
            if name in graph and name not in by and name != start:
                by[name] = module
                todo.append(name)
    return by


def test_paper_in_reaches_nothing_of_paper_out_drawing() -> None:
    graph = module_graph()
    readers = [m for m in graph if in_wing(m, PAPER_IN)]
    assert {"toolkit.scan", "toolkit.camera.guidance", "toolkit.recovery.verify"} <= set(readers)
    for start in readers:
        by = reached_from(start, graph)
        for module in by:
            if in_wing(module, ("toolkit.render", "toolkit.exporters")):
                chain = [module]
                while chain[-1] != start:
                    chain.append(by[chain[-1]])
                raise AssertionError(f"{start} reaches {module}: {' <- '.join(chain)}")


def test_paper_out_imports_nothing_of_paper_in() -> None:
    """Not even to read a screenshot's QR codes: the CLI reads them (toolkit.cli.image_import)
    and gives the importers their texts."""
    graph = module_graph()
    found = {module: {m for m in imported if in_wing(m, PAPER_IN)}
             for module, imported in graph.items() if in_wing(module, PAPER_OUT)}
    assert {module: bad for module, bad in found.items() if bad} == {}


def test_scan_py_alone_opens_scanned_images_and_counts_their_pages() -> None:
    """One owner of image I/O on the way in (STYLE.md): scan.py opens the image files and PDFs
    given and counts their pages; the rest reads pages through it."""
    for path in TOOLKIT.rglob("*.py"):
        name = str(path.relative_to(TOOLKIT))
        text = path.read_text(encoding="utf-8")
        if name != "scan.py":
            for owned in (r"Image\.open\(", r"\bn_frames\b", r"\bIsolatedPdf\("):
                assert not re.search(owned, text), f"{name} uses {owned} (scan.py's job)"
