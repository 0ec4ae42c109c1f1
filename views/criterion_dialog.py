"""The "+ criterion" dialog: name, source (a column, a column of words read through a value map,
a derived value or a formula checked as it is typed)."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cutline.models.errors import FormulaError
from cutline.models.importing.scales import propose_words
from cutline.models.scoring.formula import parse_expression, tokenize
from cutline.models.scoring.model import DERIVED_SOURCES, Criterion
from cutline.models.words.sources import choice_words
from cutline.views.criterion_row import (
    CHOICE_TIPS,
    DIRECTION_LABELS,
    NORMALISATION_LABELS,
    WeightSpin,
)
from cutline.views.palette import PROBLEM

FORMULA = "formula"


class CriterionDialog(QDialog):
    """Asks for a new criterion; `criterion()` gives it once the dialog is accepted."""

    def __init__(self, columns: tuple[str, ...], taken_names: tuple[str, ...], parent=None,
                 word_columns: dict[str, list[str]] | None = None):
        """`word_columns`: columns of words (Priority, MoSCoW …) with the words each holds; such a
        column is scored through a value map the user sets here."""
        super().__init__(parent)
        self.setObjectName("criterionDialog")
        self.setWindowTitle("Add a criterion")
        self.setModal(True)
        self._columns = tuple(columns)
        self._words = dict(word_columns or {})
        self._taken = {n.casefold() for n in taken_names}
        self._build()
        self._connect()
        self._validate()

    def _build(self) -> None:
        self.name = QLineEdit(objectName="criterionName", placeholderText="e.g. value per week")
        self.source = QComboBox(objectName="criterionSource")
        for column in self._columns:
            self.source.addItem(f"Column: {column}", column)
        for column in self._words:
            self.source.addItem(f"Column: {column} (words, read through a value map)", column)
        for key in (*DERIVED_SOURCES, FORMULA):
            self.source.addItem("Formula…" if key == FORMULA else choice_words(key), key)
        self.formula = QLineEdit(objectName="criterionFormula",
                                 placeholderText="e.g. reach * impact / effort")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(self.font().pointSizeF())
        self.formula.setFont(mono)
        self.problem = QLabel(objectName="formulaProblem")
        self.problem.setFont(mono)
        self.problem.setWordWrap(False)
        self.problem.setStyleSheet(f"color: {PROBLEM};")
        self.help = QLabel("Numbers, + − * / **, ( ), min, max, log, sqrt over the columns "
                           + ", ".join((*self._columns, *DERIVED_SOURCES)) + ".", objectName="formulaHelp")
        self.help.setProperty("role", "muted")
        self.help.setWordWrap(True)
        self.direction = QComboBox(objectName="criterionDirection")
        for key, text in DIRECTION_LABELS.items():
            self.direction.addItem(f"{text}: {CHOICE_TIPS[key].lower()}", key)
        self.normalisation = QComboBox(objectName="criterionNormalisation")
        for key, text in NORMALISATION_LABELS.items():
            self.normalisation.addItem(f"{text}: {CHOICE_TIPS[key].lower()}", key)
        self.normalisation.setCurrentIndex(self.normalisation.findData("minmax"))
        self.low, self.high = WeightSpin(objectName="criterionLow"), WeightSpin(objectName="criterionHigh")
        for spin, value in ((self.low, 0.0), (self.high, 10.0)):
            spin.setRange(-1e9, 1e9)
            spin.setDecimals(3)
            spin.setValue(value)
        self.bounds = QWidget()
        row = QHBoxLayout(self.bounds)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.low)
        row.addWidget(QLabel("to"))
        row.addWidget(self.high)
        self.value_map = QTableWidget(0, 2, objectName="criterionValueMap")
        self.value_map.setHorizontalHeaderLabels(["Word in the column", "Read as"])
        self.value_map.verticalHeader().setVisible(False)
        self.value_map.horizontalHeader().setStretchLastSection(True)
        self._shown_words: str | None = None
        self.weight = WeightSpin(objectName="criterionWeight")
        self.weight.setRange(0.0, 100.0)
        self.weight.setSingleStep(0.5)
        self.weight.setValue(1.0)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Source", self.source)
        form.addRow("Formula", self.formula)
        form.addRow("", self.problem)
        form.addRow("", self.help)
        form.addRow("Value map", self.value_map)
        form.addRow("Direction", self.direction)
        form.addRow("Normalisation", self.normalisation)
        form.addRow("Scale", self.bounds)
        form.addRow("Weight", self.weight)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add criterion")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._form = form

    def _connect(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for signal in (self.name.textChanged, self.formula.textChanged):
            signal.connect(lambda _: self._validate())
        for combo in (self.source, self.normalisation):
            combo.currentIndexChanged.connect(lambda _: self._validate())
        self.value_map.itemChanged.connect(lambda _: self._validate())
        self.low.valueChanged.connect(lambda _: self._validate())
        self.high.valueChanged.connect(lambda _: self._validate())

    # -- checking -----------------------------------------------------------------------
    def is_formula(self) -> bool:
        return self.source.currentData() == FORMULA

    def is_words(self) -> bool:
        return self.source.currentData() in self._words

    def _show_words(self) -> None:
        """The chosen column's words with the numbers proposed for them (a known scale's)."""
        column = self.source.currentData()
        if column == self._shown_words:
            return
        self._shown_words = column
        found = self._words.get(column, [])
        proposed = propose_words(found)
        words = list(proposed) + [w for w in found if w not in proposed]  # in the scale's order
        self.value_map.blockSignals(True)
        self.value_map.setRowCount(len(words))
        for r, word in enumerate(words):
            item = QTableWidgetItem(word)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.value_map.setItem(r, 0, item)
            value = proposed.get(word)
            self.value_map.setItem(r, 1, QTableWidgetItem("" if value is None else f"{value:g}"))
        self.value_map.blockSignals(False)
        self.value_map.resizeColumnsToContents()

    def words_map(self) -> dict[str, float] | None:
        """The value map as entered (words with no number are left out: they score as blank)."""
        if not self.is_words():
            return None
        out = {}
        for r in range(self.value_map.rowCount()):
            text = self.value_map.item(r, 1).text().strip().replace(",", ".")
            try:
                value = float(text)
            except ValueError:
                continue
            if math.isfinite(value):
                out[self.value_map.item(r, 0).text()] = value
        return out

    def formula_problem(self) -> str:
        """Why the formula cannot be used, pointing at the bad token; "" when it is fine."""
        text = self.formula.text()
        try:
            expression = parse_expression(text)
        except FormulaError as exc:
            return exc.message
        unknown = sorted(set(expression.columns) - set(self._columns) - set(DERIVED_SOURCES))
        if unknown:
            name = unknown[0]
            at = next((t.pos for t in tokenize(text) if t.kind == "name" and t.value == name), 0)
            return str(FormulaError(f"There is no column called {name!r}.", text=text, position=at))
        return ""

    def problems(self) -> list[str]:
        """Everything that keeps the criterion from being added."""
        found = []
        name = self.name.text().strip()
        if not name:
            found.append("Give the criterion a name.")
        elif name.casefold() in self._taken:
            found.append(f"A criterion called {name!r} already exists.")
        if self.is_formula():
            problem = self.formula_problem()
            if problem:
                found.append(problem)
        if self.is_words() and not self.words_map():
            found.append("Give at least one word of the value map a number.")
        if self.normalisation.currentData() == "scale" and self.high.value() <= self.low.value():
            found.append("The high end of the scale must be above the low end.")
        return found

    def _validate(self) -> None:
        formula = self.is_formula()
        for widget in (self.formula, self.help):
            widget.setVisible(formula)
        self._form.setRowVisible(self.formula, formula)
        self._form.setRowVisible(self.help, formula)
        self._form.setRowVisible(self.bounds, self.normalisation.currentData() == "scale")
        self._form.setRowVisible(self.value_map, self.is_words())
        if self.is_words():
            self._show_words()
        problems = self.problems()
        formula_problem = self.formula_problem() if formula and self.formula.text() else ""
        self.problem.setText(formula_problem)
        self._form.setRowVisible(self.problem, bool(formula_problem))
        self.formula.setStyleSheet(f"border: 2px solid {PROBLEM};" if formula_problem else "")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problems)
        ok.setToolTip("\n".join(p.splitlines()[0] for p in problems))
        self.adjustSize()

    # -- the result ----------------------------------------------------------------------
    def criterion(self) -> Criterion:
        """The criterion as entered (call after accepted)."""
        scale = self.normalisation.currentData() == "scale"
        source = self.source.currentData()
        return Criterion(
            name=self.name.text().strip(),
            source=source,
            direction=self.direction.currentData(),
            normalisation=self.normalisation.currentData(),
            weight=float(self.weight.value()),
            low=float(self.low.value()) if scale else None,
            high=float(self.high.value()) if scale else None,
            formula=self.formula.text().strip() if source == FORMULA else None,
        )

