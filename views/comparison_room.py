"""The comparison for the room: 2-4 scenarios (and one more plan) as column groups, full window.

The id and title stay on the left in their own frozen table; the plans' columns sit to the
right and scroll sideways under a band that names each plan, if they ever need more room.
Both tables share one model and one selection, and scroll up and down together.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cutline.models.scenarios.comparison import LOSES_FUNDING, NEWLY_FUNDED, PlanColumn
from cutline.models.words.counts import counted
from cutline.views.best_plan_summary import BestPlanSummary
from cutline.views.comparison_room_model import (
    FROZEN_COLUMNS,
    FUNDED_MARK,
    ID_COLUMN,
    TITLE_COLUMN,
    UNFUNDED_MARK,
    ComparisonRoomModel,
    RowRole,
)
from cutline.views.hotkeys import LEAVE
from cutline.views.theme import current_theme

#: The title column never gets narrower than this many average characters.
TITLE_MIN_CHARS = 24
#: At most this many scenarios side by side (an extra plan comes on top).
MAX_SCENARIOS = 4
#: Padding added to a column's widest text (cell margins and the sort of breathing room a room needs).
PAD = 12


class ComparisonRoom(QWidget):
    """Shows a Comparison in full window; emits the selected initiative and a wish to leave."""

    rowSelected = Signal(int)
    leaveAsked = Signal()
    scenariosChosen = Signal(list)
    bestPlanAsked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("comparisonRoom")
        self.model = ComparisonRoomModel(self)
        self.heading = QLabel("Scenarios side by side", objectName="roomHeading")
        self.heading.setProperty("role", "heading")
        self.summary = QLabel("Open a workshop to compare its scenarios.", objectName="roomSummary", wordWrap=True)
        self.picker = QHBoxLayout()
        self.picks: list[QToolButton] = []
        self.back = QPushButton(f"Back to the ranking ({LEAVE})", objectName="roomBack")
        self.back.clicked.connect(self.leaveAsked)
        self.find_best = QPushButton("Find the best plan…", objectName="roomFindBest")
        self.find_best.setToolTip("The funded set with the most total score within capacity, beside the walk's")
        self.find_best.clicked.connect(self.bestPlanAsked)
        #: The band about the best plan (hidden until one is found).
        self.best_plan = BestPlanSummary()
        self.names = _RoomTable(self.model, frozen=True)
        self.plans = _RoomTable(self.model, frozen=False)
        self.plans.setSelectionModel(self.names.selectionModel())
        self.band = _PlanBand(self.plans)
        self.names_band = _PlanBand(None)
        self.legend = QLabel(objectName="roomLegend", wordWrap=True)
        self._widths: dict[int, int] = {}
        self._widths_key: tuple | None = None
        self._build()
        self._link_scrolling()
        self.names.selectionModel().currentRowChanged.connect(self._on_current)

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(16)
        top.addLayout(self.picker)
        top.addStretch(1)
        top.addWidget(self.find_best)
        top.addWidget(self.back)
        left = QVBoxLayout()
        left.setSpacing(0)
        left.addWidget(self.names_band)
        left.addWidget(self.names, 1)
        right = QVBoxLayout()
        right.setSpacing(0)
        right.addWidget(self.band)
        right.addWidget(self.plans, 1)
        tables = QHBoxLayout()
        tables.setSpacing(0)
        tables.addLayout(left)
        tables.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.best_plan)
        layout.addLayout(tables, 1)
        layout.addWidget(self.legend)

    def _link_scrolling(self) -> None:
        mine, theirs = self.names.verticalScrollBar(), self.plans.verticalScrollBar()
        theirs.valueChanged.connect(mine.setValue)
        mine.valueChanged.connect(theirs.setValue)
        self.plans.horizontalHeader().sectionResized.connect(lambda *_: self.band.update())
        self.plans.horizontalScrollBar().valueChanged.connect(lambda _: self.band.update())
        self.plans.horizontalScrollBar().rangeChanged.connect(self._match_bottoms)

    def _match_bottoms(self, _low: int, high: int) -> None:
        """A sideways scroll bar under the plans gets an empty twin under the names, so rows line up."""
        policy = Qt.ScrollBarPolicy.ScrollBarAlwaysOn if high > 0 else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        self.names.setHorizontalScrollBarPolicy(policy)

    def minimumSizeHint(self) -> QSize:
        return QSize(480, 320)

    # -- choosing -----------------------------------------------------------------------------
    def set_scenarios(self, names: list[str], chosen: list[str]) -> None:
        """One toggle per scenario of the workshop; the ticked ones are compared, first as baseline."""
        if [b.property("scenario") for b in self.picks] == list(names):  # only the ticks change
            for button in self.picks:
                button.blockSignals(True)
                button.setChecked(button.property("scenario") in chosen)
                _mark(button)
                button.blockSignals(False)
            return
        for button in self.picks:
            self.picker.removeWidget(button)
            button.hide()  # gone from sight now; deleted when the event loop next runs
            button.deleteLater()
        self.picks = []
        for name in names:
            button = QToolButton(checkable=True, objectName="roomPick")
            button.setProperty("scenario", name)
            button.setChecked(name in chosen)
            _mark(button)
            button.setToolTip(f"Compare {name} (up to {MAX_SCENARIOS}; the first ticked is the baseline)")
            button.toggled.connect(self._on_pick)
            self.picker.addWidget(button)
            self.picks.append(button)

    def chosen(self) -> list[str]:
        return [b.property("scenario") for b in self.picks if b.isChecked()][:MAX_SCENARIOS]

    def _on_pick(self, on: bool) -> None:
        button = self.sender()
        if on and len([b for b in self.picks if b.isChecked()]) > MAX_SCENARIOS:
            button.setChecked(False)  # a fifth would not fit: the toggle springs back
            return
        _mark(button)
        self.scenariosChosen.emit(self.chosen())

    # -- showing ------------------------------------------------------------------------------
    def show_comparison(self, comparison, titles: np.ndarray, plan: PlanColumn | None = None) -> None:
        """Fill the tables; `plan` (e.g. an optimiser's best plan) becomes one more column group."""
        self.model.set_comparison(comparison, titles, plan)
        for column in range(self.model.columnCount()):
            frozen = column < FROZEN_COLUMNS
            self.names.setColumnHidden(column, not frozen)
            self.plans.setColumnHidden(column, frozen)
        self.summary.setText(_summary(comparison, self.model))
        self.legend.setText(f"{FUNDED_MARK} funded · {UNFUNDED_MARK} not funded · ▲3 / ▼5 places up or down "
                            f"against {comparison.names[0]} · “{NEWLY_FUNDED}”, “{LOSES_FUNDING}” · "
                            f"tinted rows: funding differs · sorted by {comparison.names[0]}'s rank")
        self.names_band.set_title("Initiative")
        self.fit_columns()

    def fit_columns(self) -> None:
        """Widths from the type: the id whole, each plan's columns their widest text, the title the rest."""
        model = self.model
        if model.columnCount() == 0:
            return
        cell = QFontMetrics(self.plans.font())
        bold = QFont(self.plans.font())
        bold.setBold(True)
        strong = QFontMetrics(bold)
        heading_font = QFont(self.plans.horizontalHeader().font())
        heading_font.setWeight(QFont.Weight.DemiBold)  # as the style sheet draws the sections (600)
        header = QFontMetrics(heading_font)
        for table in (self.names, self.plans):
            table.apply_row_height()
        self.band.set_height(header)
        self.names_band.set_height(header)
        natural = self._natural_widths(cell, strong, header)
        used = 0
        for column in range(FROZEN_COLUMNS, model.columnCount()):
            self.plans.setColumnWidth(column, natural[column])
            used += self.plans.columnWidth(column)  # the header may hold a column wider than asked
        id_width = natural[ID_COLUMN]
        self.names.setColumnWidth(ID_COLUMN, id_width)
        longest = natural[TITLE_COLUMN]
        room = self.width() - self.layout().contentsMargins().left() - self.layout().contentsMargins().right()
        plans_need = used + self.plans.verticalScrollBar().sizeHint().width() + 2 * self.plans.frameWidth()
        spare = room - plans_need - id_width - 2 * self.names.frameWidth()
        title = max(cell.averageCharWidth() * TITLE_MIN_CHARS, min(longest, spare))
        self.names.setColumnWidth(TITLE_COLUMN, title)
        self.names.setFixedWidth(id_width + title + 2 * self.names.frameWidth())
        self.names_band.setFixedWidth(self.names.width())
        self.band.update()

    def _natural_widths(self, cell: QFontMetrics, strong: QFontMetrics, header: QFontMetrics) -> dict[int, int]:
        """Each column's widest text (the title's too), measured once per comparison and type size."""
        key = (self.model.version, cell.height(), strong.height(), header.height(), self.plans.font().key())
        if self._widths_key != key:
            model = self.model
            self._widths = {c: _column_width(model, c, cell, strong, header) for c in range(model.columnCount())
                            if c != TITLE_COLUMN}
            self._widths[TITLE_COLUMN] = _widest(model.titles, cell) + PAD
            self._widths_key = key
        return self._widths

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    # -- selection ----------------------------------------------------------------------------
    def select(self, row: int) -> None:
        pos = self.model.view_row(row)
        if pos < 0:
            return
        index = self.model.index(pos, ID_COLUMN)
        selection = self.names.selectionModel()
        selection.blockSignals(True)
        self.names.setCurrentIndex(index)
        selection.blockSignals(False)
        self.names.scrollTo(index)
        for table in (self.names, self.plans):
            table.viewport().update()

    def _on_current(self, current, _previous) -> None:
        if current.isValid():
            self.rowSelected.emit(int(self.model.data(current, RowRole)))


def _mark(button: QToolButton) -> None:
    """A scenario's toggle says in words whether it is shown: a tick, or a plus to add it."""
    button.setText(f"{'✔' if button.isChecked() else '+'} {button.property('scenario')}")


def _column_width(model, column: int, cell: QFontMetrics, strong: QFontMetrics, header: QFontMetrics) -> int:
    """The widest of the column's header and texts, in the font its cells are drawn in."""
    kind = model.kind(column)
    metrics = strong if kind in ("id", "change", "funded") else cell
    texts = model.texts(column)
    if kind in ("rank", "score") and len(texts) > 50:
        # Numbers: figures share one width, so the longest strings are the widest.
        texts = sorted(set(texts), key=len)[-20:]
    widest = _widest(texts, metrics)
    heading = header.horizontalAdvance(str(model.headerData(column, Qt.Orientation.Horizontal)))
    return max(widest, heading) + PAD


def _widest(texts: list[str], metrics: QFontMetrics, *, exact_up_to: int = 2000) -> int:
    """The pixel width of the widest text. Many distinct texts (100,000 ids) are first ranked by
    the sum of their characters' advances, which is never less than the text's width in practice
    (kerning only narrows), and the leaders measured; the estimate is kept if it is larger."""
    distinct = list(set(texts))
    if len(distinct) <= exact_up_to:
        return max((metrics.horizontalAdvance(t) for t in distinct), default=0)
    sums = _advance_sums(distinct, metrics)
    leaders = np.argsort(sums)[-50:]
    exact = max(metrics.horizontalAdvance(distinct[i]) for i in leaders.tolist())
    return max(exact, int(sums[leaders[-1]]))


def _advance_sums(texts: list[str], metrics: QFontMetrics) -> np.ndarray:
    """Per text, the sum of its characters' advances: code points as a numpy grid, one lookup each."""
    grid = np.array(texts, dtype=str).view(np.uint32).reshape(len(texts), -1)
    advance = np.zeros(int(grid.max()) + 1, dtype=np.int64)
    present = np.flatnonzero(np.bincount(grid.ravel()))
    advance[present] = [0 if c == 0 else metrics.horizontalAdvance(chr(c)) for c in present.tolist()]
    return advance[grid].sum(axis=1)


def _summary(comparison, model: ComparisonRoomModel) -> str:
    differs = sum(model.funding_differs(r) for r in range(model.rowCount()))
    plans = len(model.groups)
    if plans < 2:
        return ("Only one plan to show: tick a second scenario above, or make one with "
                "Scenario > New scenario, to see what changes.")
    return (f"{counted(len(comparison.ids), 'initiative')} · funding differs for {differs} of them "
            f"between the {plans} plans")


class _RoomTable(QTableView):
    """One half of the room's table: the frozen id and title, or the plans' columns."""

    def __init__(self, model, *, frozen: bool):
        super().__init__()
        self.setModel(model)
        self.frozen = frozen
        self.setObjectName("roomNames" if frozen else "roomPlans")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setHighlightSections(False)
        if frozen:
            # The plans' table carries the one vertical scroll bar; the names follow it.
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        else:
            self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)

    def apply_row_height(self) -> None:
        height = QFontMetrics(self.font()).height() + 12
        self.verticalHeader().setMinimumSectionSize(height)
        self.verticalHeader().setDefaultSectionSize(height)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self.frozen:
            return
        # A rule between plans: each group of columns reads as one plan.
        model = self.model()
        painter = QPainter(self.viewport())
        painter.setPen(QPen(QColor(current_theme().muted), 2))
        for group in model.groups[1:]:
            x = self.columnViewportPosition(group.first)
            painter.drawLine(x, 0, x, self.viewport().height())
        painter.end()


class _PlanBand(QWidget):
    """The strip above a table that names each plan over its columns (or one title over all)."""

    def __init__(self, table: _RoomTable | None):
        super().__init__()
        self.table = table
        self.title = ""
        self.setObjectName("roomBand")

    def set_title(self, title: str) -> None:
        self.title = title
        self.update()

    def set_height(self, metrics: QFontMetrics) -> None:
        self.setFixedHeight(3 * metrics.height() + 10)

    def paintEvent(self, event) -> None:
        theme = current_theme()
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(theme.window))
        bold = QFont(self.font())
        bold.setBold(True)
        line = QFontMetrics(bold).height()
        if self.table is None:
            painter.setFont(bold)
            painter.setPen(QColor(theme.text))
            painter.drawText(QRect(6, 4, self.width() - 8, self.height() - 8),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom), self.title)
            painter.end()
            return
        offset = self.table.viewport().x()  # the band sits right above the table
        model = self.table.model()
        for group in model.groups:
            left = self.table.columnViewportPosition(group.first) + offset
            right = (self.table.columnViewportPosition(group.last)
                     + self.table.columnWidth(group.last) + offset)
            box = QRect(left + 6, 4, right - left - 10, self.height() - 6)
            painter.setPen(QPen(QColor(theme.muted), 2))
            painter.drawLine(left, self.height() - 2, right - 2, self.height() - 2)
            painter.setFont(bold)
            painter.setPen(QColor(theme.text))
            name = QFontMetrics(bold).elidedText(group.name, Qt.TextElideMode.ElideRight, box.width())
            painter.drawText(QRect(box.x(), box.y(), box.width(), line), int(Qt.AlignmentFlag.AlignLeft), name)
            painter.setFont(self.font())
            painter.setPen(QColor(theme.muted))
            metrics = QFontMetrics(self.font())
            for k, words in enumerate(group.words.split("\n")[:2], start=1):
                words = metrics.elidedText(words, Qt.TextElideMode.ElideRight, box.width())
                painter.drawText(QRect(box.x(), box.y() + k * line, box.width(), line),
                                 int(Qt.AlignmentFlag.AlignLeft), words)
        painter.end()

