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
