"""`paper2fa demo`: the main job on the built-in demo vault, ending with one verdict line."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from toolkit import fsio
from toolkit.demo import demo_vault
from toolkit.importers import import_bytes
from toolkit.model import vault_to_json


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("demo", help="run the whole job on a built-in demo vault",
                       description="Import, list and export the built-in demo vault (fake "
                       "accounts) into ./paper2fa-demo/ and check that every round trip is exact.")
    p.add_argument("-o", "--output", default="paper2fa-demo", help="output folder")
    p.set_defaults(func=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    out = fsio.ensure_output_dir(args.output)
    vault = demo_vault()
    data = vault_to_json(vault)
    fsio.write_file(out / "vault.json", data, force=True)
    print(f"demo vault: {len(vault)} fake accounts, fingerprint {vault.fingerprint}")
    again = import_bytes(data, "vault.json").vault
    exact = again == vault
    print(f"wrote {Path(out) / 'vault.json'}")
    print("round trip exact: yes" if exact else "round trip exact: NO")
    return 0 if exact else 9
