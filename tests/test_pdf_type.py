"""tests/pdf_type.py reads back the sizes, lines, columns and boxes of a PDF whose type is known."""

from __future__ import annotations

import io

from pdf_type import all_runs, page_types, smallest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas


def known_pdf() -> bytes:
    """Two pages: a 14 pt title over two 10 pt lines, a 6 pt footer with a left and a right end;
    then one 12 pt line."""
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, 750, "Title of the sheet")
    c.setFont("Helvetica", 10)
    c.drawString(72, 720, "First line of the text")
    c.drawString(72, 707, "Second line")
    c.setFont("Helvetica", 6)
    c.drawString(72, 30, "left end")
    c.drawRightString(A4[0] - 72, 30, "page 1 of 2")
    c.showPage()
    c.setFont("Helvetica", 12)
    c.drawString(100, 400, "Only line")
    c.showPage()
    c.save()
    return out.getvalue()


def test_runs_have_the_drawn_sizes_texts_and_places() -> None:
    pages = page_types(known_pdf())
    assert [len(p.runs) for p in pages] == [5, 1]
    first = pages[0]
    assert (round(first.width), round(first.height)) == (595, 842)
    assert [(r.text, r.size) for r in first.runs] == [
        ("Title of the sheet", 14), ("First line of the text", 10), ("Second line", 10),
        ("left end", 6), ("page 1 of 2", 6)]
    title, footer_right = first.runs[0], first.runs[-1]
    assert abs(title.baseline - 750) < 0.5 and abs(title.left - 72) < 1.5
    assert title.bottom < title.baseline + 1 < title.top <= 750 + 14
    assert abs(footer_right.right - (A4[0] - 72)) < 1.5
    only = pages[1].runs[0]
    assert (only.page, only.text, only.size) == (1, "Only line", 12)
    assert smallest(all_runs(pages)) == 6
