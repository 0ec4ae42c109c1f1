"""How the allocation plans work over time: spans of quarters, share limits and due quarters.

`Planning` is a scenario's setting (stored in the scenario's JSON in the workshop file, with
defaults for files written before it existed). `due_quarters` reads the portfolio's `quarter`
column (the due quarter) against the capacity table's quarters. docs/capacity.md describes both.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
from cutline.models.errors import CapacityError

#: The documented defaults.
MAX_SPAN_QUARTERS = 4
MAX_SHARE_PER_QUARTER = 1.0

#: `due` of an initiative without a due quarter (or one Cutline cannot read): never late.
NO_DUE = np.iinfo(np.int64).max

_YEAR_FIRST = re.compile(r"^\s*(\d{4})\s*[- /]?\s*Q([1-4])\s*$", re.IGNORECASE)   # 2027-Q1
_QUARTER_FIRST = re.compile(r"^\s*Q([1-4])\s*[- /]?\s*(\d{4})\s*$", re.IGNORECASE)  # Q1 2027


@dataclass(frozen=True)
class Planning:
    """A scenario's planning rules.

    - `max_span_quarters`: the most consecutive quarters one initiative may run over (1 places
      every initiative whole in one quarter).
    - `max_share_per_quarter`: the most of one team-quarter's capacity (a share, 0 < s <= 1)
      that a single initiative may take.
    - `hard_due_dates`: place an initiative with a due quarter so that it finishes by then,
      or refuse it; when false, one that finishes later is only marked late.
    """

    max_span_quarters: int = MAX_SPAN_QUARTERS
    max_share_per_quarter: float = MAX_SHARE_PER_QUARTER
    hard_due_dates: bool = False

    def __post_init__(self) -> None:
        span, share = self.max_span_quarters, self.max_share_per_quarter
        if isinstance(span, bool) or not isinstance(span, int | np.integer) or span < 1:
            raise CapacityError(f"The most quarters one initiative may span must be a whole number, 1 or more "
                                f"(it is {span!r}).")
        if isinstance(share, bool) or not isinstance(share, int | float | np.floating) or not (
                math.isfinite(share) and 0 < share <= 1):
            raise CapacityError(f"The most of a team-quarter one initiative may take must be a share above 0% "
                                f"and at most 100% (it is {share!r}).")
        object.__setattr__(self, "max_span_quarters", int(span))
        object.__setattr__(self, "max_share_per_quarter", float(share))
        object.__setattr__(self, "hard_due_dates", bool(self.hard_due_dates))

    def to_dict(self) -> dict:
        return {"max_span_quarters": self.max_span_quarters,
                "max_share_per_quarter": self.max_share_per_quarter,
                "hard_due_dates": self.hard_due_dates}

    @classmethod
    def from_dict(cls, data: dict | None) -> Planning:
        """From stored JSON. A scenario saved before planning existed (no `planning` at all) keeps
        the rule it was planned with, whole quarters (span 1), so opening an older workshop never
        changes its plan unseen; a missing key inside takes its default."""
        if data is None:
            return cls(1, MAX_SHARE_PER_QUARTER, False)
        data = data or {}
        return cls(int(data.get("max_span_quarters", MAX_SPAN_QUARTERS)),
                   float(data.get("max_share_per_quarter", MAX_SHARE_PER_QUARTER)),
                   bool(data.get("hard_due_dates", False)))


def quarter_ordinal(text: str) -> int | None:
    """year * 4 + quarter - 1 for "2027-Q1", "2027 Q1", "Q1 2027" (any case); None otherwise."""
    m = _YEAR_FIRST.match(text)
    if m:
        return int(m.group(1)) * 4 + int(m.group(2)) - 1
    m = _QUARTER_FIRST.match(text)
    if m:
        return int(m.group(2)) * 4 + int(m.group(1)) - 1
    return None


def _as_quarter(text: str) -> str:
    """A due cell as a quarter's name ("2027-Q1"): a date as the quarter that contains it (as the
    import does); other text as it is."""
    if not text:
        return text
    ordinal = quarter_ordinal(text)
    if ordinal is None:
        from cutline.models.importing.conversions import quarter_of_date

        text = quarter_of_date(text)
        ordinal = quarter_ordinal(text)
    return text if ordinal is None else f"{ordinal // 4}-Q{ordinal % 4 + 1}"


def due_ordinals(texts) -> np.ndarray:
    """Per initiative, its due quarter (the `quarter` column, a date as its quarter) as
    year * 4 + quarter - 1 (float64), NaN when it has none or it is not a calendar quarter."""
    texts = np.asarray(texts, dtype=object)
    out = np.full(len(texts), np.nan)
    if not len(texts):
        return out
    import pandas as pd

    codes, uniques = pd.factorize(pd.Series(texts, dtype=object), use_na_sentinel=False)
    values = []
    for text in uniques.tolist():
        cell = "" if text is None or (isinstance(text, float) and text != text) else str(text).strip()
        ordinal = quarter_ordinal(_as_quarter(cell)) if cell else None
        values.append(np.nan if ordinal is None else float(ordinal))
    out[:] = np.array(values, dtype=np.float64)[codes]
    return out


def due_quarters(texts, quarters: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(due, due_quarter) per initiative from the portfolio's `quarter` column.

    `due_quarter` is the due quarter as text ("" for none); a date is read as its quarter.
    `due` is the index in `quarters` of the last quarter of the plan in which the initiative
    still finishes on time: the due quarter itself when the plan has it; else, when the plan's
    quarters are calendar quarters such as 2027-Q1, the last one before the due quarter (-1
    when the due quarter comes before the plan, len(quarters) when after it); NO_DUE when there
    is none or it cannot be read as a quarter of this plan.
    """
    texts = np.asarray(texts, dtype=object)
    n = len(texts)
    due = np.full(n, NO_DUE, dtype=np.int64)
    names = np.full(n, "", dtype=object)
    if not n:
        return due, names
    import pandas as pd

    codes, uniques = pd.factorize(pd.Series(texts, dtype=object), use_na_sentinel=False)
    by_name = {q.strip().casefold(): i for i, q in enumerate(quarters)}
    ordinals = [quarter_ordinal(q) for q in quarters]
    calendar = all(o is not None for o in ordinals) and all(a < b for a, b in zip(ordinals, ordinals[1:]))
    index_of, name_of = [], []
    for text in uniques.tolist():
        cell = "" if text is None or (isinstance(text, float) and text != text) else str(text).strip()
        name = _as_quarter(cell)
        index = by_name.get(name.casefold(), NO_DUE) if name else NO_DUE
        if index == NO_DUE and name and calendar and quarters:
            ordinal = quarter_ordinal(name)
            if ordinal is not None:
                index = len(quarters) if ordinal > ordinals[-1] else \
                    int(np.searchsorted(np.array(ordinals), ordinal, side="right")) - 1
        if index == NO_DUE and quarter_ordinal(name) is None:
            name = ""  # not a quarter: no due quarter
        index_of.append(index)
        name_of.append(name)
    due[:] = np.array(index_of, dtype=np.int64)[codes]
    names[:] = np.array(name_of, dtype=object)[codes]
    return due, names
