"""Import keeps every entry a person has: entries are one account only when issuer, name,
secret and settings are all the same; accounts sharing a secret under other names are kept,
said on stderr and reported by `audit`, in one file or across several, in any order.

The fixtures rebuild three public test exports (tests/fixtures/make_gauth_fixtures.py) whose
entries all hold one secret; an earlier paper2fa kept 1, 1 and 1 of their 20, 2 and 3.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from toolkit.model import vault_from_json

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "gauth"
SHARED = {
    "shared_secret_20.txt": ["Account 1", "Account 10", "Account 11"],
    "shared_secret_20_uris.txt": ["Account 1", "Account 10", "Account 11"],
    "shared_secret_testapp.png": ["TestApp: Google4 code", "TestApp: user@example.com"],
    "shared_secret_mixed.txt": ["pi@raspberrypi", "encoding: ¿äÄéÉ? (demo)",
                                "raspberrypi: pi@raspberrypi"],
}
COUNTS = {"shared_secret_20.txt": 20, "shared_secret_20_uris.txt": 20,
          "shared_secret_testapp.png": 2, "shared_secret_mixed.txt": 3}


@pytest.mark.parametrize("name", sorted(SHARED))
def test_entries_sharing_one_secret_are_all_kept(cli: Any, tmp_path: Path, name: str) -> None:
    out = tmp_path / "vault.json"
    result = cli("import", FIXTURES / name, "-o", out)
    assert result.code == 0, result.err
    count = COUNTS[name]
    assert f"imported {count} accounts" in result.out
    vault = vault_from_json(out.read_bytes())
    assert len(vault) == count and len({a.secret for a in vault.accounts}) == 1
    [note] = result.err.strip().splitlines()
    assert note.startswith(f"paper2fa: {count} accounts share a secret with another account: "
                           + "; ".join(SHARED[name]))
    audit = cli("audit", out, "--json").json()
    assert [len(group) for group in audit["duplicates"]] == [count]
    text = cli("audit", out).out
    assert f"Accounts that share a secret with another account: {count}" in text


def test_the_same_rule_across_files_in_any_order(cli: Any, tmp_path: Path) -> None:
    lines = (FIXTURES / "shared_secret_20_uris.txt").read_text().splitlines(keepends=True)
    parts = [tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"]
    parts[0].write_text("".join(lines[:12]))
    parts[1].write_text("".join(lines[8:]))  # 4 entries in both files: one account each
    parts[2].write_text("".join(lines[:3]))
    fingerprints = set()
    for number, order in enumerate(itertools.permutations(parts)):
        out = tmp_path / f"vault-{number}.json"
        result = cli("import", *order, "-o", out)
        assert result.code == 0, result.err
        assert "imported 20 accounts" in result.out
        assert "14 entries were 7 accounts given more than once" in result.err
        assert "20 accounts share a secret with another account" in result.err
        fingerprints.add(vault_from_json(out.read_bytes()).fingerprint)
    assert len(fingerprints) == 1


def test_merge_same_secret_keeps_every_name_in_the_notes(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "vault.json"
    result = cli("import", FIXTURES / "shared_secret_mixed.txt", "--merge-same-secret",
                 "-o", out)
    assert result.code == 0, result.err
    assert "imported 1 account " in result.out
    assert "3 entries were 1 account given more than once" in result.err
    [account] = vault_from_json(out.read_bytes()).accounts
    assert account.label == "pi@raspberrypi"  # the first in canonical order (no issuer)
    assert account.notes == ("Also named: encoding: ¿äÄéÉ? (demo); "
                             "raspberrypi: pi@raspberrypi")
