"""Typed secrets from the home-safe sheet (temporary home: moving to toolkit.recovery.typed)."""

from __future__ import annotations

from toolkit import otp
from toolkit.errors import AccountError, FormatError
from toolkit.model import Account, secret_from_base32
from toolkit.secret_lines import read_secret_lines

TYPED_FIELDS = ("issuer", "name", "secret", "check", "type", "algorithm", "digits", "period",
                "counter")


def typed_account(fields: dict[str, str], label: str = "typed secret") -> Account:
    """An account typed from the home-safe sheet, its secret checked twice: each line's check
    character, then the printed check code (the code at the printed reference time, or at
    counter 0 for HOTP). AccountError says which check failed, never the secret."""
    unknown = sorted(set(fields) - set(TYPED_FIELDS))
    if unknown:
        raise AccountError(f"{label}: unknown field {unknown[0]!r} (known: "
                           f"{', '.join(TYPED_FIELDS)})")
    for needed in ("secret", "check"):
        if not fields.get(needed, "").strip():
            raise AccountError(f"{label}: the {needed} line is missing")
    lines = [ln for ln in fields["secret"].splitlines() if ln.strip()]
    try:
        secret = secret_from_base32(read_secret_lines(lines))
        number = {k: int(fields[k]) for k in ("digits", "period", "counter") if k in fields}
    except AccountError as exc:
        raise AccountError(f"{label}: {exc.message}", exc.hint) from None
    except ValueError:
        raise AccountError(f"{label}: digits, period and counter must be numbers") from None
    account = Account(issuer=fields.get("issuer", ""), name=fields.get("name", ""),
                      secret=secret, type=fields.get("type", "totp"),
                      algorithm=fields.get("algorithm", "SHA1"),
                      digits=number.get("digits", 6), period=number.get("period", 30),
                      counter=number.get("counter", 0))
    code, _, when = fields["check"].partition(" at ")
    at = 0
    if account.type != "hotp":
        digits = "".join(ch for ch in when.split("(")[-1] if ch.isdigit())
        if not digits:
            raise AccountError(f"{label}: the check line needs the UNIX time printed with the "
                               "code, e.g. 'check: 123456 at 1768435200'")
        at = int(digits)
    if not otp.codes_equal(otp.check_code(account, at).code, code):
        raise AccountError(f"{label}: the typed secret does not give the printed check code",
                           hint="compare the secret and the settings with the paper again")
    return account


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
