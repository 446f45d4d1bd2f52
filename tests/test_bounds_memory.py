"""Issue 21: inputs that were accepted and then took over 1 GiB or 10 s, each refused early now.

Each input is made here, small on disk (streams that compress about 1000 to 1), by the fuzz
corpus' own generators (tests/fuzz/corpus.py, families `pdf-inflate-bomb`, `tiff-huge-frames`,
`json-many-values`). Through the installed program: the exit code, one error line, nothing
written, and the peak memory the kernel counted for the process and its children (wait4).
In-process: the work done before the refusal, counted (pages and pixels charged, values
counted, JSON documents parsed), never timed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fuzz import corpus
from test_bounds import GIB, measured, one_error

from toolkit import constants as C
from toolkit import importers, json_input, scan
from toolkit.errors import FormatError, ScanError
from toolkit.importers import base

MIB = 1024 * 1024


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four reproducers of issue 21, written once for this module (3.3 MB in all)."""
    folder = tmp_path_factory.mktemp("issue21")
    (folder / "inflates-1gib.pdf").write_bytes(corpus.pdf_inflating(1 << 30))
    (folder / "12-frames.tif").write_bytes(corpus.tiff_shared_strip(12_000, 12_000, 12))
    (folder / "aegis-400k.json").write_bytes(corpus.aegis_many_entries(400_000))
    (folder / "keys-1m.json").write_bytes(corpus.json_many_keys(C.MAX_JSON_VALUES + 1))
    return folder


# --- a PDF whose content stream inflates to 1 GiB -----------------------------------------------


@pytest.mark.parametrize("command", ["scan", "restore"])  # verify reads scans as restore does
def test_a_pdf_inflating_to_1_gib_is_one_error_within_memory(bombs: Path, tmp_path: Path,
                                                             command: str) -> None:
    """1 MB on disk; pdfium took 2.1 GiB inflating it. Its child process stops at its limit."""
    pdf = bombs / "inflates-1gib.pdf"
    assert pdf.stat().st_size < 1.1 * MIB
    args: list[str | Path] = [command, pdf]
    if command == "restore":
        args += ["-o", tmp_path / "v.json"]
    result = measured(*args)
    one_error(result, 11, "inflates-1gib.pdf", "page 1: this page needs more memory")
    assert result.peak_bytes < GIB, result
    assert list(tmp_path.iterdir()) == []


def test_the_pdf_child_is_held_to_its_address_space(bombs: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted, not timed: with the child's limit lowered to 256 MiB, the memory the child
    had resident (the kernel's count) stays within it, plus what it shared at the fork."""
    monkeypatch.setattr(C, "MAX_PDF_CHILD_BYTES", 256 * MIB)
    data = (bombs / "inflates-1gib.pdf").read_bytes()
    mapped = _status_bytes("VmSize")  # what the child may keep resident of the parent's
    # a forked child's peak (wait4) starts at the parent's own high-water mark (the kernel
    # copies it with the address space): only a peak above both says the child grew past its
    # limit
    high_water = _status_bytes("VmHWM")
    with scan.IsolatedPdf(data) as pdf:
        assert pdf.pages == 1
        with pytest.raises(ScanError, match=r"needs more memory to render .*256 MiB"):
            pdf.page_info(0, None)
    assert 0 < pdf.child_peak_bytes < max(high_water + MIB, mapped + 256 * MIB)

    budget = scan.WorkBudget()
    with pytest.raises(ScanError, match="page 1: this page needs more memory"):
        list(scan.images_of(data, budget=budget))
    assert budget.pages == 0  # refused while looking at page 1, before it was rendered


def _status_bytes(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no {field}")


def test_a_pdf_read_through_the_child_gives_the_same_pages() -> None:
    pdf = corpus.pdf([(200, 100), (72, 72)])
    with scan.IsolatedPdf(pdf) as isolated:
        assert isolated.pages == 2
        assert isolated.page_info(0, 144)[:2] == (200.0, 100.0)
    assert isolated.child_peak_bytes > 0  # the child was stopped and reaped on leaving
    assert scan.pdf_page_count(pdf) == 2
    pages = list(scan.pdf_pages(pdf, 144))
    assert [p.size for p in pages] == [(1, 1), (1, 1)]  # blank pages are not rendered
    with pytest.raises(ScanError, match="the PDF cannot be read"):
        scan.pdf_page_count(b"%PDF-1.4 nothing else")


# --- a TIFF of 12 frames of 144 megapixels ------------------------------------------------------


def test_a_tiff_of_12_huge_frames_is_refused_before_any_is_decoded(bombs: Path) -> None:
    """19.2 s before; refused from the frames' headers now."""
    result = measured("scan", bombs / "12-frames.tif")
    one_error(result, 11, "12-frames.tif", "12 pages are too large to read",
              "1428 megapixels beyond 25 per page")
    assert result.peak_bytes < GIB / 4, result  # one 144-megapixel frame alone is 137 MiB

    budget = scan.WorkBudget()
    with pytest.raises(ScanError, match="too large to read"):
        next(scan.images_of((bombs / "12-frames.tif").read_bytes(), budget=budget))
    assert (budget.pages, budget.pixels) == (0, 0)  # nothing decoded, nothing charged


def test_oversize_pixels_are_added_up_over_the_frames_of_one_file() -> None:
    budget = scan.WorkBudget(page_pixels=100, file_oversize_pixels=1000)
    budget.check_file_pixels([(10, 10)] * 3000, "image file")  # within the page size: free
    budget.check_file_pixels([(20, 55)] * 1, "image file")  # 1000 over
    with pytest.raises(ScanError, match="too large"):
        budget.check_file_pixels([(20, 55), (101, 1)], "image file")  # 1001 over
    # one frame past MAX_IMAGE_PIXELS counts as that much (refused by name when reached)
    big = scan.WorkBudget(file_oversize_pixels=C.MAX_IMAGE_PIXELS)
    big.check_file_pixels([(60_000, 60_000)], "image file")


def test_a_tiff_whose_frames_fit_is_read_frame_by_frame() -> None:
    data = corpus.tiff_shared_strip(300, 200, 3)
    budget = scan.WorkBudget()
    pages = list(scan.images_of(data, budget=budget))
    assert [p.size for p in pages] == [(300, 200)] * 3
    assert (budget.pages, budget.pixels) == (3, 3 * 300 * 200)


# --- JSON: a 45 MB Aegis export of 400,000 entries, an object of a million keys ------------------


def _counting_loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = json.loads

    def loads(text: Any, **kwargs: Any) -> Any:
        calls.append(len(text))
        return real(text, **kwargs)

    monkeypatch.setattr(json, "loads", loads)  # the module json_input calls
    return calls


def test_an_aegis_export_of_400000_entries_is_refused_before_it_is_parsed(
        bombs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """1,071 MiB before it was refused; counted and refused in one pass over its bytes now."""
    export = bombs / "aegis-400k.json"
    assert 40 * MIB < export.stat().st_size < 50 * MIB
    result = measured("import", export, "-o", tmp_path / "v.json")
    one_error(result, 4, f"more than {C.MAX_JSON_VALUES} values")
    assert result.peak_bytes < GIB / 2, result
    assert list(tmp_path.iterdir()) == []

    data = export.read_bytes()
    structure = json_input.structure_of(data)
    assert C.MAX_JSON_VALUES < structure.values < C.MAX_JSON_VALUES + 20_000  # stopped at once
    assert len(structure.brackets) < 400_000 * 4 // 2  # 4 an entry: not kept past the limit
    calls = _counting_loads(monkeypatch)
    with pytest.raises(FormatError, match="values"):
        importers.import_bytes(data, "aegis.json", forced="aegis")
    assert calls == []


def test_a_json_object_of_a_million_and_one_keys_is_refused_before_it_is_parsed(
        bombs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """13.4 s before (parsed, then listed again by each of a dozen sniffers)."""
    result = measured("import", bombs / "keys-1m.json", "-o", tmp_path / "v.json")
    one_error(result, 4, f"more than {C.MAX_JSON_VALUES} values")
    assert list(tmp_path.iterdir()) == []
    calls = _counting_loads(monkeypatch)
    with pytest.raises(FormatError):
        importers.import_bytes((bombs / "keys-1m.json").read_bytes(), "keys.json")
    assert calls == []


def test_every_sniffer_shares_one_parse_and_one_key_set(monkeypatch: pytest.MonkeyPatch) -> None:
    data = corpus.json_many_keys(1000)
    calls = _counting_loads(monkeypatch)
    monkeypatch.setattr(base, "_last_json", None)
    monkeypatch.setattr(base, "_last_keys", None)
    with pytest.raises(FormatError, match="not a format"):
        importers.import_bytes(data, "keys.json")
    assert len(calls) == 1
    assert base.json_object_keys(data) is base.json_object_keys(data)


@pytest.mark.parametrize("text", [
    '{"a\\"b": ["[", "\\\\"], "c": {"d,": 1}}',
    '["\\\\\\"", ",,", {}]',
    '"just a string with , and ["',
])
def test_values_are_counted_outside_strings_also_across_chunks(
        text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = json_input.structure_of(text.encode())
    for chunk in (1, 2, 3, 5):
        monkeypatch.setattr(json_input, "_CHUNK", chunk)
        assert json_input.structure_of(text.encode()) == expected
    parsed = json.loads(text)
    assert expected.values == _values(parsed)


def _values(node: Any) -> int:
    """Containers plus separators: what `value_count` counts for valid JSON."""
    if isinstance(node, dict):
        return 1 + max(0, len(node) - 1) + sum(_values(v) for v in node.values())
    if isinstance(node, list):
        return 1 + max(0, len(node) - 1) + sum(_values(v) for v in node)
    return 0
