"""One criterion of the model panel: its weight as a slider and a spin box, its share, direction and scale."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cutline.models.scoring.model import Criterion
from cutline.models.words.sources import short_words
from cutline.views.palette import PROBLEM

#: The slider runs from 0 to 10 in steps of 0.5; the spin box takes larger weights too.
SLIDER_MAX = 10.0
SLIDER_STEP = 0.5
SPIN_MAX = 100.0
#: Slider moves closer together than this reach the model as one change (a drag re-ranks smoothly).
COALESCE_MS = 40

DIRECTION_LABELS = {"benefit": "Benefit", "cost": "Cost"}
NORMALISATION_LABELS = {"scale": "Scale", "minmax": "Min–max", "rank": "Rank %"}
CHOICE_TIPS = {
    "benefit": "A higher value earns more points",
    "cost": "A lower value earns more points (effort, risk)",
    "scale": "From a declared low (no points) to high (all points)",
    "minmax": "From the lowest value in the portfolio to the highest",
    "rank": "By position among all initiatives, as a percentile",
}


def source_words(criterion: Criterion) -> str:
    """Where a criterion's value comes from, in words."""
    return short_words(criterion.source, criterion.formula)


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" instead of widening the row."""

    doubleClicked = Signal()

    def mouseDoubleClickEvent(self, event) -> None:
        self.doubleClicked.emit()
        super().mouseDoubleClickEvent(event)

    def __init__(self, *args, least: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.least = least  # below the width of this text, show nothing (the tooltip has it)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(0, super().sizeHint().height())

    def paintEvent(self, event) -> None:
        if self.width() < self.fontMetrics().horizontalAdvance(self.least):
            return
        painter = QPainter(self)
        painter.setFont(self.font())
        painter.setPen(self.palette().color(self.foregroundRole()))
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.width())
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        painter.end()


class WeightSpin(QDoubleSpinBox):
    """A weight as a PM writes it: 3, 2.5, 0.25 (no trailing zeros)."""

    def textFromValue(self, value: float) -> str:
        return f"{value:g}"


def _combo(labels: dict[str, str], name: str) -> QComboBox:
    combo = QComboBox(objectName=name)
    for key, text in labels.items():
        combo.addItem(text, key)
        combo.setItemData(combo.count() - 1, CHOICE_TIPS[key], Qt.ItemDataRole.ToolTipRole)
    # Narrow docks: the combo may shrink below its longest text rather than push the row wider.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(5)
    return combo


def _bounds_spin(name: str) -> QDoubleSpinBox:
    spin = WeightSpin(objectName=name)
    spin.setRange(-1e9, 1e9)
    spin.setDecimals(3)
    spin.setKeyboardTracking(False)
    spin.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)
    spin.setMaximumWidth(48)
    return spin


class CriterionRow(QFrame):
    """Shows one criterion and emits what the user wants changed; it never changes the model itself."""

    weightChanged = Signal(str, float)     # criterion name, new weight
    gestureStarted = Signal(str)           # criterion name: the slider is pressed (a drag begins)
    weightSettled = Signal(str)            # criterion name: a gesture ends (release, typed weight done)
    changed = Signal(str, object)          # criterion name, dict of field -> value
    removeRequested = Signal(str)
    renameRequested = Signal(str)

    def __init__(self, criterion: Criterion, parent=None):
        super().__init__(parent)
        self.setObjectName(f"criterion_{criterion.name}")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.criterion = criterion
        self._pending: float | None = None
        self._timer = QTimer(self, singleShot=True, interval=COALESCE_MS)
        self._timer.timeout.connect(self.flush)
        self._build()
        self._connect()
        self.show_criterion(criterion, 0.0)

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.name_label = ElidedLabel(objectName="criterionName")
        self.name_label.setStyleSheet("font-weight: 700;")
        self.source_label = ElidedLabel(objectName="criterionSource", least="column: dx")
        self.source_label.setProperty("role", "muted")
        self.share_label = QLabel(objectName="criterionShare")

        self.share_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.share_label.setToolTip("Share of the total weight: the most points this criterion can give")
        self.remove_button = QToolButton(objectName="removeCriterion", text="✕")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setStyleSheet("QToolButton { padding: 0px; }")
        self.slider = QSlider(Qt.Orientation.Horizontal, objectName="weightSlider")
        self.slider.setRange(0, round(SLIDER_MAX / SLIDER_STEP))
        self.slider.setPageStep(2)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(2)
        self.spin = WeightSpin(objectName="weightSpin")
        self.spin.setRange(0.0, SPIN_MAX)
        self.spin.setSingleStep(SLIDER_STEP)
        self.spin.setDecimals(2)
        self.spin.setKeyboardTracking(False)
        # No arrows: the slider steps; the box takes a typed weight, arrow keys and the wheel.
        self.spin.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)
        self.spin.setAlignment(Qt.AlignmentFlag.AlignRight)

        self.direction = _combo(DIRECTION_LABELS, "directionBox")
        self.direction.setToolTip("Benefit: a higher value earns more points. Cost: a lower value does.")
        self.normalisation = _combo(NORMALISATION_LABELS, "normalisationBox")
        self.normalisation.setToolTip(
            "Fixed scale: from a declared low to high. Min to max: over the portfolio. "
            "Rank percentile: by position among all initiatives.")
        self.low = _bounds_spin("scaleLow")
        self.high = _bounds_spin("scaleHigh")
        self.bounds = QWidget(objectName="scaleBounds")
        bounds = QHBoxLayout(self.bounds)
        bounds.setContentsMargins(0, 0, 0, 0)
        bounds.setSpacing(2)
        bounds.addWidget(self.low)
        bounds.addWidget(QLabel("–"))
        bounds.addWidget(self.high)
        self.bounds.setToolTip("The scale: this value gives no points, this one gives all")
        grid = QVBoxLayout(self)
        grid.setContentsMargins(4, 4, 0, 6)
        grid.setSpacing(2)
        weight = QHBoxLayout()
        weight.setSpacing(6)
        weight.addWidget(self.name_label)
        weight.addWidget(self.slider, 1)
        weight.addWidget(self.spin)
        weight.addWidget(self.share_label)
        grid.addLayout(weight)
        choices = QHBoxLayout()
        choices.setSpacing(4)
        choices.addWidget(self.direction)
        choices.addWidget(self.normalisation)
        choices.addWidget(self.bounds)
        choices.addSpacing(4)
        choices.addWidget(self.source_label, 1)
        choices.addWidget(self.remove_button)
        # Hidden bounds keep their room, so the choosers line up from row to row.
        policy = self.bounds.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.bounds.setSizePolicy(policy)
        grid.addLayout(choices)

    def _connect(self) -> None:
        self.slider.valueChanged.connect(self._on_slider)
        # Pressing and letting go bound the gesture; what a gesture becomes is the app's business.
        self.slider.sliderPressed.connect(self._start_gesture)
        self.slider.sliderReleased.connect(self._end_gesture)
        self.spin.valueChanged.connect(self._on_spin)
        self.spin.editingFinished.connect(lambda: self.weightSettled.emit(self.criterion.name))
        self.direction.activated.connect(
            lambda _: self._emit_change(direction=self.direction.currentData()))
        self.normalisation.activated.connect(lambda _: self._on_normalisation())
        self.low.valueChanged.connect(lambda _: self._on_bounds())
        self.high.valueChanged.connect(lambda _: self._on_bounds())
        self.remove_button.clicked.connect(lambda: self.removeRequested.emit(self.criterion.name))
        self.name_label.doubleClicked.connect(lambda: self.renameRequested.emit(self.criterion.name))
        for box in (self.spin, self.low, self.high):
            box.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+Z (or redo) in a box with a typed, not yet accepted value: accept it first, then
        let the window's Undo have the key. Left to the box, it would undo the typing alone and
        the weight, never sent, could not be undone from the stack."""
        if (event.type() == QEvent.Type.ShortcutOverride and watched in (self.spin, self.low, self.high)
                and (event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo))):
            watched.interpretText()  # valueChanged: the typed weight becomes a step of its own
            self._end_gesture()
            event.ignore()  # not overridden: the shortcut reaches the window's action
            return True
        return super().eventFilter(watched, event)

    # -- showing ----------------------------------------------------------------------------
    def show_criterion(self, criterion: Criterion, total_weight: float, editable: bool = True) -> None:
        """Show `criterion` (after any change or an undo) without emitting anything."""
        self.criterion = criterion
        busy = self._pending is not None or self.slider.isSliderDown()
        widgets = (self.slider, self.spin, self.direction, self.normalisation, self.low, self.high)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            # Only what differs: setting a spin box, even to its own value, repaints it.
            if not busy:
                _set_value(self.spin, criterion.weight)
                _set_value(self.slider, round(min(criterion.weight, SLIDER_MAX) / SLIDER_STEP))
            self.direction.setCurrentIndex(max(0, self.direction.findData(criterion.direction)))
            self.normalisation.setCurrentIndex(max(0, self.normalisation.findData(criterion.normalisation)))
            _set_value(self.low, 0.0 if criterion.low is None else criterion.low)
            _set_value(self.high, 10.0 if criterion.high is None else criterion.high)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self.name_label.setText(criterion.name)
        self.source_label.setText(source_words(criterion))
        self.source_label.setToolTip(source_words(criterion))
        self.bounds.setVisible(criterion.normalisation == "scale")
        self.name_label.setToolTip(f"{criterion.name} — {source_words(criterion)}\n"
                                   "Double-click to rename")
        self.show_share(criterion.weight, total_weight)
        self.remove_button.setToolTip(f"Remove the criterion {criterion.name}")
        self.slider.setToolTip(f"Weight of {criterion.name}: 0 to 10 in steps of 0.5")
        for widget in (*widgets, self.remove_button):
            widget.setEnabled(editable)

    def show_share(self, weight: float, total: float) -> None:
        """This criterion's share of the total weight, as a percentage."""
        share = weight / total if total > 0 else 0.0
        self.share_label.setText(f"{share * 100:.0f}%")

    def fit_to_font(self) -> None:
        """Widths that follow the type size (zoom and presentation change it), so columns line up."""
        for combo in (self.direction, self.normalisation):
            combo.setFixedWidth(combo.fontMetrics().averageCharWidth() * 8 + 30)
        self.spin.setFixedWidth(self.spin.fontMetrics().horizontalAdvance("10.25") + 16)
        self.share_label.setMinimumWidth(self.share_label.fontMetrics().horizontalAdvance("100%"))
        self.remove_button.setFixedWidth(self.remove_button.fontMetrics().horizontalAdvance("✕") + 12)

    def name_width(self) -> int:
        """How wide this criterion's name is in bold, for lining up the sliders of all rows."""
        font = self.name_label.font()
        font.setBold(True)
        return QFontMetrics(font).horizontalAdvance(self.criterion.name) + 4

    def weight(self) -> float:
        return float(self.spin.value())

    # -- user changes -----------------------------------------------------------------------
    def _on_slider(self, steps: int) -> None:
        weight = steps * SLIDER_STEP
        self.spin.blockSignals(True)
        self.spin.setValue(weight)
        self.spin.blockSignals(False)
        self._pending = weight
        self._timer.start()

    def _on_spin(self, weight: float) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(round(min(weight, SLIDER_MAX) / SLIDER_STEP))
        self.slider.blockSignals(False)
        self._pending = float(weight)
        self.flush()

    def _start_gesture(self) -> None:
        self.flush()  # a weight still waiting belongs to what came before
        self.gestureStarted.emit(self.criterion.name)

    def _end_gesture(self) -> None:
        self.flush()
        self.weightSettled.emit(self.criterion.name)

    def flush(self) -> None:
        """Send the latest weight now (the timer ran out, the slider was let go, or a value was typed)."""
        self._timer.stop()
        if self._pending is None:
            return
        weight, self._pending = self._pending, None
        self.weightChanged.emit(self.criterion.name, weight)

    def _on_normalisation(self) -> None:
        kind = self.normalisation.currentData()
        changes: dict[str, object] = {"normalisation": kind}
        if kind == "scale" and (self.criterion.low is None or self.criterion.high is None):
            changes.update(low=self.low.value(), high=self.high.value())
        self._emit_change(**changes)

    def _on_bounds(self) -> None:
        low, high = float(self.low.value()), float(self.high.value())
        if high <= low:  # a scale needs room; the spin boxes show the refused value until refreshed
            self.low.setStyleSheet(f"color: {PROBLEM};")
            self.high.setStyleSheet(f"color: {PROBLEM};")
            self.bounds.setToolTip("The high end of the scale must be above the low end.")
            return
        self.low.setStyleSheet("")
        self.high.setStyleSheet("")
        self.bounds.setToolTip("")
        self._emit_change(low=low, high=high)

    def _emit_change(self, **changes) -> None:
        self.changed.emit(self.criterion.name, changes)


def _set_value(widget, value) -> None:
    if widget.value() != value:
        widget.setValue(value)
