#!/usr/bin/env python3
"""Restore a paper2fa vault by hand: sealed vault + share words or QR texts -> vault JSON.

This one file follows docs/FORMAT.md (sections 2 and 3) using only the Python standard library
and the `cryptography` package, so a vault can be rebuilt without paper2fa itself. The SLIP-39
wordlist (public, 1024 words) is embedded below in WORDLIST; nothing else is read.

Usage:
  python restore_by_hand.py vault.p2fa --share "word word ..." --share "P2FA-SHARE:..." \
      [--words-file F] [--passphrase-file F] [-o vault.json]
  python restore_by_hand.py vault.p2fa --key-hex HEX [--passphrase-file F] [-o vault.json]
  python restore_by_hand.py vault.p2fa --passphrase-file F   (made by `paper2fa seal`)

--key-hex takes the 32-byte split secret as hex: for a vault split with --scheme slip39, get it
from the SLIP-39 shares with any SLIP-39 tool (empty SLIP-39 passphrase), e.g.
`shamir recover` of python-shamir-mnemonic, which prints the master secret in hex.

Exit codes are paper2fa's (docs/exit-codes.md): 2 bad option, 3 unreadable file, 4 not a sealed
vault, unknown version or impossible header, 5 wrong or missing passphrase, 6 damaged or
tampered, 7 shares missing or unusable, 8 output cannot be written. With too few good shares,
the exit code is that of the first input that did not read as a share (4 for an unknown share
version), else 7 (FORMAT.md section 3, "Combining").
"""

from __future__ import annotations

import argparse
import base64
import binascii
import datetime
import hashlib
import json
import os
import struct
import sys
import unicodedata
import zlib
from typing import NoReturn

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# ---- the SLIP-39 wordlist (index = position) ---------------------------------------------------
WORDLIST = """
academic acid acne acquire acrobat activity actress adapt adequate adjust admit adorn adult
advance advocate afraid again agency agree aide aircraft airline airport ajar alarm album
alcohol alien alive alpha already alto aluminum always amazing ambition amount amuse analysis
anatomy ancestor ancient angel angry animal answer antenna anxiety apart aquatic arcade arena
argue armed artist artwork aspect auction august aunt average aviation avoid award away axis
axle beam beard beaver become bedroom behavior being believe belong benefit best beyond bike
biology birthday bishop black blanket blessing blimp blind blue body bolt boring born both
boundary bracelet branch brave breathe briefing broken brother browser bucket budget building
bulb bulge bumpy bundle burden burning busy buyer cage calcium camera campus canyon capacity
capital capture carbon cards careful cargo carpet carve category cause ceiling center ceramic
champion change charity check chemical chest chew chubby cinema civil class clay cleanup client
climate clinic clock clogs closet clothes club cluster coal coastal coding column company corner
costume counter course cover cowboy cradle craft crazy credit cricket criminal crisis critical
crowd crucial crunch crush crystal cubic cultural curious curly custody cylinder daisy damage
dance darkness database daughter deadline deal debris debut decent decision declare decorate
decrease deliver demand density deny depart depend depict deploy describe desert desire desktop
destroy detailed detect device devote diagnose dictate diet dilemma diminish dining diploma
disaster discuss disease dish dismiss display distance dive divorce document domain domestic
dominant dough downtown dragon dramatic dream dress drift drink drove drug dryer duckling duke
duration dwarf dynamic early earth easel easy echo eclipse ecology edge editor educate either
elbow elder election elegant element elephant elevator elite else email emerald emission emperor
emphasis employer empty ending endless endorse enemy energy enforce engage enjoy enlarge
entrance envelope envy epidemic episode equation equip eraser erode escape estate estimate
evaluate evening evidence evil evoke exact example exceed exchange exclude excuse execute
exercise exhaust exotic expand expect explain express extend extra eyebrow facility fact failure
faint fake false family famous fancy fangs fantasy fatal fatigue favorite fawn fiber fiction
filter finance findings finger firefly firm fiscal fishing fitness flame flash flavor flea
flexible flip float floral fluff focus forbid force forecast forget formal fortune forward
founder fraction fragment frequent freshman friar fridge friendly frost froth frozen fumes
funding furl fused galaxy game garbage garden garlic gasoline gather general genius genre
genuine geology gesture glad glance glasses glen glimpse goat golden graduate grant grasp
gravity gray greatest grief grill grin grocery gross group grownup grumpy guard guest guilt
guitar gums hairy hamster hand hanger harvest have havoc hawk hazard headset health hearing heat
helpful herald herd hesitate hobo holiday holy home hormone hospital hour huge human humidity
hunting husband hush husky hybrid idea identify idle image impact imply improve impulse include
income increase index indicate industry infant inform inherit injury inmate insect inside
install intend intimate invasion involve iris island isolate item ivory jacket jerky jewelry
join judicial juice jump junction junior junk jury justice kernel keyboard kidney kind kitchen
knife knit laden ladle ladybug lair lamp language large laser laundry lawsuit leader leaf learn
leaves lecture legal legend legs lend length level liberty library license lift likely lilac
lily lips liquid listen literary living lizard loan lobe location losing loud loyalty luck lunar
lunch lungs luxury lying lyrics machine magazine maiden mailman main makeup making mama manager
mandate mansion manual marathon march market marvel mason material math maximum mayor meaning
medal medical member memory mental merchant merit method metric midst mild military mineral
minister miracle mixed mixture mobile modern modify moisture moment morning mortgage mother
mountain mouse move much mule multiple muscle museum music mustang nail national necklace
negative nervous network news nuclear numb numerous nylon oasis obesity object observe obtain
ocean often olympic omit oral orange orbit order ordinary organize ounce oven overall owner
paces pacific package paid painting pajamas pancake pants papa paper parcel parking party patent
patrol payment payroll peaceful peanut peasant pecan penalty pencil percent perfect permit
petition phantom pharmacy photo phrase physics pickup picture piece pile pink pipeline pistol
pitch plains plan plastic platform playoff pleasure plot plunge practice prayer preach predator
pregnant premium prepare presence prevent priest primary priority prisoner privacy prize problem
process profile program promise prospect provide prune public pulse pumps punish puny pupal
purchase purple python quantity quarter quick quiet race racism radar railroad rainbow raisin
random ranked rapids raspy reaction realize rebound rebuild recall receiver recover regret
regular reject relate remember remind remove render repair repeat replace require rescue
research resident response result retailer retreat reunion revenue review reward rhyme rhythm
rich rival river robin rocky romantic romp roster round royal ruin ruler rumor sack safari
salary salon salt satisfy satoshi saver says scandal scared scatter scene scholar science scout
scramble screw script scroll seafood season secret security segment senior shadow shaft shame
shaped sharp shelter sheriff short should shrimp sidewalk silent silver similar simple single
sister skin skunk slap slavery sled slice slim slow slush smart smear smell smirk smith smoking
smug snake snapshot sniff society software soldier solution soul source space spark speak
species spelling spend spew spider spill spine spirit spit spray sprinkle square squeeze stadium
staff standard starting station stay steady step stick stilt story strategy strike style subject
submit sugar suitable sunlight superior surface surprise survive sweater swimming swing switch
symbolic sympathy syndrome system tackle tactics tadpole talent task taste taught taxi teacher
teammate teaspoon temple tenant tendency tension terminal testify texture thank that theater
theory therapy thorn threaten thumb thunder ticket tidy timber timely ting tofu together
tolerate total toxic tracks traffic training transfer trash traveler treat trend trial tricycle
trip triumph trouble true trust twice twin type typical ugly ultimate umbrella uncover undergo
unfair unfold unhappy union universe unkind unknown unusual unwrap upgrade upstairs username
usher usual valid valuable vampire vanish various vegan velvet venture verdict verify very
veteran vexed victim video view vintage violence viral visitor visual vitamins vocal voice
volume voter voting walnut warmth warn watch wavy wealthy weapon webcam welcome welfare western
width wildlife window wine wireless wisdom withdraw wits wolf woman work worthy wrap wrist
writing wrote year yelp yield yoga zero
""".split()  # noqa: SIM905 - easier to read and to check by eye
assert len(WORDLIST) == 1024

# ---- RS1024 checksum (SLIP-39's, with paper2fa's customization string) --------------------------
CUSTOMIZATION = b"paper2fa-share"
GEN = (0xE0E040, 0x1C1C080, 0x3838100, 0x7070200, 0xE0E0009,
       0x1C0C2412, 0x38086C24, 0x3090FC48, 0x21B1F890, 0x3F3F120)


def rs1024_polymod(values: list[int]) -> int:
    chk = 1
    for v in values:
        b = chk >> 20
        chk = (chk & 0xFFFFF) << 10 ^ v
        for i in range(10):
            if (b >> i) & 1:
                chk ^= GEN[i]
    return chk


def checksum_ok(indices: list[int]) -> bool:
    return rs1024_polymod(list(CUSTOMIZATION) + indices) == 1


# ---- GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1 (0x11B) ---------------------------
def gf_mul(a: int, b: int) -> int:
    result = 0
    while b:
        if b & 1:
            result ^= a
        a <<= 1
        if a & 0x100:
            a ^= 0x11B
        b >>= 1
    return result


def gf_inv(a: int) -> int:
    result = 1
    for _ in range(254):  # a^254 = a^-1 in GF(2^8)
        result = gf_mul(result, a)
    return result


def interpolate_at_zero(points: list[tuple[int, bytes]]) -> bytes:
    """Lagrange: secret byte b = sum_i y_i[b] * prod_{j != i} x_j / (x_i + x_j)."""
    secret = bytearray(len(points[0][1]))
    for i, (xi, yi) in enumerate(points):
        coeff = 1
        for j, (xj, _) in enumerate(points):
            if i != j:
                coeff = gf_mul(coeff, gf_mul(xj, gf_inv(xi ^ xj)))
        for b in range(len(secret)):
            secret[b] ^= gf_mul(yi[b], coeff)
    return bytes(secret)


# ---- errors: the exit codes of paper2fa (docs/exit-codes.md) ----------------------------------
EXIT_FORMAT, EXIT_PASSPHRASE, EXIT_DAMAGED, EXIT_SHARES = 4, 5, 6, 7


def fail(code: int, message: str) -> NoReturn:
    print(f"restore_by_hand: {message}", file=sys.stderr)
    sys.exit(code)


def damaged(why: str = "") -> NoReturn:
    fail(EXIT_DAMAGED, "the sealed vault is damaged or tampered" + (f" ({why})" if why else ""))


# ---- shares -------------------------------------------------------------------------------------
RECORD_LEN = 42


class BadShare(Exception):
    """A share that cannot be used: it is named and left out. `code` is its kind of error."""

    def __init__(self, message: str, code: int = EXIT_SHARES) -> None:
        super().__init__(message)
        self.code = code


def word_to_index(position: int, word: str) -> int:
    """The exact word or 4+ of its first letters, in any case (FORMAT.md section 3)."""
    w = word.strip().lower()
    for i, full in enumerate(WORDLIST):
        if full == w or (len(w) >= 4 and full.startswith(w)):
            return i
    close = [full for full in WORDLIST if full[:2] == w[:2]][:6]
    raise BadShare(f"word {position}: '{word}' is not in the wordlist"
                   + (f" (close: {' '.join(close)})" if close else ""))


def share_from_words(text: str) -> bytes:
    words = text.replace(",", " ").split()
    indices = [word_to_index(pos, w) for pos, w in enumerate(words, 1)]
    if len(indices) == 37 and checksum_ok(indices):
        value = 0
        for index in indices[:-3]:
            value = (value << 10) | index
        pad = 34 * 10 - RECORD_LEN * 8  # 4 zero bits at the end
        if value & ((1 << pad) - 1):
            raise BadShare("its padding bits are not zero")
        return (value >> pad).to_bytes(RECORD_LEN, "big")
    if any(rs1024_polymod(list(c) + indices) == 1 for c in (b"shamir", b"shamir_extendable")):
        raise BadShare("it is a SLIP-39 share: combine the SLIP-39 shares with a SLIP-39 tool "
                       "and give the key with --key-hex")
    if len(indices) == 37:
        raise BadShare("the checksum of its words is wrong: check every word")
    raise BadShare(f"{len(indices)} words were given; a paper2fa share has 37 "
                   "(a SLIP-39 share 20 or 33)")


def share_from_qr(text: str) -> bytes:
    """P2FA-SHARE: and base32 in any case, `=` padding allowed, the unused last bits zero."""
    body = text.strip()[len("P2FA-SHARE:"):].upper().rstrip("=")
    try:
        record = base64.b32decode(body + "=" * (-len(body) % 8))
    except (binascii.Error, ValueError):
        raise BadShare("its QR text is not base32") from None
    if base64.b32encode(record).decode().rstrip("=") != body:
        raise BadShare("its QR text's last character is impossible (unused bits not zero)")
    return record


def read_share(text: str) -> bytes:
    upper = text.strip().upper()
    if upper.startswith("P2FA-SLIP39:"):
        raise BadShare("it is a SLIP-39 share: combine the SLIP-39 shares with a SLIP-39 tool "
                       "and give the key with --key-hex")
    return share_from_qr(text) if upper.startswith("P2FA-SHARE:") else share_from_words(text)


def parse_share(record: bytes) -> tuple[bytes, int, int, int, int, bytes]:
    """(set id, generation, k, n, x, y) of a 42-byte share record."""
    if len(record) < 6:
        raise BadShare("the share record is too short")
    if record[5] != 1:
        raise BadShare(f"share record version {record[5]} is unknown", EXIT_FORMAT)
    if len(record) != RECORD_LEN:
        raise BadShare(f"the share record has {len(record)} bytes, not {RECORD_LEN}")
    generation = int.from_bytes(record[6:8], "big")
    k, n = (record[8] >> 4) + 1, (record[8] & 15) + 1
    if not 2 <= k <= n:
        raise BadShare(f"the share says {k} of {n}, which is impossible")
    return record[0:5], generation, k, n, record[9], record[10:42]


# ---- sealed vault -------------------------------------------------------------------------------
MAGIC = b"paper2fa-sealed"


class Sealed:
    """The fields of a sealed vault, read as FORMAT.md section 2 lays them out."""

    def __init__(self, data: bytes) -> None:
        if not data.startswith(MAGIC):
            fail(EXIT_FORMAT, "not a paper2fa sealed vault")
        if len(data) < 16:
            damaged("it is truncated")
        if data[15] != 1:
            fail(EXIT_FORMAT, f"sealed vault format version {data[15]} is not supported")
        # the check hash first: accidental damage is told apart before anything is parsed
        if len(data) < 16 + 32 or hashlib.sha256(data[:-32]).digest() != data[-32:]:
            damaged("its SHA-256 check does not match")
        body = data[:-32]
        try:
            self.parse(body)
        except (IndexError, struct.error, ValueError):
            damaged("it is truncated or its date is impossible")

    def parse(self, body: bytes) -> None:
        """Impossible fields after a good check hash: refused as invalid (exit 4)."""
        pos = 16
        self.set_id = body[pos:pos + 5]
        self.generation, self.scheme, self.k, self.n = struct.unpack(">HBBB", body[21:26])
        pos = 26
        if self.scheme not in (0, 1, 2):
            fail(EXIT_FORMAT, f"unknown key scheme {self.scheme}")
        if (self.scheme == 0 and (self.k or self.n)) or (
                self.scheme != 0 and not 2 <= self.k <= self.n <= 16):
            fail(EXIT_FORMAT, f"impossible k = {self.k}, n = {self.n}")
        self.commitments = [body[pos + 16 * i:pos + 16 * i + 16] for i in range(self.n)]
        pos += 16 * self.n
        self.kdf = body[pos]
        pos += 1
        if self.kdf not in (0, 1) or (self.scheme == 0 and self.kdf != 1):
            fail(EXIT_FORMAT, f"unknown passphrase KDF {self.kdf}")
        self.log_n = self.r = self.p = 0
        self.salt = b""
        if self.kdf == 1:
            self.log_n, self.r, self.p = body[pos], body[pos + 1], body[pos + 2]
            self.salt = body[pos + 3:pos + 19]
            pos += 19
            # refuse absurd costs before running scrypt (FORMAT.md section 2)
            if not (1 <= self.log_n <= 20 and 1 <= self.r <= 32 and 1 <= self.p <= 16) or \
                    128 * self.r * 2**self.log_n * self.p > 2**30 or \
                    128 * self.r * 2**self.log_n > 256 * 2**20:
                fail(EXIT_FORMAT, "the sealed vault asks for absurd scrypt parameters")
        self.fingerprint = body[pos:pos + 10]
        pos += 10
        year, month, day = struct.unpack(">HBB", body[pos:pos + 4])
        datetime.date(year, month, day)  # ValueError: an impossible date is damage
        pos += 4
        self.core = body[:pos]
        self.wrap_nonce = self.wrapped = b""
        if self.kdf == 1:
            self.wrap_nonce, self.wrapped = body[pos:pos + 12], body[pos + 12:pos + 60]
            pos += 60
        self.nonce = body[pos:pos + 12]
        pos += 12
        if len(body) < pos + 16:
            raise ValueError("truncated")
        self.header = body[:pos]
        self.ciphertext = body[pos:]


def read_passphrase(path: str) -> bytes:
    """UTF-8 text; ONE trailing newline (LF or CR LF) is not part of it; nor is a leading byte
    order mark (FORMAT.md section 2)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        text = fh.read()
    if text.endswith("\r\n"):
        text = text[:-2]
    elif text.endswith("\n"):
        text = text[:-1]
    return unicodedata.normalize("NFKC", text).removeprefix("\ufeff").encode("utf-8")


def combine_shares(h: Sealed, texts: list[str]) -> bytes:
    """Read every input, check every share against the sealed header, leave out (and name) the
    bad ones; too few: the error of the first input that did not read (FORMAT.md section 3)."""
    points: dict[int, tuple[int, bytes]] = {}  # sheet -> (x, y)
    left_out: list[str] = []
    first_unreadable: int | None = None
    for number, text in enumerate(texts, 1):
        try:
            try:
                record = read_share(text)
                set_id, generation, k, n, x, y = parse_share(record)
            except BadShare as why:  # it does not read as a share
                first_unreadable = first_unreadable or why.code
                raise
            if (set_id, generation) != (h.set_id, h.generation):
                raise BadShare("it belongs to another backup (set id or generation differ)")
            if (k, n) != (h.k, h.n):
                raise BadShare(f"it says {k} of {n}, the sealed vault {h.k} of {h.n}")
            if x == 0:  # a paper2fa share's x is 1..255 (a SLIP-39 member index may be 0)
                raise BadShare("its x is 0")
            commitment = hashlib.sha256(set_id + bytes([x]) + y).digest()[:16]
            if commitment not in h.commitments:
                raise BadShare("it does not match the sealed vault's commitments")
            sheet = h.commitments.index(commitment) + 1
            if sheet in points:
                raise BadShare(f"it is sheet {sheet} again")
            if any(x == other_x for other_x, _ in points.values()):
                raise BadShare("it has the same x as another share")
            points[sheet] = (x, y)
        except BadShare as why:
            left_out.append(f"share {number}: {why}")
            print(f"share {number} left out: {why}", file=sys.stderr)
    if len(points) < h.k:
        fail(first_unreadable or EXIT_SHARES,
             f"{len(points)} of {h.k} needed shares: need {h.k - len(points)} more"
             + (f"; left out: {'; '.join(left_out)}" if left_out else ""))
    return interpolate_at_zero([points[sheet] for sheet in sorted(points)[:h.k]])


def is_canonical(vault_json: bytes) -> bool:
    """FORMAT.md section 1: sorted keys, no white space, NFC, accounts in canonical order."""
    def dump(value: object) -> bytes:
        return json.dumps(value, sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False).encode("utf-8")

    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        if isinstance(value, dict):
            return [s for k, v in value.items() for s in [k, *strings(v)]]
        return []

    vault = json.loads(vault_json)
    if dump(vault) != vault_json or any(unicodedata.normalize("NFC", s) != s
                                        for s in strings(vault)):
        return False
    keys = [(a["issuer"].casefold(), a["name"].casefold(), dump(a)) for a in vault["accounts"]]
    return keys == sorted(keys)


def open_vault(h: Sealed, secret: bytes, passphrase: bytes | None) -> bytes:
    if h.kdf == 0:
        data_key = secret
    else:
        if passphrase is None:
            fail(EXIT_PASSPHRASE, "this backup also needs its passphrase: give --passphrase-file")
        pass_key = hashlib.scrypt(passphrase, salt=h.salt, n=2**h.log_n, r=h.r, p=h.p,
                                  maxmem=2**31 - 1, dklen=32)
        kek = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=b"paper2fa-sealed v1 key wrap").derive(secret + pass_key)
        try:
            data_key = AESGCM(kek).decrypt(h.wrap_nonce, h.wrapped, h.core)
        except InvalidTag:
            fail(EXIT_PASSPHRASE, "wrong passphrase (or wrong shares): the key does not unwrap")
    try:
        compressed = AESGCM(data_key).decrypt(h.nonce, h.ciphertext, h.header)
    except (InvalidTag, ValueError):
        damaged()
    inflate = zlib.decompressobj()
    try:
        vault_json = inflate.decompress(compressed, 64 * 1024 * 1024)
    except zlib.error:
        damaged()
    if inflate.unconsumed_tail or inflate.unused_data or not inflate.eof:
        damaged("too large, incomplete, or data after the zlib stream")
    if hashlib.sha256(vault_json).digest()[:10] != h.fingerprint:
        damaged("the vault fingerprint does not match")
    try:
        vault = json.loads(vault_json)
        canonical = is_canonical(vault_json)
    except (ValueError, KeyError, TypeError, AttributeError):
        damaged("the vault is not JSON of the expected shape")
    if not isinstance(vault, dict) or vault.get("format") != "paper2fa-vault" or \
            vault.get("version") != 1:
        fail(EXIT_FORMAT, "the sealed vault holds an unknown vault format")
    if not canonical:
        damaged("the vault bytes are not canonical")
    return vault_json + b"\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("sealed", help="the sealed vault file (vault.p2fa)")
    ap.add_argument("--share", action="append", default=[], help="a share: its words or QR text")
    ap.add_argument("--words-file", help="one share (words or QR text) per line")
    ap.add_argument("--key-hex", help="the split secret in hex (e.g. from SLIP-39 shares)")
    ap.add_argument("--passphrase-file", help="the extra passphrase, if the backup has one")
    ap.add_argument("-o", "--output", help="write the vault JSON here (default: stdout)")
    args = ap.parse_args()

    try:
        with open(args.sealed, "rb") as fh:
            h = Sealed(fh.read())
        texts = list(args.share)
        if args.words_file:
            with open(args.words_file, encoding="utf-8-sig") as fh:
                texts += [ln.split("#")[0].strip() for ln in fh if ln.split("#")[0].strip()]
        passphrase = read_passphrase(args.passphrase_file) if args.passphrase_file else None
    except (OSError, UnicodeDecodeError) as exc:
        fail(3, f"cannot read a file: {exc}")

    if h.scheme == 0:
        secret = b""  # sealed with a passphrase only (paper2fa seal)
    elif args.key_hex:
        try:
            secret = bytes.fromhex(args.key_hex)
        except ValueError:
            fail(2, "--key-hex is not hexadecimal")
    elif h.scheme == 2:
        fail(EXIT_SHARES, "this backup was split with SLIP-39: recover the key with a SLIP-39 "
             "tool and give it with --key-hex")
    else:
        secret = combine_shares(h, texts)
    vault_json = open_vault(h, secret, passphrase)
    if args.output:
        try:  # mode 0600, never over an existing file
            fd = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            fail(8, f"cannot write {args.output}: {exc.strerror}")
        with os.fdopen(fd, "wb") as fh:
            fh.write(vault_json)
    else:
        sys.stdout.buffer.write(vault_json)


if __name__ == "__main__":
    main()
