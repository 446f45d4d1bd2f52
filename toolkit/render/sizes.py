"""The type sizes of the split bundle's sheets (holder sheets, cover letter, checklist), plain
and in large print (`split --large-print`). Why these sizes: docs/paper.md, "Type sizes"."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TypeSizes:
    """Sizes in points.

    `text`: running text, everything a reader reads or follows (instructions, notes, labels,
    table cells, the checklist); `heading` and `section`: headings and a section's heading;
    `name`: the holder's name at the top of a holder sheet; `small`: fine print that is no
    instruction (a sheet's reference line: set id, generation, date, fingerprint; a shortened
    name's note); `word` and `least_word`: the share's words, set smaller down to `least_word`
    before a column of words is given up."""

    text: float
    heading: float
    section: float
    name: float
    small: float
    word: float
    least_word: float
    large_print: bool = False


REGULAR = TypeSizes(text=10, heading=12, section=13, name=13, small=8, word=12.5,
                    least_word=10.5)
"""10 pt: the least for running text a reader must follow (clear-print guidance asks 12 pt for
older readers); the share's words as large as before (12.5 pt bold capitals)."""

LARGE_PRINT = TypeSizes(text=14, heading=16, section=17, name=17, small=10, word=14,
                        least_word=12.5, large_print=True)
"""`--large-print`: 14 pt running text, fine print 10 pt, the words 14 pt and never smaller
than in regular print."""


def type_sizes(large_print: bool) -> TypeSizes:
    return LARGE_PRINT if large_print else REGULAR
