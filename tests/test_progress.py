"""Progress on long work: what the library reports (stages, totals, steps), that a terminal
shows it as a bar cleared at the end (also on Ctrl-C), and that stderr holds no trace of it
when it is not a terminal."""

from __future__ import annotations

import argparse
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from terminal import run_in_pty, screen

from toolkit import envelope
from toolkit.cli import bar
from toolkit.cli.common import load_vaults
from toolkit.exporters import ExportOptions, export_vault
from toolkit.model import Account, Vault, vault_to_json
from toolkit.recovery import RecoveryState, read_inputs
from toolkit.render.home_safe import render_home_safe, render_home_safe_sealed
from toolkit.render.layout import PAPERS
from toolkit.render.split import COVER_NAME, render_split, sheet_names
from toolkit.sharing import make_split

DATE = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class Stage:
    what: str
    total: int | None
    done: int = 0
    notes: list[str] = field(default_factory=list)


class Recorder:
    """A Progress that keeps every stage with the steps and notes it got."""

    def __init__(self) -> None:
        self.stages: list[Stage] = []
        self.closed = False

    def start(self, total: int | None, what: str) -> None:
        self.stages.append(Stage(what, total))

    def advance(self, n: int = 1) -> None:
        self.stages[-1].done += n

    def note(self, text: str) -> None:
        self.stages[-1].notes.append(text)

    def close(self) -> None:
        self.closed = True

    def summary(self) -> list[tuple[str, int | None, int]]:
        return [(s.what, s.total, s.done) for s in self.stages]


def vault_of(count: int) -> Vault:
    return Vault(tuple(Account(issuer=f"Example {i}", name=f"user{i}@example.com",
                               secret=bytes([i % 256]) * 20) for i in range(count)))


def test_print_reports_accounts_codes_pages_drawn_and_checked() -> None:
    vault = vault_of(6)
    progress = Recorder()
    rendered = render_home_safe(vault, date=DATE, generation=1, paper=PAPERS["a4"],
                                progress=progress)
    frames = len(rendered.qr_texts) - len(vault)
    assert frames > 0
    assert progress.summary() == [("accounts laid out", 6, 6),
                                  ("vault QR codes made", frames, frames),
                                  ("pages drawn", rendered.pages, rendered.pages),
                                  ("pages checked", rendered.pages, rendered.pages)]
    assert not progress.closed  # the caller closes what it made


def test_without_the_self_check_no_page_is_checked() -> None:
    progress = Recorder()
    sealed = envelope.seal_with_passphrase(vault_of(2), "pass phrase words",
                                           kdf=envelope.KDF_PROFILES["test"])
    rendered = render_home_safe_sealed(sealed.to_bytes(), count=2, fingerprint="X", date=DATE,
                                       generation=1, paper=PAPERS["a4"], self_check=False,
                                       progress=progress)
    assert [s.what for s in progress.stages] == ["vault QR codes made", "pages drawn"]
    assert progress.stages[-1].total == progress.stages[-1].done == rendered.pages


def test_a_split_is_one_stage_of_sheets_with_each_sheet_in_the_notes() -> None:
    result = make_split(vault_of(3), 2, 3, ["Ann", "Bob", "Cy"], now=DATE,
                        kdf=envelope.KDF_PROFILES["test"])
    progress = Recorder()
    sheets = render_split(result, date=DATE, paper="a4", progress=progress)
    codes, made = progress.stages
    assert codes.what == "vault QR codes made" and codes.total == codes.done > 0
    assert (made.what, made.total, made.done) == ("sheets made", 4, 4)
    for name in sheet_names(result):
        pages = sheets[name].pages
        assert f"{name}: pages drawn {pages}/{pages}" in made.notes
        assert f"{name}: pages checked {pages}/{pages}" in made.notes
    cover = sheets[COVER_NAME].pages
    assert made.notes[-1] == f"{COVER_NAME}: pages drawn {cover}/{cover}"  # no code to check


def pdf_of_pages(pdf: bytes, pages: list[int]) -> bytes:
    """A PDF of some pages of `pdf` (0-based, in the order given), copied by pdfium."""
    import pypdfium2

    source = pypdfium2.PdfDocument(pdf)
    out = pypdfium2.PdfDocument.new()
    out.import_pages(source, pages)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def home_safe() -> tuple[bytes, list[int], list[int]]:
    """A home-safe backup of 3 accounts: its PDF, its pages (0-based) with QR codes and those
    without (its front pages)."""
    from toolkit.scan import decode_image, images_of

    rendered = render_home_safe(vault_of(3), date=DATE, generation=1, paper=PAPERS["a4"])
    with_codes = [n for n, image in enumerate(images_of(rendered.pdf, 150))
                  if decode_image(image)]
    without = [n for n in range(rendered.pages) if n not in with_codes]
    assert with_codes and without
    return rendered.pdf, with_codes, without


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory,
          home_safe: tuple[bytes, list[int], list[int]]) -> tuple[Path, int, int]:
    """A folder of scans: the pages of a home-safe backup that hold QR codes as a PDF and the
    first of them as a PNG, plus a note that is not a scan. Returns the folder, its pages and
    the QR codes on them. (A page without any code costs the reader its whole cascade of
    retries, some 2 s of CPU at 300 DPI: the front pages are left out, as the progress shown
    does not depend on what a page holds.)"""
    from toolkit.scan import decode_bytes, images_of

    pdf, with_codes, _ = home_safe
    folder = tmp_path_factory.mktemp("scans")
    backup = pdf_of_pages(pdf, with_codes)
    (folder / "backup.pdf").write_bytes(backup)
    first = next(images_of(backup, 150))
    first.save(folder / "page-1.png")
    (folder / "notes.txt").write_text("not a scan\n")
    codes = len(decode_bytes(backup, 150)) + len(decode_bytes(
        (folder / "page-1.png").read_bytes()))
    return folder, len(with_codes) + 1, codes


def test_reading_scans_reports_pages_read_and_codes_found(scans: tuple[Path, int, int]) -> None:
    folder, pages, codes = scans
    progress = Recorder()
    read_inputs(RecoveryState(), [folder], lambda message: None, progress=progress)
    (stage,) = progress.stages
    assert (stage.what, stage.total, stage.done) == ("pages read", pages, pages)
    assert stage.notes[-1] == f"{codes} QR codes found"


def test_exports_report_their_sheets_and_codes() -> None:
    vault = vault_of(4)
    progress = Recorder()
    options = ExportOptions(day=date(2026, 1, 1), progress=progress)
    export_vault(vault, "reenroll-pdf", options)
    assert [s.what for s in progress.stages] == ["accounts laid out", "pages drawn",
                                                 "pages checked"]
    assert progress.stages[0].total == progress.stages[0].done == 4
    progress = Recorder()
    export_vault(vault, "gauth-qr", ExportOptions(container="png", progress=progress))
    (stage,) = progress.stages
    assert stage.what == "transfer QR codes made" and stage.total == stage.done >= 1


def test_importing_reports_files_read_and_accounts_imported(tmp_path: Path) -> None:
    paths = []
    for n, count in enumerate((2, 5)):
        path = tmp_path / f"v{n}.json"
        path.write_bytes(vault_to_json(vault_of(count) if n else Vault(vault_of(7).accounts[5:])))
        paths.append(str(path))
    progress = Recorder()
    vault = load_vaults(paths, argparse.Namespace(), progress)
    (stage,) = progress.stages
    assert (stage.what, stage.total, stage.done) == ("export files read", 2, 2)
    assert stage.notes[-1] == f"{len(vault)} accounts imported" == "7 accounts imported"


# --- the bar ----------------------------------------------------------------------------------


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTerminal]:
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("COLUMNS", "90")
    yield FakeTerminal()


def test_the_bar_draws_stages_notes_above_it_and_clears_its_line(
        terminal: FakeTerminal, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bar, "REFRESH", 0.0)  # every step drawn
    with bar.progress_bar("print", terminal) as progress:
        assert isinstance(progress, bar.Bar)
        progress.start(10, "pages drawn")
        progress.advance(4)
        bar.write_line("paper2fa: a warning")
        progress.note("evil\x1b[2Jname\u202e")
        progress.advance(6)
    shown = terminal.getvalue()
    assert "print: pages drawn 4/10" in shown and "10/10" in shown
    assert "\x1b[2J" not in shown and "\u202e" not in shown and "evil\\x1b[2Jname" in shown
    assert screen(shown) == ["paper2fa: a warning", ""]  # the bar's line is cleared


def test_an_error_inside_the_block_clears_the_bar_first(terminal: FakeTerminal) -> None:
    with pytest.raises(KeyboardInterrupt), bar.progress_bar("restore", terminal) as progress:
        progress.start(5, "pages read")
        progress.advance()
        raise KeyboardInterrupt
    assert "pages read 0/5" in terminal.getvalue()
    assert screen(terminal.getvalue()) == [""]


def test_no_bar_where_stderr_is_not_a_terminal_or_is_dumb(
        terminal: FakeTerminal, monkeypatch: pytest.MonkeyPatch) -> None:
    with bar.progress_bar("print", io.StringIO()) as progress:
        assert progress is bar.NO_PROGRESS
    monkeypatch.setenv("TERM", "dumb")
    with bar.progress_bar("print", terminal) as progress:
        assert progress is bar.NO_PROGRESS


def test_the_linux_console_gets_a_bar_of_ascii(terminal: FakeTerminal,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "linux")
    monkeypatch.setattr(bar, "REFRESH", 0.0)
    with bar.progress_bar("print", terminal) as progress:
        progress.start(4, "pages drawn")
        progress.advance(2)
    assert "##" in terminal.getvalue() and terminal.getvalue().isascii()


# --- through the real command line --------------------------------------------------------------


def test_no_progress_on_stderr_when_it_is_not_a_terminal(
        cli: Any, tmp_path: Path, scans: tuple[Path, int, int]) -> None:
    source = tmp_path / "vault.json"
    source.write_bytes(vault_to_json(vault_of(3)))
    printed = cli("print", source, "-o", tmp_path / "backup.pdf")
    assert printed.code == 0 and printed.err == ""
    restored = cli("restore", scans[0], "-o", tmp_path / "restored.json")
    assert restored.code == 0
    for text in (printed.err, restored.err, printed.out, restored.out):
        assert "\r" not in text and "|" not in text
        assert not re.search("pages (read|drawn|checked)|laid out|codes made", text)


def _paper2fa(*args: str | Path) -> list[str]:
    return ["-m", "toolkit", "--allow-online", *(str(a) for a in args)]


def test_a_print_at_a_terminal_shows_its_progress_then_a_clean_screen(tmp_path: Path) -> None:
    source = tmp_path / "vault.json"
    source.write_bytes(vault_to_json(vault_of(30)))
    code, shown = run_in_pty(_paper2fa("print", source, "-o", tmp_path / "backup.pdf"), [],
                             timeout=600, env={"TERM": "xterm"})
    assert code == 0, shown
    for stage in ("accounts laid out 30/30", "vault QR codes made", "pages drawn",
                  "pages checked"):
        assert f"\rprint: {stage}" in shown
    lines = [line for line in screen(shown) if line]
    assert lines[0].startswith(f"wrote {tmp_path / 'backup.pdf'}: 30 accounts")
    assert not any("|" in line for line in lines)


def test_a_restore_at_a_terminal_shows_pages_read_and_codes_found(
        tmp_path: Path, scans: tuple[Path, int, int]) -> None:
    folder, pages, codes = scans
    code, shown = run_in_pty(_paper2fa("restore", folder, "-o", tmp_path / "v.json"), [],
                             timeout=600, env={"TERM": "xterm"})
    assert code == 0, shown
    assert re.search(f"\\rrestore: pages read {pages}/{pages} .*, {codes} QR codes found",
                     shown)
    lines = [line for line in screen(shown) if line]
    assert lines[:2] == [f"paper2fa: skipped {folder / 'notes.txt'}: not a text fallback or a "
                         "share file (" + lines[0].split("(", 1)[1],
                         f"restored 3 accounts into {tmp_path / 'v.json'}"]
    assert not any("|" in line for line in lines)


def test_ctrl_c_during_a_restore_leaves_one_clean_error_line(
        tmp_path: Path, home_safe: tuple[bytes, list[int], list[int]]) -> None:
    """The pages with codes first (the bar shows "QR codes found" after them), then the front
    pages, which take the reader longest: the signal comes while it reads them."""
    pdf, with_codes, without = home_safe
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "backup.pdf").write_bytes(pdf_of_pages(pdf, with_codes + without))
    code, shown = run_in_pty(_paper2fa("restore", folder, "-o", tmp_path / "v.json"), [],
                             timeout=600, interrupt_after="QR codes found",
                             env={"TERM": "xterm"})
    assert code == 130, shown
    lines = [line for line in screen(shown) if line]
    assert lines[-2:] == ["paper2fa: error: interrupted", "  what to do: nothing was written"]
    assert all(line.startswith("paper2fa: skipped") for line in lines[:-2])
    assert not os.path.exists(tmp_path / "v.json")
