"""otpauth:// URIs: real-world pitfalls in parsing, and build/parse round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
        (f"otpauth://totp/x?secret={S}&digits=six", "not a whole number"),
    ],
)
def test_broken_uris(uri: str, message: str) -> None:
    with pytest.raises(AccountError, match=message):
        parse_otpauth(uri)


label_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=25).map(str.strip)


@given(
    issuer=label_text,
    name=label_text,
    secret=st.binary(min_size=1, max_size=64),
    kind=st.sampled_from(["totp", "hotp", "steam"]),
    algorithm=st.sampled_from(["SHA1", "SHA256", "SHA512"]),
    digits=st.integers(1, 10),
    period=st.integers(1, 600),
    counter=st.integers(0, 2**40),
)
@settings(max_examples=150)
def test_build_parse_round_trip(issuer: str, name: str, secret: bytes, kind: str, algorithm: str,
                                digits: int, period: int, counter: int) -> None:
    account = Account(issuer=issuer, name=name, secret=secret, type=kind, algorithm=algorithm,
                      digits=digits, period=period, counter=counter)
    if kind == "steam" and not issuer:
        account = account.with_changes(issuer="Steam")
    if not issuer and kind != "steam" and ":" in name:
        return  # a bare label with a colon reads as issuer:name by definition of the format
    assert parse_otpauth(build_otpauth(account)) == account


def test_warnings_for_simple_apps() -> None:
    assert ignored_by_simple_apps(Account(issuer="a", name="b", secret=b"k")) == []
    odd = Account(issuer="a", name="b", secret=b"k", algorithm="SHA256", digits=8, period=60)
    assert ignored_by_simple_apps(odd) == ["algorithm SHA256", "8 digits", "period 60 s"]
    steam = Account(issuer="a", name="b", secret=b"k", type="steam")
    assert "Steam" in ignored_by_simple_apps(steam)[0]
