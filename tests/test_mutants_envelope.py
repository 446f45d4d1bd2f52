"""Tests that kill mutants of toolkit/envelope.py the other tests let live.

See tests/fuzz/mutation.py and docs/mutation-testing.md.
"""

from __future__ import annotations

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
    with pytest.raises(ValueError, match="^this sealed vault has no passphrase$"):
        envelope.passphrase_key(sealed.header, "pass")
