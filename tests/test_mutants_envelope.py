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
    with pytest.raises(FormatError, match="no paper2fa-sealed magic"):
        envelope.parse_header(b"x" + body)
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
    ({"generation": 0}, "generation must be 1..65535"),
    ({"generation": 65536}, "generation must be 1..65535"),
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
