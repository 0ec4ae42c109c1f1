"""What a --screenshot of a view stages before the picture is taken, so an idle sample shows the
view at work: a rating round under way or revealed, a room filling up, the room with made-up
scenarios, the roadmap with a chain of dependencies. Only the CLI's screenshot path calls this,
on its temporary copy of the workshop; the features themselves never make anything up."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow

#: `compare-room-N`: the room with N scenarios.
ROOM_WITH = re.compile(r"compare-room-(\d+)")


def show_staged(window: MainWindow, view: str) -> None:
    """Stage what `view` needs on the window's document, then bring the view to the front."""
    doc = window.document
    if doc is None or doc.evaluation is None:
        window.show_view(view)
        return
    room_count = ROOM_WITH.fullmatch(view)
    if room_count:
        from cutline.app.staging.comparison_demo import add_demo_scenarios

        add_demo_scenarios(doc, int(room_count.group(1)))
    elif view in ("rating", "reveal"):
        _stage_round(window, view)
    elif view == "join":
        _stage_join(window)
    window.show_view(view)
    if view == "roadmap":
        _select_a_chain(window)


def _stage_round(window: MainWindow, view: str) -> None:
    """A round under way (or revealed) when none is, so the panel has ratings to show."""
    from cutline.app.features.rating import RatingSession
    from cutline.app.staging import rating_demo

    session = window.feature(RatingSession)
    idle = session.round is None or (view == "reveal" and not session.round.revealed)
    if idle:
        (rating_demo.show_rating if view == "rating" else rating_demo.show_reveal)(session)


def _stage_join(window: MainWindow) -> None:
    """A made-up room filling up when no room is open."""
    from cutline.app.room.flow import RoomFlow
    from cutline.app.staging import room_demo

    room = window.feature(RoomFlow)
    if room.room is None:
        room_demo.show_join(room)


def _select_a_chain(window: MainWindow) -> None:
    """Select the first initiative with a chain of dependencies when the current one has none,
    so the picture shows one drawn."""
    from cutline.app.features.capacity import CapacityFeature

    feature = window.feature(CapacityFeature)
    feature.refresh("roadmap")
    chart = feature.charts["roadmap"]
    if not chart.has_chain():
        row = chart.first_with_chain()
        if row >= 0:
            window.select_row(row)
