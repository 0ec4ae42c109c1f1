"""The optimiser's inputs, read from an evaluated scenario exactly as the walk reads them.

The capacity slots, pools, guardrail amounts, share limit, hard due quarters and prerequisites
come from the scenario's `Allocator` (models/capacity/allocate.py), so the best plan and the walk cannot
disagree about what a team-quarter holds. The new constraints (bundles, alternatives, floors)
are turned into portfolio rows here, with a clear error for an id the portfolio lacks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from cutline.models.capacity.allocate import Allocator
from cutline.models.capacity.tables import category_key
from cutline.models.optimise.constraints import PlanConstraintError

#: Below this many person-weeks an initiative takes no capacity (the walk's EPS).
EPS = 1e-9


@dataclass(frozen=True)
class FloorRows:
    """One floor: its label, the rows of its category, the quarter (None: the whole plan)."""

    label: str
    category: str
    rows: np.ndarray
    quarter: int | None
    person_weeks: float


@dataclass(eq=False)
class Problem:
    """Everything the formulation needs, as arrays by portfolio row and by capacity slot."""

    ids: np.ndarray
    quarters: tuple[str, ...]
    span: int
    effort: np.ndarray        # NaN: no estimate
    score: np.ndarray
    tier: np.ndarray
    team: np.ndarray          # team code per row
    team_labels: np.ndarray
    team_slot: np.ndarray     # (teams, quarters) slot index or -1
    slot_cap: np.ndarray
    slot_team: list
    slot_quarter: np.ndarray
    shared: np.ndarray        # per slot: open to every category
    limit: np.ndarray         # per slot: the most one initiative may take
    reserve: np.ndarray       # (slots, guards)
    cap: np.ndarray           # (slots, guards), inf for none
    guard: np.ndarray         # guarded-category index per row, -1 for none
    guard_names: list
    last: np.ndarray          # last quarter each may finish in (hard due), -1: none in the plan
    due: np.ndarray
    indptr: np.ndarray        # prerequisites, CSR by row
    indices: np.ndarray
    pinned_in: np.ndarray     # bool per row
    pinned_out: np.ndarray
    bundles: list             # (name, rows)
    alternatives: list        # (name, rows)
    floors: list              # FloorRows
    hard_due: bool
    category: np.ndarray      # the category text per row

    @property
    def n(self) -> int:
        return len(self.effort)

    def prerequisites(self, row: int) -> np.ndarray:
        return self.indices[self.indptr[row]:self.indptr[row + 1]]

    def name(self, row: int) -> str:
        return str(self.ids[row])


def problem_of(evaluation, allocator: Allocator | None = None) -> Problem:
    """The optimiser's inputs for an evaluated scenario (its allocator's figures, its pins and
    its bundles, alternatives and floors)."""
    scenario, portfolio = evaluation.scenario, evaluation.portfolio
    a = allocator or Allocator(portfolio, scenario.capacity, planning=scenario.planning)
    plan = a._plan  # the walk's own figures (same package): one definition of capacity
    g = plan.g_count
    q = len(a.quarters)
    slots = len(a._slot_cap)
    active = [gr for gr in scenario.capacity.guardrails if gr.reserve > 0 or gr.cap is not None]
    row_of = portfolio.row_of_id
    n = len(portfolio)
    pinned_in, pinned_out = np.zeros(n, bool), np.zeros(n, bool)
    for ident, pin in scenario.overrides.pinned().items():
        row = row_of.get(ident)
        if row is None:
            raise PlanConstraintError(f"Scenario {scenario.name!r} pins initiative {ident!r}, which is not "
                                      "in the portfolio.")
        (pinned_in if pin else pinned_out)[row] = True
    constraints = scenario.constraints
    category = portfolio.text("category")
    return Problem(
        ids=portfolio.ids, quarters=a.quarters, span=a._span,
        effort=a._effort.copy(), score=np.asarray(evaluation.ranking.score, dtype=float),
        tier=np.asarray(evaluation.ranking.tier, dtype=np.int64),
        team=a._team, team_labels=a._team_labels, team_slot=a._team_slot.reshape(-1, q) if q else
        np.zeros((len(a._team_labels), 0), np.int64),
        slot_cap=a._slot_cap, slot_team=a._slot_team, slot_quarter=a._slot_quarter,
        shared=np.asarray(plan.shared, dtype=float), limit=np.asarray(plan.limit, dtype=float),
        reserve=np.asarray(plan.reserve_amount, dtype=float).reshape(slots, g),
        cap=np.asarray(plan.cap_amount, dtype=float).reshape(slots, g),
        guard=a._guard, guard_names=[gr.category for gr in active],
        last=a._last.copy(), due=a.due, indptr=a._indptr, indices=a._indices,
        pinned_in=pinned_in, pinned_out=pinned_out,
        bundles=[(b.name, _rows(row_of, b.ids, f"Bundle {b.name!r}")) for b in constraints.bundles],
        alternatives=[(x.name, _rows(row_of, x.ids, f"Alternatives {x.name!r}")) for x in constraints.alternatives],
        floors=[_floor(f, category, a.quarters) for f in constraints.floors],
        hard_due=scenario.planning.hard_due_dates, category=category,
    )


def _rows(row_of: dict, ids, what: str) -> np.ndarray:
    missing = [i for i in ids if i not in row_of]
    if missing:
        raise PlanConstraintError(f"{what} names {', '.join(missing)}, which "
                                  f"{'is' if len(missing) == 1 else 'are'} not in the portfolio.",
                                  hint="Remove the initiative from it, or re-import the initiative.")
    return np.array([row_of[i] for i in ids], dtype=np.int64)


def _floor(floor, category: np.ndarray, quarters: tuple[str, ...]) -> FloorRows:
    key = category_key(floor.category)
    rows = np.flatnonzero(np.array([category_key(c) == key for c in category.tolist()], dtype=bool))
    index = None
    if floor.quarter is not None:
        names = {name.strip().casefold(): k for k, name in enumerate(quarters)}
        index = names.get(floor.quarter.casefold())
        if index is None:
            raise PlanConstraintError(f"The {floor.label} names the quarter {floor.quarter!r}, which the "
                                      f"capacity table does not have (it has {', '.join(quarters) or 'none'}).")
    return FloorRows(floor.label, floor.category, rows, index, floor.person_weeks)
