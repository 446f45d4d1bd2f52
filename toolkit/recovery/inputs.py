"""Inputs: the files and folders given to restore, verify, scan and combine, read into a state.

One rule for every command: a file named on the command line must be something paper2fa reads
(a scan, a sealed vault, a text fallback, a share or words file), else it is an error naming it;
a file found inside a folder that is none of these is skipped with a note. Pages are decoded one
at a time and their images dropped; only what the codes said is kept. When the first pass
leaves frames missing, the pages that could hold them (and pages with codes seen but not read)
are decoded again with every decoder.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from toolkit import envelope, fsio, scan, sharing, textlines
from toolkit.camera.guidance import Advice, photo_advice
from toolkit.errors import (
    InputFileError,
    Paper2faError,
    ScanError,
    Source,
    UsageError,
    WorkLimitError,
)
from toolkit.model import is_vault_json
from toolkit.progress import NO_PROGRESS, Progress
from toolkit.recovery import damage
from toolkit.recovery.documents import pages_to_reread
from toolkit.recovery.needs import ReadingAgain, ReadingNotice, Skipped, SkipReason
from toolkit.recovery.state import RecoveryState
from toolkit.texts import DEFAULT_LANGUAGE

MIN_DPI, MAX_DPI = 50, 1200
"""`--dpi` bounds: below 50 no QR code reads, above 1200 a page is hundreds of megapixels."""

Tell = Callable[[ReadingNotice], None]
"""Where what happens while reading is told (a value: toolkit.recovery.wording words it)."""

REFUSED = {SkipReason.VAULT_JSON: "a vault JSON file (already restored), not a scan",
           SkipReason.EMPTY: "the file is empty",
           SkipReason.NOT_OURS_TEXT: "not a text fallback or a share file"}
"""The error for a file given by name that is one of these (a file met in a folder is skipped
and told as a `Skipped` value instead)."""


class InputKind(StrEnum):
    SCAN = "scan"
    SEALED = "sealed"
    TEXT = "text"
    VAULT_JSON = "vault-json"
    OTHER = "other"


@dataclass(frozen=True)
class InputFile:
    """A file to read, and whether it was named (True) or found in a folder (False)."""

    path: Path
    named: bool


def _folder_files(folder: Path) -> list[Path]:
    files: list[Path] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files.extend(Path(root) / n for n in sorted(names) if not n.startswith("."))
    return files


def walk(paths: Iterable[str | os.PathLike[str]]) -> list[InputFile]:
    """The files named and those inside the folders named (hidden ones skipped)."""
    files: list[InputFile] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(InputFile(f, False) for f in _folder_files(path))
        elif path.exists() or path.is_symlink():
            files.append(InputFile(path, True))
        else:
            raise InputFileError("no such file or folder", source=Source(file=str(path)))
    return files


def kind_of(path: Path, data: bytes) -> InputKind:
    """What a file is, from its bytes (its name only tells text files in folders apart)."""
    if envelope.is_sealed(data):
        return InputKind.SEALED
    if data.startswith(scan.PDF_MAGIC):
        return InputKind.SCAN
    text = as_text(data)
    if text is not None:
        if is_vault_json(data):
            return InputKind.VAULT_JSON
        return InputKind.TEXT
    return InputKind.SCAN if data else InputKind.OTHER


def as_text(data: bytes) -> str | None:
    """The text of a file that is UTF-8 text, None for anything else (images, binaries)."""
    if b"\x00" in data[:4096]:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if not text.strip() or any(ord(ch) < 9 for ch in text[:4096]):
        return None
    return text


def check_dpi(dpi: int | None) -> None:
    if dpi is not None and not MIN_DPI <= dpi <= MAX_DPI:
        raise UsageError(f"a resolution of {dpi} DPI is outside {MIN_DPI}..{MAX_DPI}")


# --- pages -------------------------------------------------------------------------------------


def pages_to_read(items: Iterable[InputFile]) -> int:
    """The pages of the scans among `items`, to say how far reading them is (a file that cannot
    be read counts none here: reading it says why)."""
    pages = 0
    for item in items:
        try:
            data = fsio.read_input(item.path)
        except Paper2faError:
            continue
        if kind_of(item.path, data) is InputKind.SCAN:
            pages += scan.page_count(data)
    return pages


@dataclass
class Reader:
    """Reads inputs into a state; one work budget (scan.WorkBudget) bounds the whole run.

    Each page decoded is a `progress` step, noted with the QR codes found so far (`found`)."""

    state: RecoveryState
    tell: Tell
    dpi: int | None = None
    budget: scan.WorkBudget = field(default_factory=scan.WorkBudget)
    progress: Progress = NO_PROGRESS
    found: int = 0
    advise: bool = True
    """Look at pages that did not read completely for advice (toolkit.camera.photo_advice)."""
    lang: str = DEFAULT_LANGUAGE
    """The language of why a sealed vault file given does not read."""

    def pages(self, item: InputFile, data: bytes, effort: scan.Effort,
              only: set[int] | None = None
              ) -> Iterator[tuple[scan.PageScan, int, Advice | None]]:
        """Each page of one scan decoded (its image dropped), with the file's page count and,
        for a page whose codes did not all read, the advice for a better photo."""
        count = scan.page_count(data)
        images = scan.images_of(data, self.dpi, budget=self.budget)
        number = 0
        while True:
            try:
                image = next(images, None)
            except ScanError as exc:
                if item.named or isinstance(exc, WorkLimitError):
                    raise exc.opened_at(Source(file=str(item.path))) from None
                self.tell(Skipped(str(item.path), SkipReason.UNREADABLE,
                                  exc.opened_at(Source(file=str(item.path)))))
                return
            if image is None:
                return
            number += 1
            if only is not None and number not in only:
                continue
            page = scan.read_page(image, number, str(item.path), effort)
            advice = None
            if self.advise and (page.unreadable or not page.codes) and page.passes != ("blank",):
                advice = photo_advice(image, page)
            del image
            self.found += len(page.codes)
            self.progress.note(f"{self.found} QR code{'s' if self.found != 1 else ''} found")
            self.progress.advance()
            yield page, count, advice

    def read(self, items: Iterable[InputFile], effort: scan.Effort) -> list[InputFile]:
        """First pass over every input; returns the scans (to read again if needed)."""
        scans: list[InputFile] = []
        for item in items:
            try:
                data = fsio.read_input(item.path)
            except InputFileError as exc:
                if item.named:
                    raise
                self.tell(Skipped(str(item.path), SkipReason.UNREADABLE,
                                  exc.opened_at(Source(file=str(item.path)))))
                continue
            if self.read_data(item, data, effort) is InputKind.SCAN:
                scans.append(item)
        return scans

    def read_data(self, item: InputFile, data: bytes, effort: scan.Effort) -> InputKind:
        """One input's bytes into the state, by what they are; returns what they were."""
        kind = kind_of(item.path, data)
        if kind is InputKind.SEALED:
            self._sealed(item, data)
        elif kind is InputKind.TEXT:
            self._text(item, data)
        elif kind is InputKind.VAULT_JSON:
            self._refuse(item, SkipReason.VAULT_JSON)
        elif kind is InputKind.SCAN:
            for page, count, advice in self.pages(item, data, effort):
                self.state.add_page(page, count, advice)
        else:
            self._refuse(item, SkipReason.EMPTY)
        return kind

    def _refuse(self, item: InputFile, why: SkipReason,
                error: Paper2faError | None = None) -> None:
        """A file given by name that cannot be read is an error (`why`, the file its source);
        one met in a folder is skipped and said."""
        if item.named:
            what = REFUSED[why] + (f" ({error.located})" if error is not None else "")
            raise ScanError(what, source=Source(file=str(item.path)),
                            hint="give scans (PDF, PNG, JPEG, TIFF, HEIC), sealed vault files, "
                            "share files, text fallbacks, or folders of them")
        self.tell(Skipped(str(item.path), why, error))

    def _sealed(self, item: InputFile, data: bytes) -> None:
        found = damage.of_sealed_file(data)
        if found is not None:
            raise damage.sealed_error(found, self.lang, Source(file=str(item.path)))
        self.state.add_sealed_file(data, item.path.name)

    def _text(self, item: InputFile, data: bytes) -> None:
        text = as_text(data)
        assert text is not None
        if not item.named and item.path.suffix.lower() not in (".txt", ".text"):
            self.tell(Skipped(str(item.path), SkipReason.TEXT_NOT_TXT))
            return
        if textlines.TEXT_MAGIC in text.upper():
            try:
                self.state.add_text_fallback(text, item.path.name)
            except Paper2faError as exc:
                found = damage.of_text_fallback(text)
                if found is not None:  # it reads, but the sealed vault in it does not
                    raise damage.sealed_error(found, self.lang,
                                              Source(file=str(item.path))) from None
                raise exc.opened_at(Source(file=str(item.path))) from None
            return
        try:
            share = sharing.share_from_file_text(text)
        except Paper2faError as exc:
            self._refuse(item, SkipReason.NOT_OURS_TEXT, exc)
            return
        self.state.add_share(share, item.path.name, typed=True)


def read_inputs(state: RecoveryState, paths: Iterable[str | os.PathLike[str]], tell: Tell, *,
                dpi: int | None = None, thorough: bool = False,
                wanted: Callable[[], bool] | None = None,
                progress: Progress = NO_PROGRESS, lang: str = DEFAULT_LANGUAGE) -> None:
    """Read every input into `state`. Unless `thorough`, pages are first decoded quickly; when
    `wanted()` says more is needed, pages that could hold what is missing are decoded again with
    every decoder, and `tell` says why. `progress` gets the stage "pages read" (a step per page
    of the scans, the QR codes found so far as a note), and "pages read again" when it comes.
    A sealed vault file (or text fallback) that does not read says why in `lang`."""
    check_dpi(dpi)
    reader = Reader(state, tell, dpi, progress=progress, lang=lang)
    items = walk(paths)
    progress.start(pages_to_read(items), "pages read")
    scans = reader.read(items, "full" if thorough else "auto")
    if thorough or not scans or (wanted is not None and not wanted()):
        return
    retry = _pages_to_retry(state)
    if not retry:
        return
    pages = sum(len(v) for v in retry.values())
    tell(ReadingAgain(pages, sum(r.unreadable for r in state.pages)))
    progress.start(pages, "pages read again")
    reader.found = 0
    for item in scans:
        numbers = retry.get(str(item.path))
        if not numbers:
            continue
        data = fsio.read_input(item.path)
        for page, count, advice in reader.pages(item, data, "full", only=numbers):
            state.add_page(page, count, advice)


def scan_pages(paths: Iterable[str | os.PathLike[str]], tell: Tell, *, dpi: int | None = None,
               thorough: bool = False,
               progress: Progress = NO_PROGRESS) -> list[tuple[scan.PageScan, int]]:
    """Every page of the scans among `paths`, decoded, with its file's page count (for
    `paper2fa scan`, which lists them); files that are not scans are skipped, and `tell` says
    so. Nothing is grouped or kept."""
    check_dpi(dpi)
    reader = Reader(RecoveryState(), tell, dpi, progress=progress, advise=False)
    items = walk(paths)
    progress.start(pages_to_read(items), "pages read")
    pages: list[tuple[scan.PageScan, int]] = []
    for item in items:
        data = fsio.read_input(item.path)
        kind = kind_of(item.path, data)
        if kind is not InputKind.SCAN:
            tell(Skipped(str(item.path), SkipReason.SEALED_NOT_SCAN if kind is InputKind.SEALED
                         else SkipReason.NOT_A_SCAN))
            continue
        pages.extend((page, count) for page, count, _ in
                     reader.pages(item, data, "full" if thorough else "auto"))
    return pages


def _pages_to_retry(state: RecoveryState) -> dict[str, set[int]]:
    """Pages worth a second, slower look: codes seen but not read, pages that should show
    frames still missing, and (when no frame was read at all) pages that gave no code."""
    retry: dict[str, set[int]] = {}
    for record in state.pages:
        if record.unreadable:
            retry.setdefault(record.source, set()).add(record.page)
    docs = state.documents()
    for doc in docs:
        for page in pages_to_reread(doc, state.page_frames(doc.doc_id)):
            retry.setdefault(page.source, set()).add(page.page)
    if not docs:
        for record in state.pages:
            if not record.ours:
                retry.setdefault(record.source, set()).add(record.page)
    return retry
