"""Names shown to people never carry control, bidi or zero-width characters raw."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from toolkit.display import has_hidden, is_hidden, visible


def test_escapes_terminal_controls_newlines_bidi_and_zero_width() -> None:
    assert visible("\x1b[2J\x1b[31mRed") == "\\x1b[2J\\x1b[31mRed"
    assert visible("a\nvault fingerprint: AAAA") == "a\\nvault fingerprint: AAAA"
    assert visible("abc\u202edef") == "abc\\u202edef"
    assert visible("zero\u200bwidth\u2028") == "zero\\u200bwidth\\u2028"
    assert visible("\U000e0001") == "\\U000e0001"


def test_ordinary_names_are_unchanged() -> None:
    for name in ("Bank: Savings", "Ünïcödé 名前", "C:\\Users", "a b", "¿äÄéÉ? (demo)"):
        assert visible(name) == name and not has_hidden(name)


@given(st.text())
def test_visible_output_has_no_hidden_character(text: str) -> None:
    shown = visible(text)
    assert not any(is_hidden(ch) for ch in shown)
    assert (shown == text) == (not has_hidden(text))
