"""The sealed vault: round trips, header bound to the AEAD, opaque damage, passphrase errors."""

from __future__ import annotations

import contextlib
import hashlib
import zlib
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import envelope
from toolkit.envelope import SealedVault
from toolkit.errors import (
    DamagedError,
    FormatError,
    Paper2faError,
    UnknownVersionError,
    UsageError,
    WrongPasswordError,
)
from toolkit.model import Account, Vault

TEST_KDF = envelope.KDF_PROFILES["test"]
NOW = datetime(2026, 3, 4, 23, 59, tzinfo=UTC)


def vault() -> Vault:
    return Vault((Account(issuer="Example", name="alice", secret=b"0123456789"),
                  Account(issuer="Zoë", name="bob", secret=b"abcdefghij", notes="naïve")))


def split_sealed(passphrase: str | None = None) -> tuple[SealedVault, bytes]:
    secret = bytes(range(32))
    inputs = envelope.SealInputs(envelope.SCHEME_PYSHAMIR, 2, 2,
                                 (b"A" * 16, b"B" * 16), generation=3)
    sealed, _ = envelope.seal(vault(), split_secret=secret, passphrase=passphrase,
                              set_id=b"12345", inputs=inputs, kdf=TEST_KDF, now=NOW)
    return sealed, secret


def fix_check(body: bytes) -> bytes:
    return body + hashlib.sha256(body).digest()


def test_passphrase_seal_round_trip_and_header() -> None:
    sealed = envelope.seal_with_passphrase(vault(), "pässword", kdf=TEST_KDF, now=NOW,
                                           generation=2)
    data = sealed.to_bytes()
    assert data.startswith(b"paper2fa-sealed\x01")
    again = SealedVault.from_bytes(data)
    assert again == sealed
    h = again.header
    assert (h.scheme, h.threshold, h.share_count, h.generation) == (0, 0, 0, 2)
    assert h.created.isoformat() == "2026-03-04"
    assert h.fingerprint_text == vault().fingerprint
    assert envelope.open_sealed(again, passphrase="pässword") == vault()
    # NFKC: the composed and decomposed forms are the same passphrase
    assert envelope.open_sealed(again, passphrase="pa\u0308ssword") == vault()


def test_wrong_passphrase_is_not_damage() -> None:
    sealed = envelope.seal_with_passphrase(vault(), "right", kdf=TEST_KDF)
    with pytest.raises(WrongPasswordError, match="wrong passphrase"):
        envelope.open_sealed(sealed, passphrase="wrong")


def test_split_seal_opens_with_the_split_secret_only() -> None:
    sealed, secret = split_sealed()
    assert envelope.open_sealed(sealed, secret) == vault()
    with pytest.raises(DamagedError, match="damaged or tampered"):
        envelope.open_sealed(sealed, bytes(32))


def test_shares_alone_do_not_open_a_passphrase_split() -> None:
    sealed, secret = split_sealed("extra")
    assert envelope.open_sealed(sealed, secret, "extra") == vault()
    with pytest.raises(WrongPasswordError):
        envelope.open_sealed(sealed, secret)
    with pytest.raises(WrongPasswordError):
        envelope.open_sealed(sealed, secret, "other")
    with pytest.raises(WrongPasswordError):  # the passphrase alone is not enough either
        envelope.open_sealed(sealed, bytes(32), "extra")


@pytest.mark.parametrize("passphrase", [None, "extra"])
def test_every_header_byte_is_bound(passphrase: str | None) -> None:
    sealed, secret = split_sealed(passphrase)
    data = sealed.to_bytes()
    header_len = len(sealed.header.to_bytes())
    for i in range(header_len):
        body = bytearray(data[:-32])
        body[i] ^= 0x01
        with pytest.raises((DamagedError, FormatError, WrongPasswordError)):
            envelope.open_sealed(SealedVault.from_bytes(fix_check(bytes(body))), secret,
                                 passphrase)


def test_accidental_damage_is_caught_by_the_check_hash() -> None:
    sealed, _ = split_sealed("extra")
    data = bytearray(sealed.to_bytes())
    data[40] ^= 0x80  # a commitment byte, before any key is tried
    with pytest.raises(DamagedError, match="damaged or tampered"):
        SealedVault.from_bytes(bytes(data))
    for cut in (1, 33, 60, len(data) - 16):
        with pytest.raises((DamagedError, FormatError)):
            SealedVault.from_bytes(bytes(data[:-cut]))


def test_ciphertext_tamper_is_one_opaque_error() -> None:
    sealed, secret = split_sealed()
    data = sealed.to_bytes()
    body = bytearray(data[:-32])
    body[-1] ^= 1
    with pytest.raises(DamagedError, match=r"^the sealed vault is damaged or tampered$"):
        envelope.open_sealed(SealedVault.from_bytes(fix_check(bytes(body))), secret)


def test_unknown_version_and_magic() -> None:
    data = bytearray(split_sealed()[0].to_bytes())
    data[15] = 9
    with pytest.raises(UnknownVersionError, match="version 9"):
        SealedVault.from_bytes(bytes(data))
    with pytest.raises(FormatError, match="not a paper2fa sealed vault"):
        SealedVault.from_bytes(b"PK\x03\x04" + bytes(100))


def test_absurd_kdf_parameters_are_refused_before_running() -> None:
    sealed, _ = split_sealed("extra")
    data = bytearray(sealed.to_bytes())
    pos = 16 + 5 + 2 + 3 + 2 * 16 + 1  # log2 N, after the KDF id
    assert data[pos] == TEST_KDF.log_n
    data[pos] = 40
    with pytest.raises(FormatError, match="absurd"):
        SealedVault.from_bytes(fix_check(bytes(data[:-32])))
    with pytest.raises(FormatError, match="1 GiB"):
        envelope.KdfParams(20, 16, 1).check()


def test_decompressed_size_is_capped() -> None:
    sealed, secret = split_sealed()
    bomb = zlib.compress(b"\0" * (64 * 1024 * 1024 + 10), 9)
    header = sealed.header
    ciphertext = AESGCM(secret).encrypt(header.nonce, bomb, header.to_bytes())
    forged = SealedVault(header, ciphertext)
    with pytest.raises(DamagedError, match="too large"):
        envelope.open_sealed(SealedVault.from_bytes(forged.to_bytes()), secret)


def test_fingerprint_in_header_must_match_the_vault() -> None:
    sealed, secret = split_sealed()
    header = sealed.header
    other = Vault((Account(issuer="Other", name="x", secret=b"zz"),))
    ct = AESGCM(secret).encrypt(header.nonce, zlib.compress(other.canonical_bytes()),
                                header.to_bytes())
    with pytest.raises(DamagedError):
        envelope.open_sealed(SealedVault(header, ct), secret)


def test_set_id_text_round_trip() -> None:
    assert envelope.set_id_from_text(envelope.set_id_text(b"\x01\x02\x03\x04\x05")) == \
        b"\x01\x02\x03\x04\x05"
    with pytest.raises(FormatError):
        envelope.set_id_from_text("ABC")


def test_real_default_kdf_once() -> None:
    assert envelope.KDF_PROFILES["default"] == envelope.KdfParams(17, 8, 1)
    sealed = envelope.seal_with_passphrase(vault(), "real cost")
    data = sealed.to_bytes()
    again = SealedVault.from_bytes(data)
    assert again.header.kdf == envelope.KdfParams(17, 8, 1)
    assert envelope.open_sealed(again, passphrase="real cost") == vault()


def test_randomness_is_a_parameter() -> None:
    def rng(n: int) -> bytes:
        return bytes(n)

    a = envelope.seal_with_passphrase(vault(), "p", kdf=TEST_KDF, rng=rng, now=NOW)
    b = envelope.seal_with_passphrase(vault(), "p", kdf=TEST_KDF, rng=rng, now=NOW)
    assert a.to_bytes() == b.to_bytes()


# --- adversarial review ------------------------------------------------------------------------

@pytest.mark.parametrize("passphrase", [None, "extra"])
def test_accidental_damage_anywhere_is_damage_not_a_format_error(passphrase: str | None) -> None:
    data = split_sealed(passphrase)[0].to_bytes()
    for i in range(16, len(data)):  # after the magic and version
        for flip in (0x01, 0xFF):
            damaged = bytearray(data)
            damaged[i] ^= flip
            with pytest.raises(DamagedError, match="damaged or tampered"):
                SealedVault.from_bytes(bytes(damaged))


def test_kdf_work_including_p_is_bounded() -> None:
    envelope.KdfParams(17, 8, 8).check()  # 128 * 8 * 2^17 * 8 = 1 GiB exactly
    for params in (envelope.KdfParams(17, 8, 9), envelope.KdfParams(20, 8, 2),
                   envelope.KdfParams(20, 8, 16)):
        with pytest.raises(FormatError, match="1 GiB"):
            params.check()
    sealed, _ = split_sealed("extra")
    data = bytearray(sealed.to_bytes())
    pos = 16 + 5 + 2 + 3 + 2 * 16 + 1
    data[pos: pos + 3] = bytes([20, 8, 16])  # ~90 s of scrypt if it were run
    with pytest.raises(FormatError, match="1 GiB"):
        SealedVault.from_bytes(fix_check(bytes(data[:-32])))


def test_a_leading_byte_order_mark_is_not_part_of_the_passphrase() -> None:
    sealed = envelope.seal_with_passphrase(vault(), "\ufeffpw", kdf=TEST_KDF)
    assert envelope.open_sealed(sealed, passphrase="pw") == vault()
    # NFKC: a full-width passphrase is the same as the ASCII one
    sealed = envelope.seal_with_passphrase(vault(), "ｐｗ", kdf=TEST_KDF)
    assert envelope.open_sealed(sealed, passphrase="pw") == vault()


def test_passphrase_split_without_the_shares_is_wrong_passphrase_not_a_crash() -> None:
    sealed, _ = split_sealed("extra")
    with pytest.raises(ValueError):  # a programming error: shares are required here
        envelope.data_key(sealed, None, None)
    with pytest.raises(WrongPasswordError):
        envelope.open_sealed(sealed, None, "extra")


@given(st.binary(max_size=300))
@settings(max_examples=300, deadline=None)
def test_from_bytes_raises_only_domain_errors(junk: bytes) -> None:
    for data in (junk, b"paper2fa-sealed\x01" + junk, fix_check(b"paper2fa-sealed\x01" + junk)):
        with contextlib.suppress(Paper2faError):
            SealedVault.from_bytes(data)


@given(st.data())
@settings(max_examples=200, deadline=None)
def test_mutated_sealed_vaults_never_open_and_fail_cleanly(data: st.DataObject) -> None:
    sealed, secret = split_sealed()
    raw = bytearray(sealed.to_bytes()[:-32])
    pos = data.draw(st.integers(0, len(raw) - 1))
    raw[pos] ^= data.draw(st.integers(1, 255))
    cut = data.draw(st.integers(0, len(raw)))
    body = bytes(raw[:cut]) if data.draw(st.booleans()) else bytes(raw)
    with pytest.raises(Paper2faError):
        envelope.open_sealed(SealedVault.from_bytes(fix_check(body)), secret)


@pytest.mark.parametrize("passphrase", ["", "\ufeff", "   ", "\ufeff\n", "\u3000"])
def test_a_passphrase_that_is_empty_after_normalising_is_refused(passphrase: str) -> None:
    with pytest.raises(UsageError, match="empty or only spaces"):
        envelope.seal_with_passphrase(vault(), passphrase, kdf=TEST_KDF)
    with pytest.raises(UsageError, match="empty or only spaces"):
        split_sealed(passphrase)
