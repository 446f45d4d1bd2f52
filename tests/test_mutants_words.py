"""Tests that kill mutants of toolkit/words.py the other tests let live.

See tests/fuzz/mutation.py and docs/mutation-testing.md.
"""

from __future__ import annotations

import pytest

from toolkit import words
from toolkit.errors import ShareError


@pytest.mark.parametrize(("typed", "expected"), [
    # the longest prefix shared with at most 4 words: those words, in list order
    ("genx", ["general", "genius", "genre", "genuine"]),
    ("qx", ["quantity", "quarter", "quick", "quiet"]),
    ("acadx", ["academic"]),
    # more than 4 words share the prefix: the 4 closest of them
    ("grax", ["gray", "grasp", "grant", "gravity"]),
    ("GRAX ", ["gray", "grasp", "grant", "gravity"]),
    ("acbz", ["acrobat", "acne", "acid", "actress"]),
    # nothing shares even 2 letters: the 4 closest words of the whole list
    ("xylo", ["nylon", "yoga", "yelp", "slow"]),
    ("jjjj", []),
])
def test_suggestions(typed: str, expected: list[str]) -> None:
    assert words.suggestions(typed) == expected


def test_suggestions_limit() -> None:
    assert words.suggestions("grax", limit=5) == ["graduate", "grant", "grasp", "gravity",
                                                  "gray"]
    assert words.suggestions("xylo", limit=5) == ["nylon", "yoga", "yelp", "slow", "plot"]
    assert words.suggestions("xylo", limit=1) == ["nylon"]


def test_an_unknown_word_is_named_with_its_suggestions() -> None:
    with pytest.raises(ShareError) as info:
        words.word_index(" Grax ")
    assert info.value.message == "the word is not a share word; did you mean gray or grasp or " \
        "grant or gravity?"
    with pytest.raises(ShareError) as info:
        words.word_index("jjjj")
    assert info.value.message == "the word is not a share word"


def test_indices_must_hold_the_bytes_with_less_than_one_word_of_zero_padding() -> None:
    assert words.indices_to_bytes(words.bytes_to_indices(b"\xff\x01"), 2) == b"\xff\x01"
    assert words.bytes_to_indices(b"\xff\x01") == [1020, 16]
    for indices, count in (([1], 2), ([0] * 5, 5), ([0] * 3, 1), ([1020, 17], 2)):
        with pytest.raises(ShareError) as info:
            words.indices_to_bytes(indices, count)
        assert info.value.message == "the words do not encode a share (bad padding)"


def test_typed_words_split_on_spaces_and_commas() -> None:
    assert words.split_words(" acid,academic\tacne , ,\nact ") == ["acid", "academic", "acne",
                                                                    "act"]


def test_a_wrong_checksum_says_to_compare_every_word() -> None:
    share = words.encode(bytes(range(42)))
    share[0], share[1] = share[1], share[0]
    with pytest.raises(ShareError) as info:
        words.decode(share, 42)
    assert info.value.message == ("the checksum of the words is wrong: a word was written or read "
                                  "wrongly; compare every word with the sheet")
