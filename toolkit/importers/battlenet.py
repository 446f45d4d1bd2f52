"""Battle.net app rooted copy: shared_prefs com.blizzard.messenger.authenticator_preferences.xml.

The serial and the device secret are hex strings XOR-masked with a fixed key (the one Aegis
uses); the unmasked secret is itself hex. Codes: SHA1, 8 digits, 30 s, issuer Battle.net.
"""

from __future__ import annotations

import binascii

from toolkit.errors import FormatError, Source
from toolkit.importers.base import EntryCollector, Importer, ImportResult, PasswordSource
from toolkit.importers.freeotp import looks_like_prefs, shared_prefs
from toolkit.model import Account

APP = "Battle.net"
PREFIX = "com.blizzard.messenger."
SECRET_KEY = PREFIX + "AUTHENTICATOR_DEVICE_SECRET"
SERIAL_KEY = PREFIX + "AUTHENTICATOR_SERIAL"
MASK = bytes.fromhex(
    "398e27fc50276a656065b0e525f4c06c04c61075286b8e7aeda59da9813b5dd6"
    "c80d2fb38068773fa59ba47c17ca6c6479015c1d5b8b8f6b9a"
)


def _sniff(data: bytes, filename: str) -> int:
    return 10 if looks_like_prefs(data, SECRET_KEY.encode()) else 0


def _unmask(text: str, what: str) -> str:
    try:
        raw = bytes.fromhex(text.strip())
    except ValueError:
        raise FormatError(f"the {what} is not hex", source=Source(label=APP)) from None
    if len(raw) > len(MASK):
        raise FormatError(f"the {what} is too long", source=Source(label=APP))
    try:
        return bytes(b ^ k for b, k in zip(raw, MASK, strict=False)).decode("ascii")
    except UnicodeDecodeError:
        raise FormatError(f"the {what} does not unmask to text", source=Source(label=APP)) from None


def _serial_name(serial: str) -> str:
    """US221120503346 -> US-2211-2050-3346, as the app shows it."""
    if len(serial) == 14 and serial[:2].isalpha() and serial[2:].isdigit():
        return "-".join([serial[:2], serial[2:6], serial[6:10], serial[10:]])
    return serial


def _load(data: bytes, password: PasswordSource) -> ImportResult:
    values = {name: value for _, name, value in shared_prefs(data, APP)}
    if SECRET_KEY not in values:
        raise FormatError("no device secret in this file", source=Source(label=APP))
    try:
        secret = binascii.unhexlify(_unmask(values[SECRET_KEY], "device secret"))
    except (binascii.Error, ValueError):
        raise FormatError("the device secret is damaged", source=Source(label=APP)) from None
    serial = _unmask(values[SERIAL_KEY], "serial") if values.get(SERIAL_KEY) else ""
    entries = EntryCollector(APP)
    entries.add("the authenticator", lambda: Account(APP, _serial_name(serial), secret,
                                                     type="totp", digits=8, period=30))
    return entries.result()


IMPORTERS = [
    Importer(
        name="battlenet",
        description="Battle.net authenticator (rooted copy of shared_prefs XML)",
        sniff=_sniff,
        load=_load,
    )
]
