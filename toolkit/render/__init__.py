"""The printable sheets (reportlab PDFs, texts from templates/ through `toolkit.texts`; see
docs/paper.md). Every entry point takes `lang`, a language of `texts.languages()`: the texts,
the dates and the audit findings of the sheet are in it (docs/translating.md).

Every sheet leaves through `layout.render_document`, which draws the laid-out pages and reads
every QR code back (toolkit.selfcheck) before it returns a `RenderedPdf` (the PDF, the QR
texts drawn and the record of each page's fill). Public entry points:
- `home_safe.render_home_safe` / `render_home_safe_sealed`: `paper2fa print`;
- `split.render_split` / `render_split_pdfs`: the share-holder sheets and cover.pdf of
  `paper2fa split`;
- `reenroll.render_reenroll`: the re-enrolment sheet of `paper2fa export`;
- `qr.qr_png`: a QR code as a PNG file (read back too).
"""
