"""Every action of the main window: declared once, enabled by one rule, and triggerable with
scripted answers."""

import pytest
from cutline.app import actions as registry

#: Quit closes the window under the test; the file actions are triggered with paths in
#: tests/gui/test_prompted_actions.py (here every question they ask is cancelled).
NEEDS_A_PERSON = {"quit"}


def test_every_action_is_in_a_menu_with_a_known_rule(window):
    for spec in registry.SPECS:
        action = window.actions[spec.name]
        assert action.text()
        assert registry.enabled(window, spec) in (True, False)
    names = [s.name for s in registry.SPECS]
    assert len(names) == len(set(names))


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
    assert window.document is not None


def test_undo_and_redo_follow_the_stack(window):
    from cutline.app import intents

    assert not window.actions["undo"].isEnabled()
    intents.set_weight(window.document, "dx", 5)
    assert window.actions["undo"].isEnabled()
    assert "dx" in window.actions["undo"].text()
    window.actions["undo"].trigger()
    assert window.actions["redo"].isEnabled()
