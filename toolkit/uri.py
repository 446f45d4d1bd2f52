"""`otpauth://` Key URIs: parse what real apps and sites produce, build what every app reads.

Key URI Format (Google Authenticator wiki) with the pitfalls met in the wild: lowercase or padded
or spaced base32, issuer in the label and/or the `issuer=` parameter, `%3A` for the colon, `+` in
labels, lowercase algorithm names, `period` on HOTP URIs, and Steam as `otpauth://steam/`,
`steam://SECRET` or `encoder=steam`.

Numbers are read strictly (ASCII digits only, no sign, space, `_` or leading zero) and a
parameter given twice is refused: a URI that two apps could read differently is an error here.
The label and Steam forms `build_otpauth` writes are chosen from how real apps parse them
(docs/commands/export.md, "How apps read the otpauth URIs").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Literal
from urllib.parse import quote, unquote, unquote_plus, urlsplit

from toolkit import constants as C
from toolkit.display import quoted
from toolkit.errors import AccountError
from toolkit.model import Account, secret_from_base32

KNOWN_PARAMETERS = ("secret", "issuer", "algorithm", "digits", "period", "counter", "encoder")
"""The parameters read from a URI; each may appear once."""

MAX_NUMBER_DIGITS = 19
"""Longest number accepted in a URI parameter: 2**63 - 1 (the largest HOTP counter) has 19."""

STEAM_APPS = ("Aegis", "2FAS", "andOTP")
"""Apps that read the Steam URIs paper2fa writes (`otpauth://steam/...&encoder=steam`); pyotp
does too. Stratum and the npm `otpauth` parser refuse them rather than show wrong codes."""

_NUMBER = re.compile(r"(?:0|[1-9][0-9]*)", re.ASCII)


def _query(raw: str) -> dict[str, str]:
    """Query parameters with keys lowercased; `+` means space as in forms.

    A known parameter given twice is refused (apps disagree on which one wins); unknown ones
    are kept (the first) and otherwise ignored.
    """
    params: dict[str, str] = {}
    for part in raw.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        name = unquote_plus(key).strip().lower()
        if name in params:
            if name in KNOWN_PARAMETERS:
                raise AccountError(f"the URI gives the {name}= parameter more than once")
            continue
        params[name] = unquote_plus(value)
    return params


def _int_param(params: dict[str, str], key: str, default: int) -> int:
    """A whole number written plainly: ASCII digits, no sign, space, `_` or leading zero."""
    value = params.get(key, "")
    if value == "":
        return default
    if not _NUMBER.fullmatch(value):
        raise AccountError(f"the URI parameter {key}= is not a plain whole number "
                           "(only the digits 0-9, without sign, spaces or leading zeros)")
    if len(value) > MAX_NUMBER_DIGITS:
        raise AccountError(f"the URI parameter {key}= is too large")
    return int(value)


def _split_label(raw: str, issuer_param: str) -> tuple[str, str]:
    """Split a raw (still percent-encoded) label into issuer prefix and account name.

    The separator is a literal ':' or, failing that, '%3A'; splitting before decoding keeps an
    encoded colon inside the issuer ("Corp%3A EU:alice") where it belongs. When the issuer=
    parameter is given and the decoded label starts with it and a colon, that prefix wins
    (how paper2fa wrote issuers with a colon before: "A%3AB:alice" with issuer=A:B).
    """
    decoded = unquote(raw)
    if raw.startswith(":"):  # an empty issuer prefix: the rest, colons and all, is the name
        return "", decoded[1:]
    if issuer_param and decoded.startswith(issuer_param + ":"):
        return issuer_param, decoded[len(issuer_param) + 1 :]
    if ":" in raw:
        prefix, _, rest = raw.partition(":")
        return unquote(prefix), unquote(rest)
    lowered = raw.lower()
    if "%3a" in lowered:
        cut = lowered.index("%3a")
        return unquote(raw[:cut]), unquote(raw[cut + 3 :])
    return "", decoded


IssuerSource = Literal["label", "parameter"]
"""Where a URI names its issuer: the label's prefix (`Issuer:name`) or the `issuer=` parameter."""


@dataclass(frozen=True)
class IssuerMismatch:
    """A URI whose label prefix names one issuer and whose `issuer=` parameter another.

    `kept` says which one the account got (the parameter, as the Key URI Format advises); the
    other is not kept anywhere, so the importer reports it.
    """

    label_issuer: str
    parameter_issuer: str
    name: str
    kept: IssuerSource = "parameter"

    @property
    def kept_issuer(self) -> str:
        return self.parameter_issuer if self.kept == "parameter" else self.label_issuer

    @property
    def dropped_issuer(self) -> str:
        return self.label_issuer if self.kept == "parameter" else self.parameter_issuer


@dataclass(frozen=True)
class OtpauthReading:
    """One URI read: the account, and how its label and parameters disagreed (if they did)."""

    account: Account
    issuer_mismatch: IssuerMismatch | None = None


def parse_otpauth(uri: str) -> Account:
    """Parse one otpauth:// (or steam://) URI into an Account; AccountError if it is broken."""
    return read_otpauth(uri).account


def read_otpauth(uri: str) -> OtpauthReading:
    """Parse one otpauth:// (or steam://) URI (`parse_otpauth`), also saying whether the label
    named another issuer than the `issuer=` parameter (which wins)."""
    text = uri.strip()
    lowered = text.lower()
    if lowered.startswith("steam://"):
        return OtpauthReading(Account(issuer="Steam", name="", secret=secret_from_base32(text[8:]),
                                      type="steam"))
    if not lowered.startswith("otpauth://"):
        raise AccountError("not an otpauth:// URI")
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. "otpauth://[totp/..." read as an unclosed IPv6 address
        raise AccountError("the otpauth:// URI is malformed") from None
    otp_type = parts.netloc.lower()
    if otp_type not in C.OTP_TYPES:
        raise AccountError(f"unsupported OTP type {quoted(parts.netloc, 20)} in URI")
    params = _query(parts.query)
    if "secret" not in params:
        raise AccountError("the URI has no secret= parameter")
    secret = secret_from_base32(params["secret"])
    issuer_param = params.get("issuer", "").strip()
    label_issuer, name = _split_label(parts.path.lstrip("/"), issuer_param)
    issuer = issuer_param or label_issuer
    label_issuer = label_issuer.strip()
    mismatch = (IssuerMismatch(label_issuer, issuer_param, name.strip())
                if issuer_param and label_issuer and label_issuer != issuer_param else None)
    digits = _int_param(params, "digits", C.DEFAULT_DIGITS)
    period = _int_param(params, "period", C.DEFAULT_PERIOD)
    counter = _int_param(params, "counter", 0)
    if params.get("encoder", "").strip().lower() == "steam":
        otp_type = "steam"
    if otp_type == "steam":
        if "digits" in params and params["digits"] and digits != C.STEAM_DIGITS:
            raise AccountError(f"a Steam URI with digits={digits}: Steam codes have "
                               f"{C.STEAM_DIGITS} characters")
        return OtpauthReading(Account(issuer=issuer, name=name.strip(), secret=secret,
                                      type="steam", period=period), mismatch)
    return OtpauthReading(Account(
        issuer=issuer,
        name=name.strip(),
        secret=secret,
        type=otp_type,
        algorithm=params.get("algorithm", "").strip() or C.DEFAULT_ALGORITHM,
        digits=digits,
        period=period if otp_type == "totp" else C.DEFAULT_PERIOD,
        counter=counter if otp_type == "hotp" else 0,
    ), mismatch)


def _label(account: Account) -> str:
    """The label, in the form most parsers read back as (issuer, name): docs/commands/export.md.

    `Issuer:name` when the issuer has no colon; otherwise (and when the name is empty) only the
    name, the issuer= parameter carrying the issuer; a name with a colon and no usable issuer
    prefix gets an empty one (`:a:b`), which keeps its colon inside the name.
    """
    name_q = quote(account.name, safe="@")
    if not account.name:
        return ""
    if account.issuer and ":" not in account.issuer:
        return f"{quote(account.issuer, safe='')}:{name_q}"
    if ":" in account.name:
        return f":{name_q}"
    return name_q


def build_otpauth(account: Account) -> str:
    """The standard Key URI for an account (the QR text any authenticator app scans).

    Steam accounts are `otpauth://steam/...&digits=5&encoder=steam`: Aegis, 2FAS and andOTP
    read the type, pyotp the encoder, and apps without Steam refuse it instead of showing
    wrong 6-digit codes. `parse_otpauth(build_otpauth(a)) == a` for every account.
    """
    params = [f"secret={account.secret_base32}"]
    if account.issuer:
        params.append(f"issuer={quote(account.issuer, safe='')}")
    if account.type == "steam":
        params.append(f"digits={account.digits}")
        if account.period != C.DEFAULT_PERIOD:
            params.append(f"period={account.period}")
        params.append("encoder=steam")
    else:
        params.append(f"algorithm={account.algorithm}")
        params.append(f"digits={account.digits}")
        if account.type == "hotp":
            params.append(f"counter={account.counter}")
        else:
            params.append(f"period={account.period}")
    return f"otpauth://{account.type}/{_label(account)}?{'&'.join(params)}"


class LabelProblem(Enum):
    """Why apps may not show an account's otpauth URI as it is (its label, `build_otpauth`).

    The values name the texts that say it: the sheets' `label_<value>` keys in
    templates/*/common.toml, and LABEL_PROBLEM_TEXTS (English, for the terminal).
    """

    COLON_IN_BOTH = "colon_in_both"
    """Issuer and name both hold a colon: no label form keeps both; strict apps refuse it."""
    COLON_NO_ISSUER = "colon_no_issuer"
    """A name with a colon and no issuer: some apps take the part before it as the issuer."""
    COLON_IN_NAME = "colon_in_name"
    """A name with a colon: some apps cut it or move a part into the issuer."""
    EMPTY_NAME = "empty_name"
    """No account name: the label is empty, which some apps refuse."""


LABEL_PROBLEM_TEXTS: dict[LabelProblem, str] = {
    LabelProblem.COLON_IN_BOTH: "both the issuer and the name contain a colon: apps that "
    "follow the Key URI format may refuse the code or split the name at its colon",
    LabelProblem.COLON_NO_ISSUER: "the name contains a colon and there is no issuer: some apps "
    "show the part before the colon as the issuer",
    LabelProblem.COLON_IN_NAME: "the name contains a colon: Aegis, Stratum and andOTP may show "
    "it cut or moved into the issuer",
    LabelProblem.EMPTY_NAME: "the account has no name: some apps refuse a code without one, "
    "others show an empty or made-up name",
}
"""What each label problem means to a person, in English (the terminal's language)."""


def label_problem(account: Account) -> LabelProblem | None:
    """How apps that follow the Key URI Format strictly misread this account's label, if so.

    The format allows no colon in the issuer or the name, and expects a name; `build_otpauth`
    writes every other case so that they read it right. The one owner of "is this account's
    URI faithful": the otpauth export, the sheets and the terminal all ask it.
    """
    if ":" in account.name and account.issuer and ":" in account.issuer:
        return LabelProblem.COLON_IN_BOTH
    if ":" in account.name and not account.issuer:
        return LabelProblem.COLON_NO_ISSUER
    if ":" in account.name:
        return LabelProblem.COLON_IN_NAME
    if not account.name.strip():
        return LabelProblem.EMPTY_NAME
    return None


def label_problems(account: Account) -> list[str]:
    """`label_problem` in English words (none, or one sentence)."""
    problem = label_problem(account)
    return [] if problem is None else [LABEL_PROBLEM_TEXTS[problem]]


def ignored_by_simple_apps(account: Account) -> list[str]:
    """Settings that Google and Microsoft Authenticator ignore when scanning this account's QR.

    Empty when the account uses the defaults (SHA1, 6 digits, 30 s) those apps assume.
    """
    problems: list[str] = []
    if account.type == "steam":
        return [f"Steam codes: needs a Steam-capable app ({', '.join(STEAM_APPS)})"]
    if account.algorithm != C.DEFAULT_ALGORITHM:
        problems.append(f"algorithm {account.algorithm}")
    if account.digits != C.DEFAULT_DIGITS:
        problems.append(f"{account.digits} digits")
    if account.type == "totp" and account.period != C.DEFAULT_PERIOD:
        problems.append(f"period {account.period} s")
    return problems
