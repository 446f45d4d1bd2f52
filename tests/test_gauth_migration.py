"""The Google Authenticator migration codec: payload round trips, URIs and batching."""

from __future__ import annotations

import base64
import contextlib
from urllib.parse import unquote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.errors import AccountError, FormatError
from toolkit.gauth_migration import (
    MAX_BATCH_ACCOUNTS,
    batches,
    build_migration_uri,
    decode_payload,
    encode_payload,
    lossy_changes,
    parse_migration_uri,
    read_payload,
    unrepresentable,
)
from toolkit.model import Account

_text = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=30)


@st.composite
def google_accounts(draw: st.DrawFn) -> Account:
    """Accounts Google's format holds: TOTP (30 s) or HOTP, SHA1/256/512, 6 or 8 digits.

    Names without ":" (an `Issuer:name` name is read back as the name part, see
    test_issuer_prefix_in_name_is_split)."""
    hotp = draw(st.booleans())
    return Account(
        issuer=draw(_text),
        name=draw(_text.map(lambda t: t.replace(":", ""))),
        secret=draw(st.binary(min_size=1, max_size=64)),
        type="hotp" if hotp else "totp",
        algorithm=draw(st.sampled_from(["SHA1", "SHA256", "SHA512"])),
        digits=draw(st.sampled_from([6, 8])),
        counter=draw(st.integers(0, 2**63 - 1)) if hotp else 0,
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(google_accounts(), max_size=12),
       st.integers(0, 2**31 - 1), st.integers(1, 50))
def test_payload_round_trip(accounts: list[Account], batch_id: int, size: int) -> None:
    payload = encode_payload(accounts, batch_index=size - 1, batch_size=size, batch_id=batch_id)
    notes: list[str] = []
    assert decode_payload(payload, notes) == accounts and notes == []
    batch = read_payload(payload)
    assert (batch.batch_index, batch.batch_size, batch.batch_id, batch.version) == (
        size - 1, size, batch_id, 1)
    assert parse_migration_uri(build_migration_uri(payload)) == payload


@settings(max_examples=60, deadline=None)
@given(st.lists(google_accounts(), max_size=40), st.integers(60, 400))
def test_batches_hold_every_account_within_limits(accounts: list[Account], max_bytes: int) -> None:
    uris = batches(accounts, max_bytes=max_bytes)
    decoded = [read_payload(parse_migration_uri(u)) for u in uris]
    assert [a for b in decoded for a in b.accounts] == accounts
    assert {b.batch_size for b in decoded} <= {len(uris)}
    assert [b.batch_index for b in decoded] == list(range(len(uris)))
    assert len({b.batch_id for b in decoded}) <= 1
    for uri, batch in zip(uris, decoded, strict=True):
        assert len(batch.accounts) <= MAX_BATCH_ACCOUNTS
        single = encode_payload(batch.accounts[:1])
        if len(batch.accounts) > 1:  # only an account too large alone may exceed the limit
            assert len(parse_migration_uri(uri)) - len(single) < max_bytes
    assert batches(accounts, max_bytes=max_bytes) == uris  # deterministic


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_never_escape_as_other_errors(data: bytes) -> None:
    with contextlib.suppress(FormatError):
        read_payload(data)


def _plus_payload() -> bytes:
    account = Account(issuer="P", name="p", secret=b"\x01\x02" + b"\xfb\xef\xbe" * 6)
    payload = encode_payload([account])
    assert "+" in base64.b64encode(payload).decode()
    return payload


def test_plus_in_base64_survives_every_way_it_is_written() -> None:
    payload = _plus_payload()
    uri = build_migration_uri(payload)
    assert "+" not in uri and "%2B" in uri
    raw = "otpauth-migration://offline?data=" + base64.b64encode(payload).decode()
    form_decoded = "otpauth-migration://offline?data=" + unquote_plus(raw.split("data=")[1])
    urlsafe = "otpauth-migration://offline?data=" + base64.urlsafe_b64encode(payload).decode()
    upper_scheme = uri.replace("otpauth-migration://offline", "OTPAUTH-MIGRATION://offline")
    for text in (uri, raw, form_decoded, urlsafe, urlsafe.rstrip("="), "  " + upper_scheme):
        assert parse_migration_uri(text) == payload


def test_uri_errors() -> None:
    with pytest.raises(FormatError):
        parse_migration_uri("otpauth://totp/x?secret=AAAA")
    with pytest.raises(FormatError, match="no data="):
        parse_migration_uri("otpauth-migration://offline?foo=1")
    with pytest.raises(FormatError, match="base64"):
        parse_migration_uri("otpauth-migration://offline?data=A")


def test_truncated_payload_is_a_format_error_or_fewer_fields() -> None:
    payload = encode_payload([Account(issuer="I", name="n", secret=b"0123456789")])
    errors = 0
    for cut in range(1, len(payload)):
        try:
            read_payload(payload[:cut])
        except FormatError:
            errors += 1
    assert errors >= len(payload) - 8  # only cuts in the trailing batch fields still parse


def test_issuer_prefix_in_name_is_split() -> None:
    for issuer, name, want in (("Ex", "Ex:bob", ("Ex", "bob")), ("", "Ex:bob", ("Ex", "bob")),
                               ("Other", "Ex:bob", ("Other", "Ex:bob"))):
        raw = Account(issuer=issuer, name=name, secret=b"k" * 10)
        (back,) = decode_payload(encode_payload([raw]))
        assert (back.issuer, back.name) == want


def test_what_google_cannot_hold() -> None:
    steam = Account(issuer="Steam", name="me", secret=b"s" * 10, type="steam")
    seven = Account(issuer="X", name="y", secret=b"s" * 10, digits=7)
    slow = Account(issuer="X", name="y", secret=b"s" * 10, period=60)
    assert unrepresentable(steam) and unrepresentable(seven)
    assert unrepresentable(slow) is None and lossy_changes(slow)
    for account in (steam, seven):
        with pytest.raises(AccountError):
            encode_payload([account])
        with pytest.raises(AccountError):
            batches([account])
    (back,) = decode_payload(encode_payload([slow]))
    assert back.period == 30 and back.with_changes(period=60) == slow


def test_negative_batch_id_and_counter_are_read_as_signed() -> None:
    assert read_payload(encode_payload([], batch_id=-5)).batch_id == -5
    # an OtpParameters with counter -1 (a ten-byte varint): skipped with a note, no crash
    params = (b"\x0a\x0a" + b"x" * 10 + b"\x12\x01h" + b"\x1a\x01H" + b"\x20\x01\x28\x01"
              b"\x30\x01" + b"\x38" + b"\xff" * 9 + b"\x01")
    notes: list[str] = []
    assert decode_payload(b"\x0a" + bytes([len(params)]) + params, notes) == []
    assert len(notes) == 1 and "counter" in notes[0]
