"""`paper2fa check` and `paper2fa add --at` fed what a real home-safe page shows: the page is
rendered, its text layer read back, and its secret lines and check line typed in, with a
mistake, with and without check letters, then right."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pypdfium2
import pytest

from toolkit.model import Account, Vault, vault_from_json
from toolkit.render.home_safe import render_home_safe
from toolkit.render.layout import PAPERS
from toolkit.secret_lines import check_line

DATE = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
AT = 1768435200  # midnight UTC of DATE: the page's reference time


def accounts() -> Vault:
    return Vault((
        Account("Two Lines", "alice", bytes(range(100, 120))),  # 32 characters: 2 lines
        Account("Bank", "alice", bytes(range(7, 23)), algorithm="SHA256", digits=8,
                period=60),
        Account("Counter", "alice", bytes(range(50, 70)), type="hotp", counter=5),
        Account("Short", "alice", bytes(range(30, 40))),  # 16 characters: 1 line
    ))


def account_of(issuer: str) -> Account:
    return next(a for a in accounts().accounts if a.issuer == issuer)


@dataclass
class Entry:
    """An account as its page's text layer shows it."""

    lines: list[str]  # "1 ABCD EFGH IJKL MNOP Q", as shown
    check: str  # "Check code: 123456 @ 1768435200 (the code at ...)"

    def typed(self, numbers: bool = False, letters: bool = True) -> list[str]:
        out = [line if numbers else line.split(" ", 1)[1] for line in self.lines]
        return out if letters else [line.rsplit(" ", 1)[0] for line in out]


@pytest.fixture(scope="module")
def page() -> dict[str, Entry]:
    pdf = render_home_safe(accounts(), date=DATE, generation=1, paper=PAPERS["a4"]).pdf
    doc = pypdfium2.PdfDocument(pdf)
    try:
        text = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
    rows = text.splitlines()
    entries = {}
    for account in accounts().accounts:
        start = max(i for i, row in enumerate(rows) if row == account.issuer)
        label = next(i for i in range(start, len(rows)) if rows[i].startswith("Secret key"))
        end = next(i for i in range(label, len(rows)) if rows[i].startswith("Check code:"))
        lines = [row for row in rows[label + 1 : end] if re.match(r"\d+ ", row)]
        entries[account.issuer] = Entry(lines, rows[end])
    return entries


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path


def one_wrong(lines: list[str], number: int) -> list[str]:
    """`lines` with one key character of line `number` changed."""
    out = list(lines)
    line = out[number - 1]
    spot = 5  # the second group's first character (the line number is not typed)
    out[number - 1] = line[:spot] + ("A" if line[spot] != "A" else "B") + line[spot + 1:]
    return out


SETTINGS = {"Two Lines": [], "Short": [], "Bank": ["--algorithm", "SHA256", "--digits", "8",
                                                    "--period", "60"],
            "Counter": ["--type", "hotp"]}


def test_the_page_shows_what_is_typed(page: dict[str, Entry]) -> None:
    for account in accounts().accounts:
        entry = page[account.issuer]
        assert len(entry.lines) == (len(account.secret_base32) + 15) // 16
        assert check_line(account, AT).text in entry.check
    assert page["Two Lines"].check == (f"Check code: {check_line(account_of('Two Lines'), AT).text}"
                                       " (the code at 2026-01-15 00:00 UTC)")
    assert page["Counter"].check.endswith("@ 0 (the code at counter 0)")


@pytest.mark.parametrize("issuer", ["Two Lines", "Bank", "Counter", "Short"])
def test_check_names_the_wrong_line_then_says_the_typed_secret_is_right(
        cli: Any, tmp_path: Path, page: dict[str, Entry], issuer: str) -> None:
    entry = page[issuer]
    last = len(entry.lines)
    bad = write(tmp_path, "bad.txt", one_wrong(entry.typed(), last))
    r = cli("check", "--secret-file", bad, "--check-line", entry.check, *SETTINGS[issuer])
    assert r.code == 4 and r.out == ""
    assert f"paper2fa: error: secret line {last} has a typing mistake" in r.err
    for numbers in (False, True):
        good = write(tmp_path, "good.txt", entry.typed(numbers=numbers))
        r = cli("check", "--secret-file", good, "--check-line", entry.check, *SETTINGS[issuer])
        assert r.code == 0, r.err
        assert r.err == ""
        assert "every check letter matches" in r.out
        assert "the typed secret and its settings are right; nothing was written" in r.out
    plain = write(tmp_path, "plain.txt", entry.typed(letters=False))
    r = cli("check", "--secret-file", plain, "--check-line", entry.check, *SETTINGS[issuer])
    assert r.code == 0, r.err
    assert "typed without check letters" in r.out and "are right" in r.out
    data_only = entry.check.split(": ", 1)[1].split(" (")[0]  # "123456 @ 1768435200"
    r = cli("check", "--secret-file", good, "--check-line", data_only, *SETTINGS[issuer])
    assert r.code == 0, r.err
    assert sorted(tmp_path.iterdir()) == [bad, good, plain]  # check writes nothing


def test_check_says_when_the_settings_are_wrong(cli: Any, tmp_path: Path,
                                                page: dict[str, Entry]) -> None:
    entry = page["Bank"]
    good = write(tmp_path, "good.txt", entry.typed())
    r = cli("check", "--secret-file", good, "--check-line", entry.check)  # settings left out
    assert r.code == 4 and r.out == ""
    assert ("the typed secret does not give the printed check code with these settings (the "
            "printed code has 8 digits, these settings give 6)") in r.err
    assert "every secret line's check letter matches" in r.err
    r = cli("check", "--secret-file", good, "--check-line", entry.check, "--digits", "8")
    assert r.code == 4 and "does not give the printed check code" in r.err


def test_check_refuses_what_reads_two_ways(cli: Any, tmp_path: Path,
                                           page: dict[str, Entry]) -> None:
    entry = page["Short"]
    unspaced = write(tmp_path, "lines.txt", [entry.typed(letters=False)[0].replace(" ", "")])
    r = cli("check", "--secret-file", unspaced, "--check-line", entry.check)
    assert r.code == 4 and r.out == ""
    assert "secret line 1 can be read two ways: as 15 characters of the key and its check " \
        "letter, or as 16 characters of the key" in r.err
    assert "--check-letters included or --check-letters left-out" in r.err
    r = cli("check", "--secret-file", unspaced, "--check-line", entry.check,
            "--check-letters", "left-out")
    assert r.code == 0 and "are right" in r.out
    r = cli("check", "--secret-file", unspaced)
    assert r.code == 4 and "can be read two ways" in r.err


def test_check_without_a_check_line(cli: Any, tmp_path: Path, page: dict[str, Entry]) -> None:
    entry = page["Two Lines"]
    r = cli("check", "--secret-file", write(tmp_path, "a.txt", entry.typed()))
    assert r.code == 0, r.err
    assert "every check letter matches" in r.out and "settings were not checked" in r.out
    r = cli("check", "--secret-file", write(tmp_path, "b.txt", entry.typed(letters=False)))
    assert r.code == 2 and r.out == "" and "nothing was checked" in r.err


def test_check_a_typed_secrets_file(cli: Any, tmp_path: Path, page: dict[str, Entry]) -> None:
    blocks = []
    for account in map(account_of, ["Two Lines", "Bank", "Counter", "Short"]):
        entry = page[account.issuer]
        lines = entry.typed()
        if account.issuer == "Two Lines":
            lines = one_wrong(lines, 2)
        extra = {"Bank": "algorithm: SHA256\ndigits: 8\nperiod: 60\n",
                 "Counter": "type: hotp\n"}.get(account.issuer, "")
        blocks.append(f"issuer: {account.issuer}\nname: {account.name}\nsecret: {lines[0]}\n"
                      + "".join(f"  {line}\n" for line in lines[1:]) + extra
                      + f"check: {entry.check.split(': ', 1)[1]}\n")
    typed = tmp_path / "typed.txt"
    typed.write_text("\n".join(blocks))
    r = cli("check", typed)
    assert r.code == 4
    assert "paper2fa: typed secret 1: secret line 2 has a typing mistake" in r.err
    assert "1 of 4 typed secrets" in r.err
    for number, issuer in [(2, "Bank"), (3, "Counter"), (4, "Short")]:
        assert f"typed secret {number} ({issuer}: alice): right" in r.out
    good = [page["Two Lines"].typed()]
    blocks[0] = (f"issuer: Two Lines\nname: alice\nsecret: {good[0][0]}\n  {good[0][1]}\n"
                 f"check: {page['Two Lines'].check}\n")
    typed.write_text("\n".join(blocks))
    r = cli("check", typed)
    assert r.code == 0, r.err
    assert r.out.count(": right, it gives the printed check code") == 4
    r = cli("check", typed, "--secret-file", typed)
    assert r.code == 2 and "give either TYPED_FILE" in r.err


@pytest.mark.parametrize("issuer", ["Two Lines", "Bank", "Counter"])
def test_add_at_checks_each_line_and_prints_the_check_code(
        cli: Any, tmp_path: Path, page: dict[str, Entry], issuer: str) -> None:
    account = account_of(issuer)
    entry = page[issuer]
    vault = tmp_path / "v.json"
    settings = [*SETTINGS[issuer], *(["--counter", "5"] if issuer == "Counter" else [])]
    add = ("add", vault, "--issuer", issuer, "--name", "alice", "--at", str(AT), *settings)
    bad = write(tmp_path, "bad.txt", one_wrong(entry.typed(), 1))
    r = cli(*add, "--secret-file", bad)
    assert r.code == 4 and r.out == ""
    assert "paper2fa: error: secret line 1 has a typing mistake" in r.err
    assert not vault.exists()
    good = write(tmp_path, "good.txt", entry.typed())
    r = cli(*add, "--secret-file", good)
    assert r.code == 0, r.err
    expected = check_line(account, AT).text
    moment = "at counter 0" if issuer == "Counter" else "at 2026-01-15 00:00 UTC"
    assert r.out.splitlines() == [
        f"secret lines 1 to {len(entry.lines)}: every check letter matches",
        f"{issuer}: alice: check code {expected} (the code {moment}); it must equal the check "
        "code printed for this account",
        f"saved {issuer}: alice to {vault} (1 accounts)"]
    assert expected in entry.check
    assert "s left" not in r.out and r.err == ""
    assert vault_from_json(vault.read_bytes()).accounts == (account,)


def test_add_at_never_keeps_a_check_letter(cli: Any, tmp_path: Path,
                                           page: dict[str, Entry]) -> None:
    account = account_of("Two Lines")
    for number, lines in enumerate([page["Two Lines"].typed(),
                                    [" ".join(page["Two Lines"].typed())],
                                    page["Two Lines"].typed(letters=False),
                                    [line.replace(" ", "") for line in page["Two Lines"].typed()]]):
        vault = tmp_path / f"v{number}.json"
        r = cli("add", vault, "--issuer", "Two Lines", "--name", "alice", "--at", str(AT),
                "--secret-file", write(tmp_path, f"s{number}.txt", lines))
        assert r.code == 0, r.err
        assert vault_from_json(vault.read_bytes()).accounts[0].secret == account.secret
    joined = "".join(line.replace(" ", "") for line in page["Two Lines"].typed())  # 34 letters
    r = cli("add", tmp_path / "w.json", "--issuer", "Two Lines", "--name", "alice", "--at",
            str(AT), "--secret-file", write(tmp_path, "joined.txt", [joined]))
    assert r.code == 4 and "can be read two ways" in r.err and "--check-letters" in r.err
    assert not (tmp_path / "w.json").exists()
    r = cli("add", tmp_path / "w.json", "--issuer", "Two Lines", "--name", "alice",
            "--check-letters", "included", "--secret-file", tmp_path / "joined.txt")
    assert r.code == 2 and "--check-letters is for a key typed from a home-safe page" in r.err
    r = cli("add", tmp_path / "w.json", "--issuer", "Two Lines", "--name", "alice", "--at",
            str(AT), "--check-letters", "included", "--secret-file", tmp_path / "joined.txt")
    assert r.code == 0, r.err
    assert vault_from_json((tmp_path / "w.json").read_bytes()).accounts[0].secret == (
        account.secret)


def test_add_help_and_check_help_show_the_typed_path(cli: Any) -> None:
    for command in ("add", "check"):
        r = cli(command, "--help")
        assert r.code == 0
        assert "--check-letters" in r.out
    assert "--at UNIX_TIME" in cli("add", "--help").out
