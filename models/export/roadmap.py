"""The Excel roadmap: the one-page Roadmap, the Ranked list, Model, Capacity, Scenarios and
Decisions sheets in one file."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from cutline.models.errors import ExportError
from cutline.models.export.atomic import write_atomically
from cutline.models.export.book import Book
from cutline.models.export.capacity_sheet import write_capacity
from cutline.models.export.checks import check_exportable, header_warnings, size_problems
from cutline.models.export.columns import choose_columns, ranked_columns, unknown_keys
from cutline.models.export.decisions_sheet import write_decisions
from cutline.models.export.live_formulas import (
    NORMALISED_SHEET,
    formula_inputs,
    live_columns,
    mismatch,
    write_normalised,
)
from cutline.models.export.model_sheet import SHEET as MODEL_SHEET
from cutline.models.export.model_sheet import write_model
from cutline.models.export.roadmap_page import SHEET as ROADMAP_SHEET
from cutline.models.export.roadmap_page import write_roadmap_page
from cutline.models.export.roadmap_sheet import SHEET as RANKED_SHEET
from cutline.models.export.roadmap_sheet import write_roadmap
from cutline.models.export.safety import ExportIssue, describe_issues, fit_text
from cutline.models.export.scenarios_sheet import write_scenarios

if TYPE_CHECKING:
    from cutline.models.scenarios.pipeline import Evaluation

OnProblem = Literal["raise", "replace"]


@dataclass
class ExportResult:
    """What an export wrote, and anything the user should know about it."""

    path: Path
    sheets: tuple[str, ...] = ()
    rows: int = 0
    warnings: list[str] = field(default_factory=list)
    issues: list[ExportIssue] = field(default_factory=list)


def export_roadmap(
    path: str | os.PathLike,
    evaluations: Sequence[Evaluation],
    *,
    current: int = 0,
    decisions: Iterable = (),
    live_formulas: bool = False,
    progress: Callable[[int, int], None] | None = None,
    today: dt.date | None = None,
    on_problem: OnProblem = "raise",
    columns: Sequence[str] | Literal["all"] | None = None,
    sensitivity=None,
    lanes: str | None = None,
) -> ExportResult:
    """Write the roadmap workbook of `evaluations[current]`, with the other scenarios beside it.

    `columns` are the keys of the ranked list's shown columns, in order (cutline.models.export.columns:
    the default set when None, every column with "all"); the others are kept hidden.
    `sensitivity` (cutline.models.scenarios.sensitivity.Sensitivity of the current scenario) adds its funded share
    and rank interval; `lanes` ("team" or "layer") the one-page Roadmap's lanes.

    Values Excel cannot hold raise ExportError listing them, unless `on_problem="replace"`:
    then long text is cut to Excel's limit and illegal characters become U+FFFD, each
    change listed in the result's warnings. `progress(done, total)` is called as table rows
    are written; an exception it raises cancels the export and leaves any old file as it was.
    """
    path = Path(path)
    evaluations = list(evaluations)
    decisions = list(decisions)
    _check_arguments(path, evaluations, current, on_problem)
    _check_columns(evaluations[current], columns, sensitivity, lanes)
    issues = check_exportable(evaluations, current=current, decisions=decisions)
    if issues and on_problem == "raise":
        raise ExportError(
            f"{len(issues):,} value(s) cannot be written to Excel as they are: {describe_issues(issues)}.",
            location=issues[0].location,
            hint="Shorten or clean them in the source, or export again choosing to replace them "
                 "(long text is cut to 32,767 characters, characters Excel cannot hold become \ufffd).",
        )
    result = ExportResult(path, issues=issues)
    if issues:
        result.warnings.append(f"Changed to fit Excel: {describe_issues(issues)}.")
    main = evaluations[current]
    result.warnings += header_warnings(main)
    book = build_workbook(
        evaluations, current=current, decisions=decisions, live_formulas=live_formulas,
        today=today or dt.date.today(), clean=fit_text if issues else None, warnings=result.warnings,
        columns=columns, sensitivity=sensitivity, lanes=lanes,
    )
    data = book.to_bytes(progress)
    write_atomically(path, data)
    result.sheets = tuple(s.title for s in book.sheets)
    result.rows = len(main.ranking.order)
    return result


def build_workbook(
    evaluations: Sequence,
    *,
    current: int,
    decisions: Sequence,
    live_formulas: bool,
    today: dt.date,
    clean: Callable[[str], str] | None = None,
    warnings: list[str] | None = None,
    columns: Sequence[str] | Literal["all"] | None = None,
    sensitivity=None,
    lanes: str | None = None,
) -> Book:
    """Every sheet of the roadmap, ready to be assembled into bytes."""
    main = evaluations[current]
    book = Book(clean=clean)
    page = book.sheet(ROADMAP_SHEET)
    roadmap = book.sheet(RANKED_SHEET)
    model = book.sheet(MODEL_SHEET)
    capacity = book.sheet("Capacity")
    scenarios = book.sheet("Scenarios") if len(evaluations) > 1 else None
    log = book.sheet("Decisions")
    shown, hidden = choose_columns(ranked_columns(main, sensitivity), columns)
    columns = shown + hidden
    live = live_formulas and bool(main.ranking.criteria)
    shares = write_model(model, main, live=live)
    live_cells = None
    if live:
        values = formula_inputs(main.ranking)
        off = mismatch(main.ranking, main.scenario.model, values)
        if off and warnings is not None:
            warnings.append(
                "Live formulas do not reproduce Cutline's numbers exactly for: " + ", ".join(off) + "."
            )
        write_normalised(book, book.sheet(NORMALISED_SHEET), main, values)
        live_cells = live_columns(main, columns, shares)
    write_roadmap_page(page, main, today=today, lanes=lanes)
    write_roadmap(book, roadmap, main, columns, today=today, live_cells=live_cells, shown=len(shown))
    write_capacity(book, capacity, main)
    if scenarios is not None:
        write_scenarios(book, scenarios, evaluations)
    write_decisions(log, decisions)
    return book


def _check_columns(evaluation, columns, sensitivity, lanes) -> None:
    if lanes not in (None, "team", "layer"):
        raise ExportError(f"The roadmap's lanes can be by team or by layer, not {lanes!r}.")
    if columns is None or columns == "all":
        return
    if isinstance(columns, str):
        raise ValueError("columns must be a sequence of keys, 'all' or None")
    unknown = unknown_keys(evaluation, columns, sensitivity)
    if unknown:
        from cutline.models.export.columns import ranked_columns_headers

        keys = ", ".join(k for k, _ in ranked_columns_headers(evaluation, sensitivity))
        raise ExportError("The ranked list has no column " + ", ".join(repr(k) for k in unknown) + ".",
                          hint=f"Choose among: {keys}.")
    if not columns:
        raise ExportError("No column was chosen for the ranked list.", hint="Choose at least one column.")
    if sensitivity is not None and len(sensitivity.funded_share) != len(evaluation.portfolio):
        raise ValueError("the sensitivity analysis is of another portfolio")


def _check_arguments(path: Path, evaluations: list, current: int, on_problem: str) -> None:
    if not evaluations:
        raise ExportError("There is no scenario to export.", hint="Choose at least one scenario.")
    if not 0 <= current < len(evaluations):
        raise ExportError(f"Scenario number {current + 1} is not among the {len(evaluations)} chosen.",
                          hint="Choose the scenario to show on the Roadmap and Ranked list sheets from those exported.")
    if on_problem not in ("raise", "replace"):
        raise ValueError(f"on_problem must be 'raise' or 'replace', not {on_problem!r}")
    if path.suffix.lower() != ".xlsx":
        raise ExportError(f"{path.name} does not end in .xlsx, so Excel would not open it.",
                          hint="Export to a file name ending in .xlsx.")
    problems = size_problems(evaluations, current)
    if problems:
        raise ExportError("The roadmap does not fit in an Excel sheet: " + "; ".join(problems) + ".",
                          hint="Export the ranked list as CSV instead.")
