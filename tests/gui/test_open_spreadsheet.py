"""A spreadsheet opens as a new workshop; capacity comes from its sheet or a proposal; replacing
the initiatives of a workshop drops pins to initiatives that are gone, with a message."""

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cutline.app.document import intents
from cutline.app.features import import_spreadsheet as import_flow
from cutline.app.features.capacity_proposal import CapacityProposalFeature
from cutline.app.features.import_spreadsheet import ImportFeature
from cutline.app.lifecycle import document_factory, saving
from cutline.app.lifecycle.loading import sample_path
from cutline.app.window import handlers as file_actions
from cutline.models.workshop.file import WorkshopFile
from tests.gui.closing import close_discarding

# Left out of the fast lane (pytest -m "not slow"): its tests drive real windows and dialogs.
pytestmark = pytest.mark.slow

HEADERS = ["id", "title", "team", "category", "effort", "reliability", "quarter"]
ROWS = [
    ["N-1", "Rotate keys", "Alpha", "security", 6, 8, "2027-Q2"],
    ["N-2", "Faster builds", "Alpha", "developer-experience", 4, 3, ""],
    ["N-3", "Tracing", "Beta", "reliability", 10, 9, "2027-Q3"],
]


def _xlsx(path: Path, rows=ROWS, headers=HEADERS) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Initiatives"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _accept_import(window, qtbot, path: Path) -> None:
    """Open `path` the way File > Open, a recent file or a drop does, and accept the dialog."""
    imports = window.feature(ImportFeature)
    before = imports.session
    file_actions.open_path(window, path)
    qtbot.waitUntil(lambda: imports.session is not before and imports.dialog is not None, timeout=20_000)
    window.feature(ImportFeature).dialog.accept_button.click()


def test_opening_a_spreadsheet_while_a_workshop_is_open_starts_a_new_one(window, qtbot, tmp_path):
    planning = tmp_path / "Planning.cutline"
    saving.save_to(window, planning)                      # a titled workshop with scenarios
    old = window.document
    assert len(old.workshop.scenarios) == 3
    intents.set_weight(old, "dx", 5)
    kept = old.workshop

    _accept_import(window, qtbot, _xlsx(tmp_path / "Q3 export.xlsx"))
    doc = window.document
    assert doc is not old
    assert [s.name for s in doc.workshop.scenarios] == ["Default"]
    assert doc.workshop.portfolio.ids.tolist() == ["N-1", "N-2", "N-3"]
    assert doc.untitled and Path(doc.file.path).parent == document_factory.untitled_folder()
    assert Path(doc.file.path).name.startswith("Q3 export ")
    assert "Q3 export (untitled workshop)" in window.windowTitle()
    assert not len(doc.workshop.current_scenario().capacity.table)   # none yet: proposed
    assert "nothing can be funded until capacity is set" in window.status.summary.text()

    window.feature(CapacityProposalFeature).dialog.ok_button.click()                  # the proposal, as it is
    assert doc.workshop.current_scenario().capacity.teams == ("Alpha", "Beta")
    assert doc.undo_stack.count() == 1

    reopened = WorkshopFile.open(planning, read_only=True)      # the old workshop, as it was left
    try:
        assert reopened.workshop.equals(kept)
        assert len(reopened.workshop.scenarios) == 3
    finally:
        reopened.close()
    close_discarding(window)


def test_a_capacity_sheet_is_used_and_nothing_is_proposed(window, tmp_path):
    window.feature(CapacityProposalFeature).dialog = None
    import_flow.start(window, sample_path(), background=False)
    window.feature(ImportFeature).dialog.accept_button.click()
    doc = window.document
    capacity = doc.workshop.current_scenario().capacity
    assert len(capacity.teams) == 8 and len(doc.workshop.scenarios) == 1
    assert window.feature(CapacityProposalFeature).dialog is None
    assert "Capacity sheet" in window.last_message
    assert "sample_portfolio (untitled workshop)" in window.windowTitle()
    assert int(doc.evaluation.allocation.funded.sum()) > 0


def test_capacity_proposal_prefills_edits_and_is_one_undo_step(window, tmp_path):
    import_flow.start(window, _xlsx(tmp_path / "plan.xlsx"), background=False)
    window.feature(ImportFeature).dialog.accept_button.click()
    doc = window.document
    dialog = window.feature(CapacityProposalFeature).dialog
    # The file's target quarters run 2027-Q2..Q3: four quarters from the first.
    assert dialog.quarters == ("2027-Q2", "2027-Q3", "2027-Q4", "2028-Q1")
    # Each team's asked effort spread over the quarters (10 pw each: 3 a quarter), but at least
    # its largest initiative, which is funded whole: Alpha 6 (N-1), Beta 10 (N-3).
    assert dialog.figures() == {"Alpha": 6.0, "Beta": 10.0}
    assert "16 person-weeks per quarter" in dialog.total.text()

    dialog.set_figure("Alpha", 7.5)                             # edit one team
    dialog.flat.setValue(4)
    dialog.flat_button.click()                                  # then every team at once
    dialog.set_figure("Beta", 12)
    assert dialog.figures() == {"Alpha": 4.0, "Beta": 12.0}
    dialog.ok_button.click()

    capacity = doc.workshop.current_scenario().capacity
    assert capacity.quarters == dialog.quarters
    cells = {(t, q): c for t, q, c in capacity.table.itertuples(index=False)}
    assert cells[("Alpha", "2027-Q4")] == 4.0 and cells[("Beta", "2028-Q1")] == 12.0
    assert doc.undo_stack.count() == 1 and "Capacity set for 2 teams" in doc.undo_stack.undoText()
    assert int(doc.evaluation.allocation.funded.sum()) == 3        # N-1 (6 pw) runs over two Alpha quarters
    assert doc.evaluation.allocation.span_length.max() == 2
    assert "nothing can be funded" not in window.status.summary.text()

    doc.undo_stack.undo()                                       # back to no capacity at all
    assert not len(doc.workshop.current_scenario().capacity.table)
    assert int(doc.evaluation.allocation.funded.sum()) == 0
    assert "nothing can be funded until capacity is set" in window.status.summary.text()
    doc.undo_stack.redo()
    assert doc.workshop.current_scenario().capacity == capacity
    close_discarding(window)


def test_cancelling_the_proposal_leaves_capacity_empty_and_says_so(window, tmp_path):
    import_flow.start(window, _xlsx(tmp_path / "plan.xlsx"), background=False)
    window.feature(ImportFeature).dialog.accept_button.click()
    window.feature(CapacityProposalFeature).dialog.cancel_button.click()
    doc = window.document
    assert not len(doc.workshop.current_scenario().capacity.table)
    assert not doc.undo_stack.count()
    assert "Nothing can be funded until capacity is set" in window.last_message


def test_replace_initiatives_drops_pins_to_vanished_ones_with_a_message(window, tmp_path):
    doc = window.document
    ids = doc.workshop.portfolio.ids.tolist()
    titles = doc.workshop.portfolio.text("title").tolist()
    intents.set_pin(doc, ids[0], True)                          # pins to initiatives that will go
    intents.set_pin(doc, ids[1], False)
    intents.set_pin(doc, ids[-1], True)                         # and one that stays
    other = next(s.name for s in doc.workshop.scenarios if s.name != doc.workshop.current)
    intents.switch_scenario(doc, other)
    intents.set_pin(doc, ids[2], True)
    scenarios = [s.name for s in doc.workshop.scenarios]

    frame = pd.read_excel(sample_path(), sheet_name="Initiatives", engine="calamine")
    gone = ids[:12]
    update = tmp_path / "update.xlsx"
    with pd.ExcelWriter(update) as writer:
        frame[~frame["id"].isin(gone)].to_excel(writer, sheet_name="Initiatives", index=False)
    steps = doc.undo_stack.count()

    file_actions.replace_initiatives_from(window, update, background=False)
    window.feature(ImportFeature).dialog.accept_button.click()
    assert window.document is doc                               # the same workshop
    assert [s.name for s in doc.workshop.scenarios] == scenarios
    assert len(doc.workshop.portfolio) == len(ids) - 12
    message = window.last_message
    assert "12 initiatives are no longer there" in message
    for ident, title in zip(ids[:10], titles[:10]):
        assert f"{ident} {title}" in message
    assert ids[10] not in message and "and 2 more" in message
    assert f"pin of {ids[0]}" in message and f"pin of {ids[2]}" in message
    for name in scenarios:                                      # every scenario still evaluates
        doc.evaluate_scenario(name)
        assert all(i not in gone for i in doc.workshop.scenario(name).overrides.pinned())
    assert doc.workshop.scenario(scenarios[0]).overrides.pinned() == {ids[-1]: True}
    assert doc.undo_stack.count() == steps + 1                  # one undoable step

    doc.undo_stack.undo()
    assert len(doc.workshop.portfolio) == len(ids)
    assert doc.workshop.scenario(scenarios[0]).overrides.pinned()[ids[0]] is True


def test_replace_initiatives_is_an_action_for_writable_workshops(window):
    from cutline.app.window import actions

    spec = next(s for s in actions.SPECS if s.name == "replace_initiatives")
    assert spec.menu in ("File", "Workshop") and spec.when == "writable"
    assert window.actions["replace_initiatives"].isEnabled()
