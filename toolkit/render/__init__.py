"""The printable sheets (reportlab PDFs, texts from templates/; see docs/paper.md).

Public entry points, each returning the PDF with every QR text drawn on it (`RenderedPdf`):
- `home_safe.render_home_safe` / `render_home_safe_sealed`: `paper2fa print`;
- `split.render_split_pdfs`: the share-holder sheets and cover.pdf of `paper2fa split`,
  self-checked, as bytes by file name;
"""
