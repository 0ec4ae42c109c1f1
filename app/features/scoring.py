"""The scoring feature: the model panel, the explain panel and the value-versus-effort chart.

The widgets show state and emit what the user wants; this module turns each wish into one
undoable intent, after checking that the changed model can be scored at all.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer

from cutline.app.document import intents
from cutline.models.errors import CutlineError
from cutline.models.portfolio.portfolio import NUMERIC_FIELDS
from cutline.models.scoring.model import Criterion, ScoringModel
from cutline.views.charts.value_effort import ValueEffortChart
from cutline.views.criterion_dialog import CriterionDialog
from cutline.views.explain_panel import ExplainPanel
from cutline.views.model_panel import ModelPanel

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow

#: Dock widths in pixels at the start (a criterion row fits at zoom 1 without shortening),
#: and the least they may be narrowed to (narrower content scrolls sideways).
PANEL_WIDTH = 420
EXPLAIN_WIDTH = 400
PANEL_MIN_WIDTH = 360
EXPLAIN_MIN_WIDTH = 320


class ScoringFeature(QObject):
    """Keeps the three views in step with the window's document and selection."""

    VIEWS: ClassVar[tuple[str, ...]] = ("model", "explain", "matrix")

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.setObjectName("scoringFeature")
        self.window = window
        zoom = window.zoom()
        self.panel = ModelPanel()
        self.explain = ExplainPanel(zoom=zoom)
        self.chart = ValueEffortChart(zoom=zoom)
        self.dialog: CriterionDialog | None = None
        #: The criterion whose weight the panel is sending now (it shows that value already).
        self._moving: str | None = None
        self.panel.setMinimumWidth(PANEL_MIN_WIDTH)
        self.explain.setMinimumWidth(EXPLAIN_MIN_WIDTH)
        self.docks = [
            window.add_dock("model", "Scoring model", self.panel, Qt.DockWidgetArea.LeftDockWidgetArea),
            window.add_dock("explain", "Explain", self.explain, Qt.DockWidgetArea.RightDockWidgetArea),
        ]
        window.installEventFilter(self)  # to size the docks once the window is first shown
        window.add_chart("matrix", "Value vs effort", self.chart)
        self._connect()

    def _connect(self) -> None:
        w = self.window
        w.modelChanged.connect(self.on_model_changed)
        w.fileStateChanged.connect(self.refresh_model)  # read-only or not: the panel's editability
        w.documentChanged.connect(lambda _: self.refresh_model())
        w.evaluated.connect(self.on_evaluated)
        w.selectionChanged.connect(lambda _: self.show_selected())
        w.looksChanged.connect(self.on_looks_changed)
        p = self.panel
        p.weightChanged.connect(self.set_weight)
        p.gestureStarted.connect(lambda _: self.document.begin_gesture())
        p.weightSettled.connect(lambda _: self.document.end_gesture())
        p.criterionChanged.connect(self.change_criterion)
        p.removeRequested.connect(self.remove_criterion)
        p.renameRequested.connect(self.ask_new_name)
        p.addRequested.connect(self.ask_new_criterion)
        p.tiersEnabledChanged.connect(self.set_tiers_enabled)
        p.tierEnabledChanged.connect(self.set_tier_enabled)
        self.chart.initiativeClicked.connect(w.select_row)
        self.explain.slipAsked.connect(self.answer_slip)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Show:
            self.window.removeEventFilter(self)
            # Preferred widths, not minimums: a dock can be narrowed, and its content then scrolls.
            # After this event, once the layout has its first geometry.
            QTimer.singleShot(0, self.window, lambda: self.window.resizeDocks(  # not after it is gone
                self.docks, [PANEL_WIDTH, EXPLAIN_WIDTH], Qt.Orientation.Horizontal))
        return False

    # -- showing ------------------------------------------------------------------------
    @property
    def document(self):
        return self.window.document

    def refresh_model(self) -> None:
        """Show the current scenario's model (after any change, an undo or a scenario switch)."""
        doc = self.document
        if doc is not None:
            self.panel.show_model(doc.workshop.current_scenario().model, editable=not doc.read_only)

    def on_model_changed(self, change) -> None:
        """A weight the panel itself sent only moves the shares: its row already shows the value."""
        if self._moving is not None and change.weights == (self._moving,):
            self.panel.show_shares(self.document.workshop.current_scenario().model)
        else:
            self.refresh_model()

    def on_evaluated(self, evaluation) -> None:
        self.chart.set_evaluation(evaluation)
        self.show_selected()

    def explained_row(self) -> int:
        """The selected initiative, or the one ranked first when nothing is selected."""
        doc = self.document
        evaluation = None if doc is None else doc.evaluation
        if evaluation is None or not len(evaluation.ranking):
            return -1
        row = self.window.selected_row()
        return row if 0 <= row < len(evaluation.ranking) else int(evaluation.ranking.order[0])

    def show_selected(self) -> None:
        doc = self.document
        row = self.explained_row()
        evaluation = None if doc is None else doc.evaluation
        scorer = None
        if evaluation is not None:
            # The document's scorer of this evaluation keeps the tier masks and dependency graph.
            scorer = doc.evaluator().scorer_for(evaluation.scenario)
        written = {}
        if evaluation is not None:
            from cutline.models.portfolio.inputs import written_columns

            written = written_columns(doc.workshop.mapping, evaluation.portfolio)
        self.explain.show_initiative(evaluation, row, scorer, written=written)
        self.chart.set_selected(row)

    def answer_slip(self, row: int) -> None:
        """What moves if `row` starts a quarter later, in the explain panel; the plan is not changed."""
        doc = self.document
        if doc is None or doc.evaluation is None:
            return
        from cutline.models.capacity.delay import delay_effects, slip_lines

        try:
            effects = delay_effects(doc.evaluator(), doc.workshop.current_scenario(), row, quarters=1)
        except CutlineError as exc:
            self.explain.show_slip([exc.describe()])
            return
        self.explain.show_slip(slip_lines(effects))

    def on_looks_changed(self) -> None:
        zoom = self.window.zoom()
        self.chart.apply_look(zoom)
        self.explain.apply_look(zoom)
        self.refresh_model()  # name and chooser widths follow the type size

    # -- changing the model ---------------------------------------------------------------
    def _model(self) -> ScoringModel:
        return self.document.workshop.current_scenario().model

    def _scorable(self, model: ScoringModel) -> bool:
        """Whether `model` scores this portfolio; tells the user why not (and shows the old model)."""
        doc = self.document
        try:
            doc.evaluator().scorer_for(doc.workshop.current_scenario()).rank(model)
        except CutlineError as exc:
            self.window.tell_error(exc.describe())
            self.refresh_model()
            return False
        return True

    def set_weight(self, name: str, weight: float) -> None:
        self._moving = name
        try:
            intents.set_weight(self.document, name, weight)
        finally:
            self._moving = None

    def change_criterion(self, name: str, changes: dict) -> None:
        if self._scorable(self._model().with_criterion(name, **changes)):
            intents.set_criterion(self.document, name, **changes)

    def remove_criterion(self, name: str) -> None:
        intents.remove_criterion(self.document, name)

    def ask_new_name(self, name: str) -> None:
        """Rename a criterion; the name must be new (the checks tell the user otherwise)."""
        if self.document.read_only:
            return
        new = self.window.ask_text("Rename criterion", f"New name for {name}:", name)
        new = (new or "").strip()
        if not new or new == name:
            return
        model = self._model()
        # ScoringModel.with_criterion takes the old name as its own `name` argument, so a rename
        # (and intents.set_criterion) cannot pass name=...; the renamed model goes in whole.
        renamed = replace(model, criteria=tuple(replace(c, name=new) if c.name == name else c
                                                for c in model.criteria))
        if self._scorable(renamed):
            intents.set_model(self.document, renamed, f"Renamed criterion {name} → {new}")

    def add_criterion(self, criterion: Criterion, value_map: dict | None = None) -> None:
        """Add a criterion (one undoable step); with `value_map`, its column's words are read
        through it (the map is kept in the model)."""
        if value_map:
            model = self._model().adding(criterion).with_value_map(criterion.source, value_map)
            if self._scorable(model):
                intents.set_model(self.document, model,
                                  f"Added criterion {criterion.name} ({criterion.source} through a value map)")
            return
        if self._scorable(self._model().adding(criterion)):
            intents.add_criterion(self.document, criterion)

    def set_tiers_enabled(self, enabled: bool) -> None:
        if self._scorable(replace(self._model(), tiers_enabled=enabled)):
            intents.set_tiers_enabled(self.document, enabled)

    def set_tier_enabled(self, name: str, enabled: bool) -> None:
        if self._scorable(self._model().with_tier(name, enabled=enabled)):
            intents.set_tier(self.document, name, enabled=enabled)

    # -- the "+ criterion" dialog -----------------------------------------------------------
    def numeric_columns(self) -> tuple[str, ...]:
        """Columns a criterion can read: the numeric inputs and any extra column holding numbers."""
        doc = self.document
        scorer = doc.evaluator().scorer_for(doc.workshop.current_scenario())
        extra = tuple(c for c in doc.workshop.portfolio.extra_columns
                      if scorer.column(c).dtype.kind == "f")
        return NUMERIC_FIELDS + extra

    def word_columns(self, most: int = 40) -> dict[str, list[str]]:
        """Extra columns of words (at most `most` distinct), with their words: Priority, MoSCoW …"""
        from cutline.models.importing.suggest import column_words

        doc = self.document
        scorer = doc.evaluator().scorer_for(doc.workshop.current_scenario())
        out = {}
        for c in doc.workshop.portfolio.extra_columns:
            if scorer.column(c).dtype.kind != "f":
                words = column_words(doc.workshop.portfolio.frame[c])
                if 0 < len(words) <= most:
                    out[c] = words
        return out

    def ask_new_criterion(self) -> CriterionDialog:
        """Open the dialog; an accepted dialog adds its criterion as one undoable step."""
        dialog = CriterionDialog(self.numeric_columns(), self._model().names, self.window,
                                 word_columns=self.word_columns())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.add_criterion(dialog.criterion(), dialog.words_map()))
        self.dialog = dialog
        dialog.finished.connect(lambda _: setattr(self, "dialog", None))
        self.window.show_dialog(dialog)
        return dialog

