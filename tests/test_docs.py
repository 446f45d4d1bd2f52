"""Docs that cannot drift: exit codes match errors.py; every command has help and a page."""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.cli import build_parser
from toolkit.errors import all_error_classes

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _commands() -> dict[str, object]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return dict(sub.choices)  # type: ignore[attr-defined]


def test_exit_code_table_matches_errors() -> None:
    rows = re.findall(r"^\| (\d+) \|[^|]*\|([^|]*)\|$", (DOCS / "exit-codes.md").read_text(),
                      re.M)
    documented = {name: int(code) for code, names in rows
                  for name in re.findall(r"`(\w+)`", names)}
    actual = {cls.__name__: cls.exit_code for cls in all_error_classes()}
    assert documented == actual


def test_every_command_has_help_and_a_page() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    helps = {c.dest: c.help for c in sub._choices_actions}  # type: ignore[attr-defined]
    for name in _commands():
        assert helps.get(name), f"{name} has no help text"
        page = DOCS / "commands" / f"{name}.md"
        assert page.is_file(), f"docs/commands/{name}.md is missing"
        assert page.read_text().startswith(f"# paper2fa {name}"), page


def test_every_option_is_documented_on_its_page() -> None:
    for name, parser in _commands().items():
        page = (DOCS / "commands" / f"{name}.md").read_text()
        for action in parser._actions:  # type: ignore[attr-defined]
            if action.help == "==SUPPRESS==":
                continue
            longs = [o for o in action.option_strings if o.startswith("--")]
            if longs and longs[0] != "--help":
                assert longs[0] in page, f"{name}: {longs[0]} is not on docs/commands/{name}.md"


def test_commands_index_lists_every_command() -> None:
    index = (DOCS / "commands.md").read_text()
    for name in _commands():
        assert f"(commands/{name}.md)" in index, f"docs/commands.md does not link {name}"


def test_formats_page_lists_every_importer() -> None:
    from toolkit.importers import all_importers

    page = (DOCS / "formats.md").read_text()
    for importer in all_importers():
        assert f"`{importer.name}`" in page, f"docs/formats.md does not list {importer.name}"


def test_every_template_language_is_packaged() -> None:
    """templates/<lang>/ ships only if pyproject lists toolkit.templates.<lang>: a new language
    must add that line (the wheel, and so the offline bundle, would silently lack it)."""
    import tomllib

    root = DOCS.parent
    packages = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"]
    for folder in (root / "templates").iterdir():
        if folder.is_dir() and not folder.name.startswith(("_", ".")):
            assert f"toolkit.templates.{folder.name}" in packages, folder.name


def test_every_toolkit_package_is_packaged() -> None:
    """A new folder under toolkit/ ships only if pyproject lists it (the wheel, the offline
    bundle and the live image would silently lack it, as toolkit.recovery nearly did)."""
    import tomllib

    root = DOCS.parent
    packages = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"]
    for init in (root / "toolkit").rglob("__init__.py"):
        name = ".".join(init.parent.relative_to(root).parts)
        assert name in packages, f"{name} is not in pyproject.toml's packages"
