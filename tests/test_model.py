"""The vault model: validation, canonical JSON, fingerprints, merging."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.demo import demo_vault
from toolkit.errors import AccountError, FormatError, UnknownVersionError
from toolkit.model import (
    Account,
    Vault,
    account_sort_key,
    fingerprint_of,
    merge_accounts,
    secret_from_base32,
    secret_to_base32,
    shared_secret_groups,
    vault_from_json,
    vault_to_json,
)

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@st.composite
def accounts(draw: st.DrawFn) -> Account:
    kind = draw(st.sampled_from(["totp", "hotp", "steam"]))
    return Account(
        issuer=draw(texts),
        name=draw(texts),
        secret=draw(st.binary(min_size=1, max_size=64)),
        type=kind,
        algorithm=draw(st.sampled_from(["SHA1", "SHA256", "SHA512"])),
        digits=draw(st.integers(1, 10)),
        period=draw(st.integers(1, 3600)),
        counter=draw(st.integers(0, 2**40)),
        notes=draw(texts),
        tags=tuple(draw(st.lists(texts, max_size=3))),
        recovery_codes=tuple(draw(st.lists(texts, max_size=4))),
        other_factors=tuple(draw(st.lists(texts, max_size=2))),
    )


vaults = st.lists(accounts(), max_size=8).map(lambda a: Vault(tuple(a)))


@given(vaults)
@settings(max_examples=60)
def test_vault_json_round_trip(vault: Vault) -> None:
    assert vault_from_json(vault_to_json(vault)) == vault


@given(vaults, st.randoms())
@settings(max_examples=40)
def test_fingerprint_ignores_import_order(vault: Vault, rnd: object) -> None:
    shuffled = list(vault.accounts)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert Vault(tuple(shuffled)).fingerprint == vault.fingerprint
    assert Vault(tuple(shuffled)).canonical_bytes() == vault.canonical_bytes()


def test_fingerprint_shape_and_sensitivity() -> None:
    vault = demo_vault()
    fp = vault.fingerprint
    assert len(fp) == 19 and fp.count("-") == 3
    changed = Vault((vault.accounts[0].with_changes(counter=1, type="hotp"), *vault.accounts[1:]))
    assert changed.fingerprint != fp
    assert fingerprint_of(vault.canonical_bytes()) == fp


def test_canonical_bytes_are_sorted_compact_nfc() -> None:
    decomposed = "E\u0301cole"  # É as E + combining accent
    vault = Vault((Account(issuer=decomposed, name="x", secret=b"k"),))
    raw = vault.canonical_bytes()
    assert "\u00c9cole".encode() in raw
    assert b" " not in raw.replace(b'"notes":""', b"")
    obj = json.loads(raw)
    assert list(obj) == sorted(obj)
    assert obj["format"] == "paper2fa-vault" and obj["version"] == 1


def test_irrelevant_fields_are_normalised() -> None:
    hotp = Account(issuer="a", name="b", secret=b"k", type="hotp", period=60, counter=5)
    assert hotp.period == 30 and hotp.counter == 5
    totp = Account(issuer="a", name="b", secret=b"k", counter=9)
    assert totp.counter == 0
    steam = Account(issuer="S", name="b", secret=b"k", type="steam", digits=6, algorithm="SHA256")
    assert (steam.digits, steam.algorithm) == (5, "SHA1")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"type": "motp"}, "unsupported OTP type"),
        ({"algorithm": "SHA384"}, "unsupported algorithm"),
        ({"algorithm": "MD5"}, "unsupported algorithm"),
        ({"digits": 11}, "digits"),
        ({"digits": 0}, "digits"),
        ({"period": 0}, "period"),
        ({"secret": b""}, "empty"),
    ],
)
def test_invalid_accounts_rejected(changes: dict[str, object], message: str) -> None:
    base: dict[str, object] = {"issuer": "a", "name": "b", "secret": b"k"}
    with pytest.raises(AccountError, match=message):
        Account(**{**base, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("JBSWY3DPEHPK3PXP", "JBSWY3DPEHPK3PXP"),
        ("jbsw y3dp ehpk 3pxp", "JBSWY3DPEHPK3PXP"),
        ("JBSWY3DPEHPK3PXP====", "JBSWY3DPEHPK3PXP"),
        ("jbsw-y3dp-ehpk-3pxp", "JBSWY3DPEHPK3PXP"),
        ("GEZDGNBV", "GEZDGNBV"),
    ],
)
def test_base32_pitfalls_accepted(text: str, expected: str) -> None:
    assert secret_to_base32(secret_from_base32(text)) == expected


@pytest.mark.parametrize(
    "text, message",
    [("JBSWY3", "impossible length"), ("JBSWY3DPEHPK3PX0", "not base32"), ("", "empty"),
     ("ABC", "impossible length"), ("JBSWY3DPE", "impossible length")],
)
def test_base32_errors_are_clear_and_do_not_echo(text: str, message: str) -> None:
    with pytest.raises(AccountError, match=message) as info:
        secret_from_base32(text)
    if len(text) > 4:
        assert text not in info.value.message


def test_vault_json_refusals() -> None:
    good = json.loads(vault_to_json(demo_vault()))
    with pytest.raises(UnknownVersionError):
        vault_from_json(json.dumps({**good, "version": 2}))
    with pytest.raises(FormatError, match="not a paper2fa vault"):
        vault_from_json(b"{}")
    with pytest.raises(FormatError, match="not valid JSON"):
        vault_from_json(b"{")
    broken = json.loads(json.dumps(good))
    broken["accounts"][0]["surprise"] = 1
    with pytest.raises(FormatError, match="unknown account fields"):
        vault_from_json(json.dumps(broken))
    broken = json.loads(json.dumps(good))
    broken["accounts"][0]["digits"] = "6"
    with pytest.raises(FormatError, match="wrong type"):
        vault_from_json(json.dumps(broken))


def test_merge_combines_one_account_given_twice_losing_nothing() -> None:
    first = Account(issuer="Site", name="me", secret=b"secret-1", notes="from the phone",
                    tags=("work",), recovery_codes=("AAAA", "BBBB"), other_factors=("key",))
    second = Account(issuer="Site", name="me", secret=b"secret-1", notes="from the old app",
                     tags=("critical",), recovery_codes=("BBBB", "CCCC"))
    other = Account(issuer="Other", name="me", secret=b"secret-2")
    result = merge_accounts([[first, other], [second]])
    assert len(result.vault) == 2
    [site] = [a for a in result.vault.accounts if a.issuer == "Site"]
    assert site.params_key == first.params_key
    assert set(site.notes.split("\n\n")) == {"from the phone", "from the old app"}
    assert site.tags == ("critical", "work")
    assert set(site.recovery_codes) == {"AAAA", "BBBB", "CCCC"}
    assert len(site.recovery_codes) == 3
    assert site.other_factors == ("key",)
    assert result.merged == (tuple(sorted((first, second), key=account_sort_key)),)
    assert result.shared_secret == ()
    assert result.merged_note is not None and "Site: me (2 entries)" in result.merged_note
    assert "secret-1" not in " ".join(result.notes)
    # The order of the files and of the entries does not change the result.
    assert merge_accounts([[second], [other, first]]).vault == result.vault


@st.composite
def import_files(draw: st.DrawFn) -> list[list[Account]]:
    """Entries of a few files: some accounts given more than once (with other notes, tags and
    codes), some sharing a secret under another name, split across files in any order."""
    base = draw(st.lists(accounts(), min_size=1, max_size=5))
    entries: list[Account] = []
    for account in base:
        for _ in range(draw(st.integers(1, 3))):
            entries.append(account.with_changes(
                notes=draw(texts), tags=tuple(draw(st.lists(texts, max_size=2))),
                recovery_codes=tuple(draw(st.lists(texts, max_size=2)))))
        if draw(st.booleans()):
            entries.append(account.with_changes(name=account.name + " (other name)"))
    draw(st.randoms()).shuffle(entries)
    cuts = sorted(draw(st.lists(st.integers(0, len(entries)), max_size=2)))
    return [entries[a:b] for a, b in zip([0, *cuts], [*cuts, len(entries)], strict=True)]


@given(import_files(), st.randoms())
@settings(max_examples=60)
def test_merge_keeps_every_account_and_everything_of_each(files: list[list[Account]],
                                                         rnd: object) -> None:
    result = merge_accounts(files)
    entries = [a for f in files for a in f]
    identities = {(a.issuer, a.name, a.params_key) for a in entries}
    assert {(a.issuer, a.name, a.params_key) for a in result.vault.accounts} == identities
    assert len(result.vault) == len(identities)
    for account in result.vault.accounts:
        same = [e for e in entries if (e.issuer, e.name, e.params_key)
                == (account.issuer, account.name, account.params_key)]
        assert {t for e in same for t in e.tags} == set(account.tags)
        assert {c for e in same for c in e.recovery_codes} == set(account.recovery_codes)
        for entry in same:
            assert entry.notes.strip() in account.notes
    shuffled = [list(f) for f in files]
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    for f in shuffled:
        rnd.shuffle(f)  # type: ignore[attr-defined]
    assert merge_accounts(shuffled).vault == result.vault
    assert merge_accounts([result.vault.accounts]).vault == result.vault  # merging is stable


def test_merge_keeps_accounts_that_share_a_secret() -> None:
    a = Account(issuer="Site", name="me", secret=b"secret-1")
    renamed = Account(issuer="Site (copy)", name="me", secret=b"secret-1")
    hotp = Account(issuer="Site", name="me", secret=b"secret-1", type="hotp", counter=3)
    other = Account(issuer="Other", name="me", secret=b"secret-2")
    result = merge_accounts([[a, other], [renamed, hotp]])
    assert result.vault == Vault((a, renamed, hotp, other))
    assert result.merged == ()
    assert [set(g) for g in result.shared_secret] == [{a, renamed, hotp}]
    assert result.shared_note == ("3 accounts share a secret with another account: Site: me; "
                                  "Site: me; Site (copy): me")
    assert shared_secret_groups(result.vault.accounts) == result.shared_secret


def test_merge_same_secret_option_merges_other_names_into_notes() -> None:
    a = Account(issuer="Site", name="me", secret=b"secret-1", recovery_codes=("A",))
    renamed = Account(issuer="Site (copy)", name="me", secret=b"secret-1", notes="old label",
                      recovery_codes=("B",))
    hotp = Account(issuer="Site", name="me", secret=b"secret-1", type="hotp")
    result = merge_accounts([[a, renamed, hotp]], same_secret=True)
    assert len(result.vault) == 2  # the HOTP account has other settings: kept apart
    [totp] = [x for x in result.vault.accounts if x.type == "totp"]
    assert (totp.issuer, totp.recovery_codes) == ("Site", ("A", "B"))
    assert totp.notes == "old label\n\nAlso named: Site (copy): me"
    assert [len(g) for g in result.shared_secret] == [2]


def test_merge_summarises_many_names() -> None:
    many = [Account(issuer="", name=f"Account {n}", secret=b"one") for n in range(1, 21)]
    result = merge_accounts([many])
    assert len(result.vault) == 20
    assert result.shared_note is not None
    assert result.shared_note.startswith("20 accounts share a secret with another account: ")
    assert result.shared_note.endswith("; and 15 more")


@pytest.mark.parametrize("field", ["issuer", "name", "notes", "tags", "recovery_codes",
                                   "other_factors"])
def test_lone_surrogates_never_enter_the_model(field: str) -> None:
    value: object = "bad \ud800 text"
    if field in ("tags", "recovery_codes", "other_factors"):
        value = ("fine", "bad \udfff")
    fields: dict[str, object] = {"issuer": "Site", "name": "me", field: value}
    with pytest.raises(AccountError, match="lone surrogate"):
        Account(secret=b"x", **fields)  # type: ignore[arg-type]
    good = Account(issuer="Site", name="me", secret=b"x").to_json()
    good[field] = list(value) if isinstance(value, tuple) else value
    vault = {"format": "paper2fa-vault", "version": 1, "accounts": [good]}
    with pytest.raises(FormatError, match=r"invalid account in vault: the .* holds a lone "):
        vault_from_json(json.dumps(vault))  # "\ud800" escapes, as a hostile file has them


def test_vault_json_bounds() -> None:
    good = json.loads(vault_to_json(demo_vault()))
    with pytest.raises(FormatError, match="unknown top-level fields 'password'"):
        vault_from_json(json.dumps({**good, "password": "x"}))
    deep = b'{"format": "paper2fa-vault", "version": 1, "accounts": ' + b"[" * 50_000
    with pytest.raises(FormatError, match="nested more than 32 levels"):
        vault_from_json(deep + b"]" * 50_000 + b"}")


def test_demo_vault_covers_every_kind() -> None:
    vault = demo_vault()
    kinds = {(a.type, a.algorithm, a.digits, a.period) for a in vault.accounts}
    assert {a.type for a in vault.accounts} == {"totp", "hotp", "steam"}
    assert {a.algorithm for a in vault.accounts} == {"SHA1", "SHA256", "SHA512"}
    assert {6, 7, 8} <= {d for _, _, d, _ in kinds}
    assert {30, 60} <= {p for t, _, _, p in kinds if t == "totp"}
    assert any(len(a.secret) == 10 for a in vault.accounts)  # an 80-bit secret
    assert any(a.recovery_codes for a in vault.accounts)
    assert any(a.notes for a in vault.accounts)
    assert len(vault) >= 12


def test_paper_payload_round_trip_and_bomb_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    import zlib

    from toolkit import constants
    from toolkit.model import vault_from_paper, vault_to_paper

    vault = demo_vault()
    payload = vault_to_paper(vault)
    assert len(payload) < len(vault.canonical_bytes()) / 2
    assert vault_from_paper(payload) == vault
    with pytest.raises(FormatError, match="truncated"):
        vault_from_paper(payload[:-5])
    with pytest.raises(FormatError, match="not valid compressed"):
        vault_from_paper(b"not zlib at all")
    monkeypatch.setattr(constants, "MAX_DECOMPRESSED_BYTES", 1000)
    with pytest.raises(FormatError, match="too large"):
        vault_from_paper(zlib.compress(b" " * 5000))


@pytest.mark.parametrize("field", ["period", "digits", "counter"])
def test_a_huge_number_is_not_quoted_whole(field: str) -> None:
    """Found by the fuzz harness (swap-vault.json--accounts.2.period--huge): a 4,000-digit
    period made a 4,054-character message."""
    changes: dict[str, Any] = {field: 10 ** 4000}
    if field == "counter":
        changes["type"] = "hotp"
    with pytest.raises(AccountError) as info:
        Account(issuer="a", name="b", secret=b"0123456789", **changes)
    assert len(str(info.value)) < 120 and "[4,001 characters]" in str(info.value)
