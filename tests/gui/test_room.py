"""The room in the window, without a browser: read-only refusal, Save As, a crash, idle, presentation."""

from __future__ import annotations

import pytest

from cutline.app.document.workshop_document import WorkshopDocument
from cutline.app.lifecycle.document_factory import document_for
from cutline.app.lifecycle.loading import load_path
from cutline.models.rating.round import RatingRound
from cutline.models.workshop.file import WorkshopFile
from tests.app.room_client import RoomClient
from tests.gui import room_fixtures
from tests.gui.closing import close_discarding
from tests.gui.room_fixtures import flow_of, ids_near_cut_line, open_room

# Left out of the fast lane (pytest -m "not slow"): its tests drive real windows and dialogs.
pytestmark = pytest.mark.slow

room_window, window = room_fixtures.room_window, room_fixtures.window  # the fixtures, for this module


def _client(flow, name: str, role: str = "Engineer") -> RoomClient:
    client = RoomClient(flow.server.port, flow.room.code)
    client.join(name, role)
    return client


def _never_asked(round_):
    raise AssertionError("the dialog is not shown for a workshop that cannot be written")


def test_a_workshop_that_cannot_be_written_is_not_opened_to_the_room(qtbot, window):
    sample = window.document.workshop
    window.set_document(WorkshopDocument(sample))  # no file: nothing could keep the ratings
    flow = flow_of(window)
    flow.ask_options = _never_asked
    flow.open(RatingRound.start(["dx"], ids_near_cut_line(window, 2), []))
    assert flow.server is None and "read-only" in flow.session.setup.problem.text()


def test_ratings_kept_as_they_arrive_survive_a_crash_of_the_laptop(qtbot, window):
    ids = ids_near_cut_line(window, 2)
    flow = open_room(window, ids)
    path = window.document.file.path
    ann = _client(flow, "Ann")
    assert ann.rate((ids[0], "dx", 6), (ids[1], "effort", 3)) == (200, {"saved": 2})
    # the laptop dies here: the window never closes the round nor writes it whole
    flow.shutdown("")
    window.document.file.close()
    window.set_document(document_for(load_path(path), keep_file=True))
    session = flow_of(window).session
    assert session.round is not None and session.round.participants == ("Ann",)
    assert dict(session.round.ratings) == {("Ann", ids[0], "dx"): 6.0, ("Ann", ids[1], "effort"): 3.0}
    assert "rating round in progress was kept: 2 ratings from Ann" in window.last_message


def test_save_as_while_the_room_is_open_keeps_every_rating_in_the_new_file(qtbot, window, tmp_path):
    from cutline.app.lifecycle import saving

    ids = ids_near_cut_line(window, 2)
    flow = open_room(window, ids)
    ann = _client(flow, "Ann")
    assert ann.rate((ids[0], "dx", 4))[0] == 200
    saving.save_to(window, tmp_path / "renamed.cutline")
    assert ann.rate((ids[1], "dx", 8))[0] == 200  # written to the new file now
    kept = RatingRound.from_dict(window.document.round_in_progress())
    assert dict(kept.ratings) == {("Ann", ids[0], "dx"): 4.0, ("Ann", ids[1], "dx"): 8.0}
    flow.close_round()
    assert flow.session.round.revealed


def test_removing_a_participant_drops_their_ratings_from_the_file_and_the_reveal(qtbot, window):
    ids = ids_near_cut_line(window, 2)
    flow = open_room(window, ids)
    ann, bo = _client(flow, "Ann"), _client(flow, "Bo", "Product")
    ann.rate((ids[0], "dx", 5))
    bo.rate((ids[0], "dx", 10))
    qtbot.waitUntil(lambda: flow.join.people.rowCount() == 2, timeout=3000)
    flow.join.people.selectRow(1)
    flow.join.remove.click()
    assert flow.room.participants == ("Ann",)
    assert "Bo" not in str(window.document.round_in_progress())
    flow.close_round()
    assert dict(flow.session.round.ratings) == {("Ann", ids[0], "dx"): 5.0}


def test_an_idle_room_closes_and_the_round_stays_on_the_laptop(qtbot, window):
    ids = ids_near_cut_line(window, 2)
    flow = open_room(window, ids)
    _client(flow, "Ann").rate((ids[0], "dx", 5))
    flow.room.idle_seconds = 0
    flow._check_idle()
    assert flow.server is None and flow.room is None
    session = flow.session
    assert session.pages.currentWidget() is session.grid and not session.round.revealed
    assert "without activity" in window.last_message


def test_the_code_stays_on_screen_while_presenting(qtbot, window):
    from cutline.app.features import presentation

    flow = open_room(window, ids_near_cut_line(window, 2))
    presenter = window.feature(presentation.Presenter)
    presenter.enter()
    try:
        assert flow.overlay.badge.isVisible()
        assert flow.overlay.badge.qr.text == flow.join.qr.text
    finally:
        presenter.leave()
    assert not flow.overlay.badge.isVisible()
    flow.close_round()
    assert not flow.overlay.badge.isVisible()


def test_the_join_screenshot_shows_a_made_up_room_and_keeps_nothing(qtbot, window):
    from cutline.app.staging import room_demo

    flow = flow_of(window)
    room_demo.show_join(flow)
    assert flow.join.people.rowCount() == len(room_demo.PEOPLE) and flow.server is None
    kept = WorkshopFile.open(window.document.file.path, read_only=True)
    try:
        assert kept.round_in_progress() is None
    finally:
        kept.close()
    flow.shutdown("")


def test_a_budget_vote_kept_in_the_file_comes_back_and_undo_lets_it_be_used_again(qtbot, window):
    ids = ids_near_cut_line(window, 4)
    flow = open_room(window, ids, kind="budget", budget=100)
    dee = RoomClient(flow.server.port, flow.room.code)
    dee.join("Dee")
    on_sale = list(flow.room.vote.prices)[:1]
    assert dee.api("buy", {"ids": on_sale}) == (200, {"saved": 1})
    path = window.document.file.path
    flow.shutdown("")  # the laptop dies before the vote is closed
    window.document.file.close()
    window.set_document(document_for(load_path(path), keep_file=True))
    flow = flow_of(window)
    assert flow.votes.vote is not None and flow.votes.vote.purchases == {"Dee": tuple(on_sale)}
    assert "budget vote in progress was kept (1 participant)" in window.last_message
    flow.session.open()
    assert flow.session.pages.currentWidget() is flow.votes.view
    flow.votes.use()
    doc = window.document
    assert doc.room_file().budget_vote_in_progress() is None
    doc.undo_stack.undo()
    assert flow.votes.view.use.isEnabled() and doc.room_file().budget_vote_in_progress() is not None
    doc.undo_stack.redo()
    assert not flow.votes.view.use.isEnabled()
    window.prompts.script(True)
    flow.votes.restart()
    assert flow.votes.vote is None and flow.session.pages.currentWidget() is flow.session.setup


def test_the_models_words_for_a_criterion_are_offered_on_the_page(qtbot, window):
    from dataclasses import replace

    doc = window.document
    scenario = doc.workshop.current_scenario()
    model = replace(scenario.model, value_maps={"risk": {"Low": 2, "High": 8, "Off the scale": 12}})
    doc.change(doc.workshop.with_scenario(replace(scenario, model=model)), "Words for risk", kind="model")
    flow = open_room(window, ids_near_cut_line(window, 2), criteria=("risk", "confidence"), roles=())
    status, page = _client(flow, "Ann", None).api("me")
    scales = {s["criterion"]: s for s in page["criteria"]}
    assert scales["risk"]["words"] == [["Low", 2.0], ["High", 8.0]]  # 12 is outside 0 to 10
    assert scales["confidence"]["high"] == 1.0 and scales["confidence"]["words"] == []
    flow.close_round()


def test_the_setup_opens_a_room_with_no_names_and_the_dialog_hands_back_its_choices(qtbot, window):
    from cutline.models.room.state import BUDGET as BUDGET_KIND
    from cutline.models.room.state import Role
    from cutline.views.room_dialog import RoomDialog

    dialog = RoomDialog([("This computer only (127.0.0.1)", "127.0.0.1"), ("Wi-Fi (192.0.2.7)", "192.0.2.7")],
                        ("dx", "effort"), budget=20, on_sale=4)
    qtbot.addWidget(dialog)
    options = dialog.options()
    assert options.host == "127.0.0.1" and options.roles == () and options.idle_minutes == 30
    dialog.limit_roles.setChecked(True)
    dialog.role_names[1].setText("  Product   team ")
    assert dialog.options().roles == (Role("Engineer", ("dx", "effort")), Role("Product team", ("dx",)))
    dialog.budget_kind.setChecked(True)
    assert dialog.options().kind == BUDGET_KIND and dialog.options().roles == () and dialog.options().budget == 20

    flow = flow_of(window)
    asked = []
    flow.ask_options = lambda round_: asked.append(round_)  # the host cancels the dialog
    setup = flow.session.setup
    flow.session.open()
    setup.participants.setText("")
    setup.open_room.click()
    assert len(asked) == 1 and asked[0].participants == () and asked[0].initiatives
    assert flow.server is None


def test_a_room_round_nobody_joined_is_dropped_when_the_workshop_opens_again(qtbot, window):
    flow = open_room(window, ids_near_cut_line(window, 2))
    path = window.document.file.path
    flow.shutdown("")
    window.document.file.close()
    window.set_document(document_for(load_path(path), keep_file=True))
    assert flow_of(window).session.round is None
    assert "kept with nobody in it" in window.last_message
    assert window.document.round_in_progress() is None


def test_closing_the_window_stops_its_room(qtbot, tmp_path):
    from tests.gui.windows import scripted_window

    win = scripted_window(tmp_path)
    win.show()
    path = tmp_path / "own.cutline"
    WorkshopFile.create(path, win.document.workshop).close()
    win.set_document(document_for(load_path(path), keep_file=True))
    flow = open_room(win, ids_near_cut_line(win, 2))
    server = flow.server
    close_discarding(win)
    qtbot.waitUntil(lambda: flow.server is None, timeout=3000)
    assert not server.thread.is_alive()


def test_an_address_that_cannot_be_listened_on_is_said_in_words_and_nothing_is_kept(qtbot, window):
    from cutline.views.room_dialog import RoomOptions

    flow = flow_of(window)
    round_ = RatingRound.start(["dx"], ids_near_cut_line(window, 2), [])
    flow.start(round_, RoomOptions("rating", "192.0.2.254", (), 30, 1), port=0)  # not this machine's
    assert flow.server is None and flow.room is None
    assert "could not open on 192.0.2.254" in flow.session.setup.problem.text()
    assert flow.session.pages.currentWidget() is flow.session.setup
    assert window.document.round_in_progress() is None


def test_someone_taken_out_and_a_newcomer_under_their_name_are_kept_apart_through_a_crash(qtbot, window):
    from PySide6.QtCore import Qt

    ids = ids_near_cut_line(window, 2)
    flow = open_room(window, ids)
    path = window.document.file.path
    first = _client(flow, "Ann")
    assert first.rate((ids[0], "dx", 9), (ids[1], "effort", 40))[0] == 200
    flow.remove("Ann")
    assert first.rate((ids[0], "dx", 1))[0] == 401
    again = _client(flow, "Ann", "Product")  # the name is free again: someone else takes it
    assert again.rate((ids[1], "dx", 2))[0] == 200
    assert flow.join.problem.textFormat() == Qt.TextFormat.PlainText  # names are never markup there
    flow.shutdown("")  # the laptop dies: the round is never written whole
    window.document.file.close()
    window.set_document(document_for(load_path(path), keep_file=True))
    session = flow_of(window).session
    # before, the first Ann's 9 and 40 came back as the newcomer's
    assert dict(session.round.ratings) == {("Ann", ids[1], "dx"): 2.0}
