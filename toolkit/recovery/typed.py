"""What people type: shares word by word (the one entry loop of `restore --words` and
`combine`), and words files (one share per line).

Each word is checked as it is typed, each share's checksum at its end, and, once a sealed
vault is known, that the share belongs to it and was not typed already; a share that fails is
asked for again at once. Lines of a words file that do not read are kept as unusable inputs
(named in the result), never silently dropped.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from toolkit import envelope, fsio, sharing, words
from toolkit.errors import FormatError, NotEnoughError, Paper2faError, ShareError
from toolkit.recovery.state import RecoveryState

MAX_WORDS_FILE_LINES = 64
"""A words file holds at most 16 shares; far more lines means the wrong file was given."""

MAX_WORDS_FILE_BYTES = 1024 * 1024
"""A words file of 64 lines of 37 words is 20 KB; a megabyte is surely the wrong file."""

SLIP39_WORDS = 33
"""Words of a SLIP-39 share of a 256-bit secret (what paper2fa splits)."""

Ask = Callable[[str], str]
Tell = Callable[[str], None]


def words_file_lines(path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """(label, words) for each share line of a words file; blank lines and # comments skipped."""
    data = fsio.read_input(path, limit=MAX_WORDS_FILE_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ShareError(f"{path} is not a text file of share words",
                         hint="give one share per line, its words separated by spaces") from None
    lines: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        body = line.split("#", 1)[0].strip()
        if not body:
            continue
        if len(lines) == MAX_WORDS_FILE_LINES:
            raise ShareError(f"{path} has more than {MAX_WORDS_FILE_LINES} lines of words: it "
                             "is not a words file", hint="give one share per line")
        lines.append((f"{path} line {number}", body))
    if not lines:
        raise ShareError(f"{path} holds no share words", hint="give one share per line")
    return lines


def add_lines(state: RecoveryState, lines: list[tuple[str, str]]) -> int:
    """Each (label, words) as a share; lines that do not read are kept in `state.unusable`.
    Returns how many were added."""
    added = 0
    for label, text in lines:
        try:
            state.add_share_text(text, label)
        except (ShareError, FormatError) as exc:
            message = exc.message if exc.message.startswith(label) else (
                f"{label}: {exc.message}")
            state.add_unusable(label, type(exc)(message, exc.hint))
        else:
            added += 1
    return added


def _word_count(state: RecoveryState) -> int | None:
    """Words per share, when the sealed vaults read tell the scheme; None: not known yet."""
    schemes = {d.header.scheme for d in state.documents() if d.header is not None
               and d.header.scheme != envelope.SCHEME_PASSPHRASE}
    schemes |= {r.share.scheme for r in state.share_reads()}
    if schemes == {envelope.SCHEME_PYSHAMIR}:
        return sharing.WORD_COUNT
    if schemes == {envelope.SCHEME_SLIP39}:
        return SLIP39_WORDS
    return None


def _is_slip39(typed: list[str]) -> bool:
    try:
        sharing.Slip39Share.from_words(typed)
    except Paper2faError:
        return False
    return True


def type_one_share(ask: Ask, tell: Tell, count: int | None) -> list[str]:
    """The words of one share, each checked as it is typed (EOFError when typing ends).

    With `count` None, a share ends at 33 words when they are a valid SLIP-39 share, else at
    37 (a paper2fa share)."""
    typed: list[str] = []
    while True:
        line = ask(f"word {len(typed) + 1}: ")
        for word in words.split_words(line):
            try:
                words.word_index(word)
            except ShareError as exc:
                tell(f"word {len(typed) + 1}: {exc.message}; type it again (and the words after "
                     "it)")
                break
            typed.append(word)
            if count is not None and len(typed) == count:
                return typed
            if count is None and len(typed) == SLIP39_WORDS and _is_slip39(typed):
                return typed
            if len(typed) == sharing.WORD_COUNT:
                return typed


def enter_shares(state: RecoveryState, ask: Ask, tell: Tell, done: Callable[[], bool],
                 needed: Callable[[], int]) -> None:
    """Ask for shares until `done()`; each is checked as it comes, and one that fails (a typing
    mistake, another backup, a sheet typed already) is asked for again. NotEnoughError when
    the typing ends first (end of input)."""
    typed_count = 0
    while not done():
        label = f"typed share {typed_count + 1}"
        have = len([r for r in state.share_reads() if r.typed or r.sources])
        tell(f"{label} ({have} of {needed()} shares so far): type its words, several per line "
             "are fine")
        try:
            typed = type_one_share(ask, tell, _word_count(state))
        except EOFError:
            raise NotEnoughError(f"the typing ended after {typed_count} typed share"
                                 f"{'s' if typed_count != 1 else ''}; nothing was written"
                                 ) from None
        before = len(state.shares)
        try:
            state.add_share_text(" ".join(typed), label)
        except Paper2faError as exc:
            tell(f"{label}: {exc.message}; type this share again")
            continue
        if len(state.shares) == before:
            tell(f"{label}: checksum correct, but this share was read already; type another")
            continue
        typed_count += 1
        tell(f"{label}: checksum correct")
