"""End to end through paper: vault -> sheets (PDF) -> pixels (rasterized, degraded) -> restore
from exactly k sheets -> the identical vault."""

from __future__ import annotations

import random
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import degrade as D
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from toolkit import envelope, sharing
from toolkit.model import Account, Vault, vault_from_json, vault_to_json
from toolkit.recovery import RecoveryState, Restored, choose, finish, read_inputs, restorable
from toolkit.render.home_safe import render_home_safe
from toolkit.render.layout import PAPERS
from toolkit.render.split import render_split_pdfs

DATE = datetime(2026, 1, 15, tzinfo=UTC)
TEST_KDF = envelope.KDF_PROFILES["test"]


def make_vault(n: int = 10, seed: int = 7) -> Vault:
    rng = random.Random(seed)
    return Vault(tuple(
        Account(issuer=f"Site {i}", name=f"user{i}@example.com", secret=rng.randbytes(20),
                type=("totp", "hotp", "steam")[i % 3],
                recovery_codes=tuple(f"{rng.randrange(10**8):08d}" for _ in range(4)),
                notes="kept in the blue folder" if i % 2 else "")
        for i in range(n)))


def sheets_of(vault: Vault, k: int = 3, n: int = 5,
              passphrase: str | None = None) -> tuple[sharing.SplitResult, list[bytes]]:
    result = sharing.make_split(vault, k, n, (), "pyshamir", passphrase, kdf=TEST_KDF, now=DATE)
    pdfs = render_split_pdfs(result, DATE, PAPERS["a4"], self_check=False)
    return result, [pdfs[name] for name in sorted(pdfs) if name.startswith("share-")]


@pytest.fixture(scope="module")
def split() -> tuple[sharing.SplitResult, list[bytes]]:
    return sheets_of(make_vault())


def restore_images(pages: list[Image.Image], passphrase: str | None = None) -> Restored:
    """Restore as `paper2fa restore` does, from the pages saved as PNG files in a folder."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "scans"
        save_pages(folder, pages, jpeg=False, level=0)
        state = RecoveryState()
        read_inputs(state, [folder], lambda note: None, wanted=lambda: not restorable(state))
        return finish(state, choose(state), (lambda: passphrase) if passphrase else None)


PNG_LEVEL = 1
"""zlib level of the scans saved as PNG: the same pixels as Pillow's default (6), written in a
fraction of its time (which was a third of this file's CPU). Pages written to a temporary
folder and read at once are stored uncompressed (0): noisy pages barely compress anyway."""


def save_pages(folder: Path, pages: list[Image.Image], jpeg: bool = True,
               level: int = PNG_LEVEL) -> None:
    folder.mkdir(exist_ok=True)
    for i, image in enumerate(pages):
        if i % 2 and jpeg:
            image.save(folder / f"scan-{i:02d}.jpeg", format="JPEG", quality=85)
        else:
            image.save(folder / f"scan-{i:02d}.png", format="PNG", compress_level=level)


def test_three_of_five_sheets_shuffled_rotated_and_damaged_restore_exactly(
        cli: Any, tmp_path: Path, split: tuple[sharing.SplitResult, list[bytes]]) -> None:
    result, pdfs = split
    rng = random.Random(1)
    pages = [page for i in (0, 2, 4) for page in D.rasterize(pdfs[i], 300)]
    frame_page = next(p for p in pages if len(D.code_corners(p)) > 2)
    corners = D.code_corners(frame_page)
    damaged = D.destroy_code(frame_page, corners[-1])
    pages = [damaged if p is frame_page else p for p in pages]
    pages = [D.rotate(p, rng.choice([0, 1, 7, 90, 180, -3])) for p in pages]
    rng.shuffle(pages)
    save_pages(tmp_path / "scans", pages)
    (tmp_path / "scans" / "readme.md").write_text("not a scan")
    out = tmp_path / "vault.json"
    run = cli("restore", tmp_path / "scans", "-o", out)
    assert run.code == 0, run.err
    assert vault_from_json(out.read_bytes()) == make_vault()
    assert f"shares 1, 3, 5 of set {result.header.set_id_text}" in run.out
    assert make_vault().fingerprint in run.out
    assert "skipped" in run.err and "readme.md" in run.err


def test_two_sheets_are_not_enough_and_say_which_share_is_missing(
        cli: Any, tmp_path: Path, split: tuple[sharing.SplitResult, list[bytes]]) -> None:
    result, pdfs = split
    for i in (0, 2):
        (tmp_path / f"sheet-{i + 1}.pdf").write_bytes(pdfs[i])
    out = tmp_path / "vault.json"
    run = cli("restore", tmp_path / "sheet-1.pdf", tmp_path / "sheet-3.pdf", "-o", out)
    assert run.code == 7
    assert (f"need 1 more share: you have shares 1 and 3 of set {result.header.set_id_text} "
            "(3 needed)") in run.err
    assert not out.exists()


def test_verify_proves_the_printed_sheets(cli: Any, tmp_path: Path,
                                          split: tuple[sharing.SplitResult, list[bytes]]) -> None:
    _, pdfs = split
    for i in (1, 2, 3):
        (tmp_path / f"sheet-{i + 1}.pdf").write_bytes(pdfs[i])
    source = tmp_path / "vault.json"
    source.write_bytes(vault_to_json(make_vault()))
    sheets = [tmp_path / f"sheet-{i}.pdf" for i in (2, 3, 4)]
    ok = cli("verify", *sheets, "--against", source)
    assert ok.code == 0, ok.err
    assert "restores exactly" in ok.out
    source.write_bytes(vault_to_json(make_vault(seed=8)))
    bad = cli("verify", *sheets, "--against", source)
    assert bad.code == 9 and "secret" in bad.err


def test_home_safe_sheet_restores_and_verifies(cli: Any, tmp_path: Path) -> None:
    vault = make_vault(6, seed=3)
    pdf = render_home_safe(vault, date=DATE, generation=1, paper=PAPERS["a4"]).pdf
    pages = D.rasterize(pdf, 200)
    save_pages(tmp_path / "scans", [D.jpeg(p, 50) for p in pages])
    out = tmp_path / "restored.json"
    run = cli("restore", tmp_path / "scans", "-o", out)
    assert run.code == 0, run.err
    assert vault_from_json(out.read_bytes()) == vault
    verified = cli("verify", tmp_path / "scans", "--against", out)
    assert verified.code == 0, verified.err
    assert "all 6 of 6 printed account QR codes read back and match the source" in verified.out


@pytest.mark.slow
@pytest.mark.parametrize("condition", ["clean", "rotate 7°", "jpeg 50"])
def test_150_dpi_scans_restore(condition: str,
                               split: tuple[sharing.SplitResult, list[bytes]]) -> None:
    _, pdfs = split
    pages = [page for i in (1, 3, 4) for page in D.rasterize(pdfs[i], 150)]
    pages = D.CONDITIONS[condition].apply(pages, random.Random(2))
    assert restore_images(pages).vault == make_vault()


DEGRADED_DPI = 200
"""Scan resolution of the degraded-print test: the pages, their printing (blur, dot gain) and
the photo's keystone and blur are simulated at it. At 200 dpi a module has fewer pixels and the
1-pixel blur weighs more than at 300 (which took twice the work for the same proof)."""


@pytest.mark.slow
def test_printed_scanned_degraded_with_a_page_missing() -> None:
    vault = make_vault(160, seed=11)
    _, pdfs = sheets_of(vault)
    rng = random.Random(4)
    pages = []
    for i in (0, 1, 2):
        # printer blur and dot gain simulated at the scan resolution (the benchmark uses 600)
        sheet = [D.printed_and_scanned(p, DEGRADED_DPI, rng, print_dpi=DEGRADED_DPI)
                 for p in D.rasterize(pdfs[i], DEGRADED_DPI)]
        frame_pages = [j for j, p in enumerate(sheet) if len(D.code_corners(p)) > 4]
        assert len(frame_pages) >= 3
        del sheet[frame_pages[1]]  # the same page of frames lost from every sheet
        pages.extend(sheet)
    pages = [D.blur(D.keystone(p, 0.1), 1.0) for p in pages]
    rng.shuffle(pages)
    restored = restore_images(pages)
    assert restored.vault == vault
    assert any("recovered from redundancy" in n for n in restored.messages)


@pytest.mark.slow
def test_passphrase_split_through_paper() -> None:
    vault = make_vault(3, seed=5)
    _, pdfs = sheets_of(vault, 2, 3, passphrase="lantern")
    pages = [p for i in (0, 2) for p in D.rasterize(pdfs[i], 200)]
    assert restore_images(pages, "lantern").vault == vault


accounts = st.builds(
    Account,
    issuer=st.text(max_size=15),
    name=st.text(min_size=1, max_size=20),
    secret=st.binary(min_size=10, max_size=40),
    type=st.sampled_from(["totp", "hotp", "steam"]),
    digits=st.integers(6, 8),
    notes=st.text(max_size=40),
    recovery_codes=st.lists(st.text(min_size=1, max_size=12), max_size=3).map(tuple),
)


@pytest.mark.slow
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(accounts, min_size=1, max_size=25))
def test_any_vault_survives_paper(account_list: list[Account]) -> None:
    vault = Vault(tuple(account_list))
    _, pdfs = sheets_of(vault, 2, 3)
    pages = [p for i in (1, 2) for p in D.rasterize(pdfs[i], 200)]
    random.Random(0).shuffle(pages)
    assert restore_images(pages).vault == vault


@pytest.mark.slow
def test_200_accounts_from_three_sheets_at_300_dpi_each_page_decoded_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Clean scans cost one decoder pass a page, at the page's own size: no retry, no second
    look (the work is counted, so this holds on a busy machine; times are in
    tests/benchmarks/restore.py)."""
    from toolkit import scan

    vault = make_vault(200, seed=2)
    _, pdfs = sheets_of(vault)
    folder = tmp_path / "scans"
    pages = [p for i in (0, 2, 3) for p in D.rasterize(pdfs[i], 300)]
    save_pages(folder, pages)
    decoded: list[int] = []
    real = scan.zxing_pass

    def counted(image: Image.Image, *args: Any, **kwargs: Any) -> Any:
        decoded.append(image.width * image.height)
        return real(image, *args, **kwargs)

    monkeypatch.setattr(scan, "zxing_pass", counted)
    monkeypatch.setattr(scan, "pyzbar_pass", lambda *a, **k: pytest.fail("a retry with pyzbar"))
    state = RecoveryState()
    read_inputs(state, [folder], lambda note: None)
    assert finish(state, choose(state)).vault == vault
    assert sorted(decoded) == sorted(p.width * p.height for p in pages)


def test_missing_pages_are_not_called_unreadable_codes(cli: Any, tmp_path: Path) -> None:
    """Only the first frame page of each sheet: every code on it reads, so restore must not
    claim that codes did not read, nor read the pages again; it says which page to scan."""
    vault = make_vault(60, seed=5)
    _, pdfs = sheets_of(vault)
    folder = tmp_path / "scans"
    folder.mkdir()
    for i in (0, 1, 2):
        pages = D.rasterize(pdfs[i], 200)
        frame_pages = [p for p in pages if len(D.code_corners(p)) > 2]
        assert len(frame_pages) >= 2
        frame_pages[0].save(folder / f"sheet-{i + 1}.png", compress_level=PNG_LEVEL)
    run = cli("restore", folder, "-o", tmp_path / "v.json")
    assert run.code == 7, run.err
    assert "did not read" not in run.err and "could not be read" not in run.err
    assert "reading" not in run.err and "again with every decoder" not in run.err
    assert "scan the page showing frame" in run.err
    assert not (tmp_path / "v.json").exists()


def test_combine_hint_asks_for_shares_not_scans(cli: Any, tmp_path: Path,
                                                split: tuple[sharing.SplitResult, list[bytes]]
                                                ) -> None:
    result, _ = split
    (tmp_path / "vault.p2fa").write_bytes(result.sealed_bytes)
    share = tmp_path / "share-1.txt"
    share.write_text(sharing.share_file_text(result, 1))
    run = cli("combine", tmp_path / "vault.p2fa", "--share", share, "-o", tmp_path / "v.json")
    assert run.code == 7
    hint = run.err.splitlines()[-1]
    assert "--share" in hint and "scan" not in hint
