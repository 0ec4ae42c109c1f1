"""Allocation: fund initiatives in rank order, each as early as its team can fit it, over one
or more consecutive quarters.

The walk is sequential by nature (each placement changes what is left for the next), so
`Allocator` does every step that does not depend on the order once, with numpy, and each run
lays the initiatives out in rank order and hands arrays to `allocation_walk.walk`.
docs/capacity.md describes the rules exactly.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from cutline.models.capacity.allocation import Allocation
from cutline.models.capacity.capacity import POOL, Capacity
from cutline.models.capacity.planning import Planning, due_quarters
from cutline.models.capacity.tables import category_key, team_key, validate_guardrails
from cutline.models.capacity.walk import (
    DUE_LEFT,
    DUE_SPAN,
    LARGER,
    LEFT,
    NO_CAPACITY,
    NO_EFFORT,
    PINNED_OUT,
    PLACED,
    SPAN,
    SlotPlan,
    WalkResult,
    walk,
)
from cutline.models.portfolio.portfolio import Portfolio, split_list
from cutline.models.scoring.ranking import Ranking


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

    def __init__(self, portfolio: Portfolio, capacity: Capacity, prerequisites=None,
                 planning: Planning | None = None):
        validate_guardrails(capacity.guardrails)
        self.portfolio = portfolio
        self.capacity = capacity
        self.planning = planning = planning or Planning()
        self.quarters = capacity.quarters
        q = len(self.quarters)
        self._span = max(1, min(planning.max_span_quarters, q))
        n = self._n = len(portfolio)
        self._ids = portfolio.ids
        indptr, indices = (prerequisite_csr(portfolio) if prerequisites is None
                           else _as_csr(prerequisites, n))
        self._indptr, self._indices = indptr, indices
        self._degree = np.diff(indptr)
        effort = portfolio.numeric("effort")
        self._effort = np.where(effort >= 0, effort, np.nan)  # a negative effort is no estimate
        self._build_slots()
        self._limit = self._slot_cap * planning.max_share_per_quarter
        team_slot, max_cap = self._build_teams(portfolio.text("team"))
        shared, reserve_amount, cap_amount, g_count = self._build_guardrails(portfolio.text("category"))
        self._plan = SlotPlan(team_slot, q, max_cap, shared, self._limit, reserve_amount, cap_amount,
                              g_count, self._span)
        self._bucket = self._team * (g_count + 1) + self._guard + 1
        self.due, self.due_quarter = due_quarters(portfolio.text("quarter"), self.quarters)
        self._need: tuple | None = None  # words for the refusal reasons, made when first needed
        self._last = np.full(n, q - 1, dtype=np.int64)
        if planning.hard_due_dates:
            np.minimum(self._last, self.due, out=self._last)

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
        """For each distinct team of the portfolio: its slot in every quarter (own row, else the
        pool, else -1), the most it could give one initiative in one window of quarters, and
        its name for the refusal reasons."""
        codes, uniques = pd.factorize(pd.Series(teams, dtype=object), use_na_sentinel=False)
        self._team = codes.astype(np.int64)
        slot_of, q = self._slot_of, len(self.quarters)
        team_slot, labels = [], []
        for name in uniques.tolist():
            key = team_key(name)
            team_slot += [slot_of.get((key, k), slot_of.get((POOL, k), -1)) for k in range(q)]
            labels.append(str(name).strip() or "(no team)")
        self._team_labels = np.array(labels, dtype=object)
        self._team_slot = team_slot = np.array(team_slot, dtype=np.int64)
        # The most an initiative may take per quarter, as a (team, quarter) grid, summed over
        # every window of `span` consecutive quarters (one term at a time: the walks add so too).
        grid = np.where(team_slot >= 0, np.append(self._limit, 0.0)[team_slot], 0.0).reshape(len(labels), q)
        windows = np.zeros((len(labels), max(q - self._span + 1, 1)))
        for k in range(min(self._span, q)):
            windows += grid[:, k:k + windows.shape[1]]
        max_cap = windows.max(axis=1) if q else np.zeros(len(labels))
        return team_slot, np.ascontiguousarray(max_cap, dtype=np.float64)

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
    def _walk(self, order, pins: Mapping[str, bool] | None, earliest=None) -> tuple[WalkResult, np.ndarray]:
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
        if earliest is not None:  # per row, the first quarter it may start in (models/capacity/delay.py)
            earliest = np.asarray(earliest, dtype=np.int64)
            if len(earliest) != n:
                raise ValueError(f"earliest has {len(earliest)} rows, the portfolio {n}")
            earliest = np.clip(earliest, 0, len(self.quarters))[order]
        result = walk(self._plan, self._effort[order], self._bucket[order], self._last[order], ptr, ind,
                      np.array(sorted(first), dtype=np.int64), np.array(out, dtype=np.int64), earliest)
        return result, order

    def funded_only(self, order, pins: Mapping[str, bool] | None = None) -> np.ndarray:
        """Which rows are funded, for the given order; no tables are built (for sensitivity runs)."""
        result, order = self._walk(order, pins)
        funded = np.empty(self._n, dtype=bool)
        funded[order] = result.status == PLACED
        return funded

    def run(self, order, pins: Mapping[str, bool] | None = None, *, rank=None, earliest=None) -> Allocation:
        """The allocation for the given rank order (row indices, best first).

        `rank` (1-based, per row) names the cut line; by default it is the position in `order`.
        `earliest` (per row, an index into the quarters; len(quarters) for after the plan) is
        the first quarter each initiative may start in, as if a prerequisite finished then; by
        default the plan's first (models/capacity/delay.py asks "what if this one starts later").
        """
        result, order = self._walk(order, pins, earliest)
        n = self._n
        funded_by_position = result.status == PLACED
        unfunded = np.flatnonzero(~funded_by_position)
        cut_line = None
        if len(unfunded):
            first = int(unfunded[0])
            cut_line = int(rank[order[first]]) if rank is not None else first + 1
        funded, quarter, finish, pulled = (np.empty(n, dtype=bool), np.empty(n, dtype=np.int64),
                                           np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64))
        funded[order] = funded_by_position
        quarter[order] = result.start
        finish[order] = result.finish
        reason = np.empty(n, dtype=object)
        reason[order] = self._reasons(result, order)
        by = result.pulled
        pulled[order] = np.where(by >= 0, order[by], -1)
        # Per row, the quarters first..finish and the person-weeks placed in each, as CSR.
        length = np.where(funded, finish - quarter + 1, 0)
        span_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(length, out=span_ptr[1:])
        position = np.empty(n, dtype=np.int64)
        position[order] = np.arange(n)
        step = np.arange(span_ptr[-1], dtype=np.int64) - np.repeat(span_ptr[:-1], length)
        span_quarter = np.repeat(quarter, length) + step
        span_pw = result.placed[np.repeat(position * self._span, length) + step]
        entry_slot = self._team_slot[np.repeat(self._team * len(self.quarters), length) + span_quarter]
        entry_row = np.repeat(np.arange(n, dtype=np.int64), length)
        return Allocation(
            quarters=self.quarters,
            funded=funded,
            quarter=quarter,
            reason=reason,
            pulled_in_by=pulled,
            cut_line=cut_line,
            utilisation=self._utilisation(entry_slot, span_pw),
            used_by_category=self._used_by_category(entry_slot, entry_row, span_pw),
            finish=finish,
            span_ptr=span_ptr,
            span_quarter=span_quarter,
            span_pw=span_pw,
            due=self.due,
            due_quarter=self.due_quarter,
            late=funded & (finish > self.due),
        )

    def _reasons(self, result: WalkResult, order: np.ndarray) -> np.ndarray:
        """The words for each position's reason code, and "waits on <id>" for those waiting."""
        codes = result.reason
        words = np.full(len(codes), "", dtype=object)
        words[codes == NO_EFFORT] = "no effort estimate"
        words[codes == PINNED_OUT] = "pinned out"
        team = self._team[order]
        at = np.flatnonzero(codes == NO_CAPACITY)
        words[at] = "no capacity for team " + self._team_labels[team[at]]
        at = np.flatnonzero((codes >= LARGER) & (codes != NO_CAPACITY))
        if len(at):
            words[at] = self._capacity_words(result, order, at)
        waiting = np.flatnonzero(result.waits_on >= 0)
        if len(waiting):
            names = self._ids[order[result.waits_on[waiting]]].astype(str).astype(object)
            words[waiting] = "waits on " + names
        return words

    def _capacity_words(self, result: WalkResult, order: np.ndarray, at: np.ndarray) -> np.ndarray:
        """The exact reasons, with their figures, of the positions `at` refused for capacity.

        A plan short of capacity refuses thousands, so each reason is one concatenation: the
        row's own words ("needs 26 person-weeks, team Data", made once per allocator) and the
        words of its figures ("has 18 free from 2027-Q2 to the end of the plan", made once per
        distinct reason code, figure and quarter)."""
        if self._need is None:
            effort = self._effort
            figures = _figures(np.where(np.isfinite(effort), effort, 0.0))
            need = "needs " + figures + np.where(figures == "1", " person-week", " person-weeks")
            short = figures + " pw"
            team = " team " + self._team_labels[self._team]
            self._need = (need + "," + team, need + ", more than" + team, ": needs " + short + "," + team)
        rows = order[at]
        code, lo = result.reason[at].astype(np.int64), result.lo[at]
        values, have_code = np.unique(result.have[at], return_inverse=True)
        figure = _figures(values).tolist()
        q = len(self.quarters)
        lo = np.where((lo >= 0) & (lo < q), lo, q)
        key = (code * len(values) + have_code.reshape(-1)) * (q + 1) + lo
        keys, which = np.unique(key, return_inverse=True)
        span = self._span
        in_any = " in any quarter" if span == 1 else f" in any {span} consecutive quarters"
        one = " in any one quarter" if span == 1 else in_any
        quarters = list(self.quarters) + ["the end of the plan"]
        tails = []
        for k in keys.tolist():
            rest, start = divmod(k, q + 1)
            c, h = divmod(rest, len(values))
            have = figure[h]
            if start == q and q and c in (LEFT, SPAN, DUE_LEFT, DUE_SPAN):  # made to start after the plan
                tails.append(f" cannot start before the end of the plan (after {self.quarters[-1]})")
                continue
            tails.append({LARGER: f" can give it{in_any} ({have})",
                          LEFT: f" has {have} free from {quarters[start]} to the end of the plan",
                          SPAN: f" has at most {have} free{one} from {quarters[start]}",
                          DUE_LEFT: f" has {have} free by then",
                          DUE_SPAN: f" has at most {have} free{one} by then"}[c])
        tail = np.array(tails, dtype=object)[which.reshape(-1)]
        plain, larger, due_words = self._need
        words = plain[rows] + tail
        pick = code == LARGER
        words[pick] = larger[rows[pick]] + tail[pick]
        for k in np.flatnonzero(code >= DUE_LEFT).tolist():  # only with hard due dates
            row = int(rows[k])
            head = f"cannot finish by its due quarter {self.due_quarter[row]}"
            due = int(self.due[row])
            if due < 0:
                words[k] = f"{head}, which comes before the plan's first quarter {self.quarters[0]}"
            elif lo[k] >= q:
                words[k] = f"{head}: it cannot start before the end of the plan"
            elif lo[k] > due:
                words[k] = f"{head}: its prerequisites finish in {self.quarters[lo[k]]}"
            else:
                words[k] = head + due_words[row] + tail[k]
        return words

    # -- tables, built once per run with numpy --------------------------------------------
    def _utilisation(self, entry_slot: np.ndarray, pw: np.ndarray) -> pd.DataFrame:
        count = len(self._slot_cap)
        some = entry_slot >= 0
        used = np.bincount(entry_slot[some], weights=pw[some], minlength=count)
        return pd.DataFrame({
            "team": pd.Series(self._slot_team, dtype=object),
            "quarter": pd.Series([self.quarters[q] for q in self._slot_quarter.tolist()], dtype=object),
            "capacity": self._slot_cap,
            "used": used,
            "free": self._slot_cap - used,
        })

    def _used_by_category(self, entry_slot: np.ndarray, entry_row: np.ndarray, pw: np.ndarray) -> pd.DataFrame:
        k = max(len(self._category_names), 1)
        some = entry_slot >= 0
        key = entry_slot[some] * k + self._category_codes[entry_row[some]]
        size = len(self._slot_cap) * k
        present = np.flatnonzero(np.bincount(key, minlength=size))
        used = np.bincount(key, weights=pw[some], minlength=size)[present]
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
    planning: Planning | None = None,
) -> Allocation:
    """Fund the ranked initiatives against capacity: quarters, reasons and the cut line."""
    allocator = Allocator(portfolio, capacity, prerequisites, planning)
    return allocator.run(ranking.order, pins, rank=ranking.rank)


#: ".5", ".25", "" for the hundredths 50, 25, 0: person-weeks are written to two decimals at most.
_HUNDREDTHS = np.array([""] + [f".{k:02d}".rstrip("0") for k in range(1, 100)], dtype=object)


def _figures(values: np.ndarray) -> np.ndarray:
    """Person-weeks as text, for many at once: 26 -> "26", 2.5 -> "2.5", 0.333 -> "0.33"."""
    cents = np.rint(np.maximum(np.asarray(values, dtype=np.float64), 0.0) * 100).astype(np.int64)
    return np.asarray((cents // 100).astype(str), dtype=object) + _HUNDREDTHS[cents % 100]


def _pw(value: float, *, unit: bool = True, short: bool = False) -> str:
    """Person-weeks as the reasons write them: "26 person-weeks", "2.5", "26 pw"."""
    text = str(_figures(np.array([value]))[0])
    if not unit:
        return text
    if short:
        return f"{text} pw"
    return f"{text} person-week{'' if text == '1' else 's'}"
