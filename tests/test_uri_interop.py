"""paper2fa's otpauth:// URIs as independent parsers read them (issue 12).

pyotp (a test dependency anyway) and the npm `otpauth` package (run with node, installed by
`./install.sh --test` into tests/node/; skipped where node or the package is absent) must read
the issuer, name and code settings paper2fa meant, for every account the Key URI Format can
express; the few it cannot (a colon in both the issuer and the name, an empty name for npm)
are either refused or flagged by `uri.label_problems`.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pyotp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit import otp
from toolkit.model import Account
from toolkit.uri import build_otpauth, label_problems, parse_otpauth

NODE_DIR = Path(__file__).parent / "node"
NOW = 1_700_000_000

text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20)
issuers = text | st.sampled_from(["A:B:C", "Bank: Savings", "Example", "Bank%3A", "a&b=c"])
names = text | st.sampled_from(["alice", "x:y", "a@b.example", "100% me", "a+b"])
plain_accounts = st.builds(
    Account,
    issuer=issuers,
    name=names,
    secret=st.binary(min_size=16, max_size=40),
    type=st.sampled_from(["totp", "hotp"]),
    algorithm=st.sampled_from(["SHA1", "SHA256", "SHA512"]),
    digits=st.sampled_from([6, 7, 8]),
    period=st.integers(1, 120),  # pyotp refuses longer periods
    counter=st.integers(0, 2**53 - 1),
)

CASES = [
    Account(issuer="A:B:C", name="x", secret=b"0123456789abcdef"),
    Account(issuer="Bank: Savings", name="alice", secret=b"0123456789abcdef"),
    Account(issuer="", name="x:y", secret=b"0123456789abcdef"),
    Account(issuer="Example", name="x:y", secret=b"0123456789abcdef"),
    Account(issuer="Example", name="alice@example.com", secret=b"0123456789abcdef", type="hotp",
            counter=42),
    Account(issuer="Ëxample Ünicode", name="alice: ünïcode", secret=b"0123456789abcdef", digits=8),
]


def _expressible(account: Account) -> bool:
    """Accounts the Key URI Format can carry: not a colon in both the issuer and the name."""
    return not (":" in account.issuer and ":" in account.name)


def _pyotp_reads(account: Account) -> None:
    parsed = pyotp.parse_uri(build_otpauth(account))
    # pyotp shows a missing name as "Secret"
    assert (parsed.issuer or "", parsed.name) == (account.issuer, account.name or "Secret")
    assert parsed.secret == account.secret_base32 and parsed.digits == account.digits
    if account.type == "hotp":
        assert isinstance(parsed, pyotp.HOTP) and parsed.initial_count == account.counter
        assert parsed.at(0) == otp.hotp(account.secret, account.counter,
                                                      account.digits, account.algorithm)
    else:
        assert isinstance(parsed, pyotp.TOTP) and parsed.interval == account.period
        assert parsed.at(NOW) == otp.code_at(account, NOW)


@pytest.mark.parametrize("account", CASES, ids=lambda a: a.label)
def test_pyotp_reads_labels_as_meant(account: Account) -> None:
    _pyotp_reads(account)


@given(account=plain_accounts)
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_pyotp_reads_every_expressible_account(account: Account) -> None:
    if not _expressible(account):
        with pytest.raises(ValueError):  # refused rather than misread
            pyotp.parse_uri(build_otpauth(account))
        assert label_problems(account)
        return
    _pyotp_reads(account)


def test_pyotp_reads_steam_as_steam() -> None:
    steam = Account(issuer="Steam", name="gabe", secret=b"0123456789abcdef", type="steam")
    parsed = pyotp.parse_uri(build_otpauth(steam))
    assert type(parsed).__name__ == "Steam"
    assert parsed.at(NOW) == otp.code_at(steam, NOW)


def _random_accounts(count: int) -> list[Account]:
    """Accounts with labels drawn from characters that URIs and parsers trip over."""
    rng = random.Random(12)
    pool = "abcXYZ019 :%&=+?#/@.-_~'\"ÄéßЖ中🙂\u00a0"
    made = []
    for _ in range(count):
        made.append(Account(
            issuer="".join(rng.choice(pool) for _ in range(rng.randrange(0, 12))),
            name="".join(rng.choice(pool) for _ in range(rng.randrange(0, 12))),
            secret=rng.randbytes(rng.randrange(16, 40)),
            type=rng.choice(["totp", "hotp"]),
            algorithm=rng.choice(["SHA1", "SHA256", "SHA512"]),
            digits=rng.choice([6, 7, 8]),
            period=rng.randrange(1, 121),
            counter=rng.randrange(0, 2**53),
        ))
    return made


def _npm_parse(uris: list[str]) -> list[dict[str, object]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    if not (NODE_DIR / "node_modules" / "otpauth").is_dir():
        pytest.skip("the npm otpauth package is not installed (./install.sh --test does it)")
    done = subprocess.run([node, str(NODE_DIR / "parse_otpauth.cjs")], input="\n".join(uris),
                          capture_output=True, text=True, timeout=600, check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_npm_otpauth_reads_what_pyotp_and_paper2fa_read() -> None:
    accounts = [a for a in [*CASES, *_random_accounts(200)] if _expressible(a) and a.name]
    uris = [build_otpauth(a) for a in accounts]
    for account, read in zip(accounts, _npm_parse(uris), strict=True):
        assert "error" not in read, (account, read)
        assert (read["issuer"], read["name"]) == (account.issuer, account.name)
        assert (read["secret"], read["algorithm"], read["digits"]) == (
            account.secret_base32, account.algorithm, account.digits)
        if account.type == "hotp":
            assert read["counter"] == str(account.counter)
        else:
            assert read["period"] == account.period


def test_npm_otpauth_misreads_the_old_colon_labels() -> None:
    """The reproducer of issue 12: the old form, still read by paper2fa, is what npm misread."""
    old = ["otpauth://totp/A%3AB%3AC:x%3Ay?secret=JBSWY3DPEHPK3PXP&issuer=A%3AB%3AC",
           "otpauth://totp/Bank%3A%20Savings:alice?secret=JBSWY3DPEHPK3PXP"
           "&issuer=Bank%3A%20Savings"]
    read = _npm_parse(old)
    assert [r["name"] for r in read] == ["B:C:x:y", " Savings:alice"]
    assert [parse_otpauth(u).name for u in old] == ["x:y", "alice"]


def test_npm_otpauth_refuses_steam_rather_than_misreading_it() -> None:
    steam = Account(issuer="Steam", name="gabe", secret=b"0123456789abcdef", type="steam")
    assert "error" in _npm_parse([build_otpauth(steam)])[0]
