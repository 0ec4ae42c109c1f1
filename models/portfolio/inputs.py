"""What Cutline read for each initiative, under its own names, and how each field was read: the
`inputs` and `mapping` of `cutline rank --json`, and the "as written" facts of the explain panel."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from cutline.models.importing.conversions import Conversion
from cutline.models.portfolio.portfolio import (
    CANONICAL_FIELDS,
    LIST_FIELDS,
    NUMERIC_FIELDS,
    Portfolio,
    split_list,
)
from cutline.models.scoring.model import DERIVED_SOURCES, ScoringModel
from cutline.models.scoring.score import Scorer

_NOT_INPUTS = ("id", "title")


def source_kind(mapping: Mapping) -> str:
    """The export recognised at import ("jira", "linear", …), or "spreadsheet"."""
    return str(mapping.get("tracker") or "spreadsheet") if mapping else "spreadsheet"


def mapping_summary(mapping: Mapping) -> dict[str, dict[str, object]]:
    """Field -> {"columns": [...], "conversion": the conversion's data or None, "described": it in
    words or None}, from a saved column mapping."""
    columns: dict[str, list[str]] = {}
    for column in mapping.get("columns", ()) if mapping else ():
        name = column.get("field")
        if name and not column.get("ignored"):
            columns.setdefault(str(name), []).append(str(column.get("header")))
    conversions = dict(mapping.get("conversions") or {}) if mapping else {}
    out: dict[str, dict[str, object]] = {}
    for name, headers in columns.items():
        data, described = None, None
        if name in conversions:
            try:
                conversion = Conversion.from_dict(conversions[name])
            except (TypeError, ValueError):
                conversion = None
            if conversion is not None:
                data, described = conversion.to_dict(), conversion.describe() or None
        out[name] = {"columns": headers, "conversion": data, "described": described}
    return out


def written_columns(mapping: Mapping, portfolio: Portfolio) -> dict[str, str]:
    """Field -> the extra column that keeps its cells as written (a converted effort, risk, an
    issue URL read as an id, a due date read as its quarter …)."""
    summary = mapping_summary(mapping)
    conversions = dict(mapping.get("conversions") or {}) if mapping else {}
    out = {}
    for name, info in summary.items():
        if name not in conversions:
            continue
        header = info["columns"][0]  # type: ignore[index]
        for key in (header, f"{header} (as written)"):
            if key in portfolio.extra_columns:
                out[name] = key
    return out


def criterion_columns(model: ScoringModel, portfolio: Portfolio, scorer: Scorer) -> dict[str, np.ndarray]:
    """Extra columns the model scores as criteria (through a value map where it has one), as numbers."""
    out = {}
    for c in model.criteria:
        if c.source in DERIVED_SOURCES or c.source == "formula":
            continue
        name = scorer.resolve(c.source)
        if name is not None and name in portfolio.extra_columns:
            out[name] = scorer.raw(c, model.value_maps)
    return out


def initiative_inputs(
    portfolio: Portfolio, model: ScoringModel, mapping: Mapping, scorer: Scorer | None = None
) -> list[dict[str, object]]:
    """For each row (in portfolio order): every field read, under Cutline's names (numbers as
    numbers, blanks as None, lists as lists), the extra columns scored as criteria as numbers, and
    `as_written` for the fields read through a conversion."""
    scorer = scorer if scorer is not None else Scorer(portfolio)
    n = len(portfolio)
    columns: dict[str, list] = {}
    for name in CANONICAL_FIELDS:
        if name in _NOT_INPUTS:
            continue
        if name in NUMERIC_FIELDS:
            columns[name] = [_number(v) for v in portfolio.numeric(name).tolist()]
        elif name in LIST_FIELDS:
            columns[name] = [split_list(v) for v in portfolio.text(name).tolist()]
        else:
            columns[name] = [v or None for v in portfolio.text(name).tolist()]
    for name, values in criterion_columns(model, portfolio, scorer).items():
        columns[name] = [_number(v) for v in np.asarray(values, dtype=np.float64).tolist()]
    written = {name: [_written(v) for v in portfolio.frame[col].tolist()]
               for name, col in written_columns(mapping, portfolio).items()}
    names = list(columns)
    rows = [dict(zip(names, values)) for values in zip(*columns.values())] if names else [{} for _ in range(n)]
    if written:
        keys = list(written)
        for entry, values in zip(rows, zip(*written.values())):
            entry["as_written"] = dict(zip(keys, values))
    return rows


def _number(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _written(value: object) -> object:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
