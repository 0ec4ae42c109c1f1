"""The capacity editor: typing capacity, one number for all quarters, teams and quarters,
guardrails, mistakes shown where they were made, and the result applied as one undoable step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

from cutline.app.features import capacity_editor as capacity_flow
from cutline.models.capacity.capacity import POOL, Capacity, Guardrail
from cutline.views.capacity_editor import CapacityEditor
from cutline.views.capacity_guardrails import CAP, RESERVE
from tests.gui import scoring_fixtures as fx

ROWS = [("Identity", "2027-Q1", 12), ("Identity", "2027-Q2", 12), ("Storage", "2027-Q1", 8),
        ("Storage", "2027-Q2", 9)]


@pytest.fixture
def editor(qtbot):
    dialog = CapacityEditor(Capacity.from_rows(ROWS, (Guardrail("tech-debt", 0.2),)),
                            categories=("security", "tech-debt", "capability"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def cell_text(editor, team, quarter=None) -> str:
    return editor.grid.item(*editor.cell(team, quarter)).text()


def test_the_grid_shows_teams_by_quarters_and_the_common_number(editor):
    grid = editor.grid
    assert [grid.horizontalHeaderItem(c).text() for c in range(grid.columnCount())] == [
        "All quarters", "2027-Q1", "2027-Q2"]
    assert [grid.verticalHeaderItem(r).text() for r in range(grid.rowCount())] == ["Identity", "Storage"]
    assert cell_text(editor, "Identity") == "12"   # the same in every quarter
    assert cell_text(editor, "Storage") == ""      # 8 and 9 differ
    assert cell_text(editor, "Storage", "2027-Q2") == "9"


def test_typing_a_number_with_the_keyboard_changes_that_cell_only(editor, qtbot):
    grid = editor.grid
    grid.setFocus()
    grid.setCurrentCell(*editor.cell("Identity", "2027-Q2"))
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    assert grid.state() == QAbstractItemView.State.EditingState
    field = grid.findChild(QLineEdit)
    field.selectAll()
    qtbot.keyClicks(field, "14")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: grid.state() != QAbstractItemView.State.EditingState)  # commits queued
    result = editor.capacity()
    values = {(t, q): c for t, q, c in result.table.itertuples(index=False)}
    assert values[("Identity", "2027-Q2")] == 14
    assert values[("Identity", "2027-Q1")] == 12
    assert cell_text(editor, "Identity") == ""  # no longer one number for all quarters


def test_one_number_per_team_for_all_quarters(editor):
    editor.type_into("Storage", None, "10")
    values = {(t, q): c for t, q, c in editor.capacity().table.itertuples(index=False)}
    assert values[("Storage", "2027-Q1")] == values[("Storage", "2027-Q2")] == 10
    assert cell_text(editor, "Storage") == "10"


def test_adding_a_team_a_quarter_and_a_pool(editor, qtbot):
    qtbot.keyClicks(editor.team_name, "Networking")
    qtbot.mouseClick(editor.add_team_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.quarter_name, "2027-Q3")
    qtbot.keyClick(editor.quarter_name, Qt.Key.Key_Return)
    qtbot.mouseClick(editor.add_pool_button, Qt.MouseButton.LeftButton)
    result = editor.capacity()
    assert result.teams == ("Identity", "Storage", "Networking")
    assert result.quarters == ("2027-Q1", "2027-Q2", "2027-Q3")
    values = {(t, q): c for t, q, c in result.table.itertuples(index=False)}
    assert values[("Storage", "2027-Q3")] == 9       # a new quarter starts from the last one
    assert values[("Networking", "2027-Q1")] == 0
    assert values[(POOL, "2027-Q3")] == 0
    assert editor.grid.verticalHeaderItem(3).text() == "Shared pool"
    assert editor.team_name.text() == "" and not editor.add_message.isVisible()


def test_removing_a_team_and_a_quarter(editor):
    editor.grid.setCurrentCell(*editor.cell("Storage", "2027-Q2"))
    editor.remove_team_button.click()
    editor.grid.setCurrentCell(*editor.cell("Identity", "2027-Q2"))
    editor.remove_quarter_button.click()
    assert editor.capacity() == Capacity.from_rows([("Identity", "2027-Q1", 12)], (Guardrail("tech-debt", 0.2),))


def test_a_blank_cell_means_no_capacity_of_its_own(editor):
    editor.type_into("Storage", "2027-Q1", "")
    assert ("Storage", "2027-Q1") not in {(t, q) for t, q, _ in editor.capacity().table.itertuples(index=False)}


@pytest.mark.parametrize("typed, words", [("-3", "0 or more"), ("lots", "not a number")])
def test_a_bad_number_is_marked_in_its_cell_and_ok_refuses(editor, typed, words):
    before = editor.capacity()
    editor.type_into("Identity", "2027-Q2", typed)
    assert editor.grid_message.isVisible()
    assert editor.grid_message.text().startswith("Identity, 2027-Q2:")
    assert words in editor.grid_message.text()
    item = editor.grid.item(*editor.cell("Identity", "2027-Q2"))
    assert item.text() == typed and words in item.toolTip()
    assert editor.try_accept() is False
    assert editor.isVisible() and editor.result() == 0
    assert editor.capacity() == before
    assert (editor.grid.currentRow(), editor.grid.currentColumn()) == editor.cell("Identity", "2027-Q2")
    editor.type_into("Identity", "2027-Q2", "7")  # fixed: the message goes
    assert not editor.grid_message.isVisible() and editor.problems() == []


def test_a_blank_quarter_name_is_refused_under_the_field(editor, qtbot):
    editor.quarter_name.setText("   ")
    qtbot.mouseClick(editor.add_quarter_button, Qt.MouseButton.LeftButton)
    assert editor.add_message.isVisible()
    assert "quarter's name is blank" in editor.add_message.text()
    assert editor.capacity().quarters == ("2027-Q1", "2027-Q2")
    qtbot.keyClicks(editor.team_name, "Identity")
    qtbot.mouseClick(editor.add_team_button, Qt.MouseButton.LeftButton)
    assert "already in the capacity table" in editor.add_message.text()


def test_guardrails_over_100_percent_are_marked_and_refused(editor):
    rails = editor.guardrails
    assert rails.table.item(0, RESERVE).text() == "20"
    rails.add_button.click()  # the first category without a guardrail
    assert rails.table.item(1, 0).text() == "security"
    rails.set_cell(1, RESERVE, "90%")
    assert "add up to 110%" in rails.message.text() and rails.message.isVisible()
    assert rails.problem_cell == (1, RESERVE)
    assert rails.table.item(1, RESERVE).toolTip() == rails.problem
    assert editor.try_accept() is False and editor.isVisible()
    rails.set_cell(1, RESERVE, "30")
    rails.set_cell(1, CAP, "50")
    assert not rails.message.isVisible()
    assert editor.capacity().guardrails == (Guardrail("tech-debt", 0.2), Guardrail("security", 0.3, 0.5))


def test_a_reserve_above_its_cap_and_a_share_that_is_not_a_number(editor):
    rails = editor.guardrails
    rails.set_cell(0, CAP, "10")
    assert "above its cap" in rails.problem and rails.problem_cell == (0, RESERVE)
    rails.set_cell(0, CAP, "ten")
    assert "not a percentage" in rails.problem and rails.problem_cell == (0, CAP)


def test_the_editor_names_teams_with_initiatives_but_no_capacity(qtbot):
    capacity = Capacity.from_rows([(team, "2025-Q1", 10) for team in ("Core", "Security", "Build", "Data")])
    dialog = CapacityEditor(capacity, portfolio=fx.portfolio())
    qtbot.addWidget(dialog)
    assert dialog.warnings.text() == ""
    dialog.grid.setCurrentCell(*dialog.cell("Data", "2025-Q1"))
    dialog.remove_team_button.click()
    assert "Team 'Data' has 3 initiatives but no row" in dialog.warnings.text()
    dialog.add_pool_button.click()  # a pool serves every team without a row
    assert dialog.warnings.text() == ""


# -- through Edit > Capacity on the real window ------------------------------------------
@pytest.mark.slow
def test_edit_capacity_refuses_a_mistake_then_applies_one_undoable_step(window, qtbot):
    doc = window.document
    before = doc.workshop.current_scenario().capacity
    steps = doc.undo_stack.count()
    window.actions["capacity"].trigger()
    dialog = window.findChild(CapacityEditor, "capacityEditor")
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Capacity and guardrails — scenario Default"
    old = dialog.grid.item(*dialog.cell("Identity", "2027-Q2")).text()
    dialog.type_into("Identity", "2027-Q2", "-3")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.grid_message.isVisible()
    assert doc.undo_stack.count() == steps  # nothing reached the workshop
    dialog.type_into("Identity", "2027-Q2", "14")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert doc.undo_stack.count() == steps + 1
    assert doc.undo_stack.undoText() == f"Capacity of Identity in 2027-Q2 {old} → 14 pw"
    assert window.last_message == doc.undo_stack.undoText()
    doc.undo_stack.undo()
    assert doc.workshop.current_scenario().capacity == before


@pytest.mark.slow
def test_cancel_and_an_unchanged_ok_push_nothing(window, qtbot):
    doc = window.document
    steps = doc.undo_stack.count()
    dialog = capacity_flow.edit_capacity(window)
    qtbot.addWidget(dialog)
    dialog.type_into("Identity", "2027-Q2", "1")
    dialog.reject()
    assert doc.undo_stack.count() == steps
    dialog = capacity_flow.edit_capacity(window)
    qtbot.addWidget(dialog)
    assert dialog.try_accept()
    assert doc.undo_stack.count() == steps and window.last_message == "Capacity unchanged."
