"""The main window: the ranked table in the centre, panels docked around it, charts in tabs.

Features (model panel, explain, charts, comparison, ...) are declared in app/window/feature_list.py; the
window makes one of each and hands it out by class (`window.feature(ScoringFeature)`). They use
the window's few hooks: `add_dock`, `add_chart`, `register_view`, and its signals.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from cutline.app.features import chart_export
from cutline.app.features.sensitivity import SensitivityFeature
from cutline.app.prompts import DialogPrompts, Prompts
from cutline.app.window import actions as action_registry
from cutline.app.window.display import Display, ScreenDisplay
from cutline.app.window.feature_list import FEATURES, declared_views
from cutline.app.window.prompts_mixin import AskAndTell
from cutline.app.window.view_registry import ShowView, ViewRegistry
from cutline.views import hotkeys, palette
from cutline.views.filter_bar import FilterBar
from cutline.views.ranked_table import RankedTable
from cutline.views.ranked_table_model import RankedTableModel
from cutline.views.status_line import StatusLine

F = TypeVar("F")


class FeatureNotDeclared(KeyError):
    """`window.feature(cls)` for a class missing from app/window/feature_list.py (or not made yet)."""


#: Document signals the window relays under the same name.
RELAYED = ("modelChanged", "capacityChanged", "planChanged", "scenariosChanged",
           "portfolioChanged", "fileStateChanged")


class MainWindow(AskAndTell, QMainWindow):
    """Shows one WorkshopDocument; relays its signals so features connect only once."""

    documentChanged = Signal(object)   # the new WorkshopDocument
    evaluated = Signal(object)         # Evaluation of the current scenario
    selectionChanged = Signal(int)     # portfolio row, -1 for none
    # The document's precise signals, relayed (each with its WorkshopDiff; see app/document/workshop_document.py).
    modelChanged = Signal(object)
    capacityChanged = Signal(object)
    planChanged = Signal(object)
    scenariosChanged = Signal(object)
    portfolioChanged = Signal(object)
    fileStateChanged = Signal()
    looksChanged = Signal()            # zoom or theme changed: features re-style their charts
    openAsked = Signal(object)         # a path to open as File > Open would (a recent file, a drop)

    def __init__(self, settings, parent=None, *, prompts: Prompts | None = None,
                 display: Display | None = None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.settings = settings
        self.prompts: Prompts = prompts if prompts is not None else DialogPrompts(self)
        self.display: Display = display if display is not None else ScreenDisplay()
        self.document = None
        self.views = ViewRegistry(("ranking", *declared_views()))
        self._features: dict[type, object] = {}  # feature class -> this window's one instance
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)
        self.table_model = RankedTableModel(self)
        self.table = RankedTable(self.table_model)
        self.filter_bar = FilterBar()
        self.charts = QTabWidget(objectName="charts")
        self.charts.setDocumentMode(True)
        self._build_centre()
        self.actions = action_registry.build_actions(self)
        self.scenario_box = QComboBox(objectName="scenarioBox")
        self.scenario_box.setMinimumContentsLength(16)
        self._build_menus_and_toolbar()
        self.status = StatusLine(self.statusBar())
        self.last_message = ""
        self.actions["dark_theme"].setChecked(self.settings.get("view/theme") == "dark")
        self.register_view("ranking", self._show_ranking)
        self._connect()
        for cls in FEATURES:
            self._features[cls] = cls(self)
        self._connect_features()
        from cutline.app.lifecycle import recent

        recent.refresh(self)

    # -- building ---------------------------------------------------------------------------
    def _build_centre(self) -> None:
        top = QWidget()
        layout = QVBoxLayout(top)
        layout.setContentsMargins(8, 6, 8, 0)
        heading = QLabel("Ranked initiatives", objectName="rankingHeading")
        heading.setProperty("role", "heading")
        self.heading = heading
        layout.addWidget(heading)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, objectName="centreSplitter")
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.charts)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.charts.setVisible(False)  # until a feature adds a chart
        self.setCentralWidget(self.splitter)

    def _build_menus_and_toolbar(self) -> None:
        menus = {name: self.menuBar().addMenu(f"&{name}") for name in action_registry.MENUS}
        for spec in action_registry.SPECS:
            menus[spec.menu].addAction(self.actions[spec.name])
            if spec.name in ("open_sample", "replace_initiatives", "export_csv", "save_model", "redo", "unpin",
                             "zoom_reset", "next_view", "previous_scenario", "sensitivity"):
                menus[spec.menu].addSeparator()
        self.recent_menu = menus["File"].addMenu("Open &recent")
        self.recent_menu.setObjectName("recentMenu")
        self.openAsked.connect(self._open_path)
        self.view_menu = menus["View"]
        toolbar = QToolBar("Main", objectName="mainToolbar")
        toolbar.setMovable(False)
        for name in ("open", "import", "save", "export"):
            toolbar.addAction(self.actions[name])
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Scenario "))
        toolbar.addWidget(self.scenario_box)
        for name in ("new_scenario", "compare"):
            toolbar.addAction(self.actions[name])
        toolbar.addSeparator()
        for name in ("undo", "redo"):
            toolbar.addAction(self.actions[name])
        self.addToolBar(toolbar)
        self.toolbar = toolbar

    def _connect(self) -> None:
        self.looksChanged.connect(self._on_looks_changed)
        self.setAcceptDrops(True)
        self.filter_bar.maskChanged.connect(self.table_model.set_filter)
        self.table.initiativeSelected.connect(self._on_selected)
        self.table_model.editRequested.connect(self._on_edit)
        self.scenario_box.activated.connect(self._on_scenario_chosen)

    # -- features -----------------------------------------------------------------------------
    def feature(self, cls: type[F]) -> F:
        """This window's one instance of the declared feature class `cls`."""
        try:
            return self._features[cls]  # type: ignore[return-value]
        except KeyError:
            raise FeatureNotDeclared(f"{cls.__name__} is not a feature of this window: declare it in "
                                     "app/window/feature_list.py (before any feature that needs it while "
                                     "being made)") from None

    def _connect_features(self) -> None:
        self.feature(SensitivityFeature).computed.connect(self._on_sensitivity)

    def _on_sensitivity(self, result) -> None:
        """New weight draws: the ranked table shows how often each initiative was funded."""
        self.table_model.set_sensitivity(result)
        self.table.set_sensitivity_visible(True)

    # -- hooks for features -----------------------------------------------------------------
    def add_dock(self, name: str, title: str, widget: QWidget,
                 area=Qt.DockWidgetArea.LeftDockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self, objectName=f"dock_{name}")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        self.view_menu.addAction(dock.toggleViewAction())
        self.register_view(name, lambda: (dock.show(), dock.raise_()))
        return dock

    def add_chart(self, name: str, title: str, widget: QWidget) -> None:
        """A chart tab, reachable as `--view name`."""
        index = self.charts.addTab(widget, title)
        self.charts.setVisible(True)
        chart_export.offer(self, widget)
        self.register_view(name, lambda: self._show_chart(index))

    def register_view(self, name: str, bring_to_front: ShowView) -> None:
        self.views.register(name, bring_to_front)

    def show_view(self, name: str) -> None:
        if name not in self.views:
            raise KeyError(name)
        self.views[name]()

    def _show_chart(self, index: int) -> None:
        self.charts.setVisible(True)
        self.charts.setCurrentIndex(index)

    def _show_ranking(self) -> None:
        self.table.setFocus()

    # -- the document -----------------------------------------------------------------------
    def set_document(self, document) -> None:
        """Show another workshop; the previous document's signals are disconnected."""
        self._detach_document()
        self.document = document
        self._detached = None
        document.evaluated.connect(self._on_evaluated)
        for name in RELAYED:
            getattr(document, name).connect(getattr(self, name))
        document.scenariosChanged.connect(self._on_scenarios_changed)
        document.fileStateChanged.connect(self._on_file_state)
        document.failed.connect(self.tell_error)
        document.busyChanged.connect(self.status.set_busy)
        document.undo_stack.indexChanged.connect(lambda _: action_registry.update_steps(self))
        self.documentChanged.emit(document)
        self._show_scenarios()
        self._on_file_state()
        if document.evaluation is None:
            document.evaluate_now()
        else:
            self._on_evaluated(document.evaluation)

    def _detach_document(self) -> None:
        """Stop listening to the current document (before another is shown, or on closing)."""
        doc = self.document
        if doc is None or getattr(self, "_detached", None) is doc:
            return
        self._detached = doc
        relayed = [getattr(doc, name) for name in RELAYED]
        for signal in (doc.evaluated, *relayed, doc.failed, doc.busyChanged,
                       doc.undo_stack.indexChanged):
            try:
                signal.disconnect()
            except (RuntimeError, TypeError):  # already gone with its C++ object
                pass

    def _on_evaluated(self, evaluation) -> None:
        palette.use_categories(evaluation.portfolio.text("category"))  # before any view draws
        self.table_model.set_evaluation(evaluation)
        self.filter_bar.set_evaluation(evaluation)
        self.status.show(self.document, evaluation)
        self.evaluated.emit(evaluation)

    def _on_scenarios_changed(self, change) -> None:
        if change.scenarios:  # not when only another scenario's contents changed
            self._show_scenarios()
        if change.scenarios_added or change.scenarios_removed:
            action_registry.update_enabled(self)  # some actions need two scenarios

    def _show_scenarios(self) -> None:
        workshop = self.document.workshop
        names = [s.name for s in workshop.scenarios]
        self.scenario_box.blockSignals(True)
        self.scenario_box.clear()
        self.scenario_box.addItems(names)
        self.scenario_box.setCurrentIndex(names.index(workshop.current))
        self.scenario_box.blockSignals(False)

    def _on_file_state(self) -> None:
        self._refresh_title()
        action_registry.update_enabled(self)

    def _refresh_title(self) -> None:
        import shiboken6

        doc = self.document
        if doc is not None and not shiboken6.isValid(doc.undo_stack):
            return
        if doc is None:
            self.setWindowTitle("Cutline")
            return
        if doc.path is not None and not doc.untitled:
            name = doc.path.name
        elif doc.display_name and doc.display_name != "Untitled":
            name = f"{doc.display_name} (untitled workshop)"
        else:
            name = "Untitled workshop"
        flags = " [read-only]" if doc.read_only else ""
        self.setWindowModified(not doc.undo_stack.isClean())
        self.setWindowTitle(f"{name}[*]{flags} — Cutline")
        if self.document.evaluation is not None:
            self.status.show(doc, doc.evaluation)

    # -- user intent ------------------------------------------------------------------------
    def selected_row(self) -> int:
        return self.table.selected_row()

    def select_row(self, row: int) -> None:
        self.table.select_row(row)

    def _on_selected(self, row: int) -> None:
        action_registry.update_enabled(self)
        self.selectionChanged.emit(row)

    def _on_edit(self, row: int, field: str, text: str) -> None:
        from cutline.app.document import intents
        from cutline.models.errors import CutlineError

        try:
            intents.set_cell(self.document, row, field, text)
        except CutlineError as exc:
            self.tell_error(exc.describe())

    def _on_scenario_chosen(self, index: int) -> None:
        from cutline.app.document import intents

        intents.switch_scenario(self.document, self.scenario_box.itemText(index))

    # -- look: zoom and theme ----------------------------------------------------------------
    def zoom(self) -> float:
        return float(self.settings.get("view/zoom"))

    def set_zoom(self, zoom: float) -> None:
        """Scale all type (and so the table rows and chart labels); the zoom is remembered."""
        from cutline.views.theme import apply_theme, current_theme

        zoom = max(0.6, min(3.0, zoom))
        self.settings.set("view/zoom", zoom)
        apply_theme(QApplication.instance(), current_theme(), 11.0 * zoom)
        self.looksChanged.emit()

    def set_theme(self, name: str) -> None:
        from cutline.views.theme import THEMES, apply_theme

        self.settings.set("view/theme", name)
        apply_theme(QApplication.instance(), THEMES[name], 11.0 * self.zoom())
        self.actions["dark_theme"].setChecked(name == "dark")
        self.looksChanged.emit()

    def _on_looks_changed(self) -> None:
        self.table.apply_row_height()
        self.table.viewport().update()

    def shortcut_rows(self) -> list[tuple[str, str, str]]:
        """(menu, action, shortcut) for every action that has a shortcut, for the Help window."""
        rows = []
        for spec in action_registry.SPECS:
            keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                             for k in self.actions[spec.name].shortcuts())
            if keys:
                rows.append((spec.menu, self.actions[spec.name].text().replace("&", ""), keys))
        rows += [("Table", "Move between initiatives", "Up, Down, Page Up, Page Down"),
                 ("Table", "Edit the selected cell", "F2 or start typing"),
                 ("Table", "Accept an edit", "Enter"),
                 ("Rating", "Type a rating", "0 to 9 (10 as 1 0), Enter to accept"),
                 ("Rating", "Next participant", "Tab"),
                 ("Rating", "Previous or next criterion", "Left, Right"),
                 ("Rating", "Clear a rating", "Delete"),
                 ("Rating", "Reveal, then apply the agreed values", hotkeys.APPLY),
                 ("Rating", "Paste ratings from a spreadsheet", hotkeys.PASTE),
                 ("Reveal", "Switch mean / median / left out", "Space"),
                 ("Presentation", "Leave the presentation", hotkeys.LEAVE),
                 ("Comparison", "Back to the ranking from the full window", f"{hotkeys.LEAVE}, {hotkeys.COMPARE}"),
                 ("Chart", "Back to the ranked list from the full-window chart", f"{hotkeys.LEAVE}, {hotkeys.CHART_FOCUS}")]
        return rows

    # -- closing and dropping -------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        from cutline.app.lifecycle import saving, session

        if self.document is not None and not saving.settle(self):
            event.ignore()
            return
        session.save_window(self)
        self._detach_document()
        event.accept()

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def _open_path(self, path) -> None:
        from cutline.app.window import handlers as file_actions

        file_actions.open_path(self, path)

    def dropEvent(self, event) -> None:
        from pathlib import Path

        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            event.acceptProposedAction()
            self.openAsked.emit(Path(urls[0].toLocalFile()))
