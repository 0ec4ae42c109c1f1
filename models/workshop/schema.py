"""The workshop file's schema: its version and its tables (models/workshop/migrations.py brings
older files up to it)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from types import MappingProxyType

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
