"""Scenarios side by side: one ranked list per scenario, rows linked by initiative."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cutline.models.scenarios.comparison import LOSES_FUNDING, NEWLY_FUNDED, change_words
from cutline.views.palette import CUT_LINE, FELL, ROSE
from cutline.views.theme import current_theme

UP, DOWN = ROSE, FELL


class ScenarioListModel(QAbstractTableModel):
    """One scenario's ranked list (rank, title, change against the baseline) over arrays."""

    HEADERS = ("#", "Initiative", "Change")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._order = np.zeros(0, dtype=np.int64)
        self._rank: list = []
        self._label: list = []
        self._change: list = []
        self._funded: list = []
        self._names: list = []
        self.cut_line = None

    def set_data(self, comparison, index: int, titles: np.ndarray) -> None:
        self.beginResetModel()
        rank = comparison.rank[index]
        self._order = np.argsort(rank, kind="stable")
        self._rank = rank.tolist()
        # The room's words ("▲3", "loses funding"), as the full-window comparison says them.
        self._label = change_words(comparison.rank_change[index], comparison.funded[index],
                                   comparison.funded[0]).tolist() if index else [""] * len(rank)
        self._change = comparison.rank_change[index].tolist()
        self._funded = comparison.funded[index].tolist()
        self._names = [f"{i} · {t}" for i, t in zip(comparison.ids.tolist(), titles.tolist())]
        self.cut_line = comparison.cut_line[index]
        self.endResetModel()

    def row_of(self, view_row: int) -> int:
        return int(self._order[view_row])

    def view_row(self, row: int) -> int:
        hits = np.flatnonzero(self._order == row)
        return int(hits[0]) if len(hits) else -1

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = int(self._order[index.row()])
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(self._rank[row]), self._names[row], self._label[row])[col]
        if role == Qt.ItemDataRole.ForegroundRole:
            label = self._label[row]
            if col == 2 and label:
                worse = label.startswith("▼") or label == LOSES_FUNDING
                return QBrush(QColor(DOWN if worse else UP))
            if not self._funded[row]:
                return QBrush(QColor(current_theme().unfunded_text))
        if role == Qt.ItemDataRole.FontRole and (col == 2 or not self._funded[row]):
            font = QFont()
            font.setBold(col == 2)
            font.setItalic(not self._funded[row])
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ScenarioList(QWidget):
    """A titled ranked list that draws its cut line and reports the selected initiative."""

    rowSelected = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLabel()
        self.title.setProperty("role", "heading")
        self.model = ScenarioListModel(self)
        self.table = _CutLineTable(self.model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table)
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _: self.rowSelected.emit(self.model.row_of(cur.row())) if cur.isValid() else None)

    def select(self, row: int) -> None:
        pos = self.model.view_row(row)
        if pos >= 0:
            index = self.model.index(pos, 1)
            self.table.selectionModel().blockSignals(True)
            self.table.setCurrentIndex(index)
            self.table.selectionModel().blockSignals(False)
            self.table.scrollTo(index)
            self.table.viewport().update()


class _CutLineTable(QTableView):
    def _fit_change_column(self) -> None:
        """The change column as wide as its longest word, in this font, so the titles get the rest."""
        bold = QFont(self.font())
        bold.setBold(True)
        words = (LOSES_FUNDING, NEWLY_FUNDED, "Change")
        self.setColumnWidth(2, max(QFontMetrics(bold).horizontalAdvance(w) for w in words) + 24)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # a zoom: measured again
            self._fit_change_column()

    def __init__(self, model):
        super().__init__()
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        self.setColumnWidth(0, 44)
        self._fit_change_column()
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setMinimumWidth(120)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        cut = self.model().cut_line
        if cut is None:
            return
        from PySide6.QtGui import QPainter, QPen

        y = self.rowViewportPosition(cut - 1)
        if 0 <= y <= self.viewport().height():
            painter = QPainter(self.viewport())
            painter.setPen(QPen(QColor(CUT_LINE), 3, Qt.PenStyle.DashLine))
            painter.drawLine(0, y, self.viewport().width(), y)
            painter.end()
