"""How a column's cells become a field's values: a value map for words, a unit for effort, and a
few text rules (the last segment of a path, an issue URL as a short id, a date as its quarter).

A Conversion is plain data kept in the column mapping, so the workshop remembers it and the import
report and `cutline rank --json` can say exactly what was applied.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

#: Effort units and the person-weeks one unit is by default (a person-week is 5 days of 8 hours).
EFFORT_UNITS: Mapping[str, float] = MappingProxyType({
    "person-weeks": 1.0,
    "person-days": 1 / 5,
    "hours": 1 / 40,
    "seconds": 1 / (40 * 3600),
    "person-months": 52 / 12,
    "points": 0.5,
    "sizes": 1.0,
})
#: T-shirt sizes in person-weeks, the default map for effort written as a size.
SIZE_WORDS: Mapping[str, float] = MappingProxyType({
    "XS": 1.0, "S": 2.0, "M": 5.0, "L": 10.0, "XL": 20.0, "XXL": 40.0,
})
#: Rules for text fields.
TEXT_RULES: Mapping[str, str] = MappingProxyType({
    "last_segment": "the last part of a path (Contoso\\Platform\\Identity -> Identity)",
    "first_item": "the first of a list (Identity, Data -> Identity)",
    "issue_ref": "an issue URL as a short id (…/acme/platform/issues/12 -> platform#12)",
    "quarter_of_date": "a date as the quarter that contains it (2027-02-14 or Q1 2027 -> 2027-Q1)",
})
_PATH_SPLIT = re.compile(r"[\\/]")
_ISSUE_URL = re.compile(r"https?://[^/\s]+/(?:[^/\s]+/)*?([^/\s]+)/(?:issues|pull)/(\d+)", re.IGNORECASE)
_QUARTER = re.compile(r"^\s*(\d{4})\s*[- ]?\s*Q([1-4])\s*$", re.IGNORECASE)
_QUARTER_FIRST = re.compile(r"^\s*Q([1-4])\s*[- /]?\s*(\d{4})\s*$", re.IGNORECASE)  # Q1 2027
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_JIRA_DATE = re.compile(r"^\s*(\d{1,2})/([A-Za-z]{3})/(\d{2,4})")  # 03/Dec/26 9:15 AM
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})\b")  # 12/31/2026, 31.12.2026
#: Formats tried in turn on a date that is not ISO nor Jira's; a column that writes its day first
#: (some first number above 12, no second one) tries the day-first ones first.
_MONTH_FIRST = ("%m/%d/%Y", "%m/%d/%y")
_DAY_FIRST = ("%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d.%m.%y")
_OTHER_FORMATS = ("%Y/%m/%d", "%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%b %Y", "%B %Y")


def word_key(text: object) -> str:
    """How a word is compared in a value map: case and surrounding spaces do not count."""
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True)
class Conversion:
    """What is done to one field's cells before they are read.

    `words`: a value map, word -> number, looked up ignoring case (numbers stay numbers).
    `unit` and `factor` (effort only): what one unit is in person-weeks; a size word's number from
    `words` is already in person-weeks. `rule`: one of TEXT_RULES, for text fields.
    """

    words: Mapping[str, float] = field(default_factory=dict)
    unit: str = ""
    factor: float = 1.0
    rule: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", MappingProxyType({str(k): float(v) for k, v in self.words.items()}))
        object.__setattr__(self, "factor", float(self.factor))

    @property
    def is_identity(self) -> bool:
        return not self.words and not self.rule and self.factor == 1.0 and self.unit in ("", "person-weeks")

    def lookup(self) -> dict[str, float]:
        """The value map keyed for matching (see word_key)."""
        return {word_key(k): v for k, v in self.words.items()}

    def describe(self) -> str:
        """In words, for the import report and the JSON mapping."""
        parts = []
        if self.unit == "sizes":
            parts.append("sizes in person-weeks: " + _map_text(self.words))
        elif self.unit and self.unit != "person-weeks":
            parts.append(f"{self.unit}, 1 = {self.factor:g} person-weeks")
            if self.words:
                parts.append("words: " + _map_text(self.words))
        elif self.words:
            parts.append("words: " + _map_text(self.words))
        if self.rule:
            parts.append(TEXT_RULES.get(self.rule, self.rule))
        return "; ".join(parts)

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {}
        if self.words:
            out["words"] = dict(self.words)
        if self.unit:
            out["unit"] = self.unit
            out["factor"] = self.factor
        if self.rule:
            out["rule"] = self.rule
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Conversion:
        words = data.get("words") or {}
        if not isinstance(words, Mapping):
            raise TypeError("words must be a table of word -> number")
        factor = float(data.get("factor", 1.0))  # type: ignore[arg-type]
        if not np.isfinite(factor) or factor <= 0:
            raise ValueError("factor must be a positive number")
        clean = {str(k): float(v) for k, v in words.items()}  # type: ignore[arg-type]
        if not all(np.isfinite(v) for v in clean.values()):
            raise ValueError("every value of a value map must be a finite number")
        unit = str(data.get("unit", ""))
        rule = str(data.get("rule", ""))
        if unit and unit not in EFFORT_UNITS:
            raise ValueError(f"unknown unit {unit!r}")
        if rule and rule not in TEXT_RULES:
            raise ValueError(f"unknown rule {rule!r}")
        return cls(clean, unit, factor, rule)


def effort_conversion(unit: str, factor: float | None = None, words: Mapping[str, float] | None = None) -> Conversion:
    """An effort conversion with the unit's default factor (and the default sizes for 'sizes')."""
    if unit == "sizes" and words is None:
        words = SIZE_WORDS
    return Conversion(dict(words or {}), unit, EFFORT_UNITS[unit] if factor is None else factor)


def _map_text(words: Mapping[str, float]) -> str:
    return ", ".join(f"{k} = {v:g}" for k, v in words.items())


# -- text rules ---------------------------------------------------------------------------------
def apply_rule(rule: str, texts: np.ndarray) -> np.ndarray:
    """Text values after a rule; cells the rule does not fit are kept as they were."""
    if not rule or not len(texts):
        return texts
    unique = pd.unique(texts)
    if rule == "quarter_of_date":
        first = day_first(unique)
        table = {u: quarter_of_date(u, day_first=first) for u in unique}
    else:
        fn = {"last_segment": _last_segment, "issue_ref": _issue_ref, "first_item": _first_item}[rule]
        table = {u: fn(u) for u in unique}
    return np.fromiter((table[t] for t in texts), dtype=object, count=len(texts))


def _last_segment(text: str) -> str:
    parts = [p.strip() for p in _PATH_SPLIT.split(text) if p.strip()]
    return parts[-1] if parts else text


def _first_item(text: str) -> str:
    return text.split(",")[0].strip() if text else text


def _issue_ref(text: str) -> str:
    match = _ISSUE_URL.search(text)
    return f"{match.group(1)}#{match.group(2)}" if match else text


def day_first(texts) -> bool:
    """Whether a column's numeric dates (12/31/2026, 31.12.2026) write the day first: some
    first number is above 12 and no second one is. With no such evidence, the month comes first
    for a slash (12/31/2026, as in the United States) and the day for a dot (31.12.2026)."""
    firsts = seconds = False
    for text in texts:
        m = _NUMERIC_DATE.match(str(text))
        if m:
            firsts |= int(m.group(1)) > 12
            seconds |= int(m.group(2)) > 12
    return firsts and not seconds


def quarter_of_date(text: str, day_first: bool = False) -> str:
    """"2027-Q1" as it is; a date (ISO, Jira's 03/Dec/26, 12/31/2026, 31.12.2026, 2027/03/31,
    Mar 2027) as its quarter; `day_first` reads 01/07/2027 as 1 July (see `day_first()`)."""
    if not text:
        return text
    m = _QUARTER.match(text)
    if m:
        return f"{m.group(1)}-Q{m.group(2)}"
    m = _QUARTER_FIRST.match(text)
    if m:
        return f"{m.group(2)}-Q{m.group(1)}"
    day = _parse_date(text, day_first)
    if day is None:
        return text
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _parse_date(text: str, day_first: bool = False) -> dt.date | None:
    jira = _JIRA_DATE.match(text)
    if jira:
        month = _MONTHS.get(jira.group(2).casefold())
        year = int(jira.group(3))
        year += 2000 if year < 100 else 0
        try:
            return dt.date(year, month, int(jira.group(1))) if month else None
        except ValueError:
            return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    formats = (_DAY_FIRST + _MONTH_FIRST if day_first else _MONTH_FIRST + _DAY_FIRST) + _OTHER_FORMATS
    day = text.split(" ")[0] if "/" in text or "." in text else text  # without a time of day
    for fmt in formats:
        try:
            return dt.datetime.strptime(day, fmt).date()
        except ValueError:
            continue
    return None
