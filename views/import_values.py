"""How the import reads values: the effort unit (and what one unit is in person-weeks) and each
field's value map (word -> number), shown and edited in the import dialog."""

from __future__ import annotations

import math

from cutline.models.importing.conversions import EFFORT_UNITS, Conversion, effort_conversion
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

UNIT_WORDS = {
    "person-weeks": "person-weeks", "person-days": "person-days", "hours": "hours",
    "person-months": "person-months",
    "seconds": "seconds (Jira's Original Estimate)", "points": "story points", "sizes": "t-shirt sizes",
}


class ImportValues(QWidget):
    """Plain data in (mapping conversions, the words each field holds); a changed Conversion out."""

    conversionChanged = Signal(str, dict)  # field, Conversion.to_dict()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._loading = False
        self._conversions: dict[str, Conversion] = {}
        self.unit = QComboBox(objectName="importEffortUnit")
        for key, text in UNIT_WORDS.items():
            self.unit.addItem(text, key)
        self.factor = QDoubleSpinBox(objectName="importEffortFactor", decimals=4, minimum=0.0001,
                                     maximum=10_000, singleStep=0.1)
        self.factor.setSuffix(" person-weeks")
        self.effort_row = QWidget()
        row = QHBoxLayout(self.effort_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.effort_label = QLabel("Effort is in", objectName="importEffortLabel")
        row.addWidget(self.effort_label)
        row.addWidget(self.unit)
        self.factor_label = QLabel("and 1 is")
        row.addWidget(self.factor_label)
        row.addWidget(self.factor)
        row.addStretch(1)
        self.words = QTableWidget(0, 4, objectName="importValueMap")
        self.words.setHorizontalHeaderLabels(["Field", "Column", "Word in the file", "Read as"])
        self.words.verticalHeader().setVisible(False)
        self.words.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.words.horizontalHeader().setStretchLastSection(True)
        self.note = QLabel(objectName="importValuesNote", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.effort_row)
        layout.addWidget(self.note)
        layout.addWidget(self.words, 1)
        self.unit.currentIndexChanged.connect(lambda _: self._on_unit())
        self.factor.valueChanged.connect(lambda _: self._on_factor())
        self.words.itemChanged.connect(self._on_word)

    # -- showing ----------------------------------------------------------------------------
    def show_conversions(self, mapping, words_found: dict[str, list[str]]) -> None:
        """The mapping's conversions; `words_found` lists, per mapped numeric field, the words its
        column holds (so words the map does not know yet are shown with a blank number)."""
        self._loading = True
        self._conversions = dict(mapping.conversions)
        effort_header = mapping.header_of("effort")
        self.effort_row.setVisible(effort_header is not None)
        effort = mapping.conversion("effort")
        unit = effort.unit or "person-weeks"
        self.effort_label.setText(f"Effort ({effort_header!r}) is in" if effort_header else "Effort is in")
        self.unit.setCurrentIndex(max(0, self.unit.findData(unit)))
        self.factor.setValue(effort.factor)
        self._show_factor(unit)
        rows = []
        for name, header in mapping.mapped().items():
            conversion = mapping.conversion(name)
            known = dict(conversion.words)
            for word in words_found.get(name, []):
                if not any(w.casefold() == word.casefold() for w in known):
                    known[word] = None  # found in the file, not in the map: read as blank
            rows += [(name, header, word, value) for word, value in known.items()]
        self.words.setRowCount(len(rows))
        for r, (name, header, word, value) in enumerate(rows):
            for c, text in enumerate((name, header, word)):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.words.setItem(r, c, item)
            self.words.setItem(r, 3, QTableWidgetItem("" if value is None else f"{value:g}"))
        self.note.setText(
            "Words in the file are read through these maps; type a number to change one, clear it to "
            "leave that word blank." if rows else "No column of words needs a map.")
        self._loading = False

    def _show_factor(self, unit: str) -> None:
        per_unit = unit not in ("person-weeks", "sizes")
        self.factor.setVisible(per_unit)
        self.factor_label.setVisible(per_unit)

    # -- what the user changed --------------------------------------------------------------
    def _on_unit(self) -> None:
        if self._loading:
            return
        unit = self.unit.currentData()
        words = dict(self._conversions.get("effort", Conversion()).words) or None
        conversion = effort_conversion(unit, words=words if unit == "sizes" else None)
        self._loading = True
        self.factor.setValue(EFFORT_UNITS[unit])
        self._loading = False
        self._show_factor(unit)
        self._emit("effort", conversion)

    def _on_factor(self) -> None:
        if self._loading:
            return
        current = self._conversions.get("effort", Conversion())
        unit = self.unit.currentData()
        self._emit("effort", Conversion(current.words, unit, self.factor.value(), current.rule))

    def _on_word(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() != 3:
            return
        name = self.words.item(item.row(), 0).text()
        word = self.words.item(item.row(), 2).text()
        current = self._conversions.get(name, Conversion())
        words = dict(current.words)
        try:
            value = float(item.text().replace(",", "."))
        except ValueError:
            value = float("nan")
        if math.isfinite(value):
            words[word] = value
        else:  # blank, text, inf or nan: the word is read as blank
            words.pop(word, None)
        self._emit(name, Conversion(words, current.unit, current.factor, current.rule))

    def set_word(self, field: str, word: str, text: str) -> None:
        """Type a number for a word, as a user would."""
        for r in range(self.words.rowCount()):
            if self.words.item(r, 0).text() == field and self.words.item(r, 2).text() == word:
                self.words.item(r, 3).setText(text)
                return
        raise KeyError((field, word))

    def _emit(self, name: str, conversion: Conversion) -> None:
        self._conversions[name] = conversion
        self.conversionChanged.emit(name, conversion.to_dict())
