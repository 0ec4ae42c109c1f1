"""Reading and writing a Workshop in the tables of the workshop file, writing only what changed."""

from __future__ import annotations

import operator
import sqlite3
from collections.abc import Sequence

import numpy as np
import pandas as pd
from cutline.models.errors import CutlineError, WorkshopFileError
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.scenario import Scenario
from cutline.models.workshop import checksums, values
from cutline.models.workshop import columns as columns_
from cutline.models.workshop.checksums import Mismatch
from cutline.models.workshop.document import Workshop
from cutline.models.workshop.schema import INITIATIVE_FIELDS, TEXT

FIELDS = tuple(name for name, _ in INITIATIVE_FIELDS)
_NUMERIC = frozenset(name for name, kind in INITIATIVE_FIELDS if kind == "REAL")
_COLUMNS = ("position", "source_row", *FIELDS, "extra")
_QUOTED = ", ".join(f'"{c}"' for c in _COLUMNS)
_INSERT = f"INSERT INTO initiatives ({_QUOTED}, checksum) VALUES ({', '.join('?' * (len(_COLUMNS) + 1))})"
_UPDATE = (
    "UPDATE initiatives SET "
    + ", ".join(f'"{c}" = ?' for c in (*_COLUMNS[1:], "checksum"))
    + " WHERE position = ?"
)
#: Above this share of changed rows, rewriting the whole table is the faster way.
_REWRITE_SHARE = 0.25


# -- meta ----------------------------------------------------------------------------------
def set_meta(cur: sqlite3.Cursor, key: str, value: object) -> None:
    text = values.dumps(value)
    cur.execute(
        "INSERT OR REPLACE INTO meta (key, value, checksum) VALUES (?, ?, ?)",
        (key, text, checksums.row_checksum("meta", (key, text))),
    )


def read_meta(conn: sqlite3.Connection) -> dict[str, object]:
    """Every meta setting, decoded (checksums are checked by `read_workshop`)."""
    out = {}
    for k, v in conn.execute("SELECT key, value FROM meta"):
        if type(k) is not str or type(v) is not str:
            column, value = ("key", k) if type(k) is not str else ("value", v)
            raise checksums.WrongType("meta", column, k, value, TEXT)
        out[k] = values.loads(v)
    return out


# -- the portfolio -------------------------------------------------------------------------
def _text(col: pd.Series) -> list:
    out = col.tolist()
    if set(map(type, out)) <= {str}:
        return out
    return ["" if v is None or (isinstance(v, float) and v != v) else str(v) for v in out]


def _portfolio_rows(portfolio: Portfolio, rows: np.ndarray | None = None) -> list[tuple]:
    """Parameter tuples for `_INSERT` of every row, or of `rows` only."""
    frame = portfolio.frame if rows is None else portfolio.frame.iloc[rows]
    n = len(frame)
    arrays: list[Sequence] = []  # as the checksums take them: numbers as arrays
    for name in FIELDS:
        col = frame[name]
        # NaN binds as NULL, which is what a blank number is.
        arrays.append(col.to_numpy(dtype=np.float64) if name in _NUMERIC else _text(col))
    extras = [columns_.encode_column(frame[name]) for name in portfolio.extra_columns]
    positions = np.arange(len(portfolio)) if rows is None else np.asarray(rows)
    source = portfolio.source_rows if len(portfolio.source_rows) == len(portfolio) else np.arange(2, len(portfolio) + 2)
    source_rows = source if rows is None else source[rows]
    arrays = [positions.astype(np.int64), np.asarray(source_rows, dtype=np.int64), *arrays,
              columns_.encode_rows(extras, n)]
    sums = checksums.checksums("initiatives", arrays, n, positions).tolist()
    data = [a.tolist() if isinstance(a, np.ndarray) else a for a in arrays]
    return list(zip(*data, sums, strict=True))


def write_portfolio(cur: sqlite3.Cursor, portfolio: Portfolio) -> None:
    """Replace the initiatives table and the column description with `portfolio`."""
    cur.execute("DELETE FROM initiatives")
    cur.executemany(_INSERT, _portfolio_rows(portfolio))
    set_meta(cur, "columns", [[name, str(portfolio.frame[name].dtype)] for name in portfolio.columns])
    set_meta(cur, "extra_columns", list(portfolio.extra_columns))
    set_meta(cur, "sheet", portfolio.sheet)


def update_rows(cur: sqlite3.Cursor, portfolio: Portfolio, rows: np.ndarray) -> None:
    """Rewrite only the initiative rows `rows` (a cell edit touches one)."""
    params = [(*r[1:], r[0]) for r in _portfolio_rows(portfolio, rows)]
    cur.executemany(_UPDATE, params)


def _same(x: object, y: object) -> bool:
    if x is y:
        return True
    if type(x) is not type(y):
        return False
    if isinstance(x, float) and x != x:
        return y != y
    try:
        return bool(x == y)
    except (TypeError, ValueError):
        return False


def _differs(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Per row, whether two columns of the same dtype hold different values (types count)."""
    n = len(a)
    if a.dtype.kind == "f":
        x, y = a.to_numpy(), b.to_numpy()
        return ~((x == y) | (np.isnan(x) & np.isnan(y)))
    if a.dtype != object:  # a typed column: equality is exact
        if a.equals(b):
            return np.zeros(n, dtype=bool)
        return ~((a == b).to_numpy(dtype=bool, na_value=False) | (a.isna() & b.isna()).to_numpy())
    x, y = a.tolist(), b.tolist()
    # A copied frame shares its cells' objects, so identity settles most columns at once;
    # equality alone would not do, as it takes 1, 1.0 and True for the same value.
    if all(map(operator.is_, x, y)):
        return np.zeros(n, dtype=bool)
    return np.fromiter((not _same(u, v) for u, v in zip(x, y, strict=True)), bool, n)


def changed_rows(old: Portfolio, new: Portfolio) -> np.ndarray | None:
    """The rows whose values differ, or None when the table must be rewritten."""
    if old is new:
        return np.zeros(0, dtype=np.int64)
    same_shape = (
        old.columns == new.columns
        and len(old) == len(new)
        and old.sheet == new.sheet
        and np.array_equal(old.source_rows, new.source_rows)
        and [str(t) for t in old.frame.dtypes] == [str(t) for t in new.frame.dtypes]
    )
    if not same_shape:
        return None
    mask = np.zeros(len(new), dtype=bool)
    for name in new.columns:
        a, b = old.frame[name], new.frame[name]
        if name in FIELDS and name not in _NUMERIC:
            # Canonical text is always str, so equality is enough (and fast).
            mask |= a.to_numpy() != b.to_numpy()
        else:
            mask |= _differs(a, b)
    rows = np.flatnonzero(mask)
    return None if len(rows) > _REWRITE_SHARE * max(len(new), 1) else rows


def _canonical(cells: Sequence, numeric: bool, dtype: str | None) -> pd.Series:
    """A canonical column: float64 or object, as Portfolio keeps them, unless it was saved otherwise."""
    if numeric:  # NULL reads as None, which numpy makes NaN
        col = pd.Series(np.asarray(cells, dtype=np.float64))
    else:
        col = pd.Series(np.fromiter(cells, dtype=object, count=len(cells)), dtype=object)
    if dtype is None or dtype == str(col.dtype):
        return col
    try:
        return col.astype(dtype)
    except (TypeError, ValueError):
        return col


def read_portfolio(
    conn: sqlite3.Connection, meta: dict, found: list[Mismatch] | None = None
) -> Portfolio:
    """The portfolio stored in the initiatives table, with its extra columns' types restored.

    Every value is checked for its column's type (WrongType names the first that is not),
    and, when `found` is a list, every record's checksum: those that do not match are added.
    """
    select = f"SELECT {_QUOTED}{', checksum' if found is not None else ''} FROM initiatives ORDER BY position"
    rows = conn.execute(select).fetchall()
    n = len(rows)
    columns = list(zip(*rows, strict=True)) if rows else [()] * (len(_COLUMNS) + (found is not None))
    numbers: dict[str, np.ndarray] = {}  # the number columns, converted once
    if found is not None:
        found += checksums.mismatches("initiatives", columns, columns[0], numbers)
        columns = columns[:-1]
    else:
        checksums.checksums("initiatives", columns, n, columns[0], numbers)  # the type checks alone
    positions = numbers["position"] if n else np.zeros(0, dtype=np.int64)
    if not np.array_equal(positions, np.arange(n)):
        raise WorkshopFileError("Some initiatives are missing from the workshop file.")
    dtypes = {name: dtype for name, dtype in meta["columns"]}
    extra = tuple(meta["extra_columns"])
    data = {
        name: _canonical(numbers.get(name, col), name in _NUMERIC, dtypes.get(name))
        for name, col in zip(FIELDS, columns[2:-1], strict=True)
    }
    for name, col in zip(extra, columns_.decode_rows(columns[-1], len(extra)), strict=True):
        data[name] = columns_.decode_column(col, dtypes.get(name, "object"))
    frame = pd.DataFrame(data, index=pd.RangeIndex(n))
    source_rows = numbers["source_row"] if n else np.zeros(0, dtype=np.int64)
    return Portfolio(frame, extra, source_rows, meta.get("sheet"))


# -- scenarios and rating rounds: JSON rows by position ------------------------------------------
def _write_positions(cur: sqlite3.Cursor, table: str, old: list[tuple], new: list[tuple]) -> None:
    """Rewrite only the positions whose row changed; drop positions past the new end."""
    changed = [i for i, row in enumerate(new) if i >= len(old) or old[i] != row]
    if len(new) < len(old):
        cur.execute(f"DELETE FROM {table} WHERE position >= ?", (len(new),))
    if not changed:
        return
    marks = ", ".join("?" * (len(new[0]) + 2))  # the position, the row, its checksum
    rows = checksums.with_checksums(table, [(i, *new[i]) for i in changed])
    if len(changed) == 1 and changed[0] < len(old) and new[changed[0]][0] == old[changed[0]][0]:
        # The usual edit (a weight, a pin) rewrites one row in place.
        cur.execute(f"REPLACE INTO {table} VALUES ({marks})", rows[0])
        return
    # Delete first: rows that swap names would otherwise clash on the unique name.
    cur.executemany(f"DELETE FROM {table} WHERE position = ?", [(i,) for i in changed])
    cur.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def _scenario_rows(workshop: Workshop) -> list[tuple]:
    return [(s.name, values.dumps(s.to_dict())) for s in workshop.scenarios]


def _round_rows(workshop: Workshop) -> list[tuple]:
    return [(values.dumps(r),) for r in workshop.rating_rounds]


# -- the whole workshop -----------------------------------------------------------------
def write_workshop(cur: sqlite3.Cursor, workshop: Workshop) -> None:
    """Write every part of `workshop` into empty tables."""
    write_portfolio(cur, workshop.portfolio)
    write_changes(cur, None, workshop)


def write_changes(cur: sqlite3.Cursor, old: Workshop | None, new: Workshop) -> None:
    """Write the parts of `new` that differ from `old` (what the file holds now)."""
    if old is not None and old.portfolio is not new.portfolio:
        rows = changed_rows(old.portfolio, new.portfolio)
        if rows is None:
            write_portfolio(cur, new.portfolio)
        elif len(rows):
            update_rows(cur, new.portfolio, rows)
    _write_positions(cur, "scenarios", [] if old is None else _scenario_rows(old), _scenario_rows(new))
    _write_positions(cur, "rating_rounds", [] if old is None else _round_rows(old), _round_rows(new))
    for key, attr in (("current_scenario", "current"), ("mapping", "mapping"), ("source", "source")):
        if old is None or getattr(old, attr) != getattr(new, attr):
            set_meta(cur, key, getattr(new, attr))


class ChangedRecords(WorkshopFileError):
    """Records whose checksums do not match what they hold: changed outside Cutline."""

    def __init__(self, found: list[Mismatch]):
        self.found = found
        super().__init__(f"changed outside Cutline ({checksums.describe(found)})")


def read_workshop(conn: sqlite3.Connection, found: list[Mismatch] | None = None) -> Workshop:
    """The workshop the file holds (current schema), every value checked for its column's type.

    Every record's checksum is checked too (the journal's included): a mismatch raises
    ChangedRecords, or, when `found` is a list, is added to it and the workshop read all the
    same (a file the user chose to open read-only as it is).
    """
    collect: list[Mismatch] = []
    for table in ("meta", "scenarios", "rating_rounds", "journal"):
        collect += checksums.check_table(conn, table)
    meta = read_meta(conn)
    portfolio = read_portfolio(conn, meta, collect)
    if collect and found is None:
        raise ChangedRecords(collect)
    if found is not None:
        found += collect
    return _read_rest(conn, meta, portfolio)


def read_workshop_unverified(conn: sqlite3.Connection) -> Workshop:
    """The workshop of a file whose checksums this Cutline cannot know (a newer schema's)."""
    meta = read_meta(conn)
    return _read_rest(conn, meta, read_portfolio(conn, meta))


def _json_rows(conn: sqlite3.Connection, table: str) -> list[str]:
    texts = [d for (d,) in conn.execute(f"SELECT data FROM {table} ORDER BY position")]
    for position, text in enumerate(texts):
        if type(text) is not str:
            raise checksums.WrongType(table, "data", position, text, TEXT)
    return texts


def _read_rest(conn: sqlite3.Connection, meta: dict, portfolio: Portfolio) -> Workshop:
    scenarios = tuple(Scenario.from_dict(values.loads(data)) for data in _json_rows(conn, "scenarios"))
    rounds = tuple(values.loads(d) for d in _json_rows(conn, "rating_rounds"))
    try:
        return Workshop(
            portfolio, scenarios, str(meta["current_scenario"]),
            dict(meta.get("mapping") or {}), str(meta.get("source") or ""), rounds,
        )
    except CutlineError as exc:
        raise WorkshopFileError(f"The workshop it holds is not consistent: {exc.message}") from exc
