"""A real drawer of paper: old generations, another person's sheets, duplicates, home-safe
backups mixed with splits. Read everything, then choose once, whatever the order
(docs/restore.md, "Which backup is restored")."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import degrade as D
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit import envelope, scan, sharing, textlines
from toolkit import frames as F
from toolkit.model import Account, Vault, vault_from_json, vault_to_json, vault_to_paper
from toolkit.recovery import (
    RecoveryState,
    Verdict,
    Why,
    choose,
    decision_lines,
    finish,
    left_out,
    refusal,
)
from toolkit.render.home_safe import render_home_safe
from toolkit.render.layout import PAPERS
from toolkit.render.split import render_split_pdfs
from toolkit.scan import FoundCode, PageScan

TEST_KDF = envelope.KDF_PROFILES["test"]
DATES = {1: datetime(2025, 1, 10, tzinfo=UTC), 2: datetime(2025, 7, 10, tzinfo=UTC),
         3: datetime(2026, 2, 1, tzinfo=UTC)}


def vault_of(owner: str, version: int = 1, count: int = 3) -> Vault:
    rng = random.Random(f"{owner}{version}")
    return Vault(tuple(Account(issuer=f"{owner} site {i}", name=f"{owner.lower()}{i}",
                               secret=rng.randbytes(20), recovery_codes=(f"rc-{version}-{i}",))
                       for i in range(count)))


def fixed_rng(seed: int) -> Callable[[int], bytes]:
    return random.Random(seed).randbytes


def split_of(vault: Vault, generation: int, seed: int, k: int = 2,
             n: int = 3) -> sharing.SplitResult:
    return sharing.make_split(vault, k, n, rng=fixed_rng(seed), now=DATES[generation],
                              generation=generation, kdf=TEST_KDF)


# --- the drawer as files (fast: no images) ----------------------------------------------------


def write_split(folder: Path, result: sharing.SplitResult, sheets: Sequence[int],
                prefix: str = "") -> list[Path]:
    """A split's sealed vault and the share files of `sheets` (1-based), as split writes them."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{prefix}vault.p2fa"]
    paths[0].write_bytes(result.sealed_bytes)
    for i in sheets:
        path = folder / f"{prefix}share-{i}.txt"
        path.write_text(sharing.share_file_text(result, i))
        paths.append(path)
    return paths


def orders(paths: Sequence[Path]) -> list[list[Path]]:
    """The inputs in a few orders: as given, reversed, and two shuffles."""
    out = [list(paths), list(reversed(paths))]
    for seed in (1, 2):
        shuffled = list(paths)
        random.Random(seed).shuffle(shuffled)
        out.append(shuffled)
    return out


@pytest.fixture(scope="module")
def gens() -> dict[str, sharing.SplitResult]:
    """Alice's backups over time, and Bob's."""
    return {"A1": split_of(vault_of("Alice", 1), 1, 11),
            "A2": split_of(vault_of("Alice", 2), 2, 12),
            "A3": split_of(vault_of("Alice", 2), 3, 13),  # a reprint: the same vault
            "B1": split_of(vault_of("Bob", 1), 1, 21)}


def test_an_old_sheet_that_sorts_first_does_not_hide_the_complete_new_set(
        cli: Any, tmp_path: Path, gens: dict[str, sharing.SplitResult]) -> None:
    new = write_split(tmp_path / "d", gens["A2"], [1, 2, 3], "b-")
    old = write_split(tmp_path / "d", gens["A1"], [1], "a-")[1:]  # one old share file
    for order in orders(new + old):
        out = tmp_path / "v.json"
        out.unlink(missing_ok=True)
        r = cli("restore", *order, "-o", out)
        assert r.code == 0, r.err
        assert vault_from_json(out.read_bytes()) == vault_of("Alice", 2)
        set1, set2 = gens["A1"].header.set_id_text, gens["A2"].header.set_id_text
        # its sealed vault was not read: its date is not known, and format v1 carries no
        # lineage, so it is another backup, beside the facts of the one restored
        assert (f"left out a-share-1.txt: another backup (set {set1} generation 1), not the "
                f"one restored (set {set2} generation 2, made ") in r.err


def test_two_complete_generations_of_different_vaults_must_be_chosen(
        cli: Any, tmp_path: Path, gens: dict[str, sharing.SplitResult]) -> None:
    paths = (write_split(tmp_path / "d", gens["A1"], [1, 2], "a-")
             + write_split(tmp_path / "d", gens["A2"], [2, 3], "b-"))
    out = tmp_path / "v.json"
    for order in orders(paths):
        r = cli("restore", *order, "-o", out)
        assert r.code == 13, r.err
        assert "the inputs hold 2 backups of different vaults that can each be restored" in r.err
        for g in ("A1", "A2"):
            assert f"set {gens[g].header.set_id_text} generation" in r.err
        assert "--set" in r.err and not out.exists()
    r = cli("restore", *paths, "--set", gens["A2"].header.set_id_text[:5].lower(), "-o", out)
    assert r.code == 0, r.err
    assert vault_from_json(out.read_bytes()) == vault_of("Alice", 2)
    out.unlink()
    r = cli("restore", *paths, "--set", vault_of("Alice", 1).fingerprint, "-o", out)
    assert r.code == 0 and vault_from_json(out.read_bytes()) == vault_of("Alice", 1)
    r = cli("restore", *paths, "--set", "ZZZZZZ", "-o", tmp_path / "w.json")
    assert r.code == 13 and "'ZZZZZZ' names none of the backups read" in r.err


def test_a_reprint_of_the_same_vault_counts_as_one_backup(
        cli: Any, tmp_path: Path, gens: dict[str, sharing.SplitResult]) -> None:
    paths = (write_split(tmp_path / "d", gens["A2"], [1, 3], "a-")
             + write_split(tmp_path / "d", gens["A3"], [1, 2], "b-"))
    for order in orders(paths):
        out = tmp_path / "v.json"
        out.unlink(missing_ok=True)
        r = cli("restore", *order, "-o", out)
        assert r.code == 0, r.err
        assert vault_from_json(out.read_bytes()) == vault_of("Alice", 2)
        assert f"of set {gens['A3'].header.set_id_text}" in r.out  # the newest copy


def test_a_sheet_of_another_persons_backup_is_left_out_and_named(
        cli: Any, tmp_path: Path, gens: dict[str, sharing.SplitResult]) -> None:
    mine = write_split(tmp_path / "d", gens["A1"], [1, 2], "m-")
    bob = write_split(tmp_path / "d", gens["B1"], [3], "0-bob-")[1:]  # sorts first
    for order in orders(mine + bob):
        out = tmp_path / "v.json"
        out.unlink(missing_ok=True)
        r = cli("restore", *order, "-o", out)
        assert r.code == 0, r.err
        assert vault_from_json(out.read_bytes()) == vault_of("Alice", 1)
        assert (f"left out 0-bob-share-3.txt: another backup (set "
                f"{gens['B1'].header.set_id_text} generation 1)") in r.err


def test_a_newer_backup_that_cannot_be_completed_stops_the_restore(
        cli: Any, tmp_path: Path, gens: dict[str, sharing.SplitResult]) -> None:
    old = write_split(tmp_path / "d", gens["A1"], [1, 3], "a-")
    new = write_split(tmp_path / "d", gens["A2"], [2], "b-")
    out = tmp_path / "v.json"
    set1, set2 = gens["A1"].header.set_id_text, gens["A2"].header.set_id_text
    for order in orders(old + new):
        r = cli("restore", *order, "-o", out)
        assert r.code == 13, r.err
        assert (f"set {set1} generation 1 can be restored, but a backup that may be newer "
                f"cannot be completed: set {set2} generation 2") in r.err
        assert f"set {set2} generation 2 (made 2025-07-10" in r.err
        assert "share 2 of 2 needed, need 1 more" in r.err and not out.exists()
    r = cli("restore", *old, *new, "--set", set1, "-o", out)
    assert r.code == 0 and vault_from_json(out.read_bytes()) == vault_of("Alice", 1)


def test_nothing_complete_lists_each_backup_most_complete_first(
        cli: Any, tmp_path: Path, gens: dict[str, sharing.SplitResult]) -> None:
    a = write_split(tmp_path / "d", gens["A2"], [2], "a-")
    b = write_split(tmp_path / "d", gens["B1"], [], "b-")
    out = tmp_path / "v.json"
    for order in orders(a + b):
        r = cli("restore", *order, "-o", out)
        assert r.code == 7, r.err
        lines = [ln for ln in r.err.splitlines() if "generation" in ln and "need" in ln]
        assert len(lines) == 2
        assert lines[0].startswith(f"paper2fa: set {gens['A2'].header.set_id_text} "
                                   "generation 2")
        assert "share 2 of 2 needed, need 1 more; read from a file" in lines[0]
        assert "no share of 2 needed, need 2 more" in lines[1]
        assert "none of the 2 backups read can be completed" in r.err and not out.exists()


def test_the_same_share_twice_is_named_as_a_duplicate(
        cli: Any, tmp_path: Path, gens: dict[str, sharing.SplitResult]) -> None:
    paths = write_split(tmp_path / "d", gens["A1"], [1, 2])
    copy = tmp_path / "d" / "share-2 (copy).txt"
    copy.write_text(paths[2].read_text())
    for order in orders([*paths, copy]):
        out = tmp_path / "v.json"
        out.unlink(missing_ok=True)
        r = cli("restore", *order, "-o", out)
        assert r.code == 0, r.err
        assert "left out share-2.txt: a duplicate of share-2 (copy).txt, read already" in r.err


def test_dry_run_shows_the_grouping_and_writes_nothing(
        cli: Any, tmp_path: Path, gens: dict[str, sharing.SplitResult]) -> None:
    paths = (write_split(tmp_path / "d", gens["A2"], [1, 2], "a-")
             + write_split(tmp_path / "d", gens["A1"], [3], "b-"))
    r = cli("restore", *paths, "--dry-run", "--json")
    assert r.code == 0, r.err
    report = r.json()
    assert report["verdict"] == "restore" and report["exit_code"] == 0
    assert report["chosen"] == f"set {gens['A2'].header.set_id_text} generation 2"
    assert report["fingerprint"] == vault_of("Alice", 2).fingerprint
    by_title = {b["title"]: b for b in report["backups"]}
    new = by_title[report["chosen"]]
    assert new["sheets"] == [1, 2] and new["can_restore"] and new["generation"] == 2
    old = by_title[f"set {gens['A1'].header.set_id_text} generation 1"]
    assert not old["can_restore"] and old["shares_read"] == 1
    assert old["missing"] == [f"need 1 more share: you have share 3 of set "
                              f"{gens['A1'].header.set_id_text} (2 needed)"]
    assert [i["reason"] for i in report["left_out"]] == ["earlier-backup", "earlier-backup"]
    facts = report["left_out"][0]
    assert [b["generation"] for b in facts["backups"]] == [1]
    assert [b["generation"] for b in facts["restored"]] == [2]
    assert old["needs"][0]["kind"] == "shares" and old["needs"][0]["sheets"] == [3]
    assert not list(tmp_path.glob("*.json"))
    text = cli("restore", *paths, "--dry-run")
    assert text.code == 0 and "would restore: set" in text.out
    refused = cli("restore", *write_split(tmp_path / "e", gens["A1"], [1]), "--dry-run")
    assert refused.code == 7 and "would restore nothing: need 1 more share" in refused.out


def test_home_safe_and_split_of_the_same_vault_are_one_backup(
        cli: Any, tmp_path: Path, gens: dict[str, sharing.SplitResult]) -> None:
    fallback = tmp_path / "home-safe.txt"
    fallback.write_text(textlines.encode_text(vault_to_paper(vault_of("Alice", 2)), "vault"))
    paths = [fallback, *write_split(tmp_path / "d", gens["A2"], [1, 2])]
    for order in orders(paths):
        out = tmp_path / "v.json"
        out.unlink(missing_ok=True)
        r = cli("restore", *order, "-o", out)
        assert r.code == 0, r.err
        assert vault_from_json(out.read_bytes()) == vault_of("Alice", 2)


def test_home_safe_with_a_stray_split_of_unknown_age_must_be_chosen(
        cli: Any, tmp_path: Path, gens: dict[str, sharing.SplitResult]) -> None:
    """A home-safe backup's QR codes carry no generation: next to a split it cannot be
    completed, paper2fa cannot tell which is newer, so it asks."""
    fallback = tmp_path / "home-safe.txt"
    fallback.write_text(textlines.encode_text(vault_to_paper(vault_of("Carol")), "vault"))
    stray = write_split(tmp_path / "d", gens["B1"], [1])
    out = tmp_path / "v.json"
    for order in orders([fallback, *stray]):
        r = cli("restore", *order, "-o", out)
        assert r.code == 13 and "may be newer" in r.err and not out.exists()
    r = cli("restore", fallback, *stray, "--set", vault_of("Carol").fingerprint[:9], "-o", out)
    assert r.code == 0 and vault_from_json(out.read_bytes()) == vault_of("Carol")


def test_verify_and_combine_follow_the_same_rules(
        cli: Any, tmp_path: Path, gens: dict[str, sharing.SplitResult]) -> None:
    source = tmp_path / "source.json"
    source.write_bytes(vault_to_json(vault_of("Alice", 2)))
    new = write_split(tmp_path / "d", gens["A2"], [1, 3], "b-")
    old = write_split(tmp_path / "d", gens["A1"], [1, 2], "a-")
    r = cli("verify", *old, *new, "--against", source)
    assert r.code == 13
    r = cli("verify", *old, *new, "--against", source, "--set",
            gens["A2"].header.set_id_text)
    assert r.code == 0, r.err
    # combine names the sealed vault: shares of another backup are named and left out
    r = cli("combine", new[0], "--share", old[1], "--share", new[1], "--share", new[2],
            "-o", tmp_path / "c.json")
    assert r.code == 0, r.err
    assert f"left out {old[1]}: it belongs to set {gens['A1'].header.set_id_text}" in r.err


def test_restore_reads_a_sealed_file_and_says_what_it_needs(
        cli: Any, tmp_path: Path, gens: dict[str, sharing.SplitResult]) -> None:
    sealed = tmp_path / "vault.p2fa"
    sealed.write_bytes(gens["A1"].sealed_bytes)
    r = cli("restore", sealed, "-o", tmp_path / "v.json")
    assert r.code == 7, r.err
    assert (f"need 2 more shares: you have no share of set {gens['A1'].header.set_id_text} "
            "(2 needed)") in r.err
    copy = tmp_path / "copy.p2fa"
    copy.write_bytes(envelope.seal_with_passphrase(vault_of("Dan"), "pw", kdf=TEST_KDF,
                                                   now=DATES[1]).to_bytes())
    pw = tmp_path / "pw.txt"
    pw.write_text("pw\n")
    r = cli("restore", copy, "--passphrase-file", pw, "-o", tmp_path / "d.json")
    assert r.code == 0, r.err
    assert vault_from_json((tmp_path / "d.json").read_bytes()) == vault_of("Dan")


# --- SLIP-39: the identifier is not committed by format v1 -----------------------------------


def _altered_identifier(share: sharing.Slip39Share) -> sharing.Slip39Share:
    """The same share under another identifier, its checksum recomputed (a forgery)."""
    from shamir_mnemonic.share import Share

    parsed = share.parsed
    other = Share(parsed.identifier ^ 1, parsed.extendable, parsed.iteration_exponent,
                  parsed.group_index, parsed.group_threshold, parsed.group_count,
                  parsed.index, parsed.member_threshold, parsed.value)
    return sharing.Slip39Share(other.mnemonic())


def test_slip39_share_with_an_altered_identifier_is_left_out_and_named(
        cli: Any, tmp_path: Path) -> None:
    result = sharing.make_split(vault_of("Eve"), 3, 4, scheme="slip39", kdf=TEST_KDF)
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "vault.p2fa").write_bytes(result.sealed_bytes)
    files = []
    for i, share in enumerate(result.shares, 1):
        text = share.qr_text() if i != 1 else _altered_identifier(share).qr_text()  # type: ignore[arg-type]
        path = folder / f"share-{i}.txt"
        path.write_text(text + "\n")
        files.append(path)
    r = cli("inspect", files[0], "--sealed", folder / "vault.p2fa")
    assert r.code == 0 and "identifier cannot be checked against the sealed vault" in r.out
    args = [a for f in files for a in ("--share", f)]
    for order in (args, list(reversed(args))):
        ordered = order if order[0] == "--share" else [x for p in zip(order[1::2], order[0::2],
                                                                      strict=True) for x in p]
        r = cli("combine", folder / "vault.p2fa", *ordered, "-o", tmp_path / "v.json")
        assert r.code == 0, r.err
        assert "left out" in r.err and "share-1.txt" in r.err and "identifier" in r.err
        (tmp_path / "v.json").unlink()
    r = cli("restore", folder, "-o", tmp_path / "r.json")
    assert r.code == 0, r.err
    assert vault_from_json((tmp_path / "r.json").read_bytes()) == vault_of("Eve")


def _slip39_changed(share: sharing.AnyShare, **changes: Any) -> sharing.Slip39Share:
    """The share with some fields changed and its checksum recomputed (damage a checksum
    cannot see, or a forgery)."""
    from dataclasses import replace

    assert isinstance(share, sharing.Slip39Share)
    return sharing.Slip39Share(replace(share.parsed, **changes).mnemonic())


@pytest.mark.parametrize("damage", ["value", "member index"])
def test_a_damaged_slip39_share_is_left_out_and_the_set_still_restores(
        cli: Any, tmp_path: Path, damage: str) -> None:
    """As a damaged paper2fa share: named and left out, and the two good shares (with sheet 1,
    whose member index is 0) complete the set; it is not taken for another backup (exit 13)."""
    result = sharing.make_split(vault_of("Fay"), 2, 3, scheme="slip39", rng=fixed_rng(5),
                                kdf=TEST_KDF)
    first = result.shares[0]
    assert first.x == 0  # sheet 1's member index
    parsed = first.parsed  # type: ignore[union-attr]
    if damage == "value":
        bad = _slip39_changed(first, value=bytes([parsed.value[0] ^ 1]) + parsed.value[1:])
    else:
        bad = _slip39_changed(first, index=5)
    folder = tmp_path / "s"
    paths = write_split(folder, result, [1, 2])
    damaged = folder / "damaged.txt"
    damaged.write_text(bad.qr_text() + "\n")
    for order in orders([*paths, damaged]):
        out = tmp_path / "r.json"
        r = cli("restore", *order, "-o", out)
        assert r.code == 0, r.err
        assert "left out damaged.txt: it does not match any share of this backup" in r.err
        assert vault_from_json(out.read_bytes()) == vault_of("Fay")
        out.unlink()
    shares = [a for f in (damaged, paths[1], paths[2]) for a in ("--share", f)]
    r = cli("combine", paths[0], *shares, "-o", tmp_path / "c.json")
    assert r.code == 0, r.err
    assert "damaged.txt: it does not match any share" in r.err
    r = cli("restore", paths[0], paths[2], damaged, "-o", tmp_path / "few.json")
    assert r.code == 7, r.err  # one good share of two needed: missing, not a choice


@pytest.mark.parametrize(("change", "named"), [
    ({"iteration_exponent": 1}, "iteration exponent (1) differs from the other shares' (0)"),
    ({"extendable": True}, "extendable flag (1) differs from the other shares' (0)"),
])
def test_a_slip39_share_with_another_set_field_names_that_field(
        cli: Any, tmp_path: Path, change: dict[str, Any], named: str) -> None:
    result = sharing.make_split(vault_of("Gus"), 2, 3, scheme="slip39", rng=fixed_rng(6),
                                kdf=TEST_KDF)
    folder = tmp_path / "s"
    write_split(folder, result, [2, 3])
    changed = folder / "changed.txt"
    changed.write_text(_slip39_changed(result.shares[0], **change).qr_text() + "\n")
    out = tmp_path / "r.json"
    r = cli("restore", folder, "-o", out)
    assert r.code == 0, r.err
    assert f"left out changed.txt: its SLIP-39 {named}" in r.err
    assert vault_from_json(out.read_bytes()) == vault_of("Gus")


def test_slip39_shares_without_their_sealed_vault_count_sheet_1() -> None:
    """Sheet 1's member index is 0: it counts as a share (only a paper2fa x may not be 0)."""
    from toolkit.recovery import group
    from toolkit.recovery.needs import NeedKind
    from toolkit.recovery.sets import needs

    result = sharing.make_split(vault_of("Hal"), 2, 3, scheme="slip39", rng=fixed_rng(7),
                                kdf=TEST_KDF)
    state = RecoveryState()
    for share in result.shares[:2]:
        state.add_share(share, f"sheet {share.x + 1}")
    [backup] = group(state)
    assert backup.distinct_shares == 2
    assert not any(need.kind is NeedKind.SHARES for need in needs(backup))


# --- random drawers, at the level of decoded QR texts -----------------------------------------


@dataclass(frozen=True)
class Printout:
    """A backup as printed, and the QR texts decoded from each page of each of its sheets."""

    name: str
    vault: Vault
    generation: int | None
    sheets: tuple[tuple[tuple[str, ...], ...], ...]
    threshold: int


def decoded_pages(pdf: bytes) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(c.text for c in scan.read_page(image, number).codes)
                 for number, image in enumerate(D.rasterize(pdf, 150), 1))


@pytest.fixture(scope="module")
def printouts(gens: dict[str, sharing.SplitResult]) -> dict[str, Printout]:
    """Splits and home-safe backups printed once; their pages decoded once."""
    out: dict[str, Printout] = {}
    for name, result in gens.items():
        pdfs = render_split_pdfs(result, DATES[result.header.generation], PAPERS["a4"],
                                 self_check=False)
        sheets = tuple(decoded_pages(pdfs[n]) for n in sorted(pdfs) if n.startswith("share-"))
        vault = vault_of("Alice" if name.startswith("A") else "Bob",
                         1 if name in ("A1", "B1") else 2)
        out[name] = Printout(name, vault, result.header.generation, sheets,
                             result.header.threshold)
    for name, vault in (("H", vault_of("Alice", 2)), ("C", vault_of("Carol"))):
        pdf = render_home_safe(vault, date=DATES[2], generation=1, paper=PAPERS["a4"]).pdf
        out[name] = Printout(name, vault, None, (decoded_pages(pdf),), 1)
    return out


Pick = tuple[str, int, int, str]  # printout, sheet, page, file name


@st.composite
def drawers(draw: st.DrawFn, names: Sequence[str]) -> list[Pick]:
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    picks: list[Pick] = []
    for name in chosen:
        sheets = draw(st.lists(st.integers(0, 2 if name not in "HC" else 0), min_size=1,
                               max_size=3, unique=True))
        for sheet in sheets:
            pages = draw(st.lists(st.integers(0, 7), min_size=1, max_size=8, unique=True))
            picks += [(name, sheet, page, f"{name}-{sheet + 1}.pdf") for page in pages]
    copies = draw(st.lists(st.sampled_from(picks), max_size=2))
    picks += [(n, s, p, f"copy-{f}") for n, s, p, f in copies]
    return draw(st.permutations(picks))


def read_drawer(picks: Sequence[Pick], printouts: dict[str, Printout]) -> RecoveryState:
    state = RecoveryState()
    for name, sheet, page, file in picks:
        pages = printouts[name].sheets[sheet]
        if page < len(pages):
            codes = tuple(FoundCode(t, t.encode(), page + 1, ((0, 0),) * 4, file)
                          for t in pages[page])
            state.add_page(PageScan(file, page + 1, codes), len(pages))
    return state


def can_complete(printout: Printout, picks: Sequence[Pick]) -> bool:
    """The truth, from what was drawn: enough frames, and k distinct sheets (splits)."""
    texts = [t for n, s, p, _ in picks if n == printout.name and p < len(printout.sheets[s])
             for t in printout.sheets[s][p]]
    collector = F.FrameCollector()
    collector.add_all(t for t in texts if t.startswith(F.FRAME_MAGIC))
    if len(collector.docs) != 1 or not collector.is_complete():
        return False
    shares = {t for t in texts if t.startswith(sharing.QR_PREFIX)}
    return printout.generation is None or len(shares) >= printout.threshold


def outcome(state: RecoveryState) -> tuple[object, ...]:
    decision = choose(state)
    message = None if decision.verdict is Verdict.RESTORE else refusal(state, decision).message
    return (decision.verdict, decision.why, decision.chosen.title if decision.chosen else None,
            message, tuple(decision_lines(decision)),
            tuple(i.message for i in left_out(state, decision)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.data_too_large])
@given(data=st.data())
def test_any_drawer_restores_the_one_allowed_backup_or_refuses(
        data: st.DataObject, printouts: dict[str, Printout]) -> None:
    picks = data.draw(drawers(sorted(printouts)))
    state = read_drawer(picks, printouts)
    result = outcome(state)
    assert outcome(read_drawer(list(reversed(picks)), printouts)) == result  # any order
    present = {n for n, s, p, _ in picks if p < len(printouts[n].sheets[s]) and any(
        t.startswith((F.FRAME_MAGIC, sharing.QR_PREFIX)) for t in printouts[n].sheets[s][p])}
    complete = {n for n in present if can_complete(printouts[n], picks)}
    fingerprints = {printouts[n].vault.fingerprint for n in complete}
    decision = choose(state)
    if decision.verdict is Verdict.RESTORE:
        restored = finish(state, decision)
        assert len(fingerprints) == 1 and restored.vault.fingerprint in fingerprints
        same = [printouts[n] for n in complete if printouts[n].vault == restored.vault]
        newest = max((p.generation or 0 for p in same), default=0)
        for name in present:  # never an older generation without --set
            other = printouts[name]
            if other.vault != restored.vault:
                assert other.generation is not None and other.generation <= newest
    elif decision.verdict is Verdict.CHOOSE and decision.why is Why.SEVERAL:
        assert len(fingerprints) >= 2
    elif decision.verdict is Verdict.CHOOSE:
        assert decision.why is Why.NEWER and fingerprints
    else:
        assert decision.verdict in (Verdict.MISSING, Verdict.NOTHING) and not complete
        with pytest.raises(Exception) as info:
            finish(state, decision)
        assert info.value.__class__.__name__ in ("NotEnoughError", "ShareError", "ScanError")


def test_the_drawer_rules_do_not_depend_on_the_order_of_pages(
        printouts: dict[str, Printout]) -> None:
    picks: list[Pick] = [("A1", s, p, f"A1-{s + 1}.pdf") for s in (0, 1) for p in range(4)]
    picks += [("A2", 0, p, "A2-1.pdf") for p in range(4)] + [("B1", 2, 0, "B1-3.pdf")]
    results = {outcome(read_drawer(list(order), printouts))
               for order in itertools.islice(itertools.permutations(picks), 0, 400, 97)}
    results.add(outcome(read_drawer(sorted(picks, reverse=True), printouts)))
    assert len(results) == 1
    (verdict, why, *_), = results
    assert verdict is Verdict.CHOOSE and why is Why.NEWER


def test_dry_run_json_is_plain_data(cli: Any, tmp_path: Path,
                                    gens: dict[str, sharing.SplitResult]) -> None:
    paths = write_split(tmp_path / "d", gens["B1"], [1])
    r = cli("restore", *paths, "--dry-run", "--json")
    assert r.code == 7
    assert json.loads(r.out)["backups"][0]["missing"]
