"""The room's server on loopback: join, rate, hidden answers, tokens, limits, and the durable write."""

from __future__ import annotations

import pytest

from app.room_server import BODY_LIMIT, RoomServer
from models.budget_vote import BudgetVote
from models.portfolio import Portfolio
from models.rating import RatingRound
from models.room import Role, Room
from models.room_ledger import RoomLedger
from models.workshop import Workshop
from models.workshop_file import WorkshopFile
from tests.app.room_client import RoomClient

IDS = ("A-1", "A-2", "A-3")


@pytest.fixture
def workshop_path(tmp_path):
    portfolio = Portfolio.from_records([{"id": i, "title": f"Title {i}", "effort": 2 + n * 2}
                                        for n, i in enumerate(IDS)])
    path = tmp_path / "room.cutline"
    WorkshopFile.create(path, Workshop.new(portfolio)).close()
    return path


def _open(path, room: Room, base: RatingRound | None = None):
    def record(room_, people):
        if base is None:
            vote = room_.vote
            for p in people:
                if p not in vote.participants:
                    vote = vote.with_participant(p)
            return vote.to_dict()
        return {**base.to_dict(), "participants": list(people)}

    ledger = RoomLedger(path, room, record)
    server = RoomServer(room, ledger, "127.0.0.1", 0)
    server.start()
    return ledger, server


@pytest.fixture
def rating_room(workshop_path):
    base = RatingRound.start(["dx", "effort"], IDS, [])
    room = Room(round_=base, titles={i: f"Title {i}" for i in IDS},
                roles=[Role("Engineer", ("dx", "effort")), Role("Product", ("dx",))])
    ledger, server = _open(workshop_path, room, base)
    yield room, server, workshop_path
    ledger.close()
    server.stop()


def test_join_rate_and_see_only_your_own_ratings(rating_room):
    room, server, path = rating_room
    ann, bo = RoomClient(server.port, room.code), RoomClient(server.port, room.code)
    assert ann.api("info") == (200, {"kind": "rating", "state": "open", "roles": [
        {"name": "Engineer", "criteria": ["dx", "effort"]}, {"name": "Product", "criteria": ["dx"]}]})
    ann.join("Ann", "Engineer")
    bo.join("Bo", "Product")
    assert ann.rate(("A-1", "dx", 3), ("A-1", "effort", 12.5)) == (200, {"saved": 2})
    assert bo.rate(("A-1", "dx", 9)) == (200, {"saved": 1})
    status, page = ann.api("me")
    assert status == 200 and page["ratings"] == {"A-1": {"dx": 3.0, "effort": 12.5}}
    assert "Bo" not in str(page) and "9.0" not in str(page)
    status, page = bo.api("me")
    assert [c["criterion"] for c in page["criteria"]] == ["dx"]  # a Product participant rates dx only
    # "saved" means on disk: another connection reads every rating back
    kept = WorkshopFile.open(path, read_only=True)
    try:
        ratings = {tuple(r[:3]): r[3] for r in kept.round_in_progress()["ratings"]}
    finally:
        kept.close()
    assert ratings == {("Ann", "A-1", "dx"): 3.0, ("Ann", "A-1", "effort"): 12.5, ("Bo", "A-1", "dx"): 9.0}


def test_wrong_removed_and_closed_tokens_and_codes_are_refused(rating_room):
    room, server, _ = rating_room
    ann = RoomClient(server.port, room.code)
    ann.join("Ann", "Engineer")
    good = ann.token
    for bad in ("", "nonsense", good[:-1] + ("A" if good[-1] != "A" else "B"), good.split(".")[0] + ".x"):
        ann.token = bad
        assert ann.api("me")[0] == 401
    ann.token = good
    wrong = RoomClient(server.port, "AAAA2222")
    wrong.token = good
    assert wrong.api("me")[0] == 404
    room.remove_participant("Ann")
    status, answer = ann.rate(("A-1", "dx", 3))
    assert status == 401 and "Join again" in answer["error"]
    bo = RoomClient(server.port, room.code)
    bo.join("Bo", "Product")
    room.state = "closed"
    assert bo.rate(("A-1", "dx", 3))[0] == 409
    assert bo.api("join", {"name": "Cy", "role": "Product"})[0] == 409


def test_out_of_range_unknown_and_forbidden_ratings_are_refused_with_words(rating_room):
    room, server, _ = rating_room
    pia = RoomClient(server.port, room.code)
    pia.join("Pia", "Product")
    cases = {("A-1", "dx", 11): (400, "dx is rated 0 to 10, not 11."),
             ("A-1", "dx", -1): (400, "dx is rated 0 to 10, not -1."),
             ("Z-9", "dx", 1): (400, "That initiative is not rated in this round."),
             ("A-1", "risk", 1): (400, "That criterion is not rated in this round."),
             ("A-1", "effort", 3): (403, "As Product you do not rate effort in this round.")}
    for entry, (status, message) in cases.items():
        assert pia.rate(entry) == (status, {"error": message})
    assert room.ratings() == {}


def test_hostile_requests_get_an_answer_in_words_and_nothing_else_is_served(rating_room):
    room, server, _ = rating_room
    client = RoomClient(server.port, room.code)
    client.join("Ann", "Engineer")
    base = f"/api/{room.code}/rate"
    assert client.request("POST", base, raw=b"x" * (BODY_LIMIT + 1),
                          headers={"Content-Type": "application/json"})[0] == 413
    assert client.request("POST", base, raw=b"ratings=1",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})[0] == 415
    assert client.request("POST", base, raw=b"{not json", headers={"Content-Type": "application/json"})[0] == 400
    assert client.request("POST", base, raw=b"[" * 5000, headers={"Content-Type": "application/json"})[0] == 400
    for path in ("/static/../room.cutline", "/static/index.html", "/api", "/workshop", "/resources/sample.cutline"):
        assert client.request("GET", path)[0] == 404, path
    status, page = client.request("GET", f"/j/{room.code}")
    assert status == 200 and b"room.js" in page
    rebinding = RoomClient(server.port, room.code, host_header="evil.example:80")
    assert rebinding.request("GET", f"/j/{room.code}")[0] == 421


def test_a_flood_from_one_device_is_slowed_down(rating_room):
    room, server, _ = rating_room
    client = RoomClient(server.port, room.code, source="127.0.0.9")
    statuses = [client.api("info")[0] for _ in range(30)]
    assert statuses[:20] == [200] * 20 and 429 in statuses[20:]
    assert RoomClient(server.port, room.code, source="127.0.0.10").api("info")[0] == 200  # others are not
    guesser = RoomClient(server.port, "AAAA2222", source="127.0.0.11")
    guesses = [guesser.api("info")[0] for _ in range(30)]
    assert guesses[:20] == [404] * 20 and 429 in guesses[20:]  # wrong codes are slowed down too


def test_a_name_taken_is_refused_and_a_budget_vote_stays_within_its_budget(workshop_path):
    vote = BudgetVote.start({"A-1": 2, "A-2": 4, "A-3": 6})
    room = Room(vote=vote)
    ledger, server = _open(workshop_path, room)
    try:
        ann = RoomClient(server.port, room.code)
        ann.join("Ann")
        assert RoomClient(server.port, room.code).api("join", {"name": "ann"})[0] == 409
        status, page = ann.api("me")
        assert page["budget"] == 6 and page["prices"] == {"A-1": 2, "A-2": 4, "A-3": 6}
        assert ann.api("buy", {"ids": ["A-1", "A-2"]}) == (200, {"saved": 2})
        assert ann.api("buy", {"ids": ["A-2", "A-3"]})[0] == 400  # 10 is over the budget of 6
        assert ann.rate(("A-1", "dx", 1))[0] == 400
    finally:
        ledger.close()
        server.stop()
    kept = WorkshopFile.open(workshop_path)
    try:
        assert BudgetVote.from_dict(kept.budget_vote_in_progress()).purchases == {"Ann": ("A-1", "A-2")}
    finally:
        kept.close()


def test_the_room_never_listens_on_every_address():
    room = Room(round_=RatingRound.start(["dx"], IDS, []))
    with pytest.raises(ValueError):
        RoomServer(room, None, "0.0.0.0", 0)
    with pytest.raises(ValueError):
        RoomServer(room, None, "::", 0)


def test_only_answers_keep_a_room_from_closing_when_idle(workshop_path):
    now = [0.0]
    base = RatingRound.start(["dx"], IDS, [])
    room = Room(round_=base, idle_seconds=60, clock=lambda: now[0])
    ledger, server = _open(workshop_path, room, base)
    try:
        ann = RoomClient(server.port, room.code)
        ann.join("Ann")
        now[0] = 50
        assert ann.api("me")[0] == 200  # a page left open polls
        now[0] = 61
        assert room.is_idle()
        assert ann.rate(("A-1", "dx", 2))[0] == 200
        assert not room.is_idle()
    finally:
        ledger.close()
        server.stop()
