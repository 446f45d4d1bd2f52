"""otpauth:// URI list, one per line: what nearly every authenticator app can import."""

from __future__ import annotations

from toolkit.exporters import Exporter, ExportOptions, ExportResult, dropped_warning
from toolkit.model import Vault
from toolkit.uri import build_otpauth


def export_otpauth(vault: Vault, options: ExportOptions) -> ExportResult:
    """Every account as its Key URI, in vault order, each line ending with a newline."""
    warnings: list[str] = []
    for account in vault.accounts:
        warnings.extend(dropped_warning(account, (), "an otpauth URI"))
        if not account.issuer and ":" in account.name:
            warnings.append(f"{account.label}: the name has a colon and there is no issuer, so "
                            "apps read the part before the colon as the issuer")
        elif account.type == "steam" and not account.issuer:
            warnings.append(f"{account.label}: a Steam URI without issuer is read back with "
                            "the issuer \"Steam\"")
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
