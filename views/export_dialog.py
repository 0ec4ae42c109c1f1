"""File > Export: which scenarios go into the roadmap, the Ranked list's columns, live formulas
or not, and where."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)


class ExportDialog(QDialog):
    """Plain data in (scenario names, current, a suggested path, the Ranked list's columns as
    (key, header, ticked)), plain data out (properties)."""

    pathAsked = Signal(str)  # "Choose…" with the path shown now; the answer comes to set_path

    def __init__(self, scenarios: list[str], current: str, path: Path, live_formulas: bool, parent=None,
                 *, columns: list[tuple[str, str, bool]] | None = None,
                 default_columns: list[str] | None = None):
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export the roadmap")
        self.resize(760, 560)
        layout = QVBoxLayout(self)
        lists = QGridLayout()
        lists.addWidget(QLabel(f"The roadmap shows scenario <b>{current}</b>. Tick the scenarios "
                               "to set beside it on the Scenarios sheet:", wordWrap=True), 0, 0)
        self.scenario_list = QListWidget(objectName="exportScenarios")
        for name in scenarios:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            if name == current:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setText(f"{name} (the roadmap)")
            self.scenario_list.addItem(item)
        lists.addWidget(self.scenario_list, 1, 0)
        lists.addWidget(QLabel("Columns of the Ranked list, in this order (drag to reorder); the "
                               "others are kept hidden so the workbook reads back whole:", wordWrap=True), 0, 1)
        self.column_list = QListWidget(objectName="exportColumns")
        self.column_list.setDragDropMode(QListWidget.DragDropMode.InternalMove)
        self._default_columns = list(default_columns or [])
        self._set_columns(columns or [])
        lists.addWidget(self.column_list, 1, 1)
        presets = QHBoxLayout()
        for text, name, slot in (("Default columns", "defaultColumns", self.use_default_columns),
                                 ("All columns", "allColumns", self.use_all_columns)):
            button = QPushButton(text, objectName=name)
            button.clicked.connect(slot)
            presets.addWidget(button)
        presets.addStretch(1)
        lists.addLayout(presets, 2, 1)
        lists.setColumnStretch(0, 2)
        lists.setColumnStretch(1, 3)
        layout.addLayout(lists, 1)
        self.live = QCheckBox("Live formulas: scores recompute in Excel when a weight on the Model "
                              "sheet changes", objectName="liveFormulas")
        self.live.setChecked(live_formulas)
        layout.addWidget(self.live)
        row = QHBoxLayout()
        self.path_edit = QLineEdit(str(path), objectName="exportPath")
        browse = QPushButton("Choose…")
        browse.clicked.connect(lambda: self.pathAsked.emit(self.path_edit.text()))
        row.addWidget(QLabel("Save as"))
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.column_list.itemChanged.connect(self._columns_changed)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._names = scenarios
        self._current = current

    def _set_columns(self, columns: list[tuple[str, str, bool]]) -> None:
        """Ticked columns first (in their order), then the others, each a checkable item."""
        self.column_list.clear()
        for key, header, ticked in sorted(columns, key=lambda c: not c[2]):
            item = QListWidgetItem(header)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled)
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.column_list.addItem(item)
        self._all = [(key, header) for key, header, _ in columns]

    def _columns_changed(self, _item=None) -> None:
        """Export needs at least one column when there are columns to choose from."""
        button = getattr(self, "export_button", None)
        if button is not None:
            button.setEnabled(bool(self.columns) or not self._all)

    def use_default_columns(self) -> None:
        wanted = {k: i for i, k in enumerate(self._default_columns)}
        ordered = sorted(self._all, key=lambda c: wanted.get(c[0], len(wanted)))
        self._set_columns([(k, h, k in wanted) for k, h in ordered])
        self._columns_changed()

    def use_all_columns(self) -> None:
        self._set_columns([(k, h, True) for k, h in self._all])
        self._columns_changed()

    def set_path(self, path: str | Path) -> None:
        """The file to write, as chosen with "Choose…" (whoever answers `pathAsked`)."""
        self.path_edit.setText(str(path))

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

    @property
    def columns(self) -> list[str]:
        """The keys of the ticked columns, in the list's order."""
        items = [self.column_list.item(i) for i in range(self.column_list.count())]
        return [item.data(Qt.ItemDataRole.UserRole) for item in items if item.checkState() == Qt.CheckState.Checked]
