"""From a raw table and a column mapping to a validated Portfolio and its import report."""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from cutline.models.errors import ColumnMappingError, Location
from cutline.models.importing import trackers
from cutline.models.importing.conversions import Conversion, apply_rule, word_key
from cutline.models.importing.grid import blank_cells
from cutline.models.importing.mapping import MULTI_FIELDS, ColumnMapping, field_for_header
from cutline.models.importing.report import ERROR, WARNING, ImportIssue, ImportReport, sort_issues
from cutline.models.importing.table import RawTable
from cutline.models.importing.values import (
    Parsed,
    Problem,
    label,
    list_values,
    parse_number_field,
    text_values,
)
from cutline.models.portfolio.dependencies import DependencyGraph
from cutline.models.portfolio.portfolio import (
    CANONICAL_FIELDS,
    LIST_FIELDS,
    NUMERIC_FIELDS,
    Portfolio,
    split_list,
)

_MAX_CYCLE_ROUNDS = 200
#: Said of every cell that could not be read: the row is kept, the cell blank.
LEFT_BLANK = "It is left blank."
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
    blanked = np.zeros(len(frame), dtype=np.int64)
    fields: dict[str, np.ndarray] = {}
    for name, header in mapping.mapped().items():
        if name in MULTI_FIELDS:
            fields[name] = _merged_lists([list_values(frame[h]) for h in mapping.headers_of(name)])
            continue
        parsed = _parse(name, frame[header], raw.decimal, mapping.conversion(name))
        blanked += _report_cells(raw, frame, header, parsed.problems, issues)
        fields[name] = parsed.values
    blanked += _report_flagged(raw, mapping, edited, issues)
    kept = _extra_headers(raw, mapping, issues)
    issues += _lookalike_warnings(raw, mapping, kept)
    extras = {h: _extra_values(frame[h]) for h in kept}
    extras.update(_as_written(frame, mapping, kept, fields))
    empty = _empty_rows(fields, extras, len(frame))
    if "id" in fields:
        fields["id"] = _visible_ids(raw, mapping, fields["id"], issues)
    for name in MULTI_FIELDS:
        if name in fields:
            fields[name] = _visible(fields[name])
    ids, id_bad = _ids(raw, mapping, fields.get("id"), empty, issues)
    fields["id"] = ids
    by_title = 0
    out = empty | id_bad  # rows that will not be initiatives: never the target of a link
    if "depends_on" in fields and "title" in fields:
        fields["depends_on"], by_title = _dependencies_by_title(fields["depends_on"], fields["title"], ids, out)
    if "blocks" in fields:
        fields["depends_on"] = _with_blocked(raw, mapping, fields, ids, out, issues)
    keep = ~out
    portfolio = _assemble(fields, extras, keep, raw)
    rejected = ~keep & ~empty
    portfolio = _check_dependencies(portfolio, raw, mapping, ids[rejected], issues)
    issues += _unknown_in_rejected(raw, mapping, fields.get("depends_on"), ids, rejected, empty)
    report = ImportReport(
        sort_issues(issues),
        rows_read=int((~empty).sum()),
        rows_imported=len(portfolio),
        source=raw.source.path.name,
        cells_left_blank=int(blanked[keep].sum()),
        notes=import_notes(raw, mapping) + ((
            f"{by_title:,} dependenc{'ies' if by_title != 1 else 'y'} named by title {'were' if by_title != 1 else 'was'} "
            "matched to the initiative with that title.",) if by_title else ()),
    )
    return portfolio, report


def _check_mapping(raw: RawTable, mapping: ColumnMapping) -> None:
    named = [h for h, f in mapping.fields.items() if f is not None and h not in mapping.ignored]
    missing = [h for h in named if h not in raw.headers]
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


def _parse(name: str, cells: pd.Series, decimal: str, conversion: Conversion) -> Parsed:
    if name in NUMERIC_FIELDS:
        parsed = parse_number_field(name, cells, decimal, conversion.words)
        if conversion.factor != 1.0:
            parsed = Parsed(parsed.values * conversion.factor, parsed.problems)
        return parsed
    if name in LIST_FIELDS:
        return Parsed(list_values(cells))
    values = apply_rule(conversion.rule, text_values(cells))
    if name == "quarter":
        return Parsed(values, _not_quite_quarters(values))
    return Parsed(values)


#: Text that was meant as a calendar quarter or a date: 2027-Q5, Q0 2027, 31/02/2027, 2027-13-01.
_QUARTER_LIKE = re.compile(r"^\s*(?:\d{4}\s*[- ]?\s*Q\d+|Q\d+\s*[- /]?\s*\d{4})\s*$", re.IGNORECASE)
_DATE_LIKE = re.compile(r"^\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T].*)?$")


def _not_quite_quarters(values: np.ndarray) -> list[Problem]:
    """A warning for each due cell written like a quarter or a date that is not one: it gives no
    due quarter (other text, such as "Later", is no due quarter on purpose and is not warned of)."""
    from cutline.models.capacity.planning import due_ordinals

    if not len(values):
        return []
    where, unique = pd.factorize(values)  # a column has few distinct texts
    unique = np.asarray(unique, dtype=object)
    looks = np.array([bool(t) and bool(_QUARTER_LIKE.match(str(t)) or _DATE_LIKE.match(str(t))) for t in unique],
                     dtype=bool)
    if not looks.any():
        return []
    odd_unique = np.zeros(len(unique), dtype=bool)
    odd_unique[looks] = np.isnan(due_ordinals(unique[looks]))
    odd = odd_unique[where] & (where >= 0)  # factorize gives -1 to a missing value
    if not odd.any():
        return []
    return [Problem(odd, "{value} looks like a quarter or a date but is not one, so it gives no due quarter.",
                    "Write a quarter as 2027-Q1 (Q1 to Q4) or a date that exists, such as 2027-03-31.",
                    WARNING)]


def _merged_lists(parts: list[np.ndarray]) -> np.ndarray:
    """Several list columns as one list per row ("a, b"), each item once, in order."""
    if len(parts) == 1:
        return parts[0]
    out = np.full(len(parts[0]), "", dtype=object)
    filled = np.flatnonzero(np.logical_or.reduce([p != "" for p in parts]))
    for i in filled:
        items = [item for p in parts for item in split_list(p[i])]
        out[i] = ", ".join(dict.fromkeys(items))
    return out


def _dependencies_by_title(
    depends: np.ndarray, titles: np.ndarray, ids: np.ndarray, empty: np.ndarray
) -> tuple[np.ndarray, int]:
    """depends_on with items that name no id but exactly one initiative's title (ignoring case)
    replaced by that initiative's id, as PMs write "Depends on: SSO for all tools"; and how many."""
    known = set(ids[~empty].tolist())
    filled = np.flatnonzero((depends != "") & ~empty)
    # Lists are written "a, b" (list_values): one split of them all finds any item that is no id.
    unknown = set(", ".join(depends[filled].tolist()).split(", ")) - known - {""}
    if not unknown:
        return depends, 0
    title_rows: dict[str, list[int]] = {}
    for i in np.flatnonzero((titles != "") & ~empty):
        title_rows.setdefault(word_key(titles[i]), []).append(int(i))
    out = depends
    matched = 0
    for i in filled:
        items = split_list(depends[i])
        if not unknown.intersection(items):
            continue
        new = []
        for item in items:
            rows = title_rows.get(word_key(item), []) if item not in known else []
            if len(rows) == 1:
                new.append(str(ids[rows[0]]))
                matched += 1
            else:
                new.append(item)
        if out is depends:
            out = depends.copy()
        out[i] = ", ".join(dict.fromkeys(new))
    return out, matched


def _with_blocked(
    raw: RawTable, mapping: ColumnMapping, fields: dict[str, np.ndarray], ids: np.ndarray,
    empty: np.ndarray, issues: list[ImportIssue],
) -> np.ndarray:
    """depends_on with the "blocks" links turned round: when A blocks B, B depends on A.
    A blocked id that is not in the file is a warning naming it."""
    blocks = fields["blocks"]
    depends = fields.get("depends_on", np.full(len(ids), "", dtype=object)).copy()
    row_of = {ident: i for i, ident in enumerate(ids) if not empty[i]}
    added: dict[int, list[str]] = {}
    header = mapping.header_of("blocks")
    for i in np.flatnonzero((blocks != "") & ~empty):
        for target in split_list(blocks[i]):
            j = row_of.get(target)
            if j is None:
                issues.append(ImportIssue(
                    WARNING, f"Blocks {target!r}, which is not an id of any initiative in this file; "
                    "that link is ignored.", Location(raw.sheet, int(raw.source_rows[i]), header), target,
                    hint="Export the blocked issue too, or ignore this if it is outside the plan.",
                ))
            elif j != i:
                added.setdefault(j, []).append(str(ids[i]))
    for j, new in added.items():
        depends[j] = ", ".join(dict.fromkeys(split_list(depends[j]) + new))
    return depends


def _as_written(
    frame: pd.DataFrame, mapping: ColumnMapping, kept: list[str], fields: Mapping[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """The cells of fields read through a conversion, kept as they were written, so the original
    "L", "8 points", issue URL, due date or area path is never lost: numeric fields read through a
    value map or a unit, and text fields whose rule changed some cell (`fields`: the values read)."""
    out = {}
    for name, conversion in mapping.conversions.items():
        header = mapping.header_of(name)
        if header is None:
            continue
        if name in NUMERIC_FIELDS:
            if not conversion.words and conversion.factor == 1.0:
                continue
        elif not conversion.rule or not np.any(fields[name] != text_values(frame[header])):
            continue
        key = as_written_name(header, name)
        if key not in kept:
            out[key] = _extra_values(frame[header])
    return out


AS_WRITTEN = " (as written)"


def as_written_name(header: str, field: str) -> str:
    """The extra column that keeps a converted field's cells as written: a numeric field's under
    the source header ("T-shirt size"); a text field's as "Due (as written)", since a due date, an
    issue URL or an area path is named like the field it feeds and, read back, would be taken
    for it (and so is any header that is a field's own name)."""
    text_field = field not in NUMERIC_FIELDS
    return f"{header}{AS_WRITTEN}" if text_field or header in CANONICAL_FIELDS else header


def import_notes(raw: RawTable, mapping: ColumnMapping) -> tuple[str, ...]:
    """What the import assumed, in words: the export recognised, and each conversion applied."""
    notes = []
    profile = trackers.profile(mapping.tracker or raw.tracker)
    if profile is not None:
        notes.append(profile.describe())
    for name, conversion in mapping.conversions.items():
        headers = mapping.headers_of(name)
        if headers:
            cols = ", ".join(repr(h) for h in headers)
            notes.append(f"{label(name)} from {cols}: {conversion.describe()}.")
    return tuple(notes)


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
    """One issue per problem cell; returns 1 for each row whose cell is left blank. A cell that
    cannot be read never keeps its row out: the row is imported with that cell blank."""
    blanked = np.zeros(len(frame), dtype=np.int64)
    if not problems:
        return blanked
    cells = frame[header].to_numpy(dtype=object)
    for problem in problems:
        blank = problem.severity == ERROR
        suffix = f" {LEFT_BLANK}" if blank else ""
        for i in np.flatnonzero(problem.mask):
            value = cells[i]
            issues.append(ImportIssue(
                WARNING, problem.message.replace("{value}", _shown(value)) + suffix,
                Location(raw.sheet, int(raw.source_rows[i]), header), value, problem.hint,
            ))
        if blank:
            blanked += problem.mask
    return blanked


def _report_flagged(
    raw: RawTable, mapping: ColumnMapping, edited: set[tuple[int, str]], issues: list[ImportIssue]
) -> np.ndarray:
    """Formulas without a saved value and error cells: warnings, the cell left blank."""
    bad = np.zeros(len(raw.frame), dtype=np.int64)
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
        message += f" {LEFT_BLANK}"
        issues.append(ImportIssue(WARNING, message, Location(raw.sheet, row, header), flag.text, hint))
        if name:
            bad[position[row]] += 1
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
        if str(header).casefold().endswith(AS_WRITTEN.casefold()):
            continue  # "Effort (as written)": a field's cells as they were, kept on purpose
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


#: Characters that do not show (zero-width spaces and joiners, the BOM, soft hyphens, bidi marks …):
#: an id holding one looks like another id but is not equal to it.
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
                        "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")
_ODD_SPACE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")


def visible_text(text: str) -> str:
    """Text with invisible characters removed and unusual spaces made plain, as ids are read."""
    return _ODD_SPACE.sub(" ", _INVISIBLE.sub("", text)).strip()


def _visible(values: np.ndarray) -> np.ndarray:
    """Text with invisible characters removed and unusual spaces made plain (ids, id lists)."""
    texts = [v for v in values.tolist() if isinstance(v, str)]
    joined = "\0".join(texts)
    if not _INVISIBLE.search(joined) and not _ODD_SPACE.search(joined):
        return values  # the usual case: one search over all cells, no call per cell
    unique = pd.unique(values)
    table = {u: visible_text(u) if isinstance(u, str) else u for u in unique}
    if all(table[u] == u for u in unique):
        return values
    return np.fromiter((table[v] for v in values), dtype=object, count=len(values))


def _visible_ids(raw: RawTable, mapping: ColumnMapping, ids: np.ndarray, issues: list[ImportIssue]) -> np.ndarray:
    """Ids without invisible characters, each change reported: "PLT-1" and "PLT-1" with a
    zero-width space are one id, so the second is found as a repeat instead of a new initiative."""
    clean = _visible(ids)
    if clean is ids:
        return ids
    header = mapping.header_of("id")
    for i in np.flatnonzero(clean != ids):
        hidden = sorted({f"U+{ord(ch):04X}" for ch in str(ids[i]) if _INVISIBLE.match(ch) or _ODD_SPACE.match(ch)})
        issues.append(ImportIssue(
            WARNING, f"Id {clean[i]!r} held invisible characters ({', '.join(hidden)}); it is read as {clean[i]!r}.",
            Location(raw.sheet, int(raw.source_rows[i]), header), ids[i],
            hint="Retype the id in the file if another tool needs it clean.",
        ))
    return clean


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
    repeated = np.zeros(len(ids), dtype=bool)
    filled = np.flatnonzero(~empty)  # a blank row is no initiative: its made-up id is no repeat
    repeated[filled] = pd.Series(ids[filled]).duplicated(keep="first").to_numpy()
    if repeated.any():
        first = dict(zip(ids[filled][::-1], raw.source_rows[filled][::-1]))  # each id's first row, by overwriting
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
    header = mapping.header_of("depends_on") or mapping.header_of("blocks")
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
