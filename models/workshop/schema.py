"""The workshop file's schema: its version, its tables, and the migrations from older versions.

A migration is a pure function from a `Snapshot` of schema version N (every table's
columns and rows as plain data) to one of version N+1. `migrate` chains them, and
`write_snapshot` stores the result in the tables of the current schema.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from cutline.models.errors import WorkshopFileError

#: "CTLN": marks an SQLite file as a Cutline workshop (PRAGMA application_id).
APPLICATION_ID = 0x43544C4E
#: The schema this Cutline writes (docs/workshop-file.md#versions-and-compatibility).
SCHEMA_VERSION = 2
#: The first schema whose records carry a checksum (models/workshop/checksums.py).
CHECKSUMS_SINCE = 2
#: The oldest schema whose reader can still read what this Cutline writes (read-only).
MIN_READER_VERSION = 1
#: The first bytes of every SQLite database file.
SQLITE_MAGIC = b"SQLite format 3\x00"

#: The canonical initiative fields of schema version 1, in order, with their SQL type.
#: Frozen with the schema: a new canonical field needs a new version and a migration.
INITIATIVE_FIELDS: tuple[tuple[str, str], ...] = (
    ("id", "TEXT"), ("title", "TEXT"), ("team", "TEXT"), ("category", "TEXT"), ("layer", "TEXT"),
    ("reach", "REAL"), ("impact", "REAL"), ("confidence", "REAL"), ("effort", "REAL"),
    ("risk", "REAL"), ("reliability", "REAL"), ("security", "REAL"), ("dx", "REAL"),
    ("depends_on", "TEXT"), ("unblocks", "TEXT"), ("quarter", "TEXT"), ("status", "TEXT"),
    ("notes", "TEXT"),
)


def _field_sql(name: str, kind: str) -> str:
    return f'"{name}" TEXT NOT NULL DEFAULT \'\'' if kind == "TEXT" else f'"{name}" REAL'


#: Kinds of column, as the checksums and the type checks see them.
TEXT, NTEXT, INT, REAL = "text", "text or NULL", "integer", "real"

#: The data columns of every table whose records carry a checksum, in table order, with
#: their kinds; each such table ends with `checksum INTEGER NOT NULL`. The first column
#: is the record's key, which messages name.
CHECKED_TABLES: Mapping[str, tuple[tuple[str, str], ...]] = MappingProxyType({
    "meta": (("key", TEXT), ("value", TEXT)),
    "initiatives": (
        ("position", INT), ("source_row", INT),
        *((n, TEXT if k == "TEXT" else REAL) for n, k in INITIATIVE_FIELDS),
        ("extra", TEXT),
    ),
    "scenarios": (("position", INT), ("name", TEXT), ("data", TEXT)),
    "rating_rounds": (("position", INT), ("data", TEXT)),
    "journal": (
        ("id", INT), ("time", TEXT), ("kind", TEXT), ("scenario", TEXT), ("summary", TEXT),
        ("old", NTEXT), ("new", NTEXT),
    ),
})

_CHECKSUM = ", checksum INTEGER NOT NULL"

#: The tables of the current schema, in creation order.
TABLES: Mapping[str, str] = MappingProxyType({
    "meta": "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL" + _CHECKSUM + ")",
    "initiatives": (
        "CREATE TABLE initiatives (position INTEGER PRIMARY KEY, source_row INTEGER NOT NULL, "
        + ", ".join(_field_sql(n, k) for n, k in INITIATIVE_FIELDS)
        + ", extra TEXT NOT NULL DEFAULT '[]'" + _CHECKSUM + ")"
    ),
    "scenarios": (
        "CREATE TABLE scenarios (position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
        "data TEXT NOT NULL" + _CHECKSUM + ")"
    ),
    "rating_rounds": (
        "CREATE TABLE rating_rounds (position INTEGER PRIMARY KEY, data TEXT NOT NULL" + _CHECKSUM + ")"
    ),
    "journal": (
        "CREATE TABLE journal (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, "
        "kind TEXT NOT NULL, scenario TEXT NOT NULL DEFAULT '', summary TEXT NOT NULL, "
        "old TEXT, new TEXT" + _CHECKSUM + ")"
    ),
    "lock": (
        "CREATE TABLE lock (slot INTEGER PRIMARY KEY CHECK (slot = 1), pid INTEGER NOT NULL, "
        "host TEXT NOT NULL, process TEXT NOT NULL, opened TEXT NOT NULL, token TEXT NOT NULL)"
    ),
})


def create_tables(cur: sqlite3.Cursor) -> None:
    """Create the current schema's tables and stamp the file as a workshop of this version."""
    for ddl in TABLES.values():
        cur.execute(ddl)
    stamp(cur, SCHEMA_VERSION)


def stamp(cur: sqlite3.Cursor, version: int) -> None:
    """Mark the file as a Cutline workshop of schema `version`."""
    cur.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    cur.execute(f"PRAGMA user_version = {int(version)}")


# -- snapshots and migrations -------------------------------------------------------------
@dataclass(frozen=True)
class Table:
    """One table as plain data: column names and rows of values."""

    columns: tuple[str, ...]
    rows: tuple[tuple, ...] = ()


@dataclass(frozen=True)
class Snapshot:
    """Every table of a workshop file at one schema version."""

    version: int
    tables: Mapping[str, Table]


Migration = Callable[[Snapshot], Snapshot]

def _v1_to_v2(snapshot: Snapshot) -> Snapshot:
    """Version 2 adds a checksum to every record; the data stays as it is.

    A snapshot holds data columns only: `write_snapshot` computes the checksum of every
    row it writes, so the records of an upgraded file carry checksums from then on.
    """
    return snapshot


#: The chain of migrations: MIGRATIONS[n] turns a version-n snapshot into version n+1.
MIGRATIONS: Mapping[int, Migration] = MappingProxyType({1: _v1_to_v2})


def migrate(
    snapshot: Snapshot,
    target: int | None = None,
    steps: Mapping[int, Migration] | None = None,
) -> Snapshot:
    """`snapshot` brought to schema `target` (the current one) one step at a time."""
    target = SCHEMA_VERSION if target is None else target
    steps = MIGRATIONS if steps is None else steps
    if snapshot.version > target:
        raise WorkshopFileError(
            f"A workshop of schema version {snapshot.version} cannot be migrated back to {target}."
        )
    while snapshot.version < target:
        step = steps.get(snapshot.version)
        if step is None:
            raise WorkshopFileError(
                f"Workshops of schema version {snapshot.version} can no longer be opened.",
                hint="Open it in an older Cutline and save it again, then open it here.",
            )
        snapshot = replace(step(snapshot), version=snapshot.version + 1)
    return snapshot


def user_tables(conn: sqlite3.Connection) -> list[str]:
    """The names of the file's own tables (not SQLite's internal ones)."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [r[0] for r in rows]


def read_snapshot(conn: sqlite3.Connection, version: int) -> Snapshot:
    """Every table of the file as plain data, labelled with its schema `version`.

    Checksums are not data: the `checksum` column is left out (verify the file before).
    """
    tables = {}
    for name in user_tables(conn):
        cur = conn.execute(f'SELECT * FROM "{name}"')
        columns = tuple(d[0] for d in cur.description)
        rows = cur.fetchall()
        if "checksum" in columns:
            keep = [i for i, c in enumerate(columns) if c != "checksum"]
            columns = tuple(columns[i] for i in keep)
            rows = [tuple(row[i] for i in keep) for row in rows]
        tables[name] = Table(columns, tuple(rows))
    return Snapshot(version, MappingProxyType(tables))


def write_snapshot(cur: sqlite3.Cursor, snapshot: Snapshot) -> None:
    """Replace every table with the current schema holding `snapshot` (inside a transaction)."""
    if snapshot.version != SCHEMA_VERSION:
        raise WorkshopFileError(f"Cannot write a snapshot of schema {snapshot.version}.")
    unknown = set(snapshot.tables) - set(TABLES)
    if unknown:
        raise WorkshopFileError(f"A migration left tables this schema does not have: {sorted(unknown)}.")
    from cutline.models.workshop import checksums  # it builds on this module's tables

    for name in user_tables(cur.connection):
        cur.execute(f'DROP TABLE "{name}"')
    create_tables(cur)
    for name, table in snapshot.tables.items():
        if not table.rows:
            continue
        data = [c for c, _ in CHECKED_TABLES.get(name, ())]
        rows = table.rows
        cols = list(table.columns)
        if name in CHECKED_TABLES and sorted(cols) == sorted(data):
            # Every data column is there: put them in table order and add the checksums now.
            order = [cols.index(c) for c in data]
            rows = checksums.with_checksums(name, [tuple(r[i] for i in order) for r in rows])
            cols = [*data, "checksum"]
        elif name in CHECKED_TABLES:
            cols, rows = [*cols, "checksum"], [(*r, 0) for r in rows]  # filled in below
        quoted = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join("?" * len(cols))
        cur.executemany(f'INSERT INTO "{name}" ({quoted}) VALUES ({marks})', rows)
        if name in CHECKED_TABLES and cols[:-1] != data:
            checksums.refresh_table(cur, name)  # the columns a migration left to their defaults
    value = str(SCHEMA_VERSION)
    cur.execute(
        "INSERT OR REPLACE INTO meta (key, value, checksum) VALUES ('schema_version', ?, ?)",
        (value, checksums.row_checksum("meta", ("schema_version", value))),
    )
