"""Where the table sits in a sheet's grid: its header row, its columns and its data rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cutline.models.errors import Location, NoDataRows, SpreadsheetError
from cutline.models.importing.grid import CellFlag, Grid, blank_cells, column_letter
from cutline.models.importing.header import (
    detect_header_row,
    header_text,
    merged_header,
    name_columns,
)
from cutline.models.importing.report import WARNING, ImportIssue
from cutline.models.importing.source import CsvOptions, SourceInfo
from cutline.models.importing.table import RawTable


def table_from_grid(
    grid: Grid,
    source: SourceInfo,
    sheet: str | None,
    *,
    header_row: int | None = None,
    decimal: str = ".",
    csv_options: CsvOptions | None = None,
) -> RawTable:
    """The RawTable of a grid: header row detected (or the given 1-based row), blank rows and
    columns dropped, vertically merged data cells filled down."""
    where = f"sheet {sheet!r}" if sheet else source.path.name
    all_blank = blank_cells(grid.cells)
    if grid.height == 0 or all_blank.all():
        raise SpreadsheetError(f"{where} is empty.", location=Location(sheet),
                               hint=_other_sheets_hint(source, sheet))
    index = _header_index(grid, header_row, where, sheet)
    number = grid.first_row + index
    cells, borrowed = merged_header(grid, index)
    texts = [header_text(v) for v in cells]
    data, merge_issues = _fill_merged_down(grid, index, sheet)
    blank = blank_cells(data) if merge_issues else all_blank[index + 1:]
    rows = np.flatnonzero(~blank.all(axis=1))
    if not rows.size:
        others = [s.name for s in source.sheets if s.name != sheet]
        raise NoDataRows(
            f"{where} has a header on row {number} but no rows of data below it.",
            location=Location(sheet, number),
            hint="Choose the sheet or header row with your initiatives below it"
                 + (": the other sheets are " + ", ".join(repr(n) for n in others) + "." if others else "."),
        )
    columns = name_columns(texts, (~blank).any(axis=0), grid.first_col, sheet, number, borrowed)
    frame = pd.DataFrame(
        {key: _column(data[rows, pos], blank[rows, pos]) for key, pos in zip(columns.keys, columns.positions)},
        index=pd.RangeIndex(len(rows)),
    )
    source_rows = (rows + number + 1).astype(np.int64)
    return RawTable(
        source=source, sheet=sheet, header_row=number, headers=columns.keys, frame=frame,
        source_rows=source_rows, header_texts=columns.texts, letters=columns.letters, decimal=decimal,
        flagged=_flags_by_header(grid, columns.keys, columns.positions, set(source_rows.tolist())),
        formulas_checked=grid.formulas_checked, issues=columns.issues + merge_issues,
        csv_options=csv_options,
    )


def _header_index(grid: Grid, header_row: int | None, where: str, sheet: str | None) -> int:
    """The grid index of the header row: detected, or the user's choice checked."""
    if header_row is None:
        return detect_header_row(grid)
    index = header_row - grid.first_row
    last = grid.first_row + grid.height - 1
    if header_row < 1 or index >= grid.height:
        raise SpreadsheetError(
            f"Row {header_row} is outside the table of {where}, which has rows up to {last}.",
            location=Location(sheet, header_row), hint=f"Choose a header row from 1 to {last}.",
        )
    if index < 0 or blank_cells(grid.cells[index]).all():
        raise SpreadsheetError(
            f"Row {header_row} of {where} is blank, so it cannot be the header row.",
            location=Location(sheet, header_row), hint="Choose the row that holds the column names.",
        )
    return index


def _fill_merged_down(grid: Grid, index: int, sheet: str | None) -> tuple[np.ndarray, tuple[ImportIssue, ...]]:
    """The data rows below the header; a value merged over several rows is given to each of them."""
    data = grid.cells[index + 1:]
    issues = []
    below = [m for m in grid.merged if m[0] > index and m[2] > m[0] and 0 <= m[1] < grid.width]
    if below:
        data = data.copy()
    for top, left, bottom, _right in below:
        value = grid.cells[top, left]
        if blank_cells(np.array([value], dtype=object))[0]:
            continue
        data[top - index: bottom - index, left] = value  # rows top+1 .. bottom, in data coordinates
        first, last = grid.first_row + top, grid.first_row + bottom
        letter = column_letter(grid.first_col + left)
        issues.append(ImportIssue(
            WARNING, f"Cells {letter}{first}:{letter}{last} are merged; each of these rows was given "
            f"the merged value.", Location(sheet, first, None), value,
            hint="Unmerge the cells in the file if the rows should differ.",
        ))
    return data, tuple(issues)


def _column(values: np.ndarray, blank: np.ndarray) -> pd.Series:
    """A column of raw cells, blanks as None; all numbers become float64, all text str."""
    values = values.copy()
    values[blank] = None
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind in ("floating", "integer", "mixed-integer-float"):
        return pd.Series(np.where(blank, np.nan, values).astype(np.float64))
    if kind == "string":
        return pd.Series(values, dtype="str")
    return pd.Series(values, dtype=object)


def _flags_by_header(
    grid: Grid, keys: tuple[str, ...], positions: tuple[int, ...], rows: set[int]
) -> dict[tuple[int, str], CellFlag]:
    by_column = {grid.first_col + pos: key for key, pos in zip(keys, positions)}
    return {
        (row, by_column[col]): flag
        for (row, col), flag in grid.flagged.items()
        if col in by_column and row in rows
    }


def _other_sheets_hint(source: SourceInfo, sheet: str | None) -> str:
    others = [s.name for s in source.sheets if s.name != sheet]
    if not others:
        return "Choose the file that holds your initiatives."
    return "Choose another sheet: " + ", ".join(repr(n) for n in others) + "."
