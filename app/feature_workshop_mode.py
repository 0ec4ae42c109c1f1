"""Workshop mode: the group rating panel and the presentation view, with their screenshot views."""

from __future__ import annotations

from cutline.app import presentation, rating_flow, room_flow


def install(window) -> None:
    """Build the rating panel, its room and the presenter; register views `rating`, `reveal`,
    `presentation` and `join`."""
    session = rating_flow.session_for(window)
    room = room_flow.flow_for(session)
    presenter = presentation.presenter_for(window)
    window.register_view("rating", lambda: _show(window, session, "rating"))
    window.register_view("reveal", lambda: _show(window, session, "reveal"))
    window.register_view("presentation", presenter.enter)
    window.register_view("join", lambda: _show_join(window, session, room))


def _show(window, session, stage: str) -> None:
    """Open the rating panel; a screenshot of an idle sample shows a round under way."""
    idle = session.round is None or (stage == "reveal" and not session.round.revealed)
    if idle and window.property("headless") and window.document.evaluation is not None:
        from cutline.app import rating_demo

        (rating_demo.show_rating if stage == "rating" else rating_demo.show_reveal)(session)
    session.open()


def _show_join(window, session, room) -> None:
    """The join screen; a screenshot of an idle sample shows a made-up room filling up."""
    if room.room is None and window.property("headless") and window.document.evaluation is not None:
        from cutline.app import room_demo

        room_demo.show_join(room)
    session.open()
