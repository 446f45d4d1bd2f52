"""Aegis plain (unencrypted) vault JSON: vault version 1, database version 3.

Aegis, 2FAS and Stratum import it. Notes go to the entry's `note`; tags become Aegis groups (in
database version 3 an entry lists the UUIDs of its groups, and `db.groups` names them). Recovery
codes and other factors have no place in Aegis and are dropped with a warning.

Every field is written as Aegis' own classes read it (`VaultEntry.fromJson`, `OtpInfo.fromJson`:
digits 1-10, a `long` counter of at least 0, an `int` period of at most Integer.MAX_VALUE / 1000
seconds); an entry Aegis would refuse makes it refuse the whole vault, so such an account is left
out, never written.
"""

from __future__ import annotations

import json
from typing import Any

from toolkit.exporters import (
    Exporter,
    ExportOptions,
    ExportResult,
    LeftOut,
    dropped_warning,
    new_uuid,
    nothing_left,
)
from toolkit.model import Account, Vault

AEGIS_FILE_VERSION = 1
"""The outer `version` of an Aegis vault file."""

AEGIS_DB_VERSION = 3
"""The `db.version` with group UUIDs (Aegis 3.0 and later)."""

AEGIS_MAX_PERIOD = (2**31 - 1) // 1000
"""Longest period Aegis accepts (`TotpInfo.isPeriodValid`: milliseconds must fit an int)."""


def left_out(account: Account) -> LeftOut | None:
    """Why Aegis would refuse this account (and with it the whole vault), or None."""
    if account.type != "hotp" and account.period > AEGIS_MAX_PERIOD:
        return LeftOut(account.label, f"its {account.period} s period is longer than Aegis "
                       f"accepts ({AEGIS_MAX_PERIOD} s)",
                       "export it with --format otpauth or reenroll-pdf")
    return None


def _info(account: Account) -> dict[str, Any]:
    info: dict[str, Any] = {
        "secret": account.secret_base32,
        "algo": account.algorithm,
        "digits": account.digits,
    }
    if account.type == "hotp":
        info["counter"] = account.counter
    else:
        info["period"] = account.period
    return info


def aegis_document(vault: Vault, options: ExportOptions) -> dict[str, Any]:
    """The Aegis vault file as a JSON object (UUIDs drawn from options.rng)."""
    accounts = [a for a in vault.accounts if left_out(a) is None]
    tag_names = sorted({tag for account in accounts for tag in account.tags})
    group_ids = {name: new_uuid(options.rng) for name in tag_names}
    entries = []
    for account in accounts:
        entries.append(
            {
                "type": account.type,
                "uuid": new_uuid(options.rng),
                "name": account.name,
                "issuer": account.issuer,
                "note": account.notes,
                "favorite": False,
                "icon": None,
                "info": _info(account),
                "groups": [group_ids[tag] for tag in account.tags],
                "archived": False,
            }
        )
    return {
        "version": AEGIS_FILE_VERSION,
        "header": {"slots": None, "params": None},
        "db": {
            "version": AEGIS_DB_VERSION,
            "entries": entries,
            "groups": [{"uuid": group_ids[name], "name": name} for name in tag_names],
            "icons_optimized": True,
        },
    }


def export_aegis(vault: Vault, options: ExportOptions) -> ExportResult:
    warnings: list[str] = []
    refused = [out for out in map(left_out, vault.accounts) if out is not None]
    nothing_left(vault, refused, "Aegis", "--format otpauth or reenroll-pdf")
    for account in vault.accounts:
        if left_out(account) is None:
            warnings.extend(dropped_warning(account, ("notes", "tags"), "Aegis"))
    text = json.dumps(aegis_document(vault, options), indent=4, ensure_ascii=False) + "\n"
    return ExportResult((text.encode("utf-8"),), ".json", tuple(warnings), left_out=tuple(refused))


EXPORTERS = [
    Exporter(
        name="aegis",
        description="Aegis plain JSON (vault 1, db 3; also read by 2FAS and Stratum)",
        extension=".json",
        export=export_aegis,
    )
]
