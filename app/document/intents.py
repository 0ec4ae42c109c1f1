"""What a user can change, each as one undoable step with words for the decision log."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from cutline.models.portfolio.cell_edits import parse_cell
from cutline.models.scoring.model import Criterion, ScoringModel
from cutline.models.words.counts import counted


def number(value: float) -> str:
    """A number as a PM writes it: 3, 2.5, 0.25."""
    return f"{value:g}"


def _with_model(doc, model: ScoringModel):
    scenario = doc.workshop.current_scenario()
    return doc.workshop.with_scenario(replace(scenario, model=model))


def set_weight(doc, criterion: str, weight: float) -> None:
    model = doc.workshop.current_scenario().model
    old = model.criterion(criterion).weight
    if abs(old - weight) < 1e-12:
        return
    doc.change(_with_model(doc, model.with_weight(criterion, weight)), "",
               kind="weight", old=old, new=float(weight),
               merge_key=f"weight:{doc.workshop.current}:{criterion}",
               template=f"Weight of {criterion} {{old:g}} → {{new:g}}")


def set_criterion(doc, name: str, **changes) -> None:
    """Change a criterion's direction, normalisation, low/high, source, formula or name."""
    model = doc.workshop.current_scenario().model
    before = model.criterion(name)
    after = replace(before, **changes)
    if after == before:
        return
    words = ", ".join(f"{k} {getattr(before, k)!s} → {v!s}" for k, v in changes.items())
    doc.change(_with_model(doc, model.with_criterion(name, **changes)), f"Criterion {name}: {words}",
               kind="criterion", old={k: getattr(before, k) for k in changes}, new=dict(changes))


def add_criterion(doc, criterion: Criterion) -> None:
    model = doc.workshop.current_scenario().model
    doc.change(_with_model(doc, model.adding(criterion)), f"Added criterion {criterion.name}",
               kind="criterion", old=None, new=criterion.name)


def remove_criterion(doc, name: str) -> None:
    model = doc.workshop.current_scenario().model
    doc.change(_with_model(doc, model.removing(name)), f"Removed criterion {name}",
               kind="criterion", old=name, new=None)


def set_tiers_enabled(doc, enabled: bool) -> None:
    model = doc.workshop.current_scenario().model
    if model.tiers_enabled == enabled:
        return
    doc.change(_with_model(doc, replace(model, tiers_enabled=enabled)),
               "Tiers on" if enabled else "Tiers off", kind="tier", old=not enabled, new=enabled)


def set_tier(doc, name: str, **changes) -> None:
    model = doc.workshop.current_scenario().model
    words = ", ".join(f"{k} → {v}" for k, v in changes.items())
    doc.change(_with_model(doc, model.with_tier(name, **changes)), f"Tier {name}: {words}",
               kind="tier", old=None, new=dict(changes))


def set_model(doc, model: ScoringModel, text: str) -> None:
    """Replace the current scenario's whole model (a model file loaded)."""
    doc.change(_with_model(doc, model), text, kind="model", old=None, new=model.name)


def set_cell(doc, row: int, field: str, text: str) -> None:
    """Set one input of one initiative; raises CellValueError when the value does not fit."""
    value = parse_cell(field, text)
    portfolio = doc.workshop.portfolio
    old = portfolio.value(row, field)
    old_plain = None if old != old else old  # NaN -> None
    if old_plain == value or (old_plain in ("", None) and value in ("", None)):
        return
    ident = portfolio.ids[row]
    shown_old = "blank" if old_plain in ("", None) else old_plain
    shown_new = "blank" if value in ("", None) else value
    doc.change(doc.workshop.with_cell(row, field, value), f"{field} of {ident} {shown_old} → {shown_new}",
               kind="cell", old=old_plain, new=value)


def set_capacity(doc, capacity, text: str, *, planning=None) -> None:
    """The current scenario's capacity (and its planning, when given) as one step."""
    scenario = doc.workshop.current_scenario()
    after = replace(scenario, capacity=capacity)
    old = new = None
    if planning is not None and planning != scenario.planning:
        after = replace(after, planning=planning)
        old, new = {"planning": scenario.planning.to_dict()}, {"planning": planning.to_dict()}
    doc.change(doc.workshop.with_scenario(after), text, kind="capacity", old=old, new=new)


def set_planning(doc, planning, text: str) -> None:
    """The current scenario's planning (span, share of a team-quarter, hard due quarters)."""
    scenario = doc.workshop.current_scenario()
    if planning == scenario.planning:
        return
    doc.change(doc.workshop.with_scenario(replace(scenario, planning=planning)), text,
               kind="planning", old=scenario.planning.to_dict(), new=planning.to_dict())


def set_pin(doc, ident: str, pin: bool | None) -> None:
    scenario = doc.workshop.current_scenario()
    overrides = scenario.overrides.with_pin(ident, pin)
    words = {True: "Pinned in", False: "Pinned out", None: "Unpinned"}[pin]
    doc.change(doc.workshop.with_scenario(replace(scenario, overrides=overrides)),
               f"{words} {ident} in scenario {scenario.name}", kind="override",
               old=scenario.overrides.pinned().get(ident), new=pin)


def duplicate_scenario(doc, name: str) -> None:
    current = doc.workshop.current_scenario()
    after = doc.workshop.adding_scenario(replace(current, name=name)).switching_to(name)
    doc.change(after, f"New scenario {name} (from {current.name})", kind="scenario",
               old=current.name, new=name)


def add_scenario(doc, scenario, text: str) -> None:
    """Add `scenario` (e.g. the best plan adopted) and switch to it, as one step."""
    before = doc.workshop.current
    after = doc.workshop.adding_scenario(scenario).switching_to(scenario.name)
    doc.change(after, text, kind="scenario", old=before, new=scenario.name)


def set_plan_constraints(doc, constraints, text: str) -> None:
    """The current scenario's bundles, alternatives and floors (only the best plan honours them)."""
    scenario = doc.workshop.current_scenario()
    if constraints == scenario.constraints:
        return
    doc.change(doc.workshop.with_scenario(replace(scenario, constraints=constraints)), text,
               kind="constraints", old=scenario.constraints.to_dict(), new=constraints.to_dict())


def rename_scenario(doc, old: str, new: str) -> None:
    doc.change(doc.workshop.renaming_scenario(old, new), f"Renamed scenario {old} → {new}",
               kind="scenario", old=old, new=new)


def delete_scenario(doc, name: str) -> None:
    doc.change(doc.workshop.removing_scenario(name), f"Deleted scenario {name}",
               kind="scenario", old=name, new=None)


def switch_scenario(doc, name: str) -> None:
    if name == doc.workshop.current:
        return
    doc.change(doc.workshop.switching_to(name), f"Switched to scenario {name}",
               kind="scenario", old=doc.workshop.current, new=name)


@dataclass(frozen=True)
class Replaced:
    """What replacing the initiatives did besides that: who is gone, who is new, what was dropped."""

    gone: tuple[tuple[str, str], ...] = ()        # (id, title) of initiatives no longer there
    added: int = 0                                # initiatives that were not there before
    dropped: tuple[tuple[str, str], ...] = ()     # (scenario, "pin of A-1" / "effort of A-2 override")


def _without_stale(scenario, gone, portfolio):
    """The scenario without pins and overrides of initiatives (or columns) the portfolio lacks,
    and words for each one dropped."""
    from cutline.models.scenarios.pipeline import without_unknown

    kept = scenario.without_initiatives(gone)
    overrides = without_unknown(portfolio, kept.overrides)
    if overrides != kept.overrides:
        kept = replace(kept, overrides=overrides)
    pins = {i for i, _ in kept.overrides.pins}
    inputs = {(i, f) for i, f, _ in kept.overrides.inputs}
    words = [f"pin of {i}" for i, _ in scenario.overrides.pins if i not in pins]
    words += [f"{f} override of {i}" for i, f, _ in scenario.overrides.inputs if (i, f) not in inputs]
    return (scenario if not words else kept), words


def replace_portfolio(doc, portfolio, *, mapping=None, source: str = "", capacity=None) -> Replaced:
    """An import that replaces the initiatives of this workshop (and the current scenario's
    capacity, when the file brought one), as one undoable step. Pins and input overrides in any
    scenario that name initiatives no longer there are dropped, so every scenario still evaluates.
    """
    before = doc.workshop
    new_ids = set(portfolio.ids.tolist())
    old_ids = before.portfolio.ids.tolist()
    old_titles = before.portfolio.text("title").tolist()
    gone = tuple((i, t) for i, t in zip(old_ids, old_titles) if i not in new_ids)
    added = len(new_ids - set(old_ids))
    gone_ids = {i for i, _ in gone}
    scenarios, dropped = [], []
    for scenario in before.scenarios:
        kept, words = _without_stale(scenario, gone_ids, portfolio)
        scenarios.append(kept)
        dropped += [(scenario.name, w) for w in words]
    after = replace(before.with_portfolio(portfolio), scenarios=tuple(scenarios))
    if mapping is not None or source:
        after = replace(after, mapping=mapping or after.mapping, source=source or after.source)
    if capacity is not None:
        scenario = after.current_scenario()
        after = after.with_scenario(replace(scenario, capacity=capacity))
    name = Path(source).name if source else "a spreadsheet"
    text = f"Imported {counted(len(portfolio), 'initiative')} from {name}"
    if gone:
        text += f" ({len(gone)} no longer there"
        text += f"; dropped {len(dropped)} of their pins and overrides)" if dropped else ")"
    doc.change(after, text, kind="import", old=len(before.portfolio), new=len(portfolio))
    return Replaced(gone, added, tuple(dropped))
