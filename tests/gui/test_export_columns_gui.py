"""File > Export: the Ranked list's columns picked in the dialog, remembered per workshop, and
the sensitivity result of the current scenario written beside them."""

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from cutline.app.features.export import ExportFeature
from cutline.app.features.sensitivity import SensitivityFeature
from cutline.models.export.columns import DEFAULT_KEYS, SENSITIVITY_KEYS

# Left out of the fast lane (pytest -m "not slow"): its tests drive real windows and dialogs.
pytestmark = pytest.mark.slow

HEADER_ROW = 4


def shown_headers(path) -> list[str]:
    ws = load_workbook(path)["Ranked list"]
    return [c.value for c in ws[HEADER_ROW] if not ws.column_dimensions[c.column_letter].hidden]


def export(window, qtbot, result):
    from cutline.app.features import export as export_flow

    export_flow.export_roadmap(window, dialog_result=result)
    qtbot.waitUntil(lambda: window.feature(ExportFeature).last_path == result[1], timeout=60_000)


def make_dialog(window, tmp_path):
    from cutline.app.features import export as export_flow
    from cutline.views.export_dialog import ExportDialog

    doc = window.document
    sensitivity = export_flow.current_sensitivity(window)
    return ExportDialog([s.name for s in doc.workshop.scenarios], doc.workshop.current, tmp_path / "r.xlsx",
                        False, window, columns=export_flow.column_choices(window, sensitivity),
                        default_columns=list(DEFAULT_KEYS))


def test_the_dialog_ticks_the_default_columns_and_hands_back_the_ticked_ones(window, qtbot, tmp_path):
    dialog = make_dialog(window, tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.columns == list(DEFAULT_KEYS)
    items = {dialog.column_list.item(i).data(Qt.ItemDataRole.UserRole): dialog.column_list.item(i)
             for i in range(dialog.column_list.count())}
    items["team"].setCheckState(Qt.CheckState.Unchecked)
    items["reach"].setCheckState(Qt.CheckState.Checked)
    assert "team" not in dialog.columns and dialog.columns[-1] == "reach"
    dialog.use_all_columns()
    assert len(dialog.columns) == dialog.column_list.count()
    dialog.use_default_columns()
    assert dialog.columns == list(DEFAULT_KEYS)
    for i in range(dialog.column_list.count()):
        dialog.column_list.item(i).setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.export_button.isEnabled()  # nothing to show: nothing to export


def test_the_chosen_columns_are_shown_and_remembered_for_the_workshop(window, qtbot, tmp_path):
    path = tmp_path / "picked.xlsx"
    names = [window.document.workshop.current]
    export(window, qtbot, (names, path, False, ["rank", "id", "title", "score", "reach"]))
    assert shown_headers(path) == ["Rank", "ID", "Title", "Score", "Reach"]
    dialog = make_dialog(window, tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.columns == ["rank", "id", "title", "score", "reach"]  # the last choice, in its order
    again = tmp_path / "again.xlsx"
    export(window, qtbot, (names, again, False))  # no choice given: the remembered one
    assert shown_headers(again) == ["Rank", "ID", "Title", "Score", "Reach"]


def test_the_sensitivity_of_the_current_scenario_is_exported(window, qtbot, tmp_path):
    from cutline.app.features import export as export_flow
    from cutline.app.features import sensitivity as sensitivity_flow

    sensitivity_flow.run(window, background=False, draws=40)
    assert export_flow.current_sensitivity(window) is window.feature(SensitivityFeature).result
    path = tmp_path / "sure.xlsx"
    export(window, qtbot, ([window.document.workshop.current], path, False))
    headers = shown_headers(path)
    assert headers[:len(DEFAULT_KEYS)][0] == "Rank"
    assert headers[-len(SENSITIVITY_KEYS):] == ["Funded in draws", "Rank p5", "Rank p95"]
    ws = load_workbook(path)["Ranked list"]
    shares = [ws.cell(r, len(headers) - 2).value for r in range(HEADER_ROW + 1, ws.max_row + 1)]
    assert all(0 <= s <= 1 for s in shares) and max(shares) == 1


def test_a_sensitivity_of_another_scenario_is_left_out(window, qtbot, tmp_path):
    from cutline.app.features import export as export_flow
    from cutline.app.features import sensitivity as sensitivity_flow

    sensitivity_flow.run(window, background=False, draws=40)
    doc = window.document
    other = next(s.name for s in doc.workshop.scenarios if s.name != doc.workshop.current)
    doc.change(doc.workshop.switching_to(other), f"Switched to scenario {other}", kind="scenario")
    doc.wait_idle()
    assert export_flow.current_sensitivity(window) is None
    path = tmp_path / "other.xlsx"
    export(window, qtbot, ([doc.workshop.current], path, False))
    assert "Funded in draws" not in shown_headers(path)
