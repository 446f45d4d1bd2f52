"""`paper2fa verify` finds differences as values (`Difference`, `DifferenceKind`: account labels
and field names, never a secret) and says them, and its outcome, in the reader's language
(`--lang`, as restore's); `--json` keeps its keys and English values whatever `--lang`."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from toolkit import envelope, sharing, textlines
from toolkit.model import Account, Vault, vault_to_json
from toolkit.recovery import (
    Difference,
    DifferenceKind,
    RecoveryState,
    choose,
    compare,
    difference_text,
    finish,
)
from toolkit.recovery.report import LeftOut, LeftOutReason
from toolkit.texts import languages

KDF = envelope.KDF_PROFILES["test"]


def make_vault(accounts: int = 4) -> Vault:
    rng = random.Random(9)
    return Vault(tuple(Account(issuer=f"Site {i}", name=f"user{i}", secret=rng.randbytes(20))
                       for i in range(accounts)))


SPLIT = sharing.make_split(make_vault(), 2, 3, rng=random.Random(3).randbytes, kdf=KDF,
                           now=datetime(2026, 5, 1, tzinfo=UTC))


def restored_state() -> RecoveryState:
    state = RecoveryState()
    state.add_text_fallback(textlines.encode_text(SPLIT.sealed_bytes, "sealed"), "typed.txt")
    for share in SPLIT.shares[:2]:
        state.add_share(share, f"share-{share.x}.txt")
    return state


def test_each_difference_is_a_value() -> None:
    state = restored_state()
    decision = choose(state)
    restored = finish(state, decision)
    assert compare(state, restored, make_vault(), decision).differences() == []
    source = list(make_vault().accounts)
    source[0] = source[0].with_changes(secret=b"another secret!!", digits=8)
    source[1] = source[1].with_changes(recovery_codes=("x",))
    source.pop()
    source.append(Account(issuer="Other", name="me", secret=b"0123456789abcdef"))
    result = compare(state, restored, Vault(tuple(source)), decision)
    assert sorted(result.differences(), key=lambda d: (d.kind, d.label)) == [
        Difference(DifferenceKind.ADDED, "Site 3: user3"),
        Difference(DifferenceKind.CHANGED, "Site 0: user0", ("digits", "secret")),
        Difference(DifferenceKind.CHANGED, "Site 1: user1", ("recovery_codes",)),
        Difference(DifferenceKind.REMOVED, "Other: me"),
    ]
    assert not result.identical
    assert result.problems() == [d.text() for d in result.differences()]


ENGLISH = {
    Difference(DifferenceKind.REMOVED, "A: x"): "on the source but not on the paper: A: x",
    Difference(DifferenceKind.ADDED, "A: x"): "on the paper but not in the source: A: x",
    Difference(DifferenceKind.CHANGED, "A: x", ("secret", "recovery_codes")):
        "A: x: secret, recovery codes differ",
    Difference(DifferenceKind.ACCOUNT_CODE, "A: x"):
        "the account QR code of A: x does not match the source",
    Difference(DifferenceKind.NOT_CHECKED, count=7, total=9, labels=tuple("abcde")):
        "7 of 9 printed account QR codes were not read back, so not checked: a, b, c, d, e "
        "and 2 more",
    Difference(DifferenceKind.LEFT_OUT, left_out=LeftOut("b.png", LeftOutReason.NOT_PAPER2FA)):
        "left out b.png: its QR codes are not part of a paper2fa backup",
}


def test_the_english_words_are_the_ones_verify_always_said() -> None:
    for difference, words in ENGLISH.items():
        assert difference_text(difference) == words


@pytest.mark.parametrize("lang", languages())
def test_every_difference_has_words_in_every_language(lang: str) -> None:
    fields = ("issuer", "name", "type", "algorithm", "digits", "period", "counter", "tags",
              "other_factors", "secret", "notes", "recovery_codes")
    for difference in [*ENGLISH, Difference(DifferenceKind.CHANGED, "A: x", fields)]:
        text = difference_text(difference, lang)
        assert "{" not in text and "_" not in text, text
    if lang != "en":
        changed = Difference(DifferenceKind.CHANGED, "A: x", ("recovery_codes",))
        assert difference_text(changed, lang) != difference_text(changed)


# --- the command, in each language ----------------------------------------------------------

SAID = {
    "en": ("the paper restores exactly to {src}: 4 accounts (shares 1, 2 of set {set})",
           "vault fingerprint: {fp} (the same as the source)",
           "paper2fa: difference: Site 1: user1: recovery codes differ",
           "the paper does not restore exactly to {src}: 1 difference"),
    "de": ("das Papier ergibt genau {src}: 4 Konten (Teile 1, 2 von Set {set})",
           "Tresor-Fingerabdruck: {fp} (derselbe wie bei der Quelle)",
           "paper2fa: Unterschied: Site 1: user1: abweichendes Feld: Wiederherstellungscodes",
           "das Papier ergibt nicht genau {src}: 1 Unterschied"),
    "fr": ("le papier redonne exactement {src}\u00a0: 4 comptes (parts 1, 2 du jeu {set})",
           "empreinte du coffre\u00a0: {fp} (la même que celle de la source)",
           "paper2fa: différence\u00a0: Site 1: user1\u00a0: champ différent\u00a0: "
           "codes de récupération",
           "le papier ne redonne pas exactement {src}\u00a0: 1 différence"),
    "es": ("el papel restaura exactamente {src}: 4 cuentas (partes 1, 2 del juego {set})",
           "huella de la bóveda: {fp} (la misma que la de la fuente)",
           "paper2fa: diferencia: Site 1: user1: campo distinto: códigos de recuperación",
           "el papel no restaura exactamente {src}: 1 diferencia"),
}


def inputs(tmp_path: Path) -> list[Path]:
    fallback = tmp_path / "typed.txt"
    fallback.write_text(textlines.encode_text(SPLIT.sealed_bytes, "sealed"))
    out = [fallback]
    for number in (1, 2):
        path = tmp_path / f"share-{number}.txt"
        path.write_text(sharing.share_file_text(SPLIT, number))
        out.append(path)
    return out


@pytest.mark.parametrize("lang", sorted(SAID))
def test_verify_speaks_the_readers_language(cli: Any, tmp_path: Path, lang: str) -> None:
    source = tmp_path / "source.json"
    source.write_bytes(vault_to_json(make_vault()))
    facts = {"src": str(source), "set": SPLIT.header.set_id_text,
             "fp": make_vault().fingerprint}
    identical, fingerprint, difference, refused = (s.format(**facts) for s in SAID[lang])
    ok = cli("verify", *inputs(tmp_path), "--against", source, "--lang", lang)
    assert ok.code == 0, ok.err
    assert ok.out.splitlines() == [identical, fingerprint]
    changed = list(make_vault().accounts)
    changed[1] = changed[1].with_changes(recovery_codes=("x",))
    source.write_bytes(vault_to_json(Vault(tuple(changed))))
    bad = cli("verify", *inputs(tmp_path), "--against", source, "--lang", lang)
    assert bad.code == 9
    assert difference in bad.err.splitlines()
    assert f"paper2fa: error: {refused}" in bad.err.splitlines()
    as_json = cli("verify", *inputs(tmp_path), "--against", source, "--lang", lang, "--json")
    assert as_json.code == 9
    assert as_json.json()["problems"] == ["Site 1: user1: recovery codes differ"]
