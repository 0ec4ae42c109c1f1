"""The import dialog: a file with odd headers is remapped by the user, fixed in the preview, accepted."""

import csv

from app import import_flow


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
    dialog = window.import_dialog
    assert dialog.mapping_fields()["Owning Team"] == "team"
    assert dialog.mapping_fields()["Flavour"] is None          # unknown header: an extra column
    assert window.document.workshop is before                   # nothing changes before accepting
    assert session.report.has_errors                            # "twelve" is not a number
    assert "row 3" in dialog.report.item(0).text() and "Risk" in dialog.report.item(0).text()

    dialog.set_field("Flavour", "category")                     # the remap
    assert session.fields["Flavour"] == "category"
    assert len(session.portfolio) == 2                          # the bad row is left out so far
    risk_col = [dialog.preview.horizontalHeaderItem(c).text() for c in range(dialog.preview.columnCount())].index("Risk")
    dialog.preview.item(1, risk_col).setText("7")               # fix the cell in the preview
    assert not session.report.has_errors and len(session.portfolio) == 3

    qtbot.mouseClick(dialog.accept_button, qtbot.button_enum.LeftButton) if hasattr(qtbot, "button_enum") \
        else dialog.accept_button.click()
    portfolio = window.document.workshop.portfolio
    assert len(portfolio) == 3
    assert list(portfolio.text("category")) == ["security", "developer-experience", "reliability"]
    assert portfolio.numeric("risk")[1] == 7
    assert window.document.evaluation is not None and len(window.document.evaluation.ranking) == 3
    window.document.undo_stack.undo()                           # the import is one undoable step
    assert window.document.workshop is before


def test_unreadable_file_leaves_the_workshop(window, tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    before = window.document.workshop
    import_flow.start(window, bad, background=False)
    assert window.document.workshop is before
    assert window.last_message
