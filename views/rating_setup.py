"""Choosing a rating round: which initiatives, which criteria, who rates, and when the room disagrees."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cutline.models.errors import ModelError
from cutline.models.portfolio.portfolio import NUMERIC_FIELDS
from cutline.models.rating.round import DEFAULT_THRESHOLD, RatingRound
from cutline.models.rating.summary import select_near_cut_line
from cutline.views.hotkeys import APPLY, APPLY_BINDINGS
from cutline.views.palette import CUT_LINE
from cutline.views.room_look import restyle

#: How many ranks either side of the cut line the list offers (the whole list when it is short).
LIST_REACH = 30
#: Criteria a room usually rates together; the others are one tick away.
DEFAULT_CRITERIA = ("dx", "risk")
IdRole = Qt.ItemDataRole.UserRole + 1


def threshold_box(name: str) -> QDoubleSpinBox:
    """A spin box for the disagreement threshold: a range above it is a disagreement."""
    box = QDoubleSpinBox(objectName=name)
    box.setDecimals(1)
    box.setRange(0.0, 100.0)
    box.setSingleStep(0.5)
    box.setSuffix(" points")
    box.setValue(DEFAULT_THRESHOLD)
    box.setToolTip("The room disagrees on an initiative when its ratings span more than this")
    return box


class RatingSetup(QWidget):
    """The facilitator's form; `startRequested` carries a new, empty, hidden RatingRound."""

    startRequested = Signal(object)  # RatingRound
    roomRequested = Signal(object)   # RatingRound without participants: they join from their devices

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("ratingSetup")
        self._evaluation = None
        self._pending = None  # an evaluation not shown yet
        heading = QLabel("What will the room rate?", objectName="ratingSetupHeading")
        heading.setProperty("role", "heading")
        self.count = QSpinBox(objectName="suggestCount")
        self.count.setRange(1, 60)
        self.count.setValue(12)
        self.suggest = QPushButton("&Suggest", objectName="suggestButton")
        self.initiatives = QListWidget(objectName="setupInitiatives")
        self.initiatives.setAlternatingRowColors(True)
        order = DEFAULT_CRITERIA + tuple(f for f in NUMERIC_FIELDS if f not in DEFAULT_CRITERIA)
        self.criteria = {name: QCheckBox(name, objectName=f"criterion_{name}") for name in order}
        for name in DEFAULT_CRITERIA:
            self.criteria[name].setChecked(True)
        self.participants = QLineEdit(objectName="participants",
                                      placeholderText="Names, separated by commas: Ann, Bo, Cy")
        self.threshold = threshold_box("setupThreshold")
        self.start = QPushButton(f"Start &rating  ({APPLY})", objectName="startRating")
        self.start.setDefault(True)
        self.open_room = QPushButton("Open to the r&oom…", objectName="openRoom")
        self.open_room.setToolTip("Participants join from their own phones or laptops on this network")
        self.problem = QLabel("", objectName="setupProblem", wordWrap=True)
        self.problem.setProperty("role", "problem")
        self.heading = heading
        self._layout(heading)
        self.apply_look()
        self.suggest.clicked.connect(self.suggest_near_cut_line)
        self.start.clicked.connect(self.request_start)
        self.open_room.clicked.connect(self.request_room)
        for keys in APPLY_BINDINGS:
            shortcut = QShortcut(QKeySequence(keys), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.request_start)

    def _layout(self, heading: QLabel) -> None:
        pick = QHBoxLayout()
        pick.addWidget(QLabel("Initiatives nearest the cut line:"))
        pick.addWidget(self.count)
        pick.addWidget(self.suggest)
        pick.addStretch(1)
        ticks = QGridLayout()
        for i, box in enumerate(self.criteria.values()):
            ticks.addWidget(box, i // 3, i % 3)
        form = QFormLayout()
        # In a narrow dock (a laptop) a field goes under its label rather than past the edge.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Criteria to rate", ticks)
        form.addRow("&Participants", self.participants)
        form.addRow("Disagreement above", self.threshold)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(pick)
        hint = QLabel("Space ticks or unticks an initiative; the dashed row is the cut line.", wordWrap=True)
        hint.setProperty("role", "muted")
        layout.addWidget(hint)
        layout.addWidget(self.initiatives, 1)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_room)
        buttons.addWidget(self.start)
        layout.addLayout(buttons)

    def apply_look(self, zoom: float | None = None) -> None:
        """Large type for the room; call again after a zoom or theme change."""
        restyle(self)

    # -- state ------------------------------------------------------------------------------
    def set_evaluation(self, evaluation) -> None:
        """Offer the initiatives around the cut line of `evaluation`, keeping the ticks made.
        While the setup is hidden (most of a workshop) the list is filled when it is next read or shown."""
        self._pending = evaluation
        if self.isVisible():
            self._catch_up()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._catch_up()

    def _catch_up(self) -> None:
        evaluation, self._pending = self._pending, None
        if evaluation is None:
            return
        ticked = set(self.chosen_ids()) if self._evaluation is not None else None
        self._evaluation = evaluation
        self._fill(evaluation)
        if ticked:
            self._tick(lambda ident: ident in ticked)
        else:
            self.suggest_near_cut_line()

    def _fill(self, ev) -> None:
        order = np.asarray(ev.ranking.order, dtype=np.int64)
        cut = ev.allocation.cut_line
        centre = len(order) if cut is None else cut - 1
        lo, hi = max(centre - LIST_REACH, 0), min(centre + LIST_REACH, len(order))
        ids, titles = ev.portfolio.ids, ev.portfolio.text("title")
        funded = ev.allocation.funded
        self.initiatives.clear()
        for pos in range(lo, hi):
            if cut is not None and pos == cut - 1:
                self._add_cut_line_row(cut)
            row = int(order[pos])
            state = "funded" if funded[row] else "not funded"
            item = QListWidgetItem(f"#{pos + 1}   {ids[row]}   {titles[row]}   ({state})")
            item.setData(IdRole, str(ids[row]))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.initiatives.addItem(item)

    def _add_cut_line_row(self, cut: int) -> None:
        item = QListWidgetItem(f"- - - - -   cut line: #{cut} is the first not funded   - - - - -")
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        item.setForeground(QColor(CUT_LINE))
        font = QFont()
        font.setBold(True)
        item.setFont(font)
        self.initiatives.addItem(item)

    def suggest_near_cut_line(self) -> None:
        """Tick the initiatives nearest the cut line (half above, half below)."""
        if self._pending is not None:
            self._catch_up()  # which suggests near the new cut line itself
            return
        ev = self._evaluation
        if ev is None:
            return
        rows = select_near_cut_line(ev.ranking, ev.allocation, self.count.value())
        wanted = {str(ev.portfolio.ids[r]) for r in rows}
        self._tick(lambda ident: ident in wanted)

    def _tick(self, wanted) -> None:
        first = None
        for i in range(self.initiatives.count()):
            item = self.initiatives.item(i)
            ident = item.data(IdRole)
            if ident is None:
                continue
            on = wanted(ident)
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            if on and first is None:
                first = item
        if first is not None:
            self.initiatives.setCurrentItem(first)
            self.initiatives.scrollToItem(first, QListWidget.ScrollHint.PositionAtCenter)

    # -- reading the form ----------------------------------------------------------------------
    def chosen_ids(self) -> list[str]:
        self._catch_up()
        """Ticked initiatives, best ranked first."""
        out = []
        for i in range(self.initiatives.count()):
            item = self.initiatives.item(i)
            if item.data(IdRole) is not None and item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(IdRole))
        return out

    def chosen_criteria(self) -> list[str]:
        return [name for name, box in self.criteria.items() if box.isChecked()]

    def participant_names(self) -> list[str]:
        return [n.strip() for n in self.participants.text().replace(";", ",").split(",") if n.strip()]

    def built_round(self, *, room: bool = False) -> RatingRound:
        """A new round from the form; ModelError says what is missing. A round opened to the
        `room` needs no names: participants join with theirs."""
        ids, criteria, people = self.chosen_ids(), self.chosen_criteria(), self.participant_names()
        if room:
            people = []
        if not ids:
            raise ModelError("Tick at least one initiative to rate.")
        if not criteria:
            raise ModelError("Tick at least one criterion to rate, for example dx or risk.")
        if len(people) < 2 and not room:
            raise ModelError("Name at least two participants, separated by commas.",
                             hint="Group rating compares the ratings of several people.")
        return RatingRound.start(criteria, ids, people, threshold=self.threshold.value())

    def request_start(self) -> None:
        try:
            round_ = self.built_round()
        except ModelError as exc:
            self.problem.setText(exc.describe())
            return
        self.problem.setText("")
        self.startRequested.emit(round_)

    def request_room(self) -> None:
        try:
            round_ = self.built_round(room=True)
        except ModelError as exc:
            self.problem.setText(exc.describe())
            return
        self.problem.setText("")
        self.roomRequested.emit(round_)
