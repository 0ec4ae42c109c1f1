"""Workshop mode: the group rating panel and the presentation view, with their screenshot views."""

from __future__ import annotations

from cutline.app import presentation, rating_flow, room_flow


def install(window) -> None:
    """Build the rating panel, its room and the presenter; register views `rating`, `reveal`,
    `presentation` and `join` (a screenshot stages a round or a room first:
    app/screenshot_staging.py)."""
    session = rating_flow.session_for(window)
    room_flow.flow_for(session)
    presenter = presentation.presenter_for(window)
    window.register_view("rating", session.open)
    window.register_view("reveal", session.open)
    window.register_view("presentation", presenter.enter)
    window.register_view("join", session.open)
