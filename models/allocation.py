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
    """

    quarters: tuple[str, ...]
    funded: np.ndarray        # (n,) bool
    quarter: np.ndarray       # (n,) int64 index into `quarters`, -1 when not funded
    reason: np.ndarray        # (n,) object str: why not funded, "" when funded
    pulled_in_by: np.ndarray  # (n,) int64 row that pulled this prerequisite in, -1 if none
    cut_line: int | None      # rank of the first unfunded initiative; None when all are funded
    utilisation: pd.DataFrame
    used_by_category: pd.DataFrame
