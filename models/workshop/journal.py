"""The journal: one entry per change to a workshop, which doubles as its decision log."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, replace

from cutline.models.workshop import checksums as workshop_checksums
from cutline.models.workshop import values as workshop_values

#: Kinds of change the journal knows; callers may use others, which are stored as given.
KINDS: tuple[str, ...] = (
    "weight", "cell", "criterion", "tier", "capacity", "guardrail", "override",
    "scenario", "import", "rating", "note",
)


@dataclass(frozen=True)
class JournalEntry:
    """One change as a PM reads it: "Weight of security 3 → 4" in scenario "Aggressive".

    Callers give kind, summary, scenario and the old and new values (JSON-able data);
    the workshop file fills in `id` and `time` (ISO 8601, UTC) when it records the entry.
    """

    kind: str
    summary: str
    scenario: str = ""
    old: object = None
    new: object = None
    id: int | None = None
    time: str = ""


def now() -> str:
    """The current time as the journal writes it: ISO 8601, UTC, to the millisecond."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def append(cur: sqlite3.Cursor, entry: JournalEntry) -> JournalEntry:
    """Write `entry` as a new journal row and return it with its id and time."""
    stored = replace(entry, time=entry.time or now())
    row = (
        stored.time, str(stored.kind), str(stored.scenario), str(stored.summary),
        workshop_values.dumps(stored.old), workshop_values.dumps(stored.new),
    )
    cur.execute(
        "INSERT INTO journal (time, kind, scenario, summary, old, new, checksum) VALUES (?, ?, ?, ?, ?, ?, 0)",
        row,
    )
    ident = cur.lastrowid
    # The id is part of what the checksum covers, and SQLite only gives it on insert.
    cur.execute(
        "UPDATE journal SET checksum = ? WHERE id = ?",
        (workshop_checksums.row_checksum("journal", (ident, *row)), ident),
    )
    return replace(stored, id=ident)


def merge(cur: sqlite3.Cursor, last: JournalEntry, entry: JournalEntry) -> JournalEntry:
    """Fold `entry` into `last` (a slider moved again): new summary, value and time, same old value."""
    stored = replace(last, summary=entry.summary, new=entry.new, time=entry.time or now())
    cur.execute(
        "UPDATE journal SET time = ?, summary = ?, new = ? WHERE id = ?",
        (stored.time, str(stored.summary), workshop_values.dumps(stored.new), last.id),
    )
    workshop_checksums.refresh_table(cur, "journal", "id = ?", (last.id,))
    return stored


def read_all(conn: sqlite3.Connection) -> list[JournalEntry]:
    """Every journal entry, oldest first."""
    rows = conn.execute(
        "SELECT id, time, kind, scenario, summary, old, new FROM journal ORDER BY id"
    ).fetchall()
    return [
        JournalEntry(
            kind=kind, summary=summary, scenario=scenario,
            old=workshop_values.loads(old), new=workshop_values.loads(new), id=ident, time=time,
        )
        for ident, time, kind, scenario, summary, old, new in rows
    ]
