"""Tests that kill mutants of toolkit/sharing.py the other tests let live.

See tests/fuzz/mutation.py and docs/mutation-testing.md.
"""

from __future__ import annotations

import random

import pytest

from toolkit import envelope, sharing
from toolkit.errors import NotEnoughError, ShareError, UsageError


def fixed_rng(seed: int) -> sharing.Rng:
    r = random.Random(seed)
    return lambda n: bytes(r.getrandbits(8) for _ in range(n))


def slip39_shares(seed: int, secret: bytes = bytes(range(32))) -> list[sharing.Slip39Share]:
    return sharing.split_slip39(secret, 2, 3, fixed_rng(seed))


def gf_mul(a: int, b: int) -> int:
    """Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1, bit by bit."""
    out = 0
    while b:
        if b & 1:
            out ^= a
        a = (a << 1) ^ (0x11B if a & 0x80 else 0)
        b >>= 1
    return out


def test_the_gf256_tables_are_powers_of_3_and_their_logarithms() -> None:
    # computed once at import, so a changed _tables() is only seen by calling it again
    exp, log = sharing._tables()
    assert (len(exp), len(log)) == (510, 256)
    value = 1
    for i in range(255):
        assert exp[i] == exp[i + 255] == value
        assert log[value] == i
        value = gf_mul(value, 3)
    assert value == 1 and log[0] == 0
    assert (exp, log) == (sharing._EXP, sharing._LOG)


def test_a_share_record_refuses_impossible_k_and_n() -> None:
    share = sharing.Share(b"12345", 1, 3, 2, 1, bytes(32))
    with pytest.raises(ValueError, match="^bad k or n$"):
        share.to_bytes()


def test_a_slip39_mnemonic_is_kept_lowercase_and_single_spaced() -> None:
    share = slip39_shares(1)[0]
    messy = "  " + "   ".join(share.mnemonic.upper().split()) + " \n"
    again = sharing.Slip39Share(messy)
    assert again.mnemonic == share.mnemonic
    assert again == share


def test_slip39_errors_say_what_is_wrong_in_our_words() -> None:
    shares = slip39_shares(1)
    words = shares[0].mnemonic.split()
    words[-1] = "academic" if words[-1] != "academic" else "acid"
    bad = " ".join(words)
    expected = ('not a valid SLIP-39 share: the checksum is wrong for "'
                + " ".join(words[:4]) + ' ..."')
    with pytest.raises(ShareError) as info:
        sharing.Slip39Share(bad)
    assert info.value.message == expected
    with pytest.raises(ShareError) as info:
        sharing.slip39_recover([shares[1].mnemonic, bad])
    assert info.value.message == "share 2: " + expected
    with pytest.raises(ShareError) as info:
        sharing.slip39_recover([shares[0].mnemonic])
    assert info.value.message.startswith("the SLIP-39 shares do not combine: Wrong number of "
                                         "mnemonics. Expected 2 mnemonics")
    assert info.value.message.endswith("but 1 were provided")
    other = slip39_shares(2, bytes(32))
    with pytest.raises(ShareError) as info:
        sharing.slip39_recover([shares[0].mnemonic, other[1].mnemonic])
    assert info.value.message == ("the SLIP-39 shares do not combine: Invalid set of mnemonics. "
                                  "The identifier parameters don't match")
    with pytest.raises(NotEnoughError) as info:
        sharing.slip39_recover([])
    assert info.value.message == "no SLIP-39 shares were given"
    with pytest.raises(ShareError) as info:
        sharing.Slip39Share.from_qr_text("P2FA-SHARE:ABC")
    assert info.value.message == "not a SLIP-39 share QR text (no P2FA-SLIP39: prefix)"
    assert sharing.slip39_recover([s.mnemonic for s in shares[1:]]) == bytes(range(32))


@pytest.mark.parametrize("name", ["a\ud800b", "a\u2028b", "a\u2029b", "a\x00b", "a\nb"])
def test_holder_names_with_line_breaks_or_control_characters_are_refused(name: str) -> None:
    with pytest.raises(UsageError, match="has a line break or control character"):
        sharing.check_holder(name)


def test_an_empty_holder_name_is_refused() -> None:
    with pytest.raises(UsageError) as info:
        sharing.check_holder("  \t ")
    assert info.value.message == "a holder name cannot be empty"
    assert sharing.check_holder("  Ann Lee ") == "Ann Lee"


@pytest.mark.parametrize(("name", "part"), [
    ("Xavier X", "Xavier-X"),
    ("Zoë Ñúñez", "Zoe-Nunez"),
    ("-._Ann_.-", "Ann"),
    ("***", "holder"),
    ("a" * 50, "a" * 40),
])
def test_safe_holder(name: str, part: str) -> None:
    assert sharing.safe_holder(name) == part


def test_set_text_of_a_share() -> None:
    share = sharing.Share(b"\x00\x01\x02\x03\x04", 1, 2, 3, 1, bytes(32))
    assert share.set_text == envelope.set_id_text(b"\x00\x01\x02\x03\x04") == "AAAQEAYE"
