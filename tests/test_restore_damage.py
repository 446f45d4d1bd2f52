"""Why a vault is damaged is a value (`Damage`, `DamageKind`), worked out in toolkit.recovery
from the typed outcomes of frames, envelope and the opening, never from a message's words; the
words come from templates/<lang>/restore_messages.toml ([damage]), in each language. A restore
from damaged frames or a sealed vault that does not open says why in the reader's language."""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from toolkit import envelope, sharing, textlines
from toolkit import frames as F
from toolkit.errors import DamagedError, WrongPasswordError
from toolkit.model import Account, Vault
from toolkit.recovery import (
    Damage,
    DamageKind,
    NeedKind,
    RecoveryState,
    VaultDamagedError,
    Verdict,
    WrongPassphraseError,
    choose,
    damage_text,
    finish,
    reading_notes,
    refusal,
)
from toolkit.recovery.damage import of_judgement
from toolkit.recovery.sets import needs
from toolkit.texts import languages

KDF = envelope.KDF_PROFILES["test"]


def vault() -> Vault:
    rng = random.Random(5)
    return Vault(tuple(Account(issuer=f"Site {i}", name="me", secret=rng.randbytes(20))
                       for i in range(3)))


def split(passphrase: str | None = None) -> sharing.SplitResult:
    return sharing.make_split(vault(), 2, 3, passphrase=passphrase,
                              rng=random.Random(11).randbytes, kdf=KDF,
                              now=datetime(2026, 3, 1, tzinfo=UTC))


SPLIT = split()


def resealed(data: bytes, position: int, value: int) -> bytes:
    """A sealed vault with one byte changed and its check hash made right again: damage the
    check cannot see (the header, or the ciphertext)."""
    body = bytearray(data[:-envelope.CHECK_LEN])
    body[position] = value
    return bytes(body) + hashlib.sha256(bytes(body)).digest()


def frames_of(payload: bytes, kind: str = "sealed", doc_id: bytes | None = None) -> list[str]:
    return [f.text for f in F.encode_frames(payload, kind, doc_id or F.doc_id_for(payload),
                                            max_frame_bytes=200)]


def state_of(texts: list[str], shares: int = 2) -> RecoveryState:
    state = RecoveryState()
    for text in texts:
        state.add_qr_text(text, "scan.png")
    for share in SPLIT.shares[:shares]:
        state.add_share(share, f"share {share.x}")
    return state


def document_damage(state: RecoveryState) -> Damage | None:
    (doc,) = state.documents()
    return doc.damage


# --- the values ------------------------------------------------------------------------------


def test_frames_of_two_printouts_under_one_id_are_another_printout() -> None:
    neither = b"\xee" * F.DOC_ID_BYTES
    texts = frames_of(b"a" * 300, doc_id=neither) + frames_of(b"b" * 500, doc_id=neither)
    assert document_damage(state_of(texts)) == Damage(DamageKind.OTHER_PRINTOUT, 2)


@pytest.mark.parametrize(("position", "value", "kind"), [
    (0, ord("X"), DamageKind.NOT_SEALED),
    (len(envelope.MAGIC), 9, DamageKind.FORMAT_VERSION),
    (24, 0, DamageKind.HEADER_IMPOSSIBLE),
])
def test_a_sealed_payload_that_does_not_read_says_why(position: int, value: int,
                                                      kind: DamageKind) -> None:
    payload = resealed(SPLIT.sealed_bytes, position, value)
    state = state_of(frames_of(payload))
    assert document_damage(state) == Damage(kind)
    decision = choose(state)
    assert decision.verdict is Verdict.MISSING
    (need,) = [n for b in decision.backups for n in needs(b) if n.kind is NeedKind.DAMAGED]
    assert need.damage == Damage(kind)
    assert need.to_json()["damage"]["kind"] == str(kind)


def test_a_sealed_payload_failing_its_check_is_tampered() -> None:
    data = bytearray(SPLIT.sealed_bytes)
    data[-1] ^= 1
    assert document_damage(state_of(frames_of(bytes(data)))) == Damage(DamageKind.TAMPERED)


def test_a_plain_vault_that_does_not_read_says_so() -> None:
    state = state_of(frames_of(b"not a vault at all", kind="vault"), shares=0)
    assert document_damage(state) == Damage(DamageKind.VAULT_UNREADABLE)


def test_each_fault_of_a_judgement_is_its_damage() -> None:
    texts = frames_of(b"x" * 400)
    collector = F.FrameCollector()
    collector.add_all(texts[:-1])
    judged = collector.judgement()
    assert judged.restored is not None
    with pytest.raises(ValueError, match="restored"):
        of_judgement(judged)
    base = dict(doc_id=judged.doc_id, verdict=F.Verdict.DAMAGED, header=judged.header,
                missing=judged.missing, restored=None, conflicts=(), other_frames=0)
    cases = [(F.Fault.CHECKSUM, {}, Damage(DamageKind.CHECKSUM)),
             (F.Fault.BLOCK, {"block": 2}, Damage(DamageKind.BLOCK_DISAGREE, block=2)),
             (F.Fault.TOO_MANY, {}, Damage(DamageKind.TOO_MANY_READINGS)),
             (F.Fault.DISAGREE, {"conflicts": (2, 5), "other_frames": 1},
              Damage(DamageKind.FRAMES_DISAGREE, 1, judged.missing.total, frames=(2, 5))),
             (F.Fault.PAYLOADS, {"payloads": 3}, Damage(DamageKind.OTHER_PRINTOUT, 3)),
             (F.Fault.INCOMPLETE, {}, Damage(DamageKind.FRAMES_MISSING, judged.missing.have,
                                              judged.missing.total, judged.missing.need_more))]
    for fault, extra, expected in cases:
        made = F.Judgement(**{**base, **extra}, fault=fault)  # type: ignore[arg-type]
        assert of_judgement(made) == expected, fault


@pytest.mark.parametrize(("text", "kind"), [
    ("damaged", DamageKind.FRAME_CHECKSUM),
    ("not base45", DamageKind.FRAME_UNREADABLE),
    ("short", DamageKind.FRAME_UNREADABLE),
])
def test_a_rejected_frame_says_why_as_a_value(text: str, kind: DamageKind) -> None:
    good = frames_of(SPLIT.sealed_bytes)[0]
    bad = {"damaged": good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB"),
           "not base45": F.FRAME_PREFIX + "::", "short": F.FRAME_PREFIX + "00"}[text]
    state = RecoveryState()
    state.add_qr_text(bad, "p1.png")
    (problem,) = state.problems
    assert problem.damage == Damage(kind)


def test_a_sealed_vault_that_does_not_open_raises_its_damage() -> None:
    payload = resealed(SPLIT.sealed_bytes, len(SPLIT.sealed_bytes) - envelope.CHECK_LEN - 1, 0)
    state = state_of(frames_of(payload))
    decision = choose(state)
    assert decision.verdict is Verdict.RESTORE
    with pytest.raises(VaultDamagedError) as info:
        finish(state, decision)
    assert info.value.damage == Damage(DamageKind.DECRYPTION_FAILED)
    assert isinstance(info.value, DamagedError) and info.value.exit_code == 6


def test_a_wrong_passphrase_raises_its_damage() -> None:
    with_passphrase = split("right one")
    state = RecoveryState()
    for text in frames_of(with_passphrase.sealed_bytes):
        state.add_qr_text(text, "scan.png")
    for share in with_passphrase.shares[:2]:
        state.add_share(share, f"share {share.x}")
    with pytest.raises(WrongPassphraseError) as info:
        finish(state, choose(state), lambda: "wrong one", lang="fr")
    assert info.value.damage == Damage(DamageKind.WRONG_PASSPHRASE)
    assert isinstance(info.value, WrongPasswordError) and info.value.exit_code == 5
    assert info.value.message == "phrase de passe erronée\u00a0: elle n'ouvre pas ce coffre scellé"


@pytest.mark.parametrize("lang", languages())
def test_every_damage_has_words_in_every_language(lang: str) -> None:
    for kind in DamageKind:
        for damage in (Damage(kind, 1, 24, 1, 1, (3,)), Damage(kind, 2, 24, 3, 2, (3, 4))):
            text = damage_text(damage, lang)
            assert text and "{" not in text and "_" not in text, (kind, text)


# --- the words, pinned per language -----------------------------------------------------------

HEADER_DAMAGED = {
    "en": "the QR codes of printout {doc} give a damaged vault (the header of the "
          "sealed vault is impossible): scan its pages again, or those of another sheet",
    "de": "die QR-Codes von Ausdruck {doc} ergeben einen beschädigten Tresor (der Kopf "
          "des versiegelten Tresors ist unmöglich): scannen Sie seine Seiten noch einmal, oder "
          "die eines anderen Blatts",
    "fr": "les codes QR de impression {doc} donnent un coffre endommagé (l'en-tête du "
          "coffre scellé est impossible)\u00a0: scannez de nouveau ses pages, ou celles d'une "
          "autre feuille",
    "es": "los códigos QR de impresión {doc} dan una bóveda dañada (la cabecera de la "
          "bóveda sellada es imposible): vuelva a escanear sus páginas, o las de otra hoja",
}


@pytest.mark.parametrize("lang", sorted(HEADER_DAMAGED))
def test_damaged_frames_are_refused_in_the_readers_language(lang: str) -> None:
    state = state_of(frames_of(resealed(SPLIT.sealed_bytes, 24, 0)), shares=0)
    error = refusal(state, choose(state), lang=lang)
    assert error.message == HEADER_DAMAGED[lang].format(doc=state.documents()[0].id_text)
    good = frames_of(SPLIT.sealed_bytes)[0]
    state.add_qr_text(good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB"), "p1.png")
    assert {"en": "frame checksum (CRC-32) does not match",
            "de": "die Prüfsumme (CRC-32) des Codes stimmt nicht",
            "fr": "la somme de contrôle (CRC-32) du code ne correspond pas",
            "es": "la suma de control (CRC-32) del código no cuadra"}[lang] in " ".join(
        reading_notes(state, lang))


OPENS_NOT = {
    "en": "the sealed vault is damaged or tampered",
    "de": "der versiegelte Tresor ist beschädigt oder verändert",
    "fr": "le coffre scellé est endommagé ou a été modifié",
    "es": "la bóveda sellada está dañada o fue modificada",
}


@pytest.mark.parametrize("lang", sorted(OPENS_NOT))
def test_restore_says_in_the_readers_language_that_the_vault_does_not_open(
        cli: Any, tmp_path: Path, lang: str) -> None:
    payload = resealed(SPLIT.sealed_bytes, len(SPLIT.sealed_bytes) - envelope.CHECK_LEN - 1, 0)
    fallback = tmp_path / "typed.txt"
    fallback.write_text(textlines.encode_text(payload, "sealed"))
    shares = []
    for number in (1, 2):
        path = tmp_path / f"share-{number}.txt"
        path.write_text(sharing.share_file_text(SPLIT, number))
        shares.append(path)
    out = tmp_path / "vault.json"
    result = cli("restore", fallback, *shares, "-o", out, "--lang", lang)
    assert result.code == 6 and "Traceback" not in result.err
    assert f"paper2fa: error: {OPENS_NOT[lang]}\n" in result.err
    assert not out.exists()


TAMPERED_FILE = {
    "en": "the sealed vault is damaged or tampered (it fails its check)",
    "de": "der versiegelte Tresor ist beschädigt oder verändert (seine Prüfung schlägt fehl)",
    "fr": "le coffre scellé est endommagé ou a été modifié (sa vérification échoue)",
    "es": "la bóveda sellada está dañada o fue modificada (no pasa su comprobación)",
}


@pytest.mark.parametrize("lang", sorted(TAMPERED_FILE))
def test_a_damaged_sealed_vault_file_says_why_in_the_readers_language(
        cli: Any, tmp_path: Path, lang: str) -> None:
    data = bytearray(SPLIT.sealed_bytes)
    data[40] ^= 1
    sealed = tmp_path / "vault.p2fa"
    sealed.write_bytes(bytes(data))
    result = cli("restore", sealed, "--dry-run", "--lang", lang)
    assert result.code == 6
    assert f"paper2fa: error: vault.p2fa: {TAMPERED_FILE[lang]}" in result.err.replace(
        str(sealed), "vault.p2fa")
    fallback = tmp_path / "typed.txt"
    fallback.write_text(textlines.encode_text(resealed(SPLIT.sealed_bytes, 24, 0), "sealed"))
    result = cli("restore", fallback, "--dry-run", "--lang", lang)
    assert result.code == 4
    words = damage_text(Damage(DamageKind.HEADER_IMPOSSIBLE), lang)
    assert f"typed.txt: {words}" in result.err


def test_a_damaged_sealed_vault_file_is_a_typed_error(tmp_path: Path) -> None:
    from toolkit.recovery import read_inputs

    data = bytearray(SPLIT.sealed_bytes)
    data[-3] ^= 1
    sealed = tmp_path / "vault.p2fa"
    sealed.write_bytes(bytes(data))
    with pytest.raises(VaultDamagedError) as info:
        read_inputs(RecoveryState(), [sealed], lambda line: None, lang="de")
    assert info.value.damage == Damage(DamageKind.TAMPERED)
    assert info.value.source is not None and info.value.source.file == str(sealed)
