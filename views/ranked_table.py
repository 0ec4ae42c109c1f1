"""The ranked table: inline score bars, tier marks and the cut line drawn across the rows."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyledItemDelegate, QTableView

from views.palette import CUT_LINE, FUNDED
from views.ranked_table_model import BarRole, RankedTableModel


class ScoreBarDelegate(QStyledItemDelegate):
    """Paints the score as a bar behind its number, so rank gaps read at a glance."""

    def paint(self, painter: QPainter, option, index) -> None:
        super().paint(painter, option, index)  # background and text first, the bar over them
        fraction = index.data(BarRole)
        if fraction is not None:
            painter.save()
            rect = option.rect.adjusted(3, option.rect.height() - 9, -3, -3)
            width = int(rect.width() * max(0.0, min(1.0, float(fraction))))
            colour = QColor(FUNDED)
            painter.fillRect(QRect(rect.left(), rect.top(), width, rect.height()), colour)
            painter.restore()


class RankedTable(QTableView):
    """A table of ranked initiatives that marks the cut line and follows the selection."""

    initiativeSelected = Signal(int)  # portfolio row, -1 for none

    def __init__(self, model: RankedTableModel, parent=None):
        super().__init__(parent)
        self.setObjectName("rankedTable")
        self.setModel(model)
        self.setItemDelegateForColumn(model.column_of("score"), ScoreBarDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setSortingEnabled(True)
        self.setWordWrap(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.sortByColumn(model.column_of("rank"), Qt.SortOrder.AscendingOrder)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self._apply_widths()
        self._moves_timer = QTimer(self, singleShot=True, interval=2500)
        self._moves_timer.timeout.connect(model.clear_moves)
        model.layoutChanged.connect(self._on_layout)
        model.modelReset.connect(self._on_reset)
        self.selectionModel().currentRowChanged.connect(self._on_current)

    def _apply_widths(self) -> None:
        model: RankedTableModel = self.model()
        widths = {"rank": 52, "moved": 70, "tier": 54, "id": 96, "title": 380, "team": 150,
                  "category": 190, "score": 92, "funding": 250}
        for key, width in widths.items():
            self.setColumnWidth(model.column_of(key), width)
        for key in ("sens_share", "sens_range"):
            self.setColumnHidden(model.column_of(key), True)
        self.apply_row_height()

    def apply_row_height(self) -> None:
        """Rows tall enough for the current font (zoom and presentation change it)."""
        self.verticalHeader().setDefaultSectionSize(max(28, int(self.fontMetrics().height() * 1.7)))

    def set_sensitivity_visible(self, visible: bool) -> None:
        model: RankedTableModel = self.model()
        for key in ("sens_share", "sens_range"):
            self.setColumnHidden(model.column_of(key), not visible)

    def selected_row(self) -> int:
        """The portfolio row of the current initiative, -1 when none."""
        index = self.currentIndex()
        return self.model().portfolio_row(index.row()) if index.isValid() else -1

    def select_row(self, portfolio_row: int) -> None:
        pos = self.model().view_row(portfolio_row)
        if pos < 0:
            self.clearSelection()
            return
        index = self.model().index(pos, self.model().column_of("title"))
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def _on_current(self, current, previous) -> None:
        self.initiativeSelected.emit(self.model().portfolio_row(current.row()) if current.isValid() else -1)

    def _on_layout(self) -> None:
        self._moves_timer.start()
        self.viewport().update()

    def _on_reset(self) -> None:
        self.viewport().update()

    # -- the cut line -----------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        model: RankedTableModel = self.model()
        ev = model.evaluation
        cut = model.cut_line() if ev is not None else None
        if cut is None or not model.sorted_by_rank():
            return
        first_unfunded = int(ev.ranking.order[cut - 1])
        pos = model.view_row(first_unfunded)
        if pos < 0:
            return
        y = self.rowViewportPosition(pos)
        if y < -2 or y > self.viewport().height():
            return
        painter = QPainter(self.viewport())
        pen = QPen(QColor(CUT_LINE), 3, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(0, y, self.viewport().width(), y)
        label = f" cut line of the rows shown at #{cut} " if model.is_filtered() else f" cut line at #{cut} "
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        box = QRect(self.viewport().width() - metrics.horizontalAdvance(label) - 24,
                    y - metrics.height() // 2 - 1, metrics.horizontalAdvance(label) + 8,
                    metrics.height() + 2)
        painter.fillRect(box, QColor(CUT_LINE))
        painter.setPen(QColor("#FFFFFF"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
        painter.end()
