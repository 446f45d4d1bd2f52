"""`paper2fa audit` and `paper2fa diff`: the library reports and the commands."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from toolkit.audit import AccountRef, audit_vault, diff_vaults, move_order
from toolkit.cli.paper_cmds import OUT_OF_DATE
from toolkit.demo import demo_vault
from toolkit.exporters import ExportOptions, export_vault
from toolkit.model import Account, Vault, vault_to_json
from toolkit.render.checklist import audit_facts

MAIL = Account(issuer="Mail", name="me@example.com", secret=bytes(range(20)),
               tags=("critical",), recovery_codes=("AAAA-1111", "BBBB-2222"),
               other_factors=("security key",), notes="move first")
FORUM = Account(issuer="forum", name="me", secret=b"0123456789")  # 80 bits
VPN = Account(issuer="VPN", name="me", secret=bytes(range(1, 21)), type="hotp", counter=7,
              recovery_codes=("only-one",))
COPY_A = Account(issuer="Shop", name="me", secret=bytes(range(2, 22)))
COPY_B = Account(issuer="Shop (old label)", name="me", secret=bytes(range(2, 22)))
BANK = Account(issuer="Bank", name="me", secret=bytes(range(3, 35)), algorithm="SHA256",
               digits=8, period=60, tags=("critical", "money"), other_factors=("SMS",))
GAME = Account(issuer="Games", name="me", secret=bytes(range(4, 24)), type="steam")
VAULT = Vault((MAIL, FORUM, VPN, COPY_A, COPY_B, BANK, GAME))


def ref(account: Account) -> AccountRef:
    return AccountRef(account.issuer, account.name)


def refs(*accounts: Account) -> set[AccountRef]:
    return {ref(a) for a in accounts}


# --- audit ------------------------------------------------------------------------------------


def test_audit_findings() -> None:
    report = audit_vault(VAULT)
    assert report.account_count == 7
    assert report.fingerprint == VAULT.fingerprint
    assert set(report.no_recovery_codes) == refs(FORUM, COPY_A, COPY_B, BANK, GAME)
    assert set(report.no_other_factor) == refs(FORUM, VPN, COPY_A, COPY_B, GAME)
    assert set(report.no_fallback) == refs(FORUM, COPY_A, COPY_B, GAME)
    assert report.hotp == (ref(VPN),)
    assert [(s.account, s.bits) for s in report.short_secrets] == [(ref(FORUM), 80)]
    assert [set(group) for group in report.duplicates] == [refs(COPY_A, COPY_B)]
    ignored = {i.account: i.settings for i in report.ignored_settings}
    assert ignored[ref(BANK)] == ("algorithm SHA256", "8 digits", "period 60 s")
    assert "Steam" in ignored[ref(GAME)][0]
    assert set(ignored) == refs(BANK, GAME)


def test_move_order_critical_first_then_by_issuer() -> None:
    report = audit_vault(VAULT)
    order = [step.account for step in report.move_order]
    assert order[:2] == [ref(BANK), ref(MAIL)]
    assert [s.critical for s in report.move_order] == [True, True] + [False] * 5
    rest = [r.issuer.casefold() for r in order[2:]]
    assert rest == sorted(rest)  # "forum" sorts with F although it is lowercase
    assert [a.label for a in move_order(VAULT.accounts)] == [r.label for r in order]


def test_clean_vault_has_no_findings() -> None:
    good = Account(issuer="Good", name="me", secret=bytes(20), recovery_codes=("x",),
                   other_factors=("key",))
    report = audit_vault(Vault((good,)))
    assert not (report.no_recovery_codes or report.no_other_factor or report.hotp
                or report.short_secrets or report.duplicates or report.ignored_settings)


def _write(tmp_path: Path, name: str, vault: Vault) -> Path:
    path = tmp_path / name
    path.write_bytes(vault_to_json(vault))
    return path


def test_cli_audit_json(cli: Any, tmp_path: Path) -> None:
    src = _write(tmp_path, "v.json", VAULT)
    result = cli("audit", src, "--json")
    assert result.code == 0
    data = result.json()
    assert data == audit_vault(VAULT).to_json()
    assert data["duplicates"] == [[{"issuer": "Shop", "name": "me"},
                                   {"issuer": "Shop (old label)", "name": "me"}]]
    assert data["short_secrets"] == [{"issuer": "forum", "name": "me", "bits": 80}]
    assert data["move_order"][0] == {"issuer": "Bank", "name": "me", "critical": True}


def test_cli_audit_text_shows_no_secrets(cli: Any, tmp_path: Path) -> None:
    src = _write(tmp_path, "v.json", VAULT)
    result = cli("audit", src)
    assert result.code == 0
    assert "Secrets shorter than 128 bits: 1" in result.out
    assert "forum: me (80 bits)" in result.out
    assert "Suggested order" in result.out
    lines = result.out.splitlines()
    start = lines.index("Suggested order for moving accounts to a new phone:")
    assert lines[start + 1].strip() == "1. Bank: me  (critical)"
    for account in VAULT.accounts:
        assert account.secret_base32 not in result.out
        for code in account.recovery_codes:
            assert code not in result.out
    assert "move first" not in result.out  # notes are not shown


def test_audit_names_every_account_that_shares_a_secret(cli: Any, tmp_path: Path) -> None:
    """Same secret under other names, or with other settings: reported, never merged."""
    hotp_copy = Account(issuer="Shop (hotp)", name="me", secret=COPY_A.secret, type="hotp")
    vault = Vault((*VAULT.accounts, hotp_copy))
    [group] = audit_vault(vault).duplicates
    assert set(group) == refs(COPY_A, COPY_B, hotp_copy)
    facts = audit_facts(audit_vault(vault))
    assert ("3 accounts share a secret with another account: Shop: me; Shop (hotp): me; "
            "Shop (old label): me.") in facts
    result = cli("audit", _write(tmp_path, "v.json", vault))
    assert result.code == 0
    lines = result.out.splitlines()
    start = lines.index("Accounts that share a secret with another account: 3")
    assert lines[start + 2] == "  - Shop: me = Shop (hotp): me = Shop (old label): me"


def test_cli_audit_reads_exports_and_bad_input(cli: Any, tmp_path: Path) -> None:
    aegis = tmp_path / "aegis.json"
    aegis.write_bytes(export_vault(demo_vault(), "aegis",
                                   ExportOptions(rng=random.Random(0))).data)
    result = cli("audit", aegis, "--json")
    assert result.code == 0
    assert result.json()["accounts"] == len(demo_vault())
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01 not an export")
    bad = cli("audit", junk)
    assert bad.code == 4 and "paper2fa: error:" in bad.err and "Traceback" not in bad.err
    assert cli("audit", tmp_path / "missing.json").code == 3


# --- diff -------------------------------------------------------------------------------------


def test_diff_identical() -> None:
    diff = diff_vaults(VAULT, Vault(tuple(reversed(VAULT.accounts))))
    assert diff.identical
    assert diff.old_fingerprint == diff.new_fingerprint


def test_diff_added_removed_changed() -> None:
    new_mail = replace(MAIL, secret=bytes(range(100, 120)), digits=8,
                       recovery_codes=(*MAIL.recovery_codes, "CCCC-3333"), notes="changed")
    new_bank = replace(BANK, tags=("money",))
    added = Account(issuer="New", name="me", secret=bytes(range(50, 70)))
    new = Vault((new_mail, FORUM, VPN, COPY_A, new_bank, GAME, added))
    diff = diff_vaults(VAULT, new)
    assert not diff.identical
    assert diff.added == (ref(added),)
    assert diff.removed == (ref(COPY_B),)
    changes = {c.account: {f.field: f for f in c.changes} for c in diff.changed}
    assert set(changes) == refs(MAIL, BANK)
    mail = changes[ref(MAIL)]
    assert set(mail) == {"secret", "digits", "recovery_codes", "notes"}
    assert mail["secret"].description == "secret changed"
    assert mail["secret"].old is None and mail["secret"].new is None
    assert (mail["digits"].old, mail["digits"].new) == (6, 8)
    assert mail["recovery_codes"].description == "recovery codes changed (2 codes -> 3 codes)"
    assert set(changes[ref(BANK)]) == {"tags"}


def test_diff_matches_ignoring_case_and_pairs_same_labels() -> None:
    renamed = replace(FORUM, issuer="Forum")
    twin_1 = Account(issuer="Site", name="me", secret=bytes(range(20)))
    twin_2 = Account(issuer="Site", name="me", secret=bytes(range(1, 21)))
    diff = diff_vaults(Vault((FORUM, twin_1, twin_2)), Vault((renamed, twin_2)))
    assert diff.removed == (ref(twin_1),)
    assert diff.added == ()
    assert [(c.account, [f.field for f in c.changes]) for c in diff.changed] == [
        (ref(renamed), ["issuer"])]


def test_cli_diff_identical_across_formats(cli: Any, tmp_path: Path) -> None:
    plain = Vault(tuple(replace(a, recovery_codes=(), other_factors=()) for a in VAULT.accounts
                        if a is not COPY_B))
    old = _write(tmp_path, "old.json", plain)
    aegis = tmp_path / "new-aegis.json"
    aegis.write_bytes(export_vault(plain, "aegis", ExportOptions(rng=random.Random(0))).data)
    result = cli("diff", old, aegis)
    assert result.code == 0, result.out + result.err
    assert "identical" in result.out
    assert OUT_OF_DATE not in result.out
    data = cli("diff", old, aegis, "--json").json()
    assert data["identical"] is True and "advice" not in data


def test_cli_diff_changes(cli: Any, tmp_path: Path) -> None:
    new_mail = replace(MAIL, secret=bytes(range(100, 120)), recovery_codes=("ZZZZ-9999",))
    new = Vault((new_mail, FORUM, VPN, COPY_A, BANK, GAME))
    old_path = _write(tmp_path, "old.json", VAULT)
    new_path = _write(tmp_path, "new.json", new)
    result = cli("diff", old_path, new_path)
    assert result.code == 1
    assert "removed: 1" in result.out and "- Shop (old label): me" in result.out
    assert "~ Mail: me@example.com" in result.out
    assert "secret changed" in result.out
    assert "recovery codes changed" in result.out
    assert OUT_OF_DATE in result.out
    for secret in (MAIL.secret_base32, new_mail.secret_base32):
        assert secret not in result.out
    for code in (*MAIL.recovery_codes, *new_mail.recovery_codes):
        assert code not in result.out
    data = cli("diff", old_path, new_path, "--json")
    assert data.code == 1
    parsed = data.json()
    assert parsed["identical"] is False
    assert parsed["advice"] == OUT_OF_DATE
    assert parsed["removed"] == [{"issuer": "Shop (old label)", "name": "me"}]
    assert parsed["added"] == []
    [changed] = parsed["changed"]
    assert changed["issuer"] == "Mail"
    assert [c["field"] for c in changed["changes"]] == ["secret", "recovery_codes"]
    assert "old" not in changed["changes"][0]


@pytest.mark.parametrize("which", ["old", "new"])
def test_cli_diff_bad_input(cli: Any, tmp_path: Path, which: str) -> None:
    good = _write(tmp_path, "good.json", VAULT)
    junk = tmp_path / "junk.txt"
    junk.write_text("hello\n")
    args = (junk, good) if which == "old" else (good, junk)
    result = cli("diff", *args)
    assert result.code == 4  # an error, never confused with "different" (1)
    assert "paper2fa: error:" in result.err
