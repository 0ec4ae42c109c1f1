"""What Excel cannot hold, found before writing, and text kept from becoming a formula."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from cutline.models.errors import Location

#: Excel's limits (Microsoft's "Excel specifications and limits").
MAX_TEXT = 32_767
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384

#: Characters an xlsx file cannot hold: control characters other than tab, newline and
#: carriage return, lone surrogates, and the two non-characters U+FFFE and U+FFFF.
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: What an illegal character becomes when the user chose to replace problems.
REPLACEMENT = "\ufffd"
INFINITE = "an infinite number, which Excel cannot store"
#: First characters that make a spreadsheet read text as a formula (OWASP, CSV injection).
RISKY_FIRST = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportIssue:
    """A value that Excel cannot hold as it is, with where it is and what is wrong."""

    column: str
    problem: str
    initiative: str | None = None
    location: Location = Location()
    #: Portfolio row of the value (0-based), None when it is not an initiative's value.
    row: int | None = None

    def __str__(self) -> str:
        who = f"initiative {self.initiative!r}, " if self.initiative is not None else ""
        where = f" ({self.location})" if str(self.location) else ""
        return f"{who}column {self.column!r}: {self.problem}{where}"


def is_risky(text: str) -> bool:
    """True when a spreadsheet would read this text as a formula."""
    return text.startswith(RISKY_FIRST)


def csv_safe(text: str) -> str:
    """Text as OWASP advises for CSV: a leading quote when it could be read as a formula."""
    return "'" + text if text.startswith(RISKY_FIRST) else text


def text_problem(text: str) -> str | None:
    """Why Excel cannot hold this text as it is, or None when it can."""
    problems = []
    if len(text) > MAX_TEXT:
        problems.append(f"{len(text):,} characters; Excel holds at most {MAX_TEXT:,} in a cell")
    bad = ILLEGAL.search(text)
    if bad:
        problems.append(f"holds a character Excel cannot store (U+{ord(bad.group()):04X})")
    return " and ".join(problems) or None


def fit_text(text: str) -> str:
    """Text that Excel can hold: illegal characters replaced, cut to the cell limit with '…'."""
    text = ILLEGAL.sub(REPLACEMENT, text)
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "\u2026"
    return text


def column_problems(values: np.ndarray) -> dict[int, str]:
    """Problems in one column, by row: text too long or with illegal characters, and
    numbers Excel cannot hold (infinite)."""
    arr = np.asarray(values)
    if arr.dtype.kind in "iub":
        return {}
    if arr.dtype.kind == "f":
        return {int(i): INFINITE for i in np.flatnonzero(np.isinf(arr))}
    series = pd.Series(arr, dtype=object)
    if pd.api.types.infer_dtype(series, skipna=False) == "string":
        texts = series  # every value is text: no per-value type test needed
        out: dict[int, str] = {}
    else:
        numbers = series[series.map(_is_number)].astype(np.float64)
        out = {int(i): INFINITE for i in numbers.index[np.isinf(numbers.to_numpy())]}
        texts = series[series.map(_is_text)]
    if texts.empty:
        return out
    strings = texts.tolist()
    # One pass over the whole column first: almost every column has nothing to report.
    if max(map(len, strings)) <= MAX_TEXT and ILLEGAL.search("\n".join(strings)) is None:
        return out
    for i, text in zip(texts.index, strings):
        problem = text_problem(text)
        if problem:
            out[int(i)] = problem
    return out


def _is_text(value: object) -> bool:
    return isinstance(value, str)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def portfolio_issues(portfolio, columns: Sequence[str]) -> list[ExportIssue]:
    """Problems in the given columns of a portfolio, each with its initiative and row."""
    issues: list[ExportIssue] = []
    ids = portfolio.ids
    for name in columns:
        for row, problem in sorted(column_problems(portfolio.frame[name].to_numpy()).items()):
            source_row = int(portfolio.source_rows[row]) if row < len(portfolio.source_rows) else None
            issues.append(ExportIssue(
                column=name,
                problem=problem,
                initiative=str(ids[row]),
                location=Location(portfolio.sheet, source_row, name),
                row=row,
            ))
    return issues


def text_issues(items: Iterable[tuple[str, str, object]]) -> list[ExportIssue]:
    """Problems in loose texts, given as (sheet, what the text is, value) triples; each
    problem once, however often the same text appears."""
    found: dict[tuple[str, str, str], ExportIssue] = {}
    for sheet, what, value in items:
        if isinstance(value, str):
            problem = text_problem(value)
        elif _is_number(value) and math.isinf(float(value)):
            problem = INFINITE
        else:
            continue
        if problem:
            found.setdefault((sheet, what, problem), ExportIssue(what, problem, location=Location(sheet=sheet)))
    return list(found.values())


def describe_issues(issues: Sequence[ExportIssue], limit: int = 10) -> str:
    """The issues as one paragraph, the first `limit` in full."""
    lines = [str(i) for i in issues[:limit]]
    if len(issues) > limit:
        lines.append(f"and {len(issues) - limit:,} more")
    return "; ".join(lines)
