"""Small things a workshop hits: short Undo/Redo buttons, Ctrl+Z after typing a weight, Save As at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

# Left out of the fast lane (pytest -m "not slow"): its tests drive real windows and dialogs.
pytestmark = pytest.mark.slow


def _weight(window, name: str) -> float:
    return window.document.workshop.current_scenario().model.criterion(name).weight


def _toolbar_button(window, name: str) -> QToolButton:
    return window.toolbar.widgetForAction(window.actions[name])


def test_undo_and_redo_buttons_are_short_and_the_menu_and_tooltip_name_the_step(window):
    from cutline.app.features.scoring import ScoringFeature

    row = window.feature(ScoringFeature).panel.rows["reliability"]
    before = _weight(window, "reliability")
    row.spin.setValue(before + 1)
    row.weightSettled.emit("reliability")
    step = window.document.undo_stack.undoText()
    assert step and str(before + 1)[:1] in step

    undo = window.actions["undo"]
    assert _toolbar_button(window, "undo").text() == "Undo"
    assert undo.toolTip() == f"Undo {step}"
    assert undo.text().replace("&", "") == f"Undo {step}"  # the Edit menu names the step in full

    window.document.undo_stack.undo()
    redo = window.actions["redo"]
    assert _toolbar_button(window, "redo").text() == "Redo"
    assert _toolbar_button(window, "undo").text() == "Undo"
    assert redo.toolTip() == f"Redo {step}"
    assert redo.text().replace("&", "") == f"Redo {step}"


def test_ctrl_z_right_after_typing_a_weight_undoes_it(window, qtbot):
    from cutline.app.features.scoring import ScoringFeature

    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    row = window.feature(ScoringFeature).panel.rows["security"]
    stack = window.document.undo_stack
    before, steps = _weight(window, "security"), stack.count()
    row.spin.setFocus()
    row.spin.selectAll()
    qtbot.keyClicks(row.spin, "7")
    assert row.spin.lineEdit().text() == "7"
    assert _weight(window, "security") == before  # typed, not yet accepted

    qtbot.keyClick(row.spin, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # focus still in the box
    assert _weight(window, "security") == before
    assert row.spin.value() == before
    assert stack.count() == steps + 1 and stack.index() == steps  # the typed weight is a step, undone
    assert "security" in stack.redoText().lower()
    stack.redo()
    assert _weight(window, "security") == 7


def test_save_as_updates_the_title_and_status_at_once(window, tmp_path):
    target = tmp_path / "offsite.cutline"
    window.prompts.script(target)
    assert "offsite" not in window.windowTitle()
    window.actions["save_as"].trigger()
    assert Path(target).exists()
    assert window.windowTitle().startswith("offsite.cutline")
    status = window.status.summary.text()
    assert "not saved yet" not in status and "· saved " in status


@pytest.mark.parametrize("name", ["undo", "redo"])
def test_undo_and_redo_without_steps_are_plain(window, name):
    assert _toolbar_button(window, name).text() == name.capitalize()
    assert window.actions[name].toolTip() == name.capitalize()
