"""A capacity to start from, for a workshop opened from a spreadsheet without a Capacity sheet.

Cutline proposes the plan's quarters (the file's target quarters, at least four, or else the next
four quarters from today) and one person-weeks figure per team and quarter: the team's asked
effort spread evenly over those quarters, and at least its largest initiative (an initiative is
funded whole, in one quarter). The PM corrects the figures in one small dialog; OK
applies them as one undoable step, Cancel leaves the capacity empty (nothing can be funded).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from cutline.models.capacity.capacity import POOL, Capacity

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow
    from cutline.views.capacity_proposal import CapacityProposalDialog

#: How many quarters a proposal covers at least, and at most.
MIN_QUARTERS, MAX_QUARTERS = 4, 8

_QUARTER = re.compile(r"^\s*(\d{4})\s*[-/ ]?\s*Q([1-4])\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class TeamProposal:
    team: str              # as the file spells it; POOL for initiatives without a team
    initiatives: int
    asked: float           # total effort asked, person-weeks (blank efforts count as 0)
    per_quarter: float     # the proposed person-weeks in each quarter


@dataclass(frozen=True)
class Proposal:
    quarters: tuple[str, ...]
    teams: tuple[TeamProposal, ...]
    from_file: bool        # the quarters came from the file's `quarter` column

    def capacity(self, figures: dict[str, float] | None = None) -> Capacity:
        """The Capacity with `figures` (team -> person-weeks per quarter) over the proposed ones."""
        figures = figures or {}
        return Capacity.from_rows([(t.team, q, float(figures.get(t.team, t.per_quarter)))
                                   for t in self.teams for q in self.quarters])


def _parse(text: str) -> tuple[int, int] | None:
    match = _QUARTER.match(str(text))
    return (int(match.group(1)), int(match.group(2))) if match else None


def _name(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


def _following(year: int, quarter: int, count: int) -> list[tuple[int, int]]:
    out = []
    for _ in range(count):
        out.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return out


def plan_quarters(targets, today: date | None = None) -> tuple[tuple[str, ...], bool]:
    """The quarters to plan: from the earliest target quarter in `targets` to the latest (at least
    four, at most eight); without targets, the four quarters after today's."""
    parsed = sorted({q for q in (_parse(t) for t in targets if t) if q is not None})
    if parsed:
        first, last = parsed[0], parsed[-1]
        span = (last[0] - first[0]) * 4 + (last[1] - first[1]) + 1
        count = min(MAX_QUARTERS, max(MIN_QUARTERS, span))
        return tuple(_name(*q) for q in _following(*first, count)), True
    today = today or date.today()
    now = (today.year, (today.month - 1) // 3 + 1)
    start = _following(*now, 2)[1]
    return tuple(_name(*q) for q in _following(*start, MIN_QUARTERS)), False


def propose(portfolio, today: date | None = None) -> Proposal:
    """The proposal for `portfolio`: its teams in the order the file names them."""
    quarters, from_file = plan_quarters(portfolio.text("quarter").tolist(), today)
    teams = [str(t).strip() for t in portfolio.text("team").tolist()]
    effort = np.nan_to_num(np.asarray(portfolio.numeric("effort"), dtype=float), nan=0.0)
    asked: dict[str, list] = {}
    for team, pw in zip(teams, effort.tolist()):
        entry = asked.setdefault(team or POOL, [0, 0.0, 0.0])
        entry[0] += 1
        entry[1] += max(pw, 0.0)
        entry[2] = max(entry[2], pw)
    # An initiative is funded whole in one quarter, so a team gets at least its largest one.
    rows = tuple(TeamProposal(team, n, total,
                              float(max(1, math.ceil(total / len(quarters)), math.ceil(largest))))
                 for team, (n, total, largest) in asked.items())
    # Named teams first, the shared pool for initiatives without a team last.
    rows = tuple(sorted(rows, key=lambda t: t.team == POOL))
    return Proposal(quarters, rows, from_file)


def describe(proposal: Proposal, capacity: Capacity) -> str:
    """The undo text and decision-log entry for applying a proposal."""
    teams = len(proposal.teams)
    quarters = proposal.quarters
    span = quarters[0] if len(quarters) == 1 else f"{quarters[0]} to {quarters[-1]}"
    total = float(capacity.table["capacity"].sum())
    return (f"Capacity set for {teams} team{'s' if teams != 1 else ''} over {span}: "
            f"{total:g} person-weeks in all")


# -- the flow ------------------------------------------------------------------------------------
NO_CAPACITY = ("Nothing can be funded until capacity is set: Edit ▸ Capacity and guardrails… "
               "(person-weeks per team and quarter).")


class CapacityProposalFeature:
    """The capacity proposal offered after an import without capacity: the dialog offered last."""

    VIEWS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, window: MainWindow):
        self.window = window
        self.dialog: CapacityProposalDialog | None = None

    def offer(self, source_name: str = "") -> CapacityProposalDialog:
        """Open the proposal dialog over the current workshop; OK applies it as one undoable step."""
        from cutline.views.capacity_proposal import CapacityProposalDialog

        window = self.window
        doc = window.document
        proposal = propose(doc.workshop.portfolio)
        dialog = CapacityProposalDialog(
            quarters=proposal.quarters,
            teams=[(t.team, t.initiatives, t.asked, t.per_quarter) for t in proposal.teams],
            source_name=source_name, quarters_from_file=proposal.from_file, parent=window)
        self.dialog = dialog
        dialog.accepted.connect(lambda: apply(window, doc, proposal, dialog.figures()))
        dialog.rejected.connect(lambda: window.tell(NO_CAPACITY))
        window.show_dialog(dialog)
        return dialog


def offer(window: MainWindow, source_name: str = "") -> CapacityProposalDialog:
    """Propose capacity for the window's workshop (after an import or a recovery)."""
    return window.feature(CapacityProposalFeature).offer(source_name)


def apply(window: MainWindow, doc, proposal: Proposal, figures: dict[str, float]) -> None:
    """Set the proposed capacity on the current scenario of `doc` (if it is still shown)."""
    from cutline.app.document import intents

    if window.document is not doc:
        return
    capacity = proposal.capacity(figures)
    text = describe(proposal, capacity)
    intents.set_capacity(doc, capacity, text)
    window.tell(f"{text}. Change it any time in Edit ▸ Capacity and guardrails….")
