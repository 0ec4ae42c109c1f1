"""A whole rating round in the window: hidden entry, reveal, disagreement first, apply, undo; imports."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from PySide6.QtCore import Qt

from cutline.models.rating.round import RatingRound
from cutline.models.rating.summary import select_near_cut_line
from cutline.views.rating_grid_model import HIDDEN
from tests.gui.closing import close_discarding

PEOPLE = ("Ann", "Bo", "Cy")
#: Ratings typed per participant for 4 initiatives, dx then risk (the grid's order).
#: Initiative 0 on dx is the one disagreement: 2, 9, 4 (range 7).
TYPED = {
    "Ann": {"dx": ["2", "5", "6", "7"], "risk": ["3", "4", "5", "6"]},
    "Bo": {"dx": ["9", "5", "7", "7"], "risk": ["3", "5", "5", "6"]},
    "Cy": {"dx": ["4", "6", "6", "8"], "risk": ["4", "4", "6", "7"]},
}


@pytest.fixture(scope="module")
def shared_window(qapp, tmp_path_factory):
    """One window for the module (building one takes seconds); each test gets a fresh document."""
    from tests.gui.windows import scripted_window

    win = scripted_window(tmp_path_factory.mktemp("rating"))
    win.show()
    yield win
    close_discarding(win)
    with warnings.catch_warnings():  # disconnecting a signal nothing listens to only warns
        warnings.simplefilter("ignore")
        for signal in (win.document.undo_stack.cleanChanged, win.document.undo_stack.indexChanged):
            signal.disconnect()  # the window outlives this test's documents; they must not call it


@pytest.fixture
def window(shared_window):
    """The shared window over a fresh copy of the sample workshop, with no round in progress."""
    from cutline.app.document.workshop_document import WorkshopDocument

    sample = getattr(shared_window, "_sample_workshop", None) or shared_window.document.workshop
    shared_window._sample_workshop = sample
    shared_window.prompts.answers.clear()
    shared_window.set_document(WorkshopDocument(sample))
    return shared_window


def session_of(window):
    from cutline.app.features import rating as rating_flow

    return window.feature(rating_flow.RatingSession)


def type_ratings(qtbot, grid, person: str) -> None:
    """One participant types every rating with the keyboard: digits, Enter to accept and move down."""
    table = grid.table
    table.setFocus()
    for criterion in ("dx", "risk"):
        for text in TYPED[person][criterion]:
            qtbot.keyClicks(table, text)
            qtbot.keyClick(table, Qt.Key.Key_Return)


def start_round(qtbot, window, count: int = 4):
    """Workshop > Rate: suggest `count` initiatives near the cut line, name three participants, start."""
    window.actions["rate"].trigger()
    session = session_of(window)
    setup = session.setup
    assert session.pages.currentWidget() is setup
    setup.count.setValue(count)
    qtbot.mouseClick(setup.suggest, Qt.MouseButton.LeftButton)
    setup.participants.clear()  # the panel remembers the room from the previous round
    qtbot.keyClicks(setup.participants, "Ann, Bo, Cy")
    qtbot.mouseClick(setup.start, Qt.MouseButton.LeftButton)
    assert session.pages.currentWidget() is session.grid
    return session


@pytest.mark.slow
def test_setup_suggests_the_twelve_nearest_the_cut_line(window):
    window.actions["rate"].trigger()
    setup = session_of(window).setup
    ev = window.document.evaluation
    expected = [str(window.document.workshop.portfolio.ids[r])
                for r in select_near_cut_line(ev.ranking, ev.allocation, 12)]
    assert setup.chosen_ids() == expected
    assert setup.chosen_criteria() == ["dx", "risk"]
    setup.request_start()
    assert "two participants" in setup.problem.text()


@pytest.mark.slow
def test_a_whole_round_hidden_entry_reveal_apply_and_undo(qtbot, window):
    doc = window.document
    before = doc.evaluation
    before_portfolio = doc.workshop.portfolio
    session = start_round(qtbot, window)
    grid, ids = session.grid, session.round.initiatives

    type_ratings(qtbot, grid, "Ann")
    assert session.round.complete_for("Ann")
    assert [grid.model.cell_text(r, 1) for r in range(4)] == TYPED["Ann"]["risk"]  # Ann sees hers
    qtbot.keyClick(grid.table, Qt.Key.Key_Tab)  # hand over to Bo
    assert grid.current_participant() == "Bo"
    for criterion in ("dx", "risk"):
        grid.set_criterion(criterion)
        for row in range(4):
            index = grid.model.index(row, 1)  # Ann's column, seen by Bo
            shown = {grid.model.data(index, role) for role in (Qt.ItemDataRole.DisplayRole,
                                                               Qt.ItemDataRole.EditRole,
                                                               Qt.ItemDataRole.ToolTipRole)}
            assert grid.model.data(index) == HIDDEN
            assert not shown & set(TYPED["Ann"]["dx"] + TYPED["Ann"]["risk"])
            assert not grid.model.flags(index) & Qt.ItemFlag.ItemIsSelectable  # nor can Bo type there
    grid.set_criterion("dx")
    grid.table.setCurrentIndex(grid.model.index(0, grid.model.entry_column()))
    type_ratings(qtbot, grid, "Bo")
    qtbot.keyClick(grid.table, Qt.Key.Key_Tab)
    type_ratings(qtbot, grid, "Cy")
    assert session.round.is_complete() and not session.round.revealed

    qtbot.keyClick(grid.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # reveal
    reveal = session.reveal
    assert session.pages.currentWidget() is reveal
    model = reveal.model
    assert model.text(0, "Discuss?") == "discuss"
    assert model.pair_key(0) == (ids[0], "dx")
    assert [model.text(0, p) for p in PEOPLE] == ["2", "9", "4"]
    assert model.text(0, "Range") == "7"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole) is not None  # the icon
    assert all(model.text(r, "Discuss?") == "agrees" for r in range(1, model.rowCount()))

    reveal.table.setCurrentIndex(model.index(0, model.column_of("Agreed")))
    reveal.table.setFocus()
    qtbot.keyClicks(reveal.table, "6")  # typed after discussion
    qtbot.keyClick(reveal.table.focusWidget(), Qt.Key.Key_Return)  # the editor commits queued
    qtbot.waitUntil(lambda: model.text(0, "From") == "typed")
    assert model.text(0, "Agreed") == "6"
    assert reveal.table.currentIndex().row() == 1  # Enter moved down
    qtbot.mouseClick(reveal.apply_button, Qt.MouseButton.LeftButton)

    after = doc.evaluation
    row0 = doc.workshop.portfolio.row_of_id[ids[0]]
    assert doc.workshop.portfolio.value(row0, "dx") == 6.0
    row1 = doc.workshop.portfolio.row_of_id[ids[1]]
    assert doc.workshop.portfolio.value(row1, "risk") == pytest.approx(4.3)  # mean of 4, 5, 4
    assert not np.array_equal(after.ranking.score, before.ranking.score)
    assert doc.undo_stack.undoText() == "Agreed ratings for 4 initiatives (dx, risk)"
    stored = doc.workshop.rating_rounds[-1]
    assert stored["revealed"] and len(stored["ratings"]) == 24
    assert not reveal.apply_button.isEnabled()

    window.actions["undo"].trigger()
    undone = doc.evaluation
    assert doc.workshop.portfolio.equals(before_portfolio)
    assert doc.workshop.rating_rounds == ()
    assert np.array_equal(undone.ranking.order, before.ranking.order)
    assert np.array_equal(undone.ranking.score, before.ranking.score)
    assert np.array_equal(undone.allocation.funded, before.allocation.funded)
    assert reveal.apply_button.isEnabled()  # the room can apply again


@pytest.mark.slow
def test_confidence_follows_agreement_and_rows_can_be_left_out(qtbot, window):
    session = start_round(qtbot, window)
    for person in PEOPLE:
        session.grid.set_participant(person)
        session.grid.set_criterion("dx")
        session.grid.table.setCurrentIndex(session.grid.model.index(0, session.grid.model.entry_column()))
        type_ratings(qtbot, session.grid, person)
    session.reveal_round()
    reveal, model = session.reveal, session.reveal.model
    ids = session.round.initiatives
    reveal.table.setCurrentIndex(model.index(1, model.column_of("Std")))  # Space works on any cell
    qtbot.keyClick(reveal.table, Qt.Key.Key_Space)
    assert model.text(1, "From") == "median"
    qtbot.keyClick(reveal.table, Qt.Key.Key_Space)
    assert model.text(1, "From") == "left out"
    left_out = model.pair_key(1)
    assert left_out not in model.agreed()

    portfolio = window.document.workshop.portfolio
    row0 = portfolio.row_of_id[ids[0]]
    confidence = portfolio.value(row0, "confidence")
    old = portfolio.value(portfolio.row_of_id[left_out[0]], left_out[1])
    reveal.follow.setChecked(True)
    reveal.request_apply()
    after = window.document.workshop.portfolio
    assert after.value(row0, "confidence") == pytest.approx(max(confidence * 0.8, min(confidence, 0.1)))
    assert after.value(after.row_of_id[left_out[0]], left_out[1]) == old or np.isnan(old)
    assert "confidence lowered for 1" in window.document.undo_stack.undoText()


@pytest.mark.slow
def test_threshold_decides_what_is_discussed(qtbot, window):
    session = start_round(qtbot, window, count=2)
    entries = [(p, i, c, v) for p, v in zip(PEOPLE, (2, 9, 4))
               for i in session.round.initiatives for c in ("dx", "risk")]
    session.add_ratings(entries, "a test")
    session.reveal_round()
    model = session.reveal.model
    assert model.text(0, "Discuss?") == "discuss"
    session.reveal.threshold.setValue(7.0)  # a range of 7 is not above 7
    assert session.round.threshold == 7.0
    assert all(model.text(r, "Discuss?") == "agrees" for r in range(model.rowCount()))


@pytest.mark.slow
def test_revealing_early_asks_first(qtbot, window):
    session = start_round(qtbot, window, count=2)
    session.rate("Ann", session.round.initiatives[0], "dx", 5)
    window.prompts.script(False)
    session.reveal_round()
    assert session.pages.currentWidget() is session.grid and not session.round.revealed
    window.prompts.script(True)
    session.reveal_round()
    assert session.round.revealed and session.pages.currentWidget() is session.reveal


@pytest.mark.slow
def test_a_rating_out_of_range_is_refused_with_a_message(qtbot, window):
    session = start_round(qtbot, window, count=2)
    qtbot.keyClicks(session.grid.table, "11")
    qtbot.keyClick(session.grid.table, Qt.Key.Key_Return)
    assert "0 to 10" in session.grid.problem.text()
    assert not session.round.ratings


def write_ratings_sheet(path, ids, criterion_column: bool = True) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Portfolio"
    sheet = book.create_sheet("Ratings")
    sheet.append(["id", "title", *(["criterion"] if criterion_column else []), *PEOPLE])
    for i, ident in enumerate(ids):
        for criterion in (("dx", "risk") if criterion_column else ("dx",)):
            values = [2 + i, 9, 4] if criterion == "dx" else [5, 5, 6]
            sheet.append([ident, f"Initiative {ident}", *([criterion] if criterion_column else []), *values])
    book.save(path)


@pytest.mark.slow
def test_importing_a_filled_in_ratings_sheet(qtbot, window, tmp_path):
    session = start_round(qtbot, window, count=3)
    ids = session.round.initiatives
    path = tmp_path / "ratings.xlsx"
    write_ratings_sheet(path, ids)
    window.prompts.script(path)
    session.grid.import_button.click()                       # "Import filled-in ratings…"
    assert window.prompts.questions[-1] == "Import filled-in ratings"
    assert session.round.is_complete() and not session.round.revealed
    assert "Added 18 ratings from ratings.xlsx" in window.last_message
    grid = session.grid
    assert grid.current_participant() == "Ann"
    assert grid.model.data(grid.model.index(0, 2)) == HIDDEN  # Bo's rating, hidden from Ann
    session.reveal_round()
    model = session.reveal.model
    assert [model.pair_key(r) for r in range(3)] == [(i, "dx") for i in ids]  # all disagree: first
    assert model.text(0, "Range") == "7"


@pytest.mark.slow
def test_a_sheet_without_a_criterion_column_asks_which_criterion(qtbot, window, tmp_path):
    from cutline.app.features import rating as rating_flow

    session = start_round(qtbot, window, count=2)
    path = tmp_path / "dx only.xlsx"
    write_ratings_sheet(path, session.round.initiatives, criterion_column=False)
    window.prompts.script("dx")
    rating_flow.import_sheet(window, path)
    assert len(session.round.ratings) == 6
    assert {c for _, _, c in session.round.ratings} == {"dx"}


@pytest.mark.slow
def test_a_bad_sheet_imports_nothing_and_says_where(qtbot, window, tmp_path):
    from openpyxl import Workbook

    from cutline.app.features import rating as rating_flow

    session = start_round(qtbot, window, count=2)
    book = Workbook()
    sheet = book.active
    sheet.title = "Ratings"
    sheet.append(["id", "criterion", "Ann", "Bo"])
    sheet.append([session.round.initiatives[0], "dx", 7, 12])
    book.save(tmp_path / "bad.xlsx")
    rating_flow.import_sheet(window, tmp_path / "bad.xlsx")
    assert not session.round.ratings
    assert "row 2" in session.grid.problem.text() and "'Bo'" in session.grid.problem.text()


@pytest.mark.slow
def test_pasting_cells_uses_the_criterion_on_screen(qtbot, window):
    from cutline.app.features import rating as rating_flow

    session = start_round(qtbot, window, count=2)
    ids = session.round.initiatives
    text = "id\tAnn\tBo\tCy\n" + "\n".join(f"{i}\t6\t7\t6,5" for i in ids)
    session.grid.set_criterion("risk")
    rating_flow.paste(window, text, criterion=session.grid.model.criterion)
    assert session.round.ratings[("Cy", ids[1], "risk")] == 6.5
    assert len(session.round.ratings) == 6


@pytest.mark.slow
def test_a_round_survives_in_the_workshop_file(qtbot, window, tmp_path):
    from cutline.models.workshop.file import WorkshopFile

    doc = window.document
    doc.attach_file(WorkshopFile.create(tmp_path / "w.cutline", doc.workshop))
    session = start_round(qtbot, window, count=2)
    entries = [(p, i, c, v) for p, v in zip(PEOPLE, (6, 7, 8))
               for i in session.round.initiatives for c in ("dx", "risk")]
    session.add_ratings(entries, "a test")
    session.reveal_round()
    session.reveal.request_apply()
    doc.file.close()
    reopened = WorkshopFile.open(tmp_path / "w.cutline", read_only=True)
    try:
        stored = RatingRound.from_dict(reopened.workshop.rating_rounds[-1])
        assert stored.ratings == session.round.ratings
        assert reopened.journal()[-1].kind == "rating"
        assert reopened.journal()[-1].summary == "Agreed ratings for 2 initiatives (dx, risk)"
    finally:
        reopened.close()


@pytest.mark.slow
def test_one_participant_rates_every_criterion_and_can_clear(qtbot, window):
    from cutline.views.rating_grid_model import BY_PARTICIPANT

    session = start_round(qtbot, window, count=2)
    grid = session.grid
    grid.set_mode(BY_PARTICIPANT)
    assert grid.model.columns() == ("dx", "risk")
    table = grid.table
    for text in ("7", "8"):            # dx down the column
        qtbot.keyClicks(table, text)
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert table.currentIndex().column() == grid.model.entry_column("risk")  # wrapped to risk
    qtbot.keyClicks(table, "3")
    qtbot.keyClick(table, Qt.Key.Key_Right)  # an arrow accepts too
    ids = session.round.initiatives
    assert session.round.visible_to("Ann") == {("Ann", ids[0], "dx"): 7.0, ("Ann", ids[1], "dx"): 8.0,
                                               ("Ann", ids[0], "risk"): 3.0}
    qtbot.keyClick(table, Qt.Key.Key_Left)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert ("Ann", ids[0], "dx") not in session.round.ratings
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert grid.current_participant() == "Bo"
    assert all(grid.model.cell_text(r, c) == "" for r in range(2) for c in (1, 2))  # Bo sees only his


@pytest.mark.slow
def test_a_round_in_progress_survives_closing_the_workshop_and_is_forgotten_once_applied(
        qtbot, window, tmp_path):
    from cutline.app.lifecycle.document_factory import document_for
    from cutline.app.lifecycle.loading import load_path
    from cutline.models.workshop.file import WorkshopFile

    path = tmp_path / "room.cutline"
    WorkshopFile.create(path, window.document.workshop).close()
    window.set_document(document_for(load_path(path), keep_file=True))
    session = start_round(qtbot, window)
    type_ratings(qtbot, session.grid, "Ann")
    typed = session.round
    assert window.document.undo_stack.count() == 0  # ratings are not workshop changes

    window.document.file.close()  # the window goes away (or the machine does) before any apply
    window.set_document(document_for(load_path(path), keep_file=True))
    session = session_of(window)
    assert session.round == typed and session.pages.currentWidget() is session.grid
    assert "rating round in progress was kept: 8 ratings from Ann, Bo, Cy" in window.last_message

    qtbot.keyClick(session.grid.table, Qt.Key.Key_Tab)
    type_ratings(qtbot, session.grid, "Bo")
    session.reveal_round(ask=False)
    agreed = {(ident, criterion): 5.0 for ident in session.round.initiatives for criterion in session.round.criteria}
    session.apply(agreed, follow_agreement=False)
    assert window.document.round_in_progress() is None
    assert len(window.document.workshop.rating_rounds) == 1


@pytest.mark.slow
def test_redoing_an_applied_round_applies_it_again_and_it_is_no_longer_in_progress(qtbot, window, tmp_path):
    from cutline.app.lifecycle.document_factory import document_for
    from cutline.app.lifecycle.loading import load_path
    from cutline.models.workshop.file import WorkshopFile

    path = tmp_path / "room.cutline"
    WorkshopFile.create(path, window.document.workshop).close()
    window.set_document(document_for(load_path(path), keep_file=True))
    session = start_round(qtbot, window)
    type_ratings(qtbot, session.grid, "Ann")
    session.reveal_round(ask=False)
    doc = window.document
    session.apply({(i, c): 5.0 for i in session.round.initiatives for c in session.round.criteria}, False)
    assert doc.round_in_progress() is None
    doc.undo_stack.undo()
    assert doc.round_in_progress() is not None and session.applied_at < 0  # in progress again
    doc.undo_stack.redo()
    assert doc.round_in_progress() is None and session.applied_at >= 0


@pytest.mark.slow
def test_a_kept_round_that_cannot_be_shown_is_set_aside_with_a_message(window, tmp_path):
    from cutline.app.lifecycle.document_factory import document_for
    from cutline.app.lifecycle.loading import load_path
    from cutline.models.workshop.file import WorkshopFile

    path = tmp_path / "odd.cutline"
    file = WorkshopFile.create(path, window.document.workshop)
    file.keep_round_in_progress({"id": "x", "criteria": ["dx"], "initiatives": ["PLT-101"],
                                 "participants": [], "ratings": []})
    file.close()
    window.set_document(document_for(load_path(path), keep_file=True))
    assert session_of(window).round is None
    assert "could not be read" in window.last_message


@pytest.mark.slow
def test_save_as_carries_the_round_in_progress_to_the_new_file(qtbot, window, tmp_path):
    from cutline.app.lifecycle import saving

    session = start_round(qtbot, window)  # the fixture's document has no file: nothing kept yet
    type_ratings(qtbot, session.grid, "Ann")
    assert window.document.round_in_progress() is None
    saving.save_to(window, tmp_path / "saved.cutline")
    assert window.document.round_in_progress() == session.round.to_dict()
