"""The vault model: frozen `Account` and `Vault`, their canonical JSON and the fingerprint.

The canonical form is specified in docs/FORMAT.md ("Vault JSON"); `vault_to_json` and
`vault_from_json` are its encoder and decoder.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import unicodedata
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from toolkit import constants as C
from toolkit import json_input
from toolkit.display import counted, quoted, shortened
from toolkit.errors import AccountError, FormatError, UnknownVersionError
from toolkit.looks import described, looks_like

_B32_ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
_B32_BAD_LENGTHS = {1, 3, 6}  # lengths mod 8 that no whole number of bytes produces


def secret_from_base32(text: str) -> bytes:
    """Decode a base32 secret as people and apps write it: any case, spaces, dashes, padding.

    Raises AccountError (without echoing the secret) when it is not valid base32.
    """
    cleaned = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text)).upper().rstrip("=")
    if not cleaned:
        raise AccountError("the secret is empty")
    bad = sorted({ch for ch in cleaned if ch not in _B32_ALPHABET})
    if bad:
        shown = ", ".join(repr(ch) for ch in bad[:3])
        hint = ""
        if set(bad) & set("018"):
            hint = " (0, 1 and 8 are never used: read them as O, I and B)"
        raise AccountError(f"the secret has characters that are not base32: {shown}{hint}")
    if len(cleaned) % 8 in _B32_BAD_LENGTHS:
        raise AccountError(
            f"the secret has an impossible length ({len(cleaned)} characters): "
            "a character is missing or extra"
        )
    padded = cleaned + "=" * (-len(cleaned) % 8)
    try:
        return base64.b32decode(padded)
    except binascii.Error as exc:  # pragma: no cover - excluded above, kept as a guard
        raise AccountError("the secret is not valid base32") from exc


def secret_to_base32(secret: bytes) -> str:
    """Base32 of a secret, uppercase, without padding (the form every app reads)."""
    return base64.b32encode(secret).decode("ascii").rstrip("=")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(_nfc(v) for v in values)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_text(what: str, values: Iterable[str]) -> None:
    """Refuse a lone surrogate (JSON's "\\ud800"): it is no character, so it can be neither
    written as UTF-8 nor shown; letting it in would break every command that prints or saves."""
    for value in values:
        found = _SURROGATE.search(value)
        if found is not None:
            code = f"\\u{ord(found.group()):04x}"
            raise AccountError(f"the {what} holds a lone surrogate ({code}), which is not a "
                               "character")


@dataclass(frozen=True)
class Account:
    """One two-factor account: how to compute its codes, and what people need on paper.

    `period` is meaningful for totp and steam, `counter` for hotp; the other one is kept at its
    default so that equal accounts compare equal. Steam accounts are always SHA1 with 5 digits.
    """

    issuer: str
    name: str
    secret: bytes = field(repr=False)
    type: str = "totp"
    algorithm: str = C.DEFAULT_ALGORITHM
    digits: int = C.DEFAULT_DIGITS
    period: int = C.DEFAULT_PERIOD
    counter: int = 0
    notes: str = ""
    tags: tuple[str, ...] = ()
    recovery_codes: tuple[str, ...] = ()
    other_factors: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        for what, values in (("issuer", (str(self.issuer),)), ("account name", (str(self.name),)),
                             ("notes", (str(self.notes),)), ("tags", self.tags),
                             ("recovery codes", self.recovery_codes),
                             ("other factors", self.other_factors)):
            _check_text(what, (str(v) for v in values))
        set_(self, "issuer", _nfc(str(self.issuer)).strip())
        set_(self, "name", _nfc(str(self.name)).strip())
        set_(self, "notes", _nfc(str(self.notes)))
        set_(self, "tags", tuple(sorted(set(_str_tuple(t.strip() for t in self.tags)) - {""})))
        set_(self, "recovery_codes", _str_tuple(c.strip() for c in self.recovery_codes))
        set_(self, "other_factors", _str_tuple(self.other_factors))
        otp_type = str(self.type).lower()
        if otp_type not in C.OTP_TYPES:
            raise AccountError(f"unsupported OTP type {quoted(str(self.type), 20)} "
                               "(supported: totp, hotp, steam)")
        set_(self, "type", otp_type)
        algorithm = str(self.algorithm).upper().replace("-", "")
        if algorithm not in C.ALGORITHMS:
            raise AccountError(
                f"unsupported algorithm {quoted(str(self.algorithm), 20)} "
                "(supported: SHA1, SHA256, SHA512)"
            )
        set_(self, "algorithm", algorithm)
        if not isinstance(self.secret, bytes | bytearray) or not self.secret:
            raise AccountError("the secret is empty")
        set_(self, "secret", bytes(self.secret))
        if len(self.secret) > C.MAX_SECRET_BYTES:
            raise AccountError(f"the secret is too long ({len(self.secret)} bytes)")
        for name in ("digits", "period", "counter"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                shown = shortened(repr(value), 20)
                raise AccountError(f"{name} must be a whole number, not {shown}")
        if otp_type == "steam":
            set_(self, "digits", C.STEAM_DIGITS)
            set_(self, "algorithm", "SHA1")
        if not C.MIN_DIGITS <= self.digits <= C.MAX_DIGITS:
            raise AccountError(f"unsupported number of digits: {shortened(str(self.digits), 20)}")
        if otp_type == "hotp":
            set_(self, "period", C.DEFAULT_PERIOD)
            if not 0 <= self.counter <= C.MAX_COUNTER:
                raise AccountError(f"HOTP counter out of range: {shortened(str(self.counter), 30)}")
        else:
            set_(self, "counter", 0)
            if not 1 <= self.period <= C.MAX_PERIOD:
                raise AccountError(f"unsupported period: {shortened(str(self.period), 20)} seconds")

    @property
    def secret_base32(self) -> str:
        return secret_to_base32(self.secret)

    @property
    def label(self) -> str:
        """`Issuer: name` as people read it (either part may be empty)."""
        if self.issuer and self.name:
            return f"{self.issuer}: {self.name}"
        return self.issuer or self.name or "(no name)"

    @property
    def params_key(self) -> tuple[str, bytes, str, int, int, int]:
        """What makes two accounts produce the same codes (used to find duplicates)."""
        return (self.type, self.secret, self.algorithm, self.digits, self.period, self.counter)

    def with_changes(self, **changes: Any) -> Account:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "issuer": self.issuer,
            "name": self.name,
            "secret": self.secret_base32,
            "algorithm": self.algorithm,
            "digits": self.digits,
            "period": self.period,
            "counter": self.counter,
            "notes": self.notes,
            "tags": list(self.tags),
            "recovery_codes": list(self.recovery_codes),
            "other_factors": list(self.other_factors),
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Account:
        if not isinstance(obj, Mapping):
            raise FormatError("an account entry is not a JSON object")
        unknown = set(obj) - _ACCOUNT_KEYS
        if unknown:
            raise FormatError(f"unknown account fields: {field_names(unknown, quote=False)}")
        try:
            secret = secret_from_base32(_need(obj, "secret", str))
            return cls(
                type=_need(obj, "type", str),
                issuer=_need(obj, "issuer", str),
                name=_need(obj, "name", str),
                secret=secret,
                algorithm=_need(obj, "algorithm", str),
                digits=_need(obj, "digits", int),
                period=_need(obj, "period", int),
                counter=_need(obj, "counter", int),
                notes=obj.get("notes", ""),
                tags=tuple(_str_list(obj.get("tags", []), "tags")),
                recovery_codes=tuple(_str_list(obj.get("recovery_codes", []), "recovery_codes")),
                other_factors=tuple(_str_list(obj.get("other_factors", []), "other_factors")),
            )
        except AccountError as exc:
            raise FormatError(f"invalid account in vault: {exc.located}") from exc


_ACCOUNT_KEYS = set(
    Account(issuer="", name="x", secret=b"\0").to_json()  # the canonical key set
)


def _need(obj: Mapping[str, Any], key: str, kind: type) -> Any:
    if key not in obj:
        raise FormatError(f"an account is missing the field {key!r}")
    value = obj[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise FormatError(f"the account field {key!r} has the wrong type")
    return value


def _str_list(value: Any, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FormatError(f"the account field {key!r} must be a list of strings")
    return value


def account_sort_key(account: Account) -> tuple[str, str, bytes]:
    """Canonical order: issuer, then name (case-folded), then the account's canonical bytes."""
    return (account.issuer.casefold(), account.name.casefold(), canonical_json(account.to_json()))


def canonical_json(obj: Any) -> bytes:
    """UTF-8 JSON with sorted keys and no insignificant white space (docs/FORMAT.md)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class Vault:
    """A set of accounts, always held in canonical order so equal vaults compare equal."""

    accounts: tuple[Account, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "accounts", tuple(sorted(self.accounts, key=account_sort_key)))

    def __len__(self) -> int:
        return len(self.accounts)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": C.VAULT_FORMAT,
            "version": C.VAULT_VERSION,
            "accounts": [a.to_json() for a in self.accounts],
        }

    def canonical_bytes(self) -> bytes:
        return canonical_json(self.to_json())

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.canonical_bytes())

    def with_tag(self, tag: str | None) -> Vault:
        if tag is None:
            return self
        return Vault(tuple(a for a in self.accounts if tag in a.tags))


def fingerprint_of(canonical: bytes) -> str:
    """The first 80 bits of SHA-256 of the canonical bytes, base32, as `XXXX-XXXX-XXXX-XXXX`."""
    n = C.FINGERPRINT_GROUPS * C.FINGERPRINT_GROUP_LEN
    text = base64.b32encode(hashlib.sha256(canonical).digest()).decode()[:n]
    g = C.FINGERPRINT_GROUP_LEN
    return "-".join(text[i : i + g] for i in range(0, n, g))


def vault_to_json(vault: Vault) -> bytes:
    """The vault file written by `paper2fa import`: canonical JSON, newline-terminated."""
    return vault.canonical_bytes() + b"\n"


_VAULT_KEYS = frozenset({"format", "version", "accounts"})

_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_ .-]{0,23}")
_LONG_RUN = re.compile(r"[A-Za-z0-9]{16,}")
NAMES_SHOWN = 3
"""Unknown field names a message lists (the others are counted)."""


def _plain(name: str) -> bool:
    """A field name that may be quoted: letters, digits, '_', '-', '.' and spaces, up to 24
    characters, no run of 16 letters and digits, and not what toolkit.looks takes for a secret
    (base32, hex, a recovery code, a number)."""
    return (_PLAIN_NAME.fullmatch(name) is not None and _LONG_RUN.search(name) is None
            and not looks_like(name).secret_like)


def field_names(names: Iterable[str], quote: bool = True) -> str:
    """Unknown field names of a damaged or foreign file, as a message lists them: a plain name
    is quoted (it tells a misspelt field); any other is described, never quoted, because a
    damaged file can put a piece of a secret where a name was
    (mut-tpl-vault.json--duplicate-48). At most NAMES_SHOWN, the others counted. `quote=False`
    shows a plain name bare (the account message as the format vectors pin it)."""
    ordered = sorted(names)
    shown = [(quoted(name) if quote else name) if _plain(name) else f"a name that {described(name)}"
             if name.strip() else "an empty name" for name in ordered[:NAMES_SHOWN]]
    if len(ordered) > NAMES_SHOWN:
        shown.append(f"{len(ordered) - NAMES_SHOWN:,} more")
    return ", ".join(shown)


def vault_from_json(data: bytes | str) -> Vault:
    """Read a paper2fa vault JSON file; refuses other formats, unknown versions and fields."""
    obj = json_input.loads(data, "not a paper2fa vault file")
    if not isinstance(obj, dict) or obj.get("format") != C.VAULT_FORMAT:
        raise FormatError("not a paper2fa vault file (no \"format\": \"paper2fa-vault\")")
    if obj.get("version") != C.VAULT_VERSION:
        version = shortened(repr(obj.get("version")), 20)
        raise UnknownVersionError(f"vault format version {version} is not supported")
    unknown = set(obj) - _VAULT_KEYS
    if unknown:
        raise FormatError(f"not a paper2fa vault file: unknown top-level fields "
                          f"{field_names(unknown)}")
    accounts = obj.get("accounts")
    if not isinstance(accounts, list):
        raise FormatError("the vault has no account list")
    if len(accounts) > C.MAX_IMPORT_ENTRIES:
        raise FormatError(f"the vault has more than {C.MAX_IMPORT_ENTRIES} accounts")
    return Vault(tuple(Account.from_json(a) for a in accounts))


def vault_to_paper(vault: Vault) -> bytes:
    """The plain vault as carried by home-safe QR frames and text lines: zlib of its canonical
    bytes (docs/FORMAT.md section 4), about a seventh of the size, so a seventh of the codes."""
    return zlib.compress(vault.canonical_bytes(), 9)


def vault_from_paper(data: bytes) -> Vault:
    """Decode `vault_to_paper`; the decompressed size is capped before it is reached."""
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(data, C.MAX_DECOMPRESSED_BYTES)
    except zlib.error:
        raise FormatError("the vault from the paper is not valid compressed data") from None
    if inflater.unconsumed_tail or not inflater.eof:
        raise FormatError("the vault from the paper is truncated or too large")
    if inflater.unused_data:  # as for a sealed vault: nothing may follow the zlib stream
        raise FormatError("the vault from the paper has data after its end")
    return vault_from_json(raw)


def is_vault_json(data: bytes) -> bool:
    """Sniff a vault file. `format` sorts after `accounts`, so it is near the end: search all."""
    head = data[:200].lstrip()
    return head.startswith(b"{") and b'"format":"paper2fa-vault"' in data.replace(b" ", b"")


def account_identity(account: Account) -> tuple[str, str, tuple[str, bytes, str, int, int, int]]:
    """What makes two entries one account: the same issuer, name, secret and settings."""
    return (account.issuer, account.name, account.params_key)


def shared_secret_groups(accounts: Iterable[Account]) -> tuple[tuple[Account, ...], ...]:
    """Groups of two or more accounts that hold the same secret (whatever their names or
    settings), each group and the groups in canonical order."""
    groups: dict[bytes, list[Account]] = {}
    for account in accounts:
        groups.setdefault(account.secret, []).append(account)
    found = [tuple(sorted(g, key=account_sort_key)) for g in groups.values() if len(g) > 1]
    return tuple(sorted(found, key=lambda g: account_sort_key(g[0])))


def shared_secret_note(groups: Sequence[Sequence[Account]]) -> str | None:
    """"3 accounts share a secret with another account: A; B; C" (None when there are none)."""
    labels = [a.label for group in groups for a in group]
    if not labels:
        return None
    return f"{len(labels)} accounts share a secret with another account: {named(labels)}"


def _union(values: Iterable[str]) -> tuple[str, ...]:
    """Each value once, in first-seen order."""
    return tuple(dict.fromkeys(values))


def combine_accounts(entries: Sequence[Account]) -> Account:
    """One account from entries with the same secret and settings, losing nothing: every note,
    tag, recovery code and other factor of each is kept. The first entry in canonical order
    gives the issuer and name; other names are added to the notes ("Also named: ...")."""
    ordered = sorted(entries, key=account_sort_key)
    first = ordered[0]
    if any(e.params_key != first.params_key for e in ordered):
        raise ValueError("only entries with the same secret and settings can be combined")
    notes = [n for n in _union(e.notes.strip() for e in ordered) if n]
    other_names = _union(e.label for e in ordered if (e.issuer, e.name) != (first.issuer,
                                                                            first.name))
    if other_names:
        notes.append("Also named: " + "; ".join(other_names))
    return first.with_changes(
        notes="\n\n".join(notes),
        tags=_union(t for e in ordered for t in e.tags),
        recovery_codes=_union(c for e in ordered for c in e.recovery_codes),
        other_factors=_union(f for e in ordered for f in e.other_factors),
    )


def named(labels: Sequence[str], limit: int = C.MAX_LISTED_NOTES) -> str:
    """Labels joined for a one-line note: the first `limit`, then "and N more"."""
    shown = "; ".join(labels[:limit])
    return shown + (f"; and {len(labels) - limit} more" if len(labels) > limit else "")


@dataclass(frozen=True)
class MergeResult:
    """Merged accounts, the groups that became one account each, and the groups of accounts
    kept apart that share a secret."""

    vault: Vault
    merged: tuple[tuple[Account, ...], ...] = ()
    shared_secret: tuple[tuple[Account, ...], ...] = ()

    @property
    def merged_note(self) -> str | None:
        """One summarised line on the entries combined (names, never secrets)."""
        if not self.merged:
            return None
        count = sum(len(g) for g in self.merged)
        labels = [f"{g[0].label} ({len(g)} entries)" for g in self.merged]
        accounts = counted(len(self.merged), "account", "accounts")
        return (f"{count} entries were {accounts} given more than once (same issuer, name, "
                "secret and settings): each is kept once, with every note, tag and recovery "
                f"code: {named(labels)}")

    @property
    def shared_note(self) -> str | None:
        """One summarised line on the accounts kept apart that share a secret."""
        return shared_secret_note(self.shared_secret)

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(n for n in (self.merged_note, self.shared_note) if n)


def merge_accounts(groups: Sequence[Iterable[Account]], same_secret: bool = False
                   ) -> MergeResult:
    """Join accounts from one or several imports without losing any.

    Entries with the same issuer, name, secret and settings are one account: they are combined
    (`combine_accounts`). Accounts that share a secret under another issuer or name are kept
    and reported in `shared_secret`; with `same_secret`, those with the same secret and
    settings are combined too (their other names go to the notes). The result does not depend
    on the order of the groups or of the accounts in them.
    """
    key = (lambda a: a.params_key) if same_secret else account_identity
    found: dict[Any, list[Account]] = {}
    for group in groups:
        for account in group:
            found.setdefault(key(account), []).append(account)
    merged = tuple(sorted((tuple(sorted(g, key=account_sort_key)) for g in found.values()
                           if len(g) > 1), key=lambda g: account_sort_key(g[0])))
    vault = Vault(tuple(combine_accounts(g) if len(g) > 1 else g[0] for g in found.values()))
    return MergeResult(vault, merged, shared_secret_groups(vault.accounts))
