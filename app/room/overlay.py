"""The join code stays on screen in the presentation view, in the window's bottom-right corner
(over the chart, so that the ranked list and its cut line stay whole)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject

from cutline.views.join_screen import JoinBadge

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow

#: The badge's width as a share of the window's, within these pixels.
SHARE, NARROWEST, WIDEST = 0.16, 200, 320
MARGIN = 16


class RoomOverlay(QObject):
    """Shows a JoinBadge over the window while it presents and a room is open."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.badge = JoinBadge(window)
        self.badge.hide()
        self.url = ""
        window.installEventFilter(self)
        window.actions["presentation"].toggled.connect(lambda _on: self.update())

    def set_room(self, address: str, code_shown: str, url: str) -> None:
        self.url = url
        self.badge.set_room(address, code_shown, url)
        self.update()

    def set_summary(self, text: str) -> None:
        self.badge.set_summary(text)

    def presenting(self) -> bool:
        return self.window.actions["presentation"].isChecked()

    def update(self) -> None:
        show = bool(self.url) and self.presenting()
        if show:
            self._place()
            self.badge.show()
            self.badge.raise_()
        else:
            self.badge.hide()

    def _place(self) -> None:
        w = self.window
        width = int(min(max(w.width() * SHARE, NARROWEST), WIDEST))
        height = width + self.badge.address.sizeHint().height() * 3 + 40
        self.badge.setGeometry(w.width() - width - MARGIN, max(w.height() - height - MARGIN, 0), width, height)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Resize and self.badge.isVisible():
            self._place()
        return False
