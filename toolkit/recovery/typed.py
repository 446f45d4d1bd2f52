"""Secrets typed by hand from a home-safe page, checked before anything uses them.

The one owner of this path for `paper2fa check`, `paper2fa add --at` and `paper2fa restore
--typed-secrets`: the typed lines are read by `toolkit.secret_lines` (each line's check letter,
when typed, must match), then the secret and the settings must give the printed check code.
Also the `--typed-secrets` file format: blocks of `field: value` lines (docs/restore.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from toolkit import otp
from toolkit.errors import AccountError, FormatError
from toolkit.model import Account, secret_from_base32
from toolkit.secret_lines import (
    AmbiguousLines,
    CheckLetters,
    CheckLine,
    TypedLines,
    read_check_line,
    read_typed_lines,
)

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
        raise AccountError(f"check-letters is {text.strip()!r}: write 'included' or "
                           "'left-out'") from None


def typed_account(fields: dict[str, str], label: str = "typed secret", *,
                  check_letters: CheckLetters | None = None) -> Account:
    """An account typed from the home-safe sheet, its secret checked twice: each line's check
    letter (when typed), then the printed check code (the code at the printed reference time,
    or at counter 0 for HOTP). AccountError says which check failed, never the secret."""
    unknown = sorted(set(fields) - set(TYPED_FIELDS))
    if unknown:
        raise AccountError(f"{label}: unknown field {unknown[0]!r} (known: "
                           f"{', '.join(TYPED_FIELDS)})")
    for needed in ("secret", "check"):
        if not fields.get(needed, "").strip():
            raise AccountError(f"{label}: the {needed} line is missing")
    try:
        number = {k: int(fields[k]) for k in ("digits", "period", "counter") if k in fields}
    except ValueError:
        raise AccountError(f"{label}: digits, period and counter must be numbers") from None
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
        raise AccountError(f"{label}: {exc.message}", exc.hint) from None
    if isinstance(result, AmbiguousLines):
        raise AccountError(f"{label}: {result.message}",
                           hint="type that line as printed, with its spaces (groups of four, "
                           "the check letter apart), or add 'check-letters: included' (or "
                           "'left-out') to this block")
    return result.account


def parse_typed_secrets(text: str) -> list[dict[str, str]]:
    """Blocks of `field: value` lines separated by blank lines; a `secret:` may continue on the
    following indented lines (one printed secret line each). # starts a comment."""
    blocks: list[dict[str, str]] = []
    current: dict[str, str] = {}
    last = ""
    for raw in text.splitlines():
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
            raise FormatError(f"typed secrets: {line.strip()[:20]!r} is not 'field: value'")
        last = key.strip().lower()
        current[last] = value.strip()
    if current:
        blocks.append(current)
    return blocks
