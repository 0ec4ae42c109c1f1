"""The window's full-window views: the presentation (F11), the comparison (Ctrl+K) and one chart
(F10). One at a time, so that Esc always means one thing: entering one leaves the others."""

from __future__ import annotations

PRESENTATION, COMPARISON, CHART = "presentation", "comparison", "chart"


def leave_others(window, entering: str) -> None:
    """Before `entering` takes the window, leave whichever other full-window view is on."""
    from cutline.app import chart_focus, comparison_room, presentation

    if entering != CHART:
        chart_focus.leave(window)
    if entering != COMPARISON:
        comparison_room.leave(window)
    if entering != PRESENTATION and presentation.is_presenting(window):
        presentation.toggle(window)
