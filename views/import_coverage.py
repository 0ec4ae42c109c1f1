"""What the file can support: for the model the import would use, which criteria have data in
this file and which would be blank for everyone, with a choice of model templates that fit."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

KEEP = ""  # the template key meaning: the default model


class ImportCoverage(QWidget):
    """Plain data in (coverage rows, templates); the chosen template's key out."""

    templateChosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._loading = False
        self.template = QComboBox(objectName="importTemplate")
        self.lines = QLabel(objectName="importCoverage", wordWrap=True)
        self.lines.setTextFormat(self.lines.textFormat().PlainText)
        self.warning = QLabel(objectName="importCoverageWarning", wordWrap=True)
        self.warning.setProperty("role", "warning")
        form = QFormLayout()
        form.addRow("Scoring model", self.template)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.lines)
        layout.addWidget(self.warning)
        layout.addStretch(1)
        self.template.currentIndexChanged.connect(self._on_template)

    def show_coverage(self, rows: list[tuple[str, str, int]], total: int, templates: list[tuple[str, str]],
                      chosen: str, suggested: str | None = None) -> None:
        """rows: (criterion, where its values come from, how many initiatives have one)."""
        self._loading = True
        self.template.clear()
        for key, title in templates:
            self.template.addItem(title + ("  (fits this file best)" if key == suggested else ""), key)
        self.template.setCurrentIndex(max(0, self.template.findData(chosen)))
        lines = []
        for name, source, count in rows:
            state = "no data" if count == 0 else ("every initiative" if count == total else f"{count:,} of {total:,}")
            lines.append(f"{'✗' if count == 0 else '✓'} {name}: {source} — {state}")
        self.lines.setText("\n".join(lines))
        blank = [name for name, _, count in rows if count == 0]
        if rows and len(blank) == len(rows):
            self.warning.setText("Every criterion of this model would be blank for every initiative, so "
                                 "every score would be 0. Choose a model that fits this file, or map its columns.")
        elif blank:
            self.warning.setText(f"{', '.join(blank)}: no data in this file; "
                                 f"{'it scores' if len(blank) == 1 else 'they score'} 0 for everyone.")
        else:
            self.warning.setText("")
        self._loading = False

    def chosen(self) -> str:
        return self.template.currentData() or KEEP

    def _on_template(self, _index: int) -> None:
        if not self._loading:
            self.templateChosen.emit(self.chosen())
