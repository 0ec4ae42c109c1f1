"""The rating grid as a table model: initiatives down, participants (or criteria) across, others hidden.

The model asks the round only for what the current participant may see (`visible_to`), so a
hidden rating cannot leak through a role, a tooltip or a copy: it shows as "•••" until the reveal.
"""

from __future__ import annotations

from cutline.models.rating.round import RatingRound
from cutline.views.theme import current_theme
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

#: What a rating the current participant may not see looks like.
HIDDEN = "•••"
#: The two layouts: one criterion with every participant, or one participant with every criterion.
BY_CRITERION = "criterion"
BY_PARTICIPANT = "participant"
#: Shown after the digits being typed, so the room sees the entry is not accepted yet.
CARET = "▏"


def rating_text(value: float) -> str:
    return f"{value:g}"


class RatingGridModel(QAbstractTableModel):
    """Column 0 names the initiative; the other columns are participants or criteria."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.round: RatingRound | None = None
        self.titles: dict[str, str] = {}
        self.mode = BY_CRITERION
        self.criterion = ""
        self.participant = ""
        self.typing = ""
        self.typing_at: tuple[int, int] = (-1, -1)
        self._visible: dict = {}
        self._bold = QFont()
        self._bold.setBold(True)

    # -- state ------------------------------------------------------------------------------
    def set_round(self, round_: RatingRound | None, titles: dict[str, str] | None = None) -> None:
        """Show another round (or a new version of the same one)."""
        self.beginResetModel()
        same = round_ is not None and self.round is not None and round_.id == self.round.id
        self.round = round_
        if titles is not None:
            self.titles = dict(titles)
        if round_ is not None:
            if not same or self.criterion not in round_.criteria:
                self.criterion = round_.criteria[0]
            if not same or self.participant not in round_.participants:
                self.participant = round_.participants[0]
        self._refresh_visible()
        self.endResetModel()

    def set_view(self, *, mode: str | None = None, criterion: str | None = None,
                 participant: str | None = None) -> None:
        """Switch layout, criterion or participant; the typed entry is dropped."""
        self.beginResetModel()
        self.mode = mode or self.mode
        self.criterion = criterion or self.criterion
        self.participant = participant or self.participant
        self.typing, self.typing_at = "", (-1, -1)
        self._refresh_visible()
        self.endResetModel()

    def set_typing(self, text: str, row: int, column: int) -> None:
        old = self.typing_at
        self.typing, self.typing_at = text, ((row, column) if text else (-1, -1))
        for r, c in {old, self.typing_at}:
            if r >= 0:
                self.dataChanged.emit(self.index(r, c), self.index(r, c))

    def _refresh_visible(self) -> None:
        self._visible = {} if self.round is None else self.round.visible_to(self.participant)

    # -- what a cell is ---------------------------------------------------------------------
    def columns(self) -> tuple[str, ...]:
        """Names of the rating columns (participants or criteria), in order."""
        if self.round is None:
            return ()
        return self.round.participants if self.mode == BY_CRITERION else self.round.criteria

    def key_at(self, row: int, column: int) -> tuple[str, str, str] | None:
        """(participant, initiative id, criterion) of a rating cell, None for the name column."""
        if self.round is None or column < 1 or not 0 <= row < len(self.round.initiatives):
            return None
        name = self.columns()[column - 1]
        ident = self.round.initiatives[row]
        if self.mode == BY_CRITERION:
            return name, ident, self.criterion
        return self.participant, ident, name

    def is_entry(self, row: int, column: int) -> bool:
        """Whether the current participant may type in this cell."""
        key = self.key_at(row, column)
        return key is not None and key[0] == self.participant and not self.round.revealed

    def entry_column(self, criterion: str | None = None) -> int:
        """The column where the current participant types (for `criterion` in the per-participant layout)."""
        if self.round is None:
            return 1
        if self.mode == BY_CRITERION:
            return 1 + self.round.participants.index(self.participant)
        return 1 + self.round.criteria.index(criterion or self.criterion)

    def cell_text(self, row: int, column: int) -> str:
        """The text the room sees in a cell."""
        if column == 0:
            ident = self.round.initiatives[row]
            title = self.titles.get(ident, "")
            return f"{ident}   {title}" if title else ident
        if (row, column) == self.typing_at and self.typing:
            return self.typing + CARET
        key = self.key_at(row, column)
        if key in self._visible:
            return rating_text(self._visible[key])
        if key is not None and key in self.round.ratings:
            return HIDDEN
        return ""

    # -- Qt model interface -------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.round is None else len(self.round.initiatives)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.round is None else 1 + len(self.columns())

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or self.round is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return "Initiative"
            name = self.columns()[section - 1]
            if self.mode == BY_CRITERION:
                count = ("✓" if self.round.complete_for(name)
                         else f"{self.round.rated_count(name)}/{self.round.cell_count}")
                return f"{'▶ ' if name == self.participant else ''}{name} {count}"
            return name
        if role == Qt.ItemDataRole.FontRole and section > 0 and self.mode == BY_CRITERION:
            return self._bold if self.columns()[section - 1] == self.participant else None
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.is_entry(index.row(), index.column()):
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.ItemIsEnabled

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.round is None:
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == 0:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole and column > 0:
            return self._background(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column > 0:
            if self.cell_text(row, column) == HIDDEN:
                return QBrush(QColor(current_theme().muted))
        if role == Qt.ItemDataRole.FontRole and column > 0 and self.is_entry(row, column):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and column > 0:
            if self.cell_text(row, column) == HIDDEN:
                return "Rated; hidden until the reveal"
        return None

    def _background(self, row: int, column: int):
        theme = current_theme()
        if self.is_entry(row, column):
            colour = QColor(theme.highlight)
            colour.setAlpha(38)
            return QBrush(colour)
        if self.mode == BY_CRITERION:
            return QBrush(QColor(theme.alternate))
        return None
