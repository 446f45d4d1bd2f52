"""otpauth:// URI list, one per line: what nearly every authenticator app can import."""

from __future__ import annotations

from collections.abc import Iterable

from toolkit.exporters import Exporter, ExportOptions, ExportResult, dropped_warning
from toolkit.model import Account, Vault
from toolkit.uri import STEAM_APPS, build_otpauth, label_problems


def label_warnings(accounts: Iterable[Account]) -> list[str]:
    """One line per account whose otpauth URI some apps will not show as it is
    (`uri.label_problem`), naming the account: for every export that writes the URIs."""
    return [f"{account.label}: {problem}" for account in accounts
            for problem in label_problems(account)]


def export_otpauth(vault: Vault, options: ExportOptions) -> ExportResult:
    """Every account as its Key URI, in vault order, each line ending with a newline.

    Every account fits a URI (paper2fa reads each one back exactly); the warnings say which
    labels or kinds other apps may read differently.
    """
    warnings: list[str] = []
    for account in vault.accounts:
        warnings.extend(dropped_warning(account, (), "an otpauth URI"))
        warnings.extend(label_warnings((account,)))
        if account.type == "steam":
            warnings.append(f"{account.label}: Steam account: read by {', '.join(STEAM_APPS)}; "
                            "other apps refuse it")
    text = "".join(build_otpauth(a) + "\n" for a in vault.accounts)
    return ExportResult((text.encode("utf-8"),), ".txt", tuple(warnings))


EXPORTERS = [
    Exporter(
        name="otpauth",
        description="otpauth:// URI list, one per line (imported by most apps)",
        extension=".txt",
        export=export_otpauth,
    )
]
