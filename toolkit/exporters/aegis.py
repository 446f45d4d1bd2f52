"""Aegis plain (unencrypted) vault JSON: vault version 1, database version 3.

Aegis, 2FAS and Stratum import it. Notes go to the entry's `note`; tags become Aegis groups (in
database version 3 an entry lists the UUIDs of its groups, and `db.groups` names them). Recovery
codes and other factors have no place in Aegis and are dropped with a warning.
"""

from __future__ import annotations

import json
from typing import Any

from toolkit.exporters import Exporter, ExportOptions, ExportResult, dropped_warning, new_uuid
from toolkit.model import Account, Vault

AEGIS_FILE_VERSION = 1
"""The outer `version` of an Aegis vault file."""

AEGIS_DB_VERSION = 3
"""The `db.version` with group UUIDs (Aegis 3.0 and later)."""


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
    tag_names = sorted({tag for account in vault.accounts for tag in account.tags})
    group_ids = {name: new_uuid(options.rng) for name in tag_names}
    entries = []
    for account in vault.accounts:
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
    for account in vault.accounts:
        warnings.extend(dropped_warning(account, ("notes", "tags"), "Aegis"))
    text = json.dumps(aegis_document(vault, options), indent=4, ensure_ascii=False) + "\n"
    return ExportResult((text.encode("utf-8"),), ".json", tuple(warnings))


EXPORTERS = [
    Exporter(
        name="aegis",
        description="Aegis plain JSON (vault 1, db 3; also read by 2FAS and Stratum)",
        extension=".json",
        export=export_aegis,
    )
]
