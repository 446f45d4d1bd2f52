"""docs/restore.md's table of messages is true: each row's message is produced here, exactly,
from fixed inputs, with the exit code the row gives; and every row is produced."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from toolkit import envelope, sharing
from toolkit import frames as F
from toolkit.errors import Paper2faError
from toolkit.model import Account, Vault
from toolkit.recovery import RecoveryState, Verdict, choose, decision_lines, finish, left_out
from toolkit.scan import FoundCode, PageScan

DOC = Path(__file__).resolve().parents[1] / "docs" / "restore.md"
KDF = envelope.KDF_PROFILES["test"]


def vault(owner: str) -> Vault:
    rng = random.Random(owner)
    return Vault(tuple(Account(issuer=f"{owner} {i}", name="me", secret=rng.randbytes(20))
                       for i in range(4)))


@cache
def split(owner: str, seed: int, generation: int = 1, k: int = 3, n: int = 5,
          scheme: str = "pyshamir") -> sharing.SplitResult:
    return sharing.make_split(vault(owner), k, n, scheme=scheme,
                              rng=random.Random(seed).randbytes, generation=generation,
                              now=datetime(2025 + generation, 1, 15, tzinfo=UTC), kdf=KDF)


def page(source: str, texts: list[str], number: int = 1) -> PageScan:
    return PageScan(source, number, tuple(FoundCode(t, t.encode(), number, ((0, 0),) * 4,
                                                    source) for t in texts))


def refused(state: RecoveryState) -> tuple[str, int]:
    try:
        finish(state, choose(state))
    except Paper2faError as exc:
        return exc.message, exc.exit_code
    raise AssertionError("it restored")


def notes(state: RecoveryState) -> list[str]:
    decision = choose(state)
    restored = finish(state, decision)
    return [i.message for i in left_out(state, decision)] + list(restored.messages)


def sheets(result: sharing.SplitResult, numbers: list[int], pages: int = 3,
           drop: tuple[int, ...] = (), skip_pages: tuple[int, ...] = (),
           prefix: str = "sheet") -> list[PageScan]:
    """Sheets as scanned pages: the frames dealt round-robin over `pages`, each page with
    its share code; frames whose 0-based index is in `drop` do not read."""
    frames = F.encode_frames(result.sealed_bytes, "sealed",
                             F.doc_id_for(result.sealed_bytes), max_frame_bytes=60)
    laid = F.layout(frames, codes_per_page=len(frames) // pages + 1, pages=pages)
    out = []
    for i in numbers:
        share = result.shares[i - 1].qr_text()
        for p, on_page in enumerate(laid, 1):
            if p not in skip_pages:
                texts = [f.text for f in on_page if f.index not in drop] + [share]
                out.append(page(f"{prefix}-{i}.pdf", texts, p))
    return out


def state_of(*pages: PageScan, pages_in_file: int = 3) -> RecoveryState:
    state = RecoveryState()
    for p in pages:
        state.add_page(p, pages_in_file)
    return state


def need_share() -> tuple[str, int]:
    return refused(state_of(*sheets(split("Ann", 1), [1, 4])))


def need_frames() -> tuple[str, int]:
    return refused(state_of(*sheets(split("Ann", 1), [1, 2, 3], drop=(0, 3, 6, 9, 12, 15))))


def page_not_scanned() -> tuple[str, int]:
    return refused(state_of(*sheets(split("Ann", 1), [1, 2, 3], skip_pages=(2,))))


def none_complete() -> tuple[str, int]:
    return refused(state_of(*sheets(split("Ann", 1), [1]), *sheets(split("Bob", 3), [2])))


def none_complete_line() -> tuple[str, int]:
    state = state_of(*sheets(split("Ann", 1), [1, 2]), *sheets(split("Bob", 3), [2]))
    return decision_lines(choose(state))[0], 7


def several() -> tuple[str, int]:
    return refused(state_of(*sheets(split("Ann", 1), [1, 2, 3]),
                            *sheets(split("Ann2", 2, 2), [1, 2, 3], prefix="new")))


def newer() -> tuple[str, int]:
    return refused(state_of(*sheets(split("Ann", 1), [1, 2, 3]),
                            *sheets(split("Ann2", 2, 2), [4], prefix="new")))


def no_match() -> tuple[str, int]:
    state = state_of(*sheets(split("Ann", 1), [1, 2, 3]))
    try:
        finish(state, choose(state, "ABCD"))
    except Paper2faError as exc:
        return exc.message, exc.exit_code
    raise AssertionError("it restored")


def earlier_backup() -> tuple[str, int]:
    """A whole old sheet: its frames tell its date, earlier than the backup restored (format
    v1 carries no lineage: never "an earlier generation" of it)."""
    state = state_of(*sheets(split("Ann2", 2, 2), [1, 2, 3], prefix="new"),
                     *sheets(split("Ann", 1), [1], prefix="old"))
    return notes(state)[0], 0


def another_undated() -> tuple[str, int]:
    """A lone share of generation 1 beside generation 2: its date is unknown, so it is only
    another backup."""
    state = state_of(*sheets(split("Ann2", 2, 2), [1, 2, 3], prefix="new"))
    state.add_page(page("old.png", [split("Ann", 1).shares[0].qr_text()]), 1)
    return notes(state)[0], 0


def share_read_already() -> tuple[str, int]:
    """A photo of a sheet's page that read only its share code: the share was read from
    another page of the sheet; the photo is not a duplicate of that page."""
    state = state_of(*sheets(split("Ann", 1), [1, 2, 3]))
    state.add_page(page("sheet-3b.png", [split("Ann", 1).shares[2].qr_text()]), 1)
    return notes(state)[0], 0


def another_backup() -> tuple[str, int]:
    state = state_of(*sheets(split("Ann", 1), [1, 2, 3]))
    state.add_page(page("bob.png", [split("Bob", 3).shares[0].qr_text()]), 1)
    return notes(state)[0], 0


def duplicate() -> tuple[str, int]:
    state = state_of(*sheets(split("Ann", 1), [1, 2, 3]),
                     *sheets(split("Ann", 1), [2], prefix="again"))
    return notes(state)[0], 0


def recovered() -> tuple[str, int]:
    return notes(state_of(*sheets(split("Ann", 1), [1, 2, 3], drop=(0, 1))))[-1], 0


def nothing() -> tuple[str, int]:
    return refused(state_of(page("holiday.jpg", ["https://example.com/"])))


SCENARIOS: dict[str, Callable[[], tuple[str, int]]] = {
    "need share": need_share, "need frames": need_frames, "page not scanned": page_not_scanned,
    "none complete": none_complete, "none complete line": none_complete_line,
    "several": several, "newer": newer, "no match": no_match,
    "earlier backup": earlier_backup, "another backup": another_backup,
    "another undated": another_undated, "share read already": share_read_already,
    "duplicate": duplicate, "recovered": recovered, "nothing": nothing,
}


def table() -> dict[str, int]:
    text = DOC.read_text()
    section = text.split("### Messages", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| (\d+) \|", section, re.M)
    return {message: int(code) for message, code in rows}


def test_every_row_of_the_messages_table_is_what_paper2fa_says() -> None:
    rows = table()
    produced = {name: make() for name, make in SCENARIOS.items()}
    for name, (message, code) in produced.items():
        assert message in rows, f"{name}: docs/restore.md lacks the row `{message}`"
        assert rows[message] == code, f"{name}: exit code {code}, the table says {rows[message]}"
    assert set(rows) == {m for m, _ in produced.values()}, "a row no scenario produces"


def test_the_scenarios_are_what_their_names_say() -> None:
    assert choose(state_of(*sheets(split("Ann", 1), [1, 2, 3]))).verdict is Verdict.RESTORE
    assert need_share()[1] == 7 and several()[1] == 13 and newer()[1] == 13
