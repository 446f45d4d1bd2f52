"""Checksum words: round trips, every one-word change detected, clear errors, no SLIP-39 mixups."""

from __future__ import annotations

import pytest
import shamir_mnemonic
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import words
from toolkit.errors import ShareError


@given(st.binary(min_size=1, max_size=64))
@settings(max_examples=200)
def test_bytes_words_round_trip(data: bytes) -> None:
    encoded = words.encode(data)
    assert len(encoded) == words.data_word_count(len(data)) + 3
    assert words.decode(encoded, len(data)) == data


@given(st.binary(min_size=42, max_size=42), st.integers(0, 36), st.integers(1, 1023))
@settings(max_examples=300)
def test_every_single_word_change_is_detected(data: bytes, pos: int, delta: int) -> None:
    encoded = words.encode(data)
    indices = words.to_indices(encoded)
    indices[pos] = (indices[pos] + delta) % 1024
    changed = [words.wordlist()[i] for i in indices]
    with pytest.raises(ShareError, match="checksum"):
        words.decode(changed, 42)


def test_up_to_three_word_errors_are_detected_exhaustively_at_the_edges() -> None:
    data = bytes(range(42))
    base = words.to_indices(words.encode(data))
    for positions in [(0, 1, 2), (34, 35, 36), (0, 18, 36)]:
        for delta in (1, 511, 1023):
            changed = list(base)
            for p in positions:
                changed[p] = (changed[p] + delta) % 1024
            assert not words.checksum_ok(changed)


def test_words_by_prefix_and_case() -> None:
    assert words.word_index("ACAD") == words.word_index("academic") == 0
    assert words.word_index("  Academ ") == 0
    with pytest.raises(ShareError, match="did you mean"):
        words.word_index("acadx")


def test_unknown_word_suggests_by_prefix() -> None:
    with pytest.raises(ShareError) as err:
        words.word_index("zebra")
    assert err.value.message == "the word is not a share word; did you mean zero?"
    assert "zebra" not in err.value.message  # share words are secrets: never repeated
    assert words.suggestions("acad") == ["academic"]
    assert "academic" in words.suggestions("acadmic")


def test_word_count_and_position_in_errors() -> None:
    encoded = words.encode(bytes(42))
    with pytest.raises(ShareError, match="36 words were given; a share has 37"):
        words.decode(encoded[:-1], 42)
    with pytest.raises(ShareError, match=r"^word 3 is not a share word"):
        words.decode([*encoded[:2], "qqqq", *encoded[3:]], 42)


def test_nonzero_padding_is_refused() -> None:
    indices = words.bytes_to_indices(bytes(42))
    indices[-1] |= 1  # one of the 4 padding bits
    with pytest.raises(ShareError, match="padding"):
        words.indices_to_bytes(indices, 42)


def test_slip39_and_paper2fa_checksums_never_mix() -> None:
    ours = words.to_indices(words.encode(bytes(range(42))))
    assert not shamir_mnemonic.rs1024.verify_checksum(ours, b"shamir")
    assert not shamir_mnemonic.rs1024.verify_checksum(ours, b"shamir_extendable")
    slip = shamir_mnemonic.generate_mnemonics(1, [(2, 3)], bytes(32), extendable=False)[0][0]
    assert not words.checksum_ok(words.to_indices(slip.split()))


def test_wordlist_has_unique_four_letter_prefixes() -> None:
    wl = words.wordlist()
    assert len(wl) == 1024 and len({w[:4] for w in wl}) == 1024
