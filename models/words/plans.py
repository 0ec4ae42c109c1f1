"""Words for when an initiative runs and whether it is late, shared by the ranked table, the
explain panel, the export and the CLI table (no Qt here), so they all say the same thing.

A span reads "2027-Q1 → Q3" (the year is not repeated within one year), "2026-Q4 → 2027-Q2"
across years, and just "2027-Q1" for work in one quarter. A late initiative reads
"late (due 2027-Q2)".
"""

from __future__ import annotations

import re

import numpy as np

ARROW = " → "
LATE = "late"
#: The mark beside the word: a shape as well as a word and a colour.
LATE_MARK = "⚠"

_CALENDAR = re.compile(r"^(\d{4})-(Q[1-4])$")


def span_text(first: str, finish: str, arrow: str = ARROW) -> str:
    """"2027-Q1 → Q3", "2026-Q4 → 2027-Q2", or "2027-Q1" when first and finish are one quarter."""
    if not first:
        return ""
    if not finish or finish == first:
        return first
    a, b = _CALENDAR.match(first), _CALENDAR.match(finish)
    if a and b and a.group(1) == b.group(1):
        finish = b.group(2)
    return f"{first}{arrow}{finish}"


def span_words(allocation, arrow: str = ARROW) -> np.ndarray:
    """(n,) object: the span of every funded initiative as `span_text` words, "" when not funded."""
    quarters = list(allocation.quarters)
    k = len(quarters)
    first = np.asarray(allocation.quarter, dtype=np.int64)
    finish = np.asarray(allocation.finish, dtype=np.int64)
    out = np.full(len(first), "", dtype=object)
    if not k:
        return out
    funded = np.asarray(allocation.funded, dtype=bool) & (first >= 0)
    finish = np.where(finish >= first, finish, first)
    # Every (first, finish) pair in a table of k × k words: a plan has few quarters.
    table = np.array([[span_text(quarters[s], quarters[f], arrow) if f >= s else quarters[s]
                       for f in range(k)] for s in range(k)], dtype=object)
    out[funded] = table[first[funded], np.clip(finish[funded], 0, k - 1)]
    return out


def late_text(due_quarter: str) -> str:
    """"late (due 2027-Q2)"."""
    return f"{LATE} (due {due_quarter})" if due_quarter else LATE


def late_words(allocation) -> np.ndarray:
    """(n,) object: "late (due 2027-Q2)" for every late initiative, "" for the others."""
    late = np.asarray(allocation.late, dtype=bool)
    out = np.full(len(late), "", dtype=object)
    if late.any():
        due = np.asarray(allocation.due_quarter, dtype=object)
        out[late] = np.array([late_text(str(d)) for d in due[late].tolist()], dtype=object)
    return out


def person_weeks(value: float) -> str:
    """Person-weeks as a PM reads them: 10, 4.8, 0.25."""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value == value else ""


def quarters_list(allocation, row: int) -> str:
    """"2027-Q1 (10 pw), 2027-Q2 (10 pw), 2027-Q3 (6 pw)": every quarter the initiative runs
    over with its person-weeks ("waits" where its work waits); just the names when the
    allocation does not know the person-weeks (every figure 0)."""
    spans = allocation.quarters_of(row)
    if not any(pw for _, pw in spans):
        return ", ".join(q for q, _ in spans)
    return ", ".join(f"{q} ({person_weeks(pw)} pw)" if pw else f"{q} (work waits)" for q, pw in spans)
