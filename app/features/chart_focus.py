"""One chart in the whole window (View > Chart in full window, F10): the roadmap, the capacity
or any other chart gets the room the ranked list and the docks had; Esc or F10 brings them back.

Entering hides the docks and the ranked list above the charts; leaving shows exactly those that
were shown and puts the splitter back as it was. The chart keeps its tab and its selection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDockWidget

from cutline.app.window.full_window import FullWindow

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow

ACTION = "chart_focus"


class ChartFocus(QObject):
    """Enters and leaves the full-window chart of one window, restoring what it changed."""

    VIEWS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.active = False
        self.saved: dict = {}

    def enter(self) -> None:
        w = self.window
        if self.active or w.charts.count() == 0:
            return
        w.feature(FullWindow).entering(self)
        top = w.splitter.widget(0)
        docks = [d for d in w.findChildren(QDockWidget) if not d.isHidden()]
        self.saved = {"docks": docks, "sizes": w.splitter.sizes(), "top": not top.isHidden(),
                      "charts": not w.charts.isHidden()}
        self.active = True
        for dock in docks:
            dock.hide()
        top.hide()
        w.charts.show()
        self._check(True)
        w.charts.currentWidget().setFocus()

    def leave(self) -> None:
        if not self.active:
            return
        w, saved = self.window, self.saved
        self.active = False
        w.feature(FullWindow).left(self)
        w.splitter.widget(0).setVisible(saved["top"])
        w.charts.setVisible(saved["charts"])
        for dock in saved["docks"]:
            dock.show()
        w.splitter.setSizes(saved["sizes"])
        self._check(False)
        w.table.setFocus()

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def _check(self, on: bool) -> None:
        action = self.window.actions.get(ACTION)
        if action is not None:
            action.setChecked(on)


def toggle(window: MainWindow) -> None:
    """View > Chart in full window (F10): in or out."""
    window.feature(ChartFocus).toggle()


def leave(window: MainWindow) -> None:
    """Back to the ranked list when a chart fills the window; nothing otherwise."""
    window.feature(ChartFocus).leave()
