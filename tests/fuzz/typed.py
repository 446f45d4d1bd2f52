"""The typed-secret parsers, imported in one place: when they move, change the import and
MODULE below, nothing else."""

from __future__ import annotations

from toolkit.recovery.typed import parse_typed_secrets, typed_account

MODULE = "toolkit.recovery.typed"

__all__ = ["MODULE", "parse_typed_secrets", "typed_account"]
