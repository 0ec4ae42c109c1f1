"""The numbers behind the capacity chart: one row per team (and the pool), one column per quarter.

Read from the Allocation's `utilisation` and `used_by_category` tables, plus the effort that is
not funded per team, so the chart draws arrays and its hover can name initiatives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from cutline.models.capacity.capacity import POOL
from cutline.models.capacity.tables import team_key
from cutline.views.palette import ordered_categories

POOL_NAME = "Shared pool"


@dataclass(frozen=True)
class CapacityGrid:
    """Capacity, use and demand per (team row, quarter); NaN where a team has no row that quarter."""

    teams: tuple[str, ...]          # row names as the capacity table spells them ("Shared pool")
    quarters: tuple[str, ...]
    categories: tuple[str, ...]     # in palette order
    capacity: np.ndarray            # (rows, quarters) person-weeks, NaN for no row
    used: np.ndarray                # (rows, quarters)
    by_category: np.ndarray         # (rows, quarters, categories)
    not_funded: np.ndarray          # (rows,) effort of the team's initiatives that are not funded
    row_of: np.ndarray              # (n,) row each initiative counts against, by its own team
    cell_row: np.ndarray            # (n,) row each funded initiative used in its first quarter, else -1
    #: One entry per (funded initiative, quarter it runs over), from the allocation's CSR: the
    #: initiative, the quarter, the grid row it drew on there (own team or pool), its person-weeks.
    span_owner: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    span_quarter: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    span_cell: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    span_pw: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def placed(self, row: int, col: int) -> tuple[np.ndarray, np.ndarray]:
        """(initiatives, person-weeks) placed in grid row `row`, quarter `col`: every one whose
        span runs over that quarter there, a spanning one with only its share of that quarter."""
        hit = (self.span_cell == row) & (self.span_quarter == col)
        return self.span_owner[hit], self.span_pw[hit]

    @property
    def scale(self) -> float:
        """The most person-weeks any quarter cell shows (capacity or use), at least 1."""
        values = np.concatenate([self.capacity.ravel(), self.used.ravel()])
        values = values[np.isfinite(values)]
        return float(max(values.max(), 1.0)) if len(values) else 1.0


def capacity_grid(evaluation) -> CapacityGrid:
    """The grid for one evaluation of a scenario."""
    alloc, portfolio = evaluation.allocation, evaluation.portfolio
    util = alloc.utilisation
    quarters = tuple(alloc.quarters)
    names, keys = _rows(util, portfolio)
    index = {k: i for i, k in enumerate(keys)}
    q_index = {q: i for i, q in enumerate(quarters)}
    shape = (len(keys), len(quarters))
    capacity, used = np.full(shape, np.nan), np.zeros(shape)
    if len(util):
        r = np.array([index[team_key(t)] for t in util["team"].tolist()], dtype=np.int64)
        q = np.array([q_index[x] for x in util["quarter"].tolist()], dtype=np.int64)
        capacity[r, q] = util["capacity"].to_numpy(dtype=float)
        used[r, q] = util["used"].to_numpy(dtype=float)
    categories, by_category = _by_category(alloc.used_by_category, index, q_index, shape)
    row_of = _initiative_rows(portfolio.text("team"), index)
    cell_row = np.full(len(portfolio), -1, dtype=np.int64)
    funded = np.flatnonzero(alloc.funded)
    if len(funded):
        own = row_of[funded]
        has_own = np.isfinite(capacity[own, alloc.quarter[funded]])
        cell_row[funded] = np.where(has_own, own, index.get(POOL, -1))
    effort = np.nan_to_num(portfolio.numeric("effort"))
    not_funded = np.bincount(row_of[~alloc.funded], weights=effort[~alloc.funded], minlength=len(keys))
    owner = np.repeat(np.arange(len(portfolio), dtype=np.int64), np.diff(alloc.span_ptr))
    span_quarter = np.asarray(alloc.span_quarter, dtype=np.int64)
    span_cell = np.full(len(owner), -1, dtype=np.int64)
    if len(owner) and len(keys):
        own = row_of[owner]
        span_cell = np.where(np.isfinite(capacity[own, span_quarter]), own, index.get(POOL, -1))
    return CapacityGrid(tuple(names), quarters, categories, capacity, used, by_category,
                        not_funded.astype(float), row_of, cell_row, owner, span_quarter, span_cell,
                        np.asarray(alloc.span_pw, dtype=float))


def _rows(util: pd.DataFrame, portfolio) -> tuple[list[str], list[str]]:
    """Row names and keys: the table's teams in order, teams with no row and no pool, the pool last."""
    names: dict[str, str] = {}
    for team in util["team"].tolist():
        names.setdefault(team_key(team), POOL_NAME if team_key(team) == POOL else str(team))
    if POOL not in names:
        for team in pd.unique(pd.Series(portfolio.text("team"), dtype=object)).tolist():
            key = team_key(team)
            names.setdefault(key, str(team) if key != POOL else "No team")
    else:
        names[POOL] = names.pop(POOL)  # the pool reads best last
    return list(names.values()), list(names.keys())


def _initiative_rows(teams: np.ndarray, index: dict[str, int]) -> np.ndarray:
    """Each initiative's row by its team; teams without a row fall to the pool (they draw on it)."""
    if not len(teams):
        return np.zeros(0, dtype=np.int64)
    codes, unique = pd.factorize(teams)  # hashing: far quicker than sorting 100,000 names
    pool = index.get(POOL, -1)
    rows = np.array([index.get(team_key(t), pool) for t in unique.tolist()], dtype=np.int64)
    return rows[codes]


def _by_category(table: pd.DataFrame, index, q_index, shape) -> tuple[tuple[str, ...], np.ndarray]:
    categories = tuple(ordered_categories(table["category"].tolist()))
    c_index = {c: i for i, c in enumerate(categories)}
    out = np.zeros((*shape, len(categories)))
    if len(table):
        r = np.array([index[team_key(t)] for t in table["team"].tolist()], dtype=np.int64)
        q = np.array([q_index[x] for x in table["quarter"].tolist()], dtype=np.int64)
        c = np.array([c_index[str(x)] for x in table["category"].tolist()], dtype=np.int64)
        np.add.at(out, (r, q, c), table["used"].to_numpy(dtype=float))
    return categories, out
