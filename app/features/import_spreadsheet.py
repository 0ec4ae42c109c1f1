"""Importing a spreadsheet from the GUI: read off the GUI thread, map and fix in the dialog, accept.

Accepting opens the spreadsheet as a new workshop, or replaces the initiatives of the open one
(app/features/open_spreadsheet.py). A failed or cancelled import leaves the open workshop exactly as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtWidgets import QProgressDialog

from cutline.app import worker
from cutline.models.errors import CutlineError

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow
    from cutline.views.import_dialog import ImportDialog


class ImportSession:
    """One import in progress: the file, the options and mapping chosen, and the cell fixes."""

    def __init__(self, window: MainWindow, path: Path, *, replace: bool = False):
        self.window = window
        self.path = Path(path)
        #: Replace the open workshop's initiatives on accept, instead of opening a new workshop.
        self.replace = replace
        self.sheet = None
        self.csv_options = None
        self.header_row = None
        self.fields: dict | None = None
        self.conversions: dict = {}  # field -> Conversion, as proposed or as the user set it
        self.user_set: set[str] = set()  # fields whose conversion the user changed (never re-proposed)
        self.converted: dict = {}  # field -> the column its conversion was made for
        self.tracker = ""
        self.template: str | None = None  # the model template chosen; None until one is proposed
        self.edits: dict = {}
        self.raw = self.portfolio = self.report = self.mapping = None
        self.dialog = None

    # -- reading and validating (pure calls into cutline.models.importing) -------------------------------
    def read(self) -> None:
        from cutline.models.importing import read_raw

        self.raw = read_raw(self.path, sheet=self.sheet, csv_options=self.csv_options,
                            header_row=self.header_row)
        self.fields = None if self.fields is None else {h: self.fields.get(h) for h in self.raw.headers}
        self.validate()

    def validate(self) -> None:
        from cutline.models.importing import ColumnMapping, build_portfolio, headers_key
        from cutline.models.importing.suggest import (
            suggest_mapping,
            with_new_words,
            with_proposed_conversions,
        )

        if self.fields is None:
            saved = self.window.settings.get("import/mappings").get(headers_key(self.raw.headers))
            # A saved mapping keeps its numbers; words this file has that it lacks are proposed.
            self.mapping = with_new_words(self.raw, ColumnMapping.from_dict(saved)) if saved \
                else suggest_mapping(self.raw)
            self.fields = dict(self.mapping.fields)
            self.conversions = dict(self.mapping.conversions)
            self.tracker = self.mapping.tracker or self.raw.tracker
        else:
            feeds = {f: h for h, f in self.fields.items() if f}  # a field -> the (first) column feeding it
            # A conversion belongs to the column it was made for: a field now fed by another column
            # gets a fresh proposal, whoever set the old one.
            kept = {k: v for k, v in self.conversions.items() if feeds.get(k) == self.converted.get(k)}
            self.user_set &= set(kept)
            mapping = ColumnMapping(fields=dict(self.fields), conversions=kept, tracker=self.tracker)
            proposed = with_proposed_conversions(self.raw, mapping)
            for name in self.user_set:  # what the user set stays as set, even "as written"
                proposed = proposed.with_conversion(name, self.conversions.get(name))
            self.mapping = proposed
            self.conversions = dict(self.mapping.conversions) | {
                k: v for k, v in self.conversions.items() if k in self.user_set}
        self.converted = {name: self.mapping.header_of(name) for name in self.conversions}
        self.portfolio, self.report = build_portfolio(self.raw, self.mapping, edits=self.edits)

    def coverage(self):
        """(rows, templates, chosen, suggested) for the dialog: what the chosen model can score."""
        from cutline.models.scoring.coverage import best_template, criterion_coverage
        from cutline.models.scoring.score import Scorer
        from cutline.models.scoring.templates import TEMPLATES, shipped_template

        scorer = Scorer(self.portfolio)
        suggested = best_template(self.portfolio, scorer) if len(self.portfolio) else None
        if self.template is None:
            self.template = suggested or TEMPLATES[0].key
        model = shipped_template(self.template)
        rows = [(c.name, f"{c.source} ({c.problem})" if c.problem else c.source, c.valued)
                for c in criterion_coverage(model, self.portfolio, scorer)]
        return rows, [(t.key, t.title) for t in TEMPLATES], self.template, suggested

    def chosen_model(self):
        """The model the new workshop starts with: the template chosen in the dialog."""
        from cutline.models.scoring.templates import shipped_template

        return shipped_template(self.template) if self.template else None

    def words_found(self) -> dict[str, list[str]]:
        """Per mapped numeric field, the words its column holds (for the value-map editor)."""
        from cutline.models.importing import IMPACT_WORDS
        from cutline.models.importing.conversions import word_key
        from cutline.models.importing.suggest import column_words
        from cutline.models.portfolio.portfolio import NUMERIC_FIELDS

        found = {name: column_words(self.raw.frame[header])
                 for name, header in self.mapping.mapped().items() if name in NUMERIC_FIELDS}
        if "impact" in found:  # impact's own words (massive … minimal) need no map
            found["impact"] = [w for w in found["impact"] if word_key(w) not in IMPACT_WORDS]
        return found

    # -- the dialog ----------------------------------------------------------------------------
    def open_dialog(self) -> None:
        from cutline.views.import_dialog import ImportDialog

        dialog = ImportDialog(self.path.name, self.window)
        self.dialog = dialog
        self._show_all()
        dialog.optionsChanged.connect(self._on_options)
        dialog.mappingChanged.connect(self._on_mapping)
        dialog.cellEdited.connect(self._on_cell)
        dialog.conversionChanged.connect(self._on_conversion)
        dialog.templateChosen.connect(self._on_template)
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
        self.dialog.values.show_conversions(self.mapping, self.words_found())
        rows = self._coverage_rows()
        self.dialog.coverage.show_coverage(*rows)
        blank = sum(1 for _, _, count in rows[0] if count == 0)
        if blank:
            title = self.dialog.coverage.template.currentText().split("  (")[0]
            self.dialog.summary.setText(
                self.dialog.summary.text() + f" {title}: {blank} of {len(rows[0])} criteria have no data "
                "in this file (see What this file supports).")

    def _coverage_rows(self):
        rows, templates, chosen, suggested = self.coverage()
        return rows, len(self.portfolio), templates, chosen, suggested

    def _guarded(self, step) -> None:
        try:
            step()
        except CutlineError as exc:
            self.dialog.show_problem(exc.describe())

    def _on_options(self, options: dict) -> None:
        from cutline.models.importing import CsvOptions

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

    def _on_conversion(self, name: str, data: dict) -> None:
        from cutline.models.importing.conversions import Conversion

        def change() -> None:
            self.conversions[name] = Conversion.from_dict(data)
            self.converted[name] = self.mapping.header_of(name)
            self.user_set.add(name)
            self.validate()
            self._show_result()

        try:
            self._guarded(change)
        except ValueError as exc:  # a number the map cannot hold: said, the map left as it was
            self.dialog.show_problem(f"That value map cannot be used: {exc}.")

    def _on_template(self, key: str) -> None:
        self.template = key or None
        self._guarded(lambda: self.dialog.coverage.show_coverage(*self._coverage_rows()))

    def _on_cell(self, row: int, header: str, text: str) -> None:
        self.edits[(row, header)] = text
        self._guarded(lambda: (self.validate(), self._show_result()))

    def accept(self) -> None:
        """Open the portfolio as a new workshop (or, with `replace`, replace this workshop's
        initiatives as one undoable step), with the file's Capacity sheet if it has one."""
        from cutline.app.features import open_spreadsheet as spreadsheet_flow
        from cutline.models.importing import headers_key

        if self.portfolio is None or not len(self.portfolio):
            return
        saved = dict(self.window.settings.get("import/mappings"))
        saved[headers_key(self.raw.headers)] = self.mapping.to_dict()
        self.window.settings.set("import/mappings", saved)
        capacity, failed = None, False
        sheets = {s.name.lower(): s.name for s in self.raw.source.sheets}
        if "capacity" in sheets:
            from cutline.models.capacity.tables import read_capacity

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
                                         capacity, capacity_failed=failed, model=self.chosen_model())


class ImportFeature:
    """File > Import: the import in progress (its session and dialog) and the job reading it."""

    VIEWS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, window: MainWindow):
        self.window = window
        self.session: ImportSession | None = None
        self.job: worker.Job | None = None

    @property
    def dialog(self) -> ImportDialog | None:
        """The dialog of the latest import, once its file has been read."""
        return None if self.session is None else self.session.dialog

    def start(self, path: Path, *, background: bool = True, replace: bool = False) -> ImportSession:
        """Read `path` (off the GUI thread with progress and cancel), then open the dialog.

        Accepting opens a new workshop, or with `replace` replaces the open workshop's initiatives.
        """
        window = self.window
        session = self.session = ImportSession(window, path, replace=replace)
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
        self.job = job
        worker.start(job)
        return session


def start(window: MainWindow, path: Path, *, background: bool = True,
          replace: bool = False) -> ImportSession:
    """Import `path` in the window (File > Import, Open of a spreadsheet, a drop)."""
    return window.feature(ImportFeature).start(path, background=background, replace=replace)
