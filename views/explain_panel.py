"""Explain: why the selected initiative has its score, tier, rank and funding, in large type."""

from __future__ import annotations

from html import escape

from cutline.models.scoring.score import Scorer
from cutline.models.words.initiative_facts import InitiativeFacts, facts_for
from cutline.models.words.plans import LATE_MARK, person_weeks
from cutline.views.charts.contributions import ContributionsChart, criterion_colour
from cutline.views.palette import FUNDED, LATE, UNFUNDED
from cutline.views.scrolling import scroll_body
from cutline.views.theme import current_theme
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

HEADERS = ("Criterion", "Input", "Scaled", "Points")
HEADER_TIPS = ("The criterion, in the colour of its segment above",
               "The initiative's value for the criterion",
               "The normalised value: 0 earns no points, 1 earns the criterion's whole share",
               "100 × weight × scaled value ÷ total weight; they add up to the score")


def _label(name: str, role: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(objectName=name)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if role:
        label.setProperty("role", role)
    return label


def quarter_lines(facts: InitiativeFacts) -> str:
    """"2027-Q1 10 pw · 2027-Q2 10 pw · 2027-Q3 6 pw; finishes in 2027-Q3." (work waits in a
    quarter of 0 pw)."""
    known = any(pw for _, pw in facts.quarters)
    parts = [f"{q} {person_weeks(pw)} pw" if pw else (f"{q} work waits" if known else q)
             for q, pw in facts.quarters]
    if len(parts) == 1:
        return parts[0] + "."
    return " · ".join(parts) + f"; finishes in {facts.finish_quarter}."


def due_line(facts: InitiativeFacts) -> str:
    """"Due 2027-Q2: ⚠ late, it finishes in 2027-Q3." or "Due 2027-Q4: on time." (HTML)."""
    due = escape(facts.due_quarter)
    if facts.late:
        return (f"<span style='color:{LATE}'><b>Due {due}: {LATE_MARK} late</b>, it finishes in "
                f"{escape(facts.finish_quarter)}.</span>")
    if facts.funded:
        return f"Due {due}: on time."
    return f"Due {due}."


def criterion_swatch(index: int, outline: str) -> QPixmap:
    """The criterion's colour as its segment shows it: a pale tint, outlined so it reads on white."""
    swatch = QPixmap(14, 14)
    swatch.fill(criterion_colour(index))
    painter = QPainter(swatch)
    painter.setPen(QColor(outline))
    painter.drawRect(0, 0, 13, 13)
    painter.end()
    return swatch


class ExplainPanel(QWidget):
    """Shows one initiative of an Evaluation: contributions, inputs, tier, funding, dependencies.

    For a funded initiative a button asks "what if it slips a quarter?": the panel only emits
    `slipAsked(row)`; whoever answers calls `show_slip(lines)` (the plan is not changed)."""

    slipAsked = Signal(int)

    def __init__(self, parent=None, *, zoom: float = 1.0):
        super().__init__(parent)
        self.setObjectName("explainPanel")
        self.facts: InitiativeFacts | None = None
        self._scorer: Scorer | None = None
        self.zoom = zoom
        self._build()
        self.apply_look(zoom)

    def _build(self) -> None:
        self.title = _label("explainTitle")
        self.identity = _label("explainIdentity", "muted")
        self.headline = _label("explainHeadline")
        self.tier = _label("explainTier")
        self.tier_reason = _label("explainTierReason")
        self.chart = ContributionsChart(zoom=self.zoom, legend=False)  # the table below is its legend
        self.chart.setFixedHeight(170)
        self.table = QTableWidget(0, len(HEADERS), objectName="explainTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        for col, tip in enumerate(HEADER_TIPS):
            self.table.horizontalHeaderItem(col).setToolTip(tip)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        # Input takes what the criterion's name and the numbers leave, so a long input ("1.5 pw
        # (written: 3)") is elided (whole in its tooltip) instead of pushing the table wider than
        # the panel and scrolling the names out of sight.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in range(2, len(HEADERS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.funding = _label("explainFunding")
        self.slip_button = QPushButton("If it slips a quarter…", objectName="explainSlipButton")
        self.slip_button.setToolTip("What moves if this initiative starts a quarter later; the plan is not changed")
        self.slip_button.clicked.connect(self._ask_slip)
        self.slip = _label("explainSlip")
        self.slip.setTextFormat(Qt.TextFormat.RichText)
        self.depends = _label("explainDependsOn")
        self.unblocks = _label("explainUnblocks")
        self.empty = _label("explainEmpty", "muted")
        self.empty.setText("Select an initiative in the table or the chart to see why it ranks where it does.")
        body = QWidget(objectName="explainBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 8, 6, 10)
        layout.setSpacing(6)
        layout.addWidget(self.empty)
        for widget in (self.title, self.identity, self.headline, self.tier, self.tier_reason):
            layout.addWidget(widget)
        layout.addWidget(self.chart)
        layout.addWidget(self.table)
        self.sections = {}
        for key, text, widget in (("funding", "Funding", self.funding),
                                  ("depends", "Depends on", self.depends),
                                  ("unblocks", "Unblocks", self.unblocks)):
            heading = _label(f"heading_{key}", "heading", wrap=False)
            heading.setText(text)
            self.sections[key] = heading
            layout.addWidget(heading)
            layout.addWidget(widget)
            if key == "funding":
                layout.addWidget(self.slip_button, 0, Qt.AlignmentFlag.AlignLeft)
                layout.addWidget(self.slip)
        layout.addStretch(1)
        self.scroll = scroll_body(self, body, "explainScroll")
        self._set_shown(False)

    def _set_shown(self, shown: bool) -> None:
        self.empty.setVisible(not shown)
        for widget in (self.title, self.identity, self.headline, self.tier, self.tier_reason,
                       self.chart, self.table, self.funding, self.depends, self.unblocks,
                       *self.sections.values()):
            widget.setVisible(shown)
        self.slip_button.setVisible(shown and self.facts is not None and self.facts.funded)
        self.slip.setVisible(False)
        self.slip.clear()
        self.slip_lines: list[str] = []

    # -- look ----------------------------------------------------------------------------
    def apply_look(self, zoom: float | None = None) -> None:
        """Large type relative to the application font (zoom and theme changes call this again)."""
        if zoom is not None:
            self.zoom = zoom
        # Style sheets, not setFont: an application style sheet resets fonts set in code on re-parenting.
        base = QApplication.font().pointSizeF()
        for widget, scale, weight in ((self.title, 1.5, 700), (self.headline, 1.3, 700),
                                      (self.tier, 1.1, 700), (self.identity, 1.05, 400)):
            widget.setStyleSheet(f"font-size: {base * scale:.1f}pt; font-weight: {weight};")
        self.chart.apply_look(self.zoom)
        if self.facts is not None:
            self._show_table(self.facts, refit=True)
            self._show_headline(self.facts)

    # -- showing -------------------------------------------------------------------------
    def clear(self) -> None:
        self.facts = None
        self._set_shown(False)

    def show_initiative(self, evaluation, row: int, scorer=None, written=None) -> None:
        """Explain portfolio row `row` of `evaluation` (a row outside the portfolio clears the panel).

        `scorer` (a cutline.models.scoring.score.Scorer of the same portfolio) lends its caches; optional.
        `written` (field -> extra column) names where converted fields keep their cells as written.
        """
        if evaluation is None or not 0 <= row < len(evaluation.ranking):
            self.clear()
            return
        facts = facts_for(evaluation, row, self._scorer_for(evaluation.portfolio, scorer), written=written)
        self.facts = facts
        self._set_shown(True)
        self.title.setText(facts.title or facts.ident)
        parts = [facts.ident, facts.team or "no team", facts.category or "no category"]
        self.identity.setText(" · ".join(parts))
        self._show_headline(facts)
        self.tier.setText(f"Tier {facts.tier}: {facts.tier_name}")
        self.tier_reason.setText(facts.tier_reason)
        self.chart.set_contributions([line.name for line in facts.lines],
                                     [line.points for line in facts.lines],
                                     [line.normalised for line in facts.lines],
                                     [line.weight for line in facts.lines])
        self._show_table(facts)
        self._show_funding(facts)
        self._show_dependencies(facts)

    def _scorer_for(self, portfolio, given) -> Scorer:
        """A scorer of `portfolio`: the one given, else one kept while the portfolio stays the same."""
        if given is not None and given.portfolio is portfolio:
            self._scorer = given
        elif self._scorer is None or self._scorer.portfolio is not portfolio:
            self._scorer = Scorer(portfolio)
        return self._scorer

    def _show_headline(self, facts: InitiativeFacts) -> None:
        colour = FUNDED if facts.funded else UNFUNDED
        mark = "funded" if facts.funded else "not funded"
        late = f" · <span style='color:{LATE}'>{LATE_MARK} late</span>" if facts.late else ""
        self.headline.setText(
            f"Rank {facts.rank} of {facts.count} · Score {facts.score:.1f}"
            f" · <span style='color:{colour}'>{mark}</span>{late}")

    def _show_table(self, facts: InitiativeFacts, refit: bool = False) -> None:
        """One row per criterion and a total; cells are reused, as most changes keep the rows."""
        theme = current_theme()
        lines = facts.lines
        resized = self.table.rowCount() != len(lines) + 1
        if resized:
            self.table.setRowCount(len(lines) + 1)
        for r, line in enumerate(lines):
            name, raw, normal, points = (self._cell(r, col) for col in range(4))
            name.setIcon(criterion_swatch(r, theme.muted))
            name.setText(line.name)
            name.setToolTip(f"Weight {line.weight:g}: points = 100 × weight × normalised ÷ total weight")
            raw.setText(line.raw)
            normal.setText("—" if line.unrated else f"{line.normalised:.2f}")
            points.setText(f"{line.points:.1f}")
            for item in (name, normal, points):  # a reused cell may have been the bold total
                item.setFont(self.table.font())
            font = QFont(self.table.font())
            font.setItalic(line.unrated)
            raw.setFont(font)
            raw.setForeground(QBrush(QColor(theme.unfunded_text if line.unrated else theme.text)))
            raw.setToolTip("No value: an unrated criterion earns no points" if line.unrated else raw.text())
        bold = QFont(self.table.font())
        bold.setBold(True)
        for col, text in enumerate(("Score", "", "", f"{facts.score:.1f}")):
            item = self._cell(len(lines), col)
            item.setText(text)
            item.setFont(bold)
            item.setIcon(QIcon())
            item.setToolTip("")
        if resized or refit:
            self.table.resizeRowsToContents()
            height = self.table.horizontalHeader().height() + 4
            height += sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
            self.table.setFixedHeight(height)

    def _cell(self, row: int, col: int) -> QTableWidgetItem:
        item = self.table.item(row, col)
        if item is None:
            item = QTableWidgetItem()
            if col:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, col, item)
        return item

    def _show_funding(self, facts: InitiativeFacts) -> None:
        text = escape(facts.funding) + "."
        if facts.quarters:
            text += "<br>" + escape(quarter_lines(facts))
        if facts.due_quarter:
            text += "<br>" + due_line(facts)
        if facts.pulled_in_by:
            text += f"<br>Pulled in as a prerequisite of {escape(facts.pulled_in_by)}."
        self.funding.setText(text)

    def _ask_slip(self) -> None:
        if self.facts is not None and self.facts.funded:
            self.slipAsked.emit(self.facts.row)

    def show_slip(self, lines: list[str]) -> None:
        """Show the answer to "what if it slips a quarter?": one line each; a line starting with
        two spaces is an initiative under the heading before it."""
        shown = [f"&nbsp;&nbsp;• {escape(line.strip())}" if line.startswith("  ") else escape(line)
                 for line in lines]
        self.slip_lines = list(lines)
        self.slip.setText("<br>".join(shown))
        self.slip.setVisible(bool(lines))

    def _show_dependencies(self, facts: InitiativeFacts) -> None:
        if facts.depends_on:
            items = []
            for n in facts.depends_on:
                where = f"rank {n.rank}, {n.funding[0].lower()}{n.funding[1:]}" if n.rank else n.title
                title = f" {n.title}" if n.rank else ""
                items.append(f"<b>{n.ident}</b>{title} — {where}")
            text = "<br>".join(items)
            if facts.waits_on_lower:
                text += "<br><i>Waits on a prerequisite ranked below it.</i>"
        else:
            text = "Nothing: it can start on its own."
        self.depends.setText(text)
        count = facts.teams_unblocked
        if count == 0:
            self.unblocks.setText("No other team waits on it.")
            return
        teams = "team" if count == 1 else "teams"
        names = facts.unblocked_teams
        listed = f": {', '.join(names)}" if names and len(names) == count else ""
        self.unblocks.setText(f"{count} {teams}{listed}.")

    def explained_row(self) -> int:
        return -1 if self.facts is None else self.facts.row

    def points_total(self) -> float:
        """The sum of the shown contributions (equals the score shown)."""
        return float(self.chart.points.sum()) if self.facts is not None else 0.0

