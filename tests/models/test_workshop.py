"""The Workshop document: pure changes, unique scenario names, a current scenario that always exists."""

import numpy as np
import pytest
from cutline.models.capacity.capacity import Capacity
from cutline.models.errors import ModelError
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.scenario import Scenario
from cutline.models.scoring.model import default_model
from cutline.models.workshop.document import Workshop
from hypothesis import given
from hypothesis import strategies as st


def _portfolio() -> Portfolio:
    return Portfolio.from_records(
        [
            {"id": "I-1", "title": "SSO", "reach": 10, "Owner": "Ana"},
            {"id": "I-2", "title": "Queues", "effort": 3, "Owner": "Bo"},
        ],
        extra_columns=["Owner"],
    )


def _workshop() -> Workshop:
    return Workshop.new(_portfolio(), mapping={"Title": "title"}, source="roadmap.xlsx")


def test_new_starts_with_one_default_scenario():
    capacity = Capacity.from_rows([("core", "Q1", 10)])
    w = Workshop.new(_portfolio(), capacity=capacity, mapping={"A": "id"}, source="x.xlsx")
    assert w.scenario_names == ("Default",)
    assert w.current == "Default"
    assert w.current_scenario().model == default_model()
    assert w.current_scenario().capacity == capacity
    assert w.mapping == {"A": "id"} and w.source == "x.xlsx" and w.rating_rounds == ()


def test_with_cell_changes_one_cell_and_leaves_the_original():
    w = _workshop()
    changed = w.with_cell(1, "reach", 42)
    assert changed.portfolio.value(1, "reach") == 42.0
    assert np.isnan(w.portfolio.value(1, "reach"))
    assert changed.with_cell(0, "Owner", "Chen").portfolio.value(0, "Owner") == "Chen"
    assert changed.scenarios is w.scenarios


@pytest.mark.parametrize(("row", "field"), [(5, "reach"), (-1, "reach"), (0, "nope")])
def test_with_cell_refuses_a_cell_that_does_not_exist(row, field):
    with pytest.raises(ModelError):
        _workshop().with_cell(row, field, 1)


def test_with_cell_refuses_a_value_the_column_cannot_hold():
    with pytest.raises(ModelError, match="does not fit column 'Owner'"):
        _workshop().with_cell(0, "Owner", 5)  # a text column of pandas' str dtype


def test_with_portfolio_replaces_the_initiatives_only():
    w = _workshop()
    other = Portfolio.from_records([{"id": "X"}])
    assert w.with_portfolio(other).portfolio is other
    assert w.with_portfolio(other).scenarios == w.scenarios


def test_with_scenario_replaces_by_name():
    w = _workshop()
    heavier = Scenario("Default", default_model().with_weight("dx", 9))
    assert w.with_scenario(heavier).current_scenario().model.criterion("dx").weight == 9
    with pytest.raises(ModelError, match="no scenario called 'Other'"):
        w.with_scenario(Scenario("Other"))


def test_adding_scenario_at_the_end_or_at_an_index():
    w = _workshop().adding_scenario(Scenario("B")).adding_scenario(Scenario("A"), index=0)
    assert w.scenario_names == ("A", "Default", "B")
    assert w.current == "Default"


@pytest.mark.parametrize("name", ["Default", "", "   "])
def test_adding_scenario_refuses_a_taken_or_blank_name(name):
    with pytest.raises(ModelError):
        _workshop().adding_scenario(Scenario(name))


def test_renaming_the_current_scenario_keeps_it_current():
    w = _workshop().adding_scenario(Scenario("B")).renaming_scenario("Default", "Base")
    assert w.scenario_names == ("Base", "B") and w.current == "Base"
    assert w.renaming_scenario("B", "C").current == "Base"
    assert w.renaming_scenario("B", "B").scenario_names == ("Base", "B")
    with pytest.raises(ModelError, match="already exists"):
        w.renaming_scenario("B", "Base")


def test_removing_scenarios_never_the_last_and_the_current_moves_to_a_neighbour():
    w = _workshop().adding_scenario(Scenario("B")).adding_scenario(Scenario("C")).switching_to("C")
    assert w.removing_scenario("C").current == "B"
    assert w.switching_to("Default").removing_scenario("Default").current == "B"
    assert w.removing_scenario("B").current == "C"
    with pytest.raises(ModelError, match="only scenario"):
        _workshop().removing_scenario("Default")


def test_switching_to_an_unknown_scenario_is_refused():
    with pytest.raises(ModelError, match="no scenario called 'Nope'"):
        _workshop().switching_to("Nope")


def test_adding_rating_round_keeps_a_copy_of_plain_data():
    data = {"criterion": "dx", "ratings": {"I-1": [3, 4]}}
    w = _workshop().adding_rating_round(data)
    data["ratings"]["I-1"].append(99)
    assert w.rating_rounds == ({"criterion": "dx", "ratings": {"I-1": [3, 4]}},)


def test_a_workshop_must_be_consistent():
    p = _portfolio()
    with pytest.raises(ModelError):
        Workshop(p, (), "Default")
    with pytest.raises(ModelError, match="already exists"):
        Workshop(p, (Scenario("A"), Scenario("A")), "A")
    with pytest.raises(ModelError, match="not one of"):
        Workshop(p, (Scenario("A"),), "B")


def test_equals_compares_every_part():
    w = _workshop()
    assert w.equals(Workshop.new(_portfolio(), mapping={"Title": "title"}, source="roadmap.xlsx"))
    assert not w.equals(w.with_cell(0, "title", "Other"))
    assert not w.equals(w.adding_rating_round({"a": 1}))
    assert not w.equals(w.adding_scenario(Scenario("B")))


_operation = st.tuples(st.sampled_from(["add", "rename", "remove", "switch"]), st.sampled_from("ABCD"), st.sampled_from("ABCD"))


@given(st.lists(_operation, max_size=25))
def test_any_sequence_of_scenario_changes_keeps_the_workshop_consistent(operations):
    w = _workshop()
    for op, a, b in operations:
        try:
            if op == "add":
                w = w.adding_scenario(Scenario(a))
            elif op == "rename":
                w = w.renaming_scenario(a, b)
            elif op == "remove":
                w = w.removing_scenario(a)
            else:
                w = w.switching_to(a)
        except ModelError:
            pass  # refused changes leave the workshop as it was
        assert len(set(w.scenario_names)) == len(w.scenarios) >= 1
        assert w.current in w.scenario_names
