"""The reveal as a table model: every rating at once, the spread, the flag, and the agreed value.

Rows follow the summary's order (disagreements first). Each row's agreed value comes from the
room's mean or median (rounded as `agreed_values` rounds), a value the facilitator typed, or
nothing (the input is left as it is).
"""

from __future__ import annotations

import numpy as np
from cutline.models.rating.round import value_problem
from cutline.models.rating.summary import (
    AGREEMENT_METHODS,
    RoundSummary,
    agreed_values,
    round_half_up,
)
from cutline.views.palette import CUT_LINE
from cutline.views.theme import current_theme
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QApplication, QStyle

SKIP = "skip"
#: Words for where an agreed value comes from, shown beside the agreed value.
SOURCE_WORDS = {"mean": "mean", "median": "median", SKIP: "left out", "typed": "typed"}
DISCUSS = "discuss"


def _g(value: float) -> str:
    return "" if value != value else f"{value:g}"


class RevealModel(QAbstractTableModel):
    """One row per rated (initiative, criterion) pair; only the agreed value is editable."""

    problem = Signal(str)       # a typed agreed value that cannot be used, in the PM's words
    agreedChanged = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.summary: RoundSummary | None = None
        self.titles: dict[str, str] = {}
        self.method = "mean"
        self.choices: dict[tuple[str, str], object] = {}  # pair -> "mean" | "median" | SKIP | float
        self._rounded: dict[str, np.ndarray] = {}
        self.show_titles = True  # off when the panel is too narrow for a readable title
        self._bold = QFont()
        self._bold.setBold(True)

    # -- state ------------------------------------------------------------------------------
    def set_summary(self, summary: RoundSummary, titles: dict[str, str] | None = None) -> None:
        """Show a (new) summary; choices made for pairs still in it are kept."""
        self.beginResetModel()
        if self.summary is not None and summary.round_id != self.summary.round_id:
            self.choices = {}
        self.summary = summary
        if titles is not None:
            self.titles = dict(titles)
        self._rounded = {m: round_half_up(getattr(summary, m), 1) for m in AGREEMENT_METHODS}
        self.endResetModel()
        self.agreedChanged.emit()

    def set_method(self, method: str) -> None:
        self.method = method
        self._changed_all()

    def set_choice(self, row: int, choice: object) -> None:
        """Mean, median, SKIP, a typed float, or None to follow the default method."""
        pair = self.pair_key(row)
        if choice is None or choice == self.method:
            self.choices.pop(pair, None)
        else:
            self.choices[pair] = choice
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.agreedChanged.emit()

    def cycle_choice(self, row: int) -> None:
        """Mean → median → left out → mean (a typed value is replaced)."""
        order = ("mean", "median", SKIP)
        now = self.choice(row)
        self.set_choice(row, order[(order.index(now) + 1) % 3] if now in order else "mean")

    def _changed_all(self) -> None:
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
        self.agreedChanged.emit()

    # -- reading ----------------------------------------------------------------------------
    def pair(self, row: int) -> int:
        return int(self.summary.order[row])

    def pair_key(self, row: int) -> tuple[str, str]:
        p = self.pair(row)
        return str(self.summary.initiative[p]), str(self.summary.criterion[p])

    def choice(self, row: int) -> object:
        return self.choices.get(self.pair_key(row), self.method)

    def agreed_for(self, row: int) -> tuple[float | None, str]:
        """The agreed value of a row (None when not applied) and where it comes from."""
        choice, p = self.choice(row), self.pair(row)
        if isinstance(choice, float):
            return choice, "typed"
        if choice == SKIP:
            return None, SOURCE_WORDS[SKIP]
        if self.summary.count[p] == 0:
            return None, "no ratings"
        return float(self._rounded[choice][p]), SOURCE_WORDS[choice]

    def agreed(self) -> dict[tuple[str, str], float]:
        """The agreed values to apply, computed by the domain from the method and the overrides."""
        overrides = {}
        for pair, choice in self.choices.items():
            if choice == SKIP:
                overrides[pair] = None
            elif isinstance(choice, float):
                overrides[pair] = choice
            else:
                s = self.summary
                overrides[pair] = float(self._rounded[choice][s.pair_index(*pair)])
        return agreed_values(self.summary, self.method, overrides)

    def headers(self) -> list[str]:
        people = list(self.summary.participants) if self.summary is not None else []
        return ["Discuss?", "Initiative", "Criterion", *people, "Range", "Std", "Agreed"]

    def column_of(self, header: str) -> int:
        return self.headers().index(header)

    # -- Qt model interface -------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.summary is None else len(self.summary)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.summary is None else len(self.headers())

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return {"Range": "Highest minus lowest rating", "Std": "Standard deviation of the ratings",
                    "Agreed": "The value the input takes: Space switches mean, median or left out; "
                              "type another after discussion"}.get(self.headers()[section])
        return None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and index.column() == self.column_of("Agreed"):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.summary is None:
            return None
        row, column = index.row(), index.column()
        name = self.headers()[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.shown(row, name)
        if role == Qt.ItemDataRole.EditRole:
            return self.text(row, name)
        disagree = bool(self.summary.disagree[self.pair(row)])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            left = name in ("Discuss?", "Initiative", "Criterion", "Agreed")
            return int((Qt.AlignmentFlag.AlignLeft if left else Qt.AlignmentFlag.AlignCenter)
                       | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and name == "Initiative":
            return self.titles.get(self.pair_key(row)[0]) or None
        if role == Qt.ItemDataRole.ToolTipRole and name == "Agreed":
            p = self.pair(row)
            return (f"Mean {_g(self._rounded['mean'][p])}, median {_g(self._rounded['median'][p])}. "
                    "Space switches between mean, median and leaving it out; type a number to set it.")
        if role == Qt.ItemDataRole.DecorationRole and name == "Discuss?" and disagree:
            return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.ForegroundRole:
            if name == "Discuss?" and disagree:
                return QBrush(QColor(CUT_LINE))
            if name == "Discuss?":
                return QBrush(QColor(current_theme().muted))
        if role == Qt.ItemDataRole.FontRole and (self._is_extreme(row, name) or name == "Agreed"
                                                 or (name == "Discuss?" and disagree)):
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole and disagree:
            colour = QColor(CUT_LINE)
            colour.setAlpha(70 if name == "Discuss?" else 28)
            return QBrush(colour)
        return None

    def shown(self, row: int, name: str) -> str:
        """What a cell shows: its text, and for the agreed value where it comes from ("6.7 mean")."""
        if name == "Agreed":
            return f"{self.text(row, 'Agreed')}  {self.text(row, 'From')}"
        return self.text(row, name)

    def text(self, row: int, name: str) -> str:
        """The text of a cell by column header ("From" is where the agreed value comes from)."""
        s, p = self.summary, self.pair(row)
        if name == "Discuss?":
            return DISCUSS if s.disagree[p] else ("no ratings" if s.count[p] == 0 else "agrees")
        if name == "Initiative":
            ident = str(s.initiative[p])
            title = self.titles.get(ident, "")
            return f"{ident}   {title}" if title and self.show_titles else ident
        if name == "Criterion":
            return str(s.criterion[p])
        if name in s.participants:
            return _g(s.values[p, s.participants.index(name)])
        if name == "Std":
            return "" if s.std[p] != s.std[p] else f"{s.std[p]:.1f}"
        if name == "Range":
            return _g(s.range[p])
        value, source = self.agreed_for(row)
        if name == "Agreed":
            return "—" if value is None else _g(value)
        return source

    def _is_extreme(self, row: int, name: str) -> bool:
        """The lowest and highest rating of a disagreement, so the room knows whom to ask."""
        s, p = self.summary, self.pair(row)
        if not s.disagree[p] or name not in s.participants:
            return False
        value = s.values[p, s.participants.index(name)]
        return value == s.min[p] or value == s.max[p]

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        text = "" if value is None else str(value).strip().replace(",", ".")
        if not text:
            self.set_choice(index.row(), None)
            return True
        criterion = self.pair_key(index.row())[1]
        try:
            number = float(text)
        except ValueError:
            self.problem.emit(f"{text!r} is not a number: type the agreed {criterion}, such as 6.5.")
            return False
        reason = value_problem(criterion, number)
        if reason:
            self.problem.emit(reason)
            return False
        self.set_choice(index.row(), number)
        return True
