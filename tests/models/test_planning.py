"""Planning settings: defaults, storage in the scenario's JSON, older workshop files, due quarters."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from cutline.models.capacity.planning import NO_DUE, Planning, due_quarters
from cutline.models.scenarios.scenario import Scenario
from cutline.models.workshop.file import WorkshopFile
from cutline.models.workshop.journal import JournalEntry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "workshops"


def test_a_scenario_keeps_its_planning_through_its_json_and_one_without_it_keeps_whole_quarters():
    scenario = Scenario("s", planning=Planning(max_span_quarters=2, max_share_per_quarter=0.5, hard_due_dates=True))
    assert Scenario.from_dict(scenario.to_dict()) == scenario
    data = scenario.to_dict()
    del data["planning"]  # as a file written before the setting existed
    assert Scenario.from_dict(data).planning == Planning(1, 1.0, False)  # planned as it was: no spans
    assert Planning() == Planning(4, 1.0, False)  # a new scenario spans


@pytest.mark.parametrize("name", ["v1.cutline", "v2.cutline"])
def test_older_workshop_files_open_with_their_old_planning_and_keep_a_changed_one(tmp_path, name):
    if not (FIXTURES / name).exists():
        pytest.skip(f"no fixture {name}")
    path = tmp_path / name
    shutil.copyfile(FIXTURES / name, path)
    file = WorkshopFile.open(path)
    try:
        workshop = file.workshop
        old = Planning(1) if name == "v1.cutline" else Planning()  # v1 was written before planning
        assert workshop.scenarios and all(s.planning == old for s in workshop.scenarios)
        if file.read_only:
            return
        changed = replace(workshop.scenarios[0], planning=Planning(hard_due_dates=True))
        file.record(replace(workshop, scenarios=(changed, *workshop.scenarios[1:])),
                    JournalEntry("planning", "Hard due dates on", changed.name))
    finally:
        file.close()
    again = WorkshopFile.open(path)
    try:
        assert again.workshop.scenarios[0].planning == Planning(hard_due_dates=True)
    finally:
        again.close()


def test_due_quarters_against_calendar_and_named_quarters():
    plan = ("2025-Q1", "2025-Q2", "2025-Q3")
    due, names = due_quarters(["", "2025-Q2", "2025 q3", "Q1 2025", "2024-Q4", "2027-Q1", "2025-05-20", "later", None],
                              plan)
    assert due.tolist() == [NO_DUE, 1, 2, 0, -1, 3, 1, NO_DUE, NO_DUE]
    assert names.tolist() == ["", "2025-Q2", "2025-Q3", "2025-Q1", "2024-Q4", "2027-Q1", "2025-Q2", "", ""]
    due, _ = due_quarters(["Q2", "2025-Q2", "q1"], ("Q1", "Q2"))  # names only: no calendar to compare
    assert due.tolist() == [1, NO_DUE, 0]
    assert due_quarters([], plan)[0].dtype == np.int64
