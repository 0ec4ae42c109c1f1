"""Everything an export will write, checked against what Excel can hold, before writing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from cutline.models.export.columns import COMPUTED_COLUMNS, ROADMAP_HEADER_ROW, is_computed_header
from cutline.models.export.safety import (
    MAX_COLUMNS,
    MAX_ROWS,
    ExportIssue,
    portfolio_issues,
    text_issues,
)
from cutline.models.portfolio.portfolio import CANONICAL_FIELDS


def check_exportable(
    evaluations: Sequence, *, current: int = 0, decisions: Iterable = ()
) -> list[ExportIssue]:
    """Values that Excel cannot hold as they are: text over 32,767 characters, characters
    Excel cannot store, infinite numbers; each with its initiative, column and row."""
    if not evaluations:
        return []
    main = evaluations[current]
    issues = portfolio_issues(main.portfolio, CANONICAL_FIELDS + tuple(main.portfolio.extra_columns))
    seen = {id(main.portfolio)}
    for evaluation in evaluations:
        if id(evaluation.portfolio) not in seen:  # the Scenarios sheet shows ids and titles
            seen.add(id(evaluation.portfolio))
            issues += [i for i in portfolio_issues(evaluation.portfolio, ("id", "title")) if i not in issues]
    issues += text_issues(_loose_texts(evaluations, main, decisions))
    return issues


def size_problems(evaluations: Sequence, current: int = 0) -> list[str]:
    """Reasons the workbook would not fit Excel's grid at all (nothing can replace these)."""
    main = evaluations[current]
    n = len(main.ranking.order)
    columns = len(COMPUTED_COLUMNS) + len(main.ranking.criteria) + len(CANONICAL_FIELDS) + len(main.portfolio.extra_columns)
    problems = []
    if n + ROADMAP_HEADER_ROW > MAX_ROWS:
        problems.append(f"{n:,} initiatives need more rows than Excel's {MAX_ROWS:,}")
    if columns > MAX_COLUMNS:
        problems.append(f"{columns:,} columns are more than Excel's {MAX_COLUMNS:,}")
    if len(evaluations) > 1 and 2 + 4 * len(evaluations) > MAX_COLUMNS:
        problems.append(f"{len(evaluations):,} scenarios need more columns than Excel has")
    return problems


def header_warnings(evaluation) -> list[str]:
    """Extra columns named like a computed column: a re-import would take them as computed."""
    return [
        f"The extra column {name!r} has the name of a column Cutline computes; importing "
        "the exported Ranked list sheet will skip it."
        for name in evaluation.portfolio.extra_columns if is_computed_header(str(name))
    ]


def _loose_texts(evaluations: Sequence, main, decisions: Iterable):
    """(sheet, what, value) of every text written besides the portfolio's cells."""
    for name in main.portfolio.extra_columns:
        yield "Ranked list", "extra column header", str(name)
    for evaluation in evaluations:
        scenario = evaluation.scenario
        of = f" of scenario {scenario.name[:40]!r}"
        yield "Scenarios", "scenario name", scenario.name
        model = scenario.model
        for what, value in (("model name", model.name), ("model description", model.description)):
            yield "Model", what + of, value
        for c in model.criteria:
            yield "Model", "criterion name" + of, c.name
            yield "Model", f"formula of criterion {c.name[:40]!r}" + of, c.formula or ""
        for t in model.tiers:
            yield "Model", "tier name" + of, t.name
            yield "Model", f"condition of tier {t.name[:40]!r}" + of, t.condition
        for name in evaluation.ranking.tier_names:
            yield "Model", "tier name" + of, name
        for team in scenario.capacity.table["team"].tolist():
            yield "Capacity", "team" + of, team
        for quarter in evaluation.allocation.quarters:
            yield "Capacity", "quarter" + of, quarter
        for reason in set(np.asarray(evaluation.allocation.reason, dtype=object).tolist()):
            yield "Ranked list", "Not funded because" + of, reason
        for g in scenario.capacity.guardrails:
            yield "Capacity", "guardrail category" + of, g.category
    for entry in decisions:
        for field in ("kind", "scenario", "summary", "old", "new"):
            value = getattr(entry, field, None)
            if isinstance(value, str):
                yield "Decisions", field, value
