"""Scenario.without_initiatives: pins and overrides of initiatives a re-import dropped go, the rest stay."""

from cutline.models.scenarios.scenario import Overrides, Scenario


def test_drops_only_the_named_initiatives():
    overrides = Overrides(pins=(("A-1", True), ("A-2", False), ("A-3", True)),
                          inputs=(("A-2", "effort", 3.0), ("A-4", "risk", 2.0)))
    scenario = Scenario("Push", overrides=overrides)
    kept = scenario.without_initiatives({"A-2", "A-9"})
    assert kept.overrides.pins == (("A-1", True), ("A-3", True))
    assert kept.overrides.inputs == (("A-4", "risk", 2.0),)
    assert kept.name == "Push" and kept.model == scenario.model
    assert scenario.overrides is overrides                      # pure: the original is unchanged


def test_nothing_to_drop_is_the_same_object():
    scenario = Scenario("Default", overrides=Overrides(pins=(("A-1", True),)))
    assert scenario.without_initiatives(["B-1"]) is scenario
    assert scenario.without_initiatives([]) is scenario
