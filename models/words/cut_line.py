"""What the cut line means, so that every place that draws it says the same thing.

The cut line sits above the first initiative, in rank order, that is not funded: everything above
it is funded. Below it an initiative can still be funded, when it is small enough for what its
team (or pool) has left after the work ranked above it; such an initiative is marked "funded below
the cut line" with that reason, in the table, the CLI, the export and the status line. Within a
subset of rows (one team in the filter), the line is that subset's own: above its first unfunded
initiative. See docs/capacity.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BELOW = "below the cut line"


def cut_line_in(ranking, allocation, rows: np.ndarray | None = None) -> int | None:
    """The rank of the first unfunded initiative among `rows` (portfolio rows; all when None),
    or None when every one of them is funded."""
    order = ranking.order
    if rows is not None:
        keep = np.zeros(len(ranking.rank), dtype=bool)
        keep[np.asarray(rows, dtype=np.int64)] = True
        order = order[keep[order]]
    unfunded = order[~allocation.funded[order]]
    return int(ranking.rank[unfunded[0]]) if unfunded.size else None


def funded_below(ranking, allocation, cut_line: int | None = None) -> np.ndarray:
    """Per portfolio row: funded although ranked below the cut line (the whole portfolio's, or
    the one given)."""
    cut = allocation.cut_line if cut_line is None else cut_line
    if cut is None:
        return np.zeros(len(ranking.rank), dtype=bool)
    return allocation.funded & (ranking.rank > cut)


def below_reason(evaluation, row: int) -> str:
    """Why an initiative below the cut line is funded all the same, in words ("" when it is not
    funded below it): the words of `below_reasons` for one row, without the whole portfolio's."""
    ranking, allocation = evaluation.ranking, evaluation.allocation
    cut = allocation.cut_line
    if cut is None or not allocation.funded[row] or int(ranking.rank[row]) <= cut:
        return ""
    pulled = int(allocation.pulled_in_by[row])
    if pulled >= 0:
        return f"{BELOW}, pulled in as a prerequisite of {evaluation.portfolio.ids[pulled]}"
    team = str(evaluation.portfolio.value(row, "team"))
    return f"{BELOW}, in the leftover capacity of {_pool_words(team, set(evaluation.scenario.capacity.teams))}"


def _pool_words(team: str, own: set) -> str:
    return f"team {team}" if team and team in own else "the shared pool"


def below_reasons(evaluation) -> np.ndarray:
    """For every row funded below the cut line, why it is there ("below the cut line, in the
    leftover capacity of team Storage", "…, pulled in as a prerequisite of PLT-112"); "" elsewhere."""
    portfolio, ranking, allocation = evaluation.portfolio, evaluation.ranking, evaluation.allocation
    out = np.full(len(ranking.rank), "", dtype=object)
    below = funded_below(ranking, allocation)
    if not below.any():
        return out
    pulled = below & (allocation.pulled_in_by >= 0)
    if pulled.any():  # thousands in a large plan: one concatenation over the array
        ids = np.asarray(portfolio.ids, dtype=object)
        out[pulled] = f"{BELOW}, pulled in as a prerequisite of " + ids[allocation.pulled_in_by[pulled]]
    plain = below & ~pulled
    own = set(evaluation.scenario.capacity.teams)
    codes, teams = pd.factorize(portfolio.text("team")[plain])  # the words once per team, not per row
    words = np.array([f"{BELOW}, in the leftover capacity of {_pool_words(t, own)}" for t in teams], dtype=object)
    out[plain] = words[codes]
    return out
