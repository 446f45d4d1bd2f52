"""What people type from paper: shares word by word (the one entry loop of `restore --words`
and `combine`), words files (one share per line), and secrets typed from a home-safe page.

Each word is checked as it is typed, each share's checksum at its end, and, once a sealed
vault is known, how the share fits what was read (`sets.share_fit`, a pure function of the
state): a share that cannot help is asked for again at once. A words file's lines are recorded
as read, whatever was read before them (the backups they belong to are judged once, with
everything else, in `sets`); lines that do not read as a share are kept as unusable inputs
(named in the result), never silently dropped.

Typed secrets: the one owner of this path for `paper2fa check`, `paper2fa add --at` and
`paper2fa restore --typed-secrets`. The typed lines are read by `toolkit.secret_lines` (each
line's check letter, when typed, must match), then the secret and the settings must give the
printed check code. Also the `--typed-secrets` file format: blocks of `field: value` lines
(docs/restore.md).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from toolkit import envelope, fsio, otp, sharing, words
from toolkit.display import quoted
from toolkit.errors import (
    AccountError,
    FormatError,
    NotEnoughError,
    Paper2faError,
    ShareError,
    Source,
)
from toolkit.looks import described
from toolkit.model import Account, secret_from_base32
from toolkit.recovery.sets import Fit, share_fit
from toolkit.recovery.state import RecoveryState
from toolkit.recovery.wording import TEXTS
from toolkit.secret_lines import (
    AmbiguousLines,
    CheckLetters,
    CheckLine,
    TypedLines,
    read_check_line,
    read_typed_lines,
)
from toolkit.texts import DEFAULT_LANGUAGE, fill, load_texts

MAX_WORDS_FILE_LINES = 64
"""A words file holds at most 16 shares; far more lines means the wrong file was given."""

MAX_WORDS_FILE_BYTES = 1024 * 1024
"""A words file of 64 lines of 37 words is 20 KB; a megabyte is surely the wrong file."""

MAX_WORDS_LINE = 2000
"""Characters of one share line (comments left out): 37 words of up to 8 letters, numbered,
take under 500; a longer line is not a share's words."""

SLIP39_WORDS = 33
"""Words of a SLIP-39 share of a 256-bit secret (what paper2fa splits)."""

Ask = Callable[[str], str]
Tell = Callable[[str], None]


def words_file_lines(path: str | os.PathLike[str]) -> list[tuple[Source, str]]:
    """(where, words) for each share line of a words file; blank lines and # comments skipped."""
    data = fsio.read_input(path, limit=MAX_WORDS_FILE_BYTES)
    whole = Source(file=str(path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ShareError("not a text file of share words", source=whole,
                         hint="give one share per line, its words separated by spaces") from None
    lines: list[tuple[Source, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        body = line.split("#", 1)[0].strip()
        if not body:
            continue
        if len(body) > MAX_WORDS_LINE:
            raise ShareError(f"this line is {len(body):,} characters long: longer than any "
                             "share's words, so this is not a words file",
                             source=Source(file=str(path), line=number),
                             hint="give one share per line, its words separated by spaces")
        if len(lines) == MAX_WORDS_FILE_LINES:
            raise ShareError(f"more than {MAX_WORDS_FILE_LINES} lines of words: this is not a "
                             "words file", source=whole, hint="give one share per line")
        lines.append((Source(file=str(path), line=number), body))
    if not lines:
        raise ShareError("no share words in it", source=whole, hint="give one share per line")
    return lines


def add_lines(state: RecoveryState, lines: list[tuple[Source, str]]) -> int:
    """Each (where, words) as a share read; lines that do not read as a share (a typing
    mistake) are kept in `state.unusable`, named in the result. Whether a share belongs to the
    backup restored is judged with everything else read (`toolkit.recovery.sets`), so the
    order of the inputs does not matter. Returns how many shares were added."""
    added = 0
    for source, text in lines:
        label = str(source)
        try:
            state.add_share_text(text, label)
        except (ShareError, FormatError) as exc:  # the line is the whole place: its source
            state.add_unusable(label, exc.with_source(source))
        else:
            added += 1
    return added


def _word_count(state: RecoveryState) -> int | None:
    """Words per share, when the sealed vaults read tell the scheme; None: not known yet."""
    schemes = {d.header.scheme for d in state.documents() if d.header is not None
               and d.header.scheme != envelope.SCHEME_PASSPHRASE}
    schemes |= {r.share.scheme for r in state.share_reads()}
    if schemes == {envelope.SCHEME_PYSHAMIR}:
        return sharing.WORD_COUNT
    if schemes == {envelope.SCHEME_SLIP39}:
        return SLIP39_WORDS
    return None


def _is_slip39(typed: list[str]) -> bool:
    try:
        sharing.Slip39Share.from_words(typed)
    except Paper2faError:
        return False
    return True


def type_one_share(ask: Ask, tell: Tell, count: int | None,
                   lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """The words of one share, each checked as it is typed (EOFError when typing ends).

    With `count` None, a share ends at 33 words when they are a valid SLIP-39 share, else at
    37 (a paper2fa share)."""
    texts = load_texts(TEXTS, lang)["typing"]
    typed: list[str] = []
    while True:
        word_label = fill(texts["word"], number=len(typed) + 1)
        line = ask(f"{word_label}: ")
        for word in words.split_words(line, words.MAX_TYPED_WORDS):
            try:
                words.word_index(word, fill(texts["word"], number=len(typed) + 1))
            except ShareError as exc:
                tell(fill(texts["word_again"], detail=exc.message))
                break
            typed.append(word)
            if count is not None and len(typed) == count:
                return typed
            if count is None and len(typed) == SLIP39_WORDS and _is_slip39(typed):
                return typed
            if len(typed) == sharing.WORD_COUNT:
                return typed


def enter_shares(state: RecoveryState, ask: Ask, tell: Tell, done: Callable[[], bool],
                 needed: Callable[[], int], lang: str = DEFAULT_LANGUAGE) -> None:
    """Ask for shares until `done()`; each is checked as it comes (`share_fit`, a pure
    function of what was read), and one that cannot help (a typing mistake, another backup, a
    sheet typed already) is not kept and is asked for again; what is said is in `lang`
    (templates/<lang>/restore_messages.toml [typing]). NotEnoughError when the typing ends
    first (end of input)."""
    texts = load_texts(TEXTS, lang)["typing"]
    typed_count = 0
    while not done():
        label = fill(texts["label"], number=typed_count + 1)
        have = len([r for r in state.share_reads() if r.typed or r.sources])
        tell(fill(texts["ask"], label=label, have=have, needed=needed()))
        try:
            typed = type_one_share(ask, tell, _word_count(state), lang)
        except EOFError:
            raise NotEnoughError(fill(texts["ended"], count=typed_count)) from None
        try:
            share = sharing.share_from_text(" ".join(typed))
        except Paper2faError as exc:
            tell(fill(texts["again"], label=label, detail=exc.message))
            continue
        fit = share_fit(state, share)
        if fit.verdict in (Fit.READ_ALREADY, Fit.SHEET_READ_ALREADY):
            tell(fill(texts["read_already"], label=label))
            continue
        if fit.verdict in (Fit.REJECTED, Fit.OTHER_BACKUP):
            reason = fit.problem.text(lang) if fit.problem is not None else ""
            tell(fill(texts["cannot_use"], label=label, reason=reason))
            continue
        state.add_share(share, label, typed=True)
        typed_count += 1
        tell(fill(texts["correct"], label=label))


# --- secrets typed from a home-safe page ----------------------------------------


TYPED_FIELDS = ("issuer", "name", "secret", "check", "type", "algorithm", "digits", "period",
                "counter", "check-letters")


@dataclass(frozen=True)
class Settings:
    """The settings printed beside a secret (defaults: TOTP, SHA1, 6 digits, 30 seconds)."""

    type: str = "totp"
    algorithm: str = "SHA1"
    digits: int = 6
    period: int = 30
    counter: int = 0

    def account(self, secret: bytes, issuer: str = "", name: str = "") -> Account:
        return Account(issuer=issuer, name=name, secret=secret, type=self.type,
                       algorithm=self.algorithm, digits=self.digits, period=self.period,
                       counter=self.counter)


@dataclass(frozen=True)
class TypedCheck:
    """A typed secret that passed every check it could be given."""

    account: Account
    lines: TypedLines
    check: CheckLine | None
    """The check line the code was compared with; None when none was given."""

    @property
    def all_letters_checked(self) -> bool:
        return len(self.lines.checked) == self.lines.lines


def compare_check_line(account: Account, check: CheckLine, all_letters_checked: bool) -> None:
    """AccountError unless `account` gives the printed check code (never naming the secret)."""
    at = check.at
    if at is None:
        if account.type != "hotp":
            raise AccountError("the check line needs the number printed after the @: the UNIX "
                               "time of the check code",
                               hint="type the check line as printed, like 644494 @ 1768435200")
        at = 0
    code = (otp.hotp(account.secret, at, account.digits, account.algorithm)
            if account.type == "hotp" else otp.code_at(account, at))
    if otp.codes_equal(code, check.code):
        return
    typed = len(otp.normalise_code(check.code))
    detail = ""
    if account.type != "steam" and typed != account.digits:
        detail = f" (the printed code has {typed} digits, these settings give {account.digits})"
    hint = ("every secret line's check letter matches: compare the settings printed beside the "
            "key and the check line with the paper again" if all_letters_checked else
            "compare the secret lines and the settings printed beside the key with the paper "
            "again")
    raise AccountError("the typed secret does not give the printed check code with these "
                       f"settings{detail}", hint=hint)


def typed_secret(lines: Sequence[str], check_letters: CheckLetters | None = None,
                 ) -> tuple[bytes, TypedLines] | AmbiguousLines:
    """The secret in typed lines, each line's check letter (when typed) checked."""
    read = read_typed_lines(lines, check_letters)
    if isinstance(read, AmbiguousLines):
        return read
    return secret_from_base32(read.secret), read


def check_typed(lines: Sequence[str], settings: Settings | None = None, check: str | None = None,
                *, check_letters: CheckLetters | None = None, issuer: str = "",
                name: str = "") -> TypedCheck | AmbiguousLines:
    """Read typed secret lines and compare them with the printed check line, if given.

    Raises AccountError naming the wrong line, or saying that secret and settings do not give
    the check code; returns AmbiguousLines when the lines can be read two ways (ask the person).
    """
    typed = typed_secret(lines, check_letters)
    if isinstance(typed, AmbiguousLines):
        return typed
    secret, read = typed
    account = (settings or Settings()).account(secret, issuer, name)
    line = read_check_line(check) if check is not None and check.strip() else None
    result = TypedCheck(account, read, line)
    if line is not None:
        compare_check_line(account, line, result.all_letters_checked)
    return result


def _check_letters(text: str | None) -> CheckLetters | None:
    if text is None or not text.strip():
        return None
    try:
        return CheckLetters(text.strip().lower())
    except ValueError:
        raise AccountError(f"check-letters is {quoted(text.strip(), 20)}: write 'included' "
                           "or 'left-out'") from None


def typed_account(fields: dict[str, str], label: str = "typed secret", *,
                  check_letters: CheckLetters | None = None) -> Account:
    """An account typed from the home-safe sheet, its secret checked twice: each line's check
    letter (when typed), then the printed check code (the code at the printed reference time,
    or at counter 0 for HOTP). AccountError says which check failed, never the secret."""
    source = Source(label=label)
    unknown = sorted(set(fields) - set(TYPED_FIELDS))
    if unknown:
        raise AccountError(f"unknown field {_field_name(unknown[0])} (known: "
                           f"{', '.join(TYPED_FIELDS)})", source=source)
    for needed in ("secret", "check"):
        if not fields.get(needed, "").strip():
            raise AccountError(f"the {needed} line is missing", source=source)
    try:
        number = {k: int(fields[k]) for k in ("digits", "period", "counter") if k in fields}
    except ValueError:
        raise AccountError("digits, period and counter must be numbers",
                           source=source) from None
    try:
        settings = Settings(type=fields.get("type", "totp"),
                            algorithm=fields.get("algorithm", "SHA1"),
                            digits=number.get("digits", 6), period=number.get("period", 30),
                            counter=number.get("counter", 0))
        result = check_typed(fields["secret"].splitlines(), settings, fields["check"],
                             check_letters=check_letters or _check_letters(
                                 fields.get("check-letters")),
                             issuer=fields.get("issuer", ""), name=fields.get("name", ""))
    except AccountError as exc:
        raise exc.opened_at(source) from None
    if isinstance(result, AmbiguousLines):
        raise AccountError(result.message, source=source,
                           hint="type that line as printed, with its spaces (groups of four, "
                           "the check letter apart), or add 'check-letters: included' (or "
                           "'left-out') to this block")
    return result.account


FIELD_HINT = ("write each line as 'field: value' (a secret printed on several lines: "
              "'secret:' and the first line, then the others indented); see docs/restore.md")

FIELD_NAME = re.compile(r"[a-z][a-z-]{0,13}")
"""A field name that is quoted: a short lowercase word, no longer than the longest known field
(anything else is described, not quoted: a secret typed before a colon is not repeated)."""


def _field_name(name: str) -> str:
    return f"'{name}'" if FIELD_NAME.fullmatch(name) else f"that {described(name)}"


MAX_TYPED_SECRETS_BYTES = 1024 * 1024
"""A typed-secrets file of a thousand accounts is under 200 KB; a megabyte is the wrong file."""


def typed_secrets_file(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """The blocks of a `--typed-secrets` file (`parse_typed_secrets`): the one reader of it, for
    `paper2fa restore --typed-secrets` and `paper2fa check --file`. FormatError if it holds none."""
    text = fsio.read_input(path, limit=MAX_TYPED_SECRETS_BYTES).decode("utf-8-sig",
                                                                      errors="replace")
    try:
        blocks = parse_typed_secrets(text)
    except Paper2faError as exc:
        raise exc.opened_at(Source(file=str(path))) from None
    if not blocks:
        raise FormatError("no typed secret in it", source=Source(file=str(path)),
                          hint="give blocks of issuer, name, secret and check lines, as the "
                          "home-safe sheet prints them")
    return blocks


def parse_typed_secrets(text: str) -> list[dict[str, str]]:
    """Blocks of `field: value` lines separated by blank lines; a `secret:` may continue on the
    following indented lines (one printed secret line each). # starts a comment."""
    blocks: list[dict[str, str]] = []
    current: dict[str, str] = {}
    last = ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            if current:
                blocks.append(current)
            current, last = {}, ""
            continue
        if raw[:1].isspace() and last == "secret":
            current["secret"] += "\n" + line.strip()
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise FormatError(f"this line {described(line)}, not 'field: value'",
                              hint=FIELD_HINT, source=Source(line=number))
        last = key.strip().lower()
        current[last] = value.strip()
    if current:
        blocks.append(current)
    return blocks
