"""Tests that kill mutants of toolkit/sharing.py the other tests let live.

See tests/fuzz/mutation.py and docs/mutation-testing.md.
"""

from __future__ import annotations

import random

import pytest

from toolkit import envelope, sharing
from toolkit.errors import NotEnoughError, ShareError, UsageError
from toolkit.model import Account, Vault


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
    with pytest.raises(ValueError, match=r"^bad k or n$"):
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
    expected = "not a valid SLIP-39 share: the checksum is wrong"  # its words are not quoted
    with pytest.raises(ShareError) as info:
        sharing.Slip39Share(bad)
    assert info.value.message == expected
    with pytest.raises(ShareError) as info:
        sharing.slip39_recover([shares[1].mnemonic, bad])
    assert info.value.message == expected and str(info.value.source) == "share 2"
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
    with pytest.raises(UsageError, match="has characters that do not show as themselves"):
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


TEST_KDF = envelope.KDF_PROFILES["test"]


def vault() -> Vault:
    return Vault((Account(issuer="Example", name="alice", secret=b"0123456789"),))


def made(scheme: str = "pyshamir", k: int = 2, n: int = 3, seed: int = 3,
         passphrase: str | None = None) -> sharing.SplitResult:
    return sharing.make_split(vault(), k, n, scheme=scheme, rng=fixed_rng(seed), kdf=TEST_KDF,
                              passphrase=passphrase)


def test_share_records_of_the_wrong_length_or_impossible_k_of_n_are_refused() -> None:
    record = made().shares[0].to_bytes()  # type: ignore[union-attr]
    with pytest.raises(ShareError) as info:
        sharing.Share.from_bytes(record + b"x")
    assert info.value.message == "the share record has 43 bytes, not 42"
    for kn, message in ((0x00, "the share says 1 of 1, which is impossible"),
                        (0x32, "the share says 4 of 3, which is impossible")):
        with pytest.raises(ShareError) as info:
            sharing.Share.from_bytes(record[:8] + bytes([kn]) + record[9:])
        assert info.value.message == message
    assert sharing.Share.from_bytes(record[:8] + b"\xff" + record[9:]).share_count == 16


def test_a_slip39_share_tells_its_identifier_and_threshold() -> None:
    result = made("slip39", 3, 5)
    share = result.shares[0]
    assert isinstance(share, sharing.Slip39Share)
    assert share.threshold == 3
    assert 0 <= share.identifier < 2**15
    assert {s.identifier for s in result.shares} == {share.identifier}  # type: ignore[union-attr]
    assert result.scheme == "slip39" and made().scheme == "pyshamir"


def test_words_with_a_bad_checksum_raise_the_error_of_their_length() -> None:
    ours = made().shares[0].words()
    ours[5] = "academic" if ours[5] != "academic" else "acid"
    with pytest.raises(ShareError, match="checksum of the words is wrong"):
        sharing.share_from_text(" ".join(ours))
    slip = made("slip39").shares[0].words()
    slip[5] = "academic" if slip[5] != "academic" else "acid"
    with pytest.raises(ShareError, match="not a valid SLIP-39 share: the checksum is wrong"):
        sharing.share_from_text(" ".join(slip))
    with pytest.raises(ShareError) as info:
        sharing.share_from_text(" ".join(slip[:19]))
    assert info.value.message == ("19 words were given; a paper2fa share has 37 (a SLIP-39 share "
                                  "20 or 33)")


def test_a_slip39_share_of_another_threshold_is_named() -> None:
    three = made("slip39", 3, 5, seed=4)
    two = made("slip39", 2, 3, seed=5)
    header = envelope.SealedVault.from_bytes(three.sealed_bytes).header
    problem = sharing.share_problem(two.shares[0], header)
    assert problem == sharing.ShareProblem(sharing.ShareProblemKind.SLIP39_LAYOUT,
                                           share_threshold=2, groups=1, vault_threshold=3)
    assert problem.text() == ("it is a SLIP-39 share of another layout (2 needed, 1 group), "
                              "the sealed vault needs 3 shares")


def test_a_passphrase_only_vault_is_not_combined_from_shares() -> None:
    sealed = envelope.seal_with_passphrase(vault(), "pass", kdf=TEST_KDF)
    with pytest.raises(ShareError) as info:
        sharing.combine_tolerant(made().shares, sealed)
    assert info.value.message == "this sealed vault is opened with a passphrase, not with shares"
    assert info.value.hint == "use `paper2fa open`"


def test_the_self_test_notices_a_wrong_key_or_a_wrong_vault() -> None:
    from toolkit.errors import VerifyError
    result = made()
    sealed = envelope.SealedVault.from_bytes(result.sealed_bytes)
    key = sharing.combine(result.shares[:2], sealed)
    sharing.self_test(result.sealed_bytes, result.shares, key, vault(), None)
    with pytest.raises(VerifyError) as info:
        sharing.self_test(result.sealed_bytes, result.shares, bytes(32), vault(), None)
    assert info.value.message == "self-test: the first quorum does not give the key back"
    other = Vault((Account(issuer="Other", name="bob", secret=b"0123456789"),))
    with pytest.raises(VerifyError) as info:
        sharing.self_test(result.sealed_bytes, result.shares, key, other, None)
    assert info.value.message == "self-test: the vault does not open to the same accounts"
    with pytest.raises(VerifyError) as info:
        sharing.self_test(result.sealed_bytes, result.shares[::-1], key, vault(), None)
    assert info.value.message == "self-test: share 1 does not match its commitment"


def test_make_split_refuses_an_unknown_scheme_or_generation() -> None:
    with pytest.raises(UsageError) as info:
        sharing.make_split(vault(), 2, 3, scheme="shamir", kdf=TEST_KDF)
    assert info.value.message == "unknown scheme 'shamir' (pyshamir or slip39)"
    for generation in (0, 65536):
        with pytest.raises(UsageError) as info:
            sharing.make_split(vault(), 2, 3, generation=generation, kdf=TEST_KDF)
        assert info.value.message == (f"the generation must be a number from 1 to 65535, "
                                      f"not {generation}")
    assert made().header.generation == 1


def test_a_share_file_with_only_its_qr_line_is_read() -> None:
    share = made().shares[1]
    assert sharing.share_from_file_text("# a note\nqr:\n" + share.qr_text() + "\n") == share
    with pytest.raises(ShareError) as info:
        sharing.share_from_file_text("# only comments\n")
    assert info.value.message == "no share words and no share QR text were found in it"


def test_the_share_file_says_what_it_is_then_numbered_words_then_its_qr_text() -> None:
    from datetime import UTC, datetime
    result = sharing.make_split(vault(), 2, 3, ["Ann", "Ben", "Cat"], rng=fixed_rng(3),
                                kdf=TEST_KDF, passphrase="pw", generation=7,
                                now=datetime(2026, 1, 15, tzinfo=UTC))
    h = result.header
    assert h.generation == 7
    assert {s.generation for s in result.shares} == {7}  # type: ignore[union-attr]
    lines = sharing.share_file_text(result, 2).splitlines()
    ws = result.shares[1].words()
    assert lines[:6] == [
        "# paper2fa share 2 of 3 for Ben",
        "# any 2 of the 3 shares, with the sealed vault (vault.p2fa), restore the vault",
        f"# set {h.set_id_text}, generation 7, created 2026-01-15, vault fingerprint "
        f"{h.fingerprint_text}",
        "# scheme pyshamir; a passphrase is needed as well",
        "",
        "words (37):",
    ]
    assert lines[6] == "   1. " + "".join(f"{w:<10}{i:>2}. " for i, w in zip(
        range(2, 5), ws[:3], strict=True)) + ws[3]
    assert lines[15] == f"  37. {ws[36]}"
    assert lines[16:] == ["", "qr:", result.shares[1].qr_text()]
    plain = sharing.make_split(vault(), 2, 3, rng=fixed_rng(4), kdf=TEST_KDF)
    text = sharing.share_file_text(plain, 3).splitlines()
    assert text[0] == "# paper2fa share 3 of 3"
    assert text[3] == "# scheme pyshamir"
    assert sharing.make_split(vault(), 2, 3, generation=65535, kdf=TEST_KDF
                              ).header.generation == 65535


def test_share_problems_are_named() -> None:
    import shamir_mnemonic
    from shamir_mnemonic.shamir import EncryptedMasterSecret, split_ems
    result = made("slip39", 2, 3, seed=6)
    sealed = envelope.SealedVault.from_bytes(result.sealed_bytes)
    ems = EncryptedMasterSecret.from_master_secret(bytes(32), b"", 7, False, 0)
    two_groups = split_ems(1, [(2, 3), (2, 3)], ems)[0][0]
    share = sharing.Slip39Share(two_groups.mnemonic())
    assert share.parsed.group_count == 2 and isinstance(share.parsed, shamir_mnemonic.Share)
    problem = sharing.share_problem(share, sealed.header)
    assert problem is not None and problem.text() == (
        "it is a SLIP-39 share of another layout (2 needed, 2 groups), the sealed vault needs 2 "
        "shares")
    ours = made(seed=7)
    header = envelope.SealedVault.from_bytes(ours.sealed_bytes).header
    good = ours.shares[0]
    assert isinstance(good, sharing.Share)
    zero = sharing.Share(good.set_id, good.generation, 2, 3, 0, good.y)
    problem = sharing.share_problem(zero, header)
    assert problem == sharing.ShareProblem(sharing.ShareProblemKind.X_ZERO)
    assert problem.text() == "its x is 0, which no real share has (it would be the key itself)"
    altered = sharing.Share(good.set_id, good.generation, 2, 3, good.x, bytes(32))
    problem = sharing.share_problem(altered, header)
    assert problem == sharing.ShareProblem(sharing.ShareProblemKind.NO_MATCH)
    assert problem.text() == (
        "it does not match any share of this backup (another backup, or it was altered or read "
        "wrongly)")
    assert sharing.share_problem(good, header) is None


def test_combine_needs_one_label_per_share() -> None:
    result = made(seed=8)
    sealed = envelope.SealedVault.from_bytes(result.sealed_bytes)
    with pytest.raises(ValueError):
        sharing.combine_tolerant(result.shares, sealed, labels=["only one"])
    assert sharing.combine_tolerant(result.shares[:2], sealed, labels=["a", "b"]).sheets == (1, 2)


def test_short_and_odd_length_share_records_are_named() -> None:
    import base64
    record = made(seed=9).shares[0].to_bytes()  # type: ignore[union-attr]
    with pytest.raises(ShareError) as info:
        sharing.Share.from_bytes(record[:5])
    assert info.value.message == "the share record is too short"
    with pytest.raises(ShareError) as info:
        sharing.Share.from_bytes(record[:6])
    assert info.value.message == "the share record has 6 bytes, not 42"
    for size in (40, 43):  # base32 bodies of 64 and 69 characters
        body = base64.b32encode(record[:size] + bytes(max(0, size - 42))).decode().rstrip("=")
        with pytest.raises(ShareError) as info:
            sharing.Share.from_qr_text("P2FA-SHARE:" + body)
        assert info.value.message == f"the share record has {size} bytes, not 42"
    for bad in ("P2FA-SHARE:AB!D", "P2FA-SHARE:A"):
        with pytest.raises(ShareError) as info:
            sharing.Share.from_qr_text(bad)
        assert info.value.message == "the share QR text is damaged (not base32)"
    with pytest.raises(ShareError) as info:
        sharing.Share.from_qr_text("P2FA-SLIP39:ABC")
    assert info.value.message == ("not a paper2fa share QR text (it does not start with "
                                  "P2FA-SHARE:)")


def test_a_scheme_hint_decides_what_a_bad_share_is_read_as() -> None:
    from shamir_mnemonic.shamir import EncryptedMasterSecret, split_ems
    ours = made(seed=10).shares[0].words()
    ours[7] = "academic" if ours[7] != "academic" else "acid"
    with pytest.raises(ShareError, match=r"^not a valid SLIP-39 share"):
        sharing.share_from_text(" ".join(ours), envelope.SCHEME_SLIP39)
    with pytest.raises(ShareError, match=r"^the checksum of the words is wrong"):
        sharing.share_from_text(" ".join(ours), envelope.SCHEME_PYSHAMIR)
    with pytest.raises(ShareError, match=r"^not a valid SLIP-39 share"):
        sharing.share_from_file_text("words:\n" + " ".join(ours), envelope.SCHEME_SLIP39)
    slip = made("slip39", seed=11).shares[0].words()
    slip[7] = "academic" if slip[7] != "academic" else "acid"
    with pytest.raises(ShareError, match=r"^not a valid SLIP-39 share"):
        sharing.share_from_text(" ".join(slip))
    ems = EncryptedMasterSecret.from_master_secret(bytes(32), b"", 9, True, 0)
    extendable = split_ems(1, [(2, 3)], ems)[0][0].mnemonic()
    share = sharing.share_from_text(extendable, envelope.SCHEME_PYSHAMIR)
    assert isinstance(share, sharing.Slip39Share)  # returned as such, so the mix-up is named


def test_interpolation_at_zero_gives_the_secret_back() -> None:
    import pyshamir
    secret = bytes(range(1, 33))
    parts = pyshamir.split(secret, 5, 3)
    points = [(p[-1], bytes(p[:-1])) for p in parts]
    for subset in ([0, 1, 2], [4, 2, 0], [1, 3, 4]):
        assert sharing.interpolate_at_zero([points[i] for i in subset]) == secret
    assert sharing.interpolate_at_zero(points[:2]) != secret


def test_left_out_shares_are_listed_one_by_one() -> None:
    result = made(seed=12)
    sealed = envelope.SealedVault.from_bytes(result.sealed_bytes)
    good = result.shares[0]
    assert isinstance(good, sharing.Share)
    bad1 = sharing.Share(good.set_id, good.generation, 2, 3, 7, bytes(32))
    bad2 = sharing.Share(good.set_id, good.generation, 2, 3, 8, bytes(32))
    problem = ("it does not match any share of this backup (another backup, or it was altered or "
               "read wrongly)")
    with pytest.raises(ShareError) as info:
        sharing.combine([good, result.shares[1], bad1, bad2], sealed, ["A", "B", "C", "D"])
    assert info.value.message == f"C: {problem}; D: {problem}"
    with pytest.raises(ShareError) as info:
        sharing.combine_tolerant([good, bad1, bad2], sealed, ["A", "B", "C"])
    assert info.value.message == f"1 of 2 needed shares: need 1 more; left out: B: {problem}; " \
        f"C: {problem}"


def test_share_files_with_comments_sections_and_disagreements() -> None:
    result = made(seed=13)
    a, b = result.shares[0], result.shares[1]
    ws = a.words()
    commented = ("words:\n" + " ".join(ws[:20]) + "\n# a note in the middle\n"
                 + " ".join(ws[20:]) + "\n")
    assert sharing.share_from_file_text(commented) == a
    bare = " ".join(ws[:10]) + "  # first # second\n" + " ".join(ws[10:]) + "\n"
    assert sharing.share_from_file_text(bare) == a
    qr_first = "qr:\n" + a.qr_text() + "\nwords:\n" + " ".join(b.words()) + "\n"
    with pytest.raises(ShareError) as info:
        sharing.share_from_file_text(qr_first)
    assert info.value.message == "its words and its QR text are different shares"


def test_a_20_word_slip39_share_with_a_bad_checksum_is_named_as_slip39() -> None:
    from shamir_mnemonic.shamir import EncryptedMasterSecret, split_ems
    ems = EncryptedMasterSecret.from_master_secret(bytes(16), b"", 5, False, 0)
    words20 = split_ems(1, [(2, 3)], ems)[0][0].mnemonic().split()
    assert len(words20) == 20
    words20[4] = "academic" if words20[4] != "academic" else "acid"
    with pytest.raises(ShareError) as info:
        sharing.share_from_text(" ".join(words20))
    assert info.value.message.startswith("not a valid SLIP-39 share: the checksum is wrong")
