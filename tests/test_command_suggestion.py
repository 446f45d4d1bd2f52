"""A mistyped command (`paper2fa restor`) names the nearest command, not all of them (issue 19)."""

from __future__ import annotations

from typing import Any

import pytest

from toolkit.cli import build_parser, unknown_command


def commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sub.choices is not None
    return sorted(sub.choices)


@pytest.mark.parametrize(("typed", "nearest"), [
    ("restor", "restore"), ("restroe", "restore"), ("prnt", "print"), ("exprot", "export"),
    ("verfy", "verify"), ("docter", "doctor"), ("spilt", "split"),
])
def test_a_mistyped_command_gets_the_nearest_one(cli: Any, typed: str, nearest: str) -> None:
    result = cli(typed)
    assert result.code == 2
    assert f"did you mean `paper2fa {nearest}`?" in result.err
    # one suggestion, not the list of every command
    others = [c for c in commands() if c != nearest and f"'{c}'" in result.err]
    assert others == []
    assert len(commands()) >= 20


def test_nothing_close_names_no_command(cli: Any) -> None:
    result = cli("frobnicate")
    assert result.code == 2 and "no such command" in result.err
    assert "did you mean" not in result.err and "'restore'" not in result.err


def test_what_was_typed_is_shown_visibly() -> None:
    said = unknown_command("re\x1b[2Jstore\n", commands())
    assert "\x1b" not in said and "\n" not in said
    assert "did you mean `paper2fa restore`?" in said
