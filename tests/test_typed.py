"""Secrets typed from a home-safe page: the reader of secret lines (with or without check
letters, spaced as printed or not), the check line, and `toolkit.recovery.typed`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import otp
from toolkit.errors import AccountError
from toolkit.model import Account, secret_from_base32, secret_to_base32
from toolkit.recovery.typed import (
    Settings,
    TypedCheck,
    check_typed,
    parse_typed_secrets,
    typed_account,
)
from toolkit.secret_lines import (
    ALPHABET,
    AmbiguousLines,
    CheckLetters,
    CheckLine,
    TypedLines,
    check_character,
    check_line,
    read_check_line,
    read_typed_lines,
    secret_lines,
)
from toolkit.texts import fill

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
AT = 1768435200  # 2026-01-15 00:00 UTC


def printed(secret: str, letters: bool = True, spaced: bool = True,
            numbered: bool = False) -> list[str]:
    """The printed lines of `secret` as a person types them."""
    out = []
    for line in secret_lines(secret):
        text = line.text if spaced else line.text.replace(" ", "")
        if letters:
            text += f" {line.check}" if spaced else line.check
        out.append(f"{line.number} {text}" if numbered else text)
    return out


def read(lines: list[str], letters: CheckLetters | None = None) -> TypedLines:
    result = read_typed_lines(lines, letters)
    assert isinstance(result, TypedLines), result
    return result


def wrong_line(lines: list[str]) -> int:
    """The line an AccountError names (exactly one)."""
    with pytest.raises(AccountError) as info:
        read_typed_lines(lines)
    found = re.findall(r"secret lines? (\d+)", info.value.message)
    assert len(found) == 1, info.value.message
    return int(found[0])


# --- the cases --------------------------------------------------------------------------


def test_one_wrong_letter_typed_with_its_check_letter_is_named() -> None:
    assert read(["JBSW Y3DP EHPK 3PXP E"]).secret == "JBSWY3DPEHPK3PXP"
    assert wrong_line(["JBSW Y3DP EHPK 3PXQ E"]) == 1


def test_one_wrong_letter_typed_without_check_letters_fails_the_check_code() -> None:
    account = Account("Example", "me", secret_from_base32("JBSWY3DPEHPK3PXP"))
    line = check_line(account, AT).text
    assert line == "644494 @ 1768435200"
    ok = check_typed(["JBSW Y3DP EHPK 3PXP"], Settings(), line)
    assert isinstance(ok, TypedCheck) and ok.account.secret == account.secret
    with pytest.raises(AccountError, match="does not give the printed check code"):
        check_typed(["JBSW Y3DP EHPK 3PXQ"], Settings(), line)


def test_a_32_character_secret_typed_with_both_check_letters_is_the_32_characters() -> None:
    secret = secret_to_base32(bytes(range(20)))
    assert len(secret) == 32
    for lines in (printed(secret), printed(secret, spaced=False), [" ".join(printed(secret))]):
        result = read(lines)
        assert result.secret == secret and result.checked == (1, 2)
    # both check letters, all on one line without spaces: 34 letters read both ways
    joined = "".join(printed(secret, spaced=False))
    assert read_typed_lines([joined]) == AmbiguousLines(1, 32, 2, 34)
    assert read([joined], CheckLetters.INCLUDED).secret == secret


def test_one_unspaced_16_character_line_is_refused_not_guessed() -> None:
    lines = ["JBSWY3DPEHPK3PXP"]
    result = read_typed_lines(lines)
    assert result == AmbiguousLines(1, 15, 1, 16)
    assert "can be read two ways" in result.message
    assert read(lines, CheckLetters.LEFT_OUT).secret == "JBSWY3DPEHPK3PXP"
    with pytest.raises(AccountError, match="secret line 1 has a typing mistake"):
        read_typed_lines(lines, CheckLetters.INCLUDED)  # 15 letters and "P": not its check
    assert read(["JBSW Y3DP EHPK 3PXP"]).checked == ()  # with its spaces: 16 letters


def test_mistakes_are_named_by_line() -> None:
    secret = secret_to_base32(bytes(range(40)))  # 64 characters: 4 lines
    lines = printed(secret)
    assert wrong_line([lines[0], lines[1][:-3] + lines[1][-1:], *lines[2:]]) == 2  # one short
    assert wrong_line([lines[0], lines[1], lines[2].replace("J", "0", 1)
                       if "J" in lines[2] else "0" + lines[2][1:], lines[3]]) == 3
    with pytest.raises(AccountError, match="read them as O, I and B"):
        read_typed_lines([lines[0].replace(lines[0][0], "8", 1)])
    with pytest.raises(AccountError, match="secret line 1 and line 2 have typing mistakes"):
        read_typed_lines([lines[1], lines[0], *lines[2:]])  # two lines swapped
    with pytest.raises(AccountError, match="secret line 1 is typed as line 2"):
        read_typed_lines(["2 " + lines[0], *lines[1:]])
    with pytest.raises(AccountError, match=r"secret line 4 does not read like the lines "):
        read_typed_lines([*lines[:3], lines[3][:-2]])
    with pytest.raises(AccountError, match="no secret line"):
        read_typed_lines(["", "  "])


def test_line_numbers_as_printed_are_not_part_of_the_key() -> None:
    secret = "REOTXOAP5HB2LOCYN6CXONPULHROLU6VDDIAFO6SZUUCPERZTOWQ"
    assert read(printed(secret, numbered=True)).secret == secret
    assert read(printed(secret, letters=False, numbered=True)).secret == secret
    # a last line of two digits is a group, not a line number
    short = secret_to_base32(bytes(11))  # 18 characters: the last line has 2
    assert read(printed(short)).secret == short


def test_the_check_letter_misses_only_the_swap_with_the_last_character() -> None:
    """Both have weight 1 (docs/paper.md); the check code catches it."""
    account = Account("X", "y", secret_from_base32("JBSWY3DPEHPK3PXP"))
    swapped = "JBSW Y3DP EHPK 3PXE P"  # last key letter P and check letter E swapped
    assert read([swapped]).secret != account.secret_base32
    with pytest.raises(AccountError, match="does not give the printed check code"):
        check_typed([swapped], Settings(), check_line(account, AT).text)


# --- every real length, typed every way -------------------------------------------------------

secrets = st.integers(min_value=10, max_value=64).flatmap(
    lambda n: st.binary(min_size=n, max_size=n)).map(secret_to_base32)


@settings(max_examples=300, deadline=None)
@given(secrets, st.booleans(), st.booleans(), st.booleans(), st.booleans())
def test_typed_lines_give_back_the_secret_or_a_refusal(secret: str, letters: bool, spaced: bool,
                                                       numbered: bool, lower: bool) -> None:
    lines = printed(secret, letters, spaced, numbered)
    if lower:
        lines = [line.lower() for line in lines]
    result = read_typed_lines(lines)
    if isinstance(result, AmbiguousLines):  # only lines typed without their check letters
        assert not letters
        if len(lines) == 1:  # one line: only if typed without spaces
            assert not spaced
        said = CheckLetters.INCLUDED if letters else CheckLetters.LEFT_OUT
        result = read_typed_lines(lines, said)
    assert isinstance(result, TypedLines)
    assert result.secret == secret
    assert result.lines == len(lines)
    assert result.checked == (tuple(range(1, len(lines) + 1)) if letters else ())


@settings(max_examples=200, deadline=None)
@given(secrets, st.booleans(), st.booleans())
def test_all_lines_typed_on_one_line_give_the_secret_or_a_refusal(
        secret: str, letters: bool, spaced: bool) -> None:
    joined = (" " if spaced else "").join(printed(secret, letters, spaced))
    result = read_typed_lines([joined])
    if isinstance(result, AmbiguousLines):
        assert not spaced
    else:
        assert result.secret == secret


def mistype(lines: list[str], data: st.DataObject, alphabet: str) -> int:
    """Change one character of one of `lines` (in place); returns that line's number."""
    number = data.draw(st.integers(1, len(lines)), "line")
    line = lines[number - 1]
    spot = data.draw(st.sampled_from([i for i, ch in enumerate(line) if ch != " "]), "position")
    wrong = data.draw(st.sampled_from([c for c in alphabet if c != line[spot]]), "char")
    lines[number - 1] = line[:spot] + wrong + line[spot + 1:]
    return number


@settings(max_examples=300, deadline=None)
@given(secrets, st.booleans(), st.data())
def test_one_wrong_character_is_named_by_its_line(secret: str, spaced: bool,
                                                  data: st.DataObject) -> None:
    lines = printed(secret, letters=True, spaced=spaced)
    number = mistype(lines, data, ALPHABET + "018")  # a key character or the check letter
    assert wrong_line(lines) == number


@settings(max_examples=300, deadline=None)
@given(secrets, st.booleans(), st.data())
def test_two_swapped_characters_are_named_by_their_line(secret: str, spaced: bool,
                                                        data: st.DataObject) -> None:
    lines = printed(secret, letters=True, spaced=spaced)
    number = data.draw(st.integers(1, len(lines)), "line")
    line = lines[number - 1]
    key = [i for i, ch in enumerate(line[:-1]) if ch != " "]  # the check letter is last
    i, j = sorted(data.draw(st.lists(st.sampled_from(key), min_size=2, max_size=2, unique=True)))
    if line[i] == line[j]:
        return
    lines[number - 1] = line[:i] + line[j] + line[i + 1:j] + line[i] + line[j + 1:]
    assert wrong_line(lines) == number


@settings(max_examples=200, deadline=None)
@given(secrets.filter(lambda s: len(s) > 17), st.booleans(), st.data())
def test_a_character_lost_before_the_last_line_never_keeps_a_check_letter(
        secret: str, spaced: bool, data: st.DataObject) -> None:
    """Line 1 of 17 losing a letter looks typed without its check letter: the lines are then
    refused, never read with the last line's check letter as part of the key."""
    lines = printed(secret, letters=True, spaced=spaced)
    number = data.draw(st.integers(1, len(lines) - 1), "line")
    line = lines[number - 1]
    spot = data.draw(st.sampled_from([i for i, ch in enumerate(line) if ch != " "]), "position")
    lines[number - 1] = line[:spot] + line[spot + 1:]
    try:
        result = read_typed_lines(lines)
    except AccountError:
        return
    assert isinstance(result, AmbiguousLines)


@settings(max_examples=100, deadline=None)
@given(secrets, st.booleans(), st.data())
def test_one_wrong_character_without_check_letters_fails_the_check_code(
        secret: str, spaced: bool, data: st.DataObject) -> None:
    account = Account("X", "y", secret_from_base32(secret), digits=8)
    lines = printed(secret, letters=False, spaced=spaced)
    mistype(lines, data, ALPHABET)
    with pytest.raises(AccountError):
        check_typed(lines, Settings(digits=8), check_line(account, AT).text,
                    check_letters=CheckLetters.LEFT_OUT)


def test_check_character_is_what_the_page_prints() -> None:
    assert check_character(1, "JBSWY3DPEHPK3PXP") == "E"


# --- the check line ------------------------------------------------------------------------------


def test_check_line_round_trips_through_every_template_language() -> None:
    totp = Account("X", "y", secret_from_base32("JBSWY3DPEHPK3PXP"), algorithm="SHA256",
                   digits=8, period=60)
    hotp = Account("X", "y", secret_from_base32("JBSWY3DPEHPK3PXP"), type="hotp", counter=7)
    steam = Account("X", "y", secret_from_base32("JBSWY3DPEHPK3PXP"), type="steam")
    import tomllib

    languages = [d for d in TEMPLATES.iterdir() if (d / "home_safe.toml").is_file()]
    assert languages
    for folder in languages:
        t = tomllib.loads((folder / "home_safe.toml").read_text())
        for key in ("check_code", "check_code_hotp"):
            assert t[key].count("{check}") == 1, (folder.name, key)
        for account in (totp, hotp, steam):
            line = check_line(account, AT)
            key = "check_code_hotp" if account.type == "hotp" else "check_code"
            page = fill(t[key], check=line.text, time="2026-01-15 00:00 UTC")
            assert read_check_line(page) == line
    assert check_line(hotp, AT) == CheckLine(otp.hotp(hotp.secret, 0), 0)


@pytest.mark.parametrize(("typed", "expected"), [
    ("Check code: 644494 @ 1768435200 (the code at 2026-01-15 00:00 UTC)",
     CheckLine("644494", AT)),
    ("644494 @ 1768435200", CheckLine("644494", AT)),
    ("644494@1768435200", CheckLine("644494", AT)),
    ("Prüfcode: 00305615 @ 1767225600 (der Code um 2026-01-01 00:00 UTC)",
     CheckLine("00305615", 1767225600)),
    ("Code de contrôle : 644494 @ 0 (au compteur 0)", CheckLine("644494", 0)),
    ("Steam: 2bc4f @ 1768435200", CheckLine("2BC4F", AT)),
    # what pages printed before the @ form say, and the --typed-secrets form of docs/restore.md
    ("Check code: 644494 at 2026-01-15 00:00 UTC (UNIX time 1768435200)",
     CheckLine("644494", AT)),
    ("644494 at 2026-01-15 00:00 UTC (UNIX time 1768435200)", CheckLine("644494", AT)),
    ("644494 at 1768435200", CheckLine("644494", AT)),
    ("Check code: 282760 at counter 0", CheckLine("282760", 0)),
    ("282760", CheckLine("282760", None)),
])
def test_check_line_is_read_from_its_data(typed: str, expected: CheckLine) -> None:
    assert read_check_line(typed) == expected


@pytest.mark.parametrize("typed", ["", "blah", "644494 at 2026-01-15 00:00 UTC",
                                   "check 64 @ 1", "x" * 300])
def test_a_check_line_without_its_data_is_refused(typed: str) -> None:
    with pytest.raises(AccountError, match="check line"):
        read_check_line(typed)


def test_check_code_names_the_digits_and_the_missing_time() -> None:
    account = Account("X", "y", secret_from_base32("JBSWY3DPEHPK3PXP"), digits=8)
    line = check_line(account, AT).text
    with pytest.raises(AccountError, match="has 8 digits, these settings give 6") as info:
        check_typed(["JBSW Y3DP EHPK 3PXP E"], Settings(), line)
    assert "every secret line's check letter matches" in info.value.hint
    with pytest.raises(AccountError, match="needs the number printed after the @"):
        check_typed(["JBSW Y3DP EHPK 3PXP E"], Settings(digits=8), line.split(" @")[0])
    hotp = Account("X", "y", secret_from_base32("JBSWY3DPEHPK3PXP"), type="hotp")
    ok = check_typed(["JBSW Y3DP EHPK 3PXP E"], Settings(type="hotp"),
                     check_line(hotp, AT).code)  # the code alone: counter 0
    assert isinstance(ok, TypedCheck) and ok.check == CheckLine(check_line(hotp, AT).code, None)


# --- the --typed-secrets blocks (moved from toolkit.restore) ----------------------------------


def typed_block(account: Account, at: int = AT, code: str | None = None,
                letters: bool = True) -> str:
    lines = printed(account.secret_base32, letters=letters)
    shown = code if code is not None else otp.check_code(account, at).code
    return (f"issuer: {account.issuer}\nname: {account.name}\nsecret: {lines[0]}\n"
            + "".join(f"        {line}\n" for line in lines[1:])
            + f"check: {shown} at 2026-01-15 00:00 UTC (UNIX time {at})\n")


def test_typed_secret_is_checked_by_line_and_by_check_code() -> None:
    account = Account("Site 1", "user1", bytes(range(5, 25)))
    (fields,) = parse_typed_secrets(typed_block(account))
    assert typed_account(fields) == account
    first = fields["secret"].split("\n")[0]
    swapped = first[1] + first[0] + first[2:]
    with pytest.raises(AccountError, match="secret line 1 has a typing mistake"):
        typed_account({**fields, "secret": fields["secret"].replace(first, swapped)})
    with pytest.raises(AccountError, match="does not give the printed check code") as info:
        typed_account({**fields, "digits": "8"})
    assert account.secret_base32[:8] not in info.value.message
    (bare,) = parse_typed_secrets(typed_block(account, letters=False))
    assert typed_account(bare) == account
    with pytest.raises(AccountError, match="unknown field 'colour'"):
        typed_account({**fields, "colour": "red"})
    with pytest.raises(AccountError, match="the check line is missing"):
        typed_account({k: v for k, v in fields.items() if k != "check"})


def test_typed_secret_that_reads_two_ways_asks_for_check_letters() -> None:
    account = Account("Site", "me", secret_from_base32("JBSWY3DPEHPK3PXP"))
    fields = {"secret": "JBSWY3DPEHPK3PXP", "check": check_line(account, AT).text}
    with pytest.raises(AccountError, match="typed secret 3: secret line 1 can be read") as info:
        typed_account(fields, "typed secret 3")
    assert "check-letters: included" in info.value.hint
    assert typed_account({**fields, "check-letters": "left-out"}).secret == account.secret
    with pytest.raises(AccountError, match="write 'included' or 'left-out'"):
        typed_account({**fields, "check-letters": "maybe"})


def test_typed_secrets_file_format() -> None:
    text = ("# from the page of 2026-01-15\nissuer: A\nname: a\nsecret: AAAA BBBB\n"
            "   CCCC\ncheck: 1 @ 2\n\n\nissuer: B\n")
    assert parse_typed_secrets(text) == [
        {"issuer": "A", "name": "a", "secret": "AAAA BBBB\nCCCC", "check": "1 @ 2"},
        {"issuer": "B"}]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET.lower() + ALPHABET + "0189 -/|:.\t[]()#@é\u200b",
                        max_size=40), max_size=6),
       st.sampled_from([None, *CheckLetters]))
def test_anything_typed_is_read_or_refused_in_words(lines: list[str],
                                                   letters: CheckLetters | None) -> None:
    try:
        result = read_typed_lines(lines, letters)
    except AccountError as exc:
        assert exc.message and exc.hint
        return
    if isinstance(result, TypedLines):
        assert secret_to_base32(secret_from_base32(result.secret)) == result.secret
    else:
        assert result.message
