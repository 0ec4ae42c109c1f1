"""The ranked table: inline score bars, tier marks and the cut line as a band between the rows."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyledItemDelegate, QTableView

from cutline.views.cut_line_band import NORMAL, BandStyle, RowDelegate, band_height, paint_band
from cutline.views.palette import FUNDED
from cutline.views.ranked_table_model import BarRole, FundedRole, RankedTableModel
from cutline.views.theme import current_theme


class ScoreBarDelegate(RowDelegate):
    """Paints the score as a bar behind its number, so rank gaps read at a glance: filled in the
    funded colour for a funded initiative, an empty grey outline for one that is not."""

    def paint(self, painter: QPainter, option, index) -> None:
        option = self.cell_option(option, index)
        QStyledItemDelegate.paint(self, painter, option, index)  # background and text first, the bar over them
        fraction = index.data(BarRole)
        if fraction is None:
            return
        painter.save()
        # Just under the number (a row of two or three lines would put it far below).
        bottom = min(option.rect.bottom() - 2, option.rect.center().y() + option.fontMetrics.height() // 2 + 8)
        rect = QRect(option.rect.left() + 3, bottom - 5, option.rect.width() - 6, 6)
        width = int(rect.width() * max(0.0, min(1.0, float(fraction))))
        bar = QRect(rect.left(), rect.top(), width, rect.height())
        if index.data(FundedRole):
            painter.fillRect(bar, QColor(FUNDED))
        elif width > 1:
            painter.setPen(QPen(QColor(current_theme().unfunded_text), 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(bar.adjusted(0, 0, -1, -1))
        painter.restore()


#: The title column's width when there is room, and the narrowest it is made to keep the score in view.
TITLE_WIDTH, MIN_TITLE = 380, 220


class RankedTable(QTableView):
    """A table of ranked initiatives that marks the cut line and follows the selection."""

    initiativeSelected = Signal(int)  # portfolio row, -1 for none

    def __init__(self, model: RankedTableModel, parent=None):
        super().__init__(parent)
        self.setObjectName("rankedTable")
        self.setModel(model)
        self.band_style: BandStyle = NORMAL
        self._band_row = -1          # view row that carries the cut-line band, -1 for none
        self._band_initiative = -1   # its portfolio row: a re-sort moves a custom row height with it
        self._text_lines = 1
        self._band_px = 0
        self._fitting = False
        self.fit_title_to_view = True  # until the user drags the title's edge (presentation sets it off)
        self.setItemDelegate(RowDelegate(self))
        self.setItemDelegateForColumn(model.column_of("score"), ScoreBarDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setSortingEnabled(True)
        self.setWordWrap(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.sortByColumn(model.column_of("rank"), Qt.SortOrder.AscendingOrder)
        # By pixel: the row under the cut line is taller by the band, and the line can be centred.
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.sectionResized.connect(self._on_section_resized)
        self._apply_widths()
        self._moves_timer = QTimer(self, singleShot=True, interval=2500)
        self._moves_timer.timeout.connect(model.clear_moves)
        model.layoutChanged.connect(self._on_layout)
        model.modelReset.connect(self._on_reset)
        model.rowsInserted.connect(lambda *_: self.update_cut_band())
        model.rowsRemoved.connect(lambda *_: self.update_cut_band())
        self.selectionModel().currentRowChanged.connect(self._on_current)

    def _apply_widths(self) -> None:
        model: RankedTableModel = self.model()
        widths = {"rank": 52, "moved": 70, "tier": 54, "id": 96, "title": TITLE_WIDTH, "team": 150,
                  "category": 190, "score": 92, "funding": 250}
        self._fitting = True
        for key, width in widths.items():
            self.setColumnWidth(model.column_of(key), width)
        self._fitting = False
        self.fit_title()
        for key in ("sens_share", "sens_range"):
            self.setColumnHidden(model.column_of(key), True)
        self.apply_row_height()

    def _on_section_resized(self, column: int, old: int, new: int) -> None:
        if not self._fitting and column == self.model().column_of("title"):
            self.fit_title_to_view = False  # the user's own width is kept from now on

    def fit_title(self) -> None:
        """The title narrowed (to MIN_TITLE at least, TITLE_WIDTH at most) so the score after it
        stays in view without scrolling sideways; titles too long for it end in "…"."""
        model: RankedTableModel = self.model()
        if not self.fit_title_to_view or not model.columnCount():
            return
        header = self.horizontalHeader()
        title, score = model.column_of("title"), model.column_of("score")
        others = sum(self.columnWidth(c) for c in range(model.columnCount())
                     if c != title and not self.isColumnHidden(c)
                     and header.visualIndex(c) <= header.visualIndex(score))
        width = max(MIN_TITLE, min(TITLE_WIDTH, self.viewport().width() - others))
        if self.columnWidth(title) != width:
            self._fitting = True
            self.setColumnWidth(title, width)
            self._fitting = False

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_title()

    def apply_row_height(self) -> None:
        """Rows tall enough for the current font (zoom and presentation change it) and lines."""
        metrics = self.fontMetrics()
        one_line = max(28, int(metrics.height() * 1.7))
        height = one_line + (self._text_lines - 1) * metrics.lineSpacing()
        self.verticalHeader().setDefaultSectionSize(height)
        self.update_cut_band()

    def set_text_lines(self, lines: int) -> None:
        """Rows of this many lines of text, for wrapped titles and reasons (presentation)."""
        lines = max(1, int(lines))
        self.setWordWrap(lines > 1)
        if lines != self._text_lines:
            self._text_lines = lines
            self.apply_row_height()

    def text_lines(self) -> int:
        return self._text_lines

    def set_sensitivity_visible(self, visible: bool) -> None:
        model: RankedTableModel = self.model()
        for key in ("sens_share", "sens_range"):
            self.setColumnHidden(model.column_of(key), not visible)

    def selected_row(self) -> int:
        """The portfolio row of the current initiative, -1 when none."""
        index = self.currentIndex()
        return self.model().portfolio_row(index.row()) if index.isValid() else -1

    def select_row(self, portfolio_row: int) -> None:
        pos = self.model().view_row(portfolio_row)
        if pos < 0:
            self.clearSelection()
            return
        index = self.model().index(pos, self.model().column_of("title"))
        # Up or down to the row only: scrolling sideways to the title would hide the # column.
        sideways = self.horizontalScrollBar().value()
        self.setCurrentIndex(index)
        self.scrollTo(index)
        self.horizontalScrollBar().setValue(sideways)

    def _on_current(self, current, previous) -> None:
        self.initiativeSelected.emit(self.model().portfolio_row(current.row()) if current.isValid() else -1)

    def _on_layout(self) -> None:
        self._moves_timer.start()
        self.update_cut_band()
        self.viewport().update()

    def _on_reset(self) -> None:
        self._band_row = self._band_initiative = -1  # the header forgot every row height
        self.update_cut_band()
        self.viewport().update()

    # -- the cut line -----------------------------------------------------------------------
    def cut_band_row(self) -> int:
        """The view row below the cut line (the first not funded), -1 when no line is shown."""
        model: RankedTableModel = self.model()
        ev = model.evaluation
        cut = model.cut_line() if ev is not None else None
        if cut is None or not model.sorted_by_rank():
            return -1
        return model.view_row(int(ev.ranking.order[cut - 1]))

    def band_height(self) -> int:
        return self._band_px

    def band_offset(self, view_row: int) -> int:
        """How far down a row's cells start: the band's height on the row below the cut line."""
        return self._band_px if view_row == self._band_row and view_row >= 0 else 0

    def set_band_style(self, style: BandStyle) -> None:
        self.band_style = style
        self.update_cut_band()
        self.viewport().update()

    def update_cut_band(self) -> None:
        """Give the row below the cut line the band's height on top of its own, and no other row."""
        header = self.verticalHeader()
        default = header.defaultSectionSize()
        model: RankedTableModel = self.model()
        # A re-sort carries a custom height along with its initiative: reset it where it went.
        for stale in {self._band_row, model.view_row(self._band_initiative)}:
            if 0 <= stale < model.rowCount() and header.sectionSize(stale) != default:
                header.resizeSection(stale, default)
        self._band_px = band_height(self.font(), self.band_style)  # read per painted cell: once here
        row = self.cut_band_row()
        self._band_row = row
        self._band_initiative = model.portfolio_row(row) if row >= 0 else -1
        if row >= 0:
            header.resizeSection(row, default + self.band_height())

    def scroll_to_cut_line(self) -> None:
        """Scroll so the cut line is in the middle of the list (presentation, on entering)."""
        band = self.band_rect()
        if band is None:
            return
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + band.center().y() - self.viewport().height() // 2)

    def band_rect(self) -> QRect | None:
        """The band in viewport coordinates, None when there is none."""
        if self._band_row < 0 or self._band_row >= self.model().rowCount():
            return None
        top = self.rowViewportPosition(self._band_row)
        return QRect(0, top, self.viewport().width(), self.band_height())

    def visualRect(self, index) -> QRect:
        """A cell's own rectangle: below the band on the row that carries it (editors go there)."""
        rect = super().visualRect(index)
        offset = self.band_offset(index.row()) if index.isValid() else 0
        return rect.adjusted(0, offset, 0, 0) if offset and rect.isValid() else rect

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        band = self.band_rect()
        if band is None or band.bottom() < 0 or band.top() > self.viewport().height():
            return
        model: RankedTableModel = self.model()
        text = self.band_style.text(model.cut_line(), model.is_filtered())
        painter = QPainter(self.viewport())
        paint_band(painter, band, self.font(), self.band_style, text,
                   self.viewport().palette().color(QPalette.ColorRole.Base))
        painter.end()
