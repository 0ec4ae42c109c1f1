"""File > Export: which scenarios go into the roadmap, live formulas or not, and where."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)


class ExportDialog(QDialog):
    """Plain data in (scenario names, current, a suggested path), plain data out (properties)."""

    def __init__(self, scenarios: list[str], current: str, path: Path, live_formulas: bool, parent=None):
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export the roadmap")
        self.resize(620, 460)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"The roadmap shows scenario <b>{current}</b>. Tick the scenarios "
                                "to set beside it on the Scenarios sheet:"))
        self.scenario_list = QListWidget(objectName="exportScenarios")
        for name in scenarios:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            if name == current:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setText(f"{name} (the roadmap)")
            self.scenario_list.addItem(item)
        layout.addWidget(self.scenario_list)
        self.live = QCheckBox("Live formulas: scores recompute in Excel when a weight on the Model "
                              "sheet changes", objectName="liveFormulas")
        self.live.setChecked(live_formulas)
        layout.addWidget(self.live)
        row = QHBoxLayout()
        self.path_edit = QLineEdit(str(path), objectName="exportPath")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        row.addWidget(QLabel("Save as"))
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._names = scenarios
        self._current = current

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export the roadmap", self.path_edit.text(),
                                              "Excel workbooks (*.xlsx)")
        if path:
            self.path_edit.setText(path)

    @property
    def chosen(self) -> list[str]:
        """The current scenario first, then the ticked others in workshop order."""
        others = [self._names[i] for i in range(self.scenario_list.count())
                  if self._names[i] != self._current
                  and self.scenario_list.item(i).checkState() == Qt.CheckState.Checked]
        return [self._current] + others

    @property
    def path(self) -> Path:
        path = Path(self.path_edit.text().strip())
        return path if path.suffix.lower() == ".xlsx" else path.with_suffix(".xlsx")

    @property
    def live_formulas(self) -> bool:
        return self.live.isChecked()
