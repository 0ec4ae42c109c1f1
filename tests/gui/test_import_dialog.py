"""The import dialog: a file with odd headers is remapped by the user, fixed in the preview, accepted."""

import csv

import pytest

from cutline.app.features import import_spreadsheet as import_flow
from cutline.app.features.capacity_proposal import CapacityProposalFeature
from cutline.app.features.import_spreadsheet import ImportFeature

# Left out of the fast lane (pytest -m "not slow"): its tests drive real windows and dialogs.
pytestmark = pytest.mark.slow


def _write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


def test_remap_fix_and_accept(window, qtbot, tmp_path):
    path = tmp_path / "jira.csv"
    _write(path, [
        ["Key", "Summary", "Owning Team", "Effort (person-weeks)", "Flavour", "Risk"],
        ["A-1", "Rotate keys", "Identity", "4", "security", "3"],
        ["A-2", "Faster builds", "Build", "6", "developer-experience", "twelve"],
        ["A-3", "Tracing", "Observability", "5", "reliability", "2"],
    ])
    before = window.document.workshop
    session = import_flow.start(window, path, background=False)
    dialog = window.feature(ImportFeature).dialog
    assert dialog.mapping_fields()["Owning Team"] == "team"
    assert dialog.mapping_fields()["Flavour"] is None          # unknown header: an extra column
    assert window.document.workshop is before                   # nothing changes before accepting
    assert session.report.issues                                # "twelve" is not a number: said,
    assert "row 3" in dialog.report.item(0).text() and "Risk" in dialog.report.item(0).text()
    assert len(session.portfolio) == 3                          # and the cell is left blank

    dialog.set_field("Flavour", "category")                     # the remap
    assert session.fields["Flavour"] == "category"
    risk_col = [dialog.preview.horizontalHeaderItem(c).text() for c in range(dialog.preview.columnCount())].index("Risk")
    dialog.preview.item(1, risk_col).setText("7")               # fix the cell in the preview
    assert not session.report.issues and len(session.portfolio) == 3

    old_doc = window.document
    qtbot.mouseClick(dialog.accept_button, qtbot.button_enum.LeftButton) if hasattr(qtbot, "button_enum") \
        else dialog.accept_button.click()
    doc = window.document
    assert doc is not old_doc                                   # a spreadsheet opens as a new workshop
    portfolio = doc.workshop.portfolio
    assert len(portfolio) == 3
    assert list(portfolio.text("category")) == ["security", "developer-experience", "reliability"]
    assert portfolio.numeric("risk")[1] == 7
    assert doc.evaluation is not None and len(doc.evaluation.ranking) == 3
    assert [s.name for s in doc.workshop.scenarios] == ["Default"]
    assert "jira (untitled workshop)" in window.windowTitle()
    window.feature(CapacityProposalFeature).dialog.reject()                           # no Capacity sheet: capacity is proposed
    assert not doc.undo_stack.count()


def test_replace_mode_is_one_undoable_step(window, tmp_path):
    from cutline.app.window import handlers as file_actions

    path = tmp_path / "update.csv"
    ids = window.document.workshop.portfolio.ids.tolist()
    _write(path, [["id", "title", "team", "effort"]] + [[i, f"Item {i}", "Identity", "3"] for i in ids[:5]])
    before = window.document.workshop
    file_actions.replace_initiatives_from(window, path, background=False)
    window.feature(ImportFeature).dialog.accept_button.click()
    assert window.document.workshop.portfolio.ids.tolist() == ids[:5]
    assert len(window.document.workshop.scenarios) == len(before.scenarios)   # the scenarios stay
    window.document.undo_stack.undo()
    assert window.document.workshop is before


def test_unreadable_file_leaves_the_workshop(window, tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    before = window.document.workshop
    import_flow.start(window, bad, background=False)
    assert window.document.workshop is before
    assert window.last_message
