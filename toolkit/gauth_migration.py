"""Google Authenticator's transfer format: `otpauth-migration://offline?data=...` QR codes.

The data is a protobuf `MigrationPayload` (one per QR code, a "batch") in standard base64:

    message MigrationPayload {
      repeated OtpParameters otp_parameters = 1;
      int32 version = 2; int32 batch_size = 3; int32 batch_index = 4; int32 batch_id = 5;
    }
    message OtpParameters {
      bytes secret = 1; string name = 2; string issuer = 3;
      Algorithm algorithm = 4;   // 0 unspecified (SHA1), 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5
      DigitCount digits = 5;     // 0 unspecified (6), 1 six, 2 eight
      OtpType type = 6;          // 0 unspecified, 1 HOTP, 2 TOTP
      int64 counter = 7;
    }

The wire format is written and read here by hand (varints and length-delimited fields), so no
protobuf dependency is needed. Google's format has no period (every TOTP is 30 s) and no Steam
type: `encode_payload` refuses what Google cannot hold except the period, which it drops (see
`lossy_changes`, which exporters show as warnings).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, unquote

from toolkit import constants as C
from toolkit.errors import AccountError, FormatError, Source
from toolkit.model import Account

URI_PREFIX = "otpauth-migration://offline?"
"""Every migration QR text starts with this (scheme case aside)."""

PAYLOAD_VERSION = 1
"""The `version` Google Authenticator writes."""

MAX_BATCH_ACCOUNTS = 10
MAX_BATCH_BYTES = 300
"""Default batch limits: Google's own QR codes hold about 10 accounts; 300 payload bytes stay
a QR code of version ~15 that a phone reads at arm's length."""

MAX_PAYLOAD_BYTES = 64 * 1024
"""Largest payload accepted: a real batch is under 2 KiB."""

_ALGORITHM_FROM_WIRE = {0: "SHA1", 1: "SHA1", 2: "SHA256", 3: "SHA512"}
_ALGORITHM_TO_WIRE = {"SHA1": 1, "SHA256": 2, "SHA512": 3}
_DIGITS_FROM_WIRE = {0: 6, 1: 6, 2: 8}
_DIGITS_TO_WIRE = {6: 1, 8: 2}
_TYPE_HOTP, _TYPE_TOTP = 1, 2

_VARINT, _FIXED64, _LENGTH, _FIXED32 = 0, 1, 2, 5


# --- protobuf wire format ---------------------------------------------------------------------


def _varint(value: int) -> bytes:
    """Protobuf varint; negative numbers as 64-bit two's complement (10 bytes), as protobuf."""
    if value < 0:
        value += 1 << 64
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _key(field: int, wire_type: int) -> bytes:
    return _varint(field << 3 | wire_type)


def _len_field(field: int, data: bytes) -> bytes:
    return _key(field, _LENGTH) + _varint(len(data)) + data


def _int_field(field: int, value: int) -> bytes:
    return _key(field, _VARINT) + _varint(value) if value else b""


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def done(self) -> bool:
        return self.pos >= len(self.data)

    def varint(self) -> int:
        result = 0
        for shift in range(0, 70, 7):
            if self.pos >= len(self.data):
                raise FormatError("the migration data is truncated (inside a number)")
            byte = self.data[self.pos]
            self.pos += 1
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result & ((1 << 64) - 1)
        raise FormatError("the migration data is damaged (a number is too long)")

    def take(self, length: int) -> bytes:
        end = self.pos + length
        if end > len(self.data):
            raise FormatError("the migration data is truncated")
        chunk = self.data[self.pos : end]
        self.pos = end
        return chunk

    def fields(self) -> list[tuple[int, int | bytes]]:
        """Every (field number, value) of one message; unknown wire types are damage."""
        found: list[tuple[int, int | bytes]] = []
        while not self.done():
            key = self.varint()
            field, wire_type = key >> 3, key & 7
            if field == 0:
                raise FormatError("the migration data is damaged (field number 0)")
            if wire_type == _VARINT:
                found.append((field, self.varint()))
            elif wire_type == _LENGTH:
                found.append((field, self.take(self.varint())))
            elif wire_type == _FIXED64:
                self.take(8)
            elif wire_type == _FIXED32:
                self.take(4)
            else:
                raise FormatError(f"the migration data is damaged (wire type {wire_type})")
        return found


def _signed(value: int, bits: int) -> int:
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >= 1 << (bits - 1) else value


# --- payload ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Batch:
    """One decoded migration payload: its accounts, notes on skipped entries, batch fields."""

    accounts: tuple[Account, ...]
    notes: tuple[str, ...]
    version: int
    batch_size: int
    batch_index: int
    batch_id: int


def unrepresentable(account: Account) -> str | None:
    """Why Google's format cannot hold this account at all, or None when it can."""
    if account.type == "steam":
        return "Steam accounts cannot be stored in Google Authenticator's format"
    if account.digits not in _DIGITS_TO_WIRE:
        return f"{account.digits}-digit codes cannot be stored in Google's format (only 6 or 8)"
    return None


def lossy_changes(account: Account) -> list[str]:
    """What storing this account in Google's format changes (the period: Google has none)."""
    if account.type == "totp" and account.period != C.DEFAULT_PERIOD:
        return [f"its codes change every {account.period} s and Google Authenticator's format "
                "has no period (it always uses 30 s, so its codes would be wrong)"]
    return []


def _encode_account(account: Account) -> bytes:
    why = unrepresentable(account)
    if why is not None:
        raise AccountError(f"{why}", source=Source(label=account.label))
    body = (
        _len_field(1, account.secret)
        + (_len_field(2, account.name.encode()) if account.name else b"")
        + (_len_field(3, account.issuer.encode()) if account.issuer else b"")
        + _int_field(4, _ALGORITHM_TO_WIRE[account.algorithm])
        + _int_field(5, _DIGITS_TO_WIRE[account.digits])
        + _int_field(6, _TYPE_HOTP if account.type == "hotp" else _TYPE_TOTP)
        + (_int_field(7, account.counter) if account.type == "hotp" else b"")
    )
    return body


def encode_payload(
    accounts: Sequence[Account], batch_index: int = 0, batch_size: int = 1, batch_id: int = 0
) -> bytes:
    """The protobuf bytes of one MigrationPayload; AccountError for an account Google can't hold.

    A TOTP period other than 30 s is dropped (call `lossy_changes` to warn about it).
    """
    if not 0 <= batch_index < batch_size:
        raise ValueError("batch_index must be in 0..batch_size-1")
    entries = [_len_field(1, _encode_account(a)) for a in accounts]
    return _payload(entries, batch_index, batch_size, batch_id)


def _payload(entries: Sequence[bytes], batch_index: int, batch_size: int, batch_id: int) -> bytes:
    return (
        b"".join(entries)
        + _int_field(2, PAYLOAD_VERSION)
        + _int_field(3, batch_size)
        + _int_field(4, batch_index)
        + _int_field(5, batch_id)
    )


def _decode_account(data: bytes, number: int, notes: list[str]) -> Account | None:
    values: dict[int, int | bytes] = {}
    for field, value in _Reader(data).fields():
        values[field] = value  # protobuf: the last occurrence wins
    secret = values.get(1, b"")
    name = values.get(2, b"")
    issuer = values.get(3, b"")
    if not (isinstance(secret, bytes) and isinstance(name, bytes) and isinstance(issuer, bytes)):
        raise FormatError("the migration data is damaged (a text field has the wrong type)")
    try:
        name_text, issuer_text = name.decode("utf-8"), issuer.decode("utf-8")
    except UnicodeDecodeError:
        raise FormatError("the migration data is damaged (a name is not UTF-8)") from None
    name_text, issuer_text = _split_label(name_text, issuer_text)
    label = f"{issuer_text}: {name_text}" if issuer_text else name_text or "(no name)"
    where = f"account {number} ({label})"
    ints = {f: v for f, v in values.items() if isinstance(v, int)}
    if any(f in values and f not in ints for f in (4, 5, 6, 7)):
        raise FormatError("the migration data is damaged (a number field has the wrong type)")
    algorithm = _ALGORITHM_FROM_WIRE.get(ints.get(4, 0))
    digits = _DIGITS_FROM_WIRE.get(ints.get(5, 0))
    otp_type = ints.get(6, 0)
    counter = _signed(ints.get(7, 0), 64)
    if algorithm is None:
        what = "MD5" if ints.get(4) == 4 else f"number {ints.get(4)}"
        notes.append(f"skipped {where}: unsupported algorithm {what}")
        return None
    if digits is None:
        notes.append(f"skipped {where}: unsupported digit count (code {ints.get(5)})")
        return None
    if otp_type not in (_TYPE_HOTP, _TYPE_TOTP):
        notes.append(f"skipped {where}: unknown OTP type (code {otp_type})")
        return None
    try:
        return Account(
            issuer=issuer_text,
            name=name_text,
            secret=secret,
            type="hotp" if otp_type == _TYPE_HOTP else "totp",
            algorithm=algorithm,
            digits=digits,
            counter=counter if otp_type == _TYPE_HOTP else 0,
        )
    except AccountError as exc:
        notes.append(f"skipped {where}: {exc.located}")
        return None


def _split_label(name: str, issuer: str) -> tuple[str, str]:
    """Older Google exports put `Issuer:name` in the name: keep the name part only."""
    head, sep, tail = name.partition(":")
    if sep and (not issuer or head.strip() == issuer.strip()):
        return tail.strip(), issuer or head.strip()
    return name, issuer


def read_payload(data: bytes) -> Batch:
    """Decode one MigrationPayload: FormatError when damaged, bad entries skipped with notes."""
    if len(data) > MAX_PAYLOAD_BYTES:
        raise FormatError("the migration data is too large to be a Google export")
    accounts: list[Account] = []
    notes: list[str] = []
    ints: dict[int, int] = {}
    for field, value in _Reader(data).fields():
        if field == 1:
            if not isinstance(value, bytes):
                raise FormatError("the migration data is damaged (an account is not a message)")
            account = _decode_account(value, len(accounts) + len(notes) + 1, notes)
            if account is not None:
                accounts.append(account)
        elif field in (2, 3, 4, 5):
            if not isinstance(value, int):
                raise FormatError("the migration data is damaged (a batch field is not a number)")
            ints[field] = _signed(value, 32)
    return Batch(
        accounts=tuple(accounts),
        notes=tuple(notes),
        version=ints.get(2, 0),
        batch_size=ints.get(3, 1) or 1,
        batch_index=ints.get(4, 0),
        batch_id=ints.get(5, 0),
    )


def decode_payload(data: bytes, notes: list[str] | None = None) -> list[Account]:
    """The accounts of one MigrationPayload; skipped entries are described in `notes` if given."""
    batch = read_payload(data)
    if notes is not None:
        notes.extend(batch.notes)
    return list(batch.accounts)


# --- URIs -------------------------------------------------------------------------------------


def build_migration_uri(payload: bytes) -> str:
    """`otpauth-migration://offline?data=...` with the base64 percent-encoded (`+` as %2B)."""
    return URI_PREFIX + "data=" + quote(base64.b64encode(payload).decode("ascii"), safe="")


_DATA_PARAM = re.compile(r"(?:^|&)data=([^&#]*)", re.IGNORECASE)


def is_migration_uri(text: str) -> bool:
    return text.strip().lower().startswith("otpauth-migration://")


def parse_migration_uri(uri: str) -> bytes:
    """The payload bytes of a migration URI.

    `data=` is read from the raw query and percent-decoded WITHOUT turning `+` into a space
    (form decoding would break the base64); a space, where a tool already did that, is read
    back as `+`. Standard and URL-safe base64, with or without padding, are accepted.
    """
    text = uri.strip()
    if not is_migration_uri(text):
        raise FormatError("not an otpauth-migration:// URI")
    _, _, query = text.partition("?")
    match = _DATA_PARAM.search(query)
    if match is None or not match.group(1):
        raise FormatError("the migration URI has no data= parameter")
    encoded = unquote(match.group(1)).replace(" ", "+").strip()
    encoded = encoded.replace("-", "+").replace("_", "/").rstrip("=")
    if len(encoded) > MAX_PAYLOAD_BYTES * 2:
        raise FormatError("the migration URI is too long to be a Google export")
    try:
        return base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise FormatError("the migration URI's data is not valid base64 (damaged or cut off)") \
            from None


def _default_batch_id(payloads: Sequence[bytes]) -> int:
    """A batch id derived from the content, so the same accounts give the same QR codes."""
    return int.from_bytes(hashlib.sha256(b"".join(payloads)).digest()[:4], "big") >> 1


def batches(
    accounts: Sequence[Account],
    max_bytes: int = MAX_BATCH_BYTES,
    max_accounts: int = MAX_BATCH_ACCOUNTS,
    batch_id: int | None = None,
) -> list[str]:
    """Split accounts into migration URIs, each with at most `max_accounts` accounts and (where
    one account alone is not larger) at most `max_bytes` bytes of accounts, so each QR scans easily.

    AccountError for an account Google cannot hold (see `unrepresentable`).
    """
    if max_accounts < 1 or max_bytes < 1:
        raise ValueError("batch limits must be positive")
    groups: list[list[bytes]] = []
    size = 0
    for account in accounts:
        entry = _len_field(1, _encode_account(account))
        if groups and len(groups[-1]) < max_accounts and size + len(entry) <= max_bytes:
            groups[-1].append(entry)
            size += len(entry)
        else:
            groups.append([entry])
            size = len(entry)
    if not groups:
        return []
    bid = _default_batch_id([b"".join(g) for g in groups]) if batch_id is None else batch_id
    return [
        build_migration_uri(_payload(group, index, len(groups), bid))
        for index, group in enumerate(groups)
    ]
