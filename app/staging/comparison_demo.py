"""Scenarios made up for the `compare-room-4` screenshot when a workshop has fewer than four.

Only a screenshot calls this, on its temporary copy of the workshop: each made-up scenario is
a copy of the current one with other weights, so the room has real moves to show.
"""

from __future__ import annotations

from cutline.app.document import intents

#: (name, {criterion: weight}) of each made-up scenario, in the order they are added.
DEMO_SCENARIOS = (
    ("Security heavy", {"security": 10, "reliability": 1}),
    ("Developer experience", {"dx": 8, "unblocking": 6}),
    ("Cheap wins", {"effort": 9}),
)


def add_demo_scenarios(doc, count: int) -> None:
    """Add made-up scenarios until the workshop has `count`; the current scenario stays current."""
    current = doc.workshop.current
    existing = {s.name for s in doc.workshop.scenarios}
    for name, weights in DEMO_SCENARIOS:
        if len(doc.workshop.scenarios) >= count:
            break
        if name in existing:
            continue
        intents.duplicate_scenario(doc, name)
        criteria = {c.name for c in doc.workshop.current_scenario().model.criteria}
        for criterion, weight in weights.items():
            if criterion in criteria:
                intents.set_weight(doc, criterion, weight)
    intents.switch_scenario(doc, current)
    doc.evaluate_now()
