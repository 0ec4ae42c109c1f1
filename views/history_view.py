"""The workshop's decision log (time, scenario, what changed, old → new), notes, and undo history."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

HEADERS = ("When", "Scenario", "What changed")
#: The widest the scenario column gets on its own (it can be dragged wider).
SCENARIO_WIDTH = 120


def local_time(iso: str) -> str:
    """An ISO UTC time as the PM's local "4 Dec 2026 14:05": a log outlives the year it was written in."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return iso
    return f"{moment.day} {moment:%b %Y %H:%M}"


class HistoryView(QWidget):
    """Newest first; notes stand out. Emits `noteAdded` with the text the PM typed."""

    noteAdded = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("historyView")
        self.table = QTableWidget(0, len(HEADERS), objectName="journalTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(1, SCENARIO_WIDTH)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # What changed wraps: when its column narrows or widens, the rows follow its lines.
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self._rows_timer = QTimer(self, singleShot=True, interval=0)
        self._rows_timer.timeout.connect(self.table.resizeRowsToContents)
        header.sectionResized.connect(lambda column, _old, _new: column == 2 and self._rows_timer.start())
        self.note = QLineEdit(placeholderText="Add a note to the log, e.g. “agreed: defer the SSO "
                              "rewrite to Q3”", objectName="noteEdit")
        add = QPushButton("Add note", objectName="addNote")
        add.clicked.connect(self._add_note)
        self.note.returnPressed.connect(self._add_note)
        self.undo_view = QUndoView(objectName="undoView")
        self.undo_view.setEmptyLabel("Imported or opened")
        self.undo_view.setMaximumWidth(340)
        log = QWidget()
        log_layout = QVBoxLayout(log)
        log_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("What did the workshop decide?")
        title.setProperty("role", "heading")
        log_layout.addWidget(title)
        log_layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(add)
        log_layout.addLayout(row)
        undo = QWidget()
        undo_layout = QVBoxLayout(undo)
        undo_layout.setContentsMargins(0, 0, 0, 0)
        undo_title = QLabel("Undo history (click a step\nto go back to it)")
        undo_title.setProperty("role", "heading")
        undo_layout.addWidget(undo_title)
        undo_layout.addWidget(self.undo_view, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(log)
        splitter.addWidget(undo)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(splitter)

    def minimumSizeHint(self) -> QSize:
        return QSize(320, 200)  # shares the chart area: never widen the window

    def set_stack(self, stack) -> None:
        self.undo_view.setStack(stack)

    def set_entries(self, entries) -> None:
        """Show journal entries (oldest first as stored; shown newest first)."""
        rows = list(reversed(list(entries)))
        self.table.setRowCount(len(rows))
        for r, entry in enumerate(rows):
            what = entry.summary if entry.kind != "note" else f"Note: {entry.summary}"
            cells = (local_time(entry.time), entry.scenario, what)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if entry.kind == "note":
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        # The scenario takes what its names need up to SCENARIO_WIDTH (a longer one wraps), so
        # what changed keeps the room in a narrow chart area.
        metrics = self.table.fontMetrics()
        widest = max([metrics.horizontalAdvance(e.scenario) for e in rows] + [metrics.horizontalAdvance(HEADERS[1])])
        self.table.setColumnWidth(1, min(SCENARIO_WIDTH, widest + 24))
        self.table.resizeRowsToContents()

    def _add_note(self) -> None:
        text = self.note.text().strip()
        if text:
            self.note.clear()
            self.noteAdded.emit(text)
