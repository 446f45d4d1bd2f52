"""paper2fa's own vault JSON (what `paper2fa import` writes)."""

from __future__ import annotations

from toolkit.importers.base import Importer, ImportResult, PasswordSource
from toolkit.model import is_vault_json, vault_from_json


def _sniff(data: bytes, filename: str) -> int:
    return 20 if is_vault_json(data) else 0


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    return ImportResult(vault_from_json(data))


IMPORTERS = [
    Importer(
        name="paper2fa",
        description="paper2fa vault JSON (format paper2fa-vault, version 1)",
        sniff=_sniff,
        load=_load,
    )
]
