"""View > Presentation (F11): the ranked list with the cut line and the current chart, for the projector.

Entering hides the editing panels (docks, toolbars, filter bar, menu and status bar), goes full
screen, raises the type to the presentation zoom and switches to high-contrast colours; leaving
puts every one of those back as it was. Ctrl+= and Ctrl+- zoom while presenting, and that zoom
is remembered for the next presentation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QDockWidget, QLabel, QToolBar

from cutline.app.window.full_window import FullWindow
from cutline.app.window.snapshot import WindowSnapshot, keep_on_screen
from cutline.views.presentation import (
    CutLineEmphasis,
    cell_padding,
    lines_needed,
    longest_texts,
    presentation_style,
    reason_layout,
)
from cutline.views.theme import current_theme

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow

#: Type size while presenting, relative to Cutline's normal size (the first time; then remembered).
PRESENTATION_ZOOM = 1.6
#: On a screen lower than FULL_HEIGHT px the type is scaled down with it, to no less than
#: SMALLEST_ZOOM: a 1366x768 projector then shows a page of rows, not three.
SMALLEST_ZOOM, FULL_HEIGHT = 1.2, 1000
ZOOM_SETTING = "view/presentation_zoom"
#: Ranked-table columns kept on the projector; the inputs are editing detail.
SHOWN_COLUMNS = ("rank", "tier", "id", "title", "score", "funding")
#: A long title may wrap onto this many lines even when every reason fits on one.
TITLE_LINES = 2
#: Share of the screen the ranked list takes next to (or above) a chart.
TABLE_SHARE = 0.54
#: Below this many pixels (times the zoom) the chart goes under the list, so titles stay readable.
SIDE_BY_SIDE_WIDTH = 1400


class Presenter(QObject):
    """Enters and leaves the presentation view of one window, restoring what it changed."""

    VIEWS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.active = False
        self.saved: dict = {}
        self.snapshot: WindowSnapshot | None = None
        self.zoom = PRESENTATION_ZOOM
        self.emphasis = CutLineEmphasis(window.table, self)
        window.installEventFilter(self)
        window.evaluated.connect(lambda _: self._refresh_heading())
        window.looksChanged.connect(self._on_looks)

    # -- entering and leaving ---------------------------------------------------------------
    def enter(self) -> None:
        if self.active:
            return
        w = self.window
        w.feature(FullWindow).entering(self)
        self.active = True
        self.snapshot = WindowSnapshot.take(w)
        self.saved = {"zoom": w.zoom(), "hidden": self._hide_panels(),
                      "columns": self._table_columns(), "heading": self._heading().text(),
                      "wrap": self._heading().wordWrap(), "lines": w.table.text_lines(),
                      "orientation": w.splitter.orientation(), "sizes": w.splitter.sizes(),
                      "chart": w.charts.currentIndex(), "charts_shown": not w.charts.isHidden(),
                      "fit_title": w.table.fit_title_to_view}
        w.table.fit_title_to_view = False  # the presentation fits its own columns
        self._shortcuts_without_menus(True)
        self._lay_out_for_projector()
        self.emphasis.install()
        w.actions["presentation"].setChecked(True)
        self._heading().setWordWrap(True)  # a long heading must not widen the window
        w.set_zoom(self._remembered_zoom())  # looksChanged: the style sheet, layout and widths follow
        self.saved["presented_zoom"] = w.zoom()
        self._refresh_heading()
        self._show_cut_line()
        w.display.go_full_screen(w)
        w.table.setFocus()

    def leave(self) -> None:
        if not self.active:
            return
        w, saved = self.window, self.saved
        if abs(w.zoom() - saved["presented_zoom"]) > 1e-9:  # zoomed while presenting: keep it
            self._remember_zoom(w.zoom())
        self.active = False
        w.feature(FullWindow).left(self)
        self.emphasis.remove()
        # The type first, with the presentation's style sheet still on: a sheet removed at the
        # presentation size leaves every widget it styled at that size (17.6 pt under 11 pt),
        # and panels shown at that size push the window wider than the screen.
        w.set_zoom(saved["zoom"])
        w.setStyleSheet("")
        self.snapshot.restore_fonts()
        w.table.set_text_lines(saved["lines"])
        w.table.apply_row_height()
        for widget in saved["hidden"]:
            widget.show()
        self._shortcuts_without_menus(False)
        for column, (hidden, width) in saved["columns"].items():
            w.table.setColumnHidden(column, hidden)
            w.table.setColumnWidth(column, width)
        w.table.fit_title_to_view = saved["fit_title"]
        self._heading().setText(saved["heading"])
        self._heading().setWordWrap(saved["wrap"])
        w.charts.setCurrentIndex(saved["chart"])
        w.charts.setVisible(saved["charts_shown"])
        w.splitter.setOrientation(saved["orientation"])
        w.actions["presentation"].setChecked(False)
        self.snapshot.restore_layout(w, w.display.on_screen)
        w.splitter.setSizes(saved["sizes"])
        QTimer.singleShot(0, self._settle)  # once the layout has run with the normal type

    def _settle(self) -> None:
        """After leaving, when the layout has had its turn: the splitter and window as they were."""
        if self.active or not self.saved:
            return
        w = self.window
        if w.splitter.sizes() != self.saved["sizes"]:
            w.splitter.setSizes(self.saved["sizes"])
        if w.display.on_screen:
            keep_on_screen(w)

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

    def _arrange(self) -> None:
        """The chart beside the list when both fit at this type size, else below it."""
        w = self.window
        if w.charts.isHidden():
            return
        screen = w.display.screen_size(w)
        full, wide = screen.height(), screen.width()
        side = (wide >= SIDE_BY_SIDE_WIDTH * w.zoom()
                and w.charts.minimumSizeHint().width() <= wide * (1 - TABLE_SHARE))
        w.splitter.setOrientation(Qt.Orientation.Horizontal if side else Qt.Orientation.Vertical)
        total = wide if side else full
        w.splitter.setSizes([int(total * TABLE_SHARE), int(total * (1 - TABLE_SHARE))])

    def _fit_columns(self) -> None:
        """Widths for the presentation type (the table's own are for normal type): every reason
        whole, on a second line when the screen is narrow; titles get the rest and wrap with them."""
        if not self.active:
            return
        w = self.window
        table = w.table
        metrics = table.fontMetrics()
        keys = w.table_model.column_keys()
        used = 0
        for column, key in enumerate(keys):
            if table.isColumnHidden(column) or key in ("title", "funding"):
                continue
            width = max(table.sizeHintForColumn(column), self._heading_width(column, metrics))
            table.setColumnWidth(column, width)
            used += width
        room = table.viewport().width() if table.isVisible() else int(self._table_width())
        least_title = metrics.horizontalAdvance("M" * 12)
        funding = keys.index("funding")
        bold = QFont(table.font())
        bold.setBold(True)  # a late quarter is bold: measure every reason as the widest type
        texts = longest_texts(w.table_model.shown_texts("funding"))
        lines, width = reason_layout(QFontMetrics(bold), texts, cell_padding(table),
                                     self._heading_width(funding, metrics), room - used - least_title)
        title_width = max(room - used - width - 4, least_title)
        table.setColumnWidth(funding, width)
        table.setColumnWidth(keys.index("title"), title_width)
        # Titles may take a second line too (beyond it they are elided; the reasons never are).
        titles = longest_texts(w.table_model.shown_texts("title"))
        title_lines = max((lines_needed(metrics, t, title_width - cell_padding(table)) for t in titles), default=1)
        table.set_text_lines(max(lines, min(TITLE_LINES, title_lines)))
        self._show_cut_line()  # rows changed height: the cut line back to the middle

    def _heading_width(self, column: int, metrics) -> int:
        """Room for a column's heading in the presentation's heavy type, its padding and the sort
        arrow (the header's own hint leaves room for an arrow on every column)."""
        header = self.window.table_model.headerData(column, Qt.Orientation.Horizontal)
        font = QFont(self.window.table.font())
        font.setWeight(QFont.Weight.ExtraBold)
        return QFontMetrics(font).horizontalAdvance(str(header)) + 2 * 10 + 22

    def _table_width(self) -> float:
        w = self.window
        beside = not w.charts.isHidden() and w.splitter.orientation() == Qt.Orientation.Horizontal
        return w.width() * (TABLE_SHARE if beside else 1.0) - 40

    def _heading(self) -> QLabel:
        return self.window.heading

    def _refresh_heading(self) -> None:
        if not self.active or self.window.document is None:
            return
        ev = self.window.document.evaluation
        if ev is None:
            return
        funded = int(ev.allocation.funded.sum())
        from cutline.models.words.funding import evaluation_words

        where = evaluation_words(ev)
        self._heading().setText(f"{funded} of {len(ev.ranking)} funded · {where} · {ev.scenario.name}")

    def _on_looks(self) -> None:
        if self.active:
            sheet = presentation_style(current_theme(), self.window.zoom())
            if self.window.styleSheet() != sheet:  # re-styling the window is slow
                self.window.setStyleSheet(sheet)
            self.window.table.apply_row_height()  # the bolder type is taller
            self._arrange()
            QTimer.singleShot(0, self._fit_columns)  # once the new layout has its sizes

    def _show_cut_line(self) -> None:
        """Scroll the list so the cut line is in the middle of the screen."""
        self.window.table.scroll_to_cut_line()

    # -- the presentation zoom ----------------------------------------------------------------
    def _remembered_zoom(self) -> float:
        from cutline.app.settings import SETTINGS

        chosen = float(self.window.settings.get(ZOOM_SETTING)) if ZOOM_SETTING in SETTINGS else 0.0
        if chosen > 0:  # the zoom the user last presented with
            return chosen
        w = self.window
        # On a picture (a screenshot) the window stands for the screen it is the size of.
        height = w.display.available_height(w)
        return default_zoom(height)

    def _remember_zoom(self, zoom: float) -> None:
        from cutline.app.settings import SETTINGS

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
    from cutline.views.charts.base import Chart
    from cutline.views.lazy_tab import LazyTab

    tabs = [charts.currentIndex()] + list(range(charts.count()))
    return next((i for i in tabs if i >= 0 and isinstance(charts.widget(i), Chart | LazyTab)), -1)


def default_zoom(screen_height: int) -> float:
    """The presentation's zoom on a screen this many pixels high, until the user picks one."""
    return max(SMALLEST_ZOOM, min(PRESENTATION_ZOOM, PRESENTATION_ZOOM * screen_height / FULL_HEIGHT))


def toggle(window: MainWindow) -> None:
    """View > Presentation (F11): enter or leave the presentation view. One full-window view at
    a time (app/window/full_window.py): entering leaves the full-window comparison or chart first."""
    window.feature(Presenter).toggle()


def is_presenting(window: MainWindow) -> bool:
    return window.feature(Presenter).active
