"""A budget vote's result beside the ranking, and its use as the `votes` input in one undoable step.

The vote is kept in the workshop file while it is in progress (`budget_vote_in_progress`), so a
vote closed or interrupted by a crash comes back with the workshop; using it stores it with the
workshop's rating rounds and records the step in the decision log.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from cutline.models.errors import CutlineError
from cutline.models.rating.budget_vote import BudgetVote, with_votes_column
from cutline.views.budget_result import BudgetResultView
from cutline.views.hotkeys import UNDO


class VoteResult(QObject):
    """The result page of a rating session's budget votes: show, use, undo, resume, start over."""

    def __init__(self, session, titles):
        super().__init__(session)
        self.session, self.window, self._titles = session, session.window, titles
        self.view = BudgetResultView()
        session.pages.addWidget(self.view)
        self.vote: BudgetVote | None = None  # the closed vote shown
        self.view.useRequested.connect(self.use)
        self.view.restartRequested.connect(self.restart)

    def follow(self, document) -> None:
        """Watch `document`'s undo stack, so undoing the votes column lets the result be used again."""
        document.undo_stack.indexChanged.connect(self._on_undo_index)

    def forget(self) -> None:
        self.vote = None

    def show(self, vote: BudgetVote, *, bring_to_front: bool = True) -> None:
        self.vote = vote
        ev = self.window.document.evaluation
        ranks = {}
        if ev is not None:
            ids = ev.portfolio.ids
            for position, row in enumerate(ev.ranking.order):
                ranks[str(ids[row])] = f"#{position + 1}"
        self.view.set_results(vote.results(), self._titles(vote.initiatives), ranks,
                              len(vote.participants), vote.budget)
        if bring_to_front:
            self.session.show_page(self.view)

    def resume(self, document) -> None:
        """A new workshop: a budget vote kept in its file comes back with its result."""
        self.vote = None
        if document is None:
            return
        self.follow(document)
        file = document.room_file()
        data = file.budget_vote_in_progress() if file is not None else None
        if data is None:
            return
        try:
            vote = BudgetVote.from_dict(data)
        except CutlineError:
            self.window.tell("A budget vote kept in this workshop could not be read; it was set aside.")
            return
        self.session.away = self.view
        self.show(vote, bring_to_front=False)
        people = len(vote.participants)
        self.window.tell(f"The budget vote in progress was kept ({people} participant{'s' * (people != 1)}). "
                         "Workshop > Rate initiatives together shows its result.")

    def use(self) -> None:
        """The votes become the `votes` column, with the vote kept in the workshop: one undo step."""
        doc, vote = self.window.document, self.vote
        if vote is None or doc.read_only:
            self.view.set_applied(False, "This workshop is open read-only; use Save As first.")
            return
        workshop = doc.workshop
        results = vote.results()
        after = workshop.with_portfolio(with_votes_column(workshop.portfolio, results))
        text = (f"Budget vote: {len(vote.participants)} participants bought "
                f"{sum(1 for r in results if r.votes)} of {len(results)} initiatives (votes column)")
        doc.change(after.adding_rating_round(vote.to_dict()), text, kind="rating",
                   new={r.ident: r.votes for r in results})
        file = doc.room_file()
        if file is not None:
            file.keep_budget_vote_in_progress(None)
        self.view.set_applied(True, f"Applied: {text}. Undo ({UNDO}) takes the column back.")
        self.window.tell(text)

    def _on_undo_index(self, _index: int) -> None:
        """Undoing the votes column lets the room use the result again (and keeps it in the file);
        redoing it uses it again."""
        vote, doc = self.vote, self.window.document
        if vote is None or doc is None:
            return
        applied = any(r.get("id") == vote.id for r in doc.workshop.rating_rounds)
        if applied == (not self.view.use.isEnabled()):
            return
        self.view.set_applied(applied, "Used again." if applied
                              else "The votes column was undone; you can use the result again.")
        file = doc.room_file()
        if file is not None:
            file.keep_budget_vote_in_progress(None if applied else vote.to_dict())

    def restart(self) -> None:
        """New round from a vote's result: an unused result is dropped after asking."""
        applied = not self.view.use.isEnabled()
        if self.vote is not None and not applied and not self.window.ask_yes_no(
                "Start a new round?", "The budget vote's result has not been used and will be lost."):
            return
        self.vote, self.session.away = None, None
        file = self.window.document.room_file()
        if file is not None:
            file.keep_budget_vote_in_progress(None)
        self.session.restart()
