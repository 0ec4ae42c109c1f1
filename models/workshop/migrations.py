"""Migrations of the workshop file from older schema versions.

A migration is a pure function from a `Snapshot` of schema version N (every table's
columns and rows as plain data) to one of version N+1. `migrate` chains them, and
`write_snapshot` stores the result in the tables of the current schema, with checksums.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from cutline.models.errors import WorkshopFileError
from cutline.models.workshop import (  # schema's names read at call time (tests move its version)
    checksums,
    schema,
)


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
    target = schema.SCHEMA_VERSION if target is None else target
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
    if snapshot.version != schema.SCHEMA_VERSION:
        raise WorkshopFileError(f"Cannot write a snapshot of schema {snapshot.version}.")
    unknown = set(snapshot.tables) - set(schema.TABLES)
    if unknown:
        raise WorkshopFileError(f"A migration left tables this schema does not have: {sorted(unknown)}.")
    for name in user_tables(cur.connection):
        cur.execute(f'DROP TABLE "{name}"')
    schema.create_tables(cur)
    for name, table in snapshot.tables.items():
        if not table.rows:
            continue
        data = [c for c, _ in schema.CHECKED_TABLES.get(name, ())]
        rows = table.rows
        cols = list(table.columns)
        if name in schema.CHECKED_TABLES and sorted(cols) == sorted(data):
            # Every data column is there: put them in table order and add the checksums now.
            order = [cols.index(c) for c in data]
            rows = checksums.with_checksums(name, [tuple(r[i] for i in order) for r in rows])
            cols = [*data, "checksum"]
        elif name in schema.CHECKED_TABLES:
            cols, rows = [*cols, "checksum"], [(*r, 0) for r in rows]  # filled in below
        quoted = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join("?" * len(cols))
        cur.executemany(f'INSERT INTO "{name}" ({quoted}) VALUES ({marks})', rows)
        if name in schema.CHECKED_TABLES and cols[:-1] != data:
            checksums.refresh_table(cur, name)  # the columns a migration left to their defaults
    value = str(schema.SCHEMA_VERSION)
    cur.execute(
        "INSERT OR REPLACE INTO meta (key, value, checksum) VALUES ('schema_version', ?, ?)",
        (value, checksums.row_checksum("meta", ("schema_version", value))),
    )
