"""Split and combine the key of a sealed vault: share records, set checks, self-test.

Two schemes (docs/FORMAT.md, section 3):
- "pyshamir": paper2fa share records (set id, version, generation, k, n, x, y) written as 37
  checksum words and as QR text; split with pyshamir over GF(2^8).
- "slip39": standard SLIP-39 mnemonics (one group, k-of-n, empty SLIP-39 passphrase) made and
  read by shamir-mnemonic, so any SLIP-39 implementation can recombine the key.
Every share is checked against its commitment in the sealed header before anything is combined.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import itertools
import math
import os
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Final

import pyshamir
import shamir_mnemonic
from anyascii import anyascii
from shamir_mnemonic import rs1024
from shamir_mnemonic.shamir import EncryptedMasterSecret, decode_mnemonics, recover_ems, split_ems

from toolkit import envelope, words
from toolkit.envelope import (
    KEY_LEN,
    MAX_SHARES,
    MIN_THRESHOLD,
    SCHEME_PYSHAMIR,
    SCHEME_SLIP39,
    Header,
    KdfParams,
    SealedVault,
)
from toolkit.errors import (
    NotEnoughError,
    Paper2faError,
    ShareError,
    Source,
    UnknownVersionError,
    UsageError,
    VerifyError,
)
from toolkit.model import Vault
from toolkit.texts import DEFAULT_LANGUAGE, fill, load_texts

Rng = Callable[[int], bytes]

SHARE_VERSION = 1
"""Version of the paper2fa share record; readers refuse any other."""

RECORD_LEN = 10 + KEY_LEN
"""set id 5, version 1, generation 2, k/n 1, x 1, y 32."""

WORD_COUNT = words.data_word_count(RECORD_LEN) + words.CHECKSUM_WORDS
"""37 words per paper2fa share."""

QR_PREFIX = "P2FA-SHARE:"
"""QR text of a paper2fa share: this prefix, then the record as base32 without padding."""

SLIP39_QR_PREFIX = "P2FA-SLIP39:"
"""QR text of a SLIP-39 share: this prefix, then its words in capitals separated by spaces."""

SLIP39_ITERATION_EXPONENT = 0
"""SLIP-39 PBKDF2 cost; the SLIP-39 passphrase is always empty, so more cost protects nothing."""

SELF_TEST_SUBSETS = 200
"""Up to this many k-subsets, the self-test recombines every one of them."""

SCHEME_NAMES = {"pyshamir": SCHEME_PYSHAMIR, "slip39": SCHEME_SLIP39}

MAX_NAMED = 8
"""An error names at most this many left-out shares or inputs (it stays one readable line)."""


def bounded(named: Sequence[str], lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """The first MAX_NAMED of `named`, and "and N more" (in `lang`) for the rest: the one owner
    of how a refusal (here and toolkit.recovery.report) names what it left out."""
    more = len(named) - MAX_NAMED
    texts = load_texts("restore_messages", lang)["left_out"]
    return list(named[:MAX_NAMED]) + ([fill(texts["more"], count=more)] if more > 0 else [])


def with_left_out(message: str, named: Sequence[str], lang: str = DEFAULT_LANGUAGE) -> str:
    """A refusal's `message` followed by what was left out (`bounded`), in `lang`'s words:
    "1 of 2 needed shares: need 1 more; left out: a.txt: ...; b.txt: ..."."""
    texts = load_texts("restore_messages", lang)["left_out"]
    return fill(texts["list"], message=message,
                items=texts["separator"].join(bounded(named, lang)))


@dataclass(frozen=True)
class Share:
    """One paper2fa share record (scheme "pyshamir")."""

    set_id: bytes
    generation: int
    threshold: int
    share_count: int
    x: int
    y: bytes = field(repr=False)
    version: int = SHARE_VERSION

    def to_bytes(self) -> bytes:
        if not (MIN_THRESHOLD <= self.threshold <= self.share_count <= MAX_SHARES):
            raise ValueError("bad k or n")
        return (self.set_id + bytes([self.version]) + self.generation.to_bytes(2, "big")
                + bytes([(self.threshold - 1) << 4 | (self.share_count - 1), self.x]) + self.y)

    @classmethod
    def from_bytes(cls, data: bytes) -> Share:
        if len(data) < 6:
            raise ShareError("the share record is too short")
        if data[5] != SHARE_VERSION:
            raise UnknownVersionError(f"share format version {data[5]} is not supported")
        if len(data) != RECORD_LEN:
            raise ShareError(f"the share record has {len(data)} bytes, not {RECORD_LEN}")
        k, n = (data[8] >> 4) + 1, (data[8] & 15) + 1
        if not MIN_THRESHOLD <= k <= n:
            raise ShareError(f"the share says {k} of {n}, which is impossible")
        return cls(set_id=data[:5], generation=int.from_bytes(data[6:8], "big"), threshold=k,
                   share_count=n, x=data[9], y=data[10:], version=data[5])

    @property
    def scheme(self) -> int:
        return SCHEME_PYSHAMIR

    @property
    def set_text(self) -> str:
        return envelope.set_id_text(self.set_id)

    def words(self) -> list[str]:
        return words.encode(self.to_bytes())

    @classmethod
    def from_words(cls, typed: Sequence[str] | str) -> Share:
        seq = words.split_words(typed) if isinstance(typed, str) else list(typed)
        return cls.from_bytes(words.decode(seq, RECORD_LEN))

    def qr_text(self) -> str:
        return QR_PREFIX + base64.b32encode(self.to_bytes()).decode("ascii").rstrip("=")

    @classmethod
    def from_qr_text(cls, text: str) -> Share:
        body = text.strip()
        if not body.upper().startswith(QR_PREFIX):
            raise ShareError(f"not a paper2fa share QR text (it does not start with {QR_PREFIX})")
        body = body[len(QR_PREFIX):].upper().rstrip("=")
        try:
            raw = base64.b32decode(body + "=" * (-len(body) % 8))
        except (binascii.Error, ValueError):
            raise ShareError("the share QR text is damaged (not base32)") from None
        if base64.b32encode(raw).decode("ascii").rstrip("=") != body:  # unused bits not zero
            raise ShareError("the share QR text is damaged (its last character is impossible)")
        return cls.from_bytes(raw)

    def point(self) -> tuple[int, bytes]:
        return self.x, self.y


@dataclass(frozen=True)
class Slip39Share:
    """One standard SLIP-39 mnemonic share (scheme "slip39")."""

    mnemonic: str = field(repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "mnemonic", " ".join(self.mnemonic.lower().split()))
        self.parsed  # noqa: B018 - validates

    @property
    def parsed(self) -> shamir_mnemonic.Share:
        return _parse_slip39(self.mnemonic)

    @property
    def scheme(self) -> int:
        return SCHEME_SLIP39

    @property
    def identifier(self) -> int:
        return int(self.parsed.identifier)

    @property
    def threshold(self) -> int:
        return int(self.parsed.member_threshold)

    @property
    def x(self) -> int:
        return int(self.parsed.index)

    @property
    def y(self) -> bytes:
        return bytes(self.parsed.value)

    def point(self) -> tuple[int, bytes]:
        return self.x, self.y

    def words(self) -> list[str]:
        return self.mnemonic.split()

    @classmethod
    def from_words(cls, typed: Sequence[str] | str) -> Slip39Share:
        seq = words.split_words(typed) if isinstance(typed, str) else list(typed)
        indices = words.to_indices(seq)
        return cls(" ".join(words.wordlist()[i] for i in indices))

    def qr_text(self) -> str:
        return SLIP39_QR_PREFIX + self.mnemonic.upper()

    @classmethod
    def from_qr_text(cls, text: str) -> Slip39Share:
        body = text.strip()
        if not body.upper().startswith(SLIP39_QR_PREFIX):
            raise ShareError(f"not a SLIP-39 share QR text (no {SLIP39_QR_PREFIX} prefix)")
        return cls.from_words(body[len(SLIP39_QR_PREFIX):])


AnyShare = Share | Slip39Share


def _parse_slip39(mnemonic: str) -> shamir_mnemonic.Share:
    try:
        return shamir_mnemonic.Share.from_mnemonic(mnemonic)
    except shamir_mnemonic.MnemonicError as exc:
        raise ShareError(f"not a valid SLIP-39 share: {_slip39_message(exc)}") from None


def _slip39_message(exc: Exception) -> str:
    """shamir-mnemonic's message without the words it quotes (share words are secrets)."""
    text = re.sub(r'\s*(for )?"[^"]*"', "", str(exc)[:300])
    return text.rstrip(".").replace("Invalid mnemonic checksum", "the checksum is wrong")


def share_from_text(text: str, scheme: int | None = None) -> AnyShare:
    """A share from its QR text or its words (scheme found from the prefix or the checksum)."""
    body = text.strip()
    upper = body.upper()
    if upper.startswith(QR_PREFIX):
        return Share.from_qr_text(body)
    if upper.startswith(SLIP39_QR_PREFIX):
        return Slip39Share.from_qr_text(body)
    seq, indices = words.text_indices(body)
    if len(seq) > words.MAX_TYPED_WORDS:
        raise ShareError(f"more than {words.MAX_TYPED_WORDS} words were given; a paper2fa "
                         f"share has {WORD_COUNT} (a SLIP-39 share 20 or 33)")
    is_ours = len(indices) == WORD_COUNT and words.checksum_ok(indices)
    is_slip39 = any(rs1024.verify_checksum(indices, c) for c in (b"shamir", b"shamir_extendable"))
    # a share of the other scheme is returned as such, so the check names the mix-up
    if scheme == SCHEME_PYSHAMIR:
        return Slip39Share.from_words(seq) if is_slip39 else Share.from_words(seq)
    if scheme == SCHEME_SLIP39:
        return Share.from_words(seq) if is_ours else Slip39Share.from_words(seq)
    if is_ours:
        return Share.from_words(seq)
    if is_slip39:
        return Slip39Share.from_words(seq)
    if len(indices) == WORD_COUNT:
        return Share.from_words(seq)  # raises the checksum error
    if len(indices) in (20, 33):
        return Slip39Share.from_words(seq)  # raises the SLIP-39 checksum error
    raise ShareError(f"{len(indices)} words were given; a paper2fa share has {WORD_COUNT} "
                     "(a SLIP-39 share 20 or 33)")


# --- GF(2^8), polynomial 0x11B: a fast Lagrange check for the self-test -----------------------

def _tables() -> tuple[list[int], list[int]]:
    exp, log = [0] * 510, [0] * 256
    value = 1
    for i in range(255):
        exp[i] = exp[i + 255] = value
        log[value] = i
        value ^= (value << 1) ^ (0x11B if value & 0x80 else 0)  # times 3
        value &= 0xFF
    return exp, log


_EXP, _LOG = _tables()


def _mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


def interpolate_at_zero(points: Sequence[tuple[int, bytes]]) -> bytes:
    """Lagrange interpolation at x = 0, byte by byte (same result as pyshamir.combine)."""
    out = bytearray(len(points[0][1]))
    for i, (xi, yi) in enumerate(points):
        num, den = 1, 1
        for j, (xj, _) in enumerate(points):
            if i != j:
                num = _mul(num, xj)
                den = _mul(den, xi ^ xj)
        coeff = _EXP[(_LOG[num] - _LOG[den]) % 255]
        for b, value in enumerate(yi):
            out[b] ^= _mul(value, coeff)
    return bytes(out)


# --- split ---------------------------------------------------------------------------------------

def check_k_n(k: int, n: int) -> None:
    if not MIN_THRESHOLD <= k <= n <= MAX_SHARES:
        raise UsageError(f"{k} of {n} shares is not possible: need 2 <= k <= n <= 16")


def split_pyshamir(secret: bytes, k: int, n: int, set_id: bytes, generation: int) -> list[Share]:
    """Split with pyshamir (which draws its own randomness); shares in sheet order."""
    check_k_n(k, n)
    parts = pyshamir.split(secret, n, k)  # pyshamir's order: (secret, parts, threshold)
    return [Share(set_id, generation, k, n, x=p[-1], y=bytes(p[:-1])) for p in parts]


def split_slip39(secret: bytes, k: int, n: int, rng: Rng = os.urandom) -> list[Slip39Share]:
    """Standard SLIP-39: one group, k of n, empty passphrase, no extendable flag."""
    check_k_n(k, n)
    identifier = int.from_bytes(rng(2), "big") & 0x7FFF
    ems = EncryptedMasterSecret.from_master_secret(secret, b"", identifier, False,
                                                   SLIP39_ITERATION_EXPONENT)
    groups = split_ems(1, [(k, n)], ems)
    return [Slip39Share(s.mnemonic()) for s in groups[0]]


def slip39_recover(mnemonics: Sequence[str], passphrase: bytes = b"") -> bytes:
    """Any set of SLIP-39 mnemonics -> master secret, every failure a clear ShareError."""
    if not mnemonics:
        raise NotEnoughError("no SLIP-39 shares were given")
    for pos, mnemonic in enumerate(mnemonics, 1):
        try:
            words.to_indices(words.split_words(mnemonic))
            _parse_slip39(mnemonic)
        except ShareError as exc:
            raise exc.with_source(Source(label=f"share {pos}")) from None
    try:
        return bytes(shamir_mnemonic.combine_mnemonics(list(mnemonics), passphrase))
    except shamir_mnemonic.MnemonicError as exc:
        raise ShareError(f"the SLIP-39 shares do not combine: {_slip39_message(exc)}") from None


# --- checks against the sealed header ------------------------------------------------------------

def sheet_of(share: AnyShare, header: Header) -> int | None:
    """The sheet number (1..n) whose commitment this share matches, or None."""
    c = envelope.commitment(header.set_id, share.x, share.y)
    for i, expected in enumerate(header.commitments, 1):
        if hmac.compare_digest(c, expected):
            return i
    return None


class ShareProblemKind(StrEnum):
    """Why one share cannot be used with a sealed vault (`ShareProblem`)."""

    OTHER_SCHEME = "other-scheme"
    """A share of the other scheme (paper2fa or SLIP-39) than the sealed vault was split as."""
    OTHER_SET = "other-set"
    """A paper2fa share of another set or generation."""
    OTHER_SPLIT = "other-split"
    """A paper2fa share of this set whose k of n is not the sealed vault's."""
    SLIP39_LAYOUT = "slip39-layout"
    """A SLIP-39 share of other groups or another threshold."""
    SLIP39_KEY_SIZE = "slip39-key-size"
    """A SLIP-39 share of a secret that is not the size of the vault's key."""
    X_ZERO = "x-zero"
    """A paper2fa share at x = 0, which would be the key itself."""
    NO_MATCH = "no-match"
    """It matches no commitment of the sealed vault: another backup, altered or misread."""
    SLIP39_FIELDS = "slip39-fields"
    """A SLIP-39 share that matches its commitment but differs from the other shares in
    fields format v1 does not commit (SLIP39_SET_FIELDS)."""
    SHEET_READ = "sheet-read"
    """Its sheet was read already from another share (only a forged header allows it)."""
    SAME_SHARE = "same-share"
    """The same share as another one given (`other`)."""
    SAME_X = "same-x"
    """The same x as another share given (`other`): only a forged header allows it."""
    NO_BACKUP = "no-backup"
    """It belongs to none of the backups read (it was checked against several)."""


@dataclass(frozen=True)
class ShareProblem:
    """Why one share cannot be used, as values (`kind` and the facts it names); `text`
    words it from templates/<lang>/restore_messages.toml, [share_problem]."""

    kind: ShareProblemKind
    share_set: str = ""
    share_generation: int = 0
    vault_set: str = ""
    vault_generation: int = 0
    share_threshold: int = 0
    share_count: int = 0
    vault_threshold: int = 0
    vault_count: int = 0
    share_scheme: str = ""
    vault_scheme: str = ""
    groups: int = 0
    """SLIP39_LAYOUT: the share's group count."""
    bits: int = 0
    """SLIP39_KEY_SIZE: the share's secret size in bits."""
    sheet: int = 0
    """SHEET_READ, SAME_SHARE: the sheet the share matches."""
    other: str = ""
    """SAME_SHARE, SAME_X: the share given before it."""
    fields: tuple[str, ...] = ()
    """SLIP39_FIELDS: the fields that differ (attribute names of SLIP39_SET_FIELDS)."""
    mine: tuple[int, ...] = ()
    theirs: tuple[int, ...] = ()

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The problem in words, in `lang`."""
        texts = load_texts("restore_messages", lang)
        words_of = texts["share_problem"]
        if self.kind is ShareProblemKind.SLIP39_FIELDS:
            names = [str(words_of["field"][name]) for name in self.fields]
            named = (", ".join(names[:-1]) + f" {texts['need']['and']} " + names[-1]
                     if len(names) > 1 else "".join(names))
            return fill(words_of["slip39_fields"], names=named, count=len(names),
                        mine=", ".join(map(str, self.mine)),
                        theirs=", ".join(map(str, self.theirs)))
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        return fill(words_of[str(self.kind).replace("-", "_")], **values,
                    key_bits=8 * KEY_LEN)

    def to_json(self) -> dict[str, object]:
        """The problem's kind and the facts it names (the ones set)."""
        out: dict[str, object] = {"kind": str(self.kind)}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if name != "kind" and value not in ("", 0, ()):
                out[name] = list(value) if isinstance(value, tuple) else value
        return out


def share_problem(share: AnyShare, header: Header) -> ShareProblem | None:
    """Why this one share cannot be used with this sealed vault (None: it belongs and is intact)."""
    kind = ShareProblemKind
    if share.scheme != header.scheme:
        return ShareProblem(kind.OTHER_SCHEME, share_scheme=envelope.SCHEMES[share.scheme],
                            vault_scheme=header.scheme_name)
    if isinstance(share, Share):
        if share.set_id != header.set_id or share.generation != header.generation:
            return ShareProblem(kind.OTHER_SET, share_set=share.set_text,
                                share_generation=share.generation,
                                vault_set=header.set_id_text,
                                vault_generation=header.generation)
        if (share.threshold, share.share_count) != (header.threshold, header.share_count):
            return ShareProblem(kind.OTHER_SPLIT, share_threshold=share.threshold,
                                share_count=share.share_count,
                                vault_threshold=header.threshold,
                                vault_count=header.share_count)
    else:
        p = share.parsed
        if (p.group_count, p.group_threshold, p.group_index) != (1, 1, 0) or (
                p.member_threshold != header.threshold):
            return ShareProblem(kind.SLIP39_LAYOUT, share_threshold=int(p.member_threshold),
                                groups=int(p.group_count), vault_threshold=header.threshold)
        if len(p.value) != KEY_LEN:
            return ShareProblem(kind.SLIP39_KEY_SIZE, bits=8 * len(p.value))
    if share.x == 0 and isinstance(share, Share):  # a SLIP-39 member index may be 0
        return ShareProblem(kind.X_ZERO)
    if sheet_of(share, header) is None:
        return ShareProblem(kind.NO_MATCH)
    return None


SLIP39_SET_FIELDS: Final = ("identifier", "extendable", "iteration_exponent")
"""Fields every SLIP-39 share of one set carries alike and that format v1 does not commit
(the group fields are checked against the sealed vault's layout by `share_problem`); their
names in words are templates' ([share_problem.field])."""


def slip39_set_fields(share: Slip39Share) -> tuple[int, ...]:
    p = share.parsed
    return tuple(int(getattr(p, attr)) for attr in SLIP39_SET_FIELDS)


def slip39_outsiders(shares: Mapping[int, AnyShare]) -> dict[int, ShareProblem]:
    """SLIP-39 shares (by sheet) that match their commitments but cannot combine with the
    others because a field of SLIP39_SET_FIELDS differs: the largest agreeing group is kept
    (on a tie, the one holding the lowest sheet); each other sheet is returned with why, naming
    the fields that differ."""
    groups: dict[tuple[int, ...], list[int]] = {}
    for sheet, share in sorted(shares.items()):
        if isinstance(share, Slip39Share):
            groups.setdefault(slip39_set_fields(share), []).append(sheet)
    if len(groups) <= 1:
        return {}
    keep = max(groups, key=lambda g: (len(groups[g]), -min(groups[g])))
    out: dict[int, ShareProblem] = {}
    for fields, sheets in groups.items():
        if fields == keep:
            continue
        differ = [(attr, mine, theirs) for attr, mine, theirs
                  in zip(SLIP39_SET_FIELDS, fields, keep, strict=True) if mine != theirs]
        problem = ShareProblem(ShareProblemKind.SLIP39_FIELDS,
                               fields=tuple(attr for attr, _, _ in differ),
                               mine=tuple(m for _, m, _ in differ),
                               theirs=tuple(t for _, _, t in differ))
        for sheet in sheets:
            out[sheet] = problem
    return out


def check_share(share: AnyShare, header: Header) -> int:
    """Check ONE share against the sealed header; returns its sheet number or raises ShareError."""
    problem = share_problem(share, header)
    if problem is not None:
        raise ShareError(f"this share cannot be used: {problem.text()}")
    sheet = sheet_of(share, header)
    assert sheet is not None
    return sheet


@dataclass(frozen=True)
class Combined:
    """The split secret and what happened to each share given."""

    key: bytes = field(repr=False)
    sheets: tuple[int, ...]
    left_out: tuple[str, ...]
    """Each input left out, as "name: why" (the unreadable ones first)."""
    problems: tuple[tuple[str, ShareProblem], ...] = ()
    """The shares left out for a problem (by name), as values."""


def combine_tolerant(shares: Sequence[AnyShare], sealed: SealedVault,
                     labels: Sequence[str] | None = None,
                     unreadable: Sequence[str] = (),
                     first_unreadable: Paper2faError | None = None) -> Combined:
    """Combine, leaving out (and naming) shares that fail a check, if k good ones remain.

    `unreadable` names inputs that did not even read as a share ("label: why"); they are
    reported with the left-out shares. When too few good shares remain, the error is of the
    kind of `first_unreadable` (the error of the first of them) if given, else a ShareError.
    """
    header = sealed.header
    names = list(labels) if labels is not None else [f"share {i}" for i in
                                                     range(1, len(shares) + 1)]
    if header.scheme not in (SCHEME_PYSHAMIR, SCHEME_SLIP39):
        raise ShareError("this sealed vault is opened with a passphrase, not with shares",
                         hint="use `paper2fa open`")
    good: dict[int, AnyShare] = {}
    good_names: dict[int, str] = {}
    problems: list[tuple[str, ShareProblem]] = []
    for name, share in zip(names, shares, strict=True):
        problem = share_problem(share, header)
        sheet = sheet_of(share, header) if problem is None else None
        if problem is None and sheet in good:
            problem = ShareProblem(ShareProblemKind.SAME_SHARE, sheet=sheet or 0,
                                   vault_count=header.share_count,
                                   other=good_names[sheet or 0])
        twin = next((s for s in good if good[s].x == share.x), None)
        if problem is None and twin is not None:  # only a forged header commits to one x twice
            problem = ShareProblem(ShareProblemKind.SAME_X, other=good_names[twin])
        if problem is not None:
            problems.append((name, problem))
            continue
        assert sheet is not None
        good[sheet], good_names[sheet] = share, name
    for sheet, why in slip39_outsiders(good).items():
        problems.append((good_names.pop(sheet), why))
        del good[sheet]
    left_out = [*unreadable, *(f"{name}: {problem.text()}" for name, problem in problems)]
    k = header.threshold
    if len(good) < k:
        message = f"{len(good)} of {k} needed shares: need {k - len(good)} more"
        if left_out:
            message = with_left_out(message, left_out)
            if first_unreadable is not None:
                raise type(first_unreadable)(message, first_unreadable.hint)
            raise ShareError(message)
        raise NotEnoughError(message)
    key, sheets = combine_sheets(good, header)
    return Combined(key, sheets, tuple(left_out), tuple(problems))


def combine_sheets(good: Mapping[int, AnyShare], header: Header) -> tuple[bytes, tuple[int, ...]]:
    """The split secret from shares already checked against `header` (by sheet number, as
    `combine_tolerant` or toolkit.recovery.sets check them): the k lowest sheets are combined,
    nothing is checked again. Returns the key and the sheets used."""
    k = header.threshold
    if len(good) < k:
        raise ValueError(f"combine_sheets needs {k} checked shares, got {len(good)}")
    sheets = tuple(sorted(good)[:k])
    chosen = [good[s] for s in sheets]
    if header.scheme == SCHEME_PYSHAMIR:
        # the same interpolation as pyshamir.combine (tests/test_sharing.py checks it), with
        # tables: pyshamir multiplies bit by bit, some 60 ms of CPU a 2-of-n key
        if len({s.x for s in chosen}) != len(chosen) or len({len(s.y) for s in chosen}) != 1:
            raise ValueError("combine_sheets needs shares of distinct x and one length")
        key = interpolate_at_zero([s.point() for s in chosen])
    else:
        key = slip39_recover([s.mnemonic for s in chosen if isinstance(s, Slip39Share)])
    return key, sheets


def combine_texts(texts: Sequence[str], sealed: SealedVault,
                  labels: Sequence[str] | None = None) -> Combined:
    """Read each text (QR text or words) as a share, then `combine_tolerant` (FORMAT.md section
    3, "Combining"): a text that does not read as a share is named and left out; when too few
    good shares remain, the error is of the kind of the first such text (an unknown share
    version stays exit 4), else a ShareError naming every share left out."""
    names = list(labels) if labels is not None else [f"share {i}" for i in
                                                     range(1, len(texts) + 1)]
    shares: list[AnyShare] = []
    share_names: list[str] = []
    unreadable: list[str] = []
    first: Paper2faError | None = None
    for name, text in zip(names, texts, strict=True):
        try:
            shares.append(share_from_text(text, sealed.header.scheme))
        except Paper2faError as exc:
            unreadable.append(f"{name}: {exc.message}")
            first = first or exc
            continue
        share_names.append(name)
    return combine_tolerant(shares, sealed, share_names, unreadable, first)


def combine(shares: Sequence[AnyShare], sealed: SealedVault,
            labels: Sequence[str] | None = None) -> bytes:
    """Combine shares into the split secret; any share that fails a check raises ShareError."""
    result = combine_tolerant(shares, sealed, labels)
    if result.left_out:
        raise ShareError("; ".join(result.left_out))
    return result.key


# --- self-test and make_split --------------------------------------------------------------------

def self_test(sealed_bytes: bytes, shares: Sequence[AnyShare], secret: bytes, vault: Vault,
              pass_key: bytes | None) -> None:
    """Check the split before anything is written; VerifyError if it does not hold (a bug or a
    hardware fault, never user input)."""
    sealed = SealedVault.from_bytes(sealed_bytes)
    header = sealed.header
    for i, share in enumerate(shares, 1):
        again = share_from_text(" ".join(share.words()), header.scheme)
        if again != share or share_from_text(share.qr_text(), header.scheme) != share:
            raise VerifyError(f"self-test: share {i} does not read back from its words or QR")
        if sheet_of(share, header) != i:
            raise VerifyError(f"self-test: share {i} does not match its commitment")
    k, n = header.threshold, header.share_count
    first = combine(shares[:k], sealed)
    if not hmac.compare_digest(first, secret):
        raise VerifyError("self-test: the first quorum does not give the key back")
    if envelope.open_sealed(sealed, first, pass_key=pass_key) != vault:
        raise VerifyError("self-test: the vault does not open to the same accounts")
    if math.comb(n, k) > SELF_TEST_SUBSETS:
        return  # every share was checked against its commitment above
    expected = _slip39_ems(shares[:k]) if header.scheme == SCHEME_SLIP39 else b""
    for subset in itertools.combinations(shares, k):
        if header.scheme == SCHEME_PYSHAMIR:
            key = interpolate_at_zero([s.point() for s in subset])
        elif hmac.compare_digest(_slip39_ems(subset), expected):
            key = secret  # the same encrypted master secret decrypts to the same key
        else:
            key = b""
        if not hmac.compare_digest(key, secret):
            raise VerifyError("self-test: a set of k shares does not give the key back")
        envelope.open_canonical(sealed, envelope.data_key(sealed, key, pass_key))


def _slip39_ems(shares: Sequence[AnyShare]) -> bytes:
    mnemonics = [s.mnemonic for s in shares if isinstance(s, Slip39Share)]
    return bytes(recover_ems(decode_mnemonics(mnemonics)).ciphertext)


def check_holder(name: str) -> str:
    """A holder name as given, trimmed; refused when empty or holding a character that does not
    show as itself (`display.is_hidden`: controls, line breaks, bidi and zero-width characters):
    it is printed on every sheet and in file names, where it must read as typed."""
    from toolkit.display import is_hidden, visible

    cleaned = name.strip()
    if not cleaned:
        raise UsageError("a holder name cannot be empty")
    hidden = sorted({c for c in cleaned if is_hidden(c)})
    if hidden:
        shown = ", ".join(visible(c) for c in hidden[:3])
        raise UsageError(f"the holder name '{visible(cleaned)}' has characters that do not show "
                         f"as themselves ({shown}: control, bidi or zero-width characters)",
                         hint="type the holder name with letters, digits, spaces and "
                         "punctuation only")
    return cleaned


def safe_holder(name: str) -> str:
    """A holder name as a file-name part: ASCII letters, digits, dot, dash, underscore, the
    name transliterated, not stripped of its letters (anyascii: Weiß -> Weiss, Dubœuf ->
    Duboeuf, Łukasz -> Lukasz, Фёдор -> Fedor, 王小明 -> WangXiaoMing)."""
    ascii_name = anyascii(unicodedata.normalize("NFC", name))
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-._")[:40].strip("-._")
    return cleaned or "holder"


@dataclass(frozen=True)
class SplitResult:
    """A checked split: the sealed vault bytes, the shares in sheet order, their file names."""

    sealed_bytes: bytes = field(repr=False)
    shares: tuple[AnyShare, ...] = field(repr=False)
    holders: tuple[str, ...]
    file_names: tuple[str, ...]
    header: Header

    @property
    def scheme(self) -> str:
        return envelope.SCHEMES[self.header.scheme]


def make_split(vault: Vault, k: int, n: int, holders: Sequence[str] = (),
               scheme: str = "pyshamir", passphrase: str | None = None, *,
               rng: Rng = os.urandom, now: datetime | None = None, generation: int = 1,
               kdf: KdfParams = envelope.KDF_PROFILES["default"]) -> SplitResult:
    """Seal the vault, split its key k-of-n, and self-test the result."""
    check_k_n(k, n)
    if scheme not in SCHEME_NAMES:
        raise UsageError(f"unknown scheme {scheme!r} (pyshamir or slip39)")
    if holders and len(holders) != n:
        raise UsageError(f"{len(holders)} holder names for {n} shares: give one per share")
    holders = [check_holder(h) for h in holders]
    envelope.check_generation(generation)
    set_id = rng(envelope.SET_ID_LEN)
    secret = rng(KEY_LEN)
    shares: list[AnyShare]
    if scheme == "pyshamir":
        shares = list(split_pyshamir(secret, k, n, set_id, generation))
    else:
        shares = list(split_slip39(secret, k, n, rng))
    inputs = envelope.SealInputs(SCHEME_NAMES[scheme], k, n,
                                 envelope.commitments_for(set_id, [s.point() for s in shares]),
                                 generation)
    sealed, _ = envelope.seal(vault, split_secret=secret, passphrase=passphrase or None,
                              set_id=set_id, inputs=inputs, kdf=kdf, rng=rng, now=now)
    sealed_bytes = sealed.to_bytes()
    pass_key = envelope.passphrase_key(sealed.header, passphrase) if passphrase else None
    self_test(sealed_bytes, shares, secret, vault, pass_key)
    names = []
    for i in range(1, n + 1):
        suffix = f"-{safe_holder(holders[i - 1])}" if holders else ""
        names.append(f"share-{i}-of-{n}{suffix}.txt")
    result = SplitResult(sealed_bytes, tuple(shares), tuple(holders), tuple(names),
                         sealed.header)
    for i, share in enumerate(shares, 1):
        if share_from_file_text(share_file_text(result, i), sealed.header.scheme) != share:
            raise VerifyError(f"self-test: the file of share {i} does not read back")
    return result


# --- the share .txt file -------------------------------------------------------------------------

def share_file_text(result: SplitResult, index: int) -> str:
    """The text file of share `index` (1-based): what it is, its words, its QR text."""
    share = result.shares[index - 1]
    h = result.header
    holder = f" for {result.holders[index - 1]}" if result.holders else ""
    ws = share.words()
    lines = [
        f"# paper2fa share {index} of {h.share_count}{holder}",
        f"# any {h.threshold} of the {h.share_count} shares, with the sealed vault "
        f"(vault.p2fa), restore the vault",
        f"# set {h.set_id_text}, generation {h.generation}, created {h.created.isoformat()}, "
        f"vault fingerprint {h.fingerprint_text}",
        f"# scheme {h.scheme_name}"
        + ("; a passphrase is needed as well" if h.has_passphrase else ""),
        "",
        f"words ({len(ws)}):",
    ]
    for row in range(0, len(ws), 4):
        lines.append("  " + "".join(f"{row + j + 1:>2}. {w:<10}"
                                    for j, w in enumerate(ws[row:row + 4])).rstrip())
    lines += ["", "qr:", share.qr_text(), ""]
    return "\n".join(lines)


def share_from_file_text(text: str, scheme: int | None = None) -> AnyShare:
    """Read a share .txt: its QR text line, or its words; both must agree when both are there."""
    qr_line = next((line.strip() for line in text.splitlines()
                    if line.strip().upper().startswith((QR_PREFIX, SLIP39_QR_PREFIX))), None)
    word_lines = []
    in_words = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            continue
        if stripped.lower().startswith("words"):
            in_words = True
            continue
        if stripped.lower().startswith("qr:"):
            in_words = False
            continue
        if in_words:
            word_lines.append(re.sub(r"\d+\.", " ", stripped))
    typed = " ".join(word_lines).strip()
    if not typed and qr_line is None:  # bare words, as in a words file
        typed = " ".join(line.split("#", 1)[0] for line in text.splitlines()).strip()
    from_qr = share_from_text(qr_line, scheme) if qr_line else None
    if not typed:
        if from_qr is None:
            raise ShareError("no share words and no share QR text were found in it")
        return from_qr
    from_words = share_from_text(typed, scheme)
    if from_qr is not None and from_qr != from_words:
        raise ShareError("its words and its QR text are different shares")
    return from_words
