"""Documents: the payloads carried by QR frames, text-fallback files and sealed-vault files.

One payload is one document, named by its frame document id (`frames.doc_id_for(payload)`),
so the frames of any sheet, a typed text fallback and a `vault.p2fa` file of the same payload
count as one. A complete document says what it holds: a sealed vault (its header), or a plain
vault (the home-safe backup). An incomplete sealed document still tells its set, generation
and date when its first frame was read. Which page to scan again is worked out here too, from
the frames that each scanned page showed (frames are dealt round-robin over a sheet's pages).
"""

from __future__ import annotations

import base64
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from toolkit import envelope
from toolkit import frames as F
from toolkit.envelope import HeaderPeek, SealedVault
from toolkit.errors import Paper2faError
from toolkit.model import Vault, vault_from_paper
from toolkit.recovery import damage
from toolkit.recovery.damage import Damage
from toolkit.recovery.needs import PageToRead

SEALED = "sealed"
PLAIN = "vault"
"""Document kinds, as in frames.FRAME_KINDS and textlines.TEXT_KINDS."""


@dataclass(frozen=True)
class PageFrames:
    """The frames of one document read on one scanned page."""

    source: str
    page: int
    pages_in_file: int
    indices: frozenset[int]


@dataclass
class Document:
    """One payload, complete or not, and everything known about it."""

    doc_id: bytes
    kind: str
    sources: set[str] = field(default_factory=set)
    payload: bytes | None = field(default=None, repr=False)
    missing: F.Missing | None = None
    recovered: int = 0
    sealed: SealedVault | None = None
    vault: Vault | None = field(default=None, repr=False)
    peek: HeaderPeek | None = None
    damage: Damage | None = None
    """Why the frames or the payload give no vault, as a value."""

    @property
    def problem(self) -> str | None:
        """`damage` in English (`wording.damage_text` for another language)."""
        return self.damage.text if self.damage is not None else None

    @property
    def complete(self) -> bool:
        """The payload is rebuilt and reads as what its kind says."""
        return self.damage is None and (self.sealed is not None or self.vault is not None)

    @property
    def id_text(self) -> str:
        """The document id as people can compare it (8 base32 characters)."""
        return base64.b32encode(self.doc_id[:5]).decode("ascii")

    @property
    def header(self) -> envelope.Header | None:
        return self.sealed.header if self.sealed is not None else None

    @property
    def set_id(self) -> bytes | None:
        if self.header is not None:
            return self.header.set_id
        return self.peek.set_id if self.peek is not None else None

    @property
    def generation(self) -> int | None:
        if self.header is not None:
            return self.header.generation
        return self.peek.generation if self.peek is not None else None

    @property
    def scheme(self) -> int | None:
        if self.header is not None:
            return self.header.scheme
        return self.peek.scheme if self.peek is not None else None

    @property
    def created(self) -> date | None:
        if self.header is not None:
            return self.header.created
        return self.peek.created if self.peek is not None else None

    @property
    def fingerprint(self) -> str | None:
        """The vault fingerprint: from the sealed header, or of the plain vault."""
        if self.header is not None:
            return self.header.fingerprint_text
        if self.vault is not None:
            return self.vault.fingerprint
        if self.peek is not None and self.peek.fingerprint is not None:
            return envelope.fingerprint_text(self.peek.fingerprint)
        return None


def build_documents(collector: F.FrameCollector,
                    payloads: Iterable[tuple[bytes, str, str]],
                    frame_sources: Mapping[bytes, set[str]]) -> list[Document]:
    """Every document read, in document-id order: from the frames collected, then the payloads
    of text-fallback and sealed-vault files (kind "sealed"/"vault", source)."""
    docs: dict[bytes, Document] = {}
    for doc_id in sorted(collector.docs):
        missing = collector.missing(doc_id)
        doc = Document(doc_id, missing.kind, set(frame_sources.get(doc_id, ())), missing=missing)
        if missing.complete:
            judged = collector.judgement(doc_id)
            if judged.restored is None:
                doc.damage = damage.of_judgement(judged)
            else:
                doc.payload, doc.recovered = judged.restored.payload, judged.restored.recovered
        elif doc.kind == SEALED:
            first = collector.frame(doc_id, 0)
            if first is not None:
                doc.peek = envelope.peek_header(first.data[F.HASH_BYTES:])
        docs[doc_id] = doc
    for payload, kind, source in sorted(payloads, key=lambda p: (p[2], p[0])):
        doc_id = F.doc_id_for(payload)
        doc = docs.setdefault(doc_id, Document(doc_id, kind))
        doc.sources.add(source)
        if doc.payload is None and doc.damage is None:
            doc.payload = payload
    for doc in docs.values():
        _read_payload(doc)
    return [docs[d] for d in sorted(docs)]


def _read_payload(doc: Document) -> None:
    if doc.payload is None or doc.damage is not None:
        return
    try:
        if doc.kind == SEALED:
            doc.sealed = SealedVault.from_bytes(doc.payload)
        else:
            doc.vault = vault_from_paper(doc.payload)
    except Paper2faError as exc:
        doc.damage = (damage.of_sealed(doc.payload, exc) if doc.kind == SEALED
                      else damage.of_plain(exc))


# --- which page to scan again --------------------------------------------------------------


def frame_period(pages: Sequence[PageFrames]) -> int:
    """How many frame pages a sheet has, from the frames read together on each scanned page.

    Frames are dealt round-robin (toolkit.frames.layout), so the frames on one page differ by
    multiples of the page count; 0 when no page showed two frames or the pages disagree.
    """
    period = 0
    for page in pages:
        for a, b in itertools.pairwise(sorted(page.indices)):
            period = math.gcd(period, b - a)
    if period <= 0:
        return 0
    if any(len({i % period for i in p.indices}) != 1 for p in pages):
        return 0
    return period


def pages_to_reread(doc: Document, pages: Sequence[PageFrames]) -> list[PageFrames]:
    """Scanned pages that should have shown some of the frames still missing."""
    if doc.missing is None or doc.payload is not None:
        return []
    period = frame_period(pages)
    if not period:
        return list(pages)
    wanted = {(n - 1) % period for n in doc.missing.missing}
    return [p for p in pages if p.indices and min(p.indices) % period in wanted]


def pages_holding(missing: Sequence[int], pages: Sequence[PageFrames]) -> tuple[PageToRead, ...]:
    """Which pages hold the frames `missing` (1-based numbers), from the pages read: page N of
    any sheet, a one-page file again, or the page showing a frame (never read)."""
    seen = [p for p in pages if p.indices]
    period = frame_period(seen)
    if not period:
        return (PageToRead(frames=tuple(missing[:4]), again=True),)
    found: list[PageToRead] = []
    by_residue: dict[int, list[int]] = {}
    for number in missing:
        by_residue.setdefault((number - 1) % period, []).append(number)
    for residue, numbers in sorted(by_residue.items()):
        where = min((p for p in seen if min(p.indices) % period == residue),
                    key=lambda p: (p.source, p.page), default=None)
        if where is not None and where.pages_in_file > 1:
            found.append(PageToRead(page=where.page))
        elif where is not None:
            found.append(PageToRead(file=Path(where.source).name))
        else:
            found.append(PageToRead(frames=(numbers[0],)))
    return tuple(dict.fromkeys(found))


def join_numbers(numbers: Sequence[int]) -> str:
    """1 -> "1"; 1, 4 -> "1 and 4"; 1, 2, 4 -> "1, 2 and 4"."""
    shown = [str(n) for n in numbers]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")
