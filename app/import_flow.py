"""Importing a spreadsheet from the GUI: read off the GUI thread, map and fix in the dialog, accept.

Accepting opens the spreadsheet as a new workshop, or replaces the initiatives of the open one
(app/spreadsheet_flow.py). A failed or cancelled import leaves the open workshop exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QProgressDialog

from app import worker
from models.errors import CutlineError


class ImportSession:
    """One import in progress: the file, the options and mapping chosen, and the cell fixes."""

    def __init__(self, window, path: Path, *, replace: bool = False):
        self.window = window
        self.path = Path(path)
        #: Replace the open workshop's initiatives on accept, instead of opening a new workshop.
        self.replace = replace
        self.sheet = None
        self.csv_options = None
        self.header_row = None
        self.fields: dict | None = None
        self.edits: dict = {}
        self.raw = self.portfolio = self.report = self.mapping = None
        self.dialog = None

    # -- reading and validating (pure calls into models.importing) -------------------------------
    def read(self) -> None:
        from models.importing import read_raw

        self.raw = read_raw(self.path, sheet=self.sheet, csv_options=self.csv_options,
                            header_row=self.header_row)
        self.fields = None if self.fields is None else {h: self.fields.get(h) for h in self.raw.headers}
        self.validate()

    def validate(self) -> None:
        from models.importing import ColumnMapping, build_portfolio, guess_mapping, headers_key

        if self.fields is None:
            saved = self.window.settings.get("import/mappings").get(headers_key(self.raw.headers))
            self.mapping = ColumnMapping.from_dict(saved) if saved else guess_mapping(self.raw.headers)
            self.fields = dict(self.mapping.fields)
        else:
            self.mapping = ColumnMapping(fields=dict(self.fields))
        self.portfolio, self.report = build_portfolio(self.raw, self.mapping, edits=self.edits)

    # -- the dialog ----------------------------------------------------------------------------
    def open_dialog(self) -> None:
        from views.import_dialog import ImportDialog

        dialog = ImportDialog(self.path.name, self.window)
        self.dialog = dialog
        self.window.import_dialog = dialog
        self._show_all()
        dialog.optionsChanged.connect(self._on_options)
        dialog.mappingChanged.connect(self._on_mapping)
        dialog.cellEdited.connect(self._on_cell)
        dialog.accepted.connect(self.accept)
        self.window.show_dialog(dialog)

    def _show_all(self) -> None:
        d = self.dialog
        d.show_source(self.raw.source, self.raw)
        d.show_mapping(self.raw, self.fields)
        self._show_result()

    def _show_result(self) -> None:
        self.dialog.show_preview(self.raw, self.report)
        self.dialog.show_report(self.report, len(self.portfolio))

    def _guarded(self, step) -> None:
        try:
            step()
        except CutlineError as exc:
            self.dialog.show_problem(exc.describe())

    def _on_options(self, options: dict) -> None:
        from models.importing import CsvOptions

        self.sheet = options["sheet"]
        self.header_row = options["header_row"] if options["header_row"] != self.raw.header_row else self.header_row
        if self.raw.source.format == "csv":
            self.csv_options = CsvOptions(encoding=options["encoding"], delimiter=options["delimiter"],
                                          decimal=options["decimal"])
        self.edits = {}
        self._guarded(lambda: (self.read(), self._show_all()))

    def _on_mapping(self, fields: dict) -> None:
        self.fields = fields
        self._guarded(lambda: (self.validate(), self._show_result()))

    def _on_cell(self, row: int, header: str, text: str) -> None:
        self.edits[(row, header)] = text
        self._guarded(lambda: (self.validate(), self._show_result()))

    def accept(self) -> None:
        """Open the portfolio as a new workshop (or, with `replace`, replace this workshop's
        initiatives as one undoable step), with the file's Capacity sheet if it has one."""
        from app import spreadsheet_flow
        from models.importing import headers_key

        if self.portfolio is None or not len(self.portfolio):
            return
        saved = dict(self.window.settings.get("import/mappings"))
        saved[headers_key(self.raw.headers)] = self.mapping.to_dict()
        self.window.settings.set("import/mappings", saved)
        capacity, failed = None, False
        sheets = {s.name.lower(): s.name for s in self.raw.source.sheets}
        if "capacity" in sheets:
            from models.capacity_io import read_capacity

            try:
                capacity = read_capacity(self.path, sheet=sheets["capacity"])
            except CutlineError as exc:
                failed = True
                self.window.tell_error(f"The portfolio was imported, but not its capacity: {exc.describe()}")
        if self.replace:
            spreadsheet_flow.replace_initiatives(self.window, self.path, self.portfolio,
                                                 self.mapping.to_dict(), capacity)
        else:
            spreadsheet_flow.open_as_new(self.window, self.path, self.portfolio, self.mapping.to_dict(),
                                         capacity, capacity_failed=failed)


def start(window, path: Path, *, background: bool = True, replace: bool = False) -> ImportSession:
    """Read `path` (off the GUI thread with progress and cancel), then open the dialog.

    Accepting opens a new workshop, or with `replace` replaces the open workshop's initiatives.
    """
    session = ImportSession(window, path, replace=replace)
    window.import_session = session
    if not background:
        try:
            session.read()
        except CutlineError as exc:
            window.tell_error(exc.describe())
            return session
        session.open_dialog()
        return session
    progress = QProgressDialog(f"Reading {Path(path).name}…", "Cancel", 0, 0, window)
    progress.setWindowTitle("Import")
    progress.setMinimumDuration(400)
    job: worker.Job

    def done(_result) -> None:
        progress.reset()
        if not job.cancelled:
            session.open_dialog()

    def failed(exc) -> None:
        progress.reset()
        if job.cancelled:
            return
        window.tell_error(exc.describe() if isinstance(exc, CutlineError)
                          else f"Could not read {Path(path).name}: {exc}")

    job = worker.Job(lambda _progress: session.read(), done, failed)
    progress.canceled.connect(job.cancel)
    window.import_job = job
    worker.start(job)
    return session
