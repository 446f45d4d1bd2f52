"""Long and wide names are laid out with bounded work, and a name shortened on paper is said to
be shortened there (issue 21: an issuer of 10,000 "中" took minutes in `print`, a holder of
10,000 letters seconds in `split`).

The work is counted in characters measured (`fonts.measure`, reportlab's stringWidth made
faster), never timed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from test_render import pdf_text

from toolkit import envelope
from toolkit.model import Account, Vault
from toolkit.render import fonts, wrap
from toolkit.render.fonts import BOLD, SANS
from toolkit.render.home_safe import render_home_safe
from toolkit.render.layout import PAPERS
from toolkit.render.split import COVER_NAME, render_split, sheet_names
from toolkit.sharing import make_split

DATE = datetime(2026, 1, 15, tzinfo=UTC)
WIDE = "中"  # no glyph in DejaVu: printed as [U+4E2D], 8 characters each


@contextmanager
def measured() -> Iterator[list[int]]:
    """The length of every text measured (`fonts.measure`), while the block runs."""
    sizes: list[int] = []
    real = fonts.measure

    def counting(text: str, font: str, size: float) -> float:
        sizes.append(len(text))
        return real(text, font, size)

    wrap.char_width.cache_clear()
    fonts.measure = counting
    try:
        yield sizes
    finally:
        fonts.measure = real


@pytest.mark.parametrize("text", [WIDE * 10_000, "a" * 10_000, "W" * 100_000, WIDE * 100_000])
def test_one_line_measures_about_a_line_whatever_the_length(text: str) -> None:
    with measured() as sizes:
        line = wrap.one_line(text, BOLD, 8.5, 150)
    assert line.endswith(wrap.ELLIPSIS)
    assert fonts.width(fonts.printable(line, BOLD), BOLD, 8.5) <= 150
    assert sum(sizes) < 2_000, sum(sizes)


@pytest.mark.parametrize("count", [10_000, 100_000])
def test_wrap_with_a_line_limit_stops_at_the_limit(count: int) -> None:
    with measured() as sizes:
        lines = wrap.wrap(WIDE * count, BOLD, 12, 300, max_lines=2)
    assert len(lines) == 2 and lines[-1].endswith(wrap.ELLIPSIS)
    assert sum(sizes) < 5 * len(fonts.printable(WIDE * count)) + 1000


def test_wrap_of_a_long_word_is_linear_and_loses_nothing() -> None:
    word = fonts.printable(WIDE * 5_000)
    with measured() as sizes:
        lines = wrap.wrap(WIDE * 5_000, SANS, 9, 200)
    assert "".join(lines) == word  # every character kept, over many lines
    assert all(fonts.width(line, SANS, 9) <= 200 for line in lines)
    assert sum(sizes) < 3 * len(word) + 10 * len(lines)


def test_shorten_keeps_what_fits() -> None:
    assert wrap.shorten("short", SANS, 10, 200) == "short"
    cut = wrap.shorten("word " * 100, SANS, 10, 100)
    assert cut.endswith(wrap.ELLIPSIS) and fonts.width(cut, SANS, 10) <= 100
    assert not cut[:-1].endswith(" ")
    assert fonts.width(cut[:-1] + "w" + wrap.ELLIPSIS, SANS, 10) > 100 or cut.startswith("word")


def test_a_home_safe_page_with_a_10000_wide_issuer_is_bounded_and_keeps_the_data() -> None:
    issuer = WIDE * 10_000
    vault = Vault((Account(issuer=issuer, name="me", secret=b"0123456789abcdefghij"),
                   Account(issuer="Short", name="a" * 10_000, secret=b"9876543210abcdefghij")))
    with measured() as sizes:
        rendered = render_home_safe(vault, date=DATE, generation=1, paper=PAPERS["a4"],
                                    self_check=False)
    assert sum(sizes) < 1_500_000, sum(sizes)  # was billions (quadratic shortening)
    assert rendered.pages <= 6
    text = pdf_text(rendered.pdf)
    assert "The name is shortened here (10002 characters in all)" in text
    assert "The name is shortened here (10005 characters in all)" in text
    # nothing lost: the frames of the whole vault are on the pages (they hold every name)
    assert any(not t.startswith("otpauth://") for t in rendered.qr_texts)


def test_a_shortened_holder_name_is_said_to_be_shortened() -> None:
    holders = ["Ann", WIDE * 10_000, "b" * 10_000]
    result = make_split(Vault((Account(issuer="X", name="y", secret=b"0123456789"),)), 2, 3,
                        holders, rng=random.Random(4).randbytes,
                        kdf=envelope.KDF_PROFILES["test"])
    with measured() as sizes:
        sheets = render_split(result, date=DATE, paper="a4", self_check=False)
    assert sum(sizes) < 300_000, sum(sizes)
    names = sheet_names(result)
    assert "The name is shortened here" not in pdf_text(sheets[names[0]].pdf)
    assert "The name is shortened here (10000 characters in all)" in pdf_text(sheets[names[1]].pdf)
    assert "The name is shortened here (10000 characters in all)" in pdf_text(sheets[names[2]].pdf)
    assert "is shortened in this table" in pdf_text(sheets[COVER_NAME].pdf)
    # the instructions and every word still on the first two pages (the words on one page)
    assert all(any(page.ends_section for page in sheet.fill[:2])
               for name, sheet in sheets.items() if name != COVER_NAME)


