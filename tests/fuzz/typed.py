"""The typed-secret parsers, imported in one place: when they move (to toolkit.recovery.typed),
change the import and MODULE below, nothing else."""

from __future__ import annotations

from toolkit.restore import parse_typed_secrets, typed_account

MODULE = "toolkit.restore"

__all__ = ["MODULE", "parse_typed_secrets", "typed_account"]
