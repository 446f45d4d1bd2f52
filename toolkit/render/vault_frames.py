"""The whole vault (plain or sealed) as pages of frame QR codes, spread by toolkit.frames.layout
so that losing any one page loses nothing, and its optional text fallback."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from toolkit import frames as F
from toolkit import textlines
from toolkit.forked import Worker, cores
from toolkit.progress import NO_PROGRESS, Progress
from toolkit.render.fonts import SANS
from toolkit.render.layout import Block, Page, Paper, content_height, content_width
from toolkit.render.qr import (
    FRAME_MODULE,
    QrCode,
    draw_qr,
    ops_of,
    prepare,
    rows_of,
    supplied_by,
    supply_ops,
    supply_rows,
)
from toolkit.texts import fill, load_texts

GAP = 2 * mm
LABEL = 3.2 * mm


@dataclass(frozen=True)
class VaultFrames:
    """Frame texts with their numbers (1-based), page by page, and the text fallback lines
    (maybe none). The same for every sheet of a split, whatever the sheet's language."""

    pages: tuple[tuple[tuple[str, int], ...], ...]
    total: int
    needed: int | None
    fallback_lines: tuple[str, ...] = ()

    @property
    def texts(self) -> list[str]:
        return [text for page in self.pages for text, _ in page]


def _grid(paper: Paper, side: float, reserve: float) -> tuple[int, int]:
    cols = max(1, int((content_width(paper) + GAP) // (side + GAP)))
    rows = max(1, int((content_height(paper) - reserve) // (side + LABEL + GAP)))
    return cols, rows


class FramesAhead:
    """The frames of a payload, their QR codes encoded by a forked worker (`Worker`) while this
    process lays out the rest of the sheet: `plan_frames` then takes the codes it has made and
    encodes the remaining ones itself, from the last frame back, until the two meet. Given
    `uris` (the account codes, in the order the sheet lays them out), the worker encodes them
    first, with their path operators, and this process takes each in when it needs it (or
    encodes it itself if the worker has not got there yet).

    Only with two cores and enough frames; otherwise `plan_frames` encodes them all here."""

    MIN_FRAMES = 8

    def __init__(self, payload: bytes, kind: str, uris: Sequence[str] = ()) -> None:
        self.frames = F.encode_frames(payload, kind, F.doc_id_for(payload))
        self.kind = kind
        self.uris = list(uris)
        self.worker: Worker | None = None
        self._supplying: contextlib.ExitStack | None = None
        self._pending = bytearray()
        self._received = 0
        self._mine = 0
        self._frames_theirs = 0

    def __enter__(self) -> FramesAhead:
        if cores() >= 2 and len(self.frames) >= self.MIN_FRAMES:
            self.worker = Worker(self._encode).__enter__()
            self._supplying = contextlib.ExitStack()
            self._supplying.enter_context(supplied_by(self._take_in))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._supplying is not None:
            self._supplying.close()
            self._supplying = None
        if self.worker is not None:
            self.worker.__exit__()
            self.worker = None

    def _encode(self, sink: BinaryIO) -> None:  # pragma: no cover - the worker
        for uri in self.uris:
            try:
                rows, ops = rows_of(uri), ops_of(uri).encode()
            except ValueError:  # too long for a code: the sheet says so, no code to make
                rows, ops = (), b""
            self._send(sink, rows, ops)
        for frame in self.frames:
            self._send(sink, rows_of(frame.text), b"")

    @staticmethod
    def _send(sink: BinaryIO, rows: tuple[bytes, ...], ops: bytes) -> None:  # pragma: no cover
        sink.write(len(rows).to_bytes(2, "big") + b"".join(rows) + len(ops).to_bytes(4, "big")
                   + ops)
        sink.flush()

    def _take_in(self) -> None:
        """Take in every whole record the worker has sent so far."""
        if self.worker is None:
            return
        self.worker.read_some(self._pending)
        pending = self._pending
        while len(pending) >= 2:
            side = int.from_bytes(pending[:2], "big")
            cut = 2 + side * side
            if len(pending) < cut + 4:
                return
            end = cut + 4 + int.from_bytes(pending[cut:cut + 4], "big")
            if len(pending) < end:
                return
            rows = tuple(bytes(pending[2 + r * side:2 + (r + 1) * side]) for r in range(side))
            ops = pending[cut + 4:end].decode()
            del pending[:end]
            index = self._received
            self._received += 1
            if index < len(self.uris):
                if side:
                    supply_rows(self.uris[index], rows)
                    supply_ops(self.uris[index], ops)
            elif index - len(self.uris) < len(self.frames) - self._mine:
                supply_rows(self.frames[index - len(self.uris)].text, rows)
                self._frames_theirs += 1

    def encode(self, progress: Progress) -> None:
        """Every frame's code encoded (here or by the worker), a `progress` step each."""
        texts = [frame.text for frame in self.frames]
        if self.worker is None:
            for text in texts:
                prepare(text)
                progress.advance()
            return
        counted = 0
        while True:
            self._take_in()
            progress.advance(self._frames_theirs - counted)
            counted = self._frames_theirs
            if self._frames_theirs + self._mine >= len(texts):
                break
            self._mine += 1
            prepare(texts[len(texts) - self._mine])
            progress.advance()
        self.__exit__()  # the worker would go on with frames made here: stopped now


def plan_frames(payload: bytes, kind: str, paper: Paper, reserve: float,
                text_fallback: bool = False,
                progress: Progress = NO_PROGRESS, ahead: FramesAhead | None = None) -> VaultFrames:
    """Cut `payload` into frames and deal them over pages that leave `reserve` points free;
    their QR codes are encoded here (or by `ahead`, made from the same payload and kind), a
    `progress` step each."""
    if ahead is None:
        ahead = FramesAhead(payload, kind)
    frames = ahead.frames
    progress.start(len(frames), "vault QR codes made")
    ahead.encode(progress)
    side = max(QrCode(f.text).size(FRAME_MODULE) for f in frames[:1] + frames[-1:])
    cols, rows = _grid(paper, side, reserve)
    sheets = F.layout(frames, cols * rows)
    shapes = F.block_shapes(frames[0].payload_length, frames[0].chunk_size)
    needed = shapes[0].k if len(shapes) == 1 else None
    fallback: tuple[str, ...] = ()
    if text_fallback:
        fallback = tuple(textlines.encode_text(payload, kind).splitlines())
    pages = tuple(tuple((f.text, f.number) for f in sheet) for sheet in sheets)
    return VaultFrames(pages, len(frames), needed, fallback)


def frame_rows(items: Sequence[tuple[str, int]], total: int, label: str,
               paper: Paper) -> list[Block]:
    """Rows of frame QR codes, each with its label underneath (`label`: the template
    "frame {number} of {total}" of the sheet's language)."""
    if not items:
        return []
    codes = [(QrCode(text), fill(label, number=number, total=total)) for text, number in items]
    side = max(code.size(FRAME_MODULE) for code, _ in codes)
    cols, _ = _grid(paper, side, 0)
    used = min(cols, len(codes))
    shift = (content_width(paper) - used * side - (used - 1) * GAP) / 2
    rows: list[Block] = []
    for start in range(0, len(codes), cols):
        row = codes[start : start + cols]

        def draw(c: Canvas, x: float, y: float, row: list[tuple[QrCode, str]] = row) -> None:
            for i, (code, caption) in enumerate(row):
                cx = x + shift + i * (side + GAP)
                draw_qr(c, code, cx, y, FRAME_MODULE)
                c.setFont(SANS, 6.5)
                c.drawCentredString(cx + side / 2, y - side - 2.4 * mm, caption)

        rows.append(Block(side + LABEL + GAP, draw))
    return rows


def frame_pages(frames: VaultFrames, title: str, head: Sequence[Block], paper: Paper,
                lang: str) -> list[Page]:
    """One page per layout page: the `head` blocks, then that page's codes."""
    label = load_texts("common", lang)["frame_label"]
    pages = []
    for items in frames.pages:
        page = Page(title, fixed=True)
        y = 0.0
        for block in [*head, *frame_rows(items, frames.total, label, paper)]:
            page.blocks.append((y, block))
            y += block.height
        if y > content_height(paper) + 0.01:
            raise ValueError("frame codes do not fit the page")
        pages.append(page)
    if pages:
        pages[-1].ends_section = True
    return pages


def reserve_of(head: Sequence[Block]) -> float:
    return sum(b.height for b in head)
