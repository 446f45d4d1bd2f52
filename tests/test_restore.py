"""The recovery package and the restore/verify commands, fed QR texts, typed words and text
files directly (no images: tests/test_restore_e2e.py goes through paper; the drawer rules are
in tests/test_drawer.py)."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest

from toolkit import envelope, sharing, textlines
from toolkit import frames as F
from toolkit.errors import (
    NotEnoughError,
    PasswordRequiredError,
    ScanError,
    ShareError,
    WrongPasswordError,
)
from toolkit.model import Account, Vault, vault_from_json, vault_to_json, vault_to_paper
from toolkit.recovery import (
    RecoveryState,
    Verdict,
    choose,
    compare,
    finish,
    join_numbers,
    left_out,
    refusal,
)
from toolkit.recovery.opening import NoteKind, RestoreNote
from toolkit.recovery.report import LeftOutReason
from toolkit.recovery.state import CodeTrouble, Read
from toolkit.recovery.wording import note_text, reading_notes
from toolkit.uri import build_otpauth

TEST_KDF = envelope.KDF_PROFILES["test"]


def make_vault(n: int = 6, seed: int = 1) -> Vault:
    rng = random.Random(seed)
    return Vault(tuple(
        Account(issuer=f"Site {i}", name=f"user{i}", secret=rng.randbytes(20),
                recovery_codes=(f"{rng.randrange(10**8):08d}",), notes=f"note {i}")
        for i in range(n)))


def make_split(k: int = 3, n: int = 5, scheme: str = "pyshamir", passphrase: str | None = None,
               vault: Vault | None = None) -> sharing.SplitResult:
    return sharing.make_split(vault or make_vault(), k, n, (), scheme, passphrase, kdf=TEST_KDF)


def frame_texts(payload: bytes, kind: str = "sealed", max_frame_bytes: int = 120) -> list[str]:
    return [f.text for f in F.encode_frames(payload, kind, F.doc_id_for(payload),
                                            max_frame_bytes=max_frame_bytes)]


def missing(state: RecoveryState) -> str:
    """What the CLI would print as the error when the state is not enough."""
    decision = choose(state)
    assert decision.verdict is not Verdict.RESTORE
    return refusal(state, decision).message


@pytest.fixture(scope="module")
def split() -> sharing.SplitResult:
    return make_split()


def test_join_numbers() -> None:
    assert [join_numbers(x) for x in ([], [1], [1, 4], [1, 2, 4])] == [
        "", "1", "1 and 4", "1, 2 and 4"]


def test_restore_from_any_order_with_duplicates_and_foreign_codes(
        split: sharing.SplitResult) -> None:
    texts = frame_texts(split.sealed_bytes) * 2
    texts += [s.qr_text() for s in (split.shares[4], split.shares[1], split.shares[2])] * 3
    texts += ["https://example.com/not-ours", "WIFI:S:home;;"]
    random.Random(3).shuffle(texts)
    state = RecoveryState()
    for text in texts:
        state.add_qr_text(text, "scan.png")
    restored = finish(state, choose(state))
    assert restored.vault == make_vault()
    assert restored.sheets == (2, 3, 5) and restored.kind == "shares"
    assert restored.set_id == split.header.set_id_text
    assert restored.printed_fingerprint == split.header.fingerprint_text
    assert [p.trouble for p in state.problems] == [CodeTrouble.FOREIGN] * 2
    assert sum("not part of a paper2fa backup" in n for n in reading_notes(state)) == 2


def test_missing_share_is_reported_with_printed_sheet_numbers(split: sharing.SplitResult) -> None:
    state = RecoveryState()
    for text in frame_texts(split.sealed_bytes):
        state.add_qr_text(text)
    state.add_qr_text(split.shares[0].qr_text())
    state.add_qr_text(split.shares[3].qr_text())
    set_id = split.header.set_id_text
    expected = f"need 1 more share: you have shares 1 and 4 of set {set_id} (3 needed)"
    assert missing(state) == expected
    with pytest.raises(NotEnoughError) as info:
        finish(state, choose(state))
    assert info.value.message == expected and info.value.exit_code == 7


def test_no_share_at_all(split: sharing.SplitResult) -> None:
    state = RecoveryState()
    for text in frame_texts(split.sealed_bytes):
        state.add_qr_text(text)
    assert missing(state) == (
        f"need 3 more shares: you have no share of set {split.header.set_id_text} (3 needed)")


def test_missing_frames_are_named_and_recovered_ones_counted(split: sharing.SplitResult) -> None:
    texts = frame_texts(split.sealed_bytes)
    total = len(texts)
    shares = [s.qr_text() for s in split.shares[:3]]
    frames = [F.decode_frame(t) for t in texts]
    parity = sum(f.is_parity for f in frames)
    # lose exactly as many frames as there is parity: still enough
    state = RecoveryState()
    for text in texts[parity:] + shares:
        state.add_qr_text(text)
    restored = finish(state, choose(state))
    assert restored.notes == (RestoreNote(NoteKind.RECOVERED, parity),)
    assert f"{parity} unreadable codes recovered from redundancy" in restored.messages
    assert restored.recovered == parity
    # lose one more: frame numbers, how many more, and where to look
    state = RecoveryState()
    for text in texts[parity + 1:] + shares:
        state.add_qr_text(text)
    message = missing(state)
    lost = join_numbers(list(range(1, parity + 2)))
    assert message.startswith(f"frames {lost} of {total} unreadable, 1 more needed: ")
    assert "frame" in message.split(": ", 1)[1]
    with pytest.raises(NotEnoughError):
        finish(state, choose(state))


def test_page_hint_from_round_robin_layout(split: sharing.SplitResult) -> None:
    from toolkit.scan import FoundCode, PageScan

    frames = F.encode_frames(split.sealed_bytes, "sealed", F.doc_id_for(split.sealed_bytes),
                             max_frame_bytes=60)
    pages = F.layout(frames, codes_per_page=len(frames) // 3 + 1, pages=3)
    state = RecoveryState()
    codes = tuple(FoundCode(f.text, f.text.encode(), 3, ((0, 0),) * 4) for f in pages[0])
    state.add_page(PageScan("sheet-1.pdf", 3, codes), pages_in_file=5)
    for share in split.shares[:3]:
        state.add_qr_text(share.qr_text())
    message = missing(state)
    for never_scanned in (pages[1][0].number, pages[2][0].number):
        assert f"scan the page showing frame {never_scanned} (on any sheet)" in message
    # page 4 of another sheet was scanned, but only one of its codes read
    first = pages[1][0]
    state.add_page(PageScan("sheet-2.pdf", 4, (FoundCode(first.text, b"", 4, ((0, 0),) * 4),)),
                   pages_in_file=5)
    message = missing(state)
    assert "scan page 4 of any sheet again" in message
    assert f"scan the page showing frame {pages[2][0].number} (on any sheet)" in message


def test_passphrase_is_asked_only_when_set_and_checked() -> None:
    result = make_split(2, 3, passphrase="correct horse")
    state = RecoveryState()
    for text in frame_texts(result.sealed_bytes) + [s.qr_text() for s in result.shares[:2]]:
        state.add_qr_text(text)
    with pytest.raises(PasswordRequiredError):
        finish(state, choose(state))
    with pytest.raises(WrongPasswordError):
        finish(state, choose(state), lambda: "wrong horse")
    assert finish(state, choose(state), lambda: "correct horse").vault == make_vault()


def test_slip39_shares_restore() -> None:
    result = make_split(2, 3, scheme="slip39")
    state = RecoveryState()
    for text in [*frame_texts(result.sealed_bytes), result.shares[2].qr_text()]:
        state.add_qr_text(text)
    assert choose(state).verdict is Verdict.MISSING
    state.add_share_text(" ".join(result.shares[0].words()), "typed")
    restored = finish(state, choose(state))
    assert restored.vault == make_vault() and restored.sheets == (1, 3)


def test_typed_words_are_checked_against_the_sealed_vault(split: sharing.SplitResult) -> None:
    state = RecoveryState()
    for text in frame_texts(split.sealed_bytes):
        state.add_qr_text(text)
    words = split.shares[1].words()
    with pytest.raises(ShareError, match="checksum"):
        state.add_share_text(" ".join([*words[:5], words[6], words[5], *words[7:]]))
    with pytest.raises(ShareError, match="not a share word"):
        state.add_share_text(" ".join(["xyzzy", *words[1:]]))
    other = make_split()
    # a share of another backup is recorded as read; grouping judges it, not the reading
    state.add_share_text(" ".join(other.shares[0].words()), "typed share 1")
    for share in split.shares[1:4]:
        state.add_share_text(" ".join(share.words()))
    decision = choose(state)
    assert finish(state, decision).sheets == (2, 3, 4)
    assert [(i.source, i.reason) for i in left_out(state, decision)] == [
        ("typed share 1", LeftOutReason.ANOTHER_BACKUP)]


def test_shares_of_another_set_are_left_out_with_a_note(split: sharing.SplitResult) -> None:
    other = make_split()
    state = RecoveryState()
    for text in [*frame_texts(split.sealed_bytes), other.shares[0].qr_text()]:
        state.add_qr_text(text, "old.png")
    for share in split.shares[:3]:
        state.add_qr_text(share.qr_text())
    decision = choose(state)
    assert finish(state, decision).vault == make_vault()
    (left,) = left_out(state, decision)
    assert left.source == "old.png" and left.reason is LeftOutReason.ANOTHER_BACKUP
    assert left.partly and left.message.startswith(
        f"left out what old.png holds of set {other.header.set_id_text} generation 1: another "
        f"backup, not the one restored (set {split.header.set_id_text} generation 1")


def test_frames_of_two_backups_need_the_shares_to_choose(split: sharing.SplitResult) -> None:
    other = make_split(vault=make_vault(3, seed=9))
    state = RecoveryState()
    for text in frame_texts(split.sealed_bytes) + frame_texts(other.sealed_bytes):
        state.add_qr_text(text)
    assert choose(state).verdict is Verdict.MISSING
    for share in other.shares[:3]:
        state.add_qr_text(share.qr_text())
    # the other backup is complete now; this one (same generation, same day) is not newer
    assert finish(state, choose(state)).vault == make_vault(3, seed=9)


def test_home_safe_frames_and_account_codes() -> None:
    vault = make_vault(4)
    state = RecoveryState()
    for text in frame_texts(vault_to_paper(vault), "vault"):
        state.add_qr_text(text)
    for account in vault.accounts:
        assert state.add_qr_text(build_otpauth(account)) is Read.ACCOUNT
    restored = finish(state, choose(state))
    assert restored.vault == vault and restored.kind == "plain" and not restored.notes
    stranger = Account(issuer="Elsewhere", name="x", secret=b"0123456789")
    state.add_qr_text(build_otpauth(stranger))
    (note,) = finish(state, choose(state)).notes
    assert note == RestoreNote(NoteKind.CODES_MISMATCH, 1, ("Elsewhere: x",))
    assert note_text(note) == ("1 account QR code does not match the vault restored (another "
                               "printout?): Elsewhere: x")


def test_passphrase_home_safe_copy() -> None:
    vault = make_vault(2)
    sealed = envelope.seal_with_passphrase(vault, "pw", kdf=TEST_KDF).to_bytes()
    state = RecoveryState()
    for text in frame_texts(sealed):
        state.add_qr_text(text)
    restored = finish(state, choose(state), lambda: "pw")
    assert restored.vault == vault and restored.kind == "passphrase"


def test_text_fallback_replaces_the_frames(split: sharing.SplitResult) -> None:
    state = RecoveryState()
    assert state.add_text_fallback(textlines.encode_text(split.sealed_bytes, "sealed")) == "sealed"
    for share in split.shares[2:]:
        state.add_qr_text(share.qr_text())
    assert finish(state, choose(state)).vault == make_vault()


def test_nothing_readable_is_a_scan_error() -> None:
    state = RecoveryState()
    with pytest.raises(ScanError):
        finish(state, choose(state))
    state.add_qr_text("https://example.com")
    with pytest.raises(ScanError, match="1 QR code of other kinds"):
        finish(state, choose(state))


def test_damaged_frame_is_noted_not_used(split: sharing.SplitResult) -> None:
    texts = frame_texts(split.sealed_bytes)
    state = RecoveryState()
    bad = texts[0][:-3] + ("AAA" if not texts[0].endswith("AAA") else "BBB")
    assert state.add_qr_text(bad, "p1.png") is Read.DAMAGED
    assert [(p.trouble, p.source) for p in state.problems] == [
        (CodeTrouble.FRAME_REJECTED, "p1.png")]
    assert any("rejected (p1.png)" in n for n in reading_notes(state))


def test_compare_names_accounts_and_fields_never_secrets(split: sharing.SplitResult) -> None:
    state = RecoveryState()
    for text in frame_texts(split.sealed_bytes) + [s.qr_text() for s in split.shares[:3]]:
        state.add_qr_text(text)
    restored = finish(state, choose(state))
    source = make_vault()
    assert compare(state, restored, source).identical
    changed = list(source.accounts)
    changed[0] = changed[0].with_changes(secret=b"another secret!!", digits=8)
    changed.pop()
    result = compare(state, restored, Vault(tuple(changed)))
    problems = result.problems()
    assert not result.identical
    assert any("Site 0: user0" in p and "secret" in p and "digits" in p for p in problems)
    assert any(p.startswith("on the paper but not in the source: Site 5") for p in problems)
    secret_b32 = source.accounts[0].secret_base32
    assert all(secret_b32 not in p for p in problems)


# --- the commands without images -----------------------------------------------------------


def write_inputs(tmp_path: Path, split: sharing.SplitResult) -> tuple[Path, Path]:
    fallback = tmp_path / "typed.txt"
    fallback.write_text(textlines.encode_text(split.sealed_bytes, "sealed"))
    words = tmp_path / "words.txt"
    words.write_text("# shares typed from sheets 2 and 5\n"
                     + "\n".join(" ".join(s.words()) for s in (split.shares[1], split.shares[4]))
                     + "\n")
    return fallback, words


def test_restore_command_writes_0600_and_refuses_to_overwrite(
        cli: Any, tmp_path: Path, split: sharing.SplitResult) -> None:
    fallback, words = write_inputs(tmp_path, split)
    share3 = tmp_path / "share-3.txt"
    share3.write_text(sharing.share_file_text(split, 3))
    out = tmp_path / "vault.json"
    result = cli("restore", fallback, share3, "--words-file", words, "-o", out)
    assert result.code == 0, result.err
    assert vault_from_json(out.read_bytes()) == make_vault()
    assert os.stat(out).st_mode & 0o777 == 0o600
    assert f"vault fingerprint: {make_vault().fingerprint}" in result.out
    assert "shares 2, 3, 5 of set" in result.out
    again = cli("restore", fallback, share3, "--words-file", words, "-o", out)
    assert again.code == 8 and "exists" in again.err


def test_restore_command_missing_share_exit_7_and_nothing_written(
        cli: Any, tmp_path: Path, split: sharing.SplitResult) -> None:
    fallback, words = write_inputs(tmp_path, split)
    out = tmp_path / "vault.json"
    result = cli("restore", fallback, "--words-file", words, "-o", out)
    assert result.code == 7
    assert (f"need 1 more share: you have shares 2 and 5 of set {split.header.set_id_text} "
            "(3 needed)") in result.err
    assert not out.exists()


def test_restore_command_bad_word_in_words_file(cli: Any, tmp_path: Path,
                                                split: sharing.SplitResult) -> None:
    fallback, words = write_inputs(tmp_path, split)
    words.write_text(words.read_text().replace(split.shares[1].words()[3], "qqqq", 1))
    result = cli("restore", fallback, "--words-file", words, "-o", tmp_path / "v.json")
    assert result.code == 7 and "words.txt line 2" in result.err and "Traceback" not in result.err


def test_verify_command(cli: Any, tmp_path: Path, split: sharing.SplitResult) -> None:
    fallback, words = write_inputs(tmp_path, split)
    source = tmp_path / "source.json"
    source.write_bytes(vault_to_json(make_vault()))
    share3 = tmp_path / "share-3.txt"
    share3.write_text(sharing.share_file_text(split, 3))
    ok = cli("verify", fallback, share3, "--words-file", words, "--against", source)
    assert ok.code == 0, ok.err
    assert "restores exactly" in ok.out
    changed = list(make_vault().accounts)
    changed[2] = changed[2].with_changes(recovery_codes=("x",))
    source.write_bytes(vault_to_json(Vault(tuple(changed))))
    bad = cli("verify", fallback, share3, "--words-file", words, "--against", source)
    assert bad.code == 9
    assert "Site 2: user2: recovery codes differ" in bad.err
    as_json = cli("verify", fallback, share3, "--words-file", words, "--against", source,
                  "--json")
    assert as_json.code == 9 and as_json.json()["identical"] is False


def test_restore_needs_some_input(cli: Any, tmp_path: Path) -> None:
    result = cli("restore", "-o", tmp_path / "v.json")
    assert result.code == 2


# --- typed secrets (home-safe sheet, a destroyed account QR code) ----------------------------


def typed_block(account: Account, at: int = 1768435200, code: str | None = None) -> str:
    from toolkit import otp
    from toolkit.secret_lines import secret_lines

    lines = [f"{line.text} {line.check}" for line in secret_lines(account.secret_base32)]
    shown = code if code is not None else otp.check_code(account, at).code
    return (f"issuer: {account.issuer}\nname: {account.name}\nsecret: {lines[0]}\n"
            + "".join(f"        {line}\n" for line in lines[1:])
            + f"check: {shown} at 2026-01-15 00:00 UTC (UNIX time {at})\n")


def test_home_safe_with_frames_lost_restores_accounts_only_when_asked(
        cli: Any, tmp_path: Path) -> None:
    vault = Vault(tuple(a.with_changes(notes="", recovery_codes=())
                        for a in make_vault(3).accounts))
    typed = tmp_path / "typed.txt"
    typed.write_text(typed_block(vault.accounts[2]))
    state = RecoveryState()
    for account in vault.accounts[:2]:
        state.add_qr_text(build_otpauth(account))
    with pytest.raises(NotEnoughError):
        finish(state, choose(state))
    from toolkit.recovery.typed import parse_typed_secrets, typed_account

    state.add_typed_account(typed_account(parse_typed_secrets(typed.read_text())[0]))
    restored = finish(state, choose(state), accounts_only=True)
    assert restored.vault == vault and restored.kind == "accounts"
    assert any("notes, tags and recovery codes are not in them" in n for n in restored.messages)
    out = tmp_path / "v.json"
    run = cli("restore", "--typed-secrets", typed, "--accounts-only", "-o", out)
    assert run.code == 0, run.err
    assert vault_from_json(out.read_bytes()) == Vault((vault.accounts[2],))
    typed.write_text(typed_block(vault.accounts[2], code="000000"))
    bad = cli("restore", "--typed-secrets", typed, "--accounts-only", "-o", tmp_path / "w.json")
    assert bad.code == 4 and "typed secret 1" in bad.err
    assert not (tmp_path / "w.json").exists()


def test_typed_word_prompt_checks_each_word_and_each_share(split: sharing.SplitResult) -> None:
    from toolkit.recovery import enter_shares, restorable

    state = RecoveryState()
    for text in [*frame_texts(split.sealed_bytes), split.shares[0].qr_text()]:
        state.add_qr_text(text)
    second, third = split.shares[3].words(), split.shares[4].words()
    broken = list(third)
    broken[10], broken[11] = broken[11], broken[10]  # swapped words: checksum must catch it
    answers = iter([" ".join(second[:20]), "blorpx", " ".join(second[20:]),
                    " ".join(broken), " ".join(third)])
    told: list[str] = []
    enter_shares(state, lambda prompt: next(answers), told.append,
                 done=lambda: restorable(state), needed=lambda: 3)
    assert any("word 21 is not a share word" in t for t in told)
    assert not any("blorpx" in t for t in told)
    assert any("typed share 2" in t and "type this share again" in t for t in told)
    assert sum("checksum correct" in t for t in told) == 2
    assert finish(state, choose(state)).sheets == (1, 4, 5)


def test_a_stray_text_file_in_a_scan_folder_is_skipped(cli: Any, tmp_path: Path,
                                                      split: sharing.SplitResult) -> None:
    fallback, words = write_inputs(tmp_path, split)
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "todo.txt").write_text("buy milk\n")
    (folder / "typed.txt").write_text(fallback.read_text())
    (folder / "share-3.txt").write_text(sharing.share_file_text(split, 3))
    run = cli("restore", folder, "--words-file", words, "-o", tmp_path / "v.json")
    assert run.code == 0, run.err
    assert "skipped" in run.err and "todo.txt" in run.err
    named = cli("restore", folder / "todo.txt", "-o", tmp_path / "w.json")
    assert named.code == 11 and "todo.txt" in named.err


def test_home_safe_text_fallback_restores_the_compressed_vault() -> None:
    """The VAULT text lines carry the same zlib payload as the home-safe frames."""
    from toolkit import textlines

    vault = make_vault(3)
    state = RecoveryState()
    assert state.add_text_fallback(textlines.encode_text(vault_to_paper(vault), "vault"),
                                   "typed.txt") == "vault"
    restored = finish(state, choose(state))
    assert restored.vault == vault and restored.kind == "plain"
