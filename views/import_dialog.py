"""The import dialog: source options, the column mapping, a preview to fix cells in, and the report.

It shows what the flow read and emits what the user changed; the flow re-reads and re-validates.
Nothing in the open workshop changes until the user accepts.
"""

from __future__ import annotations

from cutline.models.importing.mapping import IMPORT_FIELDS
from cutline.views.import_coverage import ImportCoverage
from cutline.views.import_values import ImportValues
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

EXTRA = "— keep as an extra column —"
PREVIEW_ROWS = 200
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1")
DELIMITERS = {",": "comma ,", ";": "semicolon ;", "\t": "tab", "|": "pipe |"}
DECIMALS = {".": "point 1.5", ",": "comma 1,5"}


class ImportDialog(QDialog):
    """Plain data in (SourceInfo, RawTable, mapping, report); intent out (signals)."""

    optionsChanged = Signal(dict)        # {"sheet", "encoding", "delimiter", "decimal", "header_row"}
    mappingChanged = Signal(dict)        # header -> field or None
    cellEdited = Signal(int, str, str)   # source row, header, text
    conversionChanged = Signal(str, dict)  # field, how its cells are read (Conversion.to_dict())
    templateChosen = Signal(str)         # the model template the new workshop starts with

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(f"Import {title}")
        self.resize(1200, 800)
        self._loading = False
        self.sheet = QComboBox(objectName="importSheet")
        self.encoding = QComboBox(objectName="importEncoding")
        self.encoding.addItems(ENCODINGS)
        self.delimiter = QComboBox(objectName="importDelimiter")
        for key, label in DELIMITERS.items():
            self.delimiter.addItem(label, key)
        self.decimal = QComboBox(objectName="importDecimal")
        for key, label in DECIMALS.items():
            self.decimal.addItem(label, key)
        self.header_row = QSpinBox(objectName="importHeaderRow", minimum=1, maximum=1000)
        self.source_note = QLabel(objectName="importSourceNote", wordWrap=True)
        options = QFormLayout()
        options.addRow("Sheet", self.sheet)
        options.addRow("Encoding", self.encoding)
        options.addRow("Delimiter", self.delimiter)
        options.addRow("Decimal mark", self.decimal)
        options.addRow("Header row", self.header_row)
        options.addRow(self.source_note)
        self.mapping = QTableWidget(0, 3, objectName="importMapping")
        self.mapping.setHorizontalHeaderLabels(["Column in the file", "Cutline field", "First values"])
        self.mapping.verticalHeader().setVisible(False)
        self.mapping.horizontalHeader().setStretchLastSection(True)
        self.preview = QTableWidget(0, 0, objectName="importPreview")
        self.preview.itemChanged.connect(self._on_cell)
        self.report = QListWidget(objectName="importReport")
        self.report.setWordWrap(True)
        self.summary = QLabel(objectName="importSummary", wordWrap=True)
        self.summary.setProperty("role", "heading")
        self.values = ImportValues()
        self.values.conversionChanged.connect(self.conversionChanged)
        self.coverage = ImportCoverage()
        self.coverage.templateChosen.connect(self.templateChosen)
        columns = QWidget()
        columns_layout = QVBoxLayout(columns)
        columns_layout.addWidget(QLabel("Map each column to a field (or keep it as it is):"))
        columns_layout.addWidget(self.mapping, 1)
        self.tabs = QTabWidget(objectName="importTabs")
        self.tabs.addTab(columns, "Columns")
        self.tabs.addTab(self.values, "Words and units")
        self.tabs.addTab(self.coverage, "What this file supports")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(options)
        left_layout.addWidget(self.tabs, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self._titled("Preview (double-click a cell to fix it)", self.preview))
        right.addWidget(self._titled("Problems, with where they are and what to do", self.report))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.accept_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.accept_button.setObjectName("importAccept")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        for combo in (self.sheet, self.encoding, self.delimiter, self.decimal):
            combo.currentIndexChanged.connect(lambda _: self._emit_options())
        self.header_row.valueChanged.connect(lambda _: self._emit_options())

    @staticmethod
    def _titled(text: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(text))
        layout.addWidget(widget, 1)
        return box

    # -- showing what was read -------------------------------------------------------------
    def show_source(self, source, raw) -> None:
        """The file's format and options; csv options only for csv, the sheet picker for workbooks."""
        self._loading = True
        is_csv = source.format == "csv"
        self.sheet.clear()
        for sheet in source.sheets:
            self.sheet.addItem(sheet.name + (" (hidden)" if sheet.hidden else ""), sheet.name)
        if raw.sheet is not None:
            self.sheet.setCurrentIndex(max(0, self.sheet.findData(raw.sheet)))
        if is_csv:
            self.sheet.addItem("(a CSV file has no sheets)", None)
        self.sheet.setEnabled(not is_csv and self.sheet.count() > 1)
        for combo in (self.encoding, self.delimiter, self.decimal):
            combo.setEnabled(is_csv)
        options = raw.csv_options
        if is_csv:
            enc = (options.encoding if options and options.encoding else source.encoding) or "utf-8"
            if self.encoding.findText(enc) < 0:
                self.encoding.addItem(enc)
            self.encoding.setCurrentText(enc)
            self.delimiter.setCurrentIndex(max(0, self.delimiter.findData(
                (options.delimiter if options and options.delimiter else source.delimiter) or ",")))
        self.decimal.setCurrentIndex(max(0, self.decimal.findData(raw.decimal or ".")))
        self.header_row.setValue(raw.header_row)
        notes = [f"{source.format.upper()} file"]
        if is_csv:
            notes.append(f"read as {self.encoding.currentText()}")
        notes += list(source.notes)
        self.source_note.setText("; ".join(notes) + ".")
        self._loading = False

    def show_mapping(self, raw, fields: dict) -> None:
        self._loading = True
        headers = list(raw.headers)
        self.mapping.setRowCount(len(headers))
        for r, header in enumerate(headers):
            self.mapping.setItem(r, 0, QTableWidgetItem(header))
            combo = QComboBox()
            combo.addItem(EXTRA, None)
            for name in IMPORT_FIELDS:
                combo.addItem(FIELD_WORDS.get(name, name), name)
            combo.setCurrentIndex(max(0, combo.findData(fields.get(header))))
            combo.currentIndexChanged.connect(lambda _: self._emit_mapping())
            self.mapping.setCellWidget(r, 1, combo)
            sample = ", ".join(str(v) for v in raw.frame[header].head(3).tolist() if str(v) not in ("", "nan", "None"))
            self.mapping.setItem(r, 2, QTableWidgetItem(sample))
        self.mapping.resizeColumnsToContents()
        self._loading = False

    def show_preview(self, raw, report) -> None:
        """The first rows as read, with cells that have problems marked and explained on hover."""
        self._loading = True
        frame = raw.frame.head(PREVIEW_ROWS)
        headers = list(raw.headers)
        self.preview.setColumnCount(len(headers))
        self.preview.setRowCount(len(frame))
        self.preview.setHorizontalHeaderLabels(headers)
        self.preview.setVerticalHeaderLabels([str(r) for r in raw.source_rows[: len(frame)]])
        problems = {}
        for issue in report.issues:
            loc = issue.location
            if loc.row is not None and loc.column:
                problems.setdefault((loc.row, loc.column), []).append(issue)
        for r, values in enumerate(frame.itertuples(index=False)):
            source_row = int(raw.source_rows[r])
            for c, value in enumerate(values):
                text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
                item = QTableWidgetItem(text)
                found = problems.get((source_row, headers[c]))
                if found:
                    error = any(i.is_error for i in found)
                    item.setBackground(QBrush(QColor("#F8D0C0" if error else "#FFF1B8")))
                    item.setForeground(QBrush(QColor("#111111")))
                    item.setToolTip("\n".join(i.describe() for i in found))
                self.preview.setItem(r, c, item)
        self.preview.resizeColumnsToContents()
        self._loading = False

    def show_report(self, report, rows: int) -> None:
        self.report.clear()
        for note in report.notes:
            self.report.addItem("ℹ " + note)
        for issue in report.issues:
            mark = "✗ " if issue.is_error else "! "
            self.report.addItem(mark + issue.describe())
        errors = len(report.errors)
        text = f"{_count(rows, 'initiative')} ready to import"
        if report.notes and report.notes[0].startswith("Read as"):
            text = report.notes[0][:-1] + ": " + text
        if report.cells_left_blank:
            text += (f"; {_count(report.cells_left_blank, 'cell')} could not be read and "
                     f"{'is' if report.cells_left_blank == 1 else 'are'} left blank (marked in the preview)")
        if errors:
            text += (f"; {_count(report.rows_rejected, 'row')} with errors will be left out — fix "
                     "them in the preview, or import the valid rows")
        if report.warnings:
            text += f"; {_count(len(report.warnings), 'warning')}"
        self.summary.setText(text + ".")
        self.accept_button.setText(f"Import {_count(rows, 'initiative')}")
        self.accept_button.setEnabled(rows > 0)

    def show_problem(self, text: str) -> None:
        """A problem that stops the import as set up (e.g. two columns mapped to one field)."""
        self.summary.setText(text)
        self.accept_button.setEnabled(False)

    # -- what the user changed ---------------------------------------------------------------
    def mapping_fields(self) -> dict:
        out = {}
        for r in range(self.mapping.rowCount()):
            out[self.mapping.item(r, 0).text()] = self.mapping.cellWidget(r, 1).currentData()
        return out

    def set_field(self, header: str, field: str | None) -> None:
        """Map `header` to `field` as a user would with the combo box."""
        for r in range(self.mapping.rowCount()):
            if self.mapping.item(r, 0).text() == header:
                combo = self.mapping.cellWidget(r, 1)
                combo.setCurrentIndex(combo.findData(field))
                return
        raise KeyError(header)

    def options(self) -> dict:
        return {
            "sheet": self.sheet.currentData(),
            "encoding": self.encoding.currentText(),
            "delimiter": self.delimiter.currentData(),
            "decimal": self.decimal.currentData(),
            "header_row": self.header_row.value(),
        }

    def _emit_options(self) -> None:
        if not self._loading:
            self.optionsChanged.emit(self.options())

    def _emit_mapping(self) -> None:
        if not self._loading:
            self.mappingChanged.emit(self.mapping_fields())

    def _on_cell(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        row = int(self.preview.verticalHeaderItem(item.row()).text())
        header = self.preview.horizontalHeaderItem(item.column()).text()
        self.cellEdited.emit(row, header, item.text())


#: How the field picker names the fields that are not plain column names.
FIELD_WORDS = {
    "depends_on": "depends_on (waits on these ids)",
    "blocks": "blocks (these ids wait on it)",
    "unblocks": "unblocks (teams)",
}


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


__all__ = ["ImportDialog"]
