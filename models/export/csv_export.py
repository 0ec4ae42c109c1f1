"""The ranked list as CSV: UTF-8 with a byte-order mark, so Excel reads accents right."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
from pathlib import Path

import numpy as np
from cutline.models.export.atomic import write_atomically
from cutline.models.export.checks import header_warnings
from cutline.models.export.columns import ListColumn, ranked_columns
from cutline.models.export.roadmap import ExportResult
from cutline.models.export.safety import csv_safe

#: Score and points are rounded to this many decimals; inputs are written exactly.
COMPUTED_DECIMALS = 4


def export_csv(path: str | os.PathLike, evaluation) -> ExportResult:
    """Write the ranked list of one evaluation: the Ranked list sheet's columns (all of them), one row each.

    Text that a spreadsheet would take for a formula gets a leading apostrophe (OWASP);
    numbers, negative ones too, are written as numbers.
    """
    path = Path(path)
    columns = ranked_columns(evaluation)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([csv_safe(c.header) for c in columns])
    writer.writerows(zip(*(csv_cells(c) for c in columns)))
    write_atomically(path, text.getvalue().encode("utf-8-sig"))
    return ExportResult(path, rows=len(evaluation.ranking.order), warnings=header_warnings(evaluation))


def csv_cells(column: ListColumn) -> list[str]:
    """A column's values as CSV fields."""
    values = column.values
    if column.kind == "int":
        return [str(v) for v in np.asarray(values, dtype=np.int64).tolist()]
    if column.kind == "number":
        numbers = np.asarray(values, dtype=np.float64)
        if column.role in ("score", "points"):
            numbers = np.round(numbers, COMPUTED_DECIMALS)
        return [number_field(v) for v in numbers.tolist()]
    if column.kind == "text":
        return [csv_safe(v) for v in values.tolist()]
    return [value_field(v) for v in values.tolist()]


def number_field(value: float) -> str:
    """A number written exactly and briefly: 3 not 3.0, blank for NaN."""
    if value != value or math.isinf(value):
        return ""
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


def value_field(value: object) -> str:
    """Any extra column's value as a CSV field."""
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return number_field(float(value))
    if isinstance(value, str):
        return csv_safe(value)
    if isinstance(value, dt.datetime):
        if value != value:  # NaT
            return ""
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        if value != value:  # pd.NA and other missing markers
            return ""
    except (TypeError, ValueError):
        pass
    return csv_safe(str(value))
