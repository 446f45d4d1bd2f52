"""paper2fa: offline paper backups of two-factor secrets."""

__version__ = "0.1.0"
