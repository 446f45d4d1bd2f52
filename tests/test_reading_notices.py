"""What a restore tells while it reads its inputs (a file in a folder skipped, pages read again)
is a value (toolkit.recovery.needs: Skipped, ReadingAgain), worded from
templates/<lang>/restore_messages.toml [reading] in the reader's language: restore --lang de
tells a German restorer in German which file it skipped and why."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.errors import InputFileError, Source
from toolkit.recovery import (
    ReadingAgain,
    RecoveryState,
    Skipped,
    SkipReason,
    reading_text,
)
from toolkit.recovery.inputs import Reader, walk
from toolkit.texts import languages

NOTICES = [
    Skipped("scans/vault.json", SkipReason.VAULT_JSON),
    Skipped("scans/empty.png", SkipReason.EMPTY),
    Skipped("scans/notes", SkipReason.TEXT_NOT_TXT),
    Skipped("scans/notes.txt", SkipReason.NOT_OURS_TEXT,
            InputFileError("line 1 is not share words", source=Source(line=1))),
    Skipped("scans/vault.p2fa", SkipReason.SEALED_NOT_SCAN),
    Skipped("scans/x.bin", SkipReason.NOT_A_SCAN),
    Skipped("scans/bad.pdf", SkipReason.UNREADABLE,
            InputFileError("cannot be read", source=Source(file="scans/bad.pdf"))),
    ReadingAgain(1, 1), ReadingAgain(3, 2), ReadingAgain(1, 0), ReadingAgain(2, 0),
]


@pytest.mark.parametrize("lang", languages())
def test_every_reading_notice_has_words_in_every_language(lang: str) -> None:
    for notice in NOTICES:
        text = reading_text(notice, lang)
        assert "{" not in text and "}" not in text, (lang, notice, text)
        if isinstance(notice, Skipped):
            assert notice.path in text
        else:
            assert str(notice.pages) in text
            if notice.unreadable:
                assert str(notice.unreadable) in text
    # each reason its own words
    reasons = [reading_text(n, lang) for n in NOTICES[:6]]
    assert len(set(reasons)) == len(reasons)
    one, more = reading_text(ReadingAgain(1, 1), lang), reading_text(ReadingAgain(3, 2), lang)
    assert one.replace("1", "") != more.replace("3", "").replace("2", "")


def test_a_folder_is_read_whatever_its_junk_and_each_skip_is_a_value(tmp_path: Path) -> None:
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "notes").write_text("my scans\n")
    (tmp_path / "notes.txt").write_text("my scans\n")
    (tmp_path / "vault.json").write_text('{"version": 1, "accounts": []}')
    told: list[object] = []
    Reader(RecoveryState(), told.append).read(walk([tmp_path]), "auto")
    reasons = {Path(n.path).name: n.reason for n in told if isinstance(n, Skipped)}
    assert reasons["notes.txt"] is SkipReason.NOT_OURS_TEXT
    assert reasons["empty.png"] is SkipReason.EMPTY
    assert len(told) == len(reasons)


def test_restore_tells_a_german_restorer_which_file_it_skipped_in_german(tmp_path: Path) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "notes.txt").write_text("my scans\n")
    run = subprocess.run([sys.executable, "-m", "toolkit", "restore", str(folder), "-o",
                          str(tmp_path / "out.json"), "--lang", "de"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert "notes.txt übersprungen: weder die Textzeilen des Tresors noch die Datei eines " \
           "Teils" in run.stderr, run.stderr
    assert not (tmp_path / "out.json").exists()
