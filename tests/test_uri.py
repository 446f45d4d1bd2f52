"""otpauth:// URIs: real-world pitfalls in parsing, and build/parse round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import constants as C
from toolkit.errors import AccountError
from toolkit.model import Account
from toolkit.uri import build_otpauth, ignored_by_simple_apps, parse_otpauth

S = "JBSWY3DPEHPK3PXP"


@pytest.mark.parametrize(
    "uri, issuer, name",
    [
        (f"otpauth://totp/ACME%20Co:john.doe@email.com?secret={S}&issuer=ACME%20Co",
         "ACME Co", "john.doe@email.com"),
        (f"otpauth://totp/ACME%20Co%3Ajohn?secret={S}", "ACME Co", "john"),
        (f"otpauth://totp/ACME:%20john?secret={S}", "ACME", "john"),
        (f"otpauth://totp/john?secret={S}&issuer=ACME", "ACME", "john"),
        (f"otpauth://totp/Old:john?secret={S}&issuer=New", "New", "john"),
        (f"otpauth://totp/a+b:c+d?secret={S}&issuer=a+b", "a b", "c+d"),
        (f"otpauth://totp/john?secret={S}", "", "john"),
        (f"OTPAUTH://TOTP/X:y?SECRET={S}", "X", "y"),
        (f"otpauth://totp/Corp%3A%20EU:alice?secret={S}&issuer=Corp%3A%20EU", "Corp: EU", "alice"),
        (f"otpauth://totp/Corp%3A%20EU:alice?secret={S}", "Corp: EU", "alice"),
        (f"otpauth://totp/Corp%3Aalice?secret={S}", "Corp", "alice"),
    ],
)
def test_labels_and_issuers(uri: str, issuer: str, name: str) -> None:
    account = parse_otpauth(uri)
    assert (account.issuer, account.name) == (issuer, name)


def test_parameters_and_pitfalls() -> None:
    a = parse_otpauth(
        "otpauth://totp/X:y?secret=jbsw%20y3dp%20ehpk%203pxp====&algorithm=sha256&digits=8&period=60"
    )
    assert (a.secret_base32, a.algorithm, a.digits, a.period) == (S, "SHA256", 8, 60)
    h = parse_otpauth(f"otpauth://hotp/X:y?secret={S}&counter=7&period=60")
    assert (h.type, h.counter, h.period) == ("hotp", 7, 30)


@pytest.mark.parametrize(
    "uri",
    [
        f"otpauth://steam/Steam:gabe?secret={S}&issuer=Steam",
        f"otpauth://totp/Steam:gabe?secret={S}&issuer=Steam&encoder=steam",
        f"steam://{S}",
    ],
)
def test_steam_forms(uri: str) -> None:
    a = parse_otpauth(uri)
    assert (a.type, a.digits, a.issuer, a.secret_base32) == ("steam", 5, "Steam", S)


@pytest.mark.parametrize(
    "uri, message",
    [
        ("https://example.com", "not an otpauth"),
        ("otpauth://motp/x?secret=AAAA", "unsupported OTP type"),
        ("otpauth://totp/x?issuer=a", "no secret"),
        ("otpauth://totp/x?secret=ABC", "impossible length"),
        (f"otpauth://totp/x?secret={S}&algorithm=SHA384", "unsupported algorithm"),
        (f"otpauth://totp/x?secret={S}&digits=six", "not a plain whole number"),
    ],
)
def test_broken_uris(uri: str, message: str) -> None:
    with pytest.raises(AccountError, match=message):
        parse_otpauth(uri)


label_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=25).map(str.strip)
accounts = st.builds(
    Account,
    issuer=label_text | st.sampled_from(["A:B:C", "Bank: Savings", ":", "a%3Ab", "Steam"]),
    name=label_text | st.sampled_from(["x:y", "alice", ": a", "a:", "%3A", ""]),
    secret=st.binary(min_size=1, max_size=C.MAX_SECRET_BYTES),
    type=st.sampled_from(C.OTP_TYPES),
    algorithm=st.sampled_from(C.ALGORITHMS),
    digits=st.integers(C.MIN_DIGITS, C.MAX_DIGITS),
    period=st.integers(1, C.MAX_PERIOD),
    counter=st.integers(0, C.MAX_COUNTER),
)


@given(account=accounts)
@settings(max_examples=400)
def test_build_parse_round_trip_of_every_account(account: Account) -> None:
    uri = build_otpauth(account)
    assert parse_otpauth(uri) == account
    assert uri.isascii() and " " not in uri


@pytest.mark.parametrize(
    "issuer, name, label",
    [
        ("Example", "alice@example.com", "Example:alice@example.com"),
        ("A:B:C", "x", "x"),  # a colon in the issuer: the issuer= parameter alone carries it
        ("Bank: Savings", "alice", "alice"),
        ("", "x:y", ":x%3Ay"),  # an empty issuer prefix keeps the colon inside the name
        ("A:B", "x:y", ":x%3Ay"),
        ("Example", "x:y", "Example:x%3Ay"),
        ("Example", "", ""),
        ("", "alice", "alice"),
    ],
)
def test_labels_written(issuer: str, name: str, label: str) -> None:
    account = Account(issuer=issuer, name=name, secret=S.encode())
    uri = build_otpauth(account)
    assert uri.split("/", 3)[3].split("?")[0] == label
    assert parse_otpauth(uri) == account


@pytest.mark.parametrize(
    "uri, issuer, name",
    [
        # written by paper2fa before labels avoided %3A (pages already printed)
        (f"otpauth://totp/A%3AB%3AC:x%3Ay?secret={S}&issuer=A%3AB%3AC", "A:B:C", "x:y"),
        (f"otpauth://totp/Bank%3A%20Savings:alice?secret={S}&issuer=Bank%3A%20Savings",
         "Bank: Savings", "alice"),
        (f"otpauth://totp/Example:?secret={S}&issuer=Example", "Example", ""),
    ],
)
def test_old_labels_still_read(uri: str, issuer: str, name: str) -> None:
    account = parse_otpauth(uri)
    assert (account.issuer, account.name) == (issuer, name)


def test_steam_is_written_for_the_most_apps() -> None:
    steam = Account(issuer="Steam", name="gabe", secret=S.encode(), type="steam")
    uri = build_otpauth(steam)
    assert uri.startswith("otpauth://steam/Steam:gabe?")
    assert "digits=5" in uri and "encoder=steam" in uri
    assert parse_otpauth(uri) == steam
    # the form printed before (no encoder) still reads
    old = f"otpauth://steam/Steam:gabe?secret={steam.secret_base32}&issuer=Steam&digits=5"
    assert parse_otpauth(old) == steam
    no_issuer = steam.with_changes(issuer="")
    assert parse_otpauth(build_otpauth(no_issuer)) == no_issuer


@pytest.mark.parametrize(
    "query, message",
    [
        # issue 11: loose numbers and repeated parameters
        ("digits=1_0", "digits= is not a plain whole number"),
        ("period=\uff13\uff10", "period= is not a plain whole number"),  # full-width 30
        ("period=\u0663\u0660", "period= is not a plain whole number"),  # Arabic-Indic 30
        ("period=%EF%BC%93%EF%BC%90", "period= is not a plain whole number"),
        ("digits=+6", "digits= is not a plain whole number"),  # + is a space in a query
        ("digits=%2B6", "digits= is not a plain whole number"),
        ("digits=-6", "digits= is not a plain whole number"),
        ("digits=%206", "digits= is not a plain whole number"),
        ("digits=6%20", "digits= is not a plain whole number"),
        ("digits=06", "digits= is not a plain whole number"),
        ("period=0x1e", "period= is not a plain whole number"),
        ("period=3e1", "period= is not a plain whole number"),
        ("period=30.0", "period= is not a plain whole number"),
        ("period=" + "9" * 20, "period= is too large"),
        ("period=" + "9" * 5000, "period= is too large"),
        ("period=0", "unsupported period"),
        ("digits=11", "unsupported number of digits"),
        ("secret=GEZDGNBVGY3TQOJQ", "secret= parameter more than once"),
        ("digits=6&digits=8", "digits= parameter more than once"),
        ("DIGITS=6&digits=6", "digits= parameter more than once"),
        ("issuer=A&issuer=B", "issuer= parameter more than once"),
        ("algorithm=SHA1&algorithm=SHA256", "algorithm= parameter more than once"),
        ("period=30&period=60", "period= parameter more than once"),
    ],
)
def test_loose_numbers_and_repeats_are_refused(query: str, message: str) -> None:
    query = query.encode().decode("unicode_escape")
    with pytest.raises(AccountError, match=message):
        parse_otpauth(f"otpauth://totp/X:y?secret={S}&{query}")


@pytest.mark.parametrize(
    "uri, message",
    [
        (f"otpauth://hotp/X:y?secret={S}&counter=-1", "counter= is not a plain whole number"),
        (f"otpauth://hotp/X:y?secret={S}&counter=01", "counter= is not a plain whole number"),
        (f"otpauth://hotp/X:y?secret={S}&counter=9223372036854775808", "counter out of range"),
        (f"otpauth://hotp/X:y?secret={S}&counter=1&counter=2", "more than once"),
        (f"otpauth://steam/X:y?secret={S}&digits=6", "Steam codes have 5 characters"),
        (f"otpauth://steam/X:y?secret={S}&digits=5&digits=5", "more than once"),
        (f"otpauth://totp/X:y?secret={S}&encoder=steam&encoder=none", "more than once"),
    ],
)
def test_counters_and_steam_are_strict_too(uri: str, message: str) -> None:
    with pytest.raises(AccountError, match=message):
        parse_otpauth(uri)


def test_plain_numbers_still_read() -> None:
    hotp = parse_otpauth(f"otpauth://hotp/X:y?secret={S}&counter=9223372036854775807&digits=")
    assert (hotp.counter, hotp.digits) == (2**63 - 1, 6)  # an empty value means the default
    totp = parse_otpauth(f"otpauth://totp/X:y?secret={S}&digits=%38&period=60&image=a&image=b")
    assert (totp.digits, totp.period) == (8, 60)  # unknown parameters may repeat


def test_warnings_for_simple_apps() -> None:
    assert ignored_by_simple_apps(Account(issuer="a", name="b", secret=b"k")) == []
    odd = Account(issuer="a", name="b", secret=b"k", algorithm="SHA256", digits=8, period=60)
    assert ignored_by_simple_apps(odd) == ["algorithm SHA256", "8 digits", "period 60 s"]
    steam = Account(issuer="a", name="b", secret=b"k", type="steam")
    assert "Steam" in ignored_by_simple_apps(steam)[0]
