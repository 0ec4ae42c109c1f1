"""Ratings from a filled-in Ratings sheet or pasted cells: a long layout or one column per participant."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
from cutline.models.errors import Location, SpreadsheetError
from cutline.models.portfolio.portfolio import NUMERIC_FIELDS, RATING_FIELDS, text_array
from cutline.models.rating.round import RatingRound, value_problem

Entry = tuple[str, str, str, float]  # (participant, initiative id, criterion, rating)

#: Header synonyms, compared after lower-casing and turning "_" and "-" into spaces.
ID_HEADERS = frozenset({"id", "initiative", "initiative id", "initiativeid", "key"})
PARTICIPANT_HEADERS = frozenset({"participant", "who", "name", "person", "rater", "voter"})
CRITERION_HEADERS = frozenset({"criterion", "criteria", "field", "input"})
RATING_HEADERS = frozenset({"rating", "score", "value", "vote", "estimate"})
#: Columns a wide sheet may carry for the reader's sake; they are not participants.
IGNORED_WIDE_HEADERS = frozenset({
    "title", "name", "team", "category", "layer", "status", "notes", "quarter",
    "comment", "comments", "description",
})
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


def _header_key(header: object) -> str:
    text = "" if header is None or (isinstance(header, float) and np.isnan(header)) else str(header)
    if text.startswith("Unnamed: "):  # pandas' name for a blank header cell
        return ""
    return " ".join(text.replace("_", " ").replace("-", " ").lower().split())


def _parse_numbers(cells: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(number or NaN, blank, written with %) for each cell; accepts 7,5 and 1,234 and 80%."""
    text = cells.astype(object).astype("str").str.strip()
    blank = (text.isna() | (text == "")).to_numpy(dtype=bool)
    percent = text.str.endswith("%").fillna(False).to_numpy(dtype=bool)
    text = text.str.rstrip("%").str.strip()
    text = text.str.replace(r"^([-+]?\d+),(\d{1,2})$", r"\1.\2", regex=True)  # a decimal comma
    text = text.str.replace(",", "", regex=False)  # thousands separators
    number = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    return number, blank, percent


class _Problems:
    """Problems found in a sheet; raised together as one SpreadsheetError at the first one."""

    def __init__(self, sheet: str | None):
        self.sheet = sheet
        self.found: list[tuple[int, str, str, str]] = []  # (row, column, message, hint)

    def add(self, row: int, column: str, message: str, hint: str = "") -> None:
        self.found.append((int(row), column, message, hint))

    def raise_any(self) -> None:
        if not self.found:
            return
        ordered = sorted(self.found, key=lambda p: p[0])
        row, column, message, hint = ordered[0]
        others = sorted({r for r, *_ in ordered[1:]})
        if others:
            shown = ", ".join(str(r) for r in others[:5]) + (", ..." if len(others) > 5 else "")
            hint = f"{hint} {len(ordered) - 1} more problem(s) found (rows {shown}).".strip()
        raise SpreadsheetError(message, location=Location(self.sheet, row, column or None), hint=hint)


def ratings_from_frame(
    frame: pd.DataFrame,
    *,
    sheet: str | None = "Ratings",
    round: RatingRound | None = None,
    criterion: str | None = None,
    header_row: int = 1,
) -> list[Entry]:
    """Ratings from a table whose columns are the sheet's headers, in sheet order.

    Long layout: initiative id, participant, criterion, rating. Wide layout: initiative id,
    optionally criterion, then one column per participant. Without a criterion column the
    criterion is `criterion`, or the round's only one. With a `round`, ids, participants and
    criteria must belong to it. `header_row` is the sheet row of the headers (for locations).
    """
    headers = [str(h) for h in frame.columns]
    keys = [_header_key(h) for h in frame.columns]
    role = _find_roles(keys)
    where = Location(sheet, header_row)
    if "id" not in role:
        raise SpreadsheetError(
            "No column names the initiative id.", location=where,
            hint="Put a header row on top, with a column called 'id' (or 'initiative').",
        )
    cells = frame.reset_index(drop=True)
    rows = header_row + 1 + np.arange(len(cells))
    if "rating" in role:
        if "participant" not in role:
            raise SpreadsheetError(
                "The sheet has a rating column but no participant column.", location=where,
                hint="Add a column 'participant' saying who gave each rating.",
            )
        long = _long_layout(cells, headers, role, rows)
    else:
        long = _wide_layout(cells, headers, keys, role, rows, where)
    default = criterion.strip().lower() if criterion is not None else (
        round.criteria[0] if round is not None and len(round.criteria) == 1 else None)
    if "criterion" not in role and default is None:
        raise SpreadsheetError(
            "The sheet does not say which criterion its ratings are for.", location=where,
            hint="Add a 'criterion' column (for example dx or risk), or choose the criterion "
                 "when importing.",
        )
    return _checked_entries(long, sheet, round, default)


def _find_roles(keys: list[str]) -> dict[str, int]:
    """Column position of each known role (the first column that names it)."""
    role: dict[str, int] = {}
    for name, synonyms in (("id", ID_HEADERS), ("criterion", CRITERION_HEADERS),
                           ("rating", RATING_HEADERS), ("participant", PARTICIPANT_HEADERS)):
        for pos, key in enumerate(keys):
            if key in synonyms and pos not in role.values():
                role[name] = pos
                break
    return role


def _long_frame(cells: pd.DataFrame, headers: list[str], role: dict[str, int], rows: np.ndarray,
                participant: np.ndarray, value: pd.Series, value_column: np.ndarray) -> pd.DataFrame:
    crit_pos = role.get("criterion")
    n = len(value)
    return pd.DataFrame({
        "row": rows,
        "id": text_array(cells.iloc[:, role["id"]].tolist()),
        "participant": participant,
        "criterion": (text_array(cells.iloc[:, crit_pos].tolist()) if crit_pos is not None
                      else np.full(n, "", dtype=object)),
        "cell": value.to_numpy(dtype=object),
        "column": value_column,
        "id_column": headers[role["id"]],
        "criterion_column": headers[crit_pos] if crit_pos is not None else "",
    })


def _long_layout(cells, headers, role, rows) -> pd.DataFrame:
    participant = text_array(cells.iloc[:, role["participant"]].tolist())
    value_column = np.full(len(cells), headers[role["rating"]], dtype=object)
    return _long_frame(cells, headers, role, rows, participant, cells.iloc[:, role["rating"]],
                       value_column)


def _wide_layout(cells, headers, keys, role, rows, where) -> pd.DataFrame:
    """One long row per (sheet row, participant column), in sheet order."""
    used = set(role.values())
    people: list[int] = []
    seen: dict[str, str] = {}
    for pos, key in enumerate(keys):
        if pos in used or key in IGNORED_WIDE_HEADERS:
            continue
        if not key:
            if cells.iloc[:, pos].notna().any() and (text_array(cells.iloc[:, pos].tolist()) != "").any():
                raise SpreadsheetError("A column without a header holds ratings.", location=where,
                                       hint="Name the column after the participant who rated.")
            continue
        name = headers[pos].strip()
        if name.casefold() in seen:
            raise SpreadsheetError(f"Two columns are named {name!r}.",
                                   location=Location(where.sheet, where.row, name),
                                   hint="Give each participant one column.")
        seen[name.casefold()] = name
        people.append(pos)
    if not people:
        raise SpreadsheetError("No column holds a participant's ratings.", location=where,
                               hint="Add one column per participant, named after them, "
                                    "or columns 'participant' and 'rating'.")
    parts = [
        _long_frame(cells, headers, role, rows, np.full(len(cells), headers[p].strip(), dtype=object),
                    cells.iloc[:, p], np.full(len(cells), headers[p].strip(), dtype=object))
        for p in people
    ]
    long = pd.concat(parts, ignore_index=True)
    return long.sort_values("row", kind="stable").reset_index(drop=True)


def _checked_entries(long: pd.DataFrame, sheet: str | None, round: RatingRound | None,
                     default: str | None) -> list[Entry]:
    """Validate the long table and turn it into entries, or raise at the first problem."""
    problems = _Problems(sheet)
    number, blank, percent = _parse_numbers(long["cell"])
    long = long.assign(value=number)[~blank].reset_index(drop=True)
    percent = percent[~blank]
    if not len(long):
        raise SpreadsheetError("There are no ratings: every rating cell is blank.",
                               location=Location(sheet), hint="Fill in the ratings and import again.")
    for r in long[long["id"] == ""].itertuples():
        problems.add(r.row, r.id_column, "This row has a rating but no initiative id.",
                     "Fill in the id, or clear the rating.")
    for r in long[(long["id"] != "") & (long["participant"] == "")].itertuples():
        problems.add(r.row, r.column, "This rating does not say who gave it.",
                     "Fill in the participant.")
    crit = long["criterion"].str.lower().replace("", default or "")
    long = long.assign(criterion=crit)
    _check_criteria(long, problems)
    long = long.assign(value=_checked_values(long, percent, problems))
    problems.raise_any()
    if round is not None:
        _check_against_round(long, round, problems)
    dup = long.duplicated(["participant", "id", "criterion"], keep="first")
    for r in long[dup].itertuples():
        problems.add(r.row, r.column, f"{r.participant} rated {r.id} on {r.criterion} twice.",
                     "Keep one of the two ratings.")
    problems.raise_any()
    return list(zip(long["participant"].tolist(), long["id"].tolist(),
                    long["criterion"].tolist(), long["value"].tolist(), strict=True))


def _check_criteria(long: pd.DataFrame, problems: _Problems) -> None:
    fields = ", ".join(NUMERIC_FIELDS)
    for r in long[~long["criterion"].isin(NUMERIC_FIELDS)].itertuples():
        if r.criterion:
            problems.add(r.row, r.criterion_column, f"{r.criterion!r} cannot be rated.",
                         f"Use one of: {fields}.")
        else:
            problems.add(r.row, r.criterion_column or r.column,
                         "This rating does not say which criterion it rates.",
                         "Add a 'criterion' column (for example dx or risk).")


def _checked_values(long: pd.DataFrame, percent: np.ndarray, problems: _Problems) -> np.ndarray:
    """The ratings as numbers, after checking them: numbers only, in range; confidence written
    as 80 or 80% becomes 0.8, as on import."""
    is_conf = (long["criterion"] == "confidence").to_numpy()
    value = long["value"].to_numpy(dtype=np.float64).copy()
    shrink = is_conf & (percent | (value > 1))
    value[shrink] = value[shrink] / 100.0
    known = long["criterion"].isin(NUMERIC_FIELDS).to_numpy()
    for i in np.flatnonzero(np.isnan(value)):
        problems.add(long["row"].iat[i], long["column"].iat[i],
                     f"{long['cell'].iat[i]!r} is not a number.",
                     "Type a number (ratings run from 0 to 10), or leave the cell blank.")
    for i in np.flatnonzero(percent & ~is_conf & known):
        problems.add(long["row"].iat[i], long["column"].iat[i],
                     f"{long['criterion'].iat[i]} does not take a percent.", "Type a plain number.")
    high = np.where(np.isin(long["criterion"], RATING_FIELDS), 10.0,
                    np.where(is_conf, 1.0, np.inf))
    out_of_range = known & ~np.isnan(value) & (~np.isfinite(value) | (value < 0) | (value > high))
    for i in np.flatnonzero(out_of_range):
        problems.add(long["row"].iat[i], long["column"].iat[i],
                     value_problem(long["criterion"].iat[i], float(value[i])) or "Out of range.",
                     "Correct the rating in the sheet and import it again.")
    return value


def _check_against_round(long: pd.DataFrame, round: RatingRound, problems: _Problems) -> None:
    """Every id, participant and criterion must be part of the round; each kind reported once."""
    checks = (
        ("id", round.initiatives, "id_column",
         ("Initiative {} is not in this rating round.", "Initiatives {} are not in this rating round."),
         "Check the ids, or add the initiatives to the round."),
        ("participant", round.participants, "column",
         ("{} is not a participant of this round.", "{} are not participants of this round."),
         "Correct the names, or add them to the round's participants."),
        ("criterion", round.criteria, "criterion_column",
         ("This round does not rate {}.", "This round does not rate {}."),
         "Rate " + ", ".join(round.criteria) + " only."),
    )
    for key, allowed, column, (one, many), hint in checks:
        bad = long[~long[key].isin(allowed)]
        if len(bad):
            names = list(dict.fromkeys(bad[key].tolist()))
            first = bad.iloc[0]
            message = (one if len(names) == 1 else many).format(", ".join(names))
            problems.add(first["row"], first[column] or first["column"], message, hint)


def _ratings_from_grid(grid: pd.DataFrame, sheet: str | None, round: RatingRound | None,
                       criterion: str | None, *, pasted: bool = False) -> list[Entry]:
    """Ratings from raw cells (no header applied): the first non-blank row is the header."""
    filled = grid.notna() & (grid.astype(object).astype("str").apply(lambda c: c.str.strip()) != "")
    nonblank = np.flatnonzero(filled.any(axis=1).to_numpy())
    if not len(nonblank):
        raise SpreadsheetError("There are no ratings: the cells are empty." if pasted
                               else "The sheet is empty.", location=Location(sheet))
    top = int(nonblank[0])
    header = text_array(grid.iloc[top].tolist())
    if pasted and "id" not in _find_roles([_header_key(h) for h in header]):
        raise SpreadsheetError(
            "The pasted cells need a header row naming the initiative id column.",
            location=Location(sheet, top + 1),
            hint="Copy the header row too: id, participant, criterion, rating, "
                 "or id and one column per participant.",
        )
    frame = grid.iloc[top + 1:].copy()
    frame.columns = list(header)
    return ratings_from_frame(frame, sheet=sheet, round=round, criterion=criterion,
                              header_row=top + 1)


def _grid_from_rows(rows: list[list[str]]) -> pd.DataFrame:
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)


def ratings_from_clipboard_text(
    text: str, *, round: RatingRound | None = None, criterion: str | None = None
) -> list[Entry]:
    """Ratings from tab-separated cells copied from a spreadsheet, header row included."""
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    return _ratings_from_grid(_grid_from_rows(rows), None, round, criterion, pasted=True)


def read_ratings(
    path: str | Path,
    sheet: str = "Ratings",
    *,
    round: RatingRound | None = None,
    criterion: str | None = None,
) -> list[Entry]:
    """Ratings from the `sheet` of an xlsx/xlsm/xls/ods workbook, or from a csv/tsv file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise SpreadsheetError(f"{path} does not exist.", hint="Choose the filled-in ratings file.")
    if suffix in TEXT_SUFFIXES:
        return _ratings_from_grid(_read_text(path), None, round, criterion)
    if suffix not in WORKBOOK_SUFFIXES:
        raise SpreadsheetError(f"{path.name} is not a spreadsheet Cutline reads.",
                               hint="Use an .xlsx, .ods or .csv file.")
    name, grid = _read_sheet(path, sheet)
    return _ratings_from_grid(grid, name, round, criterion)


def _read_text(path: Path) -> pd.DataFrame:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpreadsheetError(f"{path.name} cannot be read as text ({exc}).",
                               hint="Save it as CSV (UTF-8) and try again.") from None
    delimiter = "\t" if path.suffix.lower() == ".tsv" or "\t" in text.split("\n", 1)[0] else ","
    return _grid_from_rows(list(csv.reader(io.StringIO(text), delimiter=delimiter)))


def _read_sheet(path: Path, sheet: str) -> tuple[str, pd.DataFrame]:
    """The named sheet (matched ignoring case) as raw cells, and its name as the file spells it."""
    from cutline.models.importing.reader import guard_sheet, inspect_source

    for info in inspect_source(path).sheets:  # measured before pandas loads it, as the import does
        if info.name.casefold() == sheet.casefold():
            guard_sheet(path, info.name)
    try:
        with pd.ExcelFile(path, engine="calamine") as book:
            names = {n.casefold(): n for n in book.sheet_names}
            name = names.get(sheet.casefold())
            if name is None:
                raise SpreadsheetError(
                    f"{path.name} has no sheet called {sheet!r}.",
                    hint="Its sheets are: " + ", ".join(book.sheet_names) + ".",
                )
            return name, pd.read_excel(book, sheet_name=name, header=None, dtype=object)
    except SpreadsheetError:
        raise
    except Exception as exc:  # calamine, zip and XML errors differ by format; the user sees one message
        raise SpreadsheetError(f"{path.name} cannot be read as a workbook ({exc}).",
                               hint="Open it in a spreadsheet and save it again as .xlsx.") from None
