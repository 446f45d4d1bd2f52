"""2FAS Authenticator plain backup (`.2fas`, schema 4).

Each account is a 2FAS "service" named after its issuer; 2FAS puts a service in at most one
group, so the first tag becomes its group and further tags are dropped with a warning, as are
notes, recovery codes and other factors (2FAS has no place for them).

Every field is written as 2FAS Android's backup model declares it (`BackupContent`,
`BackupService`, `BackupGroup`: kotlinx.serialization, so a value that does not fit its type
makes the app refuse the whole file). An account that cannot fit (an HOTP counter beyond 2FAS'
`Int`) is left out, never written.
"""

from __future__ import annotations

import json
from typing import Any

from toolkit import __version__
from toolkit.exporters import (
    Exporter,
    ExportOptions,
    ExportResult,
    LeftOut,
    dropped_fields,
    new_uuid,
    nothing_left,
)
from toolkit.model import Account, Vault
from toolkit.uri import build_otpauth

TWOFAS_SCHEMA = 4
"""The `schemaVersion` of 2FAS 5 backups."""

TWOFAS_ICON_COLLECTION = "a5b3fb65-4ec5-43e6-8ec1-49e24ca9e7ad"
"""2FAS' default icon collection, as its own exports name it."""

TWOFAS_MAX_COUNTER = 2**31 - 1
"""2FAS declares `counter: Int?` (32-bit signed): a larger counter makes it refuse the backup."""

TWOFAS_MAX_INT = 2**31 - 1
"""`digits`, `period` and `order.position` are Kotlin `Int` too (paper2fa's limits fit)."""

CARRY_COUNTER = ("export it with --format aegis or otpauth (both keep 64-bit counters), or add "
                 "it in 2FAS by hand and press its refresh button until the codes match "
                 "`paper2fa codes`")

TWOFAS_DIGITS = (5, 6, 7, 8)
TWOFAS_PERIODS = (30, 60, 90)
"""The digit counts and periods 2FAS' editor offers; other values may not survive an edit."""

_TOKEN_TYPES = {"totp": "TOTP", "hotp": "HOTP", "steam": "STEAM"}


def _otp(account: Account) -> dict[str, Any]:
    otp: dict[str, Any] = {
        "link": build_otpauth(account),
        "label": account.name,
        "account": account.name,
        "issuer": account.issuer,
        "digits": account.digits,
        "period": account.period if account.type != "hotp" else None,
        "algorithm": account.algorithm,
        "counter": account.counter if account.type == "hotp" else None,
        "tokenType": _TOKEN_TYPES[account.type],
        "source": "Link",
    }
    return otp


def _icon(account: Account) -> dict[str, Any]:
    letters = "".join(ch for ch in (account.issuer or account.name) if ch.isalnum())[:2]
    return {
        "selected": "Label",
        "label": {"text": letters.upper() or "2F", "backgroundColor": "Default"},
        "iconCollection": {"id": TWOFAS_ICON_COLLECTION},
    }


def _warnings(account: Account) -> list[str]:
    warnings: list[str] = []
    lost = dropped_fields(account, ("tags",))
    if len(account.tags) > 1:
        lost.append(f"tags {', '.join(account.tags[1:])} (2FAS keeps one group per account)")
    if lost:
        warnings.append(f"{account.label}: not exported to 2FAS: {'; '.join(lost)}")
    if account.type == "steam":
        warnings.append(f"{account.label}: a Steam account needs a 2FAS version with Steam "
                        "support; older ones show wrong codes for it")
    if account.digits not in TWOFAS_DIGITS:
        warnings.append(f"{account.label}: 2FAS offers only 6-8 digits, this account has "
                        f"{account.digits}; check its codes after the import")
    if account.type == "totp" and account.period not in TWOFAS_PERIODS:
        warnings.append(f"{account.label}: 2FAS offers only 30, 60 and 90 s periods, this "
                        f"account has {account.period} s; check its codes after the import")
    return warnings


def left_out(account: Account) -> LeftOut | None:
    """Why 2FAS would refuse this account (and with it the whole backup), or None."""
    if account.type == "hotp" and account.counter > TWOFAS_MAX_COUNTER:
        return LeftOut(account.label, f"its HOTP counter {account.counter} is larger than 2FAS "
                       f"can hold ({TWOFAS_MAX_COUNTER})", CARRY_COUNTER)
    return None


def twofas_document(vault: Vault, options: ExportOptions) -> dict[str, Any]:
    """The 2FAS backup as a JSON object (`updatedAt` from options.now, ids from options.rng).

    Accounts 2FAS would refuse (`left_out`) are not in it.
    """
    millis = options.now * 1000
    accounts = [a for a in vault.accounts if left_out(a) is None]
    first_tags = sorted({a.tags[0] for a in accounts if a.tags})
    group_ids = {name: new_uuid(options.rng) for name in first_tags}
    services = []
    for position, account in enumerate(accounts):
        services.append(
            {
                "name": account.issuer,
                "secret": account.secret_base32,
                "updatedAt": millis,
                "serviceTypeID": None,
                "otp": _otp(account),
                "order": {"position": position},
                "badge": None,
                "icon": _icon(account),
                "groupId": group_ids[account.tags[0]] if account.tags else None,
            }
        )
    return {
        "services": services,
        "groups": [
            {"id": group_ids[name], "name": name, "isExpanded": True, "updatedAt": millis}
            for name in first_tags
        ],
        "updatedAt": millis,
        "schemaVersion": TWOFAS_SCHEMA,
        "appVersionCode": 0,
        "appVersionName": f"paper2fa {__version__}",
        "appOrigin": "android",
    }


def export_twofas(vault: Vault, options: ExportOptions) -> ExportResult:
    warnings: list[str] = []
    refused = [out for out in map(left_out, vault.accounts) if out is not None]
    nothing_left(vault, refused, "2FAS", "--format aegis or otpauth")
    for account in vault.accounts:
        if left_out(account) is None:
            warnings.extend(_warnings(account))
    text = json.dumps(twofas_document(vault, options), indent=2, ensure_ascii=False) + "\n"
    return ExportResult((text.encode("utf-8"),), ".2fas", tuple(warnings), left_out=tuple(refused))


EXPORTERS = [
    Exporter(
        name="2fas",
        description=f"2FAS Authenticator plain backup (.2fas, schema {TWOFAS_SCHEMA})",
        extension=".2fas",
        export=export_twofas,
    )
]
