"""`otpauth://` Key URIs: parse what real apps and sites produce, build what every app reads.

Key URI Format (Google Authenticator wiki) with the pitfalls met in the wild: lowercase or padded
or spaced base32, issuer in the label and/or the `issuer=` parameter, `%3A` for the colon, `+` in
labels, lowercase algorithm names, `period` on HOTP URIs, and Steam as `otpauth://steam/`,
`steam://SECRET` or `encoder=steam`.
"""

from __future__ import annotations

from urllib.parse import quote, unquote, unquote_plus, urlsplit

from toolkit import constants as C
from toolkit.errors import AccountError
from toolkit.model import Account, secret_from_base32


def _query(raw: str) -> dict[str, str]:
    """Query parameters, first value wins, keys lowercased; `+` means space as in forms."""
    params: dict[str, str] = {}
    for part in raw.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        params.setdefault(unquote_plus(key).strip().lower(), unquote_plus(value).strip())
    return params


def _int_param(params: dict[str, str], key: str, default: int) -> int:
    value = params.get(key, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise AccountError(f"the URI parameter {key}= is not a whole number") from None


def _split_label(raw: str, issuer_param: str) -> tuple[str, str]:
    """Split a raw (still percent-encoded) label into issuer prefix and account name.

    The separator is a literal ':' or, failing that, '%3A'; splitting before decoding keeps an
    encoded colon inside the issuer ("Corp%3A EU:alice") where it belongs. When the issuer=
    parameter is given and the decoded label starts with it and a colon, that prefix wins.
    """
    decoded = unquote(raw)
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


def parse_otpauth(uri: str) -> Account:
    """Parse one otpauth:// (or steam://) URI into an Account; AccountError if it is broken."""
    text = uri.strip()
    lowered = text.lower()
    if lowered.startswith("steam://"):
        return Account(issuer="Steam", name="", secret=secret_from_base32(text[8:]), type="steam")
    if not lowered.startswith("otpauth://"):
        raise AccountError("not an otpauth:// URI")
    parts = urlsplit(text)
    otp_type = parts.netloc.lower()
    if otp_type not in C.OTP_TYPES:
        raise AccountError(f"unsupported OTP type {parts.netloc!r} in URI")
    params = _query(parts.query)
    if "secret" not in params:
        raise AccountError("the URI has no secret= parameter")
    secret = secret_from_base32(params["secret"])
    label_issuer, name = _split_label(parts.path.lstrip("/"), params.get("issuer", ""))
    issuer = params["issuer"] if params.get("issuer") else label_issuer
    if params.get("encoder", "").lower() == "steam":
        otp_type = "steam"
    if otp_type == "steam":
        return Account(
            issuer=issuer or "Steam",
            name=name.strip(),
            secret=secret,
            type="steam",
            period=_int_param(params, "period", C.DEFAULT_PERIOD),
        )
    return Account(
        issuer=issuer,
        name=name.strip(),
        secret=secret,
        type=otp_type,
        algorithm=params.get("algorithm", C.DEFAULT_ALGORITHM) or C.DEFAULT_ALGORITHM,
        digits=_int_param(params, "digits", C.DEFAULT_DIGITS),
        period=_int_param(params, "period", C.DEFAULT_PERIOD) if otp_type == "totp" else 30,
        counter=_int_param(params, "counter", 0) if otp_type == "hotp" else 0,
    )


def build_otpauth(account: Account) -> str:
    """The standard Key URI for an account (the QR text any authenticator app scans).

    Steam accounts use `otpauth://steam/` (Aegis' form), which non-Steam apps refuse instead of
    showing wrong 6-digit codes.
    """
    issuer_q = quote(account.issuer, safe="")
    name_q = quote(account.name, safe="@")
    label = f"{issuer_q}:{name_q}" if account.issuer else name_q
    params = [f"secret={account.secret_base32}"]
    if account.issuer:
        params.append(f"issuer={issuer_q}")
    if account.type == "steam":
        params.append(f"digits={account.digits}")
        if account.period != C.DEFAULT_PERIOD:
            params.append(f"period={account.period}")
    else:
        params.append(f"algorithm={account.algorithm}")
        params.append(f"digits={account.digits}")
        if account.type == "hotp":
            params.append(f"counter={account.counter}")
        else:
            params.append(f"period={account.period}")
    return f"otpauth://{account.type}/{label}?{'&'.join(params)}"


def ignored_by_simple_apps(account: Account) -> list[str]:
    """Settings that Google and Microsoft Authenticator ignore when scanning this account's QR.

    Empty when the account uses the defaults (SHA1, 6 digits, 30 s) those apps assume.
    """
    problems: list[str] = []
    if account.type == "steam":
        return ["Steam codes: needs a Steam-capable app (Steam, Aegis, 2FAS)"]
    if account.algorithm != C.DEFAULT_ALGORITHM:
        problems.append(f"algorithm {account.algorithm}")
    if account.digits != C.DEFAULT_DIGITS:
        problems.append(f"{account.digits} digits")
    if account.type == "totp" and account.period != C.DEFAULT_PERIOD:
        problems.append(f"period {account.period} s")
    return problems
