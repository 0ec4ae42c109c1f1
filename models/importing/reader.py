"""The import in steps a dialog can drive (inspect, read, guess, build) and in one call for the CLI."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from cutline.models.errors import CutlineError, SpreadsheetError
from cutline.models.importing import csv_reader, trackers
from cutline.models.importing.build import build_portfolio
from cutline.models.importing.layout import table_from_grid
from cutline.models.importing.mapping import ColumnMapping
from cutline.models.importing.report import WARNING, ImportIssue, ImportReport
from cutline.models.importing.safety import Limits, check_file_size
from cutline.models.importing.sniff import detect_format
from cutline.models.importing.source import CsvOptions, SourceInfo
from cutline.models.importing.suggest import suggest_mapping
from cutline.models.importing.table import RawTable
from cutline.models.importing.workbook_reader import (
    default_sheet,
    guarded,
    list_sheets,
    read_sheet,
    resolve_sheet,
)
from cutline.models.importing.xls_probe import probe_xls
from cutline.models.importing.xlsx_scan import is_strict
from cutline.models.portfolio.portfolio import Portfolio

T = TypeVar("T")
PathLike = str | os.PathLike


@dataclass(frozen=True, eq=False)
class ImportResult:
    """Everything one import produced: the portfolio of valid rows, the report, and how it was read."""

    portfolio: Portfolio
    report: ImportReport
    mapping: ColumnMapping
    source: SourceInfo
    raw: RawTable


def _never_raw(call: Callable[[], T], path: Path) -> T:
    """Run one step; anything but Cutline's own errors becomes a SpreadsheetError about the file."""
    try:
        return call()
    except CutlineError:
        raise
    except MemoryError as exc:
        raise SpreadsheetError(f"{path.name} is too large to read in this computer's memory.") from exc
    except OSError as exc:
        raise SpreadsheetError(f"Cannot read {path.name}: {exc.strerror or exc}.",
                               hint="Check the file exists and you may read it.") from exc
    except Exception as exc:  # the promise: no raw library exception for a bad file
        raise SpreadsheetError(
            f"Cutline could not read {path.name} ({type(exc).__name__}: {exc}).",
            hint="Open it in Excel or LibreOffice and save it again, or export it as CSV.",
        ) from exc


def inspect_source(path: PathLike, *, limits: Limits = Limits()) -> SourceInfo:
    """What a file is, from its content: format, sheets (hidden ones marked) and the default sheet,
    or for CSV the encoding, separator and decimal mark detected. Hostile files are refused here."""
    p = Path(path)
    return _never_raw(lambda: _inspect(p, limits)[0], p)


def _inspect(path: Path, limits: Limits) -> tuple[SourceInfo, Mapping[str, bytes]]:
    size = check_file_size(path, limits)
    stat = path.stat()
    return _inspect_cached(str(path.resolve()), size, stat.st_mtime_ns, limits)


@functools.lru_cache(maxsize=8)
def _inspect_cached(path_text: str, size: int, mtime_ns: int, limits: Limits) -> tuple[SourceInfo, Mapping[str, bytes]]:
    """Inspection is cached by file identity, so a dialog's repeated previews check a file once."""
    path = Path(path_text)
    detected = detect_format(path, limits)
    if detected.format == "csv":
        text, encoding = csv_reader.load_text(path, limits)
        options = csv_reader.detect_options(text, encoding, None)
        info = SourceInfo(path, "csv", size, encoding=options.encoding, delimiter=options.delimiter,
                          decimal=options.decimal, notes=detected.notes)
        return info, {}
    if detected.format == "xls":
        probe_xls(path)  # calamine may abort on opening a hostile xls: it tries in a child first
    sheets = list_sheets(path, detected.format)
    info = SourceInfo(
        path, detected.format, size, sheets=sheets, default_sheet=default_sheet(sheets),
        strict_ooxml=detected.format in ("xlsx", "xlsm") and guarded(path.name, lambda: is_strict(detected.parts)),
        notes=detected.notes,
    )
    return info, detected.parts


def read_raw(
    path: PathLike,
    *,
    sheet: str | None = None,
    csv_options: CsvOptions | None = None,
    header_row: int | None = None,
    limits: Limits = Limits(),
) -> RawTable:
    """One sheet's table as read: header row (detected when None; 1-based), headers, raw cells,
    source rows, and cells whose value could not be read (formulas never calculated, errors)."""
    p = Path(path)
    return _never_raw(lambda: _read_raw(p, sheet, csv_options, header_row, limits), p)


def _read_raw(
    path: Path, sheet: str | None, csv_options: CsvOptions | None, header_row: int | None, limits: Limits
) -> RawTable:
    source, parts = _inspect(path, limits)
    if source.format == "csv":
        given = csv_options or CsvOptions()
        text, encoding = csv_reader.load_text(path, limits, given.encoding)
        options = csv_reader.detect_options(text, encoding, given)
        grid = csv_reader.read_grid(text, options, limits, path.name)
        table = table_from_grid(grid, source, None, header_row=header_row,
                                decimal=options.decimal or ".", csv_options=options)
    else:
        name = resolve_sheet(source.sheets, sheet, path.name)
        grid = read_sheet(path, source.format, name, parts, limits)
        table = table_from_grid(grid, source, name, header_row=header_row)
    _check_table_size(table, path.name, limits)
    if source.notes:  # e.g. a CSV file named .xlsx: worth a word in the report
        notes = tuple(ImportIssue(WARNING, note) for note in source.notes)
        table = replace(table, issues=notes + table.issues)
    return trackers.adapt(table)


def _check_table_size(table: RawTable, name: str, limits: Limits) -> None:
    """The documented caps, on the table itself: rows of data below the header (the header and any
    rows above it do not count) and the cells of those rows."""
    where = f"Sheet {table.sheet!r} of {name}" if table.sheet else name
    rows, cols = len(table), len(table.headers)
    if rows > limits.max_rows:
        raise SpreadsheetError(
            f"{where} has {rows:,} rows of data below its header; Cutline reads up to {limits.max_rows:,}.",
            hint="Keep only the rows with initiatives and save a new file.")
    if rows * cols > limits.max_cells:
        raise SpreadsheetError(
            f"{where} has a table of {rows:,} rows by {cols:,} columns; Cutline reads up to "
            f"{limits.max_cells:,} cells.",
            hint="Remove the columns you do not need, or keep only the rows with initiatives.")


def read_portfolio(
    path: PathLike,
    *,
    sheet: str | None = None,
    mapping: ColumnMapping | None = None,
    csv_options: CsvOptions | None = None,
    header_row: int | None = None,
    limits: Limits = Limits(),
) -> ImportResult:
    """Read a spreadsheet into a Portfolio of its valid rows plus the import report, in one call.

    Fatal problems (unreadable, password-protected, damaged, empty, no data rows, hostile) raise
    SpreadsheetError; a mapping that does not fit raises ColumnMappingError; cell problems are
    in the report.
    """
    p = Path(path)
    raw = read_raw(p, sheet=sheet, csv_options=csv_options, header_row=header_row, limits=limits)
    chosen = mapping if mapping is not None else suggest_mapping(raw)
    portfolio, report = _never_raw(lambda: build_portfolio(raw, chosen), p)
    return ImportResult(portfolio, report, chosen, raw.source, raw)


def guard_sheet(path: PathLike, sheet: str, *, limits: Limits = Limits()) -> None:
    """Check a workbook's sheet as the import checks its own before another reader (pandas, for
    a Capacity or ratings sheet) loads it: an xlsx sheet's part is measured, an xls was probed and
    an ods measured when the file was inspected. SpreadsheetError when the sheet is past a cap."""
    p = Path(path)

    def check() -> None:
        source, parts = _inspect(p, limits)
        if source.format in ("xlsx", "xlsm"):
            from cutline.models.importing.xlsx_scan import sheet_members
            from cutline.models.importing.xml_guard import scan_all_sheets, scan_worksheet

            member = sheet_members(parts).get(sheet)
            if member:
                scan_worksheet(p, member, sheet, limits)
            else:
                scan_all_sheets(p, sheet, limits)

    _never_raw(check, p)
