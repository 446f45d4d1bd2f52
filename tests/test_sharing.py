"""Shares: split/combine, every bad input named, self-test, vectors, and the FORMAT.md example."""

from __future__ import annotations

import importlib.util
import itertools
import json
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import pyshamir
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit import envelope, errors, sharing, words
from toolkit.envelope import SealedVault
from toolkit.errors import DamagedError, NotEnoughError, ShareError, UsageError
from toolkit.model import Account, Vault

ROOT = Path(__file__).resolve().parents[1]
VECTORS = ROOT / "tests" / "vectors" / "sealed-vectors.json"
TEST_KDF = envelope.KDF_PROFILES["test"]


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("p2fa_vector_generator",
                                                  ROOT / "tests" / "vectors" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def vault(n: int = 2) -> Vault:
    return Vault(tuple(Account(issuer=f"Site {i}", name="me", secret=bytes([i + 1]) * 10)
                       for i in range(n)))


def split(k: int = 2, n: int = 3, passphrase: str | None = None, scheme: str = "pyshamir",
          v: Vault | None = None) -> tuple[sharing.SplitResult, SealedVault]:
    result = sharing.make_split(vault() if v is None else v, k, n, (), scheme, passphrase,
                                kdf=TEST_KDF)
    return result, SealedVault.from_bytes(result.sealed_bytes)


accounts = st.builds(
    Account,
    issuer=st.text(max_size=12), name=st.text(min_size=1, max_size=12),
    secret=st.binary(min_size=1, max_size=40),
    type=st.sampled_from(["totp", "hotp", "steam"]),
    notes=st.text(max_size=20),
)


@st.composite
def k_and_n(draw: st.DrawFn) -> tuple[int, int]:
    n = draw(st.integers(2, 7))
    return draw(st.integers(2, n)), n


@given(st.lists(accounts, max_size=6, unique_by=lambda a: a.params_key), k_and_n(),
       st.randoms(use_true_random=False))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_k_shares_restore_and_k_minus_1_do_not(items: list[Account], kn: tuple[int, int],
                                                   rnd: Any) -> None:
    k, n = kn
    v = Vault(tuple(items))
    result, sealed = split(k, n, v=v)
    chosen = rnd.sample(range(n), k)
    shares = [result.shares[i] for i in chosen]
    key = sharing.combine(shares, sealed)
    assert envelope.open_sealed(sealed, key) == v
    fewer = shares[:-1]
    with pytest.raises(NotEnoughError, match=f"{k - 1} of {k} needed shares: need 1 more"):
        sharing.combine(fewer, sealed)
    # and interpolating k-1 points directly gives a key that does not open the vault
    points = [s.point() for s in fewer]
    wrong = points[0][1] if len(points) == 1 else sharing.interpolate_at_zero(points)
    with pytest.raises(DamagedError):
        envelope.open_sealed(sealed, wrong)


@given(st.binary(min_size=32, max_size=32), k_and_n())
@settings(max_examples=30, deadline=None)
def test_fast_interpolation_equals_pyshamir(secret: bytes, kn: tuple[int, int]) -> None:
    k, n = kn
    parts = pyshamir.split(secret, n, k)
    points = [(p[-1], bytes(p[:-1])) for p in parts[:k]]
    assert sharing.interpolate_at_zero(points) == bytes(pyshamir.combine(parts[:k])) == secret


@given(st.integers(0, 36), st.integers(1, 1023))
@settings(max_examples=60, deadline=None)
def test_every_single_word_change_in_a_share_is_detected(pos: int, delta: int) -> None:
    share = sharing.Share(b"ABCDE", 1, 2, 3, 17, bytes(range(32)))
    ws = share.words()
    from toolkit import words

    ws[pos] = words.wordlist()[(words.word_index(ws[pos]) + delta) % 1024]
    with pytest.raises(ShareError, match="checksum"):
        sharing.Share.from_words(ws)


def test_share_record_round_trips() -> None:
    share = sharing.Share(b"ABCDE", 65535, 16, 16, 255, bytes(range(32)))
    assert sharing.Share.from_bytes(share.to_bytes()) == share
    assert sharing.Share.from_words(share.words()) == share
    assert sharing.Share.from_words(" ".join(w[:4].upper() for w in share.words())) == share
    text = share.qr_text()
    assert sharing.Share.from_qr_text(text) == share
    assert text.startswith("P2FA-SHARE:") and set(text) <= set(
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    assert len(share.words()) == sharing.WORD_COUNT == 37


def test_first_words_are_the_same_for_one_set() -> None:
    result, _ = split(3, 5)
    heads = {tuple(s.words()[:4]) for s in result.shares}
    assert len(heads) == 1
    other, _ = split(3, 5)
    assert {tuple(s.words()[:4]) for s in other.shares} != heads


def test_bad_inputs_are_named() -> None:
    result, sealed = split(2, 3)
    s1, s2, _ = result.shares
    assert isinstance(s1, sharing.Share)
    with pytest.raises(NotEnoughError, match=r"^1 of 2 needed shares: need 1 more$"):
        sharing.combine([s1], sealed)
    with pytest.raises(ShareError, match="b: the same share as a"):
        sharing.combine([s1, s1], sealed, ["a", "b"])
    other, _ = split(2, 3)
    with pytest.raises(ShareError, match=r"belongs to set .* generation 1, but the sealed"):
        sharing.combine([other.shares[0], s2], sealed)
    gen2 = sharing.Share(s1.set_id, 2, 2, 3, s1.x, s1.y)
    with pytest.raises(ShareError, match="generation 2"):
        sharing.combine([gen2, s2], sealed)
    kn = sharing.Share(s1.set_id, 1, 3, 4, s1.x, s1.y)
    with pytest.raises(ShareError, match="says 3 of 4, but the sealed vault says 2 of 3"):
        sharing.combine([kn, s2], sealed)
    zero = sharing.Share(s1.set_id, 1, 2, 3, 0, s1.y)
    with pytest.raises(ShareError, match="x is 0"):
        sharing.combine([zero, s2], sealed)
    altered = sharing.Share(s1.set_id, 1, 2, 3, s1.x, bytes(32))
    with pytest.raises(ShareError, match="does not match any share of this backup"):
        sharing.combine([altered, s2], sealed)
    with pytest.raises(errors.UnknownVersionError, match="version 7"):
        sharing.Share.from_bytes(s1.to_bytes()[:5] + b"\x07" + s1.to_bytes()[6:])


def test_more_than_k_with_one_bad_finds_and_names_it() -> None:
    result, sealed = split(2, 4)
    s1, s2, s3, _ = result.shares
    assert isinstance(s2, sharing.Share)
    bad = sharing.Share(s2.set_id, 1, 2, 4, s2.x, bytes(a ^ 1 for a in s2.y))
    combined = sharing.combine_tolerant([s1, bad, s3], sealed, ["one", "two", "three"])
    assert combined.sheets == (1, 3)
    assert len(combined.left_out) == 1 and combined.left_out[0].startswith("two: ")
    assert envelope.open_sealed(sealed, combined.key) == vault()
    with pytest.raises(ShareError, match="two: "):
        sharing.combine([s1, bad, s3], sealed, ["one", "two", "three"])


def test_check_one_share_without_a_quorum() -> None:
    result, sealed = split(3, 5)
    for i, share in enumerate(result.shares, 1):
        assert sharing.check_share(share, sealed.header) == i
    other, _ = split(3, 5)
    with pytest.raises(ShareError, match="cannot be used"):
        sharing.check_share(other.shares[0], sealed.header)


def test_passphrase_split_needs_both() -> None:
    result, sealed = split(2, 3, "pp")
    key = sharing.combine(result.shares[:2], sealed)
    assert envelope.open_sealed(sealed, key, "pp") == vault()
    with pytest.raises(errors.WrongPasswordError):
        envelope.open_sealed(sealed, key, "nope")


def test_make_split_checks_and_names_files() -> None:
    result = sharing.make_split(vault(), 2, 3, ["Ann Lee", "Bø/b", "../x"], kdf=TEST_KDF)
    assert result.file_names == ("share-1-of-3-Ann-Lee.txt", "share-2-of-3-Bo-b.txt",
                                 "share-3-of-3-x.txt")
    for k, n in [(1, 3), (4, 3), (2, 17)]:
        with pytest.raises(UsageError, match="2 <= k <= n <= 16"):
            sharing.make_split(vault(), k, n, kdf=TEST_KDF)
    with pytest.raises(UsageError, match="one per share"):
        sharing.make_split(vault(), 2, 3, ["a"], kdf=TEST_KDF)


def test_self_test_catches_a_bad_share() -> None:
    result, sealed = split(2, 3)
    shares = list(result.shares)
    s = shares[2]
    assert isinstance(s, sharing.Share)
    shares[2] = sharing.Share(s.set_id, 1, 2, 3, s.x, bytes(32))
    with pytest.raises(errors.VerifyError, match="self-test"):
        sharing.self_test(result.sealed_bytes, shares, sharing.combine(shares[:2], sealed),
                          vault(), None)


def test_self_test_covers_every_subset_up_to_200(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = sharing.interpolate_at_zero

    def counting(points: Any) -> bytes:
        calls.append(len(points))
        return real(points)

    monkeypatch.setattr(sharing, "interpolate_at_zero", counting)
    split(3, 6)  # the first quorum combined, then every subset: C(6,3) = 20
    assert calls == [3] * (1 + 20)
    calls.clear()
    split(8, 16)  # C(16,8) = 12870 > 200: one quorum and the commitments
    assert calls == [8]


def test_share_file_round_trip_and_disagreement() -> None:
    result, _ = split(2, 3)
    text = sharing.share_file_text(result, 2)
    assert sharing.share_from_file_text(text) == result.shares[1]
    other = sharing.share_file_text(result, 3)
    qr3 = next(line for line in other.splitlines() if line.startswith("P2FA-SHARE:"))
    mixed = "\n".join(qr3 if line.startswith("P2FA-SHARE:") else line
                      for line in text.splitlines())
    with pytest.raises(ShareError, match="words and its QR text are different"):
        sharing.share_from_file_text(mixed)
    bare = "# typed from Bob's sheet\n" + " ".join(result.shares[0].words()) + "\n"
    assert sharing.share_from_file_text(bare) == result.shares[0]
    with pytest.raises(ShareError, match="no share words"):
        sharing.share_from_file_text("# nothing here\n")


# --- vectors -----------------------------------------------------------------------------------

def _load_vectors() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(VECTORS.read_text(encoding="utf-8"))
    return data


def _restore(case: dict[str, Any]) -> tuple[Vault, tuple[str, ...]]:
    sealed = SealedVault.from_bytes(bytes.fromhex(case["sealed"]))
    combined = sharing.combine_texts(case["shares"], sealed)
    return envelope.open_sealed(sealed, combined.key, case["passphrase"]), combined.left_out


@pytest.mark.parametrize("case", _load_vectors()["valid"], ids=lambda c: c["description"])
def test_valid_vectors(case: dict[str, Any]) -> None:
    restored, left_out = _restore(case)
    assert restored.canonical_bytes().decode() == case["vault"]
    assert len(left_out) == len(case["left_out"])  # named in any order
    for said, expected in zip(sorted(left_out), sorted(case["left_out"]), strict=True):
        assert said.startswith(expected), (said, expected)


@pytest.mark.parametrize("case", _load_vectors()["invalid"], ids=lambda c: c["description"])
def test_must_fail_vectors(case: dict[str, Any]) -> None:
    with pytest.raises(errors.Paper2faError) as err:
        _restore(case)
    assert type(err.value).__name__ == case["error"]
    assert err.value.exit_code == case["exit_code"]
    assert case["message"] in err.value.message


def test_the_generator_reproduces_the_vector_file() -> None:
    assert generator().build() == _load_vectors()


def test_worked_example_in_format_md_matches_the_vectors_and_the_code() -> None:
    gen = generator()
    w = _load_vectors()["worked_example"]
    assert gen.format_example(w) in (ROOT / "docs" / "FORMAT.md").read_text(encoding="utf-8")
    sealed = SealedVault.from_bytes(bytes.fromhex(w["sealed"]))
    assert sealed.header.to_bytes().hex() == w["header"]
    for a, b in itertools.combinations(w["shares"], 2):
        shares = [sharing.Share.from_words(a["words"]), sharing.Share.from_qr_text(b["qr_text"])]
        assert sharing.combine(shares, sealed).hex() == w["data_key"]
    v = envelope.open_sealed(sealed, bytes.fromhex(w["data_key"]))
    assert v.canonical_bytes().decode() == w["vault_canonical"]


def test_only_the_vector_generator_fixes_randomness() -> None:
    for path in (ROOT / "toolkit").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "_utils.secrets" not in text and "RANDOM_BYTES =" not in text, path


# --- adversarial review: decoders never fail with anything but a Paper2faError -----------------

_WORDS = list(words.wordlist())
typed_text = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from([*_WORDS[:40], "zebra", "ACAD", "1.", "P2FA-SHARE:", "#"]),
             max_size=40).map(" ".join),
)


def _only_domain_errors(fn: Any, *args: Any) -> None:
    try:
        fn(*args)
    except errors.Paper2faError as exc:
        assert exc.message and "\n" not in exc.message


@given(typed_text)
@settings(max_examples=150, deadline=None)
def test_share_decoders_raise_only_domain_errors(text: str) -> None:
    for fn in (sharing.Share.from_qr_text, sharing.Share.from_words,
               sharing.Slip39Share.from_words, sharing.share_from_text,
               sharing.share_from_file_text):
        _only_domain_errors(fn, text)
    _only_domain_errors(sharing.Share.from_qr_text, "P2FA-SHARE:" + text)
    _only_domain_errors(sharing.Slip39Share.from_qr_text, "P2FA-SLIP39:" + text)
    _only_domain_errors(sharing.share_from_file_text, f"words (37):\n{text}\nqr:\n{text}")
    for scheme in (envelope.SCHEME_PYSHAMIR, envelope.SCHEME_SLIP39):
        _only_domain_errors(sharing.share_from_text, text, scheme)


@given(st.binary(max_size=50))
@settings(max_examples=150, deadline=None)
def test_share_records_raise_only_domain_errors(raw: bytes) -> None:
    import base64

    _only_domain_errors(sharing.Share.from_bytes, raw)
    _only_domain_errors(sharing.Share.from_qr_text,
                        "P2FA-SHARE:" + base64.b32encode(raw).decode().rstrip("="))


@given(st.lists(st.integers(0, 1023), min_size=17, max_size=36),
       st.sampled_from([b"shamir", b"shamir_extendable", b"paper2fa-share"]))
@settings(max_examples=150, deadline=None)
def test_checksum_valid_junk_raises_only_domain_errors(body: list[int],
                                                        customization: bytes) -> None:
    from shamir_mnemonic import rs1024

    text = " ".join(_WORDS[i] for i in body + rs1024.create_checksum(body, customization))
    _only_domain_errors(sharing.share_from_text, text)
    _only_domain_errors(sharing.slip39_recover, [text])
    _only_domain_errors(sharing.slip39_recover, [text, text])


def test_a_share_of_the_other_scheme_is_named_not_miscounted() -> None:
    paper, sealed = split(2, 3)
    slip, slip_sealed = split(2, 3, scheme="slip39")
    got = sharing.share_from_text(" ".join(slip.shares[0].words()), envelope.SCHEME_PYSHAMIR)
    assert isinstance(got, sharing.Slip39Share)
    with pytest.raises(ShareError, match="it is a slip39 share, but the sealed vault was split "
                                         "as pyshamir"):
        sharing.combine([got, paper.shares[1]], sealed)
    got2 = sharing.share_from_text(" ".join(paper.shares[0].words()), envelope.SCHEME_SLIP39)
    assert isinstance(got2, sharing.Share)
    with pytest.raises(ShareError, match="it is a pyshamir share"):
        sharing.combine([got2, slip.shares[1]], slip_sealed)


def test_no_share_secret_in_reprs() -> None:
    for scheme in ("pyshamir", "slip39"):
        result, sealed = split(2, 3, scheme=scheme)
        share = result.shares[0]
        combined = sharing.combine_tolerant(result.shares[:2], sealed)
        text = repr(share) + repr(result) + repr(combined)
        assert share.y.hex() not in text
        assert combined.key.hex() not in text and repr(combined.key) not in text
        assert " ".join(share.words()[4:8]) not in text


@pytest.mark.parametrize("holder", ["", " ", "a\nb", "a\rb", "a\u2029b", "a\x00b"])
def test_holder_names_that_break_lines_are_refused(holder: str) -> None:
    with pytest.raises(UsageError, match="holder name"):
        sharing.make_split(vault(), 2, 2, ["Ann", holder], kdf=TEST_KDF)


def test_unreadable_shares_are_left_out_and_reported() -> None:
    result, sealed = split(2, 3)
    combined = sharing.combine_tolerant(result.shares[1:], sealed, ["b", "c"],
                                        ["a.txt: the checksum of the words is wrong"])
    assert combined.sheets == (2, 3) and combined.left_out[0].startswith("a.txt: the checksum")
    with pytest.raises(ShareError, match=r"^1 of 2 needed shares: need 1 more; left out: "
                                         r"a.txt: bad$"):
        sharing.combine_tolerant(result.shares[:1], sealed, None, ["a.txt: bad"])


def test_share_qr_text_with_unused_bits_set_is_refused() -> None:
    """68 base32 characters carry 340 bits for 336: the last 4 must be zero (FORMAT.md 3)."""
    share = sharing.Share(b"ABCDE", 1, 2, 3, 17, bytes(range(32)))
    text = share.qr_text()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    last = alphabet.index(text[-1])
    assert last % 16 == 0
    for bits in range(1, 16):
        with pytest.raises(ShareError, match="last character is impossible"):
            sharing.Share.from_qr_text(text[:-1] + alphabet[last | bits])
    assert sharing.Share.from_qr_text(text.lower() + "====") == share


def test_a_forged_header_with_two_shares_at_one_x_fails_cleanly() -> None:
    """A hostile sealed vault may commit to two shares with the same x: no crash, one named."""
    result, sealed = split(2, 3)
    s1 = result.shares[0]
    assert isinstance(s1, sharing.Share)
    twin = sharing.Share(s1.set_id, 1, 2, 3, s1.x, bytes(32))
    commitments = (sealed.header.commitments[0], envelope.commitment(s1.set_id, s1.x, twin.y),
                   sealed.header.commitments[2])
    forged = SealedVault(replace(sealed.header, commitments=commitments), sealed.ciphertext)
    with pytest.raises(ShareError, match="b: it has the same x as a"):
        sharing.combine_tolerant([s1, twin], forged, ["a", "b"])
    combined = sharing.combine_tolerant([s1, twin, result.shares[2]], forged, ["a", "b", "c"])
    assert combined.sheets == (1, 3) and combined.left_out[0].startswith("b: it has the same x")
