"""The check behind tests/exit_code_pages.py reads the pages as written."""

from __future__ import annotations

import exit_code_pages as E


def test_the_exit_codes_part_of_a_page_is_read_in_both_styles() -> None:
    listed = ("# paper2fa x\n\ntext 12 of 24\n\n## Exit codes\n\n- 0: fine.\n- 7: not enough\n\n"
              "## More\n9\n")
    assert E.documented(listed) == {0, 7}
    inline = "# paper2fa y\n\nExit codes: 0; 3 missing; 4 bad, or 12 (see [x](x.md)).\n"
    assert E.documented(inline) == {0, 3, 4, 12}
    assert E.documented("# paper2fa z\n\nno codes here 5\n") == set()


def test_a_pair_missing_from_its_page_is_named() -> None:
    assert E.missing({("restore", 13), ("restore", 130), ("list", 1)}) == []
    assert E.missing({("scan", 9)}) == [
        "`paper2fa scan` exits 9 in the tests, but docs/commands/scan.md does not list it"]
