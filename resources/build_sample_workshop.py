"""Build resources/sample.cutline: the sample portfolio as a workshop with three scenarios and a
short decision log, so every view (comparison, decision log) has something to show.

Run from the repository root: `python resources/build_sample_workshop.py` (after build_sample.py).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Fixed times so the log reads like one morning's workshop.
DAY = "2026-11-02T"


def build(out: Path = HERE / "sample.cutline") -> Path:
    from cutline.models.capacity.capacity import Capacity
    from cutline.models.capacity.tables import read_capacity
    from cutline.models.importing import read_portfolio
    from cutline.models.scoring.model import default_model
    from cutline.models.workshop.document import Workshop
    from cutline.models.workshop.file import WorkshopFile
    from cutline.models.workshop.journal import JournalEntry

    source = HERE / "sample_portfolio.xlsx"
    result = read_portfolio(source)
    capacity = read_capacity(source, sheet="Capacity")
    workshop = Workshop.new(result.portfolio, capacity=capacity, model=default_model(),
                            mapping=result.mapping.to_dict(), source=source.name)
    out.unlink(missing_ok=True)
    file = WorkshopFile.create(out, workshop)
    steps = 0

    def record(after, kind: str, summary: str, old=None, new=None) -> None:
        nonlocal workshop, steps
        steps += 1
        workshop = after
        file.record(after, JournalEntry(kind, summary, after.current, old, new,
                                        time=f"{DAY}09:{steps * 3:02d}:00Z"))

    base = workshop.current_scenario()
    record(workshop, "import", f"Imported {len(workshop.portfolio)} initiatives from {source.name}")
    push = replace(base, name="Reliability push",
                   model=replace(base.model, name="Reliability push",
                                 description="Reliability and security weighted 5 instead of 3."))
    record(workshop.adding_scenario(push).switching_to(push.name), "scenario",
           "New scenario Reliability push (from Default)", None, push.name)
    for name in ("reliability", "security"):
        model = workshop.current_scenario().model
        record(workshop.with_scenario(replace(workshop.current_scenario(), model=model.with_weight(name, 5))),
               "weight", f"Weight of {name} 3 → 5", 3, 5)
    lean_table = capacity.table.copy()
    lean_table["capacity"] = (lean_table["capacity"] * 0.8).round(1)
    lean = replace(base, name="Unblock first, lean quarter",
                   model=replace(base.model, name="Unblock first"),
                   capacity=Capacity(lean_table, capacity.guardrails))
    record(workshop.adding_scenario(lean).switching_to(lean.name), "scenario",
           "New scenario Unblock first, lean quarter (from Default, capacity 80%)", None, lean.name)
    for name, old, new in (("unblocking", 3, 6), ("rice", 2, 1)):
        model = workshop.current_scenario().model
        record(workshop.with_scenario(replace(workshop.current_scenario(), model=model.with_weight(name, new))),
               "weight", f"Weight of {name} {old} → {new}", old, new)
    record(workshop.switching_to("Default"), "scenario", "Switched to scenario Default",
           lean.name, "Default")
    file.record(workshop, JournalEntry("note", "Agreed: the Kubernetes upgrade goes first; the mesh "
                                       "work waits on it.", "Default", time=f"{DAY}09:30:00Z"))
    file.close()
    return out


if __name__ == "__main__":
    path = build()
    print(f"wrote {path.name}")
