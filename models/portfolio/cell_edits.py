"""Checking one value a user types into a cell, with the same rules as import."""

from __future__ import annotations

import math

from cutline.models.errors import CutlineError, Location
from cutline.models.portfolio.portfolio import (
    LIST_FIELDS,
    NUMERIC_FIELDS,
    RATING_FIELDS,
    TEXT_FIELDS,
)

IMPACT_WORDS = {"massive": 3.0, "high": 2.0, "medium": 1.0, "low": 0.5, "minimal": 0.25}


class CellValueError(CutlineError):
    """A typed value does not fit its field."""


def parse_cell(field: str, text: object) -> object:
    """The stored value for `field` from what the user typed; raises CellValueError if it does not fit.

    Numbers accept `1,234`, `80%` and blanks; confidence is stored as a fraction (80, 80% and 0.8
    all mean 0.8); impact accepts massive/high/medium/low/minimal; ratings are 0 to 10.
    """
    where = Location(column=field)
    if field in TEXT_FIELDS:
        value = "" if text is None else str(text).strip()
        if field in LIST_FIELDS:
            value = ", ".join(p.strip() for p in value.replace(";", ",").split(",") if p.strip())
        return value
    if field not in NUMERIC_FIELDS:
        return text
    if text is None or (isinstance(text, float) and math.isnan(text)) or str(text).strip() == "":
        return None
    raw = str(text).strip().lower()
    if field == "impact" and raw in IMPACT_WORDS:
        return IMPACT_WORDS[raw]
    percent = raw.endswith("%")
    try:
        number = float(raw.rstrip("%").replace(",", "").strip())
    except ValueError:
        raise CellValueError(f"{text!r} is not a number.", location=where,
                             hint="Type a number, or leave the cell blank.") from None
    if not math.isfinite(number):
        raise CellValueError(f"{text!r} is not a finite number.", location=where)
    if field == "confidence":
        if percent or number > 1:
            number /= 100.0
        if not 0 <= number <= 1:
            raise CellValueError(f"Confidence {text!r} is outside 0 to 100%.", location=where,
                                 hint="Type a share such as 0.8 or 80%.")
        return number
    if percent:
        raise CellValueError(f"{field} does not take a percent.", location=where)
    if number < 0:
        raise CellValueError(f"{field} cannot be negative ({text!r}).", location=where,
                             hint="Type zero or a positive number.")
    if field in RATING_FIELDS and number > 10:
        raise CellValueError(f"{field} is rated 0 to 10, not {text!r}.", location=where)
    return number
