"""The sealed vault: canonical vault bytes, compressed and sealed with AES-256-GCM.

Layout, key schedule and limits are specified in docs/FORMAT.md, section 2. The whole header
is the associated data, so no header field can change unnoticed; the AEAD is checked before
anything is decompressed or parsed. A failed key unwrap is "wrong passphrase"; every other
failure to open is one opaque DamagedError.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from toolkit import constants as C
from toolkit.display import quoted
from toolkit.errors import (
    DamagedError,
    FormatError,
    UnknownVersionError,
    UsageError,
    VerifyError,
    WrongPasswordError,
)
from toolkit.model import Vault, vault_from_json

Rng = Callable[[int], bytes]

MAGIC = C.SEALED_MAGIC
"""First bytes of every sealed vault."""

VERSION = 1
"""Sealed vault format version; readers refuse any other."""

SCHEME_PASSPHRASE = 0
SCHEME_PYSHAMIR = 1
SCHEME_SLIP39 = 2
SCHEMES = {SCHEME_PASSPHRASE: "passphrase", SCHEME_PYSHAMIR: "pyshamir", SCHEME_SLIP39: "slip39"}
"""How the key is held: by a passphrase only, or split k-of-n (paper2fa words or SLIP-39)."""

KDF_NONE = 0
KDF_SCRYPT = 1

KEY_LEN = 32
"""Data key and split secret: 256 bits."""

NONCE_LEN = 12
TAG_LEN = 16
SALT_LEN = 16
SET_ID_LEN = 5
"""A set id is 40 random bits, written as 8 base32 characters."""

COMMITMENT_LEN = 16
"""Truncated SHA-256 per share (128 bits)."""

FINGERPRINT_LEN = 10
CHECK_LEN = 32
"""Trailing SHA-256 of everything before it: tells accidental damage from a wrong passphrase."""

MAX_SHARES = 16
MIN_THRESHOLD = 2

MAX_KDF_WORK = 1024 * 1024 * 1024
"""Readers refuse scrypt parameters with 128 * r * N * p above this (memory times passes)."""

MAX_KDF_MEMORY = 256 * 1024 * 1024
"""Readers refuse scrypt parameters with 128 * r * N above this (memory), so that opening a
forged file stays under 1 GiB; twice what writers use."""

WRAP_INFO = b"paper2fa-sealed v1 key wrap"
"""HKDF info string of the key-encryption key."""


@dataclass(frozen=True)
class KdfParams:
    """scrypt cost: N = 2**log_n, r, p. The reader bounds them (see `check`)."""

    log_n: int
    r: int
    p: int

    def check(self) -> None:
        if not (1 <= self.log_n <= 20 and 1 <= self.r <= 32 and 1 <= self.p <= 16):
            raise FormatError(f"the sealed vault asks for absurd passphrase-KDF parameters "
                              f"(scrypt N=2^{self.log_n}, r={self.r}, p={self.p})",
                              hint="this file was not made by paper2fa, or it is damaged")
        if 128 * self.r * (2**self.log_n) * self.p > MAX_KDF_WORK:
            raise FormatError("the sealed vault asks for more than 1 GiB of passphrase-KDF work "
                              f"(scrypt N=2^{self.log_n}, r={self.r}, p={self.p})",
                              hint="this file was not made by paper2fa, or it is damaged")
        if 128 * self.r * (2**self.log_n) > MAX_KDF_MEMORY:
            raise FormatError("the sealed vault asks for more than 256 MiB of memory for its "
                              f"passphrase KDF (scrypt N=2^{self.log_n}, r={self.r}, p={self.p})",
                              hint="this file was not made by paper2fa, or it is damaged")


KDF_PROFILES = {
    "default": KdfParams(log_n=17, r=8, p=1),
    "test": KdfParams(log_n=4, r=1, p=1),
}
"""Real cost (128 MiB, one or two seconds) and a cheap one for tests only."""


def normalize_passphrase(passphrase: str) -> bytes:
    """UTF-8 of the NFKC form, so the same text typed on another keyboard gives the same key;
    a leading byte order mark (left by some editors in a passphrase file) is not part of it."""
    return unicodedata.normalize("NFKC", passphrase).removeprefix("\ufeff").encode("utf-8")


def check_new_passphrase(passphrase: str) -> None:
    """Refuse a passphrase to seal under that is empty once normalised: "", spaces, or e.g. a
    passphrase file holding only a byte-order mark and a newline."""
    if not normalize_passphrase(passphrase).strip():
        raise UsageError("the passphrase is empty or only spaces: choose a real one",
                         hint="check the passphrase file, or type the passphrase")


def check_generation(generation: int) -> int:
    """A new backup's generation number, checked: 1 to 65535 (two bytes in the header, FORMAT.md
    section 2). Every command and seal checks it here, so all refuse it alike (UsageError)."""
    if not 1 <= generation <= 0xFFFF:
        raise UsageError(f"the generation must be a number from 1 to 65535, not {generation}",
                         hint="a reprint's generation is the last one + 1: give it with "
                         "--generation N")
    return generation


def set_id_text(set_id: bytes) -> str:
    return base64.b32encode(set_id).decode("ascii")


def set_id_from_text(text: str) -> bytes:
    try:
        raw = base64.b32decode(text.strip().upper())
    except ValueError:
        raise FormatError(f"{quoted(text.strip(), 20)} is not a set id (8 base32 "
                          "characters)") from None
    if len(raw) != SET_ID_LEN:
        raise FormatError(f"{quoted(text.strip(), 20)} is not a set id (8 base32 characters)")
    return raw


def fingerprint_text(raw: bytes) -> str:
    text = base64.b32encode(raw).decode("ascii")[: C.FINGERPRINT_GROUPS * C.FINGERPRINT_GROUP_LEN]
    g = C.FINGERPRINT_GROUP_LEN
    return "-".join(text[i : i + g] for i in range(0, len(text), g))


def commitment(set_id: bytes, x: int, y: bytes) -> bytes:
    """The per-share commitment held in the sealed header: SHA-256(set id || x || y)[:16]."""
    return hashlib.sha256(set_id + bytes([x]) + y).digest()[:COMMITMENT_LEN]


@dataclass(frozen=True)
class Header:
    """Everything before the ciphertext; all of it is associated data."""

    set_id: bytes
    generation: int
    scheme: int
    threshold: int
    share_count: int
    commitments: tuple[bytes, ...]
    kdf: KdfParams | None
    salt: bytes
    fingerprint: bytes
    created: date
    wrap_nonce: bytes
    wrapped_key: bytes
    nonce: bytes

    @property
    def set_id_text(self) -> str:
        return set_id_text(self.set_id)

    @property
    def fingerprint_text(self) -> str:
        return fingerprint_text(self.fingerprint)

    @property
    def has_passphrase(self) -> bool:
        return self.kdf is not None

    @property
    def scheme_name(self) -> str:
        return SCHEMES[self.scheme]

    def core_bytes(self) -> bytes:
        """The header up to the created date: the associated data of the key wrap."""
        out = bytearray(MAGIC)
        out += struct.pack(">B5sHBBB", VERSION, self.set_id, self.generation, self.scheme,
                           self.threshold, self.share_count)
        for c in self.commitments:
            out += c
        if self.kdf is None:
            out += bytes([KDF_NONE])
        else:
            out += struct.pack(">BBBB", KDF_SCRYPT, self.kdf.log_n, self.kdf.r, self.kdf.p)
            out += self.salt
        out += self.fingerprint
        out += struct.pack(">HBB", self.created.year, self.created.month, self.created.day)
        return bytes(out)

    def to_bytes(self) -> bytes:
        wrap = self.wrap_nonce + self.wrapped_key if self.kdf is not None else b""
        return self.core_bytes() + wrap + self.nonce


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise DamagedError("the sealed vault is damaged or tampered (it is truncated)")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def byte(self) -> int:
        return self.take(1)[0]


def parse_header(data: bytes) -> tuple[Header, int]:
    """Parse and bound the header; returns it and the offset where the ciphertext starts."""
    if not data.startswith(MAGIC):
        raise FormatError("not a paper2fa sealed vault (no paper2fa-sealed magic)")
    r = _Reader(data)
    r.take(len(MAGIC))
    version = r.byte()
    if version != VERSION:
        raise UnknownVersionError(f"sealed vault format version {version} is not supported")
    set_id = r.take(SET_ID_LEN)
    generation = int.from_bytes(r.take(2), "big")
    scheme, k, n = r.byte(), r.byte(), r.byte()
    if scheme not in SCHEMES:
        raise FormatError(f"unknown key scheme {scheme} in the sealed vault")
    if scheme == SCHEME_PASSPHRASE:
        if k or n:
            raise FormatError("a passphrase-only sealed vault cannot have shares")
    elif not MIN_THRESHOLD <= k <= n <= MAX_SHARES:
        raise FormatError(f"the sealed vault says {k} of {n} shares, which is impossible")
    commitments = tuple(r.take(COMMITMENT_LEN) for _ in range(n))
    kdf_id = r.byte()
    kdf: KdfParams | None = None
    salt = b""
    if kdf_id == KDF_SCRYPT:
        kdf = KdfParams(r.byte(), r.byte(), r.byte())
        kdf.check()
        salt = r.take(SALT_LEN)
    elif kdf_id != KDF_NONE:
        raise FormatError(f"unknown passphrase KDF {kdf_id} in the sealed vault")
    if scheme == SCHEME_PASSPHRASE and kdf is None:
        raise FormatError("a passphrase-only sealed vault has no passphrase KDF")
    fingerprint = r.take(FINGERPRINT_LEN)
    year, month, day = struct.unpack(">HBB", r.take(4))
    try:
        created = date(year, month, day)
    except ValueError:
        raise DamagedError("the sealed vault is damaged or tampered (bad date)") from None
    wrap_nonce = wrapped = b""
    if kdf is not None:
        wrap_nonce = r.take(NONCE_LEN)
        wrapped = r.take(KEY_LEN + TAG_LEN)
    nonce = r.take(NONCE_LEN)
    header = Header(set_id, generation, scheme, k, n, commitments, kdf, salt, fingerprint,
                    created, wrap_nonce, wrapped, nonce)
    return header, r.pos


@dataclass(frozen=True)
class SealedVault:
    """A sealed vault as bytes: header, ciphertext, and the trailing check hash."""

    header: Header
    ciphertext: bytes

    def to_bytes(self) -> bytes:
        body = self.header.to_bytes() + self.ciphertext
        return body + hashlib.sha256(body).digest()

    @classmethod
    def from_bytes(cls, data: bytes) -> SealedVault:
        """Magic and version, then the check hash, then the header (so accidental damage is
        always DamagedError); raises FormatError/UnknownVersionError/DamagedError."""
        data = bytes(data)
        if not data.startswith(MAGIC):
            raise FormatError("not a paper2fa sealed vault (no paper2fa-sealed magic)")
        if len(data) <= len(MAGIC):
            raise DamagedError("the sealed vault is damaged or tampered (it is truncated)")
        if data[len(MAGIC)] != VERSION:
            raise UnknownVersionError(f"sealed vault format version {data[len(MAGIC)]} is not "
                                      "supported")
        if len(data) < len(MAGIC) + 1 + CHECK_LEN:
            raise DamagedError("the sealed vault is damaged or tampered (it is truncated)")
        body, check = data[:-CHECK_LEN], data[-CHECK_LEN:]
        if not hmac.compare_digest(hashlib.sha256(body).digest(), check):
            raise DamagedError("the sealed vault is damaged or tampered")
        header, start = parse_header(body)
        if len(body) < start + TAG_LEN:
            raise DamagedError("the sealed vault is damaged or tampered (it is truncated)")
        if header.to_bytes() != body[:start]:  # the AAD is rebuilt from the fields: same bytes
            raise DamagedError("the sealed vault is damaged or tampered (odd header)")
        return cls(header, body[start:])

    @property
    def associated_data(self) -> bytes:
        return self.header.to_bytes()


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def passphrase_key(header: Header, passphrase: str) -> bytes:
    """scrypt of the passphrase under the header's salt and (bounded) parameters."""
    if header.kdf is None:
        raise ValueError("this sealed vault has no passphrase")
    header.kdf.check()
    return _scrypt(normalize_passphrase(passphrase), header.salt, header.kdf)


def _scrypt(secret: bytes, salt: bytes, kdf: KdfParams) -> bytes:
    return Scrypt(salt=salt, length=KEY_LEN, n=2**kdf.log_n, r=kdf.r, p=kdf.p).derive(secret)


def _wrapping_key(split_secret: bytes | None, pass_key: bytes) -> bytes:
    ikm = (split_secret or b"") + pass_key
    return HKDF(algorithm=hashes.SHA256(), length=KEY_LEN, salt=None, info=WRAP_INFO).derive(ikm)


def _compress(data: bytes) -> bytes:
    return zlib.compress(data, 9)


def _decompress(data: bytes) -> bytes:
    d = zlib.decompressobj()
    try:
        out = d.decompress(data, C.MAX_DECOMPRESSED_BYTES)
    except zlib.error:
        raise DamagedError("the sealed vault is damaged or tampered") from None
    if d.unconsumed_tail or d.unused_data or not d.eof:
        raise DamagedError("the sealed vault is damaged or tampered (too large or incomplete)")
    return out


@dataclass(frozen=True)
class SealInputs:
    """What a seal needs besides the vault; split code fills in scheme, k, n and commitments."""

    scheme: int = SCHEME_PASSPHRASE
    threshold: int = 0
    share_count: int = 0
    commitments: tuple[bytes, ...] = ()
    generation: int = 1


def seal(
    vault: Vault,
    *,
    split_secret: bytes | None,
    passphrase: str | None,
    set_id: bytes,
    inputs: SealInputs,
    kdf: KdfParams = KDF_PROFILES["default"],
    rng: Rng = os.urandom,
    now: datetime | None = None,
) -> tuple[SealedVault, bytes]:
    """Seal a vault; returns it and the data key. See docs/FORMAT.md section 2.

    Without a passphrase the split secret is the data key. With one, a fresh data key is
    wrapped under HKDF(split secret || scrypt(passphrase)).
    """
    if len(set_id) != SET_ID_LEN:
        raise ValueError("a set id is 5 bytes")
    check_generation(inputs.generation)
    if passphrase is not None:
        check_new_passphrase(passphrase)
    if inputs.scheme == SCHEME_PASSPHRASE and not passphrase:
        raise ValueError("a passphrase-only seal needs a passphrase")
    if inputs.scheme != SCHEME_PASSPHRASE and (split_secret is None
                                               or len(split_secret) != KEY_LEN):
        raise ValueError("a split seal needs a 32-byte split secret")
    if len(inputs.commitments) != inputs.share_count:
        raise ValueError("one commitment per share")
    canonical = vault.canonical_bytes()
    created = (now or datetime.now(UTC)).astimezone(UTC).date()
    salt = wrap_nonce = wrapped = b""
    use_kdf = kdf if passphrase else None
    if passphrase:
        salt = rng(SALT_LEN)
        key = rng(KEY_LEN)
        wrap_nonce = rng(NONCE_LEN)
    else:
        assert split_secret is not None
        key = split_secret
    header = Header(set_id, inputs.generation, inputs.scheme, inputs.threshold,
                    inputs.share_count, tuple(inputs.commitments), use_kdf, salt,
                    hashlib.sha256(canonical).digest()[:FINGERPRINT_LEN], created,
                    wrap_nonce, b"\0" * (KEY_LEN + TAG_LEN) if passphrase else b"",
                    rng(NONCE_LEN))
    if passphrase and use_kdf is not None:
        kek = _wrapping_key(split_secret, _scrypt(normalize_passphrase(passphrase), salt, use_kdf))
        wrapped = AESGCM(kek).encrypt(wrap_nonce, key, header.core_bytes())
        header = replace(header, wrapped_key=wrapped)
    ciphertext = AESGCM(key).encrypt(header.nonce, _compress(canonical), header.to_bytes())
    return SealedVault(header, ciphertext), key


def data_key(sealed: SealedVault, split_secret: bytes | None = None,
             pass_key: bytes | None = None) -> bytes:
    """The data key from the split secret and/or the passphrase key (scrypt output)."""
    h = sealed.header
    if h.kdf is None:
        if split_secret is None:
            raise ValueError("this sealed vault is opened with shares")
        return split_secret
    if pass_key is None:
        raise ValueError("this sealed vault needs its passphrase")
    kek = _wrapping_key(split_secret if h.scheme != SCHEME_PASSPHRASE else None, pass_key)
    try:
        return AESGCM(kek).decrypt(h.wrap_nonce, h.wrapped_key, h.core_bytes())
    except InvalidTag:
        raise WrongPasswordError("wrong passphrase: it does not open this sealed vault") from None


def open_canonical(sealed: SealedVault, key: bytes) -> bytes:
    """AEAD-open with the data key, then decompress (capped); raises one opaque DamagedError."""
    try:
        compressed = AESGCM(key).decrypt(sealed.header.nonce, sealed.ciphertext,
                                         sealed.associated_data)
    except (InvalidTag, ValueError):
        raise DamagedError("the sealed vault is damaged or tampered") from None
    return _decompress(compressed)


def open_sealed(sealed: SealedVault, key: bytes | None = None, passphrase: str | None = None,
                *, pass_key: bytes | None = None) -> Vault:
    """Open a sealed vault with the split secret (key) and/or passphrase; returns the vault.

    Raises WrongPasswordError for a passphrase that does not unwrap the key, DamagedError for
    anything else that fails (including a wrong split secret).
    """
    if sealed.header.has_passphrase and pass_key is None:
        if passphrase is None:
            raise WrongPasswordError("this sealed vault needs its passphrase")
        pass_key = passphrase_key(sealed.header, passphrase)
    dk = data_key(sealed, key, pass_key)
    canonical = open_canonical(sealed, dk)
    try:
        vault = vault_from_json(canonical)
    except FormatError:
        raise DamagedError("the sealed vault is damaged or tampered") from None
    if vault.canonical_bytes() != canonical or not hmac.compare_digest(
            hashlib.sha256(canonical).digest()[:FINGERPRINT_LEN], sealed.header.fingerprint):
        raise DamagedError("the sealed vault is damaged or tampered")
    return vault


def seal_with_passphrase(vault: Vault, passphrase: str, *, kdf: KdfParams = KDF_PROFILES[
        "default"], rng: Rng = os.urandom, now: datetime | None = None,
        generation: int = 1) -> SealedVault:
    """`paper2fa seal`: a fresh data key wrapped under the passphrase alone."""
    sealed, _ = seal(vault, split_secret=None, passphrase=passphrase, set_id=rng(SET_ID_LEN),
                     inputs=SealInputs(generation=generation), kdf=kdf, rng=rng, now=now)
    return sealed


def seal_checked(vault: Vault, passphrase: str, *, kdf: KdfParams = KDF_PROFILES["default"],
                 now: datetime | None = None, generation: int = 1) -> SealedVault:
    """`seal_with_passphrase`, then the sealed bytes read back and opened with the passphrase:
    VerifyError unless they give back exactly `vault` (`paper2fa seal` and `print
    --passphrase-file` write nothing then)."""
    sealed = seal_with_passphrase(vault, passphrase, kdf=kdf, now=now, generation=generation)
    if open_sealed(SealedVault.from_bytes(sealed.to_bytes()), passphrase=passphrase) != vault:
        raise VerifyError("the sealed vault did not open to the same accounts; nothing written")
    return sealed


def commitments_for(set_id: bytes, points: Sequence[tuple[int, bytes]]) -> tuple[bytes, ...]:
    return tuple(commitment(set_id, x, y) for x, y in points)


@dataclass(frozen=True)
class HeaderPeek:
    """What the first bytes of a sealed vault say, read before the whole of it is available
    (from the first QR frame of a sheet). Unverified: used to group sheets and to tell people
    what a backup is, never to open anything. Fields past the given bytes are None."""

    set_id: bytes
    generation: int
    scheme: int
    threshold: int
    share_count: int
    fingerprint: bytes | None
    created: date | None

    @property
    def set_id_text(self) -> str:
        return set_id_text(self.set_id)


def peek_header(prefix: bytes) -> HeaderPeek | None:
    """The header fields found in the first bytes of a sealed vault (docs/FORMAT.md §2), or
    None when they are too short or are not a version-1 sealed vault."""
    fixed = len(MAGIC) + 1 + SET_ID_LEN + 5
    if len(prefix) < fixed or not prefix.startswith(MAGIC) or prefix[len(MAGIC)] != VERSION:
        return None
    set_id, generation, scheme, k, n = struct.unpack_from(">5sHBBB", prefix, len(MAGIC) + 1)
    if scheme not in SCHEMES or n > MAX_SHARES:
        return None
    pos = fixed + COMMITMENT_LEN * n
    fingerprint: bytes | None = None
    created: date | None = None
    if len(prefix) > pos:
        pos += 1 + (3 + SALT_LEN if prefix[pos] == KDF_SCRYPT else 0)
        if len(prefix) >= pos + FINGERPRINT_LEN:
            fingerprint = prefix[pos:pos + FINGERPRINT_LEN]
        pos += FINGERPRINT_LEN
        if len(prefix) >= pos + 4:
            year, month, day = struct.unpack_from(">HBB", prefix, pos)
            try:
                created = date(year, month, day)
            except ValueError:
                created = None
    return HeaderPeek(set_id, generation, scheme, k, n, fingerprint, created)
