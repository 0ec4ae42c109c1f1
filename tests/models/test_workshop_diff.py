"""What one change did to a workshop: each kind of change names its own part and no other."""

from dataclasses import replace

from cutline.models.capacity.capacity import Capacity
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.scenario import Scenario
from cutline.models.workshop.diff import WorkshopDiff, diff
from cutline.models.workshop.document import Workshop


def _portfolio(ids=("I-1", "I-2")) -> Portfolio:
    return Portfolio.from_records([{"id": i, "title": i, "reach": 10} for i in ids])


def _workshop() -> Workshop:
    w = Workshop.new(_portfolio(), mapping={"Title": "title"}, source="roadmap.xlsx")
    return w.adding_scenario(Scenario("Aggressive", w.current_scenario().model))


def _only(d: WorkshopDiff, **expected) -> None:
    assert d == WorkshopDiff(**expected)


def test_the_same_workshop_has_no_difference():
    w = _workshop()
    assert diff(w, w).empty
    assert not diff(w, w).scenarios


def test_a_weight_names_the_criterion_and_the_model_only():
    w = _workshop()
    s = w.current_scenario()
    after = w.with_scenario(replace(s, model=s.model.with_weight("dx", 7)))
    _only(diff(w, after), model=True, weights=("dx",))


def test_another_criterion_change_is_the_model_without_weights():
    w = _workshop()
    s = w.current_scenario()
    after = w.with_scenario(replace(s, model=s.model.with_criterion("dx", direction="cost")))
    _only(diff(w, after), model=True)


def test_capacity_is_its_own_part():
    w = _workshop()
    after = w.with_scenario(replace(w.current_scenario(), capacity=Capacity.from_rows([("core", "Q1", 5)])))
    _only(diff(w, after), capacity=True)


def test_a_pin_is_the_plan():
    w = _workshop()
    s = w.current_scenario()
    after = w.with_scenario(replace(s, overrides=s.overrides.with_pin("I-1", True)))
    _only(diff(w, after), plan=True)


def test_a_change_to_another_scenario_is_not_the_current_ones():
    w = _workshop()
    other = w.scenario("Aggressive")
    after = w.with_scenario(replace(other, model=other.model.with_weight("dx", 9)))
    _only(diff(w, after), other_scenarios=True)


def test_adding_removing_and_switching_scenarios():
    w = _workshop()
    added = w.adding_scenario(Scenario("Safe", w.current_scenario().model))
    _only(diff(w, added), scenarios_added=("Safe",))
    assert diff(w, added).scenarios
    _only(diff(added, w), scenarios_removed=("Safe",))
    switched = diff(w, w.switching_to("Aggressive"))
    assert switched.current and switched.scenarios
    assert switched.capacity and switched.plan and switched.model  # another scenario is shown
    assert not (switched.portfolio or switched.scenarios_added or switched.other_scenarios)


def test_a_rename_is_not_an_addition_and_its_current_follows():
    w = _workshop()
    d = diff(w, w.renaming_scenario("Default", "Base"))
    _only(d, scenarios_renamed=(("Default", "Base"),))
    assert d.scenarios


def test_a_cell_is_the_portfolio_and_an_import_replaces_it():
    w = _workshop()
    _only(diff(w, w.with_cell(0, "reach", 99)), portfolio=True)
    _only(diff(w, w.with_portfolio(_portfolio(("I-1", "I-3")))), portfolio=True, portfolio_replaced=True)


def test_ratings_and_source():
    w = _workshop()
    _only(diff(w, w.adding_rating_round({"id": "r1"})), ratings=True)
    _only(diff(w, replace(w, source="other.csv")), source=True)


def test_undo_back_to_the_exact_state_is_the_same_difference_reversed():
    w = _workshop()
    s = w.current_scenario()
    after = w.with_scenario(replace(s, model=s.model.with_weight("dx", 7)))
    assert diff(after, w) == diff(w, after)
