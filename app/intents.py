"""What a user can change, each as one undoable step with words for the decision log."""

from __future__ import annotations

from dataclasses import replace

from models.edits import parse_cell
from models.scoring_model import Criterion, ScoringModel


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


def set_capacity(doc, capacity, text: str) -> None:
    scenario = doc.workshop.current_scenario()
    doc.change(doc.workshop.with_scenario(replace(scenario, capacity=capacity)), text,
               kind="capacity", old=None, new=None)


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


def replace_portfolio(doc, portfolio, *, mapping=None, source: str = "", capacity=None) -> None:
    """An import that replaces the portfolio (and the capacity, when the file brought one)."""
    after = doc.workshop.with_portfolio(portfolio)
    if mapping is not None or source:
        after = replace(after, mapping=mapping or after.mapping, source=source or after.source)
    if capacity is not None:
        scenario = after.current_scenario()
        after = after.with_scenario(replace(scenario, capacity=capacity))
    doc.change(after, f"Imported {len(portfolio)} initiatives from {source or 'a spreadsheet'}",
               kind="import", old=len(doc.workshop.portfolio), new=len(portfolio))
