"""The reveal: every rating at once, the spread, the disagreements first, and the agreed values to apply.

Keys: arrows move, digits type the agreed value of a row (Enter accepts and moves down), Space
on a row switches its agreed value between mean, median and left out, Ctrl+Enter applies.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cutline.models.rating.summary import RoundSummary
from cutline.views.hotkeys import APPLY, APPLY_BINDINGS
from cutline.views.rating_reveal_model import RevealModel
from cutline.views.rating_setup import threshold_box
from cutline.views.room_look import restyle, style_table


class RevealTable(QTableView):
    """Moves down after an agreed value is typed; Space cycles the row's agreed value."""

    resized = Signal()

    def __init__(self, model: RevealModel, parent=None):
        super().__init__(parent)
        self.setObjectName("revealTable")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setHighlightSections(False)

    def keyPressEvent(self, event) -> None:
        model: RevealModel = self.model()
        index = self.currentIndex()
        agreed = model.column_of("Agreed") if model.summary is not None else -1
        if index.isValid() and event.key() == Qt.Key.Key_Space and not event.modifiers():
            model.cycle_choice(index.row())
        elif index.isValid() and event.key() == Qt.Key.Key_Delete:
            model.set_choice(index.row(), None)
        elif index.isValid() and event.text() and event.text() in "0123456789.," and index.column() != agreed:
            self.setCurrentIndex(model.index(index.row(), agreed))  # typing anywhere sets the agreed value
            super().keyPressEvent(event)
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def closeEditor(self, editor, hint) -> None:
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            index = self.currentIndex()
            below = self.model().index(index.row() + 1, index.column())
            if below.isValid():
                self.setCurrentIndex(below)


class RatingReveal(QWidget):
    """Shows a RoundSummary; the facilitator sets the threshold, agrees on values and applies them."""

    thresholdChanged = Signal(float)
    applyRequested = Signal(object, bool)  # {(initiative id, criterion): value}, confidence follows
    restartRequested = Signal()
    initiativeChanged = Signal(str)        # the initiative of the current row

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("ratingReveal")
        self.model = RevealModel(self)
        self.table = RevealTable(self.model)
        self.heading = QLabel("Where does the room disagree?", objectName="revealHeading")
        self.heading.setProperty("role", "heading")
        self.summary_line = QLabel("", objectName="revealSummary", wordWrap=True)
        self.threshold = threshold_box("revealThreshold")
        self.method = QComboBox(objectName="agreedMethod")
        self.method.addItem("Mean", "mean")
        self.method.addItem("Median", "median")
        self.follow = QCheckBox("Confidence follows agreement", objectName="confidenceFollows")
        self.follow.setToolTip("Lower the confidence of each initiative the room disagreed on "
                               "(times 0.8, never below 10%)")
        self.problem = QLabel("", objectName="revealProblem", wordWrap=True)
        self.problem.setProperty("role", "problem")
        keys = QLabel("Type a number to set a row's agreed value · Space: mean, median or leave out · "
                      f"{APPLY}: apply", objectName="revealKeys", wordWrap=True)
        keys.setProperty("role", "muted")
        self.apply_button = QPushButton("&Apply agreed values", objectName="applyAgreed")
        self.restart_button = QPushButton("&New round…", objectName="revealNewRound")
        self._layout(keys)
        self._connect()
        self.apply_look()

    def _layout(self, keys: QLabel) -> None:
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Discuss a range above"))
        controls.addWidget(self.threshold)
        controls.addSpacing(24)
        controls.addWidget(QLabel("Agree on the"))
        controls.addWidget(self.method)
        controls.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.follow)
        bottom.addStretch(1)
        bottom.addWidget(self.restart_button)
        bottom.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary_line)
        layout.addLayout(controls)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        layout.addWidget(keys)
        layout.addLayout(bottom)

    def _connect(self) -> None:
        self.threshold.valueChanged.connect(self.thresholdChanged)
        self.method.activated.connect(lambda i: self.model.set_method(self.method.itemData(i)))
        self.model.problem.connect(self.problem.setText)
        self.model.agreedChanged.connect(self._refresh_apply)
        self.apply_button.clicked.connect(self.request_apply)
        self.table.resized.connect(self.apply_widths)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _: current.isValid()
            and self.initiativeChanged.emit(self.model.pair_key(current.row())[0]))
        self.restart_button.clicked.connect(self.restartRequested)
        for keys in APPLY_BINDINGS:
            shortcut = QShortcut(QKeySequence(keys), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.request_apply)

    # -- state ------------------------------------------------------------------------------
    def set_summary(self, summary: RoundSummary, titles: dict[str, str] | None = None) -> None:
        """Show the statistics of a revealed round, disagreements first."""
        self.threshold.blockSignals(True)
        self.threshold.setValue(summary.threshold)
        self.threshold.blockSignals(False)
        self.model.set_summary(summary, titles)
        flagged = int(summary.disagree.sum())
        rated = int((summary.count > 0).sum())
        self.summary_line.setText(
            f"{flagged} of {rated} to discuss: their ratings span more than {summary.threshold:g} "
            f"points. {len(summary.participants)} participants; lowest and highest ratings in bold.")
        self.problem.setText("")
        self.apply_widths()
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, self.model.column_of("Agreed")))

    def set_applied(self, applied: bool, text: str = "") -> None:
        """After applying, the button waits until an undo takes the values back."""
        self.apply_button.setEnabled(not applied)
        self.problem.setText(text)

    def _refresh_apply(self) -> None:
        if self.model.summary is None:
            return
        try:
            agreed = self.model.agreed()
        except Exception:  # noqa: BLE001 - a typed value the domain refuses shows on Apply
            return
        count = len({ident for ident, _ in agreed})
        self.apply_button.setText(f"&Apply agreed values ({count} initiative{'s' * (count != 1)})")

    def request_apply(self) -> None:
        from cutline.models.errors import ModelError

        if not self.apply_button.isEnabled():
            return
        try:
            agreed = self.model.agreed()
        except ModelError as exc:
            self.problem.setText(exc.describe())
            return
        if not agreed:
            self.problem.setText("Nothing to apply: every row is left out or has no ratings.")
            return
        self.applyRequested.emit(agreed, self.follow.isChecked())

    # -- look -------------------------------------------------------------------------------
    def apply_look(self, zoom: float | None = None) -> None:
        """Large type for the room; call again after a zoom or theme change."""
        restyle(self)
        style_table(self.table, 1.7)
        metrics = self.table.fontMetrics()
        self.table.setIconSize(QSize(metrics.height(), metrics.height()))
        self.apply_widths()

    def apply_widths(self) -> None:
        """Number columns as wide as their widest text; the initiative gets the rest (readable titles)."""
        m = self.model
        if m.summary is None:
            return
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        used = 0
        for c, name in enumerate(m.headers()):
            if name == "Initiative":
                continue
            texts = [m.shown(r, name) for r in range(m.rowCount())]
            wide = max([metrics.horizontalAdvance(t) for t in texts]
                       + [header.fontMetrics().horizontalAdvance(name)])
            self.table.setColumnWidth(c, wide + 24 + (metrics.height() + 8) * (name == "Discuss?"))
            used += self.table.columnWidth(c)
        room = self.table.viewport().width() - used - 2
        titles = room >= metrics.horizontalAdvance("PLT-000   Title of twenty chars")
        if titles != m.show_titles:
            m.show_titles = titles
            column = m.column_of("Initiative")
            m.dataChanged.emit(m.index(0, column), m.index(m.rowCount() - 1, column))
        self.table.setColumnWidth(m.column_of("Initiative"), max(room, metrics.horizontalAdvance("M" * 8)))
        self.table.horizontalScrollBar().setValue(0)  # the flag column first, always

