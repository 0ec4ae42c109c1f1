"""Scenario > Plan constraints…: the editor over the current scenario's bundles, alternatives and
floors, applied as one undoable step (a journal entry, so it is in the workshop file)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from cutline.views.plan_constraints_dialog import PlanConstraintsDialog, group_label

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow


def edit_constraints(window: MainWindow) -> PlanConstraintsDialog | None:
    """Open the editor; OK saves the constraints on the current scenario."""
    doc = window.document
    if doc is None:
        window.tell_error("Open a workshop first: plan constraints belong to one of its scenarios.")
        return None
    if doc.read_only:
        window.tell_error("This workshop is open read-only; use Save As to change its plan constraints.")
        return None
    scenario = doc.workshop.current_scenario()
    portfolio = doc.workshop.portfolio
    categories = sorted({c for c in portfolio.text("category").tolist() if c}, key=str.casefold)
    row = window.selected_row()
    selected = str(portfolio.ids[row]) if 0 <= row < len(portfolio) else None
    dialog = PlanConstraintsDialog(scenario.constraints, ids=portfolio.ids.tolist(), categories=categories,
                                   quarters=scenario.capacity.quarters, selected_id=selected,
                                   scenario=scenario.name, parent=window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # each opening is a fresh editor
    dialog.accepted.connect(lambda: apply_constraints(window, dialog.constraints()))
    window.show_dialog(dialog)
    return dialog


def apply_constraints(window: MainWindow, constraints) -> bool:
    """Make `constraints` the current scenario's, as one step; False when nothing changed."""
    from cutline.app.document import intents

    doc = window.document
    scenario = doc.workshop.current_scenario()
    words = change_words(scenario.constraints, constraints)
    if not words:
        window.tell("Plan constraints unchanged.")
        return False
    intents.set_plan_constraints(doc, constraints, f"Plan constraints of {scenario.name}: {words}")
    window.tell(f"Plan constraints of {scenario.name}: {words}. Only the best plan keeps them.")
    return True


def change_words(before, after) -> str:
    """What changed, as the decision log says it: "added bundle Obs (all or none): A, B; removed …"."""
    parts = []
    for kind, old, new in (("bundle", before.bundles, after.bundles),
                           ("alternatives", before.alternatives, after.alternatives),
                           ("floor", before.floors, after.floors)):
        added = [g for g in new if g not in old]
        removed = [g for g in old if g not in new]
        prefix = "" if kind == "floor" else f"{kind} "
        word = "floor " if kind == "floor" else ""
        parts += [f"added {word}{prefix}{group_label(kind, g)}" for g in added]
        parts += [f"removed {word}{prefix}{group_label(kind, g)}" for g in removed]
    return "; ".join(parts)
