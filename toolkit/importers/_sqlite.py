"""Rooted-phone SQLite databases, opened from memory only and read-only, with a work budget.

Decrypted or copied databases never touch the disk (`deserialize`, temp_store in memory); a
WAL-mode file is read as its main file; a hostile schema (views, triggers) cannot run for ever.
"""

from __future__ import annotations

import sqlite3

from toolkit.errors import FormatError, Source

SQLITE_MAGIC = b"SQLite format 3\x00"

ERRORS = (sqlite3.Error, UnicodeDecodeError, OverflowError, MemoryError)
"""What reading a damaged database can raise: SQLite's errors, and Python's when a message or
a name in a damaged schema is not UTF-8."""

MAX_STEPS = 10_000
"""Progress-handler calls (each 1000 SQLite VM steps) before a query is cut short; a real
authenticator database needs a few thousand steps in all."""


def open_in_memory(data: bytes, source: str) -> sqlite3.Connection:
    """The database in `data`, opened from memory, read-only; FormatError when unreadable."""
    if not data.startswith(SQLITE_MAGIC) or len(data) < 100:
        raise FormatError("not a SQLite database", source=Source(label=source))
    image = bytearray(data)
    if image[18:20] == b"\x02\x02":
        image[18:20] = b"\x01\x01"  # WAL mode needs -wal/-shm files; read the main file alone
    conn = sqlite3.connect(":memory:")
    # Text that is not UTF-8 (a damaged page) keeps its bytes as lone surrogates: the account
    # holding it is skipped with a note (the model refuses them) instead of failing the query.
    conn.text_factory = lambda raw: raw.decode("utf-8", errors="surrogateescape")
    try:
        conn.deserialize(bytes(image))
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA query_only = ON")
        steps = [0]

        def budget() -> int:
            steps[0] += 1
            return int(steps[0] > MAX_STEPS)

        conn.set_progress_handler(budget, 1000)
    except ERRORS:
        conn.close()
        raise FormatError("the database is damaged or not readable",
                          source=Source(label=source)) from None
    return conn


def is_table(conn: sqlite3.Connection, name: str) -> bool:
    """True for a real table (a view of that name could run arbitrary queries)."""
    row = conn.execute("SELECT type FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    return row is not None and row[0] == "table"
