"""The checklist page (home-safe backup and the owner's cover letter, never on holder sheets):
lines to tick, what the audit found, where each sheet is kept, date and signature."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from toolkit.audit import AuditReport
from toolkit.render.common import day, heading, shown
from toolkit.render.fonts import SANS, printable
from toolkit.render.fonts import width as text_width
from toolkit.render.layout import Block, Paper, content_width, keep_together, spacer, text_block
from toolkit.render.sizes import REGULAR, TypeSizes
from toolkit.texts import fill, load_texts


def _tick_line(text: str, width: float, size: float) -> Block:
    box = size * 1.1
    inner = text_block(text, width - box - 3 * mm, size=size, after=2.5 * mm)

    def draw(c: Canvas, x: float, y: float) -> None:
        c.setLineWidth(0.6)
        c.rect(x, y - box, box, box)
        inner.draw(c, x + box + 3 * mm, y)

    return Block(max(inner.height, box + 2.5 * mm), draw)


def _write_line(label: str, width: float, size: float) -> Block:
    label = printable(label)
    # the line starts after the label, however long a translation makes it
    start = max(25 * mm, text_width(label, SANS, size) + 3 * mm) if label else 0.0
    base = max(7 * mm, size + 3.5 * mm)

    def draw(c: Canvas, x: float, y: float) -> None:
        c.setFont(SANS, size)
        c.drawString(x, y - base, label)
        c.setLineWidth(0.5)
        c.line(x + start, y - base, x + width, y - base)

    return Block(base + 2 * mm, draw)


def checklist_blocks(paper: Paper, date: datetime, facts: Sequence[str],
                     lang: str = "en", sizes: TypeSizes = REGULAR) -> tuple[list[Block], str]:
    """The checklist's blocks and its page title; `facts` come from `paper2fa audit`.

    Where each sheet is kept, the date and the signature stay together (with the last
    finding when one fits beside them): never a page with only the lines to sign."""
    t = load_texts("checklist", lang)
    width = content_width(paper)
    text = sizes.text
    blocks: list[Block] = [text_block(t["intro"], width, size=text, after=3 * mm)]
    blocks.extend(_tick_line(fill(item, date=day(date, lang)), width, text)
                  for item in t["items"])
    blocks.append(spacer(2 * mm))
    blocks.append(heading(t["facts_title"], paper, sizes.heading))
    for fact in facts or [t["no_facts"]]:
        blocks.append(_tick_line(fact, width, text) if facts
                      else text_block(fact, width, size=text))
    last = blocks.pop()
    half = max(width / 2, min(width, 70 * mm + text_width(printable(t["sign_label"]), SANS,
                                                            text)))
    end = [last, spacer(2 * mm), heading(t["stored_title"], paper, sizes.heading),
           *(_write_line("", width, text) for _ in range(int(t["stored_lines"]))),
           spacer(3 * mm), _write_line(t["date_label"], half, text),
           _write_line(t["sign_label"], half, text)]
    blocks.append(keep_together(end))
    return blocks, str(t["title"])


MAX_NAMES = 6
"""Accounts named per finding; the rest are counted (paper2fa audit lists them all), unless
only one is left: "and 1 more" would take the line its name takes."""

MAX_NAME_CHARS = 60
"""An account named in a finding is cut (with a visible …) past this many characters."""


def audit_facts(report: AuditReport, names: bool = True, lang: str = "en") -> list[str]:
    """The checklist lines for what `paper2fa audit` found (account names only if `names`)."""
    t = load_texts("checklist", lang)
    findings: list[tuple[str, list[str]]] = [
        ("fact_no_fallback", [r.label for r in report.no_fallback]),
        ("fact_no_recovery", [r.label for r in report.no_recovery_codes]),
        ("fact_no_other", [r.label for r in report.no_other_factor]),
        ("fact_hotp", [r.label for r in report.hotp]),
        ("fact_short", [s.account.label for s in report.short_secrets]),
        ("fact_duplicates", [r.label for group in report.duplicates for r in group]),
    ]
    # the accounts with no fallback are named once, in the first finding; the two findings
    # that hold them too say "the N above" instead of repeating the list
    above = {r.label for r in report.no_fallback}
    lines = []
    for key, labels in findings:
        if not labels:
            continue
        fact = fill(t[key], count=len(labels))
        if not names:
            lines.append(fill(t["fact_alone"], fact=fact))
            continue
        named: list[str] = []
        if key in ("fact_no_recovery", "fact_no_other") and above:
            named.append(fill(t["named_above"], count=len(above)))
            labels = [label for label in labels if label not in above]
        limit = len(labels) if len(labels) <= MAX_NAMES + 1 else MAX_NAMES
        named += [shown(label, MAX_NAME_CHARS) for label in labels[:limit]]
        if len(labels) > limit:
            named.append(fill(t["more_names"], count=len(labels) - limit))
        lines.append(fill(t["fact_with_names"], fact=fact, names="; ".join(named)))
    return lines
