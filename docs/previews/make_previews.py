"""Render the demo sheets and save small PNG previews of their pages here (docs/previews/).

Run from the repository root:  .venv/bin/python docs/previews/make_previews.py
The share sheets use a fresh random split each time, so their previews change on every run.
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

import pypdfium2

from toolkit import envelope
from toolkit.audit import audit_vault
from toolkit.demo import demo_vault
from toolkit.render.checklist import audit_facts
from toolkit.render.home_safe import render_home_safe, render_home_safe_sealed
from toolkit.render.layout import PAPERS
from toolkit.render.split import render_split_pdfs
from toolkit.sharing import make_split

HERE = Path(__file__).resolve().parent
DATE = datetime(2026, 1, 1, tzinfo=UTC)
DPI = 60


def save_pages(pdf: bytes, stem: str, pages: list[int]) -> None:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        for number in pages:
            image = doc[number - 1].render(scale=DPI / 72, grayscale=True).to_pil()
            image = image.convert("L").quantize(16).convert("L")
            buf = io.BytesIO()
            image.save(buf, "PNG", optimize=True)
            path = HERE / f"{stem}-page{number}.png"
            path.write_bytes(buf.getvalue())
            print(f"{path.relative_to(HERE.parent.parent)}: {len(buf.getvalue()) // 1024} kB")
    finally:
        doc.close()


def page_with(pdf: bytes, text: str) -> int:
    """The number of the first page whose text holds `text`."""
    doc = pypdfium2.PdfDocument(pdf)
    try:
        for number in range(len(doc)):
            if text in doc[number].get_textpage().get_text_range():
                return number + 1
    finally:
        doc.close()
    raise ValueError(f"no page holds {text!r}")


def main() -> int:
    for old in HERE.glob("*.png"):
        old.unlink()
    vault = demo_vault()
    a4 = PAPERS["a4"]
    home = render_home_safe(vault, date=DATE, generation=1, paper=a4,
                            facts=audit_facts(audit_vault(vault)), text_fallback=True)
    frames = next(n for n, page in enumerate(home.fill, start=1) if page.fixed)
    save_pages(home.pdf, "home-safe", [1, 2, page_with(home.pdf, "1. Test this paper right"),
                                       page_with(home.pdf, "Where each sheet is kept"), frames,
                                       home.pages])
    sealed = envelope.seal_with_passphrase(vault, "demo passphrase", now=DATE,
                                           kdf=envelope.KDF_PROFILES["test"])
    sealed_pdf = render_home_safe_sealed(sealed.to_bytes(), count=len(vault),
                                         fingerprint=vault.fingerprint, date=DATE,
                                         generation=1, paper=a4)
    save_pages(sealed_pdf.pdf, "sealed-copy", [1])
    split = make_split(vault, 3, 5, ["Alice", "Bob", "Carol", "Dan", "Eve"],
                       kdf=envelope.KDF_PROFILES["test"], now=DATE)
    pdfs = render_split_pdfs(split, DATE, a4, facts=audit_facts(audit_vault(vault)),
                             owner="Alice Example", contact="Bob Example, +44 20 7946 0000")
    save_pages(pdfs["share-1-of-5-Alice.pdf"], "share-sheet", [1, 2])
    save_pages(pdfs["cover.pdf"], "cover", [1, 2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
