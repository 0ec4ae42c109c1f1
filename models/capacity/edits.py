"""The capacity editor's edits: each takes a Capacity and returns a new one, checked."""

from __future__ import annotations

import math
from collections.abc import Iterable

from cutline.models.capacity.capacity import POOL, Capacity, Guardrail
from cutline.models.capacity.tables import category_key, team_key, validate_guardrails
from cutline.models.errors import CapacityError
from cutline.models.portfolio.portfolio import cell_text


def _rows(capacity: Capacity) -> list[list]:
    return [list(r) for r in capacity.table[["team", "quarter", "capacity"]].itertuples(index=False)]


def _build(rows: Iterable, guardrails: tuple[Guardrail, ...]) -> Capacity:
    return Capacity.from_rows([tuple(r) for r in rows], guardrails)


def _checked_value(value: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise CapacityError(f"The capacity {value!r} is not a number.") from None
    if not math.isfinite(number) or number < 0:
        raise CapacityError(f"The capacity {value!r} must be a number of person-weeks, 0 or more.")
    return number


def _checked_name(name: str, what: str) -> str:
    text = cell_text(name)
    if what == "quarter" and not text:
        raise CapacityError("The quarter's name is blank.", hint="Name the quarter, such as 2025-Q1.")
    return text


def with_capacity(capacity: Capacity, team: str, quarter: str, value: float) -> Capacity:
    """Set one team's (or the pool's) capacity in one quarter, adding the row if needed."""
    value, quarter = _checked_value(value), _checked_name(quarter, "quarter")
    key, rows = team_key(team), _rows(capacity)
    for row in rows:
        if team_key(row[0]) == key and row[1] == quarter:
            row[2] = value
            break
    else:
        rows.append([cell_text(team), quarter, value])
    return _build(rows, capacity.guardrails)


def with_team_capacity(capacity: Capacity, team: str, value: float) -> Capacity:
    """Give a team (or the pool) the same capacity in every quarter of the table."""
    out = capacity
    for quarter in capacity.quarters:
        out = with_capacity(out, team, quarter, value)
    return out


def adding_team(capacity: Capacity, team: str, value: float = 0) -> Capacity:
    """Add a team with a row for every quarter of the table."""
    name, value = cell_text(team), _checked_value(value)
    if team_key(name) == POOL:
        raise CapacityError("The team's name is blank.", hint="Name the team.")
    if team_key(name) in {team_key(t) for t in capacity.table["team"].tolist()}:
        raise CapacityError(f"Team {name!r} is already in the capacity table.")
    if not capacity.quarters:
        raise CapacityError(f"There are no quarters to give team {name!r} capacity in.",
                            hint="Add a quarter first.")
    rows = _rows(capacity) + [[name, q, value] for q in capacity.quarters]
    return _build(rows, capacity.guardrails)


def adding_quarter(capacity: Capacity, quarter: str, value: float = 0) -> Capacity:
    """Add a quarter with a row for every team (for the pool when the table has no teams)."""
    name, value = _checked_name(quarter, "quarter"), _checked_value(value)
    if name in capacity.quarters:
        raise CapacityError(f"Quarter {name!r} is already in the capacity table.")
    teams = capacity.teams or (POOL,)
    rows = _rows(capacity) + [[t, name, value] for t in teams]
    return _build(rows, capacity.guardrails)


def removing_team(capacity: Capacity, team: str) -> Capacity:
    """Remove every row of a team (or of the pool, for "" or "*")."""
    key = team_key(team)
    return _build([r for r in _rows(capacity) if team_key(r[0]) != key], capacity.guardrails)


def removing_quarter(capacity: Capacity, quarter: str) -> Capacity:
    """Remove every row of a quarter."""
    name = cell_text(quarter)
    return _build([r for r in _rows(capacity) if r[1] != name], capacity.guardrails)


def with_guardrail(capacity: Capacity, guardrail: Guardrail) -> Capacity:
    """Set a category's guardrail, replacing any it had; raises CapacityError if it does not fit."""
    key = category_key(guardrail.category)
    old = [category_key(g.category) for g in capacity.guardrails]
    if key in old:  # keep its place in the list
        guardrails = tuple(guardrail if k == key else g for k, g in zip(old, capacity.guardrails, strict=True))
    else:
        guardrails = capacity.guardrails + (guardrail,)
    validate_guardrails(guardrails)
    return Capacity(capacity.table, guardrails)


def removing_guardrail(capacity: Capacity, category: str) -> Capacity:
    """Remove a category's guardrail."""
    key = category_key(category)
    return Capacity(capacity.table, tuple(g for g in capacity.guardrails if category_key(g.category) != key))
