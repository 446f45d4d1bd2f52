"""Generate tests/vectors/sealed-vectors.json: fixed-randomness splits, valid and must-fail cases.

Run `python tests/vectors/generate.py` to rewrite the file; tests check that running the
generator again gives the committed file, and that the code accepts or refuses each case.
Only this generator patches pyshamir's and shamir-mnemonic's randomness, and only inside
`fixed_randomness()`; no CLI path can reach it.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
import itertools
import json
import random
import struct
import sys
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pyshamir._utils  # noqa: E402
import shamir_mnemonic.shamir  # noqa: E402
from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402

from toolkit import envelope, errors, frames, otp, sharing, textlines  # noqa: E402
from toolkit.model import Account, Vault, vault_from_json  # noqa: E402

OUT = Path(__file__).with_name("sealed-vectors.json")
FORMATS_OUT = Path(__file__).with_name("format-vectors.json")
NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
TEST_KDF = envelope.KDF_PROFILES["test"]


def stream(seed: str) -> Callable[[int], bytes]:
    """Deterministic bytes: SHA-256(seed || counter) blocks."""
    buffer = bytearray()
    counter = itertools.count()

    def take(n: int) -> bytes:
        while len(buffer) < n:
            buffer.extend(hashlib.sha256(f"{seed}/{next(counter)}".encode()).digest())
        out = bytes(buffer[:n])
        del buffer[:n]
        return out

    return take


def queue(*values: bytes, then: Callable[[int], bytes] | None = None) -> Callable[[int], bytes]:
    """An rng returning the given values in order (each must be asked with its length)."""
    items = list(values)

    def take(n: int) -> bytes:
        if items:
            value = items.pop(0)
            assert len(value) == n, (len(value), n)
            return value
        assert then is not None, "the queue ran out"
        return then(n)

    return take


@contextlib.contextmanager
def fixed_randomness(seed: str) -> Iterator[None]:
    """Make pyshamir and shamir-mnemonic deterministic for the duration (vectors only)."""
    rng = stream("pyshamir/" + seed)
    shuffler = random.Random(seed)  # fixed test vectors, not secrets
    fake = SimpleNamespace(token_bytes=rng,
                           SystemRandom=lambda: SimpleNamespace(shuffle=shuffler.shuffle))
    saved = (pyshamir._utils.secrets, shamir_mnemonic.shamir.RANDOM_BYTES)
    pyshamir._utils.secrets = fake
    shamir_mnemonic.shamir.RANDOM_BYTES = stream("slip39/" + seed)
    try:
        yield
    finally:
        pyshamir._utils.secrets, shamir_mnemonic.shamir.RANDOM_BYTES = saved


def tiny_vault() -> Vault:
    return Vault((Account(issuer="Example", name="alice",
                          secret=bytes.fromhex("48656c6c6f21deadbeef")),))


def small_vault() -> Vault:
    return Vault((
        Account(issuer="Example", name="alice", secret=bytes.fromhex("48656c6c6f21deadbeef")),
        Account(issuer="Bank", name="bob", secret=b"12345678901234567890", type="hotp",
                counter=7, algorithm="SHA256", digits=8),
        Account(issuer="Zoë", name="carol", secret=b"abcdefghij", notes="café",
                tags=("home",), recovery_codes=("1111-2222",)),
    ))


WORKED = {
    "set_id": bytes.fromhex("7a2f4c9e01"),
    "secret": hashlib.sha256(b"paper2fa worked example key").digest(),
    "nonce": bytes.fromhex("000102030405060708090a0b"),
}


def make(vault: Vault, k: int, n: int, scheme: str, passphrase: str | None,
         seed: str, rng: Callable[[int], bytes] | None = None) -> sharing.SplitResult:
    with fixed_randomness(seed):
        return sharing.make_split(vault, k, n, (), scheme, passphrase, rng=rng or stream(seed),
                                  now=NOW, kdf=TEST_KDF)


def worked_example() -> dict[str, Any]:
    vault = tiny_vault()
    rng = queue(WORKED["set_id"], WORKED["secret"], WORKED["nonce"])
    result = make(vault, 2, 3, "pyshamir", None, "worked", rng)
    sealed = envelope.SealedVault.from_bytes(result.sealed_bytes)
    canonical = vault.canonical_bytes()
    shares = []
    for i, share in enumerate(result.shares, 1):
        assert isinstance(share, sharing.Share)
        shares.append({"sheet": i, "x": share.x, "y": share.y.hex(),
                       "record": share.to_bytes().hex(), "words": " ".join(share.words()),
                       "qr_text": share.qr_text(),
                       "commitment": envelope.commitment(share.set_id, share.x,
                                                         share.y).hex()})
    return {
        "vault_canonical": canonical.decode(),
        "vault_fingerprint": vault.fingerprint,
        "created": NOW.date().isoformat(),
        "set_id": WORKED["set_id"].hex(),
        "set_id_text": sealed.header.set_id_text,
        "data_key": WORKED["secret"].hex(),
        "nonce": WORKED["nonce"].hex(),
        "compressed": zlib.compress(canonical, 9).hex(),
        "shares": shares,
        "header": sealed.header.to_bytes().hex(),
        "ciphertext": sealed.ciphertext.hex(),
        "check": result.sealed_bytes[-32:].hex(),
        "sealed": result.sealed_bytes.hex(),
    }


def _texts(result: sharing.SplitResult, sheets: list[int], form: str) -> list[str]:
    out = []
    for i in sheets:
        share = result.shares[i - 1]
        out.append(share.qr_text() if form == "qr" else " ".join(share.words()))
    return out


def slip39_changed(share: sharing.AnyShare, **changes: Any) -> sharing.Slip39Share:
    """A SLIP-39 share with fields changed and its checksum recomputed (damage the checksum
    cannot see, or a forgery)."""
    assert isinstance(share, sharing.Slip39Share)
    return sharing.Slip39Share(dataclasses.replace(share.parsed, **changes).mnemonic())


def _reseal(result: sharing.SplitResult, extra: bytes) -> bytes:
    """The sealed vault with `extra` bytes after its zlib stream, encrypted under its own key
    (only someone holding the key can make this: it must still be refused)."""
    sealed = envelope.SealedVault.from_bytes(result.sealed_bytes)
    key = sharing.combine(list(result.shares), sealed)
    compressed = AESGCM(key).decrypt(sealed.header.nonce, sealed.ciphertext,
                                     sealed.associated_data)
    ciphertext = AESGCM(key).encrypt(sealed.header.nonce, compressed + extra,
                                     sealed.associated_data)
    return envelope.SealedVault(sealed.header, ciphertext).to_bytes()


def cases() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    valid: list[dict[str, Any]] = []
    invalid: list[dict[str, Any]] = []
    vault = small_vault()
    expected = vault.canonical_bytes().decode()
    specs = [("2-of-3 pyshamir", 2, 3, "pyshamir", None),
             ("3-of-5 pyshamir with passphrase", 3, 5, "pyshamir", "correct horse"),
             ("2-of-2 slip39", 2, 2, "slip39", None),
             ("3-of-4 slip39 with passphrase", 3, 4, "slip39", "Ünïcode pässphrase"),
             ("16-of-16 pyshamir", 16, 16, "pyshamir", None)]
    made = {}
    for name, k, n, scheme, passphrase in specs:
        result = make(vault, k, n, scheme, passphrase, name)
        made[name] = result
        sheets = list(range(n - k + 1, n + 1))
        valid.append({"description": name, "sealed": result.sealed_bytes.hex(),
                      "shares": _texts(result, sheets, "qr" if k % 2 else "words"),
                      "passphrase": passphrase, "vault": expected, "left_out": []})
    base = made["2-of-3 pyshamir"]
    sealed_hex = base.sealed_bytes.hex()
    words1 = _texts(base, [1], "words")[0].split()
    words2 = _texts(base, [2], "words")[0]
    qr3 = _texts(base, [3], "qr")[0]
    changed = list(words1)
    changed[10] = "academic" if changed[10] != "academic" else "acid"
    other = made["3-of-5 pyshamir with passphrase"]
    v2 = sharing.Share.from_qr_text(qr3).to_bytes()
    v2_qr = "P2FA-SHARE:" + base64.b32encode(v2[:5] + b"\x02" + v2[6:]).decode().rstrip("=")
    slip = made["2-of-2 slip39"]
    slip3 = make(vault, 2, 3, "slip39", None, "2-of-3 slip39 with damaged shares")
    s1, s2, s3 = slip3.shares
    assert s1.x == 0  # sheet 1's member index: a real share, not "x = 0"

    def good(description: str, result: sharing.SplitResult, shares: list[str],
             left_out: list[str], passphrase: str | None = None) -> None:
        valid.append({"description": description, "sealed": result.sealed_bytes.hex(),
                      "shares": shares, "passphrase": passphrase, "vault": expected,
                      "left_out": left_out})

    good("more than k: a checksum error, another set's share and a repeat are left out", base,
         [" ".join(changed), _texts(other, [1], "qr")[0], qr3, words2, qr3],
         ["share 1: the checksum", "share 2: it belongs to set", "share 5: the same share as"])
    good("slip39: sheet 1 (member index 0) with a share whose value was changed",
         slip3, [slip39_changed(s1, value=bytes([s1.y[0] ^ 1]) + s1.y[1:]).qr_text(),
                 s1.qr_text(), " ".join(s3.words())],
         ["share 1: it does not match any share of this backup"])
    good("slip39: a share whose member index was changed", slip3,
         [s2.qr_text(), slip39_changed(s1, index=7).qr_text(), s3.qr_text()],
         ["share 2: it does not match any share of this backup"])
    good("slip39: a share whose iteration exponent was changed", slip3,
         [slip39_changed(s1, iteration_exponent=1).qr_text(), s2.qr_text(), s3.qr_text()],
         ["share 1: its SLIP-39 iteration exponent (1) differs from the other shares' (0)"])

    def bad(description: str, shares: list[str], error: str, message: str,
            sealed: str = sealed_hex, passphrase: str | None = None) -> None:
        invalid.append({"description": description, "sealed": sealed, "shares": shares,
                        "passphrase": passphrase, "error": error,
                        "exit_code": getattr(errors, error).exit_code, "message": message})

    bad("too few shares", [words2], "NotEnoughError", "1 of 2 needed shares: need 1 more")
    bad("the same share twice", [words2, words2], "ShareError", "the same share as")
    bad("one word changed", [" ".join(changed), words2], "ShareError", "checksum")
    bad("a word not in the list", [" ".join([*words1[:5], "zebra", *words1[6:]]), words2],
        "ShareError", "not a share word")
    bad("a word missing", [" ".join(words1[:-1]), words2], "ShareError", "36 words")
    bad("a share of another set", [_texts(other, [1], "qr")[0], qr3], "ShareError",
        "belongs to set")
    x0 = sharing.Share(base.header.set_id, 1, 2, 3, 0, bytes(32))
    bad("x = 0", [x0.qr_text(), qr3], "ShareError", "x is 0")
    forged = sharing.Share(base.header.set_id, 1, 2, 3, 77, bytes(range(32)))
    bad("a share whose commitment fails", [forged.qr_text(), qr3], "ShareError",
        "does not match any share")
    bad("unknown share version", [v2_qr, words2], "UnknownVersionError", "version 2")
    # too few: the error is of the kind of the first input that did not read as a share
    bad("too few: a checksum error, then an unknown share version",
        [" ".join(changed), v2_qr, words2], "ShareError", "left out: share 1: the checksum")
    bad("too few: an unknown share version, then a checksum error",
        [v2_qr, " ".join(changed), words2], "UnknownVersionError",
        "left out: share 1: share format version 2")
    bad("too few: another set's share, then an unknown share version",
        [_texts(other, [1], "qr")[0], v2_qr, words2], "UnknownVersionError",
        "share 1: it belongs to set")
    last = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".index(qr3[-1])
    bad("share QR text whose unused last bits are not zero",
        [qr3[:-1] + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[last | 1], words2], "ShareError",
        "its last character is impossible")
    wrong_kn = sharing.Share(base.header.set_id, 1, 3, 3, 9, bytes(32))
    bad("mismatched k of n", [wrong_kn.qr_text(), qr3], "ShareError", "says 3 of 3")
    tampered = bytearray(base.sealed_bytes)
    tampered[-40] ^= 1
    body = bytes(tampered[:-32])
    bad("ciphertext altered (check hash fixed up)", [words2, qr3], "DamagedError",
        "damaged or tampered", sealed=(body + hashlib.sha256(body).digest()).hex())
    bad("sealed vault truncated", [words2, qr3], "DamagedError", "damaged or tampered",
        sealed=sealed_hex[:-20])
    unknown = bytearray(base.sealed_bytes)
    unknown[15] = 2
    bad("unknown sealed version", [words2, qr3], "UnknownVersionError", "version 2",
        sealed=bytes(unknown).hex())
    for description, at, value, message in (
            ("impossible header: key scheme 3 (check hash fixed)", 23, 3, "unknown key scheme 3"),
            ("impossible header: k > n (check hash fixed)", 24, 4, "4 of 3 shares")):
        forged = bytearray(base.sealed_bytes[:-32])
        forged[at] = value
        bad(description, [words2, qr3], "FormatError", message,
            sealed=(bytes(forged) + hashlib.sha256(forged).digest()).hex())
    bad("data after the zlib stream (sealed by the key's holder)", [words2, qr3],
        "DamagedError", "damaged or tampered", sealed=_reseal(base, b"\x00").hex())
    damaged_k = bytearray(base.sealed_bytes)
    damaged_k[24] = 0  # k, with the check hash left as it was: accidental damage
    bad("k damaged (check hash not fixed)", [words2, qr3], "DamagedError",
        "damaged or tampered", sealed=bytes(damaged_k).hex())
    pw = made["3-of-5 pyshamir with passphrase"]
    costly = bytearray(pw.sealed_bytes[:-32])
    kdf_at = 16 + 5 + 2 + 3 + 16 * 5 + 1
    costly[kdf_at:kdf_at + 3] = bytes([20, 8, 16])  # 16 GiB of scrypt work
    bad("absurd scrypt cost (check hash fixed)", _texts(pw, [1, 2, 3], "qr"), "FormatError",
        "1 GiB", sealed=(bytes(costly) + hashlib.sha256(costly).digest()).hex(),
        passphrase="correct horse")
    bad("a SLIP-39 share for a pyshamir vault",
        [_texts(made["2-of-2 slip39"], [1], "words")[0], qr3], "ShareError",
        "it is a slip39 share, but the sealed vault was split as pyshamir")
    bad("wrong passphrase", _texts(pw, [1, 2, 3], "qr"), "WrongPasswordError",
        "wrong passphrase", sealed=pw.sealed_bytes.hex(), passphrase="wrong horse")
    slip_words = _texts(slip, [1], "words")[0].split()
    slip_words[3] = "acid" if slip_words[3] != "acid" else "acne"
    bad("slip39 share with a changed word", [" ".join(slip_words), _texts(slip, [2], "qr")[0]],
        "ShareError", "checksum", sealed=slip.sealed_bytes.hex())
    return valid, invalid


def build() -> dict[str, Any]:
    valid, invalid = cases()
    return {
        "comment": "made by tests/vectors/generate.py; see docs/FORMAT.md section 6",
        "kdf_profile": {"log_n": TEST_KDF.log_n, "r": TEST_KDF.r, "p": TEST_KDF.p},
        "worked_example": worked_example(),
        "valid": valid,
        "invalid": invalid,
    }


# --- format-vectors.json: canonical JSON, Steam codes, typed words, text lines, frames ----------


def _error_case(fn: Callable[[], Any]) -> dict[str, Any]:
    """What `fn` raises, as a vector: error class, exit code and message."""
    try:
        fn()
    except errors.Paper2faError as exc:
        return {"error": type(exc).__name__, "exit_code": exc.exit_code, "message": exc.message}
    raise AssertionError("expected an error")


def canonical_cases() -> dict[str, Any]:
    def account(issuer: str, name: str, **more: Any) -> dict[str, Any]:
        base = {"type": "totp", "issuer": issuer, "name": name, "secret": "JBSWY3DPEHPK3PXP",
                "algorithm": "SHA1", "digits": 6, "period": 30, "counter": 0}
        return {**base, **more}

    def vault_text(*accounts: dict[str, Any]) -> str:
        return json.dumps({"version": 1, "format": "paper2fa-vault", "accounts": list(accounts)},
                          ensure_ascii=True, indent=1)

    inputs = [
        ("accounts sorted by issuer case-folded (full folding: Straße = STRASSE), then name",
         vault_text(account("straße", "b"), account("STRASSE", "a"), account("Bank", "z"),
                    account("bank", "Y"))),
        ("code points, not UTF-16 units: U+FFFF sorts before U+1F600",
         vault_text(account("\U0001F600", "x"), account("\uffff", "x"))),
        ("escapes: controls as \\u00XX or short forms; DEL, U+2028, / and emoji as themselves",
         vault_text(account("a/b", "x", notes="tab\tnl\ncr\rbs\bff\f\x01\x1f\x7f\u2028\u2029"
                                              "\"q\" \\ \U0001F600"))),
        ("NFC and white space: issuer, name, tags and recovery codes stripped; notes and other "
         "factors kept",
         vault_text(account("\u3000\x1cCafe\u0301 ", " n\u00a0", notes=" e\u0301 ",
                            tags=[" b", "a", "b ", "\u2003", "a"],
                            recovery_codes=[" 1 ", "", "1"],
                            other_factors=[" YubiKey ", " YubiKey "]))),
        ("steam: digits 5 and SHA1 whatever the input says; hotp: period 30",
         vault_text(account("Steam", "s", type="STEAM", digits=8, algorithm="sha-256"),
                    account("H", "h", type="hotp", period=60, counter=9))),
    ]
    valid = []
    for description, text in inputs:
        vault = vault_from_json(text)
        valid.append({"description": description, "input": text,
                      "canonical": vault.canonical_bytes().decode("utf-8"),
                      "fingerprint": vault.fingerprint})
    invalid = []
    for description, text in [
            ("a lone surrogate", vault_text(account("\ud800", "x"))),
            ("an unknown account member", vault_text(account("a", "b", extra=1))),
            ("digits as a float", vault_text(account("a", "b", digits=6.0))),
            ("digits 0", vault_text(account("a", "b", digits=0))),
            ("other_factors holding a number", vault_text(account("a", "b",
                                                                   other_factors=[1]))),
            ("unknown vault version", vault_text().replace('"version": 1', '"version": 2'))]:
        invalid.append({"description": description, "input": text,
                        **_error_case(lambda t=text: vault_from_json(t))})
    steam = []
    for secret, at in ((b"12345678901234567890", 0), (b"12345678901234567890", 1111111109),
                       (b"\x00" * 10, 2000000000)):
        account_ = Account(issuer="Steam", name="s", secret=secret, type="steam")
        steam.append({"secret": account_.secret_base32, "period": 30, "time": at,
                      "code": otp.code_at(account_, at)})
    return {"valid": valid, "invalid": invalid, "steam": steam}


def word_cases() -> list[dict[str, Any]]:
    vault = tiny_vault()
    ours = make(vault, 2, 3, "pyshamir", None, "words/pyshamir")
    slip = make(vault, 2, 3, "slip39", None, "words/slip39")
    w = ours.shares[0].words()
    sw = slip.shares[0].words()
    cases: list[tuple[str, str, int | None]] = [
        ("paper2fa words, upper case, 4-letter prefixes, commas", ", ".join(
            x[:4].upper() for x in w), None),
        ("SLIP-39 words, mixed case", " ".join(x.capitalize() for x in sw), None),
        ("SLIP-39 QR text", slip.shares[0].qr_text(), None),
        ("paper2fa QR text in lower case with padding", ours.shares[0].qr_text().lower() + "====",
         None),
        ("36 paper2fa words", " ".join(w[:-1]), None),
        ("36 paper2fa words, the sealed vault being pyshamir", " ".join(w[:-1]),
         envelope.SCHEME_PYSHAMIR),
        ("37 words with a wrong checksum", " ".join([*w[:10], w[11], w[10], *w[12:]]), None),
        ("33 words with a wrong checksum", " ".join([*sw[:10], sw[11], sw[10], *sw[12:]]), None),
        ("a word not in the list", " ".join([*w[:5], "zebra", *w[6:]]), None),
        ("a prefix of 3 letters", " ".join([*w[:5], w[5][:3], *w[6:]]), None),
        ("a SLIP-39 share where a paper2fa share is expected", " ".join(sw),
         envelope.SCHEME_PYSHAMIR),
    ]
    out = []
    for description, text, scheme in cases:
        case: dict[str, Any] = {"description": description, "text": text, "scheme": scheme}
        try:
            share = sharing.share_from_text(text, scheme)
        except errors.Paper2faError as exc:
            case.update(error=type(exc).__name__, exit_code=exc.exit_code, message=exc.message)
        else:
            case.update(share_scheme=envelope.SCHEMES[share.scheme], x=share.x,
                        y=share.y.hex())
        out.append(case)
    return out


def text_line_cases() -> dict[str, Any]:
    sealed = bytes.fromhex(worked_example()["sealed"])
    printed = textlines.encode_text(sealed, "sealed")
    lines = printed.splitlines()
    one_space = "\n".join(" ".join(line.split()) for line in lines)
    typo = str.maketrans("oib", "018")

    def typed_line(line: str) -> str:
        number, sep, rest = line.partition(":")
        if not sep or not number.strip().isdigit():
            return line.lower()  # the header and the SHA256 line, in lower case
        return f"{number.strip()}:{rest.lower().replace(' ', '').translate(typo)}"

    typed = "\n".join(typed_line(line) for line in lines)
    plain = zlib.compress(tiny_vault().canonical_bytes(), 9)
    valid = [
        {"description": "the worked example's sealed vault as printed", "text": printed,
         "kind": "sealed", "payload": sealed.hex()},
        {"description": "as a PDF text extractor gives it (one space everywhere)",
         "text": one_space, "kind": "sealed", "payload": sealed.hex()},
        {"description": "typed in lower case without spaces, with 0/1/8 for O/I/B",
         "text": typed, "kind": "sealed", "payload": sealed.hex()},
        {"description": "the worked example's vault, compressed (a home-safe backup)",
         "text": textlines.encode_text(plain, "vault"), "kind": "vault",
         "payload": plain.hex()},
    ]
    swapped = list(lines)
    swapped[2], swapped[3] = lines[3].replace(" 3:", " 2:"), lines[2].replace(" 2:", " 3:")
    bad_char = list(lines)
    bad_char[5] = bad_char[5][:10] + ("A" if bad_char[5][10] != "A" else "B") + bad_char[5][11:]
    invalid_texts = [
        ("lines 4 and 9 missing", "\n".join(x for i, x in enumerate(lines) if i not in (4, 9))),
        ("lines 2 and 3 swapped (numbers kept in place)", "\n".join(swapped)),
        ("a character changed on line 5", "\n".join(bad_char)),
        ("the length in the header changed", "\n".join(
            [lines[0].replace("336", "335"), *lines[1:]])),
        ("text format version 2", "\n".join([lines[0].replace("TEXT1", "TEXT2"), *lines[1:]])),
        ("the SHA256 line changed", "\n".join([*lines[:-1], "SHA256: AAAA AAAA AAAA AAAA"])),
        ("line 5 given twice, the second copy mistyped (every copy must check)",
         "\n".join([*lines[:6], bad_char[5], *lines[6:]])),
        ("a line numbered beyond the count", "\n".join([*lines[:-1], "18: AAAAAAAA  AAAAA",
                                                        lines[-1]])),
        ("the SHA256 line missing", "\n".join(lines[:-1])),
    ]
    invalid = [{"description": d, "text": t,
                **_error_case(lambda t=t: textlines.decode_text(t))} for d, t in invalid_texts]
    return {"valid": valid, "invalid": invalid}


FRAME_HEADER = struct.Struct(">BB8sIHH")
"""The binary frame header of FORMAT.md section 4, built here from the text, not the code."""


def _raw_frame(version: int, kind: int, length: int, size: int, index: int,
               chunk: bytes) -> str:
    body = FRAME_HEADER.pack(version, kind, bytes(8), length, size, index) + chunk
    body += zlib.crc32(body).to_bytes(4, "big")
    return frames.FRAME_PREFIX + frames.base45_encode(body)


def frame_cases() -> dict[str, Any]:
    good = frames.encode_frames(b"JBSWY3DPEHPK3PXP", "vault", bytes.fromhex("0011223344556677"))
    text0 = good[0].text
    single = [
        ("a good data frame (section 4's example)", text0),
        ("chunk size 0 (a frame with no chunk)", _raw_frame(1, 0x56, 16, 0, 0, b"")),
        ("chunk length other than S", _raw_frame(1, 0x56, 16, 24, 0, bytes(23))),
        ("payload length 0", _raw_frame(1, 0x56, 0, 1, 0, b"\x00")),
        ("more than 48,000 data chunks", _raw_frame(1, 0x56, 48_001, 1, 0, b"\x00")),
        ("index beyond the document", _raw_frame(1, 0x56, 16, 24, 3, bytes(24))),
        ("unknown kind", _raw_frame(1, 0x41, 16, 24, 0, bytes(24))),
        ("binary frame version 2", _raw_frame(2, 0x56, 16, 24, 0, bytes(24))),
        ("text version 2", text0.replace("P2F-FRAME1:", "P2F-FRAME2:")),
        ("CRC wrong (one base45 digit changed)",
         text0[:-1] + ("0" if text0[-1] != "0" else "1")),
        ("a base45 triple above 65535 (GGW)", text0[:-3] + "GGW"),
        ("base45 length 1 mod 3", text0 + "0"),
        ("lower-case base45", text0.lower().replace("p2f-frame1:", "P2F-FRAME1:")),
    ]
    frame_list = []
    for description, text in single:
        try:
            frame = frames.decode_frame(text)
        except frames.FrameTextError as exc:
            frame_list.append({"description": description, "text": text,
                               "outcome": exc.outcome})
        else:
            frame_list.append({"description": description, "text": text, "outcome": "new",
                               "index": frame.index, "total": frame.total})
    other_size = frames.encode_frames(b"JBSWY3DPEHPK3PXP" * 30, "vault",
                                      bytes.fromhex("0011223344556677"), max_frame_bytes=100)
    forged = bytearray(good[1].data)
    forged[0] ^= 1
    sequences = []
    for description, texts in [
            ("same document id, another length and chunk size", [text0, other_size[1].text]),
            ("the same frame twice", [text0, text0]),
            ("the same index with another chunk (CRC valid)",
             [good[1].text, _raw_with_doc(good[1], bytes(forged))])]:
        collector = frames.FrameCollector()
        sequences.append({"description": description, "texts": texts,
                          "outcomes": [collector.add(t).outcome for t in texts]})
    return {"frames": frame_list, "sequences": sequences}


def _raw_with_doc(frame: frames.Frame, chunk: bytes) -> str:
    body = FRAME_HEADER.pack(frames.FRAME_VERSION, frames.FRAME_KINDS[frame.kind],
                                     frame.doc_id, frame.payload_length, frame.chunk_size,
                                     frame.index) + chunk
    body += zlib.crc32(body).to_bytes(4, "big")
    return frames.FRAME_PREFIX + frames.base45_encode(body)


def build_formats() -> dict[str, Any]:
    return {
        "comment": "made by tests/vectors/generate.py; see docs/FORMAT.md sections 1, 3, 4, 5",
        "canonical": canonical_cases(),
        "words": word_cases(),
        "text_lines": text_line_cases(),
        "frames": frame_cases(),
    }


def main() -> None:
    OUT.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    FORMATS_OUT.write_text(json.dumps(build_formats(), indent=1, ensure_ascii=False) + "\n",
                           encoding="utf-8")
    print(f"wrote {OUT} and {FORMATS_OUT}")


if __name__ == "__main__":
    main()


def _wrap_hex(label: str, value: str, width: int = 64) -> list[str]:
    lines = [f"{label}:"]
    lines += [f"  {value[i:i + width]}" for i in range(0, len(value), width)]
    return lines


def format_example(w: dict[str, Any]) -> str:
    """The worked-example block of docs/FORMAT.md section 6, made from the vector file."""
    lines = [
        "vault (canonical bytes, UTF-8):",
        f"  {w['vault_canonical']}",
        f"vault fingerprint: {w['vault_fingerprint']}",
        f"created: {w['created']}",
        f"set id: {w['set_id']} (base32 {w['set_id_text']})",
        "generation: 1; scheme: 1 (pyshamir); k = 2, n = 3; no passphrase",
        f"data key = split secret: {w['data_key']}",
        f"vault nonce: {w['nonce']}",
        *_wrap_hex("zlib-compressed vault", w["compressed"]),
    ]
    for s in w["shares"]:
        lines += [
            f"share {s['sheet']}: x = {s['x']}",
            f"  y:          {s['y']}",
            f"  commitment: {s['commitment']}",
            *_wrap_hex("  record", s["record"], 84),
            "  words:",
        ]
        ws = s["words"].split()
        lines += ["    " + " ".join(ws[i:i + 10]) for i in range(0, len(ws), 10)]
        lines.append(f"  QR text: {s['qr_text']}")
    lines += [
        *_wrap_hex("header (associated data)", w["header"]),
        *_wrap_hex("ciphertext + tag", w["ciphertext"]),
        *_wrap_hex("check (SHA-256 of header + ciphertext)", w["check"]),
        *_wrap_hex("sealed vault (header + ciphertext + check)", w["sealed"]),
    ]
    return "```\n" + "\n".join(lines) + "\n```\n"
