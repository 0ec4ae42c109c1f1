"""View > Presentation (F11): the ranked list with the cut line and the current chart, for the projector.

Entering hides the editing panels (docks, toolbars, filter bar, menu and status bar), goes full
screen, raises the type to the presentation zoom and switches to high-contrast colours; leaving
puts every one of those back as it was. Ctrl+= and Ctrl+- zoom while presenting, and that zoom
is remembered for the next presentation.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QLabel, QToolBar

from views.presentation import CutLineEmphasis, presentation_style
from views.theme import current_theme

#: Type size while presenting, relative to Cutline's normal size (the first time; then remembered).
PRESENTATION_ZOOM = 1.6
ZOOM_SETTING = "view/presentation_zoom"
#: Ranked-table columns kept on the projector; the inputs are editing detail.
SHOWN_COLUMNS = ("rank", "moved", "tier", "id", "title", "team", "score", "funding")
#: Share of the width the ranked list takes next to a chart.
TABLE_SHARE = 0.56
_presenters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class Presenter(QObject):
    """Enters and leaves the presentation view of one window, restoring what it changed."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.active = False
        self.saved: dict = {}
        self.zoom = PRESENTATION_ZOOM
        self.emphasis = CutLineEmphasis(window.table, self)
        self.leave_key = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)
        self.leave_key.setEnabled(False)
        self.leave_key.activated.connect(self.leave)
        window.installEventFilter(self)
        window.evaluated.connect(lambda _: self._refresh_heading())
        window.looksChanged.connect(self._on_looks)

    # -- entering and leaving ---------------------------------------------------------------
    def enter(self) -> None:
        if self.active:
            return
        w = self.window
        self.active = True
        self.saved = {"state": w.windowState(), "zoom": w.zoom(), "hidden": self._hide_panels(),
                      "columns": self._table_columns(), "heading": self._heading().text(),
                      "orientation": w.splitter.orientation(), "sizes": w.splitter.sizes(),
                      "chart": w.charts.currentIndex(), "charts_shown": not w.charts.isHidden()}
        self._shortcuts_without_menus(True)
        self._lay_out_for_projector()
        self.emphasis.install()
        self.leave_key.setEnabled(True)
        w.actions["presentation"].setChecked(True)
        w.set_zoom(self._remembered_zoom())
        self._on_looks()
        self._refresh_heading()
        if not w.property("headless"):
            w.showFullScreen()
        w.table.setFocus()

    def leave(self) -> None:
        if not self.active:
            return
        w, saved = self.window, self.saved
        self._remember_zoom(w.zoom())
        self.active = False
        self.leave_key.setEnabled(False)
        self.emphasis.remove()
        w.setStyleSheet("")
        for widget in saved["hidden"]:
            widget.show()
        self._shortcuts_without_menus(False)
        for column, (hidden, width) in saved["columns"].items():
            w.table.setColumnHidden(column, hidden)
            w.table.setColumnWidth(column, width)
        self._heading().setText(saved["heading"])
        w.charts.setCurrentIndex(saved["chart"])
        w.charts.setVisible(saved["charts_shown"])
        w.splitter.setOrientation(saved["orientation"])
        w.splitter.setSizes(saved["sizes"])
        w.actions["presentation"].setChecked(False)
        w.set_zoom(saved["zoom"])
        if not w.property("headless"):
            w.setWindowState(saved["state"])

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    # -- the parts ----------------------------------------------------------------------------
    def _hide_panels(self) -> list:
        """Hide what is for editing; returns the widgets that were visible, to show them again."""
        w = self.window
        panels = [*w.findChildren(QDockWidget), *w.findChildren(QToolBar), w.filter_bar,
                  w.menuBar(), w.statusBar()]
        shown = [p for p in panels if p.isVisible() or (not w.isVisible() and not p.isHidden())]
        for panel in shown:
            panel.hide()
        return shown

    def _shortcuts_without_menus(self, on: bool) -> None:
        """With the menu bar hidden its actions' shortcuts stop; the window carries them meanwhile."""
        actions = list(self.window.actions.values())
        if on:
            self.window.addActions(actions)
        else:
            for action in actions:
                self.window.removeAction(action)

    def _table_columns(self) -> dict[int, tuple[bool, int]]:
        table = self.window.table
        return {c: (table.isColumnHidden(c), table.columnWidth(c)) for c in range(table.model().columnCount())}

    def _lay_out_for_projector(self) -> None:
        """Only the columns a room reads; the chart beside the list on a wide screen."""
        w = self.window
        keys = w.table_model.column_keys()
        for column, key in enumerate(keys):
            w.table.setColumnHidden(column, key not in SHOWN_COLUMNS)
        chart = _chart_to_show(w.charts)
        w.charts.setVisible(chart >= 0)
        if chart >= 0:
            w.charts.setCurrentIndex(chart)
            w.splitter.setOrientation(Qt.Orientation.Horizontal)
            width = max(w.width(), 800)
            w.splitter.setSizes([int(width * TABLE_SHARE), int(width * (1 - TABLE_SHARE))])

    def _fit_columns(self) -> None:
        """Widths for the presentation type (the table's own are for normal type); titles get the rest."""
        table = self.window.table
        metrics = table.fontMetrics()
        keys = self.window.table_model.column_keys()
        used = 0
        for column, key in enumerate(keys):
            if table.isColumnHidden(column) or key == "title":
                continue
            table.resizeColumnToContents(column)
            header = table.model().headerData(column, Qt.Orientation.Horizontal)
            table.setColumnWidth(column, max(table.columnWidth(column),
                                             metrics.horizontalAdvance(str(header)) + 36))
            used += table.columnWidth(column)
        room = table.viewport().width() if table.isVisible() else int(self._table_width())
        title = keys.index("title")
        table.setColumnWidth(title, max(room - used - 4, metrics.horizontalAdvance("M" * 18)))

    def _table_width(self) -> float:
        w = self.window
        return w.width() * (TABLE_SHARE if not w.charts.isHidden() else 1.0) - 40

    def _heading(self) -> QLabel:
        return self.window.findChild(QLabel, "rankingHeading")

    def _refresh_heading(self) -> None:
        if not self.active or self.window.document is None:
            return
        ev = self.window.document.evaluation
        if ev is None:
            return
        funded = int(ev.allocation.funded.sum())
        cut = ev.allocation.cut_line
        where = "everything is funded" if cut is None else f"the cut line is at #{cut}"
        self._heading().setText(f"{ev.scenario.name}: {funded} of {len(ev.ranking)} initiatives "
                                f"funded; {where}")

    def _on_looks(self) -> None:
        if self.active:
            self.window.setStyleSheet(presentation_style(current_theme(), self.window.zoom()))
            self._fit_columns()

    # -- the presentation zoom ----------------------------------------------------------------
    def _remembered_zoom(self) -> float:
        from app.settings import SETTINGS

        if ZOOM_SETTING in SETTINGS:
            return float(self.window.settings.get(ZOOM_SETTING))
        return self.zoom

    def _remember_zoom(self, zoom: float) -> None:
        from app.settings import SETTINGS

        self.zoom = zoom
        if ZOOM_SETTING in SETTINGS:
            self.window.settings.set(ZOOM_SETTING, zoom)

    def eventFilter(self, watched, event) -> bool:
        # Leave before the window closes, so it saves its normal layout and zoom, not these.
        if watched is self.window and event.type() == QEvent.Type.Close and self.active:
            self.leave()
        return False


def _chart_to_show(charts) -> int:
    """The tab to show beside the list: the current one if it is a chart, else the first chart."""
    from views.charts.base import Chart

    tabs = [charts.currentIndex()] + list(range(charts.count()))
    return next((i for i in tabs if i >= 0 and isinstance(charts.widget(i), Chart)), -1)


def presenter_for(window) -> Presenter:
    presenter = _presenters.get(window)
    if presenter is None:
        presenter = _presenters[window] = Presenter(window)
    return presenter


def toggle(window) -> None:
    """View > Presentation (F11): enter or leave the presentation view."""
    presenter_for(window).toggle()


def is_presenting(window) -> bool:
    presenter = _presenters.get(window)
    return presenter is not None and presenter.active
