"""The built-in demo vault: a dozen clearly fake accounts covering every kind paper2fa handles."""

from __future__ import annotations

import hashlib

from toolkit.model import Account, Vault, secret_from_base32

DEMO_TIME = 1_700_000_000
"""Reference time (2023-11-14 22:13:20 UTC) the demo uses for check codes, so runs repeat."""


def _secret(label: str, length: int = 20) -> bytes:
    return hashlib.sha256(f"paper2fa demo secret: {label}".encode()).digest()[:length]


def demo_vault() -> Vault:
    """Twelve fake accounts: TOTP SHA1/256/512, 6/7/8 digits, 30/60 s, 80-bit, HOTP, Steam."""
    accounts = [
        Account(issuer="Example Mail (demo)", name="alice@example.com",
                secret=_secret("mail"), tags=("critical",),
                recovery_codes=("DEMO-1111-AAAA", "DEMO-2222-BBBB", "DEMO-3333-CCCC"),
                other_factors=("YubiKey 5 NFC on the key ring (demo)",),
                notes="Primary e-mail: move this one first."),
        Account(issuer="Example Bank (demo)", name="alice", secret=_secret("bank", 32),
                algorithm="SHA256", digits=8, period=60, tags=("critical", "money"),
                recovery_codes=("11111-22222", "33333-44444")),
        Account(issuer="Example Cloud (demo)", name="alice@example.com",
                secret=_secret("cloud", 64), algorithm="SHA512", digits=8, tags=("work",)),
        Account(issuer="Example Forum (demo)", name="alice_f",
                secret=secret_from_base32("JBSWY3DPEHPK3PXP"),
                notes="80-bit secret, as many older sites still issue."),
        Account(issuer="Example Shop (demo)", name="alice", secret=_secret("shop"), digits=7),
        Account(issuer="Example VPN (demo)", name="alice", secret=_secret("vpn"), type="hotp",
                counter=42, notes="Hardware-token style HOTP: the counter moves on every use."),
        Account(issuer="Example Games (demo)", name="alice_gamer", secret=_secret("steam"),
                type="steam", notes="Steam Guard style code."),
        Account(issuer="Example Code Host (demo)", name="alice-dev", secret=_secret("code"),
                tags=("work", "critical"),
                recovery_codes=tuple(f"demo{i:02d}-{i * 7919 % 100000:05d}" for i in range(1, 11)),
                other_factors=("Backup phone (demo)",)),
        Account(issuer="Example Social (demo)", name="@alice", secret=_secret("social"),
                period=60),
        Account(issuer="Example Domain (demo)", name="alice+dns@example.com",
                secret=_secret("dns", 16), algorithm="SHA256",
                recovery_codes=("dns-demo-0001",)),
        Account(issuer="Ëxample Ünicode (demo)", name="alice: ünïcode", secret=_secret("uni")),
        Account(issuer="Example Token (demo)", name="alice", secret=_secret("token"), type="hotp",
                algorithm="SHA512", digits=8, counter=0, tags=("work",)),
    ]
    return Vault(tuple(accounts))
