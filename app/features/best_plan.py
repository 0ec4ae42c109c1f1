"""Scenario > Find the best plan…: the optimiser off the GUI thread with progress and Cancel,
then the comparison room shows the plan beside the walk's, in words, ready to be adopted.

The best plan never replaces the scenario's ranked plan: adopting it adds a new scenario (one
undoable step) whose pins make the walk fund the plan's set.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QProgressBar, QProgressDialog

from cutline.app import worker
from cutline.app.features.comparison_room import RoomMode
from cutline.app.features.scenarios import ScenarioFeature
from cutline.models.words.best_plan import describe, progress_words

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow

#: The name a column and an adopted scenario get unless the PM says otherwise.
COLUMN_NAME, SCENARIO_NAME = "Best plan (optimiser)", "Best plan"
#: The progress bar's steps (it follows the seconds spent against the time limit).
STEPS = 1000


@dataclass(frozen=True)
class FoundPlan:
    """A finished search and what it was of: the scenario and portfolio as they were then."""

    plan: object                 # cutline.models.optimise.result.OptimisedPlan
    evaluation: object           # the walk it was compared with
    scenario: object             # the Scenario object (identity tells whether it changed since)
    portfolio: object            # the workshop's Portfolio object, likewise
    time_limit: float

    @property
    def scenario_name(self) -> str:
        return self.scenario.name


class _Reports(QObject):
    """Lives in the GUI thread; carries the solver's Progress from its thread (queued)."""

    reported = Signal(object)


class BestPlanRun(QObject):
    """One search in the background: the progress dialog, Cancel, and the result back on the GUI thread."""

    def __init__(self, window: MainWindow, evaluation, allocator, *, time_limit: float, respect_tiers: bool):
        super().__init__(window)
        self.window = window
        self.evaluation = evaluation
        self.scenario = window.document.workshop.current_scenario()
        self.portfolio = window.document.workshop.portfolio
        self.time_limit = time_limit
        self.cancel_event = threading.Event()
        self.last = None       # the latest Progress
        self.result: FoundPlan | None = None
        self.finished = False
        self.started = time.perf_counter()
        self.reports = _Reports(self)
        self.reports.reported.connect(self._on_progress)
        self.dialog = QProgressDialog("Looking for the best plan…", "Cancel", 0, STEPS, window)
        self.dialog.setObjectName("bestPlanProgress")
        self.dialog.setWindowTitle("Find the best plan")
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        bar = QProgressBar(self.dialog)
        bar.setTextVisible(False)  # the label says the seconds; a percentage of the limit would mislead
        self.dialog.setBar(bar)
        self.dialog.canceled.connect(self.cancel)
        self.ticker = QTimer(self, interval=200)
        self.ticker.timeout.connect(self._show_progress)
        optimise, reports = _optimiser(), self.reports

        def work(_progress):
            return optimise(evaluation, time_limit=time_limit, respect_tiers=respect_tiers,
                            cancel=self.cancel_event, progress=reports.reported.emit, allocator=allocator)

        self.job = worker.Job(work, self._on_done, self._on_error)
        window.installEventFilter(self)  # a window that closes stops the search, so nothing waits on it

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.cancel_event.set()
        return False

    def start(self) -> BestPlanRun:
        self.dialog.show()
        self.ticker.start()
        self._show_progress()
        worker.start(self.job)
        return self

    def cancel(self) -> None:
        """Stop the search; the best plan found so far comes back as "cancelled"."""
        if not self.finished:
            self.cancel_event.set()
            self.dialog.setLabelText("Cancelling: keeping the best plan found so far…")

    def _on_progress(self, progress) -> None:
        self.last = progress
        self._show_progress()

    def _show_progress(self) -> None:
        if self.finished or self.cancel_event.is_set():
            return
        seconds = time.perf_counter() - self.started
        p = self.last
        text = (progress_words(p.stage, p.stages, p.best, p.bound, seconds, self.time_limit) if p is not None
                else progress_words(1, 1, float("nan"), float("nan"), seconds, self.time_limit))
        self.dialog.setLabelText(text)
        self.dialog.setValue(min(STEPS - 1, int(STEPS * seconds / max(self.time_limit, 1e-9))))

    def _finish(self) -> None:
        self.finished = True
        self.window.removeEventFilter(self)
        self.ticker.stop()
        self.dialog.reset()
        self.dialog.hide()
        self.window.feature(BestPlanFeature).forget(self)

    def _on_done(self, plan) -> None:
        self._finish()
        self.result = FoundPlan(plan, self.evaluation, self.scenario, self.portfolio, self.time_limit)
        self.window.feature(BestPlanFeature).show(self.result)

    def _on_error(self, exc) -> None:
        self._finish()
        self.window.tell_error(failure_words(exc))


def _optimiser():
    from cutline.models.optimise import optimise

    return optimise


def failure_words(exc: BaseException) -> str:
    """A failed search in words (never a traceback)."""
    from cutline.models.errors import CutlineError

    if isinstance(exc, CutlineError):
        return exc.describe()
    if isinstance(exc, ImportError):
        return ("The best plan needs the HiGHS solver, which is not installed here "
                "(python -m pip install highspy).")
    return f"The search for the best plan stopped with a problem: {exc}"


# -- starting ---------------------------------------------------------------------------------
class BestPlanFeature:
    """The best plan of one window: the search running, and the plan found and shown in the room."""

    VIEWS: ClassVar[tuple[str, ...]] = ("best-plan",)

    def __init__(self, window: MainWindow):
        self.window = window
        self.run: BestPlanRun | None = None
        self.found: FoundPlan | None = None
        band = window.feature(RoomMode).room
        band.bestPlanAsked.connect(self.find_best_plan)
        band.best_plan.adoptAsked.connect(self.adopt)
        band.best_plan.hideAsked.connect(self.hide)
        window.register_view("best-plan", self.show_now)
        # Staleness depends on the plan's scenario and the portfolio, whatever part of them changed.
        for changed in (window.modelChanged, window.capacityChanged, window.planChanged,
                        window.scenariosChanged, window.portfolioChanged):
            changed.connect(self._on_workshop)

    def forget(self, run: BestPlanRun) -> None:
        """`run` has finished: another search may start."""
        if self.run is run:
            self.run = None

    def find_best_plan(self) -> BestPlanRun | None:
        """Scenario > Find the best plan… and the room's button: ask the time limit, then search."""
        window = self.window
        doc = window.document
        if doc is None:
            window.tell_error("Open a workshop first: the best plan is found for its current scenario.")
            return None
        if self.run is not None:
            window.tell("Already looking for the best plan: wait for it, or cancel it first.")
            return None
        options = ask_options(window)
        if options is None:
            return None
        time_limit, respect_tiers = options
        window.settings.set("best_plan/time_limit", float(time_limit))
        window.settings.set("best_plan/respect_tiers", bool(respect_tiers))
        return self.start(time_limit=time_limit, respect_tiers=respect_tiers)

    def start(self, *, time_limit: float = 10.0, respect_tiers: bool = True) -> BestPlanRun | None:
        """Search in the background for the current scenario; the room opens with the result."""
        window = self.window
        doc = window.document
        try:
            evaluation = _current_evaluation(doc)
            allocator = doc.evaluator().allocator_for(evaluation.scenario)
        except Exception as exc:  # noqa: BLE001 - a scenario that does not evaluate is said in words
            window.tell_error(failure_words(exc))
            return None
        run = BestPlanRun(window, evaluation, allocator, time_limit=time_limit, respect_tiers=respect_tiers)
        self.run = run
        return run.start()

    def show_now(self, *, time_limit: float = 10.0) -> FoundPlan | None:
        """Search on this thread and show the room (the `best-plan` screenshot view)."""
        window = self.window
        doc = window.document
        if doc is None:
            return None
        evaluation = _current_evaluation(doc)
        try:
            plan = _optimiser()(evaluation, time_limit=time_limit,
                                allocator=doc.evaluator().allocator_for(evaluation.scenario))
        except Exception as exc:  # noqa: BLE001
            window.tell_error(failure_words(exc))
            return None
        found = FoundPlan(plan, evaluation, evaluation.scenario, doc.workshop.portfolio, time_limit)
        self.show(found)
        return found

    def show(self, found: FoundPlan) -> None:
        """The room in front, the plan as a column beside its scenario (first), and the words."""
        from cutline.models.scenarios.comparison import PlanColumn

        window = self.window
        if stale_words(window, found) is None:  # another workshop, or the initiatives re-imported, meanwhile
            window.tell("The initiatives changed while the best plan was being found; find it again.")
            return
        self.found = found
        plan, name = found.plan, found.scenario_name
        feature = window.feature(ScenarioFeature)
        mode = window.feature(RoomMode)
        words = describe(plan, name, found.time_limit)
        mode.room.best_plan.show_words(words)
        feature.extra_plan = (PlanColumn(COLUMN_NAME, plan.funded, found.evaluation.ranking.rank,
                                         round(float(plan.objective), 1)) if words.has_plan else None)
        # Its scenario first (the baseline the plan is worded against); the others the PM ticked stay,
        # and with none ticked yet only the walk and the plan, so titles have room.
        names = [s.name for s in window.document.workshop.scenarios]
        chosen = [n for n in (feature.chosen or []) if n in names and n != name]
        feature.choose([name, *chosen][:4])
        if mode.active:
            feature.refresh()
        else:
            mode.enter()
        window.tell(words.headline)

    def hide(self) -> None:
        """Put the best plan away: no column, no band."""
        self.found = None
        self.window.feature(RoomMode).room.best_plan.hide()
        self.window.feature(ScenarioFeature).set_extra_plan(None)

    def _on_workshop(self) -> None:
        """A changed workshop: the plan's band says whether the plan still fits it."""
        window = self.window
        found = self.found
        if found is None:
            return
        stale = stale_words(window, found)
        if stale is None:  # other initiatives: the column would not line up
            self.hide()
            return
        band = window.feature(RoomMode).room.best_plan
        if band.words is not None and band.adopt.isEnabled() == bool(stale):
            adopted = band.adopted.text() if band.adopted.isVisible() else ""
            band.show_words(band.words, stale=stale)
            if adopted and not stale:
                band.show_adopted(adopted)

    def adopt(self) -> str | None:
        """Take it as a new scenario…: ask the name, add the scenario (one undoable step), switch to it."""
        from cutline.app.document import intents
        from cutline.models.errors import CutlineError
        from cutline.models.optimise import adopt_as_scenario

        window = self.window
        found, doc = self.found, window.document
        if found is None or not found.plan.feasible:
            window.tell_error("There is no best plan to adopt: find the best plan first.")
            return None
        if doc.read_only:
            window.tell_error("This workshop is open read-only; use Save As to add a scenario.")
            return None
        stale = stale_words(window, found)
        if stale:
            window.tell_error(stale)
            return None
        name = window.ask_text("Take it as a new scenario",
                               "Name of the new scenario (the scenario you ranked stays as it is):",
                               unique_name(doc, SCENARIO_NAME))
        if not name:
            return None
        try:
            adopted = adopt_as_scenario(found.plan, found.evaluation, name)
            intents.add_scenario(doc, adopted.scenario,
                                 f"New scenario {name} from the best plan of {found.scenario_name}")
        except CutlineError as exc:
            window.tell_error(exc.describe())
            return None
        if doc.workshop.current != name:
            return None  # refused (read-only): the document said why
        how = ("It reproduces the best plan: its walk funds exactly the best plan's initiatives, in "
               f"the best plan's quarters, for a total score of {float(found.plan.objective):.1f}."
               if adopted.reproduces else "Its walk does not fund exactly the best plan's initiatives.")
        words = f"Scenario {name} added and made current. {how} {adopted.words}"
        if not adopted.reproduces:
            words += " " + _adopted_figures(doc, name, found)
        feature = window.feature(ScenarioFeature)
        rest = [n for n in (feature.chosen or []) if n not in (found.scenario_name, name)]
        feature.choose([found.scenario_name, name, *rest][:4])
        window.feature(RoomMode).room.best_plan.show_adopted(words)
        window.tell(words)
        return words


def ask_options(window: MainWindow) -> tuple[float, bool] | None:
    """The time limit and tiers choice, starting from the remembered ones; None when cancelled."""
    from cutline.views.best_plan_options import BestPlanOptions

    remembered = (float(window.settings.get("best_plan/time_limit")),
                  bool(window.settings.get("best_plan/respect_tiers")))
    dialog = BestPlanOptions(*remembered, window.document.workshop.current, parent=window)
    if window.show_dialog(dialog) != BestPlanOptions.DialogCode.Accepted:
        return None
    return dialog.time_limit(), dialog.respect_tiers()


def _current_evaluation(doc):
    evaluation = doc.evaluation
    if evaluation is None or evaluation.scenario is not doc.workshop.current_scenario():
        evaluation = doc.evaluate_now()
    return evaluation


# -- showing ----------------------------------------------------------------------------------
def stale_words(window: MainWindow, found: FoundPlan) -> str | None:
    """Why the plan no longer fits the workshop: "" when it still does, None when it cannot be shown."""
    doc = window.document
    if doc is None or doc.workshop.portfolio is not found.portfolio:
        return None
    try:
        scenario = doc.workshop.scenario(found.scenario_name)
    except Exception:  # noqa: BLE001 - renamed or deleted
        scenario = None
    if scenario is not found.scenario:
        return (f"Scenario {found.scenario_name} has changed since this plan was found: "
                "find the best plan again to adopt it.")
    return ""


# -- adopting ---------------------------------------------------------------------------------
def _adopted_figures(doc, name: str, found: FoundPlan) -> str:
    """What the new scenario's walk funds against the plan and the old walk, in figures."""
    walk = doc.evaluate_scenario(name)
    score = walk.ranking.score
    mine = walk.allocation.funded
    plan, old = found.plan.funded, found.evaluation.allocation.funded
    return (f"{name} funds {int(mine.sum())} (score {float(score[mine].sum()):.1f}); the best plan "
            f"{int(plan.sum())} ({float(found.plan.objective):.1f}); {found.scenario_name}'s walk "
            f"{int(old.sum())} ({float(found.plan.walk_objective):.1f}).")


def unique_name(doc, base: str) -> str:
    names = set(doc.workshop.scenario_names)
    name, n = base, 2
    while name in names:
        name, n = f"{base} {n}", n + 1
    return name


# -- entry points (the actions) ---------------------------------------------------------------
def find_best_plan(window: MainWindow) -> BestPlanRun | None:
    """Scenario > Find the best plan…: the window's best-plan feature asks and searches."""
    return window.feature(BestPlanFeature).find_best_plan()


def start(window: MainWindow, *, time_limit: float = 10.0, respect_tiers: bool = True) -> BestPlanRun | None:
    return window.feature(BestPlanFeature).start(time_limit=time_limit, respect_tiers=respect_tiers)


def adopt(window: MainWindow) -> str | None:
    return window.feature(BestPlanFeature).adopt()


def hide(window: MainWindow) -> None:
    window.feature(BestPlanFeature).hide()
