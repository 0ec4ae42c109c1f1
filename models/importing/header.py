"""The header row: finding it below titles and notes, reading merged header cells, naming columns."""

from __future__ import annotations

import datetime as dt
import numbers
from dataclasses import dataclass

import numpy as np

from cutline.models.errors import Location
from cutline.models.importing.grid import Grid, blank_cells, column_letter
from cutline.models.importing.mapping import field_for_header, is_computed_header
from cutline.models.importing.report import WARNING, ImportIssue

#: How far down a header row is looked for; then, when no row there names two fields, how far
#: down a row that does (a sheet with a long preamble of notes above its table).
SCAN_ROWS = 30
DEEP_SCAN_ROWS = 500


def header_text(value: object) -> str:
    """A header cell as text: whitespace collapsed, whole numbers without ".0", dates as ISO."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, numbers.Real) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return " ".join(str(value).split())


def detect_header_row(grid: Grid) -> int:
    """The index in `grid.cells` of the likeliest header row among the first rows.

    A row scores ten points per field it names (once it names two: a lone "security" may be a
    category value), one per other text cell and three per text cell with numbers below it, and
    loses two per number. Titles and notes above a table have one cell and lose to it."""
    best, best_score, known = _best_row(grid, min(grid.height, SCAN_ROWS))
    if known < 2 and grid.height > SCAN_ROWS and _preamble(grid):  # notes, no table yet: look further
        deep, deep_score, deep_known = _best_row(grid, min(grid.height, DEEP_SCAN_ROWS))
        if deep_known >= 2:
            best, best_score = deep, deep_score
    if best_score is None:  # no row with two words: the first row with anything in it
        used = np.flatnonzero(~blank_cells(grid.cells[:SCAN_ROWS]).all(axis=1))
        best = int(used[0]) if used.size else 0
    return best


def _preamble(grid: Grid) -> bool:
    """Whether the first rows read as notes above a table (most hold one or two cells) rather than
    as a table whose header names few fields (its rows hold several cells each): only then is a
    header looked for further down, where a data row naming two fields would otherwise win."""
    filled = (~blank_cells(grid.cells[:SCAN_ROWS])).sum(axis=1)
    rows = filled[filled > 0]
    return bool(len(rows)) and float((rows > 2).mean()) < 0.2


def _best_row(grid: Grid, scan: int) -> tuple[int, int | None, int]:
    """(index, score, fields named) of the best-scoring row among the first `scan` rows (score
    None when no row has two words)."""
    rows = [[header_text(v) for v in filled_row(grid, i)] for i in range(scan)]
    numeric = [[bool(t) and _is_number(t) for t in row] for row in rows]
    best, best_score, best_known = 0, None, 0
    for i, texts in enumerate(rows):
        words = [j for j, t in enumerate(texts) if t and not numeric[i][j]]
        if len(words) < 2 and grid.width > 1:
            continue
        named = {field_for_header(texts[j]) or (texts[j] if is_computed_header(texts[j]) else None) for j in words}
        known = len(named - {None})
        over_numbers = sum(1 for j in words if any(numeric[k][j] for k in range(i + 1, min(i + 4, len(rows)))))
        score = 10 * (known if known >= 2 else 0) + len(words) + 3 * over_numbers - 2 * sum(numeric[i])
        if best_score is None or score > best_score:
            best, best_score, best_known = i, score, known
    return best, best_score, best_known


def filled_row(grid: Grid, index: int) -> list[object]:
    """A row's cells, where a merged range covers a blank cell, the range's top-left value."""
    return merged_header(grid, index)[0]


def merged_header(grid: Grid, index: int) -> tuple[list[object], list[bool]]:
    """(cells, taken from a merge) for a row: a blank cell covered by a merged range gets the
    range's top-left value, and is marked so an empty column under a wide header can be dropped."""
    row = list(grid.cells[index])
    borrowed = [False] * len(row)
    for top, left, bottom, right in grid.merged:
        if top <= index <= bottom and 0 <= top < grid.height:
            value = grid.cells[top, max(left, 0)] if left < grid.width else None
            for c in range(max(left, 0), min(right, grid.width - 1) + 1):
                if header_text(row[c]) == "":
                    row[c] = value
                    borrowed[c] = (top, left) != (index, c)
    return row, borrowed


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "").rstrip("%"))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Columns:
    """The columns kept from a sheet: unique keys, header texts, grid positions and letters."""

    keys: tuple[str, ...]
    texts: tuple[str, ...]
    positions: tuple[int, ...]
    letters: tuple[str, ...]
    issues: tuple[ImportIssue, ...]


def name_columns(
    texts: list[str], has_data: np.ndarray, first_col: int, sheet: str | None, header_row: int,
    borrowed: list[bool] | None = None,
) -> Columns:
    """Keys for the columns worth keeping: a blank header with no data below is dropped; a blank
    header with data becomes "Column D"; a repeated header gets its letter added, and both are
    reported rather than silently renamed."""
    keys: list[str] = []
    kept_texts: list[str] = []
    positions: list[int] = []
    letters: list[str] = []
    issues: list[ImportIssue] = []
    first_seen: dict[str, str] = {}
    for i, text in enumerate(texts):
        letter = column_letter(first_col + i)
        if (not text or (borrowed and borrowed[i])) and not has_data[i]:
            continue  # nothing in it, or only the spill of a header merged across it
        if not text:
            key = f"Column {letter}"
            issues.append(ImportIssue(
                WARNING, f"Column {letter} has values but no header; it is called {key!r} here.",
                Location(sheet, header_row, key),
                hint="Give it a header in the file, or map it to a field in the column mapping.",
            ))
        elif text in first_seen:
            key = f"{text} ({letter})"
            while key in first_seen:
                key += "'"
            issues.append(ImportIssue(
                WARNING,
                f"Columns {first_seen[text]} and {letter} are both named {text!r}; "
                f"column {letter} is called {key!r} here.",
                Location(sheet, header_row, key), text,
                hint="Rename one of them in the file, or choose in the column mapping which one feeds the field.",
            ))
        else:
            key = text
        first_seen.setdefault(key, letter)
        first_seen.setdefault(text, letter)
        keys.append(key)
        kept_texts.append(text)
        positions.append(i)
        letters.append(letter)
    return Columns(tuple(keys), tuple(kept_texts), tuple(positions), tuple(letters), tuple(issues))
