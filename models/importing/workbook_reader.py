"""Workbooks (xlsx, xlsm, xls, ods) read with python-calamine, the fast reader pandas uses."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

import numpy as np
import python_calamine as calamine

from cutline.models.errors import CutlineError, SpreadsheetError
from cutline.models.importing.grid import Grid
from cutline.models.importing.safety import Limits, corrupt_error, password_error
from cutline.models.importing.source import SUFFIXES, SheetInfo
from cutline.models.importing.xlsx_scan import scan_sheet, sheet_members
from cutline.models.importing.xml_guard import (
    extent_error,
    read_member,
    scan_all_sheets,
    scan_worksheet,
)

T = TypeVar("T")
_WORKSHEET = calamine.SheetTypeEnum.WorkSheet
_VISIBLE = calamine.SheetVisibleEnum.Visible


def guarded(name: str, call: Callable[[], T]) -> T:
    """Run a library call; turn anything it raises into a SpreadsheetError naming the file."""
    try:
        return call()
    except CutlineError:
        raise
    except calamine.PasswordError as exc:
        raise password_error(name) from exc
    except MemoryError as exc:
        raise SpreadsheetError(f"{name} is too large to read in this computer's memory.",
                               hint="Keep only the sheet with your initiatives and save a new file.") from exc
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine's Rust panics derive from BaseException
        detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        raise corrupt_error(name, detail) from exc


def open_book(path: Path, fmt: str):
    """calamine's workbook of `path`, which holds `fmt` (told from its content). calamine's
    from_path goes by the name's ending, so a file whose ending says otherwise (an xlsx named
    .xls) is handed over as bytes, which calamine tells by their content."""
    if path.suffix.lower() in SUFFIXES.get(fmt, ()):
        return calamine.CalamineWorkbook.from_path(str(path))
    with open(path, "rb") as fh:
        return calamine.CalamineWorkbook.from_filelike(fh)


def list_sheets(path: Path, fmt: str) -> tuple[SheetInfo, ...]:
    """The workbook's worksheets in order, each marked hidden or not (chart sheets left out)."""
    def load() -> tuple[SheetInfo, ...]:
        with open_book(path, fmt) as book:
            return tuple(
                SheetInfo(m.name, m.visible != _VISIBLE)
                for m in book.sheets_metadata if m.typ == _WORKSHEET
            )
    return guarded(path.name, load)


#: A Cutline export opens on its one-page Roadmap; the Ranked list after it is what to import.
EXPORT_SHEETS = ("Roadmap", "Ranked list")


def default_sheet(sheets: tuple[SheetInfo, ...]) -> str | None:
    """The first visible sheet (a Cutline export's Ranked list), else the first sheet."""
    visible = [s.name for s in sheets if not s.hidden]
    if tuple(visible[:2]) == EXPORT_SHEETS:
        return visible[1]
    return visible[0] if visible else (sheets[0].name if sheets else None)


def resolve_sheet(sheets: tuple[SheetInfo, ...], wanted: str | None, name: str) -> str:
    """The sheet to read: the one asked for (exact, then ignoring case) or the default."""
    if not sheets:
        raise SpreadsheetError(f"{name} has no worksheets.", hint="Choose a workbook with your initiatives on a sheet.")
    if wanted is None:
        return default_sheet(sheets) or sheets[0].name
    names = [s.name for s in sheets]
    visible = tuple(s.name for s in sheets if not s.hidden)[:2]
    if visible == EXPORT_SHEETS and wanted.strip().casefold() == EXPORT_SHEETS[0].casefold():
        return EXPORT_SHEETS[1]  # an export's one-page Roadmap holds no rows: its list is the sheet meant
    if wanted in names:
        return wanted
    folded = [n for n in names if n.casefold() == wanted.strip().casefold()]
    if folded:
        return folded[0]
    raise SpreadsheetError(
        f"{name} has no sheet named {wanted!r}.",
        hint="Its sheets are: " + ", ".join(repr(n) for n in names) + ".",
    )


def read_sheet(path: Path, fmt: str, sheet: str, parts: Mapping[str, bytes], limits: Limits) -> Grid:
    """One sheet's used area as a Grid. An xlsx sheet's part is parsed and measured before it is
    loaded (an ods file's content was, when it was inspected), so the reader never allocates past
    the caps."""
    flagged, checked = {}, False
    if fmt in ("xlsx", "xlsm"):
        member = guarded(path.name, lambda: sheet_members(parts)).get(sheet)
        if member:
            _, data = scan_worksheet(path, member, sheet, limits)
            if data is None:  # a very large part: inflated again for the formula scan
                data = read_member(path, member, limits)
            scan = guarded(path.name, lambda: scan_sheet(data))
            del data
            flagged, checked = dict(scan.flagged), True
        else:  # the sheet's part could not be told: check every part as a sheet before loading
            scan_all_sheets(path, sheet, limits)

    def load() -> tuple[list, tuple | None, list]:
        with open_book(path, fmt) as book:
            data = book.get_sheet_by_name(sheet)
            return data.to_python(skip_empty_area=True), data.start, data.merged_cell_ranges or []

    rows, start, merged = guarded(path.name, load)
    if not rows or start is None:
        return Grid(np.empty((0, 0), dtype=object), formulas_checked=checked)
    _check_extent(path.name, sheet, len(rows), max(map(len, rows)), limits)
    cells = np.array(rows, dtype=object)
    if cells.shape != (len(rows), len(rows[0])):  # ragged rows: place them cell by cell
        cells = np.full((len(rows), max(map(len, rows))), "", dtype=object)
        for i, row in enumerate(rows):
            cells[i, : len(row)] = row
    top, left = start
    ranges = tuple(
        (r0 - top, c0 - left, r1 - top, c1 - left)
        for (r0, c0), (r1, c1) in merged
        if r1 >= top and c1 >= left
    )
    return Grid(cells, first_row=top + 1, first_col=left, merged=ranges,
                flagged=flagged, formulas_checked=checked)


def _check_extent(name: str, sheet: str, rows: int, cols: int, limits: Limits) -> None:
    """Refuse a loaded sheet past the caps (an xls, whose cells are not measured before loading)."""
    err = extent_error(name, sheet, rows, cols, 0, limits)
    if err is not None:
        raise err
