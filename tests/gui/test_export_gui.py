"""File > Export from the window: scenarios chosen in the dialog, written in the background."""

import pytest
from openpyxl import load_workbook

from cutline.app.features.export import ExportFeature

# Left out of the fast lane (pytest -m "not slow"): its tests drive real windows and dialogs.
pytestmark = pytest.mark.slow



def test_export_dialog_writes_the_chosen_scenarios(window, qtbot, tmp_path):
    from cutline.app.features import export as export_flow
    from cutline.views.export_dialog import ExportDialog

    doc = window.document
    names = [s.name for s in doc.workshop.scenarios]
    dialog = ExportDialog(names, doc.workshop.current, tmp_path / "Roadmap.xlsx", False, window)
    dialog.scenario_list.item(2).setCheckState(dialog.scenario_list.item(2).checkState().Unchecked)
    assert dialog.chosen == [names[0], names[1]]
    export_flow.export_roadmap(window, dialog_result=(dialog.chosen, dialog.path, True))
    qtbot.waitUntil(lambda: window.feature(ExportFeature).last_path == dialog.path, timeout=60_000)
    book = load_workbook(dialog.path)
    assert {"Roadmap", "Model", "Capacity", "Scenarios", "Decisions"} <= set(book.sheetnames)
    assert window.settings.get("export/live_formulas") is True
    # Side by side are the two scenarios chosen, not the one unchecked.
    rows = [[c.value for c in row] for row in book["Scenarios"].iter_rows()]
    header = next(r for r in rows if r[0] == "ID")
    compared = [h.removesuffix(": rank") for h in header if isinstance(h, str) and h.endswith(": rank")]
    assert compared == [names[0], names[1]]


def test_csv_export(window, qtbot, tmp_path):
    from cutline.app.features import export as export_flow

    path = tmp_path / "ranked.csv"
    export_flow.export_csv(window, path=path)
    qtbot.waitUntil(lambda: window.feature(ExportFeature).last_path == path, timeout=30_000)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_to_an_unwritable_folder_tells_and_keeps_the_workshop(window, qtbot, tmp_path):
    from cutline.app.features import export as export_flow

    before = window.document.workshop
    target = tmp_path / "missing" / "folder" / "x.xlsx"
    export_flow.export_roadmap(window, dialog_result=([before.current], target, False))
    qtbot.waitUntil(lambda: "x.xlsx" in (window.last_message or "") or "folder" in (window.last_message or ""),
                    timeout=30_000)
    assert window.document.workshop is before
    assert not target.exists()
