"""A checksum on every record of a workshop file, so bytes changed outside Cutline never read silently.

Schema version 2 gives each row of `meta`, `initiatives`, `scenarios`, `rating_rounds` and
`journal` a `checksum` column: the CRC-32 (zlib's, as an integer from 0 to 2**32 - 1) of the
row's canonical payload. The payload of a row is

    UTF-8 of its text columns, in table order, joined by U+001F (a NULL text is U+001E "0";
    inside a text, U+001E is written U+001E U+001E and U+001F is written U+001E U+001F)
    followed by its number columns, in table order, 8 bytes little-endian each:
    INTEGER as a signed 64-bit integer, REAL as an IEEE double (NULL as NaN, -0.0 as 0.0).

`checksums` computes it for whole columns at once (an open checks 100,000 initiatives in
about a tenth of a second); the values are checked for their column's type first, so a value
of the wrong type is named rather than hashed. A CRC-32 catches every change of up to 4
bytes in a row and misses a larger random one once in 4 billion: it tells a file changed
by accident or by another program, not by someone who means to hide the change.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from cutline.models.errors import WorkshopFileError
from cutline.models.workshop.schema import CHECKED_TABLES, INT, NTEXT, REAL, TEXT

_ESCAPE, _SEPARATOR = "\x1e", "\x1f"
_NULL_TEXT = _ESCAPE + "0"
_NUMBER_TYPES = {INT: frozenset({int}), REAL: frozenset({float, int, type(None)})}


class WrongType(WorkshopFileError):
    """A stored value whose type is not its column's (a BLOB where text belongs, say)."""

    def __init__(self, table: str, column: str, record: object, value: object, kind: str):
        self.table, self.column, self.record = table, column, record
        want = {TEXT: "text", NTEXT: "text", INT: "a whole number", REAL: "a number"}[kind]
        super().__init__(
            f"table {table}, column {column}, record {record} holds {describe_type(value)} "
            f"where {want} belongs"
        )


@dataclass(frozen=True)
class Mismatch:
    """A record whose checksum does not match what it holds."""

    table: str
    record: object  # the record's key: its position, meta key or journal id


def describe_type(value: object) -> str:
    if value is None:
        return "nothing (NULL)"
    if isinstance(value, bytes | bytearray | memoryview):
        return "binary data (a BLOB)"
    if isinstance(value, bool | int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return f"a value of type {type(value).__name__}"


def _escape(value: str) -> str:
    return value.replace(_ESCAPE, _ESCAPE + _ESCAPE).replace(_SEPARATOR, _ESCAPE + _SEPARATOR)


def _text_column(col: Sequence, kind: str, bad) -> list[str]:
    """The column as it enters the payload, escaped; `bad` is told of a value that is not text."""
    out = []
    for i, v in enumerate(col):
        if isinstance(v, str):
            out.append(_escape(str(v)))
        elif v is None and kind == NTEXT:
            out.append(_NULL_TEXT)
        else:
            bad(i, v)
    return out


def _joined_texts(texts: list[Sequence], specs: list[tuple[str, str]], bads: list) -> list[bytes]:
    """Each row's text columns joined and encoded, escaping only when some text needs it."""
    try:
        joined = list(map(_SEPARATOR.join, zip(*texts, strict=True)))
    except TypeError:  # not all text: a NULL that may be there, or a value of the wrong type
        joined = None
    if joined is not None:
        whole = "".join(joined)
        if _ESCAPE in whole or whole.count(_SEPARATOR) != len(joined) * (len(texts) - 1):
            joined = None  # a text holds U+001E or U+001F itself
    if joined is None:
        texts = [_text_column(col, kind, bad) for col, (_, kind), bad in zip(texts, specs, bads, strict=True)]
        joined = list(map(_SEPARATOR.join, zip(*texts, strict=True)))
    try:
        return list(map(str.encode, joined))
    except UnicodeEncodeError:  # a lone surrogate: kept as its bytes, as SQLite would refuse it
        return [t.encode("utf-8", "surrogatepass") for t in joined]


def _number_column(col: Sequence, kind: str, bad) -> tuple[np.ndarray, np.ndarray]:
    """The column as numbers (int64 or float64, NULL as NaN) and as the payload's 8-byte words,
    after checking every value is of the column's type."""
    if isinstance(col, np.ndarray) and col.dtype == (np.int64 if kind == INT else np.float64):
        arr = col  # already numbers (a portfolio being written)
        if kind == INT:
            return arr, arr.view(np.uint64)
        return arr, (np.where(np.isnan(arr), np.nan, arr) + 0.0).view(np.uint64)
    allowed = _NUMBER_TYPES[kind]
    if not set(map(type, col)) <= allowed:
        for i, v in enumerate(col):
            if type(v) not in allowed:
                bad(i, v)
    if kind == INT:
        try:
            arr = np.array(col, dtype=np.int64)
        except OverflowError as exc:  # SQLite's integers are 64-bit; a Python one may not be
            raise WorkshopFileError(f"a whole number does not fit in 64 bits ({exc})") from exc
        return arr, arr.view(np.uint64)
    arr = np.array(col, dtype=np.float64)
    # One NaN whatever its payload (SQLite stores NaN as NULL), and -0.0 as 0.0 (SQLite may
    # store a whole REAL as an integer).
    words = np.where(np.isnan(arr), np.nan, arr) + 0.0
    return arr, words.view(np.uint64)


def checksums(
    table: str, columns: Sequence[Sequence], n: int, keys: Sequence | None = None,
    numbers: dict[str, np.ndarray] | None = None,
) -> np.ndarray:
    """The checksum of every row of `table`, from its data columns (in table order) as lists
    (a number column may be an int64 or float64 array).

    Raises WrongType when a value is not of its column's type (`keys` name the records).
    `numbers`, when given, receives each number column as an array, for the caller to use.
    """
    spec = CHECKED_TABLES[table]
    if len(columns) != len(spec):
        raise WorkshopFileError(f"table {table} has {len(columns)} columns where {len(spec)} belong")
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    texts, text_specs, bads, words = [], [], [], []
    for (name, kind), col in zip(spec, columns, strict=True):
        def bad(i: int, v: object, name: str = name, kind: str = kind) -> None:
            record = keys[i] if keys is not None and i < len(keys) else i
            raise WrongType(table, name, record, v, kind)

        if kind in (TEXT, NTEXT):
            texts.append(col)
            text_specs.append((name, kind))
            bads.append(bad)
        else:
            arr, word = _number_column(col, kind, bad)
            words.append(word)
            if numbers is not None:
                numbers[name] = arr
    sums = map(zlib.crc32, _joined_texts(texts, text_specs, bads)) if texts else [0] * n
    if words:
        block = np.ascontiguousarray(np.column_stack(words).astype("<u8", copy=False))
        sums = map(zlib.crc32, block.view(f"V{8 * len(words)}").ravel().tolist(), sums)
    return np.fromiter(sums, dtype=np.int64, count=n)


def row_checksum(table: str, row: Sequence) -> int:
    """The checksum of one row of `table` (its data columns, in table order)."""
    return int(checksums(table, [[v] for v in row], 1)[0])


def with_checksums(table: str, rows: Sequence[tuple]) -> list[tuple]:
    """`rows` (data columns in table order) each with its checksum appended."""
    if not rows:
        return []
    sums = checksums(table, list(zip(*rows, strict=True)), len(rows)).tolist()
    return [(*row, s) for row, s in zip(rows, sums, strict=True)]


def stored_checksums(table: str, col: Sequence, keys: Sequence) -> np.ndarray:
    """The checksum column as read, checked to hold whole numbers."""
    if not set(map(type, col)) <= {int}:
        for key, v in zip(keys, col, strict=True):
            if type(v) is not int:
                raise WrongType(table, "checksum", key, v, INT)
    return np.array(col, dtype=np.int64)


def mismatches(
    table: str, columns: Sequence[Sequence], keys: Sequence, numbers: dict[str, np.ndarray] | None = None
) -> list[Mismatch]:
    """The records of `table` whose stored checksum (the last column) does not match their data."""
    n = len(keys)
    stored = stored_checksums(table, columns[-1], keys)
    bad = np.flatnonzero(checksums(table, columns[:-1], n, keys, numbers) != stored)
    return [Mismatch(table, keys[i]) for i in bad]


def _select(table: str) -> str:
    names = ", ".join(f'"{name}"' for name, _ in CHECKED_TABLES[table])
    return f'SELECT {names}, checksum FROM "{table}"'


def check_table(conn: sqlite3.Connection, table: str) -> list[Mismatch]:
    """Read every record of `table` and return those whose checksum does not match."""
    rows = conn.execute(_select(table)).fetchall()
    if not rows:
        return []
    columns = list(zip(*rows, strict=True))
    return mismatches(table, columns, columns[0])


def refresh_table(cur: sqlite3.Cursor, table: str, where: str = "", params: Sequence = ()) -> None:
    """Recompute the checksum of every record of `table` (or those `where` selects) from what it holds."""
    key = CHECKED_TABLES[table][0][0]
    rows = cur.execute(_select(table) + (f" WHERE {where}" if where else ""), tuple(params)).fetchall()
    if not rows:
        return
    columns = list(zip(*rows, strict=True))
    sums = checksums(table, columns[:-1], len(rows), columns[0]).tolist()
    cur.executemany(f'UPDATE "{table}" SET checksum = ? WHERE "{key}" = ?', list(zip(sums, columns[0], strict=True)))


def refresh_all(cur: sqlite3.Cursor) -> None:
    """Recompute every checksum in the file (after a user chose to keep a file changed outside Cutline)."""
    for table in CHECKED_TABLES:
        refresh_table(cur, table)


def describe(found: Sequence[Mismatch]) -> str:
    """ "table initiatives, record 17" and how many more, for a message."""
    first = found[0]
    text = f"table {first.table}, record {first.record}"
    if len(found) > 1:
        tables = sorted({m.table for m in found})
        text += f"; {len(found)} records in all, in {', '.join(tables)}"
    return text
