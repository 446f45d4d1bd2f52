"""What a restore tells the person: typed values (`Need`, `LeftOutReason`) computed once in
toolkit.recovery, rendered in the reader's language (templates/<lang>/restore_messages.toml)
with the how-to of the way the sheets are read. A few end-to-end tests pin the words, one per
language."""

from __future__ import annotations

import random
import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from toolkit import envelope, sharing
from toolkit.model import Account, Vault
from toolkit.recovery import (
    LeftOutReason,
    Medium,
    Need,
    NeedKind,
    PageToRead,
    RecoveryState,
    Verdict,
    choose,
    left_out,
    left_out_text,
    medium_of,
    need_text,
)
from toolkit.scan import FoundCode, PageScan

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
LANGS = ("en", "de", "fr", "es")


@pytest.fixture(scope="module")
def split() -> sharing.SplitResult:
    vault = Vault((Account(issuer="Site", name="me", secret=b"\x05" * 20),))
    return sharing.make_split(vault, 2, 3, (), "pyshamir", None,
                              kdf=envelope.KDF_PROFILES["test"],
                              rng=random.Random(5).randbytes,
                              now=datetime(2026, 3, 1, tzinfo=UTC))


def _page(source: str, texts: list[str], number: int = 1) -> PageScan:
    return PageScan(source, number, tuple(FoundCode(t, t.encode(), number, ((0, 0),) * 4,
                                                    source) for t in texts))


@pytest.mark.parametrize("lang", LANGS)
def test_the_camera_never_speaks_of_scans(lang: str) -> None:
    """A camera restore that ends short says what to hold up, half a page at a time: never
    "scan again at 300 DPI" nor "give all the scans again"."""
    how = tomllib.loads((TEMPLATES / lang / "restore_messages.toml").read_text())["how"]
    assert set(how) == {str(m) for m in Medium}
    scanner_words = {"en": "scan", "de": "scannen", "fr": "scann", "es": "escane"}[lang]
    for key, text in how["camera"].items():
        forms = text.values() if isinstance(text, dict) else [text]
        for form in forms:
            assert "300" not in form and scanner_words not in form.lower(), (lang, key)
    need = Need(NeedKind.FRAMES, "set X generation 1", "X", more=1, frames=(2, 5), total=9,
                pages=(PageToRead(page=2),))
    said = need_text(need, Medium.CAMERA, lang)
    assert "2" in said and scanner_words not in said.lower()
    half = {"en": "half a page at a time", "de": "eine halbe Seite nach der anderen",
            "fr": "une demi-page à la fois", "es": "media página cada vez"}[lang]
    assert half in said


def test_the_how_follows_the_way_the_sheets_are_read() -> None:
    need = Need(NeedKind.FRAMES, "t", more=1, frames=(4,), total=9, pages=(PageToRead(page=2),))
    assert need_text(need, Medium.SCANNER).endswith("scan page 2 of any sheet again")
    assert need_text(need, Medium.PHOTOS).endswith("photograph page 2 of any sheet again")
    assert need_text(need, Medium.CAMERA).endswith(
        "hold up page 2 of any sheet again, half a page at a time")
    state = RecoveryState()
    assert medium_of(state, camera=True) is Medium.CAMERA
    state.add_page(_page("IMG_1.jpg", []))
    assert medium_of(state) is Medium.PHOTOS
    state.add_page(_page("scan.pdf", []))
    assert medium_of(state) is Medium.SCANNER


def test_a_page_whose_share_was_read_from_the_other_page_is_not_a_duplicate(
        split: sharing.SplitResult) -> None:
    from toolkit import frames as F

    frames = [f.text for f in F.encode_frames(split.sealed_bytes, "sealed",
                                              F.doc_id_for(split.sealed_bytes))]
    state = RecoveryState()
    state.add_page(_page("IMG_1724_1.png", [*frames, split.shares[0].qr_text()]))
    state.add_page(_page("IMG_3029_3.png", [split.shares[0].qr_text()]))
    state.add_page(_page("IMG_4000.png", [split.shares[1].qr_text()]))
    state.add_page(_page("IMG_4000 again.png", [split.shares[1].qr_text()]))
    state.add_page(_page("holiday.jpg", ["https://example.com/"]))
    decision = choose(state)
    found = {i.source: i.reason for i in left_out(state, decision)}
    assert found == {"IMG_3029_3.png": LeftOutReason.SHARE_READ,
                     "IMG_4000.png": LeftOutReason.SHARE_READ,
                     "holiday.jpg": LeftOutReason.NOT_PAPER2FA}
    (item,) = [i for i in left_out(state, decision) if i.source == "IMG_3029_3.png"]
    assert "duplicate" not in left_out_text(item)


EXPECTED = {
    "en": ("need 1 more share: you have share 1 of set {set} (2 needed)",
           "scan the missing pages or sheets"),
    "de": ("es fehlt noch 1 Teil: Sie haben Teil 1 von Set {set} (2 nötig)",
           "scannen Sie die fehlenden Seiten oder Blätter"),
    "fr": ("il manque encore 1 part\u00a0: vous avez la part 1 du jeu {set} (2 nécessaires)",
           "scannez les pages ou feuilles manquantes"),
    "es": ("falta 1 parte más: tiene la parte 1 del juego {set} (se necesitan 2)",
           "escanee las páginas u hojas que faltan"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_restore_says_what_is_missing_in_its_language(cli: Any, tmp_path: Path, lang: str,
                                                      split: sharing.SplitResult) -> None:
    sealed = tmp_path / "vault.p2fa"
    sealed.write_bytes(split.sealed_bytes)
    share = tmp_path / "share-1.txt"
    share.write_text(sharing.share_file_text(split, 1))
    r = cli("restore", sealed, share, "--lang", lang, "-o", tmp_path / "v.json")
    message, hint = EXPECTED[lang]
    assert r.code == 7
    assert message.format(set=split.header.set_id_text) in r.err and hint in r.err
    assert not (tmp_path / "v.json").exists()


@pytest.mark.parametrize(("lang", "words"), [
    ("en", "share 1 of 2 needed, need 1 more; read from a file"),
    ("de", "Teil 1 von 2 nötigen, noch 1 nötig; Tresor aus einer Datei gelesen"),
    ("fr", "part 1 sur 2 nécessaires, il en faut encore 1\u00a0; coffre lu dans un fichier"),
    ("es", "parte 1 de 2 necesarias, falta 1; bóveda leída de un archivo"),
])
def test_dry_run_lists_each_backup_in_its_language(cli: Any, tmp_path: Path, lang: str,
                                                   words: str,
                                                   split: sharing.SplitResult) -> None:
    sealed = tmp_path / "vault.p2fa"
    sealed.write_bytes(split.sealed_bytes)
    share = tmp_path / "share-1.txt"
    share.write_text(sharing.share_file_text(split, 1))
    r = cli("restore", sealed, share, "--dry-run", "--lang", lang)
    assert r.code == 7
    (line,) = [x for x in r.out.splitlines() if x.startswith("- ")]
    assert line.endswith(words)


@pytest.mark.parametrize("lang", LANGS)
def test_a_camera_that_read_nothing_says_so_in_camera_words(lang: str) -> None:
    from toolkit.errors import ScanError
    from toolkit.recovery import refusal

    state = RecoveryState()
    state.add_qr_text("https://example.com/", "camera")
    error = refusal(state, choose(state), Medium.CAMERA, lang)
    assert isinstance(error, ScanError)
    said = f"{error.message} {error.hint}".lower()
    scanner_words = {"en": "scan", "de": "scan", "fr": "scan", "es": "escane"}[lang]
    assert "300" not in said and scanner_words not in said
    assert "1" in error.message  # the foreign code is counted


def test_the_choice_is_asked_in_the_restore_language(split: sharing.SplitResult) -> None:
    from toolkit import frames as F
    from toolkit.errors import ChooseBackupError
    from toolkit.recovery import refusal

    state = RecoveryState()
    for text in [f.text for f in F.encode_frames(split.sealed_bytes, "sealed",
                                                 F.doc_id_for(split.sealed_bytes))]:
        state.add_qr_text(text, "a.pdf")
    for share in split.shares[:2]:
        state.add_qr_text(share.qr_text(), "a.pdf")
    error = refusal(state, choose(state, "ZZZZZZ"), Medium.SCANNER, "de")
    assert isinstance(error, ChooseBackupError)
    assert error.message == ("'ZZZZZZ' nennt keine der gelesenen Sicherungen (ihre "
                             "Set-Kennungen und Fingerabdrücke stehen oben)")
    assert error.hint is not None and "--set" in error.hint


def test_json_needs_are_values(cli: Any, tmp_path: Path, split: sharing.SplitResult) -> None:
    sealed = tmp_path / "vault.p2fa"
    sealed.write_bytes(split.sealed_bytes)
    share = tmp_path / "share-1.txt"
    share.write_text(sharing.share_file_text(split, 1))
    r = cli("restore", sealed, share, "--dry-run", "--json", "--lang", "de")
    report = r.json()
    assert r.code == 7 and report["exit_code"] == 7
    (need,) = report["needs"]
    assert need["kind"] == "shares" and need["more"] == 1 and need["sheets"] == [1]
    assert report["message"].startswith("es fehlt noch 1 Teil")


def _typed_after_frames(split: sharing.SplitResult, typed: sharing.AnyShare,
                        lang: str) -> tuple[list[str], Any]:
    """What the typing loop tells a person who types `typed`'s words (then ends the input)
    after the frames of `split`'s sealed vault were read, and the error it ends with."""
    from toolkit import frames as F
    from toolkit.errors import NotEnoughError
    from toolkit.recovery import enter_shares, restorable

    state = RecoveryState()
    for text in [f.text for f in F.encode_frames(split.sealed_bytes, "sealed",
                                                 F.doc_id_for(split.sealed_bytes))]:
        state.add_qr_text(text, "a.pdf")
    answers = iter([" ".join(typed.words())])

    def ask(prompt: str) -> str:
        try:
            return next(answers)
        except StopIteration:
            raise EOFError from None

    told: list[str] = []
    with pytest.raises(NotEnoughError) as info:
        enter_shares(state, ask, told.append, done=lambda: restorable(state),
                     needed=lambda: 2, lang=lang)
    return told, info.value


def test_the_typing_loop_speaks_the_restore_language(split: sharing.SplitResult) -> None:
    told, error = _typed_after_frames(split, split.shares[0], "de")
    assert told[0] == ("getippter Teil 1 (bisher 0 von 2 Teilen): tippen Sie seine "
                       "Wörter, gern mehrere je Zeile")
    assert "getippter Teil 1: Prüfsumme stimmt" in told
    assert error.message == ("die Eingabe endete nach 1 getipptem Teil; nichts wurde "
                                  "geschrieben")


# --- share problems and the left-out list ----------------------------------------------------

SAMPLE_PROBLEM: dict[str, Any] = dict(
    share_set="AAAA2222", share_generation=1, vault_set="BBBB3333", vault_generation=2,
    share_threshold=2, share_count=3, vault_threshold=3, vault_count=5, share_scheme="slip39",
    vault_scheme="pyshamir", groups=2, bits=128, sheet=2, other="a.txt", mine=(7, 1),
    theirs=(8, 0), fields=("identifier", "extendable"))


def _texts(lang: str) -> dict[str, Any]:
    return tomllib.loads((TEMPLATES / lang / "restore_messages.toml").read_text())


@pytest.mark.parametrize("lang", LANGS)
def test_every_share_problem_is_worded_in_every_language(lang: str) -> None:
    """Each kind of share problem has its words in each language, with every fact filled in,
    and French puts a no-break space before its colons and semicolons."""
    english, texts = _texts("en"), _texts(lang)
    assert set(texts["share_problem"]) == set(english["share_problem"])
    assert set(texts["share_problem"]["field"]) == set(sharing.SLIP39_SET_FIELDS)
    assert set(texts["left_out"]) == set(english["left_out"])
    for kind in sharing.ShareProblemKind:
        said = sharing.ShareProblem(kind, **SAMPLE_PROBLEM).text(lang)
        assert said and "{" not in said and "}" not in said, (kind, said)
        if lang != "en":
            assert said != sharing.ShareProblem(kind, **SAMPLE_PROBLEM).text(), kind
        if lang == "fr":
            assert not re.search(r"[^\u00a0][:;!?]", said), said


def test_share_problems_are_values_and_carry_their_facts(split: sharing.SplitResult) -> None:
    other = sharing.make_split(Vault((Account(issuer="B", name="b", secret=b"\x06" * 20),)),
                               2, 3, (), "pyshamir", None, kdf=envelope.KDF_PROFILES["test"],
                               rng=random.Random(6).randbytes)
    header = split.header
    problem = sharing.share_problem(other.shares[0], header)
    assert problem == sharing.ShareProblem(
        sharing.ShareProblemKind.OTHER_SET, share_set=other.header.set_id_text,
        share_generation=1, vault_set=header.set_id_text, vault_generation=1)
    assert problem.to_json() == {"kind": "other-set", "share_set": other.header.set_id_text,
                                 "share_generation": 1, "vault_set": header.set_id_text,
                                 "vault_generation": 1}
    first = split.shares[0]
    assert isinstance(first, sharing.Share)
    resized = sharing.Share(first.set_id, first.generation, 3, 3, first.x, first.y)
    assert sharing.share_problem(resized, header) == sharing.ShareProblem(
        sharing.ShareProblemKind.OTHER_SPLIT, share_threshold=3, share_count=3,
        vault_threshold=2, vault_count=3)
    slip = sharing.make_split(Vault(()), 2, 3, (), "slip39", kdf=envelope.KDF_PROFILES["test"])
    assert sharing.share_problem(slip.shares[0], header) == sharing.ShareProblem(
        sharing.ShareProblemKind.OTHER_SCHEME, share_scheme="slip39", vault_scheme="pyshamir")
    sealed = envelope.SealedVault.from_bytes(split.sealed_bytes)
    combined = sharing.combine_tolerant([split.shares[0], split.shares[0], split.shares[1]],
                                        sealed, ["a", "b", "c"])
    assert combined.problems == (("b", sharing.ShareProblem(
        sharing.ShareProblemKind.SAME_SHARE, sheet=1, vault_count=3, other="a")),)
    assert combined.left_out == ("b: the same share as a (sheet 1 of 3)",)


def _altered(split: sharing.SplitResult, index: int) -> sharing.Share:
    share = split.shares[index]
    assert isinstance(share, sharing.Share)
    return sharing.Share(share.set_id, share.generation, share.threshold, share.share_count,
                         share.x, bytes(32))


def test_a_share_its_backup_cannot_use_is_left_out_as_a_value(
        split: sharing.SplitResult) -> None:
    from toolkit.recovery import finish

    state = RecoveryState()
    state.add_sealed_file(split.sealed_bytes, "vault.p2fa")
    state.add_share(split.shares[0], "share-1.txt")
    state.add_share(split.shares[1], "share-2.txt")
    state.add_share(_altered(split, 2), "altered.txt")
    decision = choose(state)
    found = [i for i in left_out(state, decision) if i.source == "altered.txt"]
    assert [(i.reason, i.problem) for i in found] == [
        (LeftOutReason.SHARE_PROBLEM, sharing.ShareProblem(sharing.ShareProblemKind.NO_MATCH))]
    assert found[0].to_json()["problem"] == {"kind": "no-match"}
    assert not any("altered.txt" in note for note in finish(state, decision).messages)


OTHER_SET_WORDS = {
    "en": "typed share 1 cannot be used: it belongs to set {b} generation 1, but the sealed "
          "vault is set {a} generation 1; type this share again",
    "de": "getippter Teil 1 ist nicht verwendbar: der Teil gehört zu Set {b} Generation 1, "
          "der versiegelte Tresor ist aber Set {a} Generation 1; tippen Sie diesen Teil "
          "noch einmal",
    "fr": "la part tapée 1 ne peut pas être utilisée\u00a0: la part appartient au jeu {b} "
          "génération 1, mais le coffre scellé est le jeu {a} génération 1\u00a0; tapez de "
          "nouveau cette part",
    "es": "no se puede usar la parte escrita 1: la parte pertenece al juego {b} generación 1, "
          "pero la bóveda sellada es del juego {a} generación 1; vuelva a escribir esta parte",
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_typed_share_of_another_set_is_named_in_the_restore_language(
        split: sharing.SplitResult, lang: str) -> None:
    other = sharing.make_split(Vault((Account(issuer="B", name="b", secret=b"\x06" * 20),)),
                               2, 3, (), "pyshamir", None, kdf=envelope.KDF_PROFILES["test"],
                               rng=random.Random(6).randbytes)
    told, _ = _typed_after_frames(split, other.shares[0], lang)
    expected = OTHER_SET_WORDS[lang].format(a=split.header.set_id_text,
                                            b=other.header.set_id_text)
    assert expected in told


ANOTHER_SET_WORDS = {
    "en": "left out other.txt: another backup (set {b} generation 1), not the one restored (set "
          "{a} generation 1, made 2026-03-01)",
    "de": "ausgelassen: other.txt, eine andere Sicherung (Set {b} Generation 1), nicht die "
          "wiederhergestellte (Set {a} Generation 1, erstellt am 2026-03-01)",
    "fr": "laissé de côté\u00a0: other.txt, une autre sauvegarde (jeu {b} génération 1), pas "
          "celle qui a été restaurée (jeu {a} génération 1, du 2026-03-01)",
    "es": "se dejó fuera other.txt: otra copia de seguridad (juego {b} generación 1), no la "
          "que se restauró (juego {a} generación 1, del 2026-03-01)",
}


LEFT_OUT_WORDS = {
    "en": ("left out altered.txt: it does not match any share of this backup (another backup, "
           "or it was altered or read wrongly)",
           "(2 needed); left out: "),
    "de": ("ausgelassen: altered.txt, der Teil passt zu keinem Teil dieser Sicherung (eine "
           "andere Sicherung, oder er wurde verändert oder falsch gelesen)",
           "(2 nötig); ausgelassen: "),
    "fr": ("laissé de côté\u00a0: altered.txt, la part ne correspond à aucune part de cette "
           "sauvegarde (une autre sauvegarde, ou elle a été modifiée ou mal lue)",
           "(2 nécessaires)\u00a0; laissé de côté\u00a0: "),
    "es": ("se dejó fuera altered.txt: la parte no coincide con ninguna parte de esta copia de "
           "seguridad (otra copia de seguridad, o se alteró o se leyó mal)",
           "(se necesitan 2); se dejó fuera: "),
}


@pytest.mark.parametrize("lang", LANGS)
def test_left_out_shares_and_the_left_out_list_speak_the_restore_language(
        cli: Any, tmp_path: Path, lang: str, split: sharing.SplitResult) -> None:
    """End to end: a share its backup cannot use is left out in the --lang words, and a
    refusal's list of inputs left out begins with that language's lead-in."""
    sealed = tmp_path / "vault.p2fa"
    sealed.write_bytes(split.sealed_bytes)
    shares = []
    for i in (1, 2):
        shares.append(tmp_path / f"share-{i}.txt")
        shares[-1].write_text(sharing.share_file_text(split, i))
    altered = tmp_path / "altered.txt"
    altered.write_text(_altered(split, 2).qr_text() + "\n")
    other = sharing.make_split(Vault((Account(issuer="B", name="b", secret=b"\x06" * 20),)),
                               2, 3, (), "pyshamir", None, kdf=envelope.KDF_PROFILES["test"],
                               rng=random.Random(6).randbytes)
    (tmp_path / "other.txt").write_text(sharing.share_file_text(other, 1))
    left, lead_in = LEFT_OUT_WORDS[lang]
    r = cli("restore", sealed, *shares, altered, tmp_path / "other.txt", "--lang", lang,
            "-o", tmp_path / "v.json")
    assert r.code == 0, r.err
    assert f"paper2fa: {left}\n" in r.err
    another = ANOTHER_SET_WORDS[lang].format(a=split.header.set_id_text,
                                             b=other.header.set_id_text)
    assert f"paper2fa: {another}\n" in r.err
    words = tmp_path / "words.txt"
    words.write_text("hello world\n")
    r = cli("restore", sealed, shares[0], "--words-file", words, "--lang", lang,
            "-o", tmp_path / "w.json")
    assert r.code == 7 and f"{lead_in}{words} line 1: " in r.err
    r = cli("restore", sealed, shares[0], altered, "--dry-run", "--json", "--lang", lang)
    (backup,) = r.json()["backups"]
    assert [s["problem"] for s in backup["left_out_shares"]] == [{"kind": "no-match"}]


@pytest.mark.parametrize("lang", LANGS)
def test_every_kind_of_backup_name_is_worded_in_every_language(lang: str) -> None:
    from toolkit.recovery.needs import BackupName, NameKind
    from toolkit.recovery.wording import name_text

    assert set(_texts(lang)["title"]) == {str(k).replace("-", "_") for k in NameKind}
    for kind in NameKind:
        name = BackupName(kind, set_id="AAAA2222", generation=2, fingerprint="F00D-CAFE",
                          document="DOC1", identifier=77)
        said = name_text(name, lang)
        assert "{" not in said and "None" not in said, (kind, said)
        if lang != "en":
            assert said != name_text(name), kind


def test_the_camera_names_backups_in_its_language(split: sharing.SplitResult) -> None:
    from toolkit import frames as F
    from toolkit.recovery.live import LiveProgress

    state = RecoveryState()
    for text in [f.text for f in F.encode_frames(split.sealed_bytes, "sealed",
                                                 F.doc_id_for(split.sealed_bytes))]:
        state.add_qr_text(text, "camera")
    set_id = split.header.set_id_text
    said = LiveProgress(state, lang="fr").update()
    assert said and all(s.values.get("title") == f"jeu {set_id} génération 1" for s in said
                        if "title" in s.values)
    english = LiveProgress(state).update()
    assert english[0].values["title"] == f"set {set_id} generation 1"


@pytest.mark.parametrize("lang", LANGS)
def test_what_a_finished_restore_notes_is_worded_in_every_language(lang: str) -> None:
    from toolkit.recovery import note_text
    from toolkit.recovery.opening import NoteKind, RestoreNote

    assert set(_texts(lang)["restored"]) == {str(k).replace("-", "_") for k in NoteKind}
    for kind in NoteKind:
        for count in (1, 3):
            note = RestoreNote(kind, count, ("Site: me", "Other: you")[:count])
            said = note_text(note, lang)
            assert "{" not in said, (kind, said)
            if kind is not NoteKind.TYPED_SECRET_MISMATCH:
                assert str(count) in said, (kind, said)
            if kind in (NoteKind.CODES_MISMATCH, NoteKind.TYPED_SECRET_MISMATCH):
                assert "Site: me" in said, (kind, said)
            if lang != "en":
                assert said != note_text(note), kind
            if lang == "fr":
                assert not re.search(r"[^\u00a0][;!?]|[^\u00a0:]: ", said.replace(
                    "Site: me", "").replace("Other: you", "")), said


def test_a_sheet_page_whose_share_its_own_file_gave_is_not_left_out(
        split: sharing.SplitResult) -> None:
    """A holder sheet scanned to one PDF: page 1 gives the share, page 2 (the words) only the
    same share code again, page 3 the frames. The sheet was used; page 2 is not worth a line on
    an ordinary restore. The same page as a photo of its own is still named (test above)."""
    from toolkit import frames as F

    frames = [f.text for f in F.encode_frames(split.sealed_bytes, "sealed",
                                              F.doc_id_for(split.sealed_bytes))]
    state = RecoveryState()
    for number, texts in enumerate(([split.shares[0].qr_text()], [split.shares[0].qr_text()],
                                    frames), 1):
        state.add_page(_page("share-1-of-3.pdf", texts, number), 3)
    state.add_page(_page("share-2-of-3.pdf", [split.shares[1].qr_text()], 1), 3)
    state.add_page(_page("share-2-of-3.pdf", [split.shares[1].qr_text()], 2), 3)
    decision = choose(state)
    assert decision.verdict is Verdict.RESTORE
    assert left_out(state, decision) == []
