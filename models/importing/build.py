"""From a raw table and a column mapping to a validated Portfolio and its import report."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from models.dependencies import DependencyGraph
from models.errors import ColumnMappingError, Location
from models.importing.grid import blank_cells
from models.importing.mapping import ColumnMapping, field_for_header
from models.importing.report import ERROR, WARNING, ImportIssue, ImportReport, sort_issues
from models.importing.table import RawTable
from models.importing.values import (
    Parsed,
    Problem,
    label,
    list_values,
    parse_number_field,
    text_values,
)
from models.portfolio import CANONICAL_FIELDS, LIST_FIELDS, NUMERIC_FIELDS, Portfolio, split_list

_MAX_CYCLE_ROUNDS = 200
_NO_EDITS: Mapping[tuple[int, str], object] = {}


def build_portfolio(
    raw: RawTable, mapping: ColumnMapping, *, edits: Mapping[tuple[int, str], object] = _NO_EDITS
) -> tuple[Portfolio, ImportReport]:
    """Parse and validate every mapped column at once; the portfolio holds the rows without errors.

    `edits` are cell fixes typed in a preview, by (source row, header); they replace the cells.
    """
    _check_mapping(raw, mapping)
    issues: list[ImportIssue] = list(raw.issues)
    frame, edited = _apply_edits(raw, edits, issues)
    bad = np.zeros(len(frame), dtype=bool)
    fields: dict[str, np.ndarray] = {}
    for name, header in mapping.mapped().items():
        parsed = _parse(name, frame[header], raw.decimal)
        bad |= _report_cells(raw, frame, header, parsed.problems, issues)
        fields[name] = parsed.values
    bad |= _report_flagged(raw, mapping, edited, issues)
    kept = _extra_headers(raw, mapping, issues)
    issues += _lookalike_warnings(raw, mapping, kept)
    extras = {h: _extra_values(frame[h]) for h in kept}
    empty = _empty_rows(fields, extras, len(frame))
    ids, id_bad = _ids(raw, mapping, fields.get("id"), empty, issues)
    fields["id"] = ids
    keep = ~(bad | id_bad | empty)
    portfolio = _assemble(fields, extras, keep, raw)
    rejected = ~keep & ~empty
    portfolio = _check_dependencies(portfolio, raw, mapping, ids[rejected], issues)
    issues += _unknown_in_rejected(raw, mapping, fields.get("depends_on"), ids, rejected, empty)
    report = ImportReport(
        sort_issues(issues),
        rows_read=int((~empty).sum()),
        rows_imported=len(portfolio),
        source=raw.source.path.name,
    )
    return portfolio, report


def _check_mapping(raw: RawTable, mapping: ColumnMapping) -> None:
    missing = [h for h in mapping.mapped().values() if h not in raw.headers]
    if missing:
        raise ColumnMappingError(
            f"The column mapping names {missing[0]!r}, which this sheet does not have.",
            location=Location(raw.sheet, raw.header_row, missing[0]),
            hint="Map the columns again for this sheet, or choose the sheet the mapping was made for.",
        )
    if not mapping.mapped():
        raise ColumnMappingError(
            "No column is mapped to an initiative field.",
            location=Location(raw.sheet, raw.header_row),
            hint="Map at least a title or an id column, or check that the right header row is chosen.",
        )


def _apply_edits(
    raw: RawTable, edits: Mapping[tuple[int, str], object], issues: list[ImportIssue]
) -> tuple[pd.DataFrame, set[tuple[int, str]]]:
    """The raw frame with the user's cell fixes in place, and which cells were fixed."""
    if not edits:
        return raw.frame, set()
    frame = raw.frame.copy()
    position = raw.position_of_row()
    columns: dict[str, pd.Series] = {}
    done: set[tuple[int, str]] = set()
    for (row, header), value in edits.items():
        if header not in frame.columns or row not in position:
            issues.append(ImportIssue(WARNING, "A fix was typed for a cell that is not in the table; it was left out.",
                                      Location(raw.sheet, row, header), value))
            continue
        col = columns.setdefault(header, frame[header].astype(object).copy())
        col.iat[position[row]] = None if value is None or (isinstance(value, str) and not value.strip()) else value
        done.add((row, header))
    for header, col in columns.items():
        frame[header] = col
    return frame, done


def _parse(name: str, cells: pd.Series, decimal: str) -> Parsed:
    if name in NUMERIC_FIELDS:
        return parse_number_field(name, cells, decimal)
    if name in LIST_FIELDS:
        return Parsed(list_values(cells))
    return Parsed(text_values(cells))


def _shown(value: object) -> str:
    """A cell value as a message quotes it."""
    if isinstance(value, str):
        return repr(value.strip())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _report_cells(
    raw: RawTable, frame: pd.DataFrame, header: str, problems: list[Problem], issues: list[ImportIssue]
) -> np.ndarray:
    """One issue per problem cell; returns the rows with errors."""
    bad = np.zeros(len(frame), dtype=bool)
    if not problems:
        return bad
    cells = frame[header].to_numpy(dtype=object)
    for problem in problems:
        for i in np.flatnonzero(problem.mask):
            value = cells[i]
            issues.append(ImportIssue(
                problem.severity, problem.message.replace("{value}", _shown(value)),
                Location(raw.sheet, int(raw.source_rows[i]), header), value, problem.hint,
            ))
        if problem.severity == ERROR:
            bad |= problem.mask
    return bad


def _report_flagged(
    raw: RawTable, mapping: ColumnMapping, edited: set[tuple[int, str]], issues: list[ImportIssue]
) -> np.ndarray:
    """Formulas without a saved value and error cells: errors in mapped columns, warnings in extras."""
    bad = np.zeros(len(raw.frame), dtype=bool)
    if not raw.flagged:
        return bad
    position = raw.position_of_row()
    for (row, header), flag in raw.flagged.items():
        if (row, header) in edited or header in mapping.ignored or row not in position:
            continue
        name = mapping.field_of(header)
        what = label(name) if name else f"Extra column {header!r}"
        if flag.kind == "formula":
            message = f"{what} holds a formula ({flag.text}) with no calculated value saved in the file."
            hint = "Open and save the file in Excel or LibreOffice first, so the values are calculated."
        else:
            message = f"{what} shows the spreadsheet error {flag.text} instead of a value."
            hint = "Fix the formula in the source file, or type the value."
        if name is None:
            message += " It is kept blank."
        issues.append(ImportIssue(ERROR if name else WARNING, message, Location(raw.sheet, row, header),
                                  flag.text, hint))
        if name:
            bad[position[row]] = True
    return bad


def _extra_headers(raw: RawTable, mapping: ColumnMapping, issues: list[ImportIssue]) -> list[str]:
    """Headers kept as extra columns: those the mapping keeps, and those it does not mention."""
    kept = []
    for header in raw.headers:
        if header in mapping.ignored or mapping.fields.get(header) is not None:
            continue
        if header in CANONICAL_FIELDS:  # only a header the mapping does not list can get here
            feeder = mapping.header_of(header)
            why = f"which {feeder!r} feeds" if feeder else "and the column mapping does not list it"
            issues.append(ImportIssue(
                WARNING, f"Column {header!r} is left out: its name is the field {header}, {why}.",
                Location(raw.sheet, raw.header_row, header),
                hint="Map the columns again for this sheet to choose which one feeds the field.",
            ))
            continue
        kept.append(header)
    return kept


def _lookalike_warnings(raw: RawTable, mapping: ColumnMapping, extras: list[str]) -> list[ImportIssue]:
    """Extra columns whose name says a field that another column already feeds."""
    out = []
    for header in extras:
        name = field_for_header(header)
        feeder = mapping.header_of(name) if name else None
        if feeder and feeder != header:
            out.append(ImportIssue(
                WARNING, f"Column {header!r} looks like {name}, but {feeder!r} already feeds {name}; "
                f"{header!r} is kept as an extra column.", Location(raw.sheet, raw.header_row, header),
                hint="Change the column mapping if it should feed the field instead.",
            ))
    return out


def _extra_values(cells: pd.Series) -> np.ndarray:
    """An extra column as it was, blanks as None."""
    values = cells.to_numpy(dtype=object).copy()
    values[np.asarray(pd.isna(values), dtype=bool)] = None
    return values


def _empty_rows(fields: dict[str, np.ndarray], extras: dict[str, np.ndarray], n: int) -> np.ndarray:
    """Rows where every mapped field and extra column is blank (spaces only, say)."""
    empty = np.ones(n, dtype=bool)
    for name, values in fields.items():
        empty &= np.isnan(values) if name in NUMERIC_FIELDS else (values == "")
    for values in extras.values():
        blank = blank_cells(values)
        maybe = np.flatnonzero(empty & ~blank)  # only rows still empty need the slower look
        if maybe.size:
            blank[maybe] = [isinstance(v, str) and not v.strip() for v in values[maybe]]
        empty &= blank
    return empty


def _ids(
    raw: RawTable, mapping: ColumnMapping, given: np.ndarray | None, empty: np.ndarray, issues: list[ImportIssue]
) -> tuple[np.ndarray, np.ndarray]:
    """Ids, made from the row number where there is none ("R12"); repeated ids are errors."""
    generated = np.char.add("R", raw.source_rows.astype(str)).astype(object)
    if given is None:
        issues.append(ImportIssue(
            WARNING, "There is no id column; ids were made from row numbers (R2, R3, ...).",
            Location(raw.sheet, raw.header_row),
            hint="Map a column to id to keep ids stable when rows move.",
        ))
        return generated, np.zeros(len(generated), dtype=bool)
    header = mapping.header_of("id")
    missing = (given == "") & ~empty
    for i in np.flatnonzero(missing):
        issues.append(ImportIssue(
            WARNING, f"This row has no id; it was given {generated[i]!r}.",
            Location(raw.sheet, int(raw.source_rows[i]), header),
            hint="Type an id to keep it stable between imports.",
        ))
    ids = np.where(given == "", generated, given).astype(object)
    series = pd.Series(ids)
    repeated = (series.duplicated(keep="first").to_numpy() & ~empty)
    if repeated.any():
        first = dict(zip(ids[::-1], raw.source_rows[::-1]))  # the first row of each id, by overwriting
        for i in np.flatnonzero(repeated):
            issues.append(ImportIssue(
                ERROR, f"Id {ids[i]!r} is also used on row {int(first[ids[i]])}.",
                Location(raw.sheet, int(raw.source_rows[i]), header), ids[i],
                hint="Give each initiative its own id; this row is left out until it has one.",
            ))
    return ids, repeated


def _assemble(fields: dict[str, np.ndarray], extras: dict[str, np.ndarray], keep: np.ndarray, raw: RawTable) -> Portfolio:
    """The Portfolio of the kept rows, built directly in its documented column types."""
    n = int(keep.sum())
    cols: dict[str, pd.Series] = {}
    for name in CANONICAL_FIELDS:
        if name in NUMERIC_FIELDS:
            values = fields[name][keep] if name in fields else np.full(n, np.nan)
            cols[name] = pd.Series(values, dtype=np.float64)
        else:
            values = fields[name][keep] if name in fields else np.full(n, "", dtype=object)
            cols[name] = pd.Series(values, dtype=object)
    for header, values in extras.items():
        cols[header] = pd.Series(values[keep], dtype=object)
    frame = pd.DataFrame(cols, index=pd.RangeIndex(n))
    return Portfolio(frame, tuple(extras), raw.source_rows[keep].astype(np.int64), raw.sheet)


def _check_dependencies(
    portfolio: Portfolio, raw: RawTable, mapping: ColumnMapping, rejected_ids: np.ndarray, issues: list[ImportIssue]
) -> Portfolio:
    """Cycles are errors (their rows are left out); ids that match no initiative are warnings."""
    header = mapping.header_of("depends_on")
    if header is None:
        return portfolio
    rejected = set(rejected_ids.tolist())
    graph = DependencyGraph.from_portfolio(portfolio)
    for _ in range(_MAX_CYCLE_ROUNDS):
        rows = graph.cycle_rows()
        if rows is None:
            break
        cycle = " -> ".join(str(portfolio.ids[r]) for r in rows)
        for r in sorted(set(rows)):
            issues.append(ImportIssue(
                ERROR, f"Dependencies form a cycle: {cycle}.",
                Location(raw.sheet, int(portfolio.source_rows[r]), header), portfolio.value(r, "depends_on"),
                hint="Remove one of these dependencies so the work can be ordered; the rows in the cycle are left out.",
            ))
        rejected.update(str(portfolio.ids[r]) for r in rows)
        portfolio = _without_rows(portfolio, sorted(set(rows)))
        graph = DependencyGraph.from_portfolio(portfolio)
    _unknown_dependencies(graph, portfolio, raw, header, rejected, issues)
    return portfolio


def _unknown_dependencies(
    graph: DependencyGraph, portfolio: Portfolio, raw: RawTable, header: str, rejected: set,
    issues: list[ImportIssue],
) -> None:
    for row, ident in graph.unknown:
        where = Location(raw.sheet, int(portfolio.source_rows[row]), header)
        if ident == portfolio.ids[row]:
            message = f"This initiative lists itself ({ident!r}) in its dependencies; that entry is ignored."
        elif ident in rejected:
            message = f"Depends on {ident!r}, which has errors and was not imported."
        else:
            message = f"Depends on {ident!r}, which is not an id of any initiative in this sheet."
        issues.append(ImportIssue(WARNING, message, where, ident,
                                  hint="Check the id for typos, or remove it from the list."))


def _unknown_in_rejected(
    raw: RawTable, mapping: ColumnMapping, depends_on: np.ndarray | None, ids: np.ndarray,
    rejected: np.ndarray, empty: np.ndarray,
) -> list[ImportIssue]:
    """Unknown ids in the rows left out, so fixing a row's error does not reveal a new warning."""
    if depends_on is None or not rejected.any():
        return []
    known = set(ids[~empty].tolist())
    out = []
    for i in np.flatnonzero(rejected & (depends_on != "")):
        for ident in split_list(depends_on[i]):
            if ident not in known:
                out.append(ImportIssue(
                    WARNING, f"Depends on {ident!r}, which is not an id of any initiative in this sheet.",
                    Location(raw.sheet, int(raw.source_rows[i]), mapping.header_of("depends_on")), ident,
                    hint="Check the id for typos, or remove it from the list.",
                ))
    return out


def _without_rows(portfolio: Portfolio, rows: list[int]) -> Portfolio:
    keep = np.ones(len(portfolio), dtype=bool)
    keep[rows] = False
    frame = portfolio.frame.loc[keep].reset_index(drop=True)
    return Portfolio(frame, portfolio.extra_columns, portfolio.source_rows[keep], portfolio.sheet)
