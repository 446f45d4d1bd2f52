"""Tests that kill mutants of toolkit/envelope.py the other tests let live.

See tests/fuzz/mutation.py and docs/mutation-testing.md.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from toolkit import envelope
from toolkit.errors import FormatError, UsageError
from toolkit.model import Account, Vault

TEST_KDF = envelope.KDF_PROFILES["test"]
NOW = datetime(2026, 3, 4, tzinfo=UTC)
NOT_OURS = "this file was not made by paper2fa, or it is damaged"


def vault() -> Vault:
    return Vault((Account(issuer="Example", name="alice", secret=b"0123456789"),))


@pytest.mark.parametrize("params", [(1, 1, 1), (1, 32, 16), (20, 1, 1), (17, 8, 8)])
def test_kdf_parameters_at_the_edges_are_accepted(params: tuple[int, int, int]) -> None:
    envelope.KdfParams(*params).check()


@pytest.mark.parametrize("params", [(0, 1, 1), (21, 1, 1), (1, 0, 1), (1, 33, 1), (1, 1, 0),
                                    (1, 1, 17)])
def test_kdf_parameters_past_the_edges_are_absurd(params: tuple[int, int, int]) -> None:
    with pytest.raises(FormatError) as info:
        envelope.KdfParams(*params).check()
    n, r, p = params
    assert info.value.message == ("the sealed vault asks for absurd passphrase-KDF parameters "
                                  f"(scrypt N=2^{n}, r={r}, p={p})")
    assert info.value.hint == NOT_OURS


def test_too_much_kdf_work_is_named_with_its_parameters() -> None:
    with pytest.raises(FormatError) as info:
        envelope.KdfParams(20, 8, 2).check()
    assert info.value.message == ("the sealed vault asks for more than 1 GiB of passphrase-KDF "
                                  "work (scrypt N=2^20, r=8, p=2)")
    assert info.value.hint == NOT_OURS


@pytest.mark.parametrize("passphrase", ["", "   ", "\ufeff\n", "\u3000"])
def test_an_empty_passphrase_is_refused_with_what_to_do(passphrase: str) -> None:
    with pytest.raises(UsageError) as info:
        envelope.check_new_passphrase(passphrase)
    assert info.value.message == "the passphrase is empty or only spaces: choose a real one"
    assert info.value.hint == "check the passphrase file, or type the passphrase"


def test_set_id_text_round_trip_and_errors() -> None:
    assert envelope.set_id_text(b"\x00\x01\x02\x03\x04") == "AAAQEAYE"
    assert envelope.set_id_from_text(" aaaqeaye ") == b"\x00\x01\x02\x03\x04"
    for bad in ("AAAQEAY!", "AAAQEAYEAAAQEAYE"):
        with pytest.raises(FormatError) as info:
            envelope.set_id_from_text(bad)
        assert info.value.message == f"{bad!r} is not a set id (8 base32 characters)"


def test_is_sealed() -> None:
    sealed = envelope.seal_with_passphrase(vault(), "pass", kdf=TEST_KDF, now=NOW)
    assert envelope.is_sealed(sealed.to_bytes())
    assert not envelope.is_sealed(b"paper2fa-seale")
    assert not envelope.is_sealed(b'{"format": "paper2fa-vault"}')


def test_seal_with_passphrase_writes_generation_1_unless_told() -> None:
    sealed = envelope.seal_with_passphrase(vault(), "pass", kdf=TEST_KDF, now=NOW)
    assert sealed.header.generation == 1
    assert envelope.open_sealed(sealed, passphrase="pass") == vault()


def test_passphrase_key_of_a_vault_without_passphrase_is_a_programming_error() -> None:
    inputs = envelope.SealInputs(envelope.SCHEME_PYSHAMIR, 2, 2, (b"A" * 16, b"B" * 16))
    sealed, _ = envelope.seal(vault(), split_secret=bytes(32), passphrase=None,
                              set_id=b"12345", inputs=inputs, kdf=TEST_KDF, now=NOW)
    with pytest.raises(ValueError, match=r"^this sealed vault has no passphrase$"):
        envelope.passphrase_key(sealed.header, "pass")


def split(passphrase: str | None = None) -> tuple[envelope.SealedVault, bytes]:
    secret = bytes(range(32))
    inputs = envelope.SealInputs(envelope.SCHEME_PYSHAMIR, 2, 2, (b"A" * 16, b"B" * 16))
    sealed, _ = envelope.seal(vault(), split_secret=secret, passphrase=passphrase,
                              set_id=b"12345", inputs=inputs, kdf=TEST_KDF, now=NOW)
    return sealed, secret


def resealed(sealed: envelope.SealedVault, key: bytes, plaintext: bytes) -> envelope.SealedVault:
    """The same header over other (correctly encrypted) contents."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    ct = AESGCM(key).encrypt(sealed.header.nonce, plaintext, sealed.associated_data)
    return envelope.SealedVault(sealed.header, ct)


def test_parse_header_checks_magic_and_version_itself() -> None:
    from toolkit.errors import UnknownVersionError
    body = split()[0].to_bytes()[:-32]
    with pytest.raises(FormatError) as not_sealed:
        envelope.parse_header(b"x" + body)
    assert not_sealed.value.message == "not a paper2fa sealed vault (no paper2fa-sealed magic)"
    with pytest.raises(UnknownVersionError) as info:
        envelope.parse_header(body[:15] + b"\x02" + body[16:])
    assert info.value.message == "sealed vault format version 2 is not supported"
    header, start = envelope.parse_header(body)
    assert body[:start] == header.to_bytes()


def test_a_passphrase_only_vault_without_kdf_is_refused() -> None:
    import hashlib
    body = bytearray(split()[0].to_bytes()[:-32])
    body[16 + 5 + 2: 16 + 5 + 2 + 3] = b"\x00\x00\x00"  # scheme 0, k = n = 0
    del body[26: 26 + 32]  # no commitments
    with pytest.raises(FormatError) as info:
        envelope.SealedVault.from_bytes(bytes(body) + hashlib.sha256(body).digest())
    assert info.value.message == "a passphrase-only sealed vault has no passphrase KDF"


def test_contents_that_are_not_zlib_or_not_the_vault_are_damage() -> None:
    import zlib

    from toolkit.errors import DamagedError
    from toolkit.model import vault_to_json
    sealed, key = split()
    for plaintext in (b"not zlib at all", zlib.compress(b'{"format": "other"}'),
                      zlib.compress(vault_to_json(vault()))):  # not canonical: extra newline
        forged = resealed(sealed, key, plaintext)
        with pytest.raises(DamagedError) as info:
            envelope.open_sealed(forged, key)
        assert info.value.message == "the sealed vault is damaged or tampered"
    other = Vault((Account(issuer="Other", name="x", secret=b"9876543210"),))
    forged = resealed(sealed, key, zlib.compress(other.canonical_bytes()))
    with pytest.raises(DamagedError):  # a valid vault, but not the one fingerprinted
        envelope.open_sealed(forged, key)
    assert envelope.open_sealed(resealed(sealed, key, zlib.compress(
        vault().canonical_bytes())), key) == vault()


@pytest.mark.parametrize(("change", "message"), [
    ({"set_id": b"1234"}, "a set id is 5 bytes"),
    ({"scheme": envelope.SCHEME_PASSPHRASE, "passphrase": None},
     "a passphrase-only seal needs a passphrase"),
    ({"split_secret": bytes(31)}, "a split seal needs a 32-byte split secret"),
    ({"split_secret": None}, "a split seal needs a 32-byte split secret"),
    ({"commitments": (b"A" * 16,)}, "one commitment per share"),
])
def test_seal_refuses_programming_mistakes(change: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"split_secret": bytes(32), "passphrase": None, "set_id": b"12345",
                               "scheme": envelope.SCHEME_PYSHAMIR, "generation": 1,
                               "commitments": (b"A" * 16, b"B" * 16)}
    args.update(change)
    inputs = envelope.SealInputs(args.pop("scheme"), 2, 2, args.pop("commitments"),  # type: ignore[arg-type]
                                 args.pop("generation"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        envelope.seal(vault(), inputs=inputs, kdf=TEST_KDF, now=NOW, **args)  # type: ignore[arg-type]


def test_data_key_needs_what_the_vault_was_sealed_with() -> None:
    sealed, key = split()
    with pytest.raises(ValueError, match=r"^this sealed vault is opened with shares$"):
        envelope.data_key(sealed)
    assert envelope.data_key(sealed, key) == key
    with_pass, key2 = split("pass")
    with pytest.raises(ValueError, match=r"^this sealed vault needs its passphrase$"):
        envelope.data_key(with_pass, key2)


@pytest.mark.parametrize("params", [(18, 8, 1), (18, 8, 4), (20, 2, 1), (16, 32, 1)])
def test_kdf_memory_up_to_256_mib_is_accepted(params: tuple[int, int, int]) -> None:
    envelope.KdfParams(*params).check()


@pytest.mark.parametrize("params", [(20, 8, 1), (19, 8, 2), (19, 8, 1), (17, 32, 1)])
def test_kdf_memory_over_256_mib_is_refused(params: tuple[int, int, int]) -> None:
    # a forged header within the work bound would still take the reader over 1 GiB
    n, r, p = params
    with pytest.raises(FormatError) as info:
        envelope.KdfParams(*params).check()
    assert info.value.message == ("the sealed vault asks for more than 256 MiB of memory for its "
                                  f"passphrase KDF (scrypt N=2^{n}, r={r}, p={p})")
    assert info.value.hint == NOT_OURS


def forged(body: bytes) -> bytes:
    import hashlib
    return body + hashlib.sha256(body).digest()


TRUNCATED = "the sealed vault is damaged or tampered (it is truncated)"


def test_sealed_vaults_read_back_equal_field_by_field() -> None:
    for passphrase in (None, "pass"):
        sealed, _ = split(passphrase)
        again = envelope.SealedVault.from_bytes(sealed.to_bytes())
        assert again == sealed
        assert again.header.salt == sealed.header.salt
        assert again.header.wrapped_key == sealed.header.wrapped_key
    plain = split()[0].header
    assert (plain.salt, plain.wrap_nonce, plain.wrapped_key) == (b"", b"", b"")


@pytest.mark.parametrize(("size", "message"), [
    (14, None), (15, TRUNCATED), (16, TRUNCATED), (47, TRUNCATED),
    (48, "the sealed vault is damaged or tampered"),
])
def test_short_files_are_truncated_or_damaged(size: int, message: str | None) -> None:
    from toolkit.errors import DamagedError
    data = split()[0].to_bytes()[:size]
    if message is None:
        with pytest.raises(FormatError) as info:
            envelope.SealedVault.from_bytes(data)
        assert info.value.message == "not a paper2fa sealed vault (no paper2fa-sealed magic)"
        return
    with pytest.raises(DamagedError) as info:
        envelope.SealedVault.from_bytes(data)
    assert info.value.message == message


def test_the_ciphertext_holds_at_least_its_tag() -> None:
    from toolkit.errors import DamagedError
    sealed = split()[0]
    header = sealed.header.to_bytes()
    assert envelope.SealedVault.from_bytes(forged(header + bytes(16))).ciphertext == bytes(16)
    with pytest.raises(DamagedError) as info:
        envelope.SealedVault.from_bytes(forged(header + bytes(15)))
    assert info.value.message == TRUNCATED
    assert envelope.parse_header(header) == (sealed.header, len(header))
    with pytest.raises(DamagedError) as info:
        envelope.parse_header(header[:-1])
    assert info.value.message == TRUNCATED


def test_the_other_unsupported_versions_message() -> None:
    from toolkit.errors import UnknownVersionError
    data = bytearray(split()[0].to_bytes())
    data[15] = 9
    with pytest.raises(UnknownVersionError) as info:
        envelope.SealedVault.from_bytes(bytes(data))
    assert info.value.message == "sealed vault format version 9 is not supported"


@pytest.mark.parametrize(("scheme_k_n", "message"), [
    (b"\x00\x00\x01", "a passphrase-only sealed vault cannot have shares"),
    (b"\x00\x01\x00", "a passphrase-only sealed vault cannot have shares"),
    (b"\x03\x02\x02", "unknown key scheme 3 in the sealed vault"),
    (b"\x01\x03\x02", "the sealed vault says 3 of 2 shares, which is impossible"),
    (b"\x01\x01\x02", "the sealed vault says 1 of 2 shares, which is impossible"),
])
def test_impossible_schemes_are_named(scheme_k_n: bytes, message: str) -> None:
    body = bytearray(split()[0].to_bytes()[:-32])
    body[23:26] = scheme_k_n
    with pytest.raises(FormatError) as info:
        envelope.SealedVault.from_bytes(forged(bytes(body)))
    assert info.value.message == message


def test_unknown_kdf_and_bad_dates_are_named() -> None:
    from toolkit.errors import DamagedError
    body = bytearray(split()[0].to_bytes()[:-32])
    kdf_at = 26 + 2 * 16
    unknown = bytearray(body)
    unknown[kdf_at] = 2
    with pytest.raises(FormatError) as info:
        envelope.SealedVault.from_bytes(forged(bytes(unknown)))
    assert info.value.message == "unknown passphrase KDF 2 in the sealed vault"
    date_at = kdf_at + 1 + envelope.FINGERPRINT_LEN
    bad_date = bytearray(body)
    bad_date[date_at + 2] = 13  # month 13
    with pytest.raises(DamagedError) as info:
        envelope.SealedVault.from_bytes(forged(bytes(bad_date)))
    assert info.value.message == "the sealed vault is damaged or tampered (bad date)"


def test_compressed_contents_must_end_exactly() -> None:
    import zlib

    from toolkit.errors import DamagedError
    sealed, key = split()
    whole = zlib.compress(vault().canonical_bytes())
    for contents in (whole[:-5], whole + b"junk"):
        with pytest.raises(DamagedError) as info:
            envelope.open_canonical(resealed(sealed, key, contents), key)
        assert info.value.message == ("the sealed vault is damaged or tampered (too large or "
                                      "incomplete)")
    assert envelope.open_canonical(resealed(sealed, key, whole), key) == vault().canonical_bytes()


def test_passphrase_errors_are_worded() -> None:
    from toolkit.errors import WrongPasswordError
    sealed = envelope.seal_with_passphrase(vault(), "pass", kdf=TEST_KDF, now=NOW)
    with pytest.raises(WrongPasswordError) as info:
        envelope.open_sealed(sealed)
    assert info.value.message == "this sealed vault needs its passphrase"
    with pytest.raises(WrongPasswordError) as info:
        envelope.open_sealed(sealed, passphrase="wrong")
    assert info.value.message == "wrong passphrase: it does not open this sealed vault"
    # a passphrase-only vault ignores any split secret given with it
    pass_key = envelope.passphrase_key(sealed.header, "pass")
    assert envelope.data_key(sealed, bytes(32), pass_key) == envelope.data_key(sealed, None,
                                                                                pass_key)


@pytest.mark.parametrize("generation", [0, 65536])
def test_seal_refuses_a_generation_out_of_range_as_usage(generation: int) -> None:
    """One owner for the generation range (envelope.check_generation): the same error for
    seal, print and split, whatever calls it."""
    from toolkit.errors import UsageError

    inputs = envelope.SealInputs(envelope.SCHEME_PYSHAMIR, 2, 2, (b"A" * 16, b"B" * 16),
                                 generation)
    with pytest.raises(UsageError, match=f"from 1 to 65535, not {generation}$"):
        envelope.seal(vault(), split_secret=bytes(32), passphrase=None, set_id=b"12345",
                      inputs=inputs, kdf=TEST_KDF, now=NOW)
