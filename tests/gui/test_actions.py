"""Every action of the main window: declared once, enabled by one rule, and triggerable with
scripted answers."""

import pytest

from cutline.app.window import actions as registry

# Left out of the fast lane (pytest -m "not slow"): its tests drive real windows and dialogs.
pytestmark = pytest.mark.slow

#: Quit closes the window under the test; the file actions are triggered with paths in
#: tests/gui/test_prompted_actions.py (here every question they ask is cancelled).
NEEDS_A_PERSON = {"quit"}


def _menus(window) -> dict[str, list]:
    bar = window.menuBar().actions()
    return {a.text().replace("&", ""): a.menu().actions() for a in bar if a.menu() is not None}


def _states_follow_the_rules(window) -> None:
    for spec in registry.SPECS:
        assert window.actions[spec.name].isEnabled() is registry.enabled(window, spec), spec.name


def test_every_action_is_in_its_menu_and_enabled_by_its_rule(window):
    menus = _menus(window)
    for spec in registry.SPECS:
        action = window.actions[spec.name]
        assert action.text() and action in menus[spec.menu], spec.name
    names = [s.name for s in registry.SPECS]
    assert len(names) == len(set(names))
    # The sample just opened: writable, three scenarios, nothing to undo or redo, no row chosen.
    at_start = {"always": True, "writable": True, "undo": False, "redo": False,
                "multi_scenario": True, "selection_writable": False}
    for spec in registry.SPECS:
        assert registry.enabled(window, spec) is at_start[spec.when], spec.name
    _states_follow_the_rules(window)


def test_the_rules_follow_the_selection_the_stack_and_the_scenarios(window):
    from cutline.app.document import intents

    doc = window.document
    rule = {spec.when: spec for spec in registry.SPECS}
    window.select_row(0)
    assert registry.enabled(window, rule["selection_writable"]) is True
    intents.set_weight(doc, "dx", 5)
    assert registry.enabled(window, rule["undo"]) is True
    assert registry.enabled(window, rule["redo"]) is False
    doc.undo_stack.undo()
    assert registry.enabled(window, rule["redo"]) is True
    for name in doc.workshop.scenario_names[1:]:
        intents.delete_scenario(doc, name)
    assert registry.enabled(window, rule["multi_scenario"]) is False  # one scenario left
    _states_follow_the_rules(window)


def test_shortcuts_do_not_clash(window):
    seen = {}
    for spec in registry.SPECS:
        for key in window.actions[spec.name].shortcuts():
            text = key.toString()
            assert text not in seen, f"{spec.name} and {seen.get(text)} share {text}"
            seen[text] = spec.name


@pytest.mark.parametrize("name", [s.name for s in registry.SPECS if s.name not in NEEDS_A_PERSON])
def test_each_action_runs_without_error(window, qtbot, name):
    window.select_row(int(window.document.evaluation.ranking.order[0]))
    window.prompts.script(*[None] * 5)
    action = window.actions[name]
    if action.isEnabled():
        action.trigger()
        qtbot.wait(10)
    # The window still shows its document's current scenario, evaluated, with every action's
    # state current.
    doc = window.document
    doc.wait_idle()
    assert doc.evaluation.scenario is doc.workshop.current_scenario()
    assert len(doc.evaluation.ranking) == len(doc.workshop.portfolio)
    _states_follow_the_rules(window)


def test_undo_and_redo_follow_the_stack(window):
    from cutline.app.document import intents

    assert not window.actions["undo"].isEnabled()
    intents.set_weight(window.document, "dx", 5)
    assert window.actions["undo"].isEnabled()
    assert "dx" in window.actions["undo"].text()
    window.actions["undo"].trigger()
    assert window.actions["redo"].isEnabled()
