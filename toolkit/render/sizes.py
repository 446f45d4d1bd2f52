"""The type sizes of every sheet (home-safe backup, re-enrolment sheet, holder sheets, cover
letter, checklist), plain and in large print (`--large-print` of print, export and split). Why
these sizes: docs/paper.md, "Type sizes"."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TypeSizes:
    """Sizes in points, by what the type is for.

    `text`: running text, everything a reader reads or follows (instructions, warnings, labels,
    the checklist, a holder sheet's table cells); `data`: what is read or typed beside it on the
    home-safe backup and the re-enrolment sheet (settings, check lines, notes, index rows,
    recovery codes); `small`: fine print that instructs no one (tags; a holder sheet's reference
    line: set id, generation, date, fingerprint; a shortened name's note).

    `heading`: a heading inside a sheet (an account's issuer, the index, a holder sheet's
    instructions and words, the cover letter's table and steps, the checklist's findings);
    `section`: a heading that opens a section of the home-safe backup (restore, accounts, the
    helper's part, the checklist); `title`: the largest line of a split sheet (the holder's name
    on a holder sheet, the checklist's title on the cover letter); `page_title`: the title at
    the head of every page, shrunk towards the regular size only when a long one would not fit.

    `word` and `least_word`: the share's words, set smaller down to `least_word` before a column
    of words is given up. `large_print`: whether these are the large-print sizes."""

    text: float
    data: float
    small: float
    heading: float
    section: float
    title: float
    page_title: float
    word: float
    least_word: float
    large_print: bool = False

    @property
    def scale(self) -> float:
        """How much larger than the regular sizes (1.0; large print 1.4): for what is drawn to
        the size of the text (boxes to tick, the secret lines)."""
        return self.text / REGULAR.text


REGULAR = TypeSizes(text=10, data=9, small=8, heading=12, section=12.5, title=13, page_title=11,
                    word=12.5, least_word=10.5)
"""10 pt: the least for running text a reader must follow (clear-print guidance asks 12 pt for
older readers); the share's words as large as before (12.5 pt bold capitals)."""

LARGE_PRINT = TypeSizes(text=14, data=12.5, small=10, heading=16, section=16, title=17,
                        page_title=14, word=14, least_word=12.5, large_print=True)
"""`--large-print`: 14 pt running text, as clear-print guidance asks; fine print 10 pt; the words
14 pt and never smaller than in regular print; the page title 14 pt, as large as the running
text (the most the page head's height holds above its rule)."""


def type_sizes(large_print: bool) -> TypeSizes:
    return LARGE_PRINT if large_print else REGULAR


FOOTER_SIZE = 7.0
"""The footer line (version, fingerprint, date, page): not an instruction; the same in large
print (it must hold the whole line)."""
SCALE_NOTE_SIZE = 8.0
"""The note beside the scale bar tells the owner to print again: an instruction, so 8 pt."""

__all__ = ["FOOTER_SIZE", "LARGE_PRINT", "REGULAR", "SCALE_NOTE_SIZE", "TypeSizes", "type_sizes"]
