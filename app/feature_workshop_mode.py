"""Workshop mode: the group rating panel and the presentation view, with their screenshot views."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from cutline.app.presentation import Presenter
from cutline.app.rating_flow import RatingSession
from cutline.app.room_flow import RoomFlow

if TYPE_CHECKING:
    from cutline.app.main_window import MainWindow


class WorkshopModeFeature:
    """Registers views `rating`, `reveal`, `presentation` and `join` over the rating session,
    its room and the presenter."""

    VIEWS: ClassVar[tuple[str, ...]] = ("rating", "reveal", "presentation", "join")

    def __init__(self, window: MainWindow):
        self.window = window
        self.session = window.feature(RatingSession)
        self.room = window.feature(RoomFlow)
        window.register_view("rating", lambda: self._show("rating"))
        window.register_view("reveal", lambda: self._show("reveal"))
        window.register_view("presentation", window.feature(Presenter).enter)
        window.register_view("join", self._show_join)

    def _show(self, stage: str) -> None:
        """Open the rating panel; a screenshot of an idle sample shows a round under way."""
        window, session = self.window, self.session
        idle = session.round is None or (stage == "reveal" and not session.round.revealed)
        if idle and window.property("headless") and window.document.evaluation is not None:
            from cutline.app import rating_demo

            (rating_demo.show_rating if stage == "rating" else rating_demo.show_reveal)(session)
        session.open()

    def _show_join(self) -> None:
        """The join screen; a screenshot of an idle sample shows a made-up room filling up."""
        window, room = self.window, self.room
        if room.room is None and window.property("headless") and window.document.evaluation is not None:
            from cutline.app import room_demo

            room_demo.show_join(room)
        self.session.open()
