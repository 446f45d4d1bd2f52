"""An error names the file, device or part it came from in its `source` field, never in its
words: the CLI shows the place (escaped, shortened) before the words, `--json` as fields.

The scan reads the AST of every module in toolkit/: no error is made from an f-string that
puts a path (a variable that holds one: `path`, `target`, `device`, `self.path`,
`args.vault`, `info.filename`...) into the sentence, whether it begins the sentence
(f"{path} is a folder") or sits inside it (f"the camera {path} is busy"). The allow-list is
small and says why for each entry.
"""

from __future__ import annotations

import ast
import io
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from toolkit_sources import ModuleScan, called_name, findings, is_error_class

from toolkit import constants as C
from toolkit import fsio
from toolkit.camera import open_source
from toolkit.errors import (
    CameraNotFoundError,
    FormatError,
    InputFileError,
    NotACameraError,
    OutputExistsError,
    Source,
)
from toolkit.importers import import_bytes
from toolkit.model import Account, Vault, vault_to_json

PATH_NAMES = frozenset({"path", "target", "device", "filename", "file", "folder", "vault", "csv",
                        "output", "against"})
"""Names (of variables or attributes) that hold a path in toolkit/, wherever they stand in an
error's words."""

FIRST_NAMES = PATH_NAMES | {"p", "shown", "where", "source"}
"""Names that hold a path or a place when they begin an error's words (f"{p} is a folder"),
though elsewhere in toolkit/ they hold other things too (`shown` a version, `p` a KDF
parameter), so only the first value is judged by them."""

WRAPPERS = frozenset({"visible", "quoted", "shortened", "str", "repr", "fspath", "Path"})
"""Calls that show a path without changing what it is (`visible(path)` is still a path)."""

ALLOWED = {
    # the path is what the paper is compared with (`verify --against`), not where the error
    # came from: the error is about the paper, and its words say which vault was compared
    ("cli/restore_cmds.py", "cmd_verify"),
}
"""(module, function) pairs allowed to put a path into an error's words, each with its reason."""


def _path_like(node: ast.expr, names: frozenset[str] = PATH_NAMES) -> bool:
    """`path`, `self.path`, `args.vault`, `info.filename`, or any of them in a wrapper."""
    while isinstance(node, ast.Call) and node.args and called_name(node.func) in WRAPPERS:
        node = node.args[0]
    if isinstance(node, ast.BoolOp):  # `args.csv or args.file`
        return any(_path_like(value, names) for value in node.values)
    if isinstance(node, ast.Name):
        return node.id in names
    if isinstance(node, ast.Attribute):
        return node.attr in names
    return False


def _places_in_words(words: ast.expr) -> list[ast.expr]:
    """The path-like values an error's words are built from (f-strings and `+`)."""
    if isinstance(words, ast.JoinedStr):
        values = [part.value for part in words.values if isinstance(part, ast.FormattedValue)]
        first = words.values[0] if words.values else None
        return [value for value in values if _path_like(value) or (
            isinstance(first, ast.FormattedValue) and value is first.value
            and _path_like(value, FIRST_NAMES))]
    if isinstance(words, ast.IfExp):  # `f"..." if tag else f"{path} has none"`
        return _places_in_words(words.body) + _places_in_words(words.orelse)
    if isinstance(words, ast.BinOp) and isinstance(words.op, ast.Add):
        left = ([words.left] if _path_like(words.left, FIRST_NAMES)
                else _places_in_words(words.left))
        right = [words.right] if _path_like(words.right) else _places_in_words(words.right)
        return left + right
    return []


class _Finder(ModuleScan):
    def visit_Call(self, node: ast.Call) -> None:
        if is_error_class(node.func) and node.args and _places_in_words(node.args[0]):
            self.flag(node)
        self.generic_visit(node)


def places_in_messages(source: str, module: str) -> list[str]:
    """Every error in `source` whose words hold a path (it belongs in `source=`)."""
    return _Finder(module, ALLOWED).scan(source)


def test_no_error_puts_a_path_into_its_words() -> None:
    found = findings(places_in_messages)
    assert not found, "a path in an error's words (give it as source=Source(file=...)):\n" + (
        "\n".join(found))


def test_the_scan_catches_a_path_at_the_start_or_inside_the_words() -> None:
    caught = [
        "raise InputFileError(f'{p} is a folder, not a file')",
        "raise OutputExistsError(f'{target} exists already')",
        "raise VideoFormatError(f'{self.path} holds no picture')",
        "raise UsageError(f'{args.vault} has no accounts')",
        "raise FormatError(f'{visible(path)} is not a text file')",
        "raise FormatError(f'{info.filename} is too large', source=Source(label=app))",
        "return CameraBusyError(f'the camera {path} is in use by another program')",
        "raise FormatError(f'{args.csv or args.file} holds no recovery code')",
        "raise InputFileError(path + ' is not UTF-8 text')",
        "raise errors.CameraError(f'the camera {quoted(device)} sent no picture')",
        "raise UsageError(f'no tag {tag}' if tag else f'{visible(args.source)} has none')",
    ]
    for source in caught:
        assert len(places_in_messages(source, "example.py")) == 1, source
    innocent = [
        "raise InputFileError('this is a folder, not a file', source=Source(file=str(p)))",
        "raise CameraError(f'the camera sent no picture for {seconds:.0f} s', "
        "source=Source(file=path))",
        "raise AccountError(f'{wrong} of {count} typed secrets are wrong')",
        "raise ScanError(f'the {what} has {count} pages')",
        "message = f'{path} is read'",  # not an error's words
        "raise ValueError(f'unknown kind {kind!r}')",
    ]
    for source in innocent:
        assert places_in_messages(source, "example.py") == [], source


# --- the field, for a few of the errors that used to glue their path -----------------------


def test_a_missing_video_file_carries_its_path_as_given(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CameraNotFoundError) as caught:
        open_source("missing.mp4")
    assert caught.value.source == Source(file="missing.mp4")
    assert "missing.mp4" not in caught.value.message
    assert caught.value.exit_code == 3


def test_a_missing_camera_device_carries_its_path() -> None:
    device = "/dev/video-paper2fa-test-none"
    with pytest.raises(CameraNotFoundError) as caught:
        open_source(device)
    assert caught.value.source == Source(file=device)
    assert caught.value.message == "no camera found: no such device"
    assert caught.value.located == f"{device}: no camera found: no such device"


def test_a_device_that_is_not_a_camera_carries_its_path() -> None:
    with pytest.raises(NotACameraError) as caught:
        open_source("/dev/null")
    assert caught.value.source == Source(file="/dev/null")
    assert caught.value.message == "not a video capture device"
    assert caught.value.exit_code == 3


def test_a_folder_given_as_the_camera_carries_its_path(tmp_path: Path) -> None:
    with pytest.raises(NotACameraError) as caught:
        open_source(str(tmp_path))
    assert caught.value.source == Source(file=str(tmp_path))
    assert caught.value.message == "this is a folder, not a camera device or a video file"


def test_an_output_that_exists_carries_its_path(tmp_path: Path) -> None:
    taken = tmp_path / "vault.json"
    taken.write_text("{}")
    for refuse in (lambda: fsio.check_output_free(taken),
                   lambda: fsio.write_file(taken, b"new")):
        with pytest.raises(OutputExistsError) as caught:
            refuse()
        assert caught.value.source == Source(file=str(taken))
        assert caught.value.message == fsio.EXISTS and str(taken) not in caught.value.message
        assert caught.value.exit_code == 8
    assert taken.read_text() == "{}"


def test_an_input_that_is_a_folder_carries_its_path(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as caught:
        fsio.read_input(tmp_path)
    assert caught.value.source == Source(file=str(tmp_path))
    assert caught.value.message == fsio.FOLDER and caught.value.exit_code == 3


def _winauth_zip(name: str, size: int) -> bytes:
    buffer = io.BytesIO()
    line = b"otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example\n"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, line * (size // len(line) + 1))
    return buffer.getvalue()


def test_a_zip_member_too_large_is_placed_by_app_and_member(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(C, "MAX_DECOMPRESSED_BYTES", 10_000)
    name = "winauth-2024-01-01\x1b[2J.txt"
    data = _winauth_zip(name, 20_000)
    with pytest.raises(FormatError) as caught:
        import_bytes(data, "winauth.zip")
    error = caught.value
    assert error.source == Source(label="WinAuth zip member 'winauth-2024-01-01\\x1b[2J.txt'")
    assert error.message.startswith("it would expand to ") and name not in error.message
    assert "\x1b" not in error.located and error.exit_code == 4


def test_a_sealed_vault_given_to_an_importer_carries_its_file_name() -> None:
    with pytest.raises(FormatError) as caught:
        import_bytes(C.SEALED_MAGIC + b"\x00" * 64, "backup.p2fa")
    assert caught.value.source == Source(file="backup.p2fa")
    assert caught.value.message.startswith("this is a paper2fa sealed vault, not an app export")


# --- on the terminal: one line, the place first, escaped ------------------------------------


def _vault(folder: Path) -> Path:
    vault = folder / "vault.json"
    vault.write_bytes(vault_to_json(Vault((Account(issuer="Example", name="alice",
                                                   secret=b"0123456789"),))))
    return vault


def test_the_cli_line_names_an_existing_output_once(cli: Any, tmp_path: Path) -> None:
    vault = _vault(tmp_path)
    out = tmp_path / "out\x1b[2J.json"
    out.write_text("keep")
    r = cli("import", vault, "-o", out)
    assert r.code == 8, r.err
    line, hint = r.err.splitlines()
    shown = str(out).replace("\x1b", "\\x1b")
    assert line == f"paper2fa: error: {shown}: {fsio.EXISTS}"
    assert hint.startswith("  what to do: ") and out.read_text() == "keep"


def test_the_cli_line_names_a_secret_file_that_is_not_utf8(cli: Any, tmp_path: Path) -> None:
    vault = _vault(tmp_path)
    phrase = tmp_path / "phrase.txt"
    phrase.write_bytes(b"\xff\xfe\x00bad")
    out = tmp_path / "sealed.p2fa"
    r = cli("seal", vault, "--passphrase-file", phrase, "-o", out)
    assert r.code == 3, r.err
    line = r.err.splitlines()[0]
    assert line.startswith(f"paper2fa: error: {phrase}: this is not UTF-8 text")
    assert line.count(str(phrase)) == 1 and not os.path.exists(out)


def test_the_cli_line_names_a_vault_with_nothing_to_print(cli: Any, tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_bytes(vault_to_json(Vault(())))
    out = tmp_path / "sheets.pdf"
    r = cli("print", empty, "-o", out)
    assert r.code == 2, r.err
    assert r.err.splitlines()[0] == f"paper2fa: error: {empty}: no accounts to print"
    assert not out.exists()


def test_the_cli_line_names_a_gauth_output_that_is_no_pdf_png_or_folder(cli: Any,
                                                                         tmp_path: Path) -> None:
    out = tmp_path / "codes.txt"
    r = cli("export", _vault(tmp_path), "--format", "gauth-qr", "-o", out)
    assert r.code == 2, r.err
    assert r.err.splitlines()[0] == (f"paper2fa: error: -o {out}: give a FILE.pdf, a NAME.png "
                                     "or a FOLDER/ for gauth-qr")
    assert not out.exists()
