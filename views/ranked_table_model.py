"""The ranked initiatives as a table model over the arrays of the current evaluation.

Sorting and filtering happen here with numpy (an index array and a boolean mask) followed by one
`layoutChanged`; a QSortFilterProxyModel would call back into Python for every comparison.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from cutline.views.palette import FELL, LATE, ROSE, category_colour
from cutline.views.theme import current_theme

#: Custom roles: the raw sort value, the score as a 0..1 fraction for the inline bar, the
#: portfolio row, whether the initiative is funded.
SortRole = Qt.ItemDataRole.UserRole + 1
BarRole = Qt.ItemDataRole.UserRole + 2
RowRole = Qt.ItemDataRole.UserRole + 3
FundedRole = Qt.ItemDataRole.UserRole + 4


class Cells:
    """One numpy column read cell by cell as Python values (a list's interface, without the list)."""

    __slots__ = ("_array", "_convert")

    def __init__(self, array: np.ndarray):
        self._array = array
        self._convert = array.dtype != object

    def __getitem__(self, i: int):
        value = self._array[i]
        return value.item() if self._convert else value

    def __len__(self) -> int:
        return len(self._array)


@dataclass(frozen=True)
class Column:
    """One table column: a key, a header, how to get its values, and how to show one."""

    key: str
    header: str
    values: Callable  # (evaluation, extras) -> np.ndarray indexed by portfolio row
    show: Callable[[object], str] = str
    editable_field: str | None = None
    align_right: bool = False
    tooltip: str = ""


def _num(fmt: str) -> Callable[[object], str]:
    def show(v: object) -> str:
        return "" if v is None or v != v else format(v, fmt)
    return show


def _percent(v: object) -> str:
    return "" if v is None or v != v else f"{v * 100:.0f}%"


def _field(name: str):
    return lambda ev, extras: ev.portfolio.frame[name].to_numpy()


def _moved(v: object) -> str:
    if not v:
        return ""
    return f"▲{v}" if v > 0 else f"▼{-v}"


def _funding(ev, extras) -> np.ndarray:
    """The quarters funded in ("2027-Q1 → Q3"), or why not; a late row says so in words and with
    a mark ("⚠ late 2027-Q3 → Q4 (due 2027-Q2)"); a row funded below the cut line says why it is there."""
    from cutline.models.words.cut_line import below_reasons
    from cutline.models.words.plans import LATE as LATE_WORD
    from cutline.models.words.plans import LATE_MARK, span_words

    alloc = ev.allocation
    out = np.where(alloc.funded, span_words(alloc), alloc.reason).astype(object)
    late = np.asarray(alloc.late, dtype=bool) & np.asarray(alloc.funded, dtype=bool)
    if late.any():
        # The word first: a narrow column (presentation mode) elides the end, never "late".
        due = np.asarray(alloc.due_quarter, dtype=object)[late]
        out[late] = np.array([f"{LATE_MARK} {LATE_WORD} {span} (due {d})" if d else f"{LATE_MARK} {LATE_WORD} {span}"
                              for span, d in zip(out[late].tolist(), due.tolist())], dtype=object)
    below = below_reasons(ev)
    marked = below != ""
    if marked.any():
        out[marked] = out[marked] + " — " + below[marked]
    return out


def _tier(ev, extras) -> np.ndarray:
    return ev.ranking.tier


def columns_for(criteria: tuple[str, ...] = ()) -> tuple[Column, ...]:
    """The ranked table's columns: identity, result, then every input."""
    fixed = (
        Column("rank", "#", lambda ev, x: ev.ranking.rank, _num("d"), align_right=True,
               tooltip="Rank: tier first, then score, then source order"),
        Column("moved", "Moved", lambda ev, x: x["moved"], _moved,
               tooltip="How many places the last change moved this initiative"),
        Column("tier", "Tier", _tier, lambda v: f"T{v}", tooltip="Tier 1 ranks above everything else"),
        Column("id", "ID", _field("id")),
        Column("title", "Title", _field("title"), editable_field="title"),
        # The score beside the title it ranks, so a laptop's table shows it without scrolling.
        Column("score", "Score", lambda ev, x: ev.ranking.score, _num(".1f"), align_right=True,
               tooltip="0 to 100: the sum of the criteria's contributions"),
        Column("team", "Team", _field("team"), editable_field="team"),
        Column("category", "Category", _field("category"), editable_field="category"),
        Column("funding", "Quarter / reason", _funding,
               tooltip="The quarters it is funded in (first → finish), late when it finishes after "
                       "its due quarter, or why it is not funded"),
        Column("sens_share", "Funded in draws", lambda ev, x: x["funded_share"], _percent,
               align_right=True, tooltip="Share of weight draws in which it is funded"),
        Column("sens_range", "Rank range", lambda ev, x: x["rank_range"],
               tooltip="5th to 95th percentile of its rank over the weight draws"),
    )
    inputs = (
        Column("reach", "Reach", _field("reach"), _num(",.0f"), "reach", True),
        Column("impact", "Impact", _field("impact"), _num("g"), "impact", True),
        Column("confidence", "Confidence", _field("confidence"), _percent, "confidence", True),
        Column("effort", "Effort (pw)", _field("effort"), _num("g"), "effort", True,
               "Effort in person-weeks"),
        Column("risk", "Risk", _field("risk"), _num("g"), "risk", True),
        Column("reliability", "Reliability", _field("reliability"), _num("g"), "reliability", True),
        Column("security", "Security", _field("security"), _num("g"), "security", True),
        Column("dx", "DX", _field("dx"), _num("g"), "dx", True),
        Column("rice", "RICE", lambda ev, x: ev.ranking.rice, _num(",.1f"), align_right=True),
        Column("unblocked", "Teams unblocked", lambda ev, x: ev.ranking.teams_unblocked,
               _num("g"), align_right=True),
        Column("depends_on", "Depends on", _field("depends_on"), editable_field="depends_on"),
        Column("unblocks", "Unblocks", _field("unblocks"), editable_field="unblocks"),
        Column("layer", "Layer", _field("layer"), editable_field="layer"),
        Column("quarter", "Target quarter", _field("quarter"), editable_field="quarter"),
        Column("status", "Status", _field("status"), editable_field="status"),
    )
    return fixed + inputs


class RankedTableModel(QAbstractTableModel):
    """Initiatives of one evaluation, sorted and filtered with numpy; rows read arrays by index."""

    editRequested = Signal(int, str, str)  # portfolio row, field, typed text

    def __init__(self, parent=None):
        super().__init__(parent)
        self._columns = columns_for()
        self._evaluation = None
        self._values: list[Cells] = []       # per column: values indexed by portfolio row
        self._sort_keys: list[np.ndarray] = []
        self._view = np.zeros(0, dtype=np.int64)   # view position -> portfolio row
        self._position = np.zeros(0, dtype=np.int64)  # portfolio row -> view position, -1 hidden
        self._mask: np.ndarray | None = None
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._funded: list[bool] = []
        self._late: list[bool] = []
        self._tier_one: list[bool] = []
        self._unrated: list[bool] = []
        self._bar: list[float] = []
        self._categories: list[str] = []
        self._previous_rank: np.ndarray | None = None
        self._extras: dict[str, np.ndarray] = {}
        self._sensitivity = None

    # -- state --------------------------------------------------------------------------
    @property
    def evaluation(self):
        return self._evaluation

    def column_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self._columns)

    def column_of(self, key: str) -> int:
        return self.column_keys().index(key)

    def portfolio_row(self, view_row: int) -> int:
        return int(self._view[view_row])

    def is_filtered(self) -> bool:
        """Whether a filter hides some rows."""
        return self._mask is not None and self._evaluation is not None and len(self._view) < len(self._mask)

    def cut_line(self) -> int | None:
        """The cut line of the rows shown: the whole portfolio's, or the filtered rows' own
        (above the first of them that is not funded; models/words/cut_line.py)."""
        ev = self._evaluation
        if ev is None:
            return None
        if not self.is_filtered():
            return ev.allocation.cut_line
        from cutline.models.words.cut_line import cut_line_in

        return cut_line_in(ev.ranking, ev.allocation, self._view)

    def view_row(self, portfolio_row: int) -> int:
        """The view position of a portfolio row, -1 when filtered out."""
        if 0 <= portfolio_row < len(self._position):
            return int(self._position[portfolio_row])
        return -1

    def visible_rows(self) -> np.ndarray:
        return self._view

    def shown_texts(self, key: str) -> list[str]:
        """A column's text for the rows shown, in view order (for fitting its width)."""
        col = self.column_of(key)
        show, values = self._columns[col].show, self._values[col] if self._values else None
        return [] if values is None else [show(values[int(row)]) for row in self._view]

    def set_evaluation(self, evaluation, *, show_moves: bool = True) -> None:
        """Show a new evaluation; keeps persistent indexes (the selection) on the same initiative."""
        same_shape = self._evaluation is not None and len(evaluation.ranking) == len(self._evaluation.ranking)
        rank = evaluation.ranking.rank
        moved = np.zeros(len(rank), dtype=np.int64)
        if show_moves and same_shape and self._previous_rank is not None:
            moved = self._previous_rank - rank
        self._previous_rank = rank.copy()
        self._evaluation = evaluation
        n = len(rank)
        self._extras["moved"] = moved
        self._apply_sensitivity(n)
        if not same_shape:
            self.beginResetModel()
            self._mask = None
            self._load_arrays()
            self._resort()
            self.endResetModel()
            return
        self._relayout(self._load_arrays)

    def clear_moves(self) -> None:
        """Forget the "moved" markers (they show for a moment after a change)."""
        if "moved" in self._extras and self._extras["moved"].any():
            self._extras["moved"] = np.zeros_like(self._extras["moved"])
            col = self.column_of("moved")
            self._values[col] = Cells(self._extras["moved"])
            if self.rowCount():
                self.dataChanged.emit(self.index(0, col), self.index(self.rowCount() - 1, col))

    def set_sensitivity(self, sensitivity) -> None:
        """Show a sensitivity result (or None) in the two sensitivity columns."""
        self._sensitivity = sensitivity
        if self._evaluation is None:
            return
        self._apply_sensitivity(len(self._evaluation.ranking))
        self._load_arrays()
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def _apply_sensitivity(self, n: int) -> None:
        s = self._sensitivity
        if s is not None and len(s.funded_share) == n:
            self._extras["funded_share"] = np.asarray(s.funded_share, dtype=float)
            lo = np.asarray(s.rank_p5).astype(int).astype(str).astype(object)
            hi = np.asarray(s.rank_p95).astype(int).astype(str).astype(object)
            self._extras["rank_range"] = lo + "–" + hi
        else:
            self._extras["funded_share"] = np.full(n, np.nan)
            self._extras["rank_range"] = np.full(n, "", dtype=object)

    def _load_arrays(self) -> None:
        ev = self._evaluation
        arrays = [np.asarray(c.values(ev, self._extras)) for c in self._columns]
        self._sort_keys = arrays
        # Cells are converted to Python values when read: only the visible ones ever are.
        self._values = [Cells(a) for a in arrays]
        self._funded = Cells(ev.allocation.funded)
        self._late = Cells(np.asarray(ev.allocation.late, dtype=bool))
        self._tier_one = Cells(ev.ranking.tier == 1)
        self._unrated = Cells(ev.ranking.unrated.any(axis=1))
        self._bar = Cells(np.nan_to_num(ev.ranking.score) / 100.0)
        self._categories = Cells(ev.portfolio.text("category"))

    # -- sorting and filtering ----------------------------------------------------------
    def set_filter(self, mask: np.ndarray | None) -> None:
        """Show only the portfolio rows where `mask` is True (None shows all)."""

        def change() -> None:
            self._mask = mask

        self._relayout(change)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        def change() -> None:
            self._sort_column, self._sort_order = column, order

        self._relayout(change)

    def _relayout(self, change) -> None:
        """Apply `change`, re-sort and re-filter, and keep persistent indexes (the selection)
        on the same initiatives: one layoutChanged, however many rows moved."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        rows_before = [int(self._view[p.row()]) if p.isValid() else -1 for p in persistent]
        change()
        self._resort()
        moved = []
        for p, row in zip(persistent, rows_before):
            pos = self.view_row(row) if row >= 0 else -1
            moved.append(self.index(pos, p.column()) if pos >= 0 else QModelIndex())
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def sorted_by_rank(self) -> bool:
        return self._columns[self._sort_column].key == "rank" and self._sort_order == Qt.SortOrder.AscendingOrder

    def _resort(self) -> None:
        if self._evaluation is None:
            self._view = np.zeros(0, dtype=np.int64)
            self._position = self._view
            return
        n = len(self._evaluation.ranking)
        key = self._sort_keys[self._sort_column]
        if self._columns[self._sort_column].key == "rank":
            order = self._evaluation.ranking.order
            if self._sort_order == Qt.SortOrder.DescendingOrder:
                order = order[::-1]
        else:
            order = _argsort(key, self._evaluation.ranking.rank, self._sort_order)
        if self._mask is not None and len(self._mask) == n:
            order = order[self._mask[order]]
        self._view = np.ascontiguousarray(order, dtype=np.int64)
        position = np.full(n, -1, dtype=np.int64)
        position[self._view] = np.arange(len(self._view))
        self._position = position

    # -- Qt model interface ---------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._view)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        col = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.header
        if role == Qt.ItemDataRole.ToolTipRole:
            return col.tooltip or None
        return None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and self._columns[index.column()].editable_field:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = int(self._view[index.row()])
        col = index.column()
        column = self._columns[col]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.show(self._values[col][row])
        if role == Qt.ItemDataRole.EditRole:
            value = self._values[col][row]
            if column.key == "confidence":
                return _percent(value)
            return column.show(value)
        if role == SortRole:
            return self._values[col][row]
        if role == BarRole:
            return self._bar[row] if column.key == "score" else None
        if role == RowRole:
            return row
        if role == FundedRole:
            return bool(self._funded[row])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.align_right:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            return self._font(row, column.key)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row, column.key)
        if role == Qt.ItemDataRole.BackgroundRole:
            if self._tier_one[row]:
                return QBrush(QColor(current_theme().tier_one_fill))
            return None
        if role == Qt.ItemDataRole.DecorationRole and column.key == "category":
            return category_colour(self._categories[row])
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column.key)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        field = self._columns[index.column()].editable_field
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or not field:
            return False
        # The document validates and pushes an undo command; the new evaluation comes back.
        self.editRequested.emit(int(self._view[index.row()]), field, "" if value is None else str(value))
        return False

    # -- presentation details -------------------------------------------------------------
    _bold = QFont()
    _bold.setBold(True)
    _italic = QFont()
    _italic.setItalic(True)

    def _font(self, row: int, key: str):
        if key == "funding" and not self._funded[row]:
            return self._italic
        if key == "funding" and self._late[row]:
            return self._bold
        if key in ("tier", "rank") and self._tier_one[row]:
            return self._bold
        if key == "moved":
            return self._bold
        return None

    def _foreground(self, row: int, key: str):
        theme = current_theme()
        if key == "moved":
            moved = self._values[self.column_of("moved")][row]
            if moved:
                return QBrush(QColor(ROSE if moved > 0 else FELL))
        if not self._funded[row] and key in ("funding", "title", "score"):
            return QBrush(QColor(theme.unfunded_text))
        if key == "funding" and self._late[row]:
            return QBrush(QColor(LATE))
        return None

    def _tooltip(self, row: int, key: str):
        if key == "funding":
            text = self._values[self.column_of("funding")][row]
            if not self._funded[row]:
                return "Not funded: " + text
            return "Funded " + _quarters_tip(self._evaluation.allocation, row) + (
                "\nLate: it finishes after its due quarter" if self._late[row] else "")
        if key == "score" and self._unrated[row]:
            return "Unrated on at least one criterion: blank inputs earn no points"
        if key == "tier" and self._tier_one[row]:
            return "Tier 1: ranks above every tier 2 initiative, whatever the score"
        return None


def _quarters_tip(alloc, row: int) -> str:
    """"in 2027-Q1 (10 pw), 2027-Q2 (10 pw), 2027-Q3 (6 pw)"."""
    from cutline.models.words.plans import quarters_list

    text = quarters_list(alloc, row)
    return "in " + text if text else ""


def _argsort(key: np.ndarray, rank: np.ndarray, order: Qt.SortOrder) -> np.ndarray:
    """Stable order of rows by `key` (blanks last either way), ties by rank."""
    descending = order == Qt.SortOrder.DescendingOrder
    if key.dtype.kind in "fiub":
        values = key.astype(float)
        blank = np.isnan(values)
        values = np.where(blank, 0.0, -values if descending else values)
        return np.lexsort((rank, values, blank))
    text = np.char.lower(key.astype(str))
    blank = text == ""
    codes = np.unique(text, return_inverse=True)[1].ravel()
    if descending:
        codes = codes.max(initial=0) - codes
    return np.lexsort((rank, codes, blank))


__all__ = ["RankedTableModel", "Column", "columns_for", "SortRole", "BarRole", "RowRole", "FundedRole"]
