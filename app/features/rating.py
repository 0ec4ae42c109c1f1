"""Group rating in the window: choose, rate in private, reveal, agree, apply as one undoable step.

The round in progress lives here (it is not part of the workshop until its agreed values are
applied), and every change to it is also kept in the workshop file, outside undo, so that a
crash loses no rating: the round comes back when the workshop is next opened. Applying stores the
round with its individual ratings in the workshop.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QScrollArea,
    QStackedWidget,
)

from cutline.models.errors import CutlineError, ModelError
from cutline.models.rating.round import RatingRound
from cutline.models.rating.summary import agreed_edits, summarise
from cutline.views.hotkeys import UNDO
from cutline.views.rating_grid import RatingGrid
from cutline.views.rating_reveal import RatingReveal
from cutline.views.rating_setup import RatingSetup

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow

RATING_FILES = "Filled-in ratings (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt)"
#: Share of the window's width the rating panel takes when it opens.
PANEL_SHARE = 0.62
OPPOSITE = {Qt.DockWidgetArea.RightDockWidgetArea: Qt.DockWidgetArea.LeftDockWidgetArea,
            Qt.DockWidgetArea.LeftDockWidgetArea: Qt.DockWidgetArea.RightDockWidgetArea}


class RatingSession(QObject):
    """The rating panel of one window (setup, grid, reveal) and the round it is running."""

    VIEWS: ClassVar[tuple[str, ...]] = ("rate",)

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.round: RatingRound | None = None
        self.demo = False  # a screenshot's made-up round: shown, never kept in the file
        self.applied_at = -1  # undo-stack index just after the applied step, -1 when not applied
        self._applied = None   # (index, command) of the applying step, while it is on the stack
        self.setup, self.grid, self.reveal = RatingSetup(), RatingGrid(), RatingReveal()
        self.pages = QStackedWidget(objectName="ratingPages")
        for page in (self.setup, self.grid, self.reveal):
            self.pages.addWidget(page)
        # In a scroll area: in the room's large type the setup can be wider than a laptop's dock,
        # and clipped its Start button was out of reach; scrolled it is not.
        scroller = _PageScroller(objectName="ratingScroll", widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        scroller.setWidget(self.pages)
        self.dock = window.add_dock("rate", "Rate together", scroller, Qt.DockWidgetArea.RightDockWidgetArea)
        self.dock.hide()
        window.register_view("rate", self.open)  # as Workshop > Rate shows it: wide, in front
        self.put_away: list[QDockWidget] = []
        self.away = None  # the page shown while the round is rated elsewhere (app/room/flow.py)
        self.dock.visibilityChanged.connect(self._on_dock_visibility)
        self._connect()
        if window.document is not None:
            self._on_document(window.document)

    def _connect(self) -> None:
        w = self.window
        self.setup.startRequested.connect(self._start)
        self.grid.ratingEntered.connect(self.rate)
        self.grid.revealRequested.connect(self.reveal_round)
        self.grid.importRequested.connect(lambda: import_sheet(w))
        self.grid.pasteRequested.connect(lambda criterion: paste(w, criterion=criterion))
        self.grid.restartRequested.connect(self.restart)
        self.reveal.restartRequested.connect(self.restart)
        self.reveal.thresholdChanged.connect(self.set_threshold)
        self.reveal.applyRequested.connect(self.apply)
        self.grid.initiativeChanged.connect(self.follow)
        self.reveal.initiativeChanged.connect(self.follow)
        w.evaluated.connect(self.setup.set_evaluation)
        w.documentChanged.connect(self._on_document)
        w.looksChanged.connect(self._on_looks)

    # -- pages ------------------------------------------------------------------------------
    def open(self) -> None:
        """Show the panel on the page the round is at (the setup when there is none)."""
        if self.away is not None:
            page = self.away  # the round is being rated in the room: its join screen
        elif self.round is None:
            page = self.setup
        else:
            page = self.reveal if self.round.revealed else self.grid
        self.show_page(page)

    def show_page(self, page) -> None:
        self.pages.setCurrentWidget(page)
        if self.dock.isHidden():
            self._make_room()
        self.dock.raise_()
        focus = {self.setup: self.setup.participants, self.grid: self.grid.table,
                 self.reveal: self.reveal.table}.get(page, page)
        focus.setFocus()

    def _make_room(self) -> None:
        """Show the panel wide: in front of (tabbed with) the other panels on its side, and the
        panels on the opposite side put away until the rating panel closes."""
        w = self.window
        docked = [d for d in w.findChildren(QDockWidget)
                  if d is not self.dock and not d.isHidden() and not d.isFloating()]
        area = w.dockWidgetArea(self.dock)
        beside = [d for d in docked if w.dockWidgetArea(d) == area]
        if beside:
            w.tabifyDockWidget(beside[0], self.dock)
        self.put_away = [d for d in docked if w.dockWidgetArea(d) == OPPOSITE.get(area)]
        for dock in self.put_away:
            dock.hide()
        self.dock.show()
        self._widen()
        QTimer.singleShot(0, self._widen)  # again once a window shown just now has its layout

    def _widen(self) -> None:
        w = self.window
        w.resizeDocks([self.dock], [int(w.width() * PANEL_SHARE)], Qt.Orientation.Horizontal)

    def _on_dock_visibility(self, visible: bool) -> None:
        if not visible and self.dock.isHidden():  # closed, not merely tabbed behind another panel
            for dock in self.put_away:
                dock.show()
            self.put_away = []

    def restart(self) -> None:
        """Back to the setup; an unapplied round is dropped after asking."""
        if self.round is not None and self.applied_at < 0 and self.round.ratings:
            if not self.window.ask_yes_no("Start a new round?",
                                          "The ratings of this round have not been applied and will be lost."):
                return
        self.round, self.demo, self._applied = None, False, None
        self.applied_at = -1
        self._keep()
        self.show_page(self.setup)

    def follow(self, ident: str) -> None:
        """The ranked list follows the initiative being rated, so the room sees where it stands."""
        row = self.window.document.workshop.portfolio.row_of_id.get(ident, -1)
        if row >= 0 and row != self.window.selected_row():
            self.window.select_row(row)

    def titles(self) -> dict[str, str]:
        portfolio = self.window.document.workshop.portfolio
        rows = portfolio.row_of_id
        titles = portfolio.text("title")
        return {i: str(titles[rows[i]]) for i in self.round.initiatives if i in rows}

    # -- the round --------------------------------------------------------------------------
    def _start(self, round_: RatingRound) -> None:
        """The room starts a round from the setup (a real one, kept in the file)."""
        self.demo = False
        self.begin(round_)

    def begin(self, round_: RatingRound) -> None:
        """A new, empty round: the first participant rates first."""
        self.round, self.applied_at, self._applied = round_, -1, None
        self._keep()
        self.grid.set_round(round_, self.titles())
        self.grid.set_participant(round_.participants[0])
        self.grid.show_problem("")
        self.show_page(self.grid)

    def hold(self, round_: RatingRound | None) -> None:
        """A round rated elsewhere (in the room): kept in the file like any round in progress
        (None forgets it)."""
        self.round, self.applied_at, self._applied, self.demo = round_, -1, None, False
        self._keep()

    def take_over(self, round_: RatingRound) -> None:
        """The room's round back on this laptop, every rating in one record, the grid showing it."""
        self.away = None
        self.hold(round_)
        self.grid.set_round(round_, self.titles())
        if round_.participants:
            self.grid.set_participant(round_.participants[0])
        self.grid.show_problem("")

    def rate(self, participant: str, ident: str, criterion: str, value) -> None:
        try:
            self.round = self.round.with_rating(participant, ident, criterion, value)
        except ModelError as exc:
            self.grid.show_problem(exc.describe())
            return
        self._keep()
        self.grid.show_problem("")
        self.grid.set_round(self.round)

    def add_ratings(self, entries: list, source: str) -> None:
        """Ratings from a sheet or pasted cells, added to the round in one go."""
        self.round = self.round.with_ratings(entries)
        self._keep()
        self.grid.set_round(self.round)
        people = sorted({p for p, *_ in entries}, key=self.round.participants.index)
        self.grid.show_problem("")
        self.window.tell(f"Added {len(entries)} ratings from {source} ({', '.join(people)}); "
                         "they stay hidden until the reveal.")

    def reveal_round(self, *, ask: bool = True) -> None:
        """Show every rating at once; asks first when someone has not finished."""
        r = self.round
        if r is None:
            return
        if not r.ratings:
            self.grid.show_problem("Nobody has rated yet: there is nothing to reveal.")
            return
        missing = [p for p in r.participants if not r.complete_for(p)]
        if missing and ask and not self.window.ask_yes_no(
                f"Reveal now? {', '.join(missing)} {'has' if len(missing) == 1 else 'have'} not finished.",
                "The spread will use the ratings that are in."):
            return
        self.round = r.revealing()
        self._keep()
        self.reveal.set_summary(summarise(self.round), self.titles())
        self.reveal.set_applied(False)
        self.show_page(self.reveal)

    def set_threshold(self, threshold: float) -> None:
        if self.round is None or not self.round.revealed:
            return
        self.round = self.round.with_threshold(threshold)
        self._keep()
        self.reveal.set_summary(summarise(self.round), self.titles())

    def apply(self, agreed: dict, follow_agreement: bool) -> None:
        """The agreed values become inputs, with the round kept in the workshop: one undo step."""
        doc = self.window.document
        if doc.read_only:
            self.reveal.set_applied(False, "This workshop is open read-only; use Save As first.")
            return
        workshop = doc.workshop
        portfolio = workshop.portfolio
        try:
            edits = agreed_edits(summarise(self.round), agreed, portfolio,
                                 follow_agreement=follow_agreement)
        except ModelError as exc:
            self.reveal.set_applied(False, exc.describe())
            return
        after = workshop.with_portfolio(portfolio.with_values(edits)).adding_rating_round(self.round.to_dict())
        old = {f"{portfolio.ids[r]} {f}": _plain(portfolio.value(r, f)) for r, f in edits}
        new = {f"{portfolio.ids[r]} {f}": float(v) for (r, f), v in edits.items()}
        text = applied_text(agreed, self.round.criteria, edits)
        doc.change(after, text, kind="rating", old=old, new=new)
        self.applied_at = doc.undo_stack.index()
        self._applied = (self.applied_at, doc.undo_stack.command(self.applied_at - 1))
        self._keep()  # applied: the workshop has the round now
        self.reveal.set_applied(True, f"Applied: {text}. Undo ({UNDO}) puts the previous values back.")
        self.window.tell(text)

    def _keep(self) -> None:
        """Keep the round in the workshop file while it is in progress; forget it once applied."""
        doc = self.window.document
        if doc is not None and not self.demo:
            in_progress = self.round is not None and self.applied_at < 0
            doc.keep_round_in_progress(self.round.to_dict() if in_progress else None)

    # -- the window -------------------------------------------------------------------------
    def _on_document(self, document) -> None:
        """Another workshop: a round in progress cannot continue, but one kept in its file can."""
        self.round, self.applied_at, self._applied, self.demo = None, -1, None, False
        self.pages.setCurrentWidget(self.setup)
        document.undo_stack.indexChanged.connect(self._on_undo_index)
        document.fileAttached.connect(self._keep)  # Save As: the new file keeps the round too
        if document.evaluation is not None:
            self.setup.set_evaluation(document.evaluation)
        self._resume(document)

    def _resume(self, document) -> None:
        """Take up the round kept in the file, if there is one for these initiatives."""
        data = document.round_in_progress()
        if data is None:
            return
        try:
            kept = RatingRound.from_dict(data)
            if data.get("opened_to_room") and not kept.participants:
                # opened to the room, and closed (or crashed) before anyone joined
                self.window.tell("A rating round opened to the room was kept with nobody in it; it was dropped.")
                document.keep_round_in_progress(None)
                return
            if not (kept.participants and kept.initiatives and kept.criteria):
                raise ValueError("an empty round")
        except (CutlineError, KeyError, TypeError, ValueError, IndexError):
            self.window.tell("A rating round kept in this workshop could not be read; it was set aside.")
            return
        known = document.workshop.portfolio.row_of_id
        if not any(ident in known for ident in kept.initiatives):
            self.window.tell("A rating round kept in this workshop rated initiatives it no longer has; "
                             "it was dropped.")
            document.keep_round_in_progress(None)
            return
        try:
            self.round = kept
            self.grid.set_round(kept, self.titles())
            self.grid.set_participant(kept.participants[0])
            if kept.revealed:
                self.reveal.set_summary(summarise(kept), self.titles())
                self.reveal.set_applied(False)
        except (CutlineError, KeyError, TypeError, ValueError, IndexError):
            self.round = None
            self.window.tell("A rating round kept in this workshop could not be shown; it was set aside.")
            return
        self.pages.setCurrentWidget(self.reveal if kept.revealed else self.grid)
        count = len(kept.ratings)
        text = (f"The rating round in progress was kept: {count} rating{'s' * (count != 1)} from "
                f"{', '.join(kept.participants)}. Workshop > Rate initiatives together continues it.")
        if document.read_only:
            text += " This workshop is open read-only: new ratings are kept only once you use Save As."
        self.window.tell(text)

    def _on_undo_index(self, index: int) -> None:
        """Undoing the applied step lets the room apply (other values) again; redoing it applies
        the round again, so it is no longer in progress."""
        if self._applied is None:
            return
        step, command = self._applied
        stack = self.window.document.undo_stack
        if stack.count() < step or stack.command(step - 1) is not command:
            self._applied = None  # the step was undone and replaced by other changes
            return
        applied = index >= step
        if applied == (self.applied_at >= 0):
            return
        self.applied_at = step if applied else -1
        self._keep()
        self.reveal.set_applied(applied, "Applied again." if applied
                                else "The agreed values were undone; you can apply them again.")

    def _on_looks(self) -> None:
        for page in (self.setup, self.grid, self.reveal):
            page.apply_look()


def applied_text(agreed: dict, criteria, edits: dict) -> str:
    """The decision log's words: "Agreed ratings for 12 initiatives (dx, risk)"."""
    count = len({ident for ident, _ in agreed})
    used = [c for c in criteria if any(k[1] == c for k in agreed)]
    text = f"Agreed ratings for {count} initiative{'s' * (count != 1)} ({', '.join(used)})"
    lowered = sum(1 for (_, f) in edits if f == "confidence") - sum(1 for k in agreed if k[1] == "confidence")
    if lowered > 0:
        text += f"; confidence lowered for {lowered} where the room disagreed"
    return text


def _plain(value):
    """A cell value as plain JSON data for the decision log (blank is None)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None if value in ("", None) else str(value)
    return None if number != number else number


# -- entry points (actions and the feature module) -----------------------------------------------
def start(window: MainWindow) -> None:
    """Workshop > Rate initiatives together: open the rating panel."""
    window.feature(RatingSession).open()


def import_sheet(window: MainWindow, path: Path | None = None) -> None:
    """Add ratings from a filled-in Ratings sheet (a workbook's `Ratings` sheet, or a csv)."""
    from cutline.models.rating.sheet_import import read_ratings

    session = window.feature(RatingSession)
    if session.round is None or session.round.revealed:
        window.tell_error("Start a rating round first; ratings are imported before the reveal.")
        return
    if path is None:
        path = window.ask_open_path("Import filled-in ratings", RATING_FILES)
        if path is None:
            return
    try:
        entries = _read_with_criterion(window, session.round, lambda crit: read_ratings(
            path, round=session.round, criterion=crit))
    except CutlineError as exc:
        session.grid.show_problem(exc.describe())
        window.tell_error(exc.describe())
        return
    if entries is not None:
        session.add_ratings(entries, Path(path).name)


def paste(window: MainWindow, text: str | None = None, *, criterion: str | None = None) -> None:
    """Add ratings from cells copied from a spreadsheet (header row included)."""
    from cutline.models.rating.sheet_import import ratings_from_clipboard_text

    session = window.feature(RatingSession)
    if session.round is None or session.round.revealed:
        window.tell_error("Start a rating round first; ratings are pasted before the reveal.")
        return
    text = QApplication.clipboard().text() if text is None else text
    try:
        entries = _read_with_criterion(
            window, session.round,
            lambda crit: ratings_from_clipboard_text(text, round=session.round, criterion=crit),
            fallback=criterion)
    except CutlineError as exc:
        session.grid.show_problem(exc.describe())
        return
    if entries is not None:
        session.add_ratings(entries, "the clipboard")


def _read_with_criterion(window: MainWindow, round_: RatingRound, read, fallback: str | None = None):
    """Read once; when the cells do not say which criterion they rate, use `fallback` or ask."""
    from cutline.models.errors import SpreadsheetError

    try:
        return read(None)
    except SpreadsheetError as exc:
        if not exc.message.startswith("The sheet does not say which criterion"):
            raise
        choice = fallback or window.ask_choice("Which criterion do these ratings rate?",
                                               exc.message, list(round_.criteria))
        if not choice:
            return None
        return read(choice)


class _PageScroller(QScrollArea):
    """A scroll area that asks for its page's own size (a plain one asks for little, and the dock
    beside Explain would be given little), and scrolls only what does not fit."""

    def sizeHint(self):
        page = self.widget()
        return page.sizeHint() if page is not None else super().sizeHint()
