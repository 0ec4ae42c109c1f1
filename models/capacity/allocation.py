"""The Allocation: which initiatives fit each team's capacity per quarter, and the cut line."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True, eq=False)
class Allocation:
    """Funding of every initiative, as arrays indexed by portfolio row.

    `utilisation` has one row per (team, quarter) with columns team, quarter, capacity,
    used, free; `used_by_category` has one row per (team, quarter, category) with used.

    An initiative runs over consecutive quarters, `quarter[row]` (its first) to `finish[row]`.
    The person-weeks placed in each are a CSR over rows: for row r, the entries
    `span_ptr[r]:span_ptr[r + 1]` of `span_quarter` (index into `quarters`, one entry per
    quarter from first to finish, in order) and `span_pw` (person-weeks; 0 in a quarter in
    which its work waits). `due` is the last quarter index in which it finishes on time
    (cutline.models.capacity.planning.NO_DUE without a due quarter, -1 when due before the plan, len(quarters)
    when due after it); `due_quarter` the due quarter as text ("" for none); `late` marks a
    funded initiative that finishes after its due quarter.

    The fields after `used_by_category` have defaults (an allocation made whole in one quarter,
    nothing due), so that code and tests that build one by hand keep working.
    """

    quarters: tuple[str, ...]
    funded: np.ndarray        # (n,) bool
    quarter: np.ndarray       # (n,) int64 index into `quarters` of the first quarter, -1 when not funded
    reason: np.ndarray        # (n,) object str: why not funded, "" when funded
    pulled_in_by: np.ndarray  # (n,) int64 row that pulled this prerequisite in, -1 if none
    cut_line: int | None      # rank of the first unfunded initiative; None when all are funded
    utilisation: pd.DataFrame
    used_by_category: pd.DataFrame
    finish: np.ndarray | None = None        # (n,) int64 index of the last quarter, -1 when not funded
    span_ptr: np.ndarray | None = None      # (n + 1,) int64
    span_quarter: np.ndarray | None = None  # (m,) int64
    span_pw: np.ndarray | None = None       # (m,) float64
    due: np.ndarray | None = None           # (n,) int64
    due_quarter: np.ndarray | None = None   # (n,) object str
    late: np.ndarray | None = None          # (n,) bool

    def __post_init__(self) -> None:
        n = len(self.funded)
        quarter = np.asarray(self.quarter, dtype=np.int64)
        fill = {
            "finish": lambda: quarter.copy(),
            "due": lambda: np.full(n, np.iinfo(np.int64).max, dtype=np.int64),
            "due_quarter": lambda: np.full(n, "", dtype=object),
            "late": lambda: np.zeros(n, dtype=bool),
        }
        for name, make in fill.items():
            if getattr(self, name) is None:
                object.__setattr__(self, name, make())
        if self.span_ptr is None:  # one quarter each, effort unknown here
            funded = np.asarray(self.funded, dtype=bool) & (quarter >= 0)
            ptr = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(funded, out=ptr[1:])
            object.__setattr__(self, "span_ptr", ptr)
            object.__setattr__(self, "span_quarter", quarter[funded])
            object.__setattr__(self, "span_pw", np.zeros(int(ptr[-1]), dtype=np.float64))

    def quarters_of(self, row: int) -> list[tuple[str, float]]:
        """(quarter name, person-weeks) for every quarter `row` runs over, in order."""
        a, b = int(self.span_ptr[row]), int(self.span_ptr[row + 1])
        return [(self.quarters[q], float(pw))
                for q, pw in zip(self.span_quarter[a:b].tolist(), self.span_pw[a:b].tolist(), strict=True)]

    @property
    def span_length(self) -> np.ndarray:
        """(n,) int64: how many quarters each initiative runs over (0 when not funded)."""
        return np.diff(self.span_ptr)
