"""Allocation: fund initiatives in rank order, each in the earliest quarter its team can fit it.

The walk is sequential by nature (each placement changes what is left for the next), so
`Allocator` does every step that does not depend on the order once, with numpy, and each run
lays the initiatives out in rank order and hands arrays to `allocation_walk.walk`.
docs/capacity.md describes the rules exactly.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from models.allocation import Allocation
from models.allocation_walk import (
    LARGER,
    LEFT,
    NO_CAPACITY,
    NO_EFFORT,
    PINNED_OUT,
    PLACED,
    SlotPlan,
    WalkResult,
    walk,
)
from models.capacity import POOL, Capacity
from models.capacity_io import category_key, team_key, validate_guardrails
from models.portfolio import Portfolio, split_list
from models.ranking import Ranking


def prerequisite_csr(portfolio: Portfolio) -> tuple[np.ndarray, np.ndarray]:
    """Prerequisite rows of every row as CSR (indptr, indices), from `depends_on`.

    Unknown ids and an initiative naming itself are ignored; a prerequisite named twice counts once.
    """
    row_of_id = portfolio.row_of_id
    lists: list[list[int]] = []
    for i, text in enumerate(portfolio.text("depends_on").tolist()):
        if not text:
            lists.append([])
            continue
        rows = [row_of_id.get(ident, -1) for ident in split_list(text)]
        lists.append(list(dict.fromkeys(r for r in rows if r >= 0 and r != i)))
    indptr = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum([len(rows) for rows in lists], out=indptr[1:])
    indices = np.fromiter((r for rows in lists for r in rows), dtype=np.int64, count=int(indptr[-1]))
    return indptr, indices


def _as_csr(prerequisites, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(indptr, indices) from a DependencyGraph or a pair, without self-dependencies."""
    if hasattr(prerequisites, "indptr"):
        indptr, indices = prerequisites.indptr, prerequisites.indices
    else:
        indptr, indices = prerequisites
    indptr, indices = np.asarray(indptr, dtype=np.int64), np.asarray(indices, dtype=np.int64)
    if len(indptr) != n + 1:
        raise ValueError(f"prerequisites has {len(indptr) - 1} rows, the portfolio {n}")
    owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    itself = owner == indices
    if itself.any():  # an initiative that names itself waits on nothing
        indices = indices[~itself]
        indptr = np.concatenate([[0], np.cumsum(np.bincount(owner[~itself], minlength=n))])
    return indptr, indices


class Allocator:
    """Everything about an allocation that does not depend on the rank order, ready to walk."""

    def __init__(self, portfolio: Portfolio, capacity: Capacity, prerequisites=None):
        validate_guardrails(capacity.guardrails)
        self.portfolio = portfolio
        self.capacity = capacity
        self.quarters = capacity.quarters
        n = self._n = len(portfolio)
        self._ids = portfolio.ids
        indptr, indices = (prerequisite_csr(portfolio) if prerequisites is None
                           else _as_csr(prerequisites, n))
        self._indptr, self._indices = indptr, indices
        self._degree = np.diff(indptr)
        effort = portfolio.numeric("effort")
        self._effort = np.where(effort >= 0, effort, np.nan)  # a negative effort is no estimate
        self._build_slots()
        team_ptr, team_quarter, team_slot, max_cap = self._build_teams(portfolio.text("team"))
        shared, reserve_amount, cap_amount, g_count = self._build_guardrails(portfolio.text("category"))
        self._plan = SlotPlan(team_ptr, team_quarter, team_slot, max_cap, shared, reserve_amount,
                              cap_amount, g_count)
        self._bucket = self._team * (g_count + 1) + self._guard + 1

    # -- set-up, once per portfolio and capacity ------------------------------------------
    def _build_slots(self) -> None:
        """One slot per (team, quarter) of the capacity table, duplicates added together."""
        qindex = {q: i for i, q in enumerate(self.quarters)}
        slots: dict[tuple[str, int], int] = {}
        names, quarters, caps = [], [], []
        table = self.capacity.table[["team", "quarter", "capacity"]]
        for team, quarter, cap in table.itertuples(index=False):
            key = (team_key(team), qindex[quarter])
            if key in slots:
                caps[slots[key]] += float(cap)
                continue
            slots[key] = len(names)
            names.append(POOL if key[0] == POOL else str(team).strip())
            quarters.append(key[1])
            caps.append(float(cap))
        self._slot_of = slots
        self._slot_team = names
        self._slot_quarter = np.asarray(quarters, dtype=np.int64)
        self._slot_cap = np.asarray(caps, dtype=np.float64)

    def _build_teams(self, teams: np.ndarray):
        """For each distinct team of the portfolio: its slot per quarter (own row, else the
        pool) as CSR, its largest quarter, and the refusal reasons that name it."""
        codes, uniques = pd.factorize(pd.Series(teams, dtype=object), use_na_sentinel=False)
        self._team = codes.astype(np.int64)
        caps, slot_of = self._slot_cap.tolist(), self._slot_of
        team_ptr, team_quarter, team_slot, max_cap = [0], [], [], []
        reasons = {LARGER: [], LEFT: [], NO_CAPACITY: []}
        for name in uniques.tolist():
            key = team_key(name)
            slots = [(q, slot_of.get((key, q), slot_of.get((POOL, q), -1))) for q in range(len(self.quarters))]
            slots = [(q, s) for q, s in slots if s >= 0]
            team_quarter += [q for q, _ in slots]
            team_slot += [s for _, s in slots]
            team_ptr.append(len(team_slot))
            max_cap.append(max((caps[s] for _, s in slots), default=0.0))
            label = str(name).strip() or "(no team)"
            reasons[LARGER].append(f"larger than any quarter's capacity for team {label}")
            reasons[LEFT].append(f"no capacity left for team {label}")
            reasons[NO_CAPACITY].append(f"no capacity for team {label}")
        self._team_reasons = {code: np.array(texts, dtype=object) for code, texts in reasons.items()}
        as_int = lambda values: np.array(values, dtype=np.int64)  # noqa: E731
        return as_int(team_ptr), as_int(team_quarter), as_int(team_slot), np.array(max_cap, dtype=np.float64)

    def _build_guardrails(self, categories: np.ndarray):
        """The guarded-category index of every row, and per slot the capacity open to all
        categories and each guarded category's reserve and cap amounts."""
        codes, uniques = pd.factorize(pd.Series(categories, dtype=object), use_na_sentinel=False)
        self._category_codes, self._category_names = codes.astype(np.int64), list(uniques.tolist())
        active = [g for g in self.capacity.guardrails if g.reserve > 0 or g.cap is not None]
        index = {category_key(g.category): k for k, g in enumerate(active)}
        by_code = np.array([index.get(category_key(c), -1) for c in self._category_names], dtype=np.int64)
        self._guard = by_code[self._category_codes] if len(codes) else np.zeros(0, dtype=np.int64)
        cap = self._slot_cap
        reserve = np.array([g.reserve for g in active], dtype=np.float64)
        limit = np.array([np.inf if g.cap is None else g.cap for g in active], dtype=np.float64)
        # Reserves of every guarded category, used or not, are closed to everyone else.
        shared = cap - cap * reserve.sum()
        capped = np.isfinite(limit)
        cap_amount = np.where(capped, np.outer(cap, np.where(capped, limit, 0.0)), np.inf)
        return shared, np.outer(cap, reserve).ravel(), cap_amount.ravel(), len(active)

    # -- running ---------------------------------------------------------------------------
    def _walk(self, order, pins: Mapping[str, bool] | None) -> tuple[WalkResult, np.ndarray]:
        """Lay the rows out in rank order, walk them, and return the result by rank position."""
        order = np.asarray(order, dtype=np.int64)
        n = self._n
        if len(order) != n:
            raise ValueError(f"order has {len(order)} rows, the portfolio {n}")
        position = np.empty(n, dtype=np.int64)
        position[order] = np.arange(n)
        # The prerequisites of each position, as positions best first, in CSR form: the
        # segments are already in order, so a stable sort of segment * n + position is quick.
        degree = self._degree[order]
        ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(degree, out=ptr[1:])
        source = np.arange(ptr[-1]) + np.repeat(self._indptr[:-1][order] - ptr[:-1], degree)
        offset = np.repeat(np.arange(n, dtype=np.int64) * n, degree)
        ind = offset + position[self._indices[source]]
        ind.sort(kind="stable")
        ind -= offset
        first, out = [], []
        for ident, pin in (pins or {}).items():
            row = self.portfolio.row_of_id.get(ident)
            if row is not None:
                (first if pin else out).append(int(position[row]))
        result = walk(self._plan, self._effort[order], self._bucket[order], ptr, ind,
                      np.array(sorted(first), dtype=np.int64), np.array(out, dtype=np.int64))
        return result, order

    def funded_only(self, order, pins: Mapping[str, bool] | None = None) -> np.ndarray:
        """Which rows are funded, for the given order; no tables are built (for sensitivity runs)."""
        result, order = self._walk(order, pins)
        funded = np.empty(self._n, dtype=bool)
        funded[order] = result.status == PLACED
        return funded

    def run(self, order, pins: Mapping[str, bool] | None = None, *, rank=None) -> Allocation:
        """The allocation for the given rank order (row indices, best first).

        `rank` (1-based, per row) names the cut line; by default it is the position in `order`.
        """
        result, order = self._walk(order, pins)
        n = self._n
        funded_by_position = result.status == PLACED
        unfunded = np.flatnonzero(~funded_by_position)
        cut_line = None
        if len(unfunded):
            first = int(unfunded[0])
            cut_line = int(rank[order[first]]) if rank is not None else first + 1
        funded, quarter, slots, pulled = (np.empty(n, dtype=bool), np.empty(n, dtype=np.int64),
                                          np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64))
        funded[order] = funded_by_position
        quarter[order] = result.quarter
        slots[order] = result.slot
        reason = np.empty(n, dtype=object)
        reason[order] = self._reasons(result, order)
        by = result.pulled
        pulled[order] = np.where(by >= 0, order[by], -1)
        return Allocation(
            quarters=self.quarters,
            funded=funded,
            quarter=quarter,
            reason=reason,
            pulled_in_by=pulled,
            cut_line=cut_line,
            utilisation=self._utilisation(funded, slots),
            used_by_category=self._used_by_category(funded, slots),
        )

    def _reasons(self, result: WalkResult, order: np.ndarray) -> np.ndarray:
        """The words for each position's reason code, and "waits on <id>" for those waiting."""
        codes = result.reason
        words = np.full(len(codes), "", dtype=object)
        words[codes == NO_EFFORT] = "no effort estimate"
        words[codes == PINNED_OUT] = "pinned out"
        team = self._team[order]
        for code, texts in self._team_reasons.items():
            at = np.flatnonzero(codes == code)
            words[at] = texts[team[at]]
        waiting = np.flatnonzero(result.waits_on >= 0)
        if len(waiting):
            names = self._ids[order[result.waits_on[waiting]]].astype(str).astype(object)
            words[waiting] = "waits on " + names
        return words

    # -- tables, built once per run with numpy --------------------------------------------
    def _utilisation(self, funded: np.ndarray, slots: np.ndarray) -> pd.DataFrame:
        count = len(self._slot_cap)
        used = np.bincount(slots[funded], weights=self._effort[funded], minlength=count)
        return pd.DataFrame({
            "team": pd.Series(self._slot_team, dtype=object),
            "quarter": pd.Series([self.quarters[q] for q in self._slot_quarter.tolist()], dtype=object),
            "capacity": self._slot_cap,
            "used": used,
            "free": self._slot_cap - used,
        })

    def _used_by_category(self, funded: np.ndarray, slots: np.ndarray) -> pd.DataFrame:
        k = max(len(self._category_names), 1)
        key = slots[funded] * k + self._category_codes[funded]
        size = len(self._slot_cap) * k
        present = np.flatnonzero(np.bincount(key, minlength=size))
        used = np.bincount(key, weights=self._effort[funded], minlength=size)[present]
        slot, code = np.divmod(present, k)
        names = np.array(self._category_names, dtype=object)
        quarters = np.array(self.quarters, dtype=object)
        return pd.DataFrame({
            "team": pd.Series(np.array(self._slot_team, dtype=object)[slot], dtype=object),
            "quarter": pd.Series(quarters[self._slot_quarter[slot]], dtype=object),
            "category": pd.Series(names[code], dtype=object),
            "used": used,
        })


def allocate(
    portfolio: Portfolio,
    ranking: Ranking,
    capacity: Capacity,
    *,
    pins: Mapping[str, bool] | None = None,
    prerequisites=None,
) -> Allocation:
    """Fund the ranked initiatives against capacity: quarters, reasons and the cut line."""
    allocator = Allocator(portfolio, capacity, prerequisites)
    return allocator.run(ranking.order, pins, rank=ranking.rank)
