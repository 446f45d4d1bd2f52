"""Render the demo sheets and save small PNG previews of their pages here (docs/previews/):
the English sheets, a German holder sheet and French home-safe pages.

Run from the repository root:  .venv/bin/python docs/previews/make_previews.py
The share sheets use a fresh random split each time, so their previews change on every run.

`--split-only` remakes only the holder sheet and cover letter previews.

To look at one language's sheets (docs/translating.md), write every page of every sheet in it
to a folder of your choice instead (nothing in docs/previews/ changes):
    .venv/bin/python docs/previews/make_previews.py --lang de --to /tmp/de-previews
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pypdfium2

from toolkit import envelope
from toolkit.audit import audit_vault, move_order
from toolkit.demo import demo_vault
from toolkit.exporters import ExportOptions, export_vault
from toolkit.model import Vault
from toolkit.render.checklist import audit_facts
from toolkit.render.home_safe import render_home_safe, render_home_safe_sealed
from toolkit.render.layout import PAPERS
from toolkit.render.reenroll import render_reenroll
from toolkit.render.split import render_split_pdfs
from toolkit.sharing import SplitResult, make_split
from toolkit.texts import languages, load_texts

HERE = Path(__file__).resolve().parent
DATE = datetime(2026, 1, 1, tzinfo=UTC)
DPI = 60


def save_pages(pdf: bytes, stem: str, pages: list[int] | None = None, folder: Path = HERE,
               dpi: int = DPI) -> None:
    """PNGs of the given pages (all when None) as folder/<stem>-page<n>.png."""
    doc = pypdfium2.PdfDocument(pdf)
    try:
        for number in pages or range(1, len(doc) + 1):
            image = doc[number - 1].render(scale=dpi / 72, grayscale=True).to_pil()
            image = image.convert("L").quantize(16).convert("L")
            buf = io.BytesIO()
            image.save(buf, "PNG", optimize=True)
            path = folder / f"{stem}-page{number}.png"
            path.write_bytes(buf.getvalue())
            print(f"{path}: {len(buf.getvalue()) // 1024} kB")
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


def one_language(lang: str, folder: Path) -> None:
    """Every page of every sheet of the demo vault in `lang`, at a size that can be read."""
    folder.mkdir(parents=True, exist_ok=True)
    vault = demo_vault()
    a4 = PAPERS["a4"]
    report = audit_vault(vault)
    home = render_home_safe(vault, date=DATE, generation=1, paper=a4,
                            facts=audit_facts(report, lang=lang), text_fallback=True, lang=lang)
    save_pages(home.pdf, "home-safe", folder=folder, dpi=100)
    sealed = envelope.seal_with_passphrase(vault, "demo passphrase", now=DATE,
                                           kdf=envelope.KDF_PROFILES["test"])
    copy = render_home_safe_sealed(sealed.to_bytes(), count=len(vault),
                                   fingerprint=vault.fingerprint, date=DATE, generation=1,
                                   paper=a4, facts=audit_facts(report, names=False, lang=lang),
                                   lang=lang)
    save_pages(copy.pdf, "sealed-copy", folder=folder, dpi=100)
    split = make_split(vault, 3, 5, ["Alice", "Bob", "Carol", "Dan", "Eve"],
                       kdf=envelope.KDF_PROFILES["test"], now=DATE)
    pdfs = render_split_pdfs(split, DATE, a4, facts=audit_facts(report, lang=lang),
                             owner="Alice Example", contact="Bob Example, +44 20 7946 0000",
                             lang=lang)
    save_pages(pdfs["share-1-of-5-Alice.pdf"], "share-sheet", folder=folder, dpi=100)
    save_pages(pdfs["cover.pdf"], "cover", folder=folder, dpi=100)
    sheet = render_reenroll(move_order(vault.accounts), fingerprint=vault.fingerprint,
                            day=DATE.date(), paper=a4, lang=lang)
    save_pages(sheet.pdf, "new-phone", folder=folder, dpi=100)
    google = export_vault(vault, "gauth-qr", ExportOptions(day=date(2026, 1, 1), lang=lang))
    save_pages(google.data, "google-transfer", folder=folder, dpi=100)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=languages(),
                        help="write every page of every sheet in this language to --to")
    parser.add_argument("--to", type=Path, help="the folder for --lang (created if missing)")
    parser.add_argument("--split-only", action="store_true",
                        help="remake only the split bundle's previews (holder sheet, cover)")
    args = parser.parse_args()
    if args.lang:
        if args.to is None:
            parser.error("--lang needs --to FOLDER")
        one_language(args.lang, args.to)
        return 0
    if args.split_only:
        for old in [*HERE.glob("share-sheet*.png"), *HERE.glob("cover-*.png")]:
            old.unlink()
        vault = demo_vault()
        split_previews(make_split(vault, 3, 5, ["Alice", "Bob", "Carol", "Dan", "Eve"],
                                  kdf=envelope.KDF_PROFILES["test"], now=DATE), vault)
        return 0
    for old in HERE.glob("*.png"):
        old.unlink()
    vault = demo_vault()
    a4 = PAPERS["a4"]
    home = render_home_safe(vault, date=DATE, generation=1, paper=a4,
                            facts=audit_facts(audit_vault(vault)), text_fallback=True)
    frames = next(n for n, page in enumerate(home.fill, start=1) if page.fixed)
    save_pages(home.pdf, "home-safe", [1, 2, 3, page_with(home.pdf, load_texts(
        "restore", "en")["computer_steps"][0][:30]), frames, home.pages])
    sealed = envelope.seal_with_passphrase(vault, "demo passphrase", now=DATE,
                                           kdf=envelope.KDF_PROFILES["test"])
    sealed_pdf = render_home_safe_sealed(sealed.to_bytes(), count=len(vault),
                                         fingerprint=vault.fingerprint, date=DATE,
                                         generation=1, paper=a4)
    save_pages(sealed_pdf.pdf, "sealed-copy", [1])
    split = make_split(vault, 3, 5, ["Alice", "Bob", "Carol", "Dan", "Eve"],
                       kdf=envelope.KDF_PROFILES["test"], now=DATE)
    split_previews(split, vault)
    french = render_home_safe(vault, date=DATE, generation=1, paper=a4,
                              facts=audit_facts(audit_vault(vault), lang="fr"), lang="fr")
    save_pages(french.pdf, "home-safe-fr", [1, 2, page_with(french.pdf, load_texts(
        "restore", "fr")["computer_steps"][0][:30])])
    sheet = render_reenroll(move_order(vault.accounts), fingerprint=vault.fingerprint,
                            day=DATE.date(), paper=a4)
    save_pages(sheet.pdf, "new-phone", [1, sheet.pages])
    large = render_home_safe(vault, date=DATE, generation=1, paper=a4,
                             facts=audit_facts(audit_vault(vault)), large_print=True)
    save_pages(large.pdf, "home-safe-large-print", [1, 3])
    return 0


def split_previews(split: SplitResult, vault: Vault) -> None:
    """The holder sheet (instructions, words, frames), the cover letter and a German holder
    sheet's first two pages."""
    a4 = PAPERS["a4"]
    pdfs = render_split_pdfs(split, DATE, a4, facts=audit_facts(audit_vault(vault)),
                             owner="Alice Example", contact="Bob Example, +44 20 7946 0000")
    save_pages(pdfs["share-1-of-5-Alice.pdf"], "share-sheet", [1, 2, 3])
    save_pages(pdfs["cover.pdf"], "cover", [1, 2])
    german = render_split_pdfs(split, DATE, a4, facts=audit_facts(audit_vault(vault), lang="de"),
                               owner="Alice Example", contact="Bob Example, +44 20 7946 0000",
                               lang="de")
    save_pages(german["share-1-of-5-Alice.pdf"], "share-sheet-de", [1, 2])


if __name__ == "__main__":
    sys.exit(main())
