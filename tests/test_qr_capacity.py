"""The QR capacity tables (toolkit.qr_capacity) agree with the QR writer the sheets use
(toolkit.render.qr, read through its public `qr_fits` and `QrCode.modules`): the read side
judges from the tables which accounts have their own printed code, and the judgement must be
the one the sheet made."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from toolkit import frames, uri
from toolkit.model import Account, Vault
from toolkit.qr_capacity import DATA_CODEWORDS_M, MAX_VERSION, data_bits, fits_one_code, qr_version
from toolkit.recovery.verify import has_account_code
from toolkit.render.home_safe import render_home_safe
from toolkit.render.layout import PAPERS
from toolkit.render.qr import QrCode, qr_fits


def capacity(version: int, char: str) -> int:
    """The most characters `char` repeated that the tables put in `version`: bisected, since
    the bits grow with the length (counting up one character at a time measured each text
    again, some 60 million character checks for the 40 versions)."""
    room = 8 * DATA_CODEWORDS_M[version - 1]
    fits, over = 0, 1
    while data_bits(char * over, version) <= room:
        fits, over = over, over * 2
    while over - fits > 1:  # char * fits is in, char * over is not
        middle = (fits + over) // 2
        fits, over = (middle, over) if data_bits(char * middle, version) <= room else (fits,
                                                                                      middle)
    return fits


def writer_version(text: str) -> int | None:
    """The version the sheets' QR writer gives `text` (None: it does not fit one code)."""
    return (QrCode(text).modules - 17) // 4 if qr_fits(text) else None


def agree_at(version: int, char: str) -> None:
    """The longest text of `version` and one character more get the same version from the
    tables and from the writer."""
    longest = char * capacity(version, char)
    assert qr_version(longest) == writer_version(longest) == version
    over = longest + char
    expected = version + 1 if version < MAX_VERSION else None
    assert qr_version(over) == writer_version(over) == expected


def test_the_table_is_level_m_as_the_sheets_codes_are() -> None:
    assert frames.QR_ERROR_CORRECTION == "M"
    assert len(DATA_CODEWORDS_M) == MAX_VERSION == 40
    # published capacities (ISO/IEC 18004 table 7, level M): alphanumeric, byte
    assert (capacity(1, "A"), capacity(1, "a")) == (20, 14)
    assert capacity(frames.MAX_QR_VERSION, "A") == 600  # a full frame's code (frames.py)
    assert (capacity(40, "A"), capacity(40, "a")) == (3391, 2331)


@pytest.mark.parametrize("char", ["A", "a"], ids=["alphanumeric", "byte"])
def test_tables_and_writer_agree_where_the_count_bits_change_and_at_the_largest(
        char: str) -> None:
    for version in (1, 9, 10, 40):
        agree_at(version, char)


@pytest.mark.slow
@pytest.mark.parametrize("char", ["A", "a"], ids=["alphanumeric", "byte"])
def test_tables_and_writer_agree_at_every_version(char: str) -> None:
    for version in range(1, MAX_VERSION + 1):
        agree_at(version, char)


def test_what_fits_the_tables_fits_the_writer() -> None:
    """otpauth URIs around the largest code: what the tables fit, the writer fits (a writer that
    splits the URI into segments, base32 secret alphanumeric, may fit a little more)."""
    secret = bytes(range(64)) * 8  # 512 bytes: 820 base32 characters
    for name_length in (1400, 1480, 1500, 1520, 1600, 2100):
        account = Account(name="n" * name_length, issuer="Example", secret=secret)
        text = uri.build_otpauth(account)
        assert has_account_code(account) == fits_one_code(text)
        if fits_one_code(text):
            assert qr_fits(text), name_length
    assert not fits_one_code("é")  # the sheets' QR texts are ASCII


def test_an_account_too_long_for_one_code_has_none_to_check() -> None:
    short = Account(name="alice@example.com", issuer="Example", secret=b"\x01" * 20)
    long = Account(name="x" * 2400, issuer="Example", secret=b"\x01" * 20)
    assert has_account_code(short)
    assert not has_account_code(long)
    assert not qr_fits(uri.build_otpauth(long))


def test_the_sheet_prints_a_code_for_exactly_the_accounts_verify_expects() -> None:
    """The home-safe sheet and `verify` judge alike, also where the writer could fit more (a
    URI past 2,331 characters whose base32 secret a segmenting writer packs tighter)."""
    secret = bytes(range(64)) * 8
    accounts = (Account(name="alice@example.com", issuer="Example", secret=b"\x01" * 20),
                Account(name="n" * 1480, issuer="Example", secret=secret))
    long_uri = uri.build_otpauth(accounts[1])
    assert len(long_uri) > 2331 and not fits_one_code(long_uri)
    rendered = render_home_safe(Vault(accounts), date=datetime(2026, 1, 1, tzinfo=UTC),
                                generation=1, paper=PAPERS["a4"])
    printed = {a.label for a in accounts if uri.build_otpauth(a) in rendered.qr_texts}
    assert printed == {a.label for a in accounts if has_account_code(a)} == {accounts[0].label}
