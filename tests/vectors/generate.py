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

from toolkit import envelope, errors, sharing  # noqa: E402
from toolkit.model import Account, Vault  # noqa: E402

OUT = Path(__file__).with_name("sealed-vectors.json")
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


def main() -> None:
    OUT.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


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
