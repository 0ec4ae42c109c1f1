"""The model panel: every criterion's weight, direction and scale, "+ criterion", and the tiers."""

from __future__ import annotations

from cutline.models.scoring.model import ScoringModel, Tier
from cutline.models.words.conditions import condition_in_words
from cutline.views.criterion_row import CriterionRow
from cutline.views.scrolling import scroll_body
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

#: Names longer than this many pixels are shortened with "…" (the tooltip has them whole).
NAME_WIDTH_MAX = 130


def _heading(text: str, name: str) -> QLabel:
    label = QLabel(text, objectName=name)
    label.setProperty("role", "heading")
    return label


def _muted(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text, objectName=name)
    label.setProperty("role", "muted")
    label.setWordWrap(True)
    return label


def _rule() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Plain)
    line.setStyleSheet("color: palette(mid);")
    return line


class TierRow(QWidget):
    """One tier: its enabled checkbox and its condition in words."""

    toggled = Signal(str, bool)  # tier name, enabled

    def __init__(self, number: int, tier: Tier, parent=None):
        super().__init__(parent)
        self.tier = tier
        self.check = QCheckBox(objectName="tierEnabled")
        self.check.setStyleSheet("font-weight: 700;")
        self.condition = _muted(name="tierCondition")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(self.check)
        layout.addWidget(self.condition)
        self.check.toggled.connect(lambda on: self.toggled.emit(self.tier.name, on))
        self.show_tier(number, tier, True, True)

    def show_tier(self, number: int, tier: Tier, active: bool, editable: bool) -> None:
        self.tier = tier
        self.check.blockSignals(True)
        self.check.setChecked(tier.enabled)
        self.check.blockSignals(False)
        self.check.setText(f"Tier {number}: {tier.name}")
        self.check.setEnabled(active and editable)
        self.condition.setText("When " + condition_in_words(tier.condition) + ".")
        self.condition.setToolTip(tier.condition)
        self.condition.setEnabled(active)


class ModelPanel(QWidget):
    """Shows a ScoringModel and emits the changes the user asks for (the app makes them undoable)."""

    weightChanged = Signal(str, float)
    weightSettled = Signal(str)  # a slider drag starts or ends: a boundary between undo steps
    criterionChanged = Signal(str, object)  # criterion name, dict of field -> value
    addRequested = Signal()
    removeRequested = Signal(str)
    renameRequested = Signal(str)
    tiersEnabledChanged = Signal(bool)
    tierEnabledChanged = Signal(str, bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("modelPanel")
        self.model: ScoringModel | None = None
        self.rows: dict[str, CriterionRow] = {}
        self.tier_rows: list[TierRow] = []
        self._build()

    def _build(self) -> None:
        self.title = _heading("Scoring model", "modelTitle")
        self.description = _muted(name="modelDescription")
        self.total = _muted(name="weightTotal")
        self.criteria_box = QVBoxLayout()
        self.criteria_box.setSpacing(0)
        self.add_button = QPushButton("+ criterion", objectName="addCriterion")
        self.add_button.setToolTip("Add a criterion: a column, a derived value or a formula")
        self.add_button.clicked.connect(self.addRequested)
        self.tiers_check = QCheckBox("Rank tiers first", objectName="tiersEnabled")
        self.tiers_check.setToolTip("Every initiative in tier 1 ranks above every one in tier 2, "
                                    "whatever the scores")
        self.tiers_check.toggled.connect(self.tiersEnabledChanged)
        self.tiers_box = QVBoxLayout()
        self.rest = _muted(name="tierRest")
        body = QWidget(objectName="modelBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 4, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.description)
        layout.addWidget(self.total)
        layout.addLayout(self.criteria_box)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(10)
        layout.addWidget(_heading("Tiers", "tiersHeading"))
        layout.addWidget(self.tiers_check)
        layout.addLayout(self.tiers_box)
        layout.addWidget(self.rest)
        layout.addStretch(1)
        self.scroll = scroll_body(self, body, "modelScroll")

    # -- showing ----------------------------------------------------------------------------
    def show_model(self, model: ScoringModel, editable: bool = True) -> None:
        """Show `model`; rows are kept (and a slider being dragged keeps going) unless criteria changed."""
        self.model = model
        self.description.setText(f"{model.name}: {model.description}" if model.description else model.name)
        total = sum(model.weights)
        self.total.setText(f"Weights add up to {total:g}; each criterion gives at most its share "
                           "of 100 points.")
        if tuple(self.rows) != model.names:
            self._rebuild_rows(model)
        for criterion in model.criteria:
            self.rows[criterion.name].show_criterion(criterion, total, editable)
        # One width for every name (up to a limit), so the sliders line up from row to row.
        width = min(max((row.name_width() for row in self.rows.values()), default=0), NAME_WIDTH_MAX)
        for row in self.rows.values():
            row.fit_to_font()
            row.name_label.setFixedWidth(width)
        self.add_button.setEnabled(editable)
        self._show_tiers(model, editable)

    def _rebuild_rows(self, model: ScoringModel) -> None:
        while self.criteria_box.count():
            widget = self.criteria_box.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.rows = {}
        for criterion in model.criteria:
            row = CriterionRow(criterion)
            row.weightChanged.connect(self.weightChanged)
            row.weightSettled.connect(self.weightSettled)
            row.changed.connect(self.criterionChanged)
            row.removeRequested.connect(self.removeRequested)
            row.renameRequested.connect(self.renameRequested)
            self.rows[criterion.name] = row
            self.criteria_box.addWidget(row)
            self.criteria_box.addWidget(_rule())

    def _show_tiers(self, model: ScoringModel, editable: bool) -> None:
        self.tiers_check.blockSignals(True)
        self.tiers_check.setChecked(model.tiers_enabled)
        self.tiers_check.blockSignals(False)
        self.tiers_check.setEnabled(editable and bool(model.tiers))
        if [r.tier.name for r in self.tier_rows] != [t.name for t in model.tiers]:
            for row in self.tier_rows:
                self.tiers_box.removeWidget(row)
                row.deleteLater()
            self.tier_rows = []
            for number, tier in enumerate(model.tiers, start=1):
                row = TierRow(number, tier)
                row.toggled.connect(self.tierEnabledChanged)
                self.tier_rows.append(row)
                self.tiers_box.addWidget(row)
        for number, (row, tier) in enumerate(zip(self.tier_rows, model.tiers), start=1):
            row.show_tier(number, tier, model.tiers_enabled, editable)
        if not model.tiers:
            self.rest.setText("No tiers: initiatives rank by score alone.")
        elif not model.tiers_enabled:
            self.rest.setText("Tiers are off: initiatives rank by score alone.")
        else:
            self.rest.setText(f"Tier {len(model.tiers) + 1}: everything else.")

    def flush(self) -> None:
        """Send any weight still waiting in a row (before an undo, a save, or a test's assertion)."""
        for row in self.rows.values():
            row.flush()
