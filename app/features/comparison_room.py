"""The comparison in full window, for the room: the docks give way, one key brings them back.

Entering hides every dock and puts the comparison room in the centre in place of the ranked
list and its charts; leaving (Esc, or the same action again) puts the centre back and restores
the window's docks, their sizes, the splitter and the geometry exactly as they were.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDockWidget, QWidget

from cutline.app.window.full_window import FullWindow
from cutline.views.comparison_room import ComparisonRoom

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow

#: The actions that toggle the room; both show it checked while it is in front.
ACTIONS = ("compare", "compare_room")
#: A heading's type against the body's, as the style sheet's `QLabel[role="heading"]` has it.
HEADING_SCALE = 1.2


class RoomMode(QObject):
    """Enters and leaves the full-window comparison of one window, restoring what it changed."""

    VIEWS: ClassVar[tuple[str, ...]] = ()

    entered = Signal()  # the room is in front: its comparison is due now
    left = Signal()     # the ranking is back: what was behind the room may be behind

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.room = ComparisonRoom(window)  # owned by the window (deleted with it), hidden until entered
        self.room.hide()
        self.active = False
        self.saved: dict = {}
        self.room.leaveAsked.connect(self.leave)
        self.room.rowSelected.connect(window.select_row)
        window.selectionChanged.connect(self.room.select)
        window.looksChanged.connect(self._on_looks)
        window.installEventFilter(self)

    def enter(self) -> None:
        if self.active:
            return
        w = self.window
        w.feature(FullWindow).entering(self)
        docks = w.findChildren(QDockWidget)
        self.saved = {"state": w.saveState(), "geometry": w.saveGeometry(), "sizes": w.splitter.sizes(),
                      "docks": {d: not d.isHidden() for d in docks}}
        self.active = True
        for dock in docks:
            dock.hide()
        self.saved["centre"] = w.takeCentralWidget()
        w.setCentralWidget(self.room)
        self._follow_type()
        self.room.show()
        self._check(True)
        self.entered.emit()
        self.room.names.setFocus()

    def leave(self) -> None:
        if not self.active:
            return
        w, saved = self.window, self.saved
        self.active = False
        w.feature(FullWindow).left(self)
        self.room = w.takeCentralWidget()  # kept for the next time, hidden under the window
        self.room.setParent(w)
        self.room.hide()
        w.setCentralWidget(saved["centre"])
        saved["centre"].show()
        for dock, shown in saved["docks"].items():
            dock.setVisible(shown)
        w.restoreState(saved["state"])
        w.splitter.setSizes(saved["sizes"])
        if w.display.on_screen:
            w.restoreGeometry(saved["geometry"])
        self._check(False)
        w.table.setFocus()
        self.left.emit()

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def _check(self, on: bool) -> None:
        for name in ACTIONS:
            action = self.window.actions.get(name)
            if action is not None:
                action.setChecked(on)

    def _on_looks(self) -> None:
        if self.active:
            self._follow_type()

    def _follow_type(self) -> None:
        """The room's type is the application's (the zoom), set on each of its widgets: under the
        application's style sheet a child does not take a new font from its parent, and the room
        may have been out of the window when the zoom changed."""
        font = QApplication.font()
        heading = QFont(font)
        heading.setBold(True)
        heading.setPointSizeF(font.pointSizeF() * HEADING_SCALE)
        for widget in (self.room, *self.room.findChildren(QWidget)):
            wanted = heading if widget.property("role") == "heading" else font
            if widget.font() != wanted:
                widget.setFont(wanted)
        self.room.fit_columns()

    def eventFilter(self, watched, event) -> bool:
        # Leave before the window closes, so it saves its normal layout, not the room's.
        if watched is self.window and event.type() == QEvent.Type.Close and self.active:
            self.leave()
        return False


def toggle(window: MainWindow) -> None:
    """Scenario > Compare scenarios (Ctrl+K) and View > Comparison in full window: in or out."""
    window.feature(RoomMode).toggle()


def leave(window: MainWindow) -> None:
    """Back to the ranking when the comparison fills the window; nothing otherwise."""
    window.feature(RoomMode).leave()


def is_in_room(window: MainWindow) -> bool:
    return window.feature(RoomMode).active
