"""Reading and checking capacity tables and guardrails (the capacity editor's edits are in
models/capacity/edits.py)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from cutline.models.capacity.capacity import POOL, Capacity, Guardrail
from cutline.models.errors import CapacityError, CutlineError, Location, SpreadsheetError
from cutline.models.portfolio.portfolio import Portfolio, cell_text

#: The sheet a workbook keeps its capacity table in, and its optional guardrails.
CAPACITY_SHEET = "Capacity"
GUARDRAILS_SHEET = "Guardrails"

# Headers are compared with everything but letters and digits removed, lower case.
_TEAM_NAMES = {"team", "teamname", "squad"}
_QUARTER_NAMES = {"quarter", "qtr", "period"}
_CAPACITY_NAMES = {
    "capacity", "personweeks", "pw", "capacitypersonweeks", "capacitypw",
    "capacityinpersonweeks", "capacityweeks", "weeks",
}
_CATEGORY_NAMES = {"category"}
_RESERVE_NAMES = {"reserve", "reserveshare", "reservepercent", "reserved"}
_CAP_NAMES = {"cap", "capshare", "cappercent", "maximum", "max"}


def team_key(name: object) -> str:
    """How team names are compared: trimmed, case-insensitive; blank or "*" is the pool."""
    text = cell_text(name)
    return POOL if text in ("", "*") else text.casefold()


def category_key(name: object) -> str:
    """How category names are compared with guardrails: trimmed and case-insensitive."""
    return cell_text(name).casefold()


def _header_key(header: object) -> str:
    return re.sub(r"[^0-9a-z]", "", str(header).casefold())


def _find_column(frame: pd.DataFrame, names: set[str]) -> object | None:
    for column in frame.columns:
        if _header_key(column) in names:
            return column
    return None


def _is_blank_header(header: object) -> bool:
    text = cell_text(header)
    return text == "" or text.startswith("Unnamed:")


# -- reading a capacity table ------------------------------------------------------------
def capacity_from_frame(frame: pd.DataFrame, *, sheet: str | None = None, first_row: int = 2,
                        decimal: str = ".") -> Capacity:
    """A Capacity from a table of team, quarter, capacity, or of one column per quarter.

    `first_row` is the spreadsheet row number of the frame's first row, for messages; `decimal`
    the decimal mark of numbers written as text. Rows that are entirely blank are skipped, and
    quarters written as dates are named by the quarter that contains them.
    """
    frame, rows = _without_blank_rows(frame, first_row)
    team_col = _find_column(frame, _TEAM_NAMES)
    quarter_col = _find_column(frame, _QUARTER_NAMES)
    capacity_col = _find_column(frame, _CAPACITY_NAMES)
    if team_col is not None and quarter_col is not None and capacity_col is not None:
        found = _long_rows(frame, rows, team_col, quarter_col, capacity_col, sheet, decimal)
    elif team_col is not None and quarter_col is None and capacity_col is None and len(frame.columns) > 1:
        found = _wide_rows(frame, rows, team_col, sheet, first_row, decimal)
    else:
        names = ", ".join(repr(str(c)) for c in frame.columns) or "none"
        raise CapacityError(
            f"The capacity table needs the columns team, quarter and capacity (found {names}).",
            location=Location(sheet=sheet, row=first_row - 1),
            hint="Name them so, or use one row per team with one column per quarter.",
        )
    _check_duplicates(found, sheet)
    return Capacity.from_rows([(team, quarter, value) for team, quarter, value, _ in found])


def _without_blank_rows(frame: pd.DataFrame, first_row: int) -> tuple[pd.DataFrame, np.ndarray]:
    """The frame without entirely blank rows, and the sheet row number of each row kept."""
    rows = first_row + np.arange(len(frame), dtype=np.int64)
    text = frame.map(cell_text) if len(frame.columns) else frame
    keep = (text != "").any(axis=1).to_numpy() if len(frame.columns) else np.zeros(len(frame), bool)
    return frame[keep], rows[keep]


def _numbers(values: pd.Series, decimal: str = ".") -> np.ndarray:
    """Cells as float64, text read as the import reads it ("1,000", "2,5" with a decimal comma);
    what is not a number of person-weeks (text, a date, TRUE, "80%") becomes NaN, blank cells too."""
    from cutline.models.importing.values import read_numbers

    found = read_numbers(values.astype(object), decimal)
    out = found.values.copy()
    out[found.percent] = np.nan
    return out


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]00:00(?::00)?)?$")


def quarter_name(value: object) -> str:
    """A quarter cell or header as its name: a date (a date cell, or 2027-01-01 as text) as the
    quarter that contains it, "2027-Q1", as the import reads a due date; anything else (Q1, H1,
    Sprint 3) as its text."""
    from cutline.models.importing.conversions import quarter_of_date

    if value is pd.NaT:  # a blank cell in a column of dates
        return ""
    if isinstance(value, dt.date):  # datetime and pandas' Timestamp too
        return quarter_of_date(value.isoformat()[:10])
    text = cell_text(value)
    return quarter_of_date(text) if _ISO_DAY.match(text) else text


def _check_numbers(values: pd.Series, numbers: np.ndarray, blank_ok: bool, column: object,
                   sheet: str | None, rows: np.ndarray) -> None:
    """Raise for the first cell that is not a number, negative, or blank when a number is needed."""
    blank = values.map(cell_text).to_numpy() == ""
    bad = (~np.isfinite(numbers) & ~blank) | (numbers < 0) | (blank & (not blank_ok))
    if not bad.any():
        return
    i = int(np.argmax(bad))
    where = Location(sheet=sheet, row=int(rows[i]), column=str(column))
    if blank[i]:
        raise CapacityError("The capacity is blank.", location=where,
                            hint="Type the person-weeks the team has, or 0.")
    if np.isfinite(numbers[i]) and numbers[i] < 0:
        raise CapacityError(f"The capacity {numbers[i]:g} is below zero.", location=where,
                            hint="Capacity is person-weeks: 0 or more.")
    raise CapacityError(f"The capacity {cell_text(values.iloc[i])!r} is not a number.",
                        location=where, hint="Type the person-weeks as a number, such as 12.")


def _long_rows(frame, rows, team_col, quarter_col, capacity_col, sheet, decimal="."):
    """(team, quarter, capacity, sheet row) from a table with one row per team and quarter."""
    quarters = frame[quarter_col].map(quarter_name)
    blank = (quarters == "").to_numpy()
    if blank.any():
        i = int(np.argmax(blank))
        raise CapacityError("The quarter is blank.", location=Location(sheet, int(rows[i]), str(quarter_col)),
                            hint="Name the quarter, such as 2025-Q1.")
    numbers = _numbers(frame[capacity_col], decimal)
    _check_numbers(frame[capacity_col], numbers, False, capacity_col, sheet, rows)
    teams = frame[team_col].map(cell_text).tolist()
    return list(zip(teams, quarters.tolist(), numbers.tolist(), rows.tolist(), strict=True))


def _wide_rows(frame, rows, team_col, sheet, first_row, decimal="."):
    """(team, quarter, capacity, sheet row) from one row per team and one column per quarter.

    A blank cell means the team has no row for that quarter (so it may draw on a pool).
    """
    teams = frame[team_col].map(cell_text).tolist()
    out = []
    for column in frame.columns:
        if column == team_col:
            continue
        values = frame[column]
        if _is_blank_header(column):
            if values.map(cell_text).eq("").all():
                continue  # an empty spacer column
            raise CapacityError("A quarter column has no name.",
                                location=Location(sheet, first_row - 1, str(column)),
                                hint="Type the quarter's name in the header, such as 2025-Q1.")
        numbers = _numbers(values, decimal)
        _check_numbers(values, numbers, True, column, sheet, rows)
        quarter = quarter_name(column)
        for team, value, row in zip(teams, numbers.tolist(), rows.tolist(), strict=True):
            if not math.isnan(value):
                out.append((team, quarter, value, row))
    return out  # quarters in column order, so the table names them in that order


def _check_duplicates(rows, sheet) -> None:
    seen: dict[tuple[str, str], int] = {}
    for team, quarter, _, row in rows:
        key = (team_key(team), quarter)
        if key in seen:
            name = f"Team {team!r}" if key[0] != POOL else "The pool"
            raise CapacityError(
                f"{name} has two capacities for quarter {quarter!r} (rows {seen[key]} and {row}).",
                location=Location(sheet=sheet, row=row),
                hint="Keep one row per team and quarter.",
            )
        seen[key] = row


def read_capacity(path: str | Path, sheet: str | None = None) -> Capacity:
    """A Capacity from a csv file, or from a workbook's "Capacity" sheet (and "Guardrails", if any)."""
    path = Path(path)
    if not path.exists():
        raise CapacityError(f"The capacity file {str(path)!r} does not exist.")
    from cutline.models.importing.reader import guard_sheet, inspect_source

    # Told from the content, as the import tells it: a workbook named .csv is a workbook, and a
    # text file is read with its own encoding, separator and decimal mark.
    try:
        source = _guarded(lambda: inspect_source(path), path)
    except SpreadsheetError as exc:  # its hint speaks of initiatives
        raise CapacityError(exc.message, location=exc.location,
                            hint="Choose the csv, xlsx or ods file with the teams' capacity.") from exc
    if source.format == "csv":
        try:
            frame, first_row = _guarded(lambda: _csv_table(path), path)
        except SpreadsheetError as exc:  # the reader's hint speaks of initiatives
            raise CapacityError(exc.message, location=exc.location,
                                hint="Choose the csv, xlsx or ods file with the teams' capacity.") from exc
        try:
            return capacity_from_frame(frame, sheet=None, first_row=first_row, decimal=source.decimal or ".")
        except CapacityError as exc:
            if not source.notes:  # e.g. "plan.xlsx is named '.xlsx' but holds a CSV text file"
                raise
            raise CapacityError(exc.message, location=exc.location,
                                hint=" ".join((exc.hint, *source.notes)).strip()) from exc
    names = [sh.name for sh in source.sheets]
    for name in names:  # measured before pandas loads them, as the import measures its own sheet
        if name.casefold() in (CAPACITY_SHEET.casefold(), GUARDRAILS_SHEET.casefold(), (sheet or "").casefold()):
            _guarded(lambda name=name: guard_sheet(path, name), path)
    book = _read(lambda: pd.ExcelFile(path, engine="calamine"), path)
    with book:
        names = list(book.sheet_names)
        wanted = sheet or CAPACITY_SHEET
        match = next((s for s in names if s == wanted), None) or next(
            (s for s in names if s.casefold() == wanted.casefold()), None)
        if match is None:
            raise CapacityError(f"The workbook {path.name!r} has no sheet named {wanted!r}.",
                                hint="Its sheets are " + ", ".join(repr(s) for s in names) + ".")
        frame = _read(lambda: pd.read_excel(book, sheet_name=match), path)
        if is_exported_capacity(frame):
            grid = _read(lambda: pd.read_excel(book, sheet_name=match, header=None), path)
            return exported_capacity(grid, sheet=match)
        capacity = capacity_from_frame(frame, sheet=match)
        rails = next((s for s in names if s.casefold() == GUARDRAILS_SHEET.casefold()), None)
        if rails is None:
            return capacity
        frame = _read(lambda: pd.read_excel(book, sheet_name=rails), path)
        guardrails = guardrails_from_frame(frame, sheet=rails)
    return Capacity(capacity.table, guardrails)


def _csv_table(path: Path) -> tuple[pd.DataFrame, int]:
    """A capacity text file as a frame of text cells under its first row that is not blank, with
    the file's line number of its first row of data; read as the import reads a CSV file."""
    from cutline.models.importing import csv_reader
    from cutline.models.importing.grid import column_letter
    from cutline.models.importing.safety import Limits

    limits = Limits()
    text, encoding = csv_reader.load_text(path, limits)
    options = csv_reader.detect_options(text, encoding, None)
    cells = csv_reader.read_grid(text, options, limits, path.name).cells
    texts = np.vectorize(cell_text, otypes=[object])(cells) if cells.size else cells
    filled = np.flatnonzero((texts != "").any(axis=1)) if cells.size else np.zeros(0, dtype=np.int64)
    top = int(filled[0]) if len(filled) else 0
    header = [text or f"Unnamed: {j}" for j, text in enumerate(texts[top].tolist())] if cells.size else []
    seen: dict[str, int] = {}
    for j, name in enumerate(header):
        if name.casefold() in seen:
            first = seen[name.casefold()]
            raise CapacityError(
                f"Two columns are named {name!r} (columns {column_letter(first)} and {column_letter(j)}).",
                location=Location(None, top + 1, name), hint="Give every column a name of its own.")
        seen[name.casefold()] = j
    frame = pd.DataFrame(cells[top + 1:], columns=header)
    return frame, top + 2



# -- a Cutline export's own Capacity sheet ----------------------------------------------------
#: The export's sheet starts with this title (models/export/capacity_sheet.py), then holds its
#: tables below section titles: the one with team, quarter and capacity is the capacity table,
#: the one with category, reserve and cap (and no team) the guardrails.
EXPORT_TITLE = "Capacity: "
EXPORT_POOL = "Shared pool"


def is_exported_capacity(frame: pd.DataFrame) -> bool:
    """True for the Capacity sheet of a Cutline export (its title where a header would be)."""
    return len(frame.columns) > 0 and str(frame.columns[0]).startswith(EXPORT_TITLE)


def exported_capacity(grid: pd.DataFrame, *, sheet: str | None = None) -> Capacity:
    """The capacity and guardrails of an exported Capacity sheet read with no header row;
    a sheet that says no capacity was set gives an empty Capacity."""
    capacity = _table_below(grid, lambda keys: _has(keys, _TEAM_NAMES) and _has(keys, _QUARTER_NAMES)
                            and _has(keys, _CAPACITY_NAMES))
    if capacity is None:
        return Capacity.empty()
    frame, first_row = capacity
    team_col = _find_column(frame, _TEAM_NAMES)
    frame[team_col] = frame[team_col].map(lambda t: "" if cell_text(t) == EXPORT_POOL else t)
    found = capacity_from_frame(frame, sheet=sheet, first_row=first_row)
    rails = _table_below(grid, lambda keys: _has(keys, _CATEGORY_NAMES) and not _has(keys, _TEAM_NAMES)
                         and (_has(keys, _RESERVE_NAMES) or _has(keys, _CAP_NAMES)))
    if rails is None:
        return found
    frame, first_row = rails
    return Capacity(found.table, guardrails_from_frame(frame, sheet=sheet, first_row=first_row))


def _has(keys: list[str], names: set[str]) -> bool:
    return any(k in names for k in keys)


def _table_below(grid: pd.DataFrame, is_header) -> tuple[pd.DataFrame, int] | None:
    """The first table whose header row passes `is_header` (its cells' keys), as a frame of the
    rows under it up to the first blank row, with the sheet row number of its first row."""
    texts = grid.map(cell_text)
    for i in range(len(grid)):
        cells = texts.iloc[i].tolist()
        width = next((j for j in range(len(cells) - 1, -1, -1) if cells[j]), -1) + 1
        if not width or not is_header([_header_key(c) for c in cells[:width]]):
            continue
        end = i + 1
        while end < len(grid) and (texts.iloc[end, :width] != "").any():
            end += 1
        frame = grid.iloc[i + 1:end, :width].copy()
        frame.columns = cells[:width]
        return frame.reset_index(drop=True), i + 2
    return None


def _guarded(call, path: Path):
    """A safety check of the import's: its own message (a SpreadsheetError) reaches the user as it is."""
    try:
        return call()
    except CutlineError:
        raise
    except Exception as exc:
        raise CapacityError(f"Cutline could not read {path.name!r}: {_sentence(exc)}",
                            hint="Check that the file opens in a spreadsheet program.") from exc


def _read(load, path: Path):
    """Run a pandas reader, turning its failures into a CapacityError a PM can act on."""
    try:
        return load()
    except CapacityError:
        raise
    except Exception as exc:  # the readers raise many types for a damaged or foreign file
        raise CapacityError(f"Cutline could not read {path.name!r}: {_sentence(exc)}",
                            hint="Check that the file opens in a spreadsheet program.") from exc


def _sentence(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if text.endswith((".", "!", "?")) else text + "."


# -- guardrails ----------------------------------------------------------------------------
def _share(value: object) -> float | None:
    """A share from 0.2, "20%", or 20 (numbers above 1 are percentages); None when blank."""
    text = cell_text(value)
    if text == "":
        return None
    percent = text.endswith("%")
    number = float(text.rstrip("%").strip())
    return number / 100 if percent or number > 1 else number


def guardrails_from_frame(frame: pd.DataFrame, *, sheet: str | None = None,
                          first_row: int = 2) -> tuple[Guardrail, ...]:
    """Guardrails from a table of category, reserve and cap (shares such as 0.2 or 20%)."""
    frame, rows = _without_blank_rows(frame, first_row)
    category = _find_column(frame, _CATEGORY_NAMES)
    reserve = _find_column(frame, _RESERVE_NAMES)
    cap = _find_column(frame, _CAP_NAMES)
    if category is None or (reserve is None and cap is None):
        raise CapacityError("The guardrails table needs a category column and a reserve or cap column.",
                            location=Location(sheet=sheet, row=first_row - 1))
    out = []
    for row, (_, record) in zip(rows.tolist(), frame.iterrows(), strict=True):
        name = cell_text(record[category])
        if not name:
            raise CapacityError("The category is blank.", location=Location(sheet, row, str(category)))
        shares = {}
        for label, column in (("reserve", reserve), ("cap", cap)):
            try:
                shares[label] = None if column is None else _share(record[column])
            except ValueError:
                raise CapacityError(f"The {label} {cell_text(record[column])!r} is not a share.",
                                    location=Location(sheet, row, str(column)),
                                    hint="Type a share such as 20% or 0.2.") from None
        out.append(Guardrail(name, shares["reserve"] or 0.0, shares["cap"]))
    guardrails = tuple(out)
    validate_guardrails(guardrails)
    return guardrails


def validate_guardrails(guardrails: Iterable[Guardrail]) -> None:
    """Raise CapacityError for shares outside 0..100%, a reserve above its cap, a category
    named twice, or reserves adding up to more than 100%."""
    guardrails = tuple(guardrails)
    seen: set[str] = set()
    for g in guardrails:
        key = category_key(g.category)
        if not key:
            raise CapacityError("A guardrail has no category.", hint="Name the category it applies to.")
        if key in seen:
            raise CapacityError(f"Category {g.category!r} has two guardrails.", hint="Keep one per category.")
        seen.add(key)
        for label, share in (("reserve", g.reserve), ("cap", g.cap)):
            if share is not None and not (isinstance(share, (int, float)) and 0 <= share <= 1):
                raise CapacityError(f"The {label} of {g.category!r} is {_percent(share)}, "
                                    "not between 0% and 100%.",
                                    location=Location(column=label))
        if g.cap is not None and g.reserve > g.cap:
            raise CapacityError(
                f"The reserve of {g.category!r} ({_percent(g.reserve)}) "
                f"is above its cap ({_percent(g.cap)}).",
                hint="A category cannot be promised more than it may use.")
    reserving = [g for g in guardrails if g.reserve > 0]
    total = sum(g.reserve for g in reserving)
    if total > 1 + 1e-9:
        names = ", ".join(f"{g.category} {_percent(g.reserve)}" for g in reserving)
        raise CapacityError(f"The reserves add up to {_percent(total)}, more than 100%: {names}.",
                            location=Location(column="reserve"),
                            hint="Lower some reserves so that they fit in a team's capacity.")


def _percent(share: object) -> str:
    try:
        return f"{float(share) * 100:g}%"
    except (TypeError, ValueError):
        return repr(share)


def capacity_warnings(portfolio: Portfolio, capacity: Capacity) -> list[str]:
    """Teams of initiatives that have no capacity row in any quarter and no pool to draw on."""
    table = capacity.table
    if (table["team"] == POOL).any():
        return []
    known = {team_key(t) for t in table["team"].tolist()}
    teams = pd.Series(portfolio.text("team"), dtype=object)
    counts = teams.value_counts(sort=False)
    missing: dict[str, list] = {}
    for name, count in counts.items():
        key = team_key(name)
        if key not in known:
            entry = missing.setdefault(key, [name, 0])
            entry[1] += int(count)
    out = []
    for name, count in missing.values():
        things = "1 initiative" if count == 1 else f"{count} initiatives"
        if team_key(name) == POOL:
            out.append(f"{things} with no team cannot be funded: there is no pool to draw on. "
                       "Give them a team, or add a pool row (team blank or *).")
        else:
            out.append(f"Team {name!r} has {things} but no row in the capacity table and no pool to "
                       "draw on, so none can be funded. Add capacity for it.")
    return out
