"""What every Cutline chart shares: a question as title, large type, the theme, hover, PNG export.

Charts read the same numpy arrays as the table; they update their items with new arrays rather
than rebuilding the scene.
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QPen
from PySide6.QtWidgets import QGraphicsItem, QToolTip, QVBoxLayout, QWidget

from cutline.views.charts.legend_below import LegendBelow
from cutline.views.theme import current_theme

#: Chart type sizes in points, before the window's zoom: readable from the back of a room.
TITLE_PT = 15
AXIS_PT = 12
TICK_PT = 11


def pen(colour, width: float = 2.5, style=Qt.PenStyle.SolidLine) -> QPen:
    p = QPen(QColor(colour), width, style)
    p.setCosmetic(True)
    return p


class Chart(QWidget):
    """A titled pyqtgraph plot with themed large fonts, a hover tooltip and PNG export.

    Subclasses build their items once in `__init__` (ending with `self.apply_look()` when they
    override it) and refresh them in `set_evaluation`
    (or their own setter); `hover_text(x, y)` returns the tooltip for a point in data
    coordinates, or "" for none.
    """

    initiativeClicked = Signal(int)  # portfolio row of the initiative clicked
    exportAsked = Signal(int)        # "Save as PNG" at this scale: whoever answers asks the path
    EXPORT_TITLE = "Save chart as PNG"
    EXPORT_FILTERS = "PNG images (*.png)"

    def __init__(self, title: str, parent=None, *, zoom: float = 1.0):
        super().__init__(parent)
        self._title = title
        self.zoom = zoom
        self.plot_widget = pg.PlotWidget(enableMenu=False)  # no menus: skips building them
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        # Axes (with their grid lines) change far less often than the data: keep them as pixmaps,
        # so repainting the plot after a weight change or a hover blits them instead of redrawing.
        for name in ("left", "bottom"):
            self.plot.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.plot.getViewBox().setMouseEnabled(x=False, y=False)
        self.legend = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.plot_widget)
        self.plot_widget.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for text, scale in (("Save as PNG…", 1), ("Save as PNG at 2x…", 2)):
            action = QAction(text, self.plot_widget)
            action.triggered.connect(lambda checked=False, s=scale: self.exportAsked.emit(s))
            self.plot_widget.addAction(action)
        self.plot_widget.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.plot_widget.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        # The base's own look only: a subclass calls apply_look() once its items exist.
        Chart.apply_look(self)

    # -- look --------------------------------------------------------------------------------
    def apply_look(self, zoom: float | None = None) -> None:
        """Theme colours and font sizes (call again after a theme or zoom change)."""
        if zoom is not None:
            self.zoom = zoom
        theme = current_theme()
        self.plot_widget.setBackground(QColor(theme.base))
        self._show_title()
        tick_font = QFont()
        tick_font.setPointSizeF(TICK_PT * self.zoom)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setTextPen(QColor(theme.text))
            axis.setPen(pen(theme.muted, 1.5))
            axis.setStyle(tickFont=tick_font)
            label = axis.labelText
            if label:
                axis.setLabel(label, units=axis.labelUnits or None, color=theme.text,
                              **{"font-size": f"{AXIS_PT * self.zoom:.0f}pt"})
        if self.legend is not None:
            size = f"{TICK_PT * self.zoom:.0f}pt"
            self.legend.setLabelTextColor(QColor(theme.text))
            self.legend.setLabelTextSize(size)
            for _, label in self.legend.items:  # pyqtgraph only applies these to new entries
                label.setText(label.text, color=theme.text, size=size)

    def set_axis_labels(self, left: str, bottom: str) -> None:
        theme = current_theme()
        style = {"color": theme.text, "font-size": f"{AXIS_PT * self.zoom:.0f}pt"}
        for side, text in (("left", left), ("bottom", bottom)):
            # No "(x0.001)" after a label: ranks, scores and person-weeks are never SI units.
            self.plot.getAxis(side).enableAutoSIPrefix(False)
            self.plot.setLabel(side, text, **style)

    def add_legend_below(self) -> LegendBelow:
        """A legend in its own row under the plot (`self.key`), styled as the chart's legend."""
        self.key = LegendBelow(self.plot, self.plot_widget)
        self.legend = self.key.item
        return self.key

    def add_legend(self, columns: int = 1) -> pg.LegendItem:
        self.legend = self.plot.addLegend(offset=(-10, 10), colCount=columns)
        self.legend.setLabelTextColor(QColor(current_theme().text))
        self.legend.setLabelTextSize(f"{TICK_PT * self.zoom:.0f}pt")
        return self.legend

    def set_title(self, title: str) -> None:
        self._title = title
        self._show_title()

    def title_lines(self) -> list[str]:
        """The title as shown: one line where it fits the chart's width, else two, broken at the
        space that balances them (never cut off: a 1366-pixel screen beside both docks)."""
        room = self.width() - 8 - 24 * self.zoom  # the layout's and the plot's margins
        words = self._title.split(" ")
        if self._title_width(self._title) <= room or len(words) < 2 or room <= 0:
            return [self._title]
        cuts = [(" ".join(words[:k]), " ".join(words[k:])) for k in range(1, len(words))]
        return list(min(cuts, key=lambda c: max(self._title_width(c[0]), self._title_width(c[1]))))

    def _title_width(self, text: str) -> float:
        """The width in pixels of `text` as the title draws it (its own font and size), measured
        once per text and zoom: a resize only looks it up."""
        widths = self.__dict__.setdefault("_title_widths", {})
        key = (text, self.zoom)
        if key not in widths:
            probe = self.__dict__.get("_title_probe")
            if probe is None:
                probe = self._title_probe = pg.LabelItem("")
            probe.setText(text, size=f"{TITLE_PT * self.zoom:.0f}pt", bold=True)
            widths[key] = float(probe.item.boundingRect().width())
        return widths[key]

    def _show_title(self) -> None:
        lines = self.title_lines()
        self._shown_title = lines
        self.plot.setTitle("<br>".join(lines), color=current_theme().text,
                           size=f"{TITLE_PT * self.zoom:.0f}pt", bold=True)
        # pyqtgraph gives the title row a fixed 30 px: as tall as the lines instead.
        height = max(30.0, float(self.plot.titleLabel.item.boundingRect().height()))
        self.plot.titleLabel.setMaximumHeight(height)
        self.plot.layout.setRowFixedHeight(0, height)
        # The view sized the plot when the title was one line, which may have held it wider
        # than the view: size it to the view again.
        self.plot.setGeometry(self.plot_widget.range)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.title_lines() != getattr(self, "_shown_title", None):
            self._show_title()

    @property
    def title(self) -> str:
        return self._title

    # -- hover -------------------------------------------------------------------------------
    def hover_text(self, x: float, y: float) -> str:
        return ""

    def _on_mouse_moved(self, pos) -> None:
        if not self.plot.sceneBoundingRect().contains(pos):
            return
        point = self.plot.getViewBox().mapSceneToView(pos)
        text = self.hover_text(point.x(), point.y())
        if text:
            global_pos = self.plot_widget.mapToGlobal(self.plot_widget.mapFromScene(pos))
            QToolTip.showText(global_pos, text, self.plot_widget)
        else:
            QToolTip.hideText()

    def row_at(self, x: float, y: float) -> int:
        """The portfolio row of the initiative drawn at data point (x, y), -1 for none."""
        return -1

    def _on_mouse_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or event.double():
            return
        pos = event.scenePos()
        if not self.plot.sceneBoundingRect().contains(pos):
            return
        point = self.plot.getViewBox().mapSceneToView(pos)
        row = self.row_at(point.x(), point.y())
        if row >= 0:
            self.initiativeClicked.emit(int(row))

    def hover_at(self, x: float, y: float) -> str:
        """The tooltip for data point (x, y), as a test or a screenshot would see it."""
        return self.hover_text(x, y)

    # -- export ------------------------------------------------------------------------------
    def export_png(self, path: str | Path, scale: int = 1) -> Path:
        """Save the chart as shown (scale 1) or at twice the size (scale 2)."""
        size = self.plot_widget.size() * scale
        pixmap = self.plot_widget.grab() if scale == 1 else self._grab_scaled(scale, size)
        path = Path(path)
        if not pixmap.save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
        return path

    def _grab_scaled(self, scale: int, size):
        from PySide6.QtGui import QPainter, QPixmap

        pixmap = QPixmap(size)
        pixmap.setDevicePixelRatio(1)
        pixmap.fill(QColor(current_theme().base))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # The scene is vector graphics: rendering it into a larger target stays sharp.
        self.plot_widget.render(painter, QRectF(pixmap.rect()), self.plot_widget.viewport().rect())
        painter.end()
        return pixmap

    def export_name(self) -> str:
        """The file name a save dialog suggests: the chart's title."""
        return self._title.rstrip("?").replace("/", "-")[:60] + ".png"

    def export_chosen(self, path: str | Path, chosen_filter: str, scale: int = 1) -> Path:
        """Write the image to the path a save dialog gave (raises OSError when it cannot)."""
        return self.export_png(path, scale)
