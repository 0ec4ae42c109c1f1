"""A rating round already under way, for the `rating` and `reveal` screenshots of the sample.

Three participants rate dx and risk for the ten initiatives nearest the cut line; their ratings
sit around each initiative's current value, with a few wide splits so the reveal has something
to discuss.
"""

from __future__ import annotations

import numpy as np

from cutline.models.rating.round import RatingRound
from cutline.models.rating.summary import select_near_cut_line

PARTICIPANTS = ("Priya", "Marco", "Lena")
CRITERIA = ("dx", "risk")
COUNT = 10
#: Offsets from the current value per participant, cycled over (initiative, criterion) pairs.
OFFSETS = ((0, 1, -1), (1, 0, 1), (-3, 2, 4), (0, 0, 1), (1, -1, 0), (2, -3, 3), (0, 1, 0),
           (-1, 0, -1), (3, -2, 0), (1, 1, 2), (0, -1, 0))


def demo_round(evaluation) -> RatingRound:
    """A complete, hidden round over the initiatives nearest the cut line of `evaluation`."""
    rows = select_near_cut_line(evaluation.ranking, evaluation.allocation, COUNT)
    portfolio = evaluation.portfolio
    ids = [str(portfolio.ids[r]) for r in rows]
    round_ = RatingRound.start(CRITERIA, ids, PARTICIPANTS)
    entries = []
    pair = 0
    for row, ident in zip(rows, ids):
        for criterion in CRITERIA:
            base = portfolio.numeric(criterion)[row]
            base = 5.0 if np.isnan(base) else float(base)
            for person, offset in zip(PARTICIPANTS, OFFSETS[pair % len(OFFSETS)]):
                entries.append((person, ident, criterion, float(np.clip(round(base) + offset, 0, 10))))
            pair += 1
    return round_.with_ratings(entries)


def show_rating(session) -> None:
    """The grid while the last participant is halfway through, typing a rating."""
    full = demo_round(session.window.document.evaluation)
    last = PARTICIPANTS[-1]
    keep = {k: v for k, v in full.ratings.items() if k[0] != last or full.initiatives.index(k[1]) < 4}
    partial = RatingRound(full.id, full.criteria, full.initiatives, full.participants, keep,
                          created=full.created)
    session.demo = True  # made up for the picture: never written to the workshop file
    session.begin(partial)
    session.grid.set_participant(last)
    table = session.grid.table
    table.setCurrentIndex(session.grid.model.index(4, session.grid.model.entry_column()))
    table.entry = "7"
    session.grid.model.set_typing("7", 4, session.grid.model.entry_column())


def show_reveal(session) -> None:
    """The reveal of the full round, one value typed after discussion."""
    session.demo = True  # made up for the picture: never written to the workshop file
    session.begin(demo_round(session.window.document.evaluation))
    session.reveal_round(ask=False)
    model = session.reveal.model
    if model.rowCount():
        value, _ = model.agreed_for(0)
        model.set_choice(0, float(round(value or 5.0)))
    session.reveal.follow.setChecked(True)
