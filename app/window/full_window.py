"""The window's full-window views: the presentation (F11), the comparison (Ctrl+K) and one chart
(F10). One at a time, so that Esc always means one thing: entering one leaves the one that is on.

The rule lives here and nowhere else, with the one Esc that leaves whichever view is on. Each
full-window view tells this feature when it enters and when it has left; none knows the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow


class FullWindowView(Protocol):
    """A view that takes the whole window until it is left."""

    def leave(self) -> None: ...


class FullWindow(QObject):
    """Which full-window view has the window, if any; Esc leaves it."""

    VIEWS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.current: FullWindowView | None = None
        self.leave_key = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)
        self.leave_key.setEnabled(False)
        self.leave_key.activated.connect(self._leave_current)

    def _leave_current(self) -> None:
        if self.current is not None:
            self.current.leave()

    def entering(self, view: FullWindowView) -> None:
        """`view` is about to take the window: the one that has it leaves first."""
        if self.current is not None and self.current is not view:
            self.current.leave()
        self.current = view
        self.leave_key.setEnabled(True)

    def left(self, view: FullWindowView) -> None:
        """`view` gave the window back."""
        if self.current is view:
            self.current = None
            self.leave_key.setEnabled(False)
