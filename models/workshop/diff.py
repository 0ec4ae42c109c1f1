"""What one change did to a workshop, so that each view refreshes only for what it shows.

Workshops are immutable and a change keeps every part it did not touch, so comparing parts
by identity is exact enough and costs nothing: a part that is a new but equal object only
makes a listener refresh once more than it had to.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from cutline.models.workshop.document import Workshop


@dataclass(frozen=True)
class WorkshopDiff:
    """The parts of a workshop that differ between two states, in the words listeners use."""

    #: The current scenario's scoring model (also when another scenario became current).
    model: bool = False
    #: Criteria whose weight alone changed, when nothing else in the model did.
    weights: tuple[str, ...] = ()
    #: The current scenario's capacity and guardrails.
    capacity: bool = False
    #: Anything else in the current scenario: overrides, pins, planning, constraints.
    plan: bool = False
    #: Scenarios added, removed and renamed (old, new), and whether another one is current.
    scenarios_added: tuple[str, ...] = ()
    scenarios_removed: tuple[str, ...] = ()
    scenarios_renamed: tuple[tuple[str, str], ...] = ()
    current: bool = False
    #: Some scenario other than the current one changed (its model, capacity or plan).
    other_scenarios: bool = False
    #: The portfolio changed; `portfolio_replaced` when its initiatives are others (an import).
    portfolio: bool = False
    portfolio_replaced: bool = False
    ratings: bool = False
    #: The column mapping or the source the portfolio came from.
    source: bool = False

    @property
    def scenarios(self) -> bool:
        """The list of scenarios or the current one changed (a scenario chooser shows them)."""
        return bool(self.scenarios_added or self.scenarios_removed or self.scenarios_renamed
                    or self.current)

    @property
    def empty(self) -> bool:
        return self == WorkshopDiff()


def diff(before: Workshop, after: Workshop) -> WorkshopDiff:
    """What differs from `before` to `after`."""
    if before is after:
        return WorkshopDiff()
    old, new = before.current_scenario(), after.current_scenario()
    names_before, names_after = before.scenario_names, after.scenario_names
    renamed = _renamed(before, after)
    gone = {o for o, _ in renamed}
    came = {n for _, n in renamed}
    # Another scenario shown: everything of the current one is new to a view, even shared parts.
    switched = before.current != after.current and (before.current, after.current) not in renamed
    return WorkshopDiff(
        model=switched or old.model is not new.model,
        weights=() if switched else _weights_only(old.model, new.model),
        capacity=switched or old.capacity is not new.capacity,
        plan=switched or _plan_differs(old, new),
        scenarios_added=tuple(n for n in names_after if n not in names_before and n not in came),
        scenarios_removed=tuple(n for n in names_before if n not in names_after and n not in gone),
        scenarios_renamed=renamed,
        current=switched,
        other_scenarios=_others_differ(before, after),
        portfolio=before.portfolio is not after.portfolio,
        portfolio_replaced=_replaced(before, after),
        ratings=before.rating_rounds is not after.rating_rounds,
        source=before.mapping != after.mapping or before.source != after.source,
    )


def _weights_only(old, new) -> tuple[str, ...]:
    """Names of the criteria whose weight changed, when that is all that changed in the model."""
    if old is new or len(old.criteria) != len(new.criteria):
        return ()
    changed = []
    for a, b in zip(old.criteria, new.criteria):
        if a is b or a == b:
            continue
        if replace(a, weight=b.weight) != b:
            return ()
        changed.append(a.name)
    return tuple(changed) if replace(old, criteria=new.criteria) == new else ()


def _is_rename(old, new) -> bool:
    return (old.model is new.model and old.capacity is new.capacity
            and not _plan_differs(old, new))


def _plan_differs(old, new) -> bool:
    return (old.overrides is not new.overrides or old.planning is not new.planning
            or old.constraints is not new.constraints)


def _renamed(before: Workshop, after: Workshop) -> tuple[tuple[str, str], ...]:
    """Scenarios kept in place under another name: same position, same parts."""
    if len(before.scenarios) != len(after.scenarios):
        return ()
    return tuple(
        (a.name, b.name) for a, b in zip(before.scenarios, after.scenarios)
        if a.name != b.name and _is_rename(a, b)
    )


def _others_differ(before: Workshop, after: Workshop) -> bool:
    kept = {s.name: s for s in before.scenarios}
    renamed = dict((new, old) for old, new in _renamed(before, after))
    for scenario in after.scenarios:
        if scenario.name == after.current:
            continue
        was = kept.get(renamed.get(scenario.name, scenario.name))
        if was is not None and was is not scenario and not _is_rename(was, scenario):
            return True
    return False


def _replaced(before: Workshop, after: Workshop) -> bool:
    a, b = before.portfolio, after.portfolio
    if a is b:
        return False
    return len(a) != len(b) or not np.array_equal(a.ids, b.ids)
