"""`paper2fa demo` through the real entry point: it ends with the verdict, just after a short
list of the files worth opening first, each of which exists (issue 12)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from toolkit.cli.demo_cmd import LOOK_FIRST

pytestmark = pytest.mark.slow


def test_demo_lists_files_to_open_then_the_verdict(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = cli("demo", "-o", out)
    assert result.code == 0, result.out[-2000:] + result.err
    lines = result.out.rstrip("\n").splitlines()
    assert lines[-1] == "round trip exact: yes"
    start = lines.index("open these first:")
    listed = lines[start + 1 : -1]
    assert len(listed) == len(LOOK_FIRST)
    for line in listed:
        match = re.match(r"  (\S+)\s{2,}(.+)$", line)
        assert match, line
        assert Path(match.group(1)).is_file(), line
        assert Path(match.group(1)).is_relative_to(out)
    assert any(line.strip().startswith(str(out / "backup.pdf")) for line in listed)
