"""From a Portfolio and a Scenario to its Ranking and Allocation, with caches for live edits."""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

from cutline.models.capacity.allocate import Allocator
from cutline.models.capacity.allocation import Allocation
from cutline.models.capacity.capacity import Capacity
from cutline.models.capacity.planning import Planning
from cutline.models.errors import Location, ModelError
from cutline.models.portfolio.portfolio import NUMERIC_FIELDS, Portfolio
from cutline.models.scenarios.scenario import Overrides, Scenario
from cutline.models.scoring.ranking import Ranking
from cutline.models.scoring.score import Scorer

#: Overridden portfolios (and capacities per portfolio) kept; older ones are rebuilt on demand.
CACHE_SIZE = 8


@dataclass(frozen=True, eq=False)
class Evaluation:
    """One scenario evaluated: the portfolio with its input overrides, ranking and allocation."""

    scenario: Scenario
    portfolio: Portfolio
    ranking: Ranking
    allocation: Allocation


class _Prepared:
    """What one set of input overrides needs: the portfolio, its scorer, dependencies, allocators."""

    def __init__(self, portfolio: Portfolio):
        self.portfolio = portfolio
        self.scorer = Scorer(portfolio)
        self.prerequisites = self.scorer.graph  # the scorer's own, built once
        self.allocators: OrderedDict[tuple, Allocator] = OrderedDict()
        self.lock = threading.Lock()
        self._last: tuple[Capacity, tuple] | None = None  # a weight change keeps the same Capacity

    def allocator(self, capacity: Capacity, planning: Planning | None = None) -> Allocator:
        planning = planning or Planning()
        last = self._last
        key = last[1] if last is not None and last[0] is capacity else _capacity_key(capacity)
        self._last = (capacity, key)
        key = (key, planning)
        with self.lock:
            found = self.allocators.get(key)
            if found is None:
                found = Allocator(self.portfolio, capacity, self.prerequisites, planning)
                _remember(self.allocators, key, found)
            else:
                self.allocators.move_to_end(key)
            return found


class Evaluator:
    """Evaluates scenarios of one portfolio, reusing scorers and allocators between calls.

    After a weight change only the scores, the ranking and the allocation are recomputed:
    the overridden portfolio, its scorer (parsed tiers and formulas), its dependency graph
    and the allocator for the scenario's capacity are cached.
    """

    def __init__(self, portfolio: Portfolio):
        self.portfolio = portfolio
        self._prepared: OrderedDict[tuple, _Prepared] = OrderedDict()
        self._lock = threading.Lock()

    def evaluate(self, scenario: Scenario) -> Evaluation:
        """Score, rank and allocate the portfolio under `scenario`."""
        prepared = self._prepare(scenario)
        ranking = prepared.scorer.rank(scenario.model)
        allocation = prepared.allocator(scenario.capacity, scenario.planning).run(
            ranking.order, self.pins_for(scenario), rank=ranking.rank
        )
        return Evaluation(scenario, prepared.portfolio, ranking, allocation)

    # -- the parts, for sensitivity and other repeated evaluations ----------------------
    def portfolio_for(self, scenario: Scenario) -> Portfolio:
        """The portfolio with the scenario's input overrides applied."""
        return self._prepare(scenario).portfolio

    def scorer_for(self, scenario: Scenario) -> Scorer:
        return self._prepare(scenario).scorer

    def allocator_for(self, scenario: Scenario) -> Allocator:
        return self._prepare(scenario).allocator(scenario.capacity, scenario.planning)

    def pins_for(self, scenario: Scenario) -> dict[str, bool] | None:
        """The scenario's pins as id -> pinned in (True) or out (False); None when there are none."""
        pins = scenario.overrides.pinned()
        if not pins:
            return None
        rows = self.portfolio.row_of_id
        for ident in pins:
            if ident not in rows:
                raise ModelError(
                    f"Scenario {scenario.name!r} pins initiative {ident!r}, which is not in the portfolio.",
                    hint="Remove the pin, or re-import the initiative.",
                )
        return pins

    def _prepare(self, scenario: Scenario) -> _Prepared:
        key = _inputs_key(scenario.overrides)
        # A lock, because the GUI evaluates on a worker thread while the window may ask too.
        with self._lock:
            found = self._prepared.get(key)
            if found is None:
                portfolio = apply_inputs(self.portfolio, scenario.overrides, scenario.name)
                found = _Prepared(portfolio)
                _remember(self._prepared, key, found)
            else:
                self._prepared.move_to_end(key)
            return found


def evaluate(portfolio: Portfolio, scenario: Scenario) -> Evaluation:
    """Score, rank and allocate `portfolio` under `scenario` (no caching across calls)."""
    return Evaluator(portfolio).evaluate(scenario)


def apply_inputs(portfolio: Portfolio, overrides: Overrides, scenario_name: str = "") -> Portfolio:
    """The portfolio with the overrides' input values set; raises ModelError for unknown ids or fields."""
    if not overrides.inputs:
        return portfolio
    rows = portfolio.row_of_id
    editable = set(portfolio.columns) - {"id"}
    edits: dict[tuple[int, str], object] = {}
    for ident, name, value in overrides.inputs:
        where = f"Scenario {scenario_name!r}" if scenario_name else "A scenario"
        if ident not in rows:
            raise ModelError(
                f"{where} changes {name!r} of initiative {ident!r}, which is not in the portfolio.",
                location=Location(sheet=portfolio.sheet, column=name),
                hint="Remove the override, or re-import the initiative.",
            )
        row = rows[ident]
        location = Location(portfolio.sheet, int(portfolio.source_rows[row]), name)
        if name not in editable:
            raise ModelError(
                f"{where} changes {name!r} of initiative {ident!r}, but there is no such column"
                + (" that a scenario may change." if name == "id" else "."),
                location=location,
                hint="Override one of the portfolio's columns (not the id).",
            )
        if name in NUMERIC_FIELDS:
            value = _number(value, f"{where} sets {name!r} of {ident!r} to {value!r}, which is not a number.", location)
        edits[(row, name)] = value
    return portfolio.with_values(edits)


def without_unknown(portfolio: Portfolio, overrides: Overrides) -> Overrides:
    """The overrides minus pins and inputs naming initiatives or columns the portfolio lacks.

    For a workshop whose portfolio was re-imported without some initiatives: evaluating
    its scenarios raises ModelError until the stale overrides are dropped with this.
    """
    rows = portfolio.row_of_id
    editable = set(portfolio.columns) - {"id"}
    return Overrides(
        pins=tuple((i, p) for i, p in overrides.pins if i in rows),
        inputs=tuple((i, f, v) for i, f, v in overrides.inputs if i in rows and f in editable),
    )


def _number(value: object, message: str, location: Location) -> float | None:
    """A numeric override as a float, None for blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ModelError(message, location=location, hint="Type a number, or clear the override.") from None
    if math.isnan(number):
        return None
    if not math.isfinite(number):
        raise ModelError(message, location=location, hint="Type a finite number.")
    return number


def _inputs_key(overrides: Overrides) -> tuple:
    # repr keeps unhashable values (lists) usable as keys; order matters no more than in with_values.
    return tuple(sorted((i, f, repr(v)) for i, f, v in overrides.inputs))


def _capacity_key(capacity: Capacity) -> tuple:
    data = capacity.to_dict()
    return (
        tuple(tuple(r) for r in data["rows"]),
        tuple(tuple(sorted(g.items(), key=lambda kv: kv[0])) for g in data["guardrails"]),
    )


def _remember(cache: OrderedDict, key: tuple, value: object) -> None:
    cache[key] = value
    while len(cache) > CACHE_SIZE:
        cache.popitem(last=False)
