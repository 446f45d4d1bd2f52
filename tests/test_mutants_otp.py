"""Tests that kill mutants of toolkit/otp.py the other tests let live (tests/fuzz/mutation.py).

Exact values from RFC 4226 (HOTP, appendix D) and RFC 6238 (TOTP, appendix B).
"""

from __future__ import annotations

from toolkit import otp
from toolkit.model import Account

RFC_SECRET = b"12345678901234567890"
RFC_4226 = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489"]


def hotp_account(counter: int, digits: int = 6, algorithm: str = "SHA1") -> Account:
    return Account(issuer="RFC", name="4226", secret=RFC_SECRET, type="hotp", counter=counter,
                   digits=digits, algorithm=algorithm)


def test_hotp_defaults_are_six_digits_of_sha1() -> None:
    assert [otp.hotp(RFC_SECRET, c) for c in range(10)] == RFC_4226


def test_an_hotp_account_shows_the_code_of_its_counter_whatever_the_time() -> None:
    for counter, code in enumerate(RFC_4226):
        account = hotp_account(counter)
        assert otp.code_at(account, 0) == code
        assert otp.code_at(account, 1_700_000_000) == code
    assert otp.code_at(hotp_account(1, digits=8), 0) == "94287082"
    sha256 = hotp_account(1, digits=8, algorithm="SHA256")
    assert otp.code_at(sha256, 59) == otp.hotp(RFC_SECRET, 1, 8, "SHA256") != "94287082"


def test_next_hotp_codes_are_three_from_the_stored_counter() -> None:
    assert otp.next_hotp_codes(hotp_account(4)) == [(4, RFC_4226[4]), (5, RFC_4226[5]),
                                                    (6, RFC_4226[6])]
    sha512 = hotp_account(0, algorithm="SHA512")
    assert otp.next_hotp_codes(sha512, 1) == [(0, otp.hotp(RFC_SECRET, 0, 6, "SHA512"))]
    assert otp.next_hotp_codes(sha512, 1)[0][1] != RFC_4226[0]


def test_seconds_left() -> None:
    assert otp.seconds_left(hotp_account(3), 12345) == 0
    totp = Account(issuer="A", name="b", secret=RFC_SECRET)
    assert otp.seconds_left(totp, 0) == 30
    assert otp.seconds_left(totp, 29) == 1
    assert otp.seconds_left(totp, 30.5) == 29  # 29.5 s left, shown as 29


def test_time_step_rounds_down_also_before_1970() -> None:
    assert otp.time_step(59, 30) == 1
    assert otp.time_step(-1, 30) == -1
    assert otp.time_step(89.9, 30) == 2


def test_check_codes_are_at_counter_zero_for_hotp_and_at_the_time_for_totp() -> None:
    hotp8 = Account(issuer="A", name="b", secret=RFC_SECRET, type="hotp", counter=5, digits=8,
                    algorithm="SHA256")
    assert otp.check_code(hotp8, 1234) == otp.CheckCode(0, otp.hotp(RFC_SECRET, 0, 8, "SHA256"))
    totp = Account(issuer="A", name="b", secret=RFC_SECRET, digits=8)
    assert otp.check_code(totp, 59) == otp.CheckCode(59, "94287082")
    assert otp.check_code(totp, 1111111109) == otp.CheckCode(1111111109, "07081804")


def test_typed_codes_compare_after_normalising_case_spaces_and_dashes() -> None:
    assert otp.normalise_code(" 12-34 5\u00a06 ") == "123456"
    assert otp.normalise_code("bcdfg") == "BCDFG"
    assert otp.normalise_code("\uff11\uff12") == "12"  # full-width digits, NFKC
    assert otp.codes_equal("B2C4D", "b2c-4d")
    assert not otp.codes_equal("123456", "123457")


def test_a_typed_code_that_is_not_text_is_just_not_equal() -> None:
    # undecodable bytes reach a str as lone surrogates (found by tests/fuzz, target "typed")
    assert not otp.codes_equal("123456", "12345\udcff")
    assert not otp.codes_equal("123456", "\ud800")
    assert not otp.codes_equal("B2C4D", "B2C4D\u00e9")
    assert otp.codes_equal("123456", "\uff11\uff12\uff13\uff14\uff15\uff16")
