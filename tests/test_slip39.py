"""SLIP-39 interop: the 45 public vectors through our decoding path, and standard mnemonics out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shamir_mnemonic

from toolkit import envelope, sharing
from toolkit.envelope import SealedVault
from toolkit.errors import NotEnoughError, ShareError
from toolkit.model import Account, Vault

TEST_KDF = envelope.KDF_PROFILES["test"]


def _cases(vectors: Path) -> list[list[object]]:
    data: list[list[object]] = json.loads((vectors / "slip39-vectors.json").read_text())
    return data


def test_all_45_slip39_vectors(vectors: Path) -> None:
    cases = _cases(vectors)
    assert len(cases) == 45
    valid = invalid = 0
    for description, mnemonics, secret_hex, _xprv in cases:
        assert isinstance(mnemonics, list) and isinstance(secret_hex, str)
        if secret_hex:
            assert sharing.slip39_recover(mnemonics, b"TREZOR").hex() == secret_hex, description
            valid += 1
        else:
            with pytest.raises(ShareError) as err:
                sharing.slip39_recover(mnemonics, b"TREZOR")
            message = err.value.message
            assert message and "\n" not in message and "Traceback" not in message, description
            invalid += 1
    assert valid > 0 and invalid > 0


def vault() -> Vault:
    return Vault((Account(issuer="Example", name="alice", secret=b"0123456789"),))


@pytest.mark.parametrize("passphrase", [None, "extra"])
def test_slip39_split_is_standard_and_restores(passphrase: str | None) -> None:
    result = sharing.make_split(vault(), 3, 5, (), "slip39", passphrase, kdf=TEST_KDF)
    sealed = SealedVault.from_bytes(result.sealed_bytes)
    assert sealed.header.scheme == envelope.SCHEME_SLIP39
    mnemonics = [s.words() for s in result.shares]
    assert all(len(m) == 33 for m in mnemonics)
    # any SLIP-39 implementation (here the reference one, directly) gives the split secret back
    secret = shamir_mnemonic.combine_mnemonics([" ".join(m) for m in mnemonics[1:4]], b"")
    assert len(secret) == 32
    assert envelope.open_sealed(sealed, secret, passphrase) == vault()
    key = sharing.combine([result.shares[0], result.shares[2], result.shares[4]], sealed)
    assert key == secret
    parsed = shamir_mnemonic.Share.from_mnemonic(" ".join(mnemonics[0]))
    assert (parsed.group_threshold, parsed.group_count, parsed.member_threshold,
            parsed.extendable) == (1, 1, 3, False)


def test_slip39_qr_text_is_alphanumeric_and_round_trips() -> None:
    result = sharing.make_split(vault(), 2, 2, (), "slip39", kdf=TEST_KDF)
    share = result.shares[0]
    text = share.qr_text()
    assert text.startswith("P2FA-SLIP39:") and text == text.upper()
    assert sharing.share_from_text(text) == share
    assert sharing.share_from_text(" ".join(share.words())) == share


def test_slip39_errors_are_named() -> None:
    result = sharing.make_split(vault(), 2, 3, (), "slip39", kdf=TEST_KDF)
    sealed = SealedVault.from_bytes(result.sealed_bytes)
    with pytest.raises(NotEnoughError, match="1 of 2 needed shares: need 1 more"):
        sharing.combine(result.shares[:1], sealed)
    words = result.shares[0].words()
    words[5] = "acid" if words[5] != "acid" else "acne"
    with pytest.raises(ShareError, match="checksum"):
        sharing.share_from_text(" ".join(words), envelope.SCHEME_SLIP39)
    other = sharing.make_split(vault(), 2, 3, (), "slip39", kdf=TEST_KDF)
    with pytest.raises(ShareError, match="does not match any share of this backup"):
        sharing.combine([other.shares[0], result.shares[1]], sealed)
    paper = sharing.make_split(vault(), 2, 3, kdf=TEST_KDF)
    with pytest.raises(ShareError, match="pyshamir share, but the sealed vault was split as "
                                         "slip39"):
        sharing.combine([paper.shares[0], result.shares[1]], sealed)


def _changed(share: sharing.AnyShare, **changes: object) -> sharing.Slip39Share:
    """The share with fields changed and its checksum recomputed."""
    from dataclasses import replace

    assert isinstance(share, sharing.Slip39Share)
    return sharing.Slip39Share(replace(share.parsed, **changes).mnemonic())


def test_member_index_0_is_a_real_share_and_set_fields_are_checked() -> None:
    """FORMAT.md section 3: a SLIP-39 share's x is its member index, 0 for sheet 1 (the x != 0
    rule is for paper2fa shares only); shares that match their commitments but disagree on a
    field format v1 does not commit are left out by name, the largest agreeing group kept."""
    result = sharing.make_split(vault(), 2, 3, (), "slip39", kdf=TEST_KDF)
    sealed = SealedVault.from_bytes(result.sealed_bytes)
    s1, s2, s3 = result.shares
    assert s1.x == 0 and sharing.share_problem(s1, sealed.header) is None
    assert sharing.combine_tolerant([s1, s2], sealed).sheets == (1, 2)
    exp = _changed(s1, iteration_exponent=2)
    combined = sharing.combine_tolerant([exp, s2, s3], sealed, ["a", "b", "c"])
    assert combined.sheets == (2, 3)
    assert combined.left_out == ("a: its SLIP-39 iteration exponent (2) differs from the other "
                                 "shares' (0): it was altered, or is from another backup",)
    assert combined.problems == (("a", sharing.ShareProblem(
        sharing.ShareProblemKind.SLIP39_FIELDS, fields=("iteration_exponent",), mine=(2,),
        theirs=(0,))),)
    both = _changed(s3, identifier=s3.identifier ^ 1, extendable=True)  # type: ignore[union-attr]
    combined = sharing.combine_tolerant([s1, s2, both], sealed, ["a", "b", "c"])
    assert combined.left_out[0].startswith("c: its SLIP-39 identifier and extendable flag (")
    assert " differ from the other shares' (" in combined.left_out[0]
    [(name, problem)] = combined.problems
    assert name == "c" and problem.fields == ("identifier", "extendable")
    group = _changed(s2, group_index=1)
    problem = sharing.share_problem(group, sealed.header)
    assert problem is not None and problem.kind is sharing.ShareProblemKind.SLIP39_LAYOUT
    assert "another layout" in problem.text()
    with pytest.raises(ShareError, match="another layout"):
        sharing.combine([s1, group], sealed)


def test_a_slip39_share_of_a_128_bit_secret_is_named() -> None:
    result = sharing.make_split(vault(), 2, 2, (), "slip39", kdf=TEST_KDF)
    sealed = SealedVault.from_bytes(result.sealed_bytes)
    short = _changed(result.shares[0], value=bytes(16))
    assert len(short.words()) == 20
    problem = sharing.share_problem(short, sealed.header)
    assert problem == sharing.ShareProblem(sharing.ShareProblemKind.SLIP39_KEY_SIZE, bits=128)
    assert problem.text() == (
        "it is a SLIP-39 share of a 128-bit secret, but the sealed vault's key has 256\u00a0bits")
