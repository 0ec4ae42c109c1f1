"""models/export/handout.py: the handout's content as plain data, from real and hand-made evaluations."""

import datetime as dt
from dataclasses import replace

import pytest

from cutline.app.lifecycle.loading import load_path, sample_path
from cutline.models.capacity.capacity import Capacity
from cutline.models.errors import ModelError
from cutline.models.export.handout import SHARED_POOL, RoadmapBox, handout_data, pack_rows
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.comparison import compare
from cutline.models.scenarios.pipeline import Evaluator
from cutline.models.scenarios.scenario import Scenario


@pytest.fixture(scope="module")
def sample():
    workshop = load_path(sample_path(), read_only=True).workshop
    return Evaluator(workshop.portfolio), workshop.current_scenario()


def _box(lane, first, finish, rank):
    return RoadmapBox(lane, first, finish, f"X-{rank}", "t", "security", rank, False)


def test_boxes_take_the_first_row_whose_quarters_are_free():
    boxes = [_box("A", 0, 0, 1), _box("A", 0, 1, 2), _box("A", 1, 1, 3), _box("A", 2, 3, 4),
             _box("A", 0, 3, 5), _box("B", 0, 0, 6)]
    assert pack_rows(boxes) == [0, 1, 0, 0, 2, 0]


def test_the_sample_handout_says_what_the_evaluation_says(sample):
    evaluator, scenario = sample
    ev = evaluator.evaluate(scenario)
    h = handout_data([ev], workshop=" Q3 planning ", today=dt.date(2027, 1, 15))
    assert (h.workshop, h.scenario, h.model, h.date) == ("Q3 planning", "Default", ev.scenario.model.name, "2027-01-15")
    assert [r.rank for r in h.rows] == list(range(1, len(ev.ranking) + 1))
    assert h.cut_line == ev.allocation.cut_line
    assert h.funded == int(ev.allocation.funded.sum())
    assert all(r.quarter for r in h.rows if r.funded) and all(r.reason for r in h.rows if not r.funded)
    below = [r for r in h.rows if r.funded and r.rank > h.cut_line]
    assert len(below) == h.funded_below and all("below the cut line" in r.reason for r in below)
    assert len(h.boxes) == h.funded and set(h.lanes) == {b.lane for b in h.boxes}
    assert abs(sum(e.used for e in h.capacity) - float(ev.allocation.utilisation["used"].sum())) < 1e-9
    assert all(abs(sum(pw for _, pw in e.by_category) - e.used) < 1e-6 for e in h.capacity)
    assert h.capacity_set and len(h.scenarios) == 1 and h.scenarios[0].funded == h.funded


def test_a_second_scenario_lists_what_crossed_the_cut_line(sample):
    evaluator, scenario = sample
    base = evaluator.evaluate(scenario)
    table = scenario.capacity.table.assign(capacity=scenario.capacity.table["capacity"] * 0.6)
    tight = evaluator.evaluate(replace(scenario, name="Tight", capacity=replace(scenario.capacity, table=table)))
    h = handout_data([base, tight], workshop="w", current=1)
    assert h.scenario == "Tight" and h.funded == int(tight.allocation.funded.sum())
    first, second = h.scenarios
    assert first.name == "Default" and not first.dropped_below
    dropped = sum(1 for i in compare([base, tight]).change_label[1] if i == "dropped below the line")
    assert dropped > 0 and len(second.dropped_below) + second.more[1] == dropped
    assert second.dropped_below[0].startswith("#") and "→" in second.dropped_below[0]
    assert second.used < first.used


def test_no_capacity_funds_nothing_and_says_so(sample):
    evaluator, scenario = sample
    h = handout_data([evaluator.evaluate(replace(scenario, capacity=Capacity.empty()))], workshop="w")
    assert not h.capacity_set and h.funded == 0 and not h.boxes and h.cut_line == 1


def test_an_empty_portfolio_gives_an_empty_handout():
    ev = Evaluator(Portfolio.from_records([])).evaluate(Scenario("Default"))
    h = handout_data([ev], workshop="")
    assert h.workshop == "Untitled workshop" and h.rows == () and h.boxes == () and h.funded == 0


def test_a_pool_is_named_and_no_scenario_is_refused(sample):
    evaluator, scenario = sample
    pool = Capacity.from_rows([("*", "2027-Q1", 40.0)])
    h = handout_data([evaluator.evaluate(replace(scenario, capacity=pool))], workshop="w")
    assert {e.team for e in h.capacity} == {SHARED_POOL}
    with pytest.raises(ModelError):
        handout_data([], workshop="w")
