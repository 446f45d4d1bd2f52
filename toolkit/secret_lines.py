"""Secrets on paper, and back: the printed secret lines with their check letters, the check
line, and the readers of what a person types from them.

A secret is printed as numbered lines of 4 groups of 4 base32 characters (the last line
shorter), each followed by one check character in a box (docs/FORMAT.md section 7):
c = 0; for each value v -- first the line number (mod 32), then each character's
base32 value -- c = 2*c in GF(32) modulo x^5 + x^2 + 1, then c ^= v. It catches every single
wrong character, every swap of two characters of the line, and a line typed under the wrong
number.

The check line is `CODE @ N`: the check code, and after the @ the UNIX time at which it was the
account's code (for a counter-based account, the counter). The page's template only wraps it in
words, so the reader below works whatever the language of the sheet; it also reads what pages
printed before this form say (`644494 at 2026-01-15 00:00 UTC (UNIX time 1768435200)`, `644494
at counter 0`, and the typed `644494 at 1768435200`).

Whether a typed line ends with its check letter is decided from structure only: the lengths of
the lines (a full line is 16 characters, 17 with its check letter), the spacing as printed
(groups of four, the check letter apart) and the lengths a base32 secret can have. The check
letters then confirm the lines. Input that can be read both ways is never guessed: the reader
returns `AmbiguousLines` and the caller asks the person.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from toolkit import constants as C
from toolkit import otp
from toolkit.errors import AccountError
from toolkit.model import Account, secret_from_base32, secret_to_base32

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
GROUP = 4
GROUPS_PER_LINE = 4
LINE_CHARS = GROUP * GROUPS_PER_LINE
"""Secret characters on a full printed line (its check letter comes after them)."""
_POLY = 0b100101  # x^5 + x^2 + 1, primitive: 2 has order 31, so positions never collide
_BAD_LENGTHS = {1, 3, 6}  # base32 lengths mod 8 that no whole number of bytes produces
_SEPARATORS = re.compile(r"[\s\-/|:.,;()\[\]]+")
MAX_TYPED_CHARS = 4096
"""More typed characters than any secret paper2fa prints (1024 bytes) could need."""


def check_character(line_number: int, chars: str) -> str:
    """The check character of `chars` (base32, no spaces) printed as line `line_number`."""
    c = 0
    for v in [line_number % 32, *(ALPHABET.index(ch) for ch in chars)]:
        c <<= 1
        if c & 0b100000:
            c ^= _POLY
        c ^= v
    return ALPHABET[c]


@dataclass(frozen=True)
class SecretLine:
    number: int
    groups: tuple[str, ...]
    check: str

    @property
    def text(self) -> str:
        return " ".join(self.groups)


def secret_lines(secret_base32: str) -> list[SecretLine]:
    """The printed lines of a base32 secret (no padding), numbered from 1."""
    lines = []
    for number, start in enumerate(range(0, len(secret_base32), LINE_CHARS), start=1):
        chars = secret_base32[start : start + LINE_CHARS]
        groups = tuple(chars[i : i + GROUP] for i in range(0, len(chars), GROUP))
        lines.append(SecretLine(number, groups, check_character(number, chars)))
    return lines


# --- reading typed lines ------------------------------------------------------------------------


class CheckLetters(Enum):
    """Whether the typed lines end with their check letters."""

    INCLUDED = "included"
    LEFT_OUT = "left-out"


@dataclass(frozen=True)
class TypedLines:
    """A secret read back from typed lines."""

    secret: str
    """The base32 secret, without check letters or spaces."""
    lines: int
    """How many printed lines were read."""
    checked: tuple[int, ...]
    """The printed lines whose check letter was typed and matches."""


@dataclass(frozen=True)
class AmbiguousLines:
    """Typed lines that read as two different secrets, with or without check letters."""

    line: int
    """The printed line (the first, if the typed line holds several) that reads both ways."""
    with_letters: int
    """Characters of the key on that typed line if it holds check letters..."""
    letters: int
    """...and how many check letters it then holds."""
    without_letters: int
    """Characters of the key on that typed line if it holds none."""

    @property
    def message(self) -> str:
        letters = "its check letter" if self.letters == 1 else f"{self.letters} check letters"
        return (f"secret line {self.line} can be read two ways: as {self.with_letters} "
                f"characters of the key and {letters}, or as {self.without_letters} characters "
                "of the key")


@dataclass(frozen=True)
class _Typed:
    """One typed line: its characters, where its spaces were, and its first printed line."""

    chars: str
    spaces: frozenset[int]
    first: int


def _typed(raw: str, first: int) -> _Typed:
    text = unicodedata.normalize("NFKC", raw).upper()
    tokens = [t for t in _SEPARATORS.split(text) if t]
    if len(tokens) > 1 and tokens[0].isdigit() and len(tokens[0]) < GROUP:
        # the printed line number, typed too (a short first group is never followed by more)
        number = int(tokens[0])
        if number == first:
            tokens = tokens[1:]
        elif len(tokens[0]) == 1 or set(tokens[0]) - set(ALPHABET):
            raise AccountError(f"secret line {first} is typed as line {number}",
                               hint="type the lines in the order printed, one per line")
    chars = "".join(tokens)
    bad = sorted({ch for ch in chars if ch not in ALPHABET})
    if bad:
        shown = ", ".join(repr(ch) for ch in bad[:3])
        hint = (" (0, 1 and 8 are never used: read them as O, I and B)"
                if set(bad) & set("018") else "")
        raise AccountError(f"secret line {first} has characters that are not base32: "
                           f"{shown}{hint}", hint="compare that line with the paper again")
    spaces, at = set(), 0
    for token in tokens[:-1]:
        at += len(token)
        spaces.add(at)
    return _Typed(chars, frozenset(spaces), first)


def _size(letters: CheckLetters) -> int:
    return LINE_CHARS + 1 if letters is CheckLetters.INCLUDED else LINE_CHARS


def _chunks(n: int, letters: CheckLetters) -> list[int] | None:
    """The lengths of the printed lines held by `n` typed characters, or None if none can."""
    full, rest = divmod(n, _size(letters))
    if n == 0 or (letters is CheckLetters.INCLUDED and rest == 1):
        return None  # nothing, or a check letter alone without any character of the key
    return [_size(letters)] * full + ([rest] if rest else [])


def _key_chars(n: int, letters: CheckLetters) -> int:
    """Characters of the key in `n` typed characters read with or without check letters."""
    return n - len(_chunks(n, letters) or []) if letters is CheckLetters.INCLUDED else n


def _spaced_as_printed(typed: _Typed, letters: CheckLetters) -> bool:
    """Spaces only between groups of four and between lines; check letters apart."""
    if not typed.spaces:
        return True
    allowed: set[int] = set()
    start = 0
    for size in _chunks(len(typed.chars), letters) or []:
        key = size - 1 if letters is CheckLetters.INCLUDED else size
        allowed.update(start + g for g in range(GROUP, key, GROUP))
        if letters is CheckLetters.INCLUDED:
            apart = {start + key, start + size} - {len(typed.chars)}
            if not apart <= typed.spaces:
                return False  # a check letter typed onto a group: not as in its box
            allowed |= apart
        start += size
        allowed.add(start)
    return typed.spaces <= allowed


def _valid_length(n: int) -> bool:
    return n > 0 and n % 8 not in _BAD_LENGTHS


def _other(letters: CheckLetters) -> CheckLetters:
    return (CheckLetters.LEFT_OUT if letters is CheckLetters.INCLUDED
            else CheckLetters.INCLUDED)


def _has(numbers: Sequence[int], n: int) -> str:
    return f"{_named(numbers)} {'has' if len(numbers) == 1 else 'have'} {n} characters"


def _full_lines(typed: Sequence[_Typed], given: CheckLetters | None) -> CheckLetters | None:
    """How the typed lines before the last were typed: each holds one printed line, 17
    characters with its check letter, 16 without, and all alike (or as the person said)."""
    hint = "compare that line with the paper again: a character is missing or one too many"
    votes: dict[CheckLetters, list[int]] = {r: [] for r in CheckLetters}
    for line in typed:
        fits = [r for r in CheckLetters if len(line.chars) == _size(r)]
        if not fits:
            raise AccountError(f"secret line {line.first} has {len(line.chars)} characters: a "
                               "printed line has 16, or 17 with its check letter; type one "
                               "printed line per line", hint=hint)
        votes[fits[0]].append(line.first)
    if given is not None:
        odd = votes[_other(given)]
        if odd:
            their = "with" if given is CheckLetters.INCLUDED else "without"
            raise AccountError(f"secret {_has(odd, _size(_other(given)))} where {their} its "
                               f"check letter (as you said) a printed line has {_size(given)}",
                               hint=hint)
        return given
    if all(votes.values()):
        few, many = sorted(votes.items(), key=lambda vote: len(vote[1]))
        if len(few[1]) == len(many[1]):
            raise AccountError(f"secret {_has(many[1], _size(many[0]))} and "
                               f"{_has(few[1], _size(few[0]))}: a character is missing or one "
                               "too many, or the lines are not all typed alike (with, or "
                               "without, their check letters)", hint=hint)
        raise AccountError(f"secret {_has(few[1], _size(few[0]))} where the other lines have "
                           f"{_size(many[0])}", hint=hint)
    return next((r for r, lines in votes.items() if lines), None)


def _last_lines(typed: _Typed, key_before: int, given: CheckLetters | None,
                wanted: CheckLetters | None) -> CheckLetters | AmbiguousLines:
    """The last typed line: its length and spacing, the length of the whole key, and how the
    lines before it were typed (`wanted`) or what the person said (`given`) decide."""
    n = len(typed.chars)
    why: dict[CheckLetters, str] = {}
    for letters in CheckLetters:
        if _chunks(n, letters) is None:
            why[letters] = (f"secret line {typed.first} has {n} characters: with its check "
                            "letter a line has at least 2")
        elif not _spaced_as_printed(typed, letters):
            why[letters] = (f"secret line {typed.first} is not spaced as printed: groups of "
                            "four and the check letter apart, or no spaces at all")
        elif not _valid_length(key_before + _key_chars(n, letters)):
            why[letters] = (f"secret line {typed.first} has a character missing or one too "
                            "many: the key would have an impossible length")
    ambiguous = AmbiguousLines(typed.first, _key_chars(n, CheckLetters.INCLUDED),
                               len(_chunks(n, CheckLetters.INCLUDED) or []), n)
    if given is not None:
        if given in why:
            raise AccountError(why[given], hint="compare that line with the paper again")
        return given
    if wanted is not None and wanted in why and len(why) == 1:
        slip = ("the check letter left out" if wanted is CheckLetters.INCLUDED else
                "a check letter typed")
        their = "with" if wanted is CheckLetters.INCLUDED else "without"
        raise AccountError(f"secret line {typed.first} does not read like the lines before "
                           f"it, {their} their check letters: a character is missing or one "
                           f"too many, or {slip}",
                           hint="compare that line with the paper again and type every line "
                           "the same way")
    if wanted is CheckLetters.LEFT_OUT and not why and _letters_match(typed):
        # it ends with what is its check letter: a line before it may have lost a character
        return ambiguous
    possible = [r for r in CheckLetters if r not in why and wanted in (None, r)]
    if not possible:
        raise AccountError(why[wanted or CheckLetters.LEFT_OUT],
                           hint="compare that line with the paper again")
    return ambiguous if len(possible) == 2 else possible[0]


def _letters_match(typed: _Typed) -> bool:
    """True when the line, read with check letters, has every one of them right."""
    start, number = 0, typed.first
    for size in _chunks(len(typed.chars), CheckLetters.INCLUDED) or []:
        chunk = typed.chars[start : start + size]
        if check_character(number, chunk[:-1]) != chunk[-1]:
            return False
        start, number = start + size, number + 1
    return True


def read_typed_lines(lines: Sequence[str], check_letters: CheckLetters | None = None,
                     ) -> TypedLines | AmbiguousLines:
    """The secret in lines typed from a page: one printed line per typed line (the last typed
    line may hold all the rest), each with or without its check letter, spaced as printed or
    not at all, the line number in front or not. `check_letters` is what the person said.

    Raises AccountError naming the line that is wrong (never repeating the secret); returns
    AmbiguousLines when the input reads as two different secrets.
    """
    raw = [line for line in lines if line.strip()]
    if not raw:
        raise AccountError("no secret line was typed")
    if sum(len(line) for line in raw) > MAX_TYPED_CHARS:
        raise AccountError("too much was typed for one secret key")
    typed = [_typed(text, number) for number, text in enumerate(raw, start=1)]
    wanted = _full_lines(typed[:-1], check_letters)
    key_before = sum(_key_chars(len(t.chars), wanted) for t in typed[:-1]) if wanted else 0
    reading = _last_lines(typed[-1], key_before, check_letters, wanted)
    if isinstance(reading, AmbiguousLines):
        return reading
    return _confirmed(typed, reading)


def _confirmed(typed: Sequence[_Typed], reading: CheckLetters) -> TypedLines:
    """The key, once every typed check letter matches its line."""
    key: list[str] = []
    checked: list[int] = []
    wrong: list[int] = []
    number = 0
    for line in typed:
        start = 0
        for size in _chunks(len(line.chars), reading) or []:
            number += 1
            chunk = line.chars[start : start + size]
            start += size
            if reading is CheckLetters.LEFT_OUT:
                key.append(chunk)
                continue
            key.append(chunk[:-1])
            (checked if check_character(number, chunk[:-1]) == chunk[-1] else wrong).append(
                number)
    if wrong:
        has = "has a typing mistake (its check letter does not" if len(wrong) == 1 else (
            "have typing mistakes (their check letters do not")
        raise AccountError(f"secret {_named(wrong)} {has} match)",
                           hint="compare that line with the paper again (0, 1 and 8 are never "
                           "used: read O, I and B)")
    secret = "".join(key)
    if secret_to_base32(secret_from_base32(secret)) != secret:
        raise AccountError(f"secret line {number} has a typing mistake: its last character "
                           "cannot end a key", hint="compare that line with the paper again")
    return TypedLines(secret, number, tuple(checked))


def _named(numbers: Sequence[int]) -> str:
    named = [f"line {n}" for n in numbers]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + f" and {named[-1]}"


def read_secret_lines(lines: list[str]) -> str:
    """The base32 secret from typed lines (see `read_typed_lines`); AccountError names the
    first wrong line, and says so when the lines can be read two ways."""
    result = read_typed_lines(lines)
    if isinstance(result, AmbiguousLines):
        raise AccountError(result.message, hint="type the line as printed, with its spaces "
                           "(groups of four, the check letter apart)")
    return result.secret


# --- the check line -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckLine:
    """The data of a printed check line: `CODE @ N`."""

    code: str
    at: int | None
    """After the @: the UNIX time of a time-based code, the counter of a counter-based one;
    None when only the code was typed."""

    @property
    def text(self) -> str:
        """The data part as printed: `644494 @ 1768435200`."""
        return self.code if self.at is None else f"{self.code} @ {self.at}"


def check_line(account: Account, at: int) -> CheckLine:
    """The check line of an account: its code at reference time `at` (HOTP: at counter 0)."""
    check = otp.check_code(account, at)
    return CheckLine(check.code, check.at)


_CODE = (r"(?<![0-9A-Z])(?P<code>[0-9]{4,10}|[" + C.STEAM_ALPHABET + "]{"
         + str(C.STEAM_DIGITS) + r"})(?![0-9A-Z])")
_CHECK_FORMS = (
    re.compile(_CODE + r"\s*@\s*(?P<at>\d{1,20})(?!\d)"),
    # what pages printed before the @ form say, and what their restore page told people to type
    re.compile(_CODE + r"\s+AT\s+COUNTER\s+(?P<at>\d{1,20})(?!\d)"),
    re.compile(_CODE + r"\s+AT\s+.*\(UNIX TIME\s+(?P<at>\d{1,20})\)"),
    re.compile(_CODE + r"\s+AT\s+(?P<at>\d{1,20})\s*$"),
)


def read_check_line(text: str) -> CheckLine:
    """The check line as a person typed it: `644494 @ 1768435200` with or without the words
    around it (in any language), an older page's wording, or only the code."""
    line = unicodedata.normalize("NFKC", text).upper().strip()
    if len(line) > 200:
        raise AccountError("the check line is too long")
    for form in _CHECK_FORMS:
        found = form.search(line)
        if found:
            return CheckLine(found["code"], int(found["at"]))
    alone = re.fullmatch(r"(?:[^:]*:)?\s*" + _CODE, line)
    if alone:
        return CheckLine(alone["code"], None)
    raise AccountError("the check line is not the check code and, after @, the number printed "
                       "with it (like 644494 @ 1768435200)",
                       hint="type the check line as printed for the account")
