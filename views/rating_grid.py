"""The rating grid: each participant types their ratings with the keyboard while the others' stay hidden.

Keys: ↑/↓ move between initiatives, ←/→ between criteria, digits type a rating, Enter accepts
and moves down, Backspace and Escape correct, Delete clears, Tab hands over to the next
participant, Ctrl+Enter reveals, Ctrl+V pastes ratings copied from a spreadsheet.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cutline.models.rating.round import RatingRound
from cutline.views.hotkeys import APPLY, PASTE
from cutline.views.rating_grid_model import BY_CRITERION, BY_PARTICIPANT, RatingGridModel
from cutline.views.room_look import restyle, style_table

TYPED_KEYS = set("0123456789.,")
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class RatingTable(QTableView):
    """The grid's table: all the typing happens here, so no editor widget can swallow a key."""

    typed = Signal(str)          # the entry after a key (digits, "." or ",")
    accepted = Signal(str, int)  # the entry to accept and where to go next: +1 down, 0 stay
    cleared = Signal()
    moved = Signal(int, int)     # rows, criteria
    handOver = Signal(int)       # +1 next participant, -1 previous
    revealRequested = Signal()
    pasteRequested = Signal()

    def __init__(self, model: RatingGridModel, parent=None):
        super().__init__(parent)
        self.setObjectName("ratingTable")
        self.setModel(model)
        self.entry = ""
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setHighlightSections(False)

    def keyPressEvent(self, event) -> None:
        key, mods, text = event.key(), event.modifiers(), event.text()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if ctrl and key in ENTER_KEYS:
            self.revealRequested.emit()
        elif event.matches(QKeySequence.StandardKey.Paste):
            self.pasteRequested.emit()
        elif ctrl or mods & Qt.KeyboardModifier.AltModifier:
            super().keyPressEvent(event)
        elif text and text in TYPED_KEYS:
            self._set_entry(self.entry + text)
        elif key == Qt.Key.Key_Backspace:
            self._set_entry(self.entry[:-1])
        elif key == Qt.Key.Key_Escape and self.entry:
            self._set_entry("")
        elif key == Qt.Key.Key_Delete:
            self._set_entry("")
            self.cleared.emit()
        elif key in ENTER_KEYS:
            self._accept(+1)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -5, Qt.Key.Key_PageDown: 5}[key]
            self._accept(0)
            self.moved.emit(step, 0)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self._accept(0)
            self.moved.emit(0, -1 if key == Qt.Key.Key_Left else 1)
        elif key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            self._accept(0)
            back = key == Qt.Key.Key_Backtab or mods & Qt.KeyboardModifier.ShiftModifier
            self.handOver.emit(-1 if back else 1)
        else:
            super().keyPressEvent(event)

    def _set_entry(self, text: str) -> None:
        self.entry = text
        self.typed.emit(text)

    def _accept(self, step: int) -> None:
        entry, self.entry = self.entry, ""
        if entry or step:
            self.accepted.emit(entry, step)


class RatingGrid(QWidget):
    """One participant at a time rates every chosen initiative; emits each accepted rating."""

    ratingEntered = Signal(str, str, str, object)  # participant, initiative id, criterion, value or None
    revealRequested = Signal()
    importRequested = Signal()
    pasteRequested = Signal(str)                   # the criterion on screen, for pasted cells without one
    restartRequested = Signal()
    initiativeChanged = Signal(str)                # the initiative the cursor is on

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("ratingGrid")
        self.model = RatingGridModel(self)
        self.table = RatingTable(self.model)
        self.heading = QLabel("", objectName="ratingHeading", wordWrap=True)
        self.heading.setProperty("role", "heading")
        self.layout_box = QComboBox(objectName="gridLayout")
        self.layout_box.addItem("By criterion", BY_CRITERION)
        self.layout_box.addItem("By participant", BY_PARTICIPANT)
        self.layout_box.setToolTip("By criterion: one criterion, every participant side by side. "
                                   "By participant: one participant, every criterion.")
        self.criterion_box = QComboBox(objectName="gridCriterion")
        self.progress = QLabel("", objectName="ratingProgress", wordWrap=True)
        self.problem = QLabel("", objectName="ratingProblem", wordWrap=True)
        self.problem.setProperty("role", "problem")
        self.keys = QLabel("Type 0–10 and press Enter · ↑↓ initiatives · ←→ criteria · "
                           f"Tab: next participant · {APPLY}: reveal", objectName="ratingKeys",
                           wordWrap=True)
        self.keys.setProperty("role", "muted")
        self.import_button = QPushButton("&Import sheet…", objectName="importRatings")
        self.import_button.setToolTip("Add ratings from a filled-in Ratings sheet (xlsx, ods or csv)")
        self.paste_button = QPushButton(f"&Paste  ({PASTE})", objectName="pasteRatings")
        self.paste_button.setToolTip("Add ratings copied from a spreadsheet, header row included")
        self.reveal_button = QPushButton(f"Re&veal  ({APPLY})", objectName="revealButton")
        self.restart_button = QPushButton("&New round…", objectName="newRound")
        self._layout()
        self._connect()
        self.apply_look()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(QLabel("Rate"))
        top.addWidget(self.criterion_box)
        top.addWidget(self.layout_box)
        buttons = QHBoxLayout()
        for button in (self.import_button, self.paste_button, self.restart_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.reveal_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.keys)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        t = self.table
        t.typed.connect(lambda text: self._show_entry(text))
        t.accepted.connect(self._on_accepted)
        t.cleared.connect(self._on_cleared)
        t.moved.connect(self._move)
        t.handOver.connect(self.hand_over)
        t.revealRequested.connect(self.revealRequested)
        t.selectionModel().currentRowChanged.connect(
            lambda current, _: current.isValid() and self.initiativeChanged.emit(self.current_initiative()))
        t.pasteRequested.connect(lambda: self.pasteRequested.emit(self.model.criterion))
        self.reveal_button.clicked.connect(self.revealRequested)
        self.import_button.clicked.connect(self.importRequested)
        self.paste_button.clicked.connect(lambda: self.pasteRequested.emit(self.model.criterion))
        self.restart_button.clicked.connect(self.restartRequested)
        self.layout_box.activated.connect(lambda i: self.set_mode(self.layout_box.itemData(i)))
        self.criterion_box.activated.connect(lambda i: self.set_criterion(self.criterion_box.itemText(i)))

    # -- showing a round ----------------------------------------------------------------------
    def set_round(self, round_: RatingRound, titles: dict[str, str] | None = None) -> None:
        """Show `round_` (a new round, or the same round with one more rating)."""
        here = self.table.currentIndex()
        self.model.set_round(round_, titles)
        self.criterion_box.clear()
        self.criterion_box.addItems(list(round_.criteria))
        self._after_change(max(here.row(), 0), here.column())

    def current_participant(self) -> str:
        return self.model.participant

    def current_initiative(self) -> str:
        row = self.table.currentIndex().row()
        return self.model.round.initiatives[row] if row >= 0 else ""

    def set_participant(self, name: str) -> None:
        self.table.entry = ""
        row = max(self.table.currentIndex().row(), 0)
        self.model.set_view(participant=name)
        self._after_change(row)

    def set_criterion(self, criterion: str) -> None:
        self.table.entry = ""
        row = max(self.table.currentIndex().row(), 0)
        self.model.set_view(criterion=criterion)
        self._after_change(row)

    def set_mode(self, mode: str) -> None:
        self.table.entry = ""
        row = max(self.table.currentIndex().row(), 0)
        self.model.set_view(mode=mode)
        self.layout_box.setCurrentIndex(self.layout_box.findData(mode))
        self._after_change(row)

    def hand_over(self, step: int = 1) -> None:
        """Hide this participant's ratings and let the next (or previous) one rate from the top."""
        round_ = self.model.round
        people = round_.participants
        nxt = people[(people.index(self.model.participant) + step) % len(people)]
        self.table.entry = ""
        self.model.set_view(participant=nxt, criterion=round_.criteria[0])
        self._after_change(0, self.model.entry_column(round_.criteria[0]))

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)

    def _after_change(self, row: int, column: int = -1) -> None:
        m = self.model
        self.criterion_box.setCurrentIndex(max(self.criterion_box.findText(m.criterion), 0))
        self.criterion_box.setEnabled(m.mode == BY_CRITERION)
        row = min(row, m.rowCount() - 1)
        if not m.is_entry(row, column):
            column = m.entry_column()
        self.table.setCurrentIndex(m.index(row, column))
        self._refresh_text()
        self.apply_widths()

    def _refresh_text(self) -> None:
        r, m = self.model.round, self.model
        what = m.criterion if m.mode == BY_CRITERION else ", ".join(r.criteria)
        self.heading.setText(f"{m.participant} is rating {what}")
        parts = []
        for name in r.participants:
            n = r.rated_count(name)
            mark = "✓" if r.complete_for(name) else f"{n}/{r.cell_count}"
            parts.append(f"{name} {mark}")
        done = sum(r.complete_for(p) for p in r.participants)
        self.progress.setText(f"Ratings in: {' · '.join(parts)}   —   {done} of "
                              f"{len(r.participants)} done; others' ratings stay hidden until the reveal")

    # -- keys -------------------------------------------------------------------------------
    def _show_entry(self, text: str) -> None:
        index = self.table.currentIndex()
        if not self.model.is_entry(index.row(), index.column()):
            self.table.entry = ""
            return
        self.problem.setText("")
        self.model.set_typing(text, index.row(), index.column())

    def _on_accepted(self, entry: str, step: int) -> None:
        index = self.table.currentIndex()
        self.model.set_typing("", -1, -1)
        key = self.model.key_at(index.row(), index.column())
        if entry and key is not None and self.model.is_entry(index.row(), index.column()):
            try:
                value = float(entry.replace(",", "."))
            except ValueError:
                self.show_problem(f"{entry!r} is not a rating: type a number such as 7 or 7.5.")
                return
            self.ratingEntered.emit(*key, value)
        if step:
            self._move(step, 0, wrap=True)

    def _on_cleared(self) -> None:
        index = self.table.currentIndex()
        key = self.model.key_at(index.row(), index.column())
        if key is not None and self.model.is_entry(index.row(), index.column()):
            self.ratingEntered.emit(*key, None)

    def _move(self, rows: int, criteria: int, wrap: bool = False) -> None:
        m, index = self.model, self.table.currentIndex()
        row = index.row() + rows
        last = m.rowCount() - 1
        if criteria or (wrap and row > last):
            crits = m.round.criteria
            step = criteria or 1
            here = crits.index(m.criterion if m.mode == BY_CRITERION else crits[index.column() - 1])
            there = here + step
            if not 0 <= there < len(crits):
                self.table.setCurrentIndex(m.index(min(row, last), index.column()))
                return
            row = 0 if wrap and row > last else index.row()
            if m.mode == BY_CRITERION:
                self.set_criterion(crits[there])
            self.table.setCurrentIndex(m.index(row, m.entry_column(crits[there])))
            return
        self.table.setCurrentIndex(m.index(max(0, min(row, last)), index.column()))

    # -- look -------------------------------------------------------------------------------
    def apply_look(self, zoom: float | None = None) -> None:
        """Large type for the room; call again after a zoom or theme change."""
        restyle(self)
        style_table(self.table, 1.8)
        self.apply_widths()

    def apply_widths(self) -> None:
        """Rating columns as wide as their header; the initiative column takes the rest."""
        m = self.model
        if m.round is None:
            return
        header = self.table.horizontalHeader()
        metrics, bold = self.table.fontMetrics(), header.fontMetrics()
        for c in range(1, m.columnCount()):
            text = str(m.headerData(c, Qt.Orientation.Horizontal))
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(c, max(bold.horizontalAdvance(text) + 40,
                                             metrics.horizontalAdvance("10.5") + 60))
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
