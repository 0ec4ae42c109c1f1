"""Shared by the room's window and browser tests: a window over a workshop file, a room opened in it."""

from __future__ import annotations

import warnings

import pytest

from cutline.models.rating.round import RatingRound
from cutline.models.room.state import RATING, Role
from cutline.views.room_dialog import RoomOptions

ROLES = (Role("Engineer", ("dx", "effort")), Role("Product", ("dx",)))


@pytest.fixture(scope="module")
def room_window(qapp, tmp_path_factory):
    """One window for the module; each test opens its own workshop file in it."""
    from tests.gui.windows import scripted_window

    win = scripted_window(tmp_path_factory.mktemp("room"))
    win.show()
    yield win
    win.prompts.answers.clear()
    from cutline.app.room import flow as room_flow

    win.feature(room_flow.RoomFlow).shutdown("")
    win.close()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for signal in (win.document.undo_stack.cleanChanged, win.document.undo_stack.indexChanged):
            signal.disconnect()


@pytest.fixture
def window(room_window, tmp_path):
    """The shared window over a fresh workshop file made from the sample."""
    from cutline.app.lifecycle.document_factory import document_for
    from cutline.app.lifecycle.loading import load_path
    from cutline.models.workshop.file import WorkshopFile

    sample = getattr(room_window, "_sample_workshop", None) or room_window.document.workshop
    room_window._sample_workshop = sample
    room_window.prompts.answers.clear()
    path = tmp_path / "room.cutline"
    WorkshopFile.create(path, sample).close()
    room_window.set_document(document_for(load_path(path), keep_file=True))
    return room_window


def flow_of(window):
    from cutline.app.room import flow as room_flow

    return window.feature(room_flow.RoomFlow)


def open_room(window, ids, *, kind: str = RATING, criteria=("dx", "effort"), roles=ROLES, budget: float = 10):
    """Open a room on loopback (any free port) for `ids`, as the setup's button and dialog would."""
    flow = flow_of(window)
    round_ = RatingRound.start(criteria, ids, [])
    flow.start(round_, RoomOptions(kind, "127.0.0.1", tuple(roles) if kind == RATING else (), 30, budget), port=0)
    assert flow.server is not None
    return flow


def ids_near_cut_line(window, count: int = 3) -> list[str]:
    from cutline.models.rating.summary import select_near_cut_line

    ev = window.document.evaluation
    return [str(ev.portfolio.ids[r]) for r in select_near_cut_line(ev.ranking, ev.allocation, count)]
