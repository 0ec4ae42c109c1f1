"""A room already filling up, for the `join` screenshot of the sample: made up, never served or kept."""

from __future__ import annotations

from cutline.models.rating.round import RatingRound
from cutline.models.rating.summary import select_near_cut_line
from cutline.models.room.state import Role, Room

CRITERIA = ("dx", "risk", "effort")
ROLES = (Role("Engineer", CRITERIA), Role("Product", ("dx", "risk")))
#: (name, role, how many initiatives they have rated so far)
PEOPLE = (("Priya", "Engineer", 10), ("Marco", "Product", 7), ("Lena", "Engineer", 4),
          ("Sam", "Product", 10), ("Jo", "Engineer", 1))
COUNT = 10
HOST, PORT = "127.0.0.1", 8765


def show_join(flow) -> None:
    """The join screen with five participants part of the way through ten initiatives."""
    evaluation = flow.window.document.evaluation
    rows = select_near_cut_line(evaluation.ranking, evaluation.allocation, COUNT)
    ids = [str(evaluation.portfolio.ids[r]) for r in rows]
    room = Room(round_=RatingRound.start(CRITERIA, ids, []), titles=flow.session_titles(ids), roles=ROLES)
    roles = {r.name: r for r in ROLES}
    for name, role, done in PEOPLE:
        person = room.add_participant(name, roles[role])
        room.record_ratings([(name, i, c, 5.0) for i in ids[:done] for c in person.criteria])
    flow.show_demo(room, HOST, PORT)
