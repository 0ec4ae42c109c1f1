"""The full-window comparison as one table model: id and title, then a group of columns per plan.

Rows are initiatives in the first scenario's rank order. Every cell's text is made once per
comparison, column by column from the arrays, so `data()` only indexes lists.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from cutline.models.scenarios.comparison import (
    LOSES_FUNDING,
    NEWLY_FUNDED,
    PlanColumn,
    change_words,
    crosses_cut_line,
)
from cutline.views.palette import CUT_LINE
from cutline.views.theme import current_theme
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

#: Marks for funded and not funded: a shape as well as a colour.
FUNDED_MARK, UNFUNDED_MARK = "✔", "✗"
UP, DOWN = "#007A55", "#B34700"
UP_DARK, DOWN_DARK = "#3FD19A", "#FF9A57"
RowRole = Qt.ItemDataRole.UserRole + 3
#: Header of each kind of per-plan column.
HEADERS = {"rank": "#", "funded": "Funded", "score": "Score", "change": "Change"}
ID_COLUMN, TITLE_COLUMN = 0, 1
FROZEN_COLUMNS = 2


@dataclass(frozen=True)
class PlanGroup:
    """The columns of one plan: its name, words under it, and its first and last column."""

    name: str
    words: str
    first: int
    last: int
    is_extra: bool = False


class ComparisonRoomModel(QAbstractTableModel):
    """Id, title, then per scenario rank, funded mark, score and change against the first."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._order = np.zeros(0, dtype=np.int64)   # view row -> portfolio row
        self._kinds: list[str] = ["id", "title"]
        self._text: list[list[str]] = [[], []]
        self._tips: dict[int, object] = {}  # column -> texts indexed by view row
        self._funded_col: dict[int, list[bool]] = {}  # column -> funded per view row (its plan's)
        self._differs: list[bool] = []
        self.groups: list[PlanGroup] = []
        self.version = 0  # counts comparisons shown, so a view can keep what it measured
        self.ids: list[str] = []
        self.titles: list[str] = []

    # -- filling ------------------------------------------------------------------------------
    def set_comparison(self, comparison, titles: np.ndarray, plan: PlanColumn | None = None) -> None:
        """Show `comparison` (2-4 scenarios), and `plan` as one more column group when given."""
        self.beginResetModel()
        self.version += 1
        order = np.argsort(comparison.rank[0], kind="stable")
        self._order = order
        self.ids = [str(i) for i in comparison.ids[order].tolist()]
        self.titles = [str(t) for t in np.asarray(titles, dtype=object)[order].tolist()]
        self._kinds, self._text = ["id", "title"], [self.ids, self.titles]
        self._tips = {ID_COLUMN: [f"{i} {t}" for i, t in zip(self.ids, self.titles, strict=True)],
                      TITLE_COLUMN: self.titles}
        self._funded_col, self.groups = {}, []
        base_funded = comparison.funded[0]
        for s, name in enumerate(comparison.names):
            change = None if s == 0 else change_words(comparison.rank_change[s], comparison.funded[s], base_funded)
            self._add_group(name, _plan_words(comparison, s), comparison.rank[s], comparison.score[s],
                            comparison.funded[s], change, comparison)
        stacked = comparison.funded
        if plan is not None:
            rank_change = None if plan.rank is None else comparison.rank[0] - np.asarray(plan.rank)
            change = change_words(rank_change, plan.funded, base_funded)
            words = f"{int(np.count_nonzero(plan.funded))} funded\nscore total {plan.score_total:g}"
            self._add_group(plan.name, words, plan.rank, None, np.asarray(plan.funded, dtype=bool),
                            change, comparison, is_extra=True)
            stacked = np.vstack([stacked, np.asarray(plan.funded, dtype=bool)])
        self._differs = crosses_cut_line(stacked)[order].tolist()
        self.endResetModel()

    def _add_group(self, name, words, rank, score, funded, change, comparison, *, is_extra=False) -> None:
        order = self._order
        first = len(self._kinds)
        funded_rows = np.asarray(funded, dtype=bool)[order]
        funded_list = funded_rows.tolist()
        ranks = None if rank is None else np.asarray(rank)[order]
        self._append("rank", ["—"] * len(order) if ranks is None else [str(r) for r in ranks.tolist()],
                     funded_list)
        marks = np.where(funded_rows, FUNDED_MARK, UNFUNDED_MARK).tolist()
        self._append("funded", marks, funded_list,
                     np.where(funded_rows, f"Funded in {name}", f"Not funded in {name}").tolist())
        if score is not None:
            self._append("score", [f"{v:.1f}" for v in np.asarray(score)[order].tolist()], funded_list)
        if change is not None:
            tip = _ChangeTip(name, comparison.names[0], comparison.rank[0][order].tolist(),
                             None if ranks is None else ranks.tolist(),
                             comparison.funded[0][order].tolist(), funded_list)
            self._append("change", change[order].tolist(), funded_list, tip)
        self.groups.append(PlanGroup(name, words, first, len(self._kinds) - 1, is_extra))

    def _append(self, kind: str, texts: list[str], funded: list[bool], tips=None) -> None:
        column = len(self._kinds)
        self._kinds.append(kind)
        self._text.append(texts)
        self._funded_col[column] = funded
        if tips is not None:
            self._tips[column] = tips

    # -- reading ------------------------------------------------------------------------------
    def kind(self, column: int) -> str:
        return self._kinds[column]

    def texts(self, column: int) -> list[str]:
        return self._text[column]

    def row_of(self, view_row: int) -> int:
        return int(self._order[view_row])

    def view_row(self, row: int) -> int:
        hits = np.flatnonzero(self._order == row)
        return int(hits[0]) if len(hits) else -1

    def funding_differs(self, view_row: int) -> bool:
        return self._differs[view_row]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._kinds)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._kinds):
            return None
        kind = self._kinds[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return {"id": "ID", "title": "Title"}.get(kind, HEADERS.get(kind))
        if role == Qt.ItemDataRole.ToolTipRole:
            group = self.group_of(section)
            return f"{HEADERS[kind]} in {group.name}" if group is not None else None
        return None

    def group_of(self, column: int) -> PlanGroup | None:
        return next((g for g in self.groups if g.first <= column <= g.last), None)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text[col][row]
        kind = self._kinds[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = self._tips.get(col)
            return tips[row] if tips is not None else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return _differs_brush() if self._differs[row] else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(kind, col, row)
        if role == Qt.ItemDataRole.FontRole:
            return self._font(kind, col, row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN.get(kind)
        if role == RowRole:
            return int(self._order[row])
        return None

    def _foreground(self, kind: str, col: int, row: int):
        dark = current_theme().name == "dark"
        if kind == "change":
            text = self._text[col][row]
            if text:
                worse = text.startswith("▼") or text == LOSES_FUNDING
                return QBrush(QColor((DOWN_DARK if dark else DOWN) if worse else (UP_DARK if dark else UP)))
        funded = self._funded_col.get(col)
        if funded is not None and not funded[row]:
            return QBrush(QColor(current_theme().unfunded_text))
        return None

    def _font(self, kind: str, col: int, row: int):
        bold = (kind == "id" and self._differs[row]) or kind in ("change", "funded")
        funded = self._funded_col.get(col)
        italic = funded is not None and not funded[row] and kind != "funded"
        if not bold and not italic:
            return None
        font = QFont()
        font.setBold(bold)
        font.setItalic(italic)
        return font


_ALIGN = {kind: int(flag | Qt.AlignmentFlag.AlignVCenter) for kind, flag in
          (("rank", Qt.AlignmentFlag.AlignRight), ("score", Qt.AlignmentFlag.AlignRight),
           ("funded", Qt.AlignmentFlag.AlignHCenter))}


def _differs_brush() -> QBrush:
    """A warm tint for rows whose funding differs between plans (the cut line's colour, faint)."""
    colour = QColor(CUT_LINE)
    colour.setAlpha(70 if current_theme().name == "dark" else 40)
    return QBrush(colour)


def _plan_words(comparison, s: int) -> str:
    """Two short lines under a scenario's name: how many are funded, where its cut line is."""
    funded = int(np.count_nonzero(comparison.funded[s]))
    cut = comparison.cut_line[s]
    where = "no cut line" if cut is None else f"cut line at #{cut}"
    return f"{funded} funded\n{where}"


@dataclass(frozen=True)
class _ChangeTip:
    """The change cell's tooltip, made when asked: the ranks in both plans and what funding did."""

    name: str
    base: str
    base_rank: list
    rank: list | None
    base_funded: list
    funded: list

    def __getitem__(self, i: int) -> str:
        moved = "" if self.rank is None else f"#{self.base_rank[i]} in {self.base}, #{self.rank[i]} in {self.name}"
        if self.funded[i] and not self.base_funded[i]:
            money = f"{NEWLY_FUNDED} in {self.name}"
        elif self.base_funded[i] and not self.funded[i]:
            money = f"funded in {self.base}, not in {self.name}: it drops below the cut line"
        else:
            money = "funded in both" if self.funded[i] else "funded in neither"
        return f"{moved} · {money}" if moved else money
