"""Edit > Capacity and guardrails: the editor over the current scenario (its capacity, guardrails
and planning), applied as one undoable step.

The words of the step say what changed as a PM would ("Capacity of Identity in 2027-Q2 12 → 14
pw"), because they become the decision log's entry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cutline.models.capacity.capacity import POOL, Capacity, Guardrail
from cutline.models.capacity.planning import Planning
from cutline.models.capacity.tables import category_key, team_key
from cutline.models.colours import ordered_categories
from cutline.views.capacity_editor import CapacityEditor

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow

#: Changes named one by one in the undo text before "and N more".
NAMED_CHANGES = 3


def edit_capacity(window: MainWindow) -> CapacityEditor | None:
    """Open the editor on the current scenario's capacity; OK applies it through the undo stack."""
    doc = window.document
    if doc is None:
        return None
    if doc.read_only:
        window.tell_error("This workshop is open read-only; use Save As to change its capacity.")
        return None
    scenario = doc.workshop.current_scenario()
    portfolio = doc.workshop.portfolio
    categories = tuple(c for c in ordered_categories(portfolio.text("category").tolist()) if c)
    dialog = CapacityEditor(scenario.capacity, categories=categories, portfolio=portfolio,
                            planning=scenario.planning, parent=window)
    dialog.setWindowTitle(f"Capacity and guardrails — scenario {scenario.name}")
    dialog.accepted.connect(lambda: apply_capacity(window, dialog.capacity(), dialog.planning()))
    window.show_dialog(dialog)
    return dialog


def apply_capacity(window: MainWindow, capacity: Capacity, planning: Planning | None = None) -> bool:
    """Make `capacity` (and `planning`, when given) the current scenario's, as one undoable
    step; False when nothing changed."""
    doc = window.document
    scenario = doc.workshop.current_scenario()
    before = scenario.capacity
    planning = scenario.planning if planning is None else planning
    capacity_changed = capacity != before
    if not capacity_changed and planning == scenario.planning:
        window.tell("Capacity unchanged.")
        return False
    from cutline.app.document import intents

    plan_words = planning_changes(scenario.planning, planning)
    if not capacity_changed:
        text = "Planning: " + "; ".join(plan_words)
        intents.set_planning(doc, planning, text)
    else:
        text = describe_change(before, capacity)
        if plan_words:
            text += "; planning: " + "; ".join(plan_words)
        intents.set_capacity(doc, capacity, text, planning=planning)
    window.tell(text)
    return True


def planning_changes(before: Planning, after: Planning) -> list[str]:
    """"span up to 1 → 4 quarters", "at most 100% → 50% of a team's quarter", "due quarters hard"."""
    words = []
    if before.max_span_quarters != after.max_span_quarters:
        words.append(f"span up to {before.max_span_quarters} → {after.max_span_quarters} quarters")
    if before.max_share_per_quarter != after.max_share_per_quarter:
        words.append(f"at most {_share(before.max_share_per_quarter)} → {_share(after.max_share_per_quarter)} "
                     "of a team's quarter")
    if before.hard_due_dates != after.hard_due_dates:
        words.append("due quarters hard" if after.hard_due_dates else "due quarters not hard")
    return words


# -- words for the change ------------------------------------------------------------------------
def _team_name(team: str) -> str:
    return "the shared pool" if team_key(team) == POOL else team


def _team_noun(team: str) -> str:
    return "the shared pool" if team_key(team) == POOL else f"team {team}"


def _cells(capacity: Capacity) -> dict[tuple[str, str], tuple[str, float]]:
    """(team key, quarter) -> (team as spelled, person-weeks)."""
    return {(team_key(t), q): (t, float(c))
            for t, q, c in capacity.table[["team", "quarter", "capacity"]].itertuples(index=False)}


def _value(cells: dict, key: str, quarter: str) -> float | None:
    found = cells.get((key, quarter))
    return None if found is None else found[1]


def _share(value: float | None) -> str:
    return "none" if value is None else f"{value * 100:g}%"


def table_changes(before: Capacity, after: Capacity) -> list[tuple[bool, str]]:
    """(is a team's number, words) for what changed: quarters and teams added or removed, then
    each team's cells (one change when every quarter got the same number)."""
    words = [f"added quarter {q}" for q in after.quarters if q not in before.quarters]
    words += [f"removed quarter {q}" for q in before.quarters if q not in after.quarters]
    old_teams = {team_key(t): t for t in before.table["team"].tolist()}
    new_teams = {team_key(t): t for t in after.table["team"].tolist()}
    words += [f"added {_team_noun(t)}" for k, t in new_teams.items() if k not in old_teams]
    words += [f"removed {_team_noun(t)}" for k, t in old_teams.items() if k not in new_teams]
    out = [(False, w) for w in words]
    old, new = _cells(before), _cells(after)
    quarters = [q for q in after.quarters if q in before.quarters]
    for key, team in new_teams.items():
        if key not in old_teams:
            continue  # told above as a whole team
        both = [(q, _value(old, key, q), _value(new, key, q)) for q in quarters]
        changed = [(q, a, b) for q, a, b in both if a != b]
        numbers = {b for _, _, b in changed if b is not None}
        name = _team_name(team)
        if len(changed) > 1 and len(changed) == len(after.quarters) and len(numbers) == 1:
            out.append((True, f"{name} {numbers.pop():g} pw in every quarter"))
            continue
        for q, a, b in changed:
            was, now = ("none" if a is None else f"{a:g}"), ("none" if b is None else f"{b:g}")
            out.append((True, f"{name} in {q} {was} → {now} pw"))
    return out


def guardrail_changes(before: tuple[Guardrail, ...], after: tuple[Guardrail, ...]) -> list[str]:
    old = {category_key(g.category): g for g in before}
    new = {category_key(g.category): g for g in after}
    words = []
    for key in list(dict.fromkeys(list(old) + list(new))):
        was, now = old.get(key), new.get(key)
        name = (now or was).category
        for label in ("reserve", "cap"):
            a = getattr(was, label) if was else None
            b = getattr(now, label) if now else None
            a = None if label == "reserve" and not a else a
            b = None if label == "reserve" and not b else b
            if a != b:
                words.append(f"{label} of {name} {_share(a)} → {_share(b)}")
    return words


def describe_change(before: Capacity, after: Capacity) -> str:
    """One line for the undo stack and the decision log."""
    changes = table_changes(before, after)
    changes += [(False, w) for w in guardrail_changes(before.guardrails, after.guardrails)]
    if not changes:
        return "Capacity reordered"
    if len(changes) == 1:
        of_team, words = changes[0]
        return f"Capacity of {words}" if of_team else f"Capacity: {words}"
    shown = "; ".join(words for _, words in changes[:NAMED_CHANGES])
    more = len(changes) - NAMED_CHANGES
    return f"Capacity: {shown}" + (f"; and {more} more change{'s' if more > 1 else ''}" if more > 0 else "")
