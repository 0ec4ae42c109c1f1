"""Workshop mode: the group rating panel and the presentation view, with their screenshot views."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from cutline.app.features.presentation import Presenter
from cutline.app.features.rating import RatingSession
from cutline.app.room.flow import RoomFlow

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow


class WorkshopModeFeature:
    """Registers views `rating`, `reveal`, `presentation` and `join` over the rating session,
    its room and the presenter."""

    VIEWS: ClassVar[tuple[str, ...]] = ("rating", "reveal", "presentation", "join")

    def __init__(self, window: MainWindow):
        self.window = window
        self.session = window.feature(RatingSession)
        self.room = window.feature(RoomFlow)
        # A screenshot stages a round or a room first (app/staging/screenshot.py); the views
        # only open the panel.
        window.register_view("rating", self.session.open)
        window.register_view("reveal", self.session.open)
        window.register_view("presentation", window.feature(Presenter).enter)
        window.register_view("join", self.session.open)
