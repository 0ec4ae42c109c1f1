"""The room's checks and state, with no server and no window."""

from __future__ import annotations

import pytest
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.rating.budget_vote import BudgetVote
from cutline.models.rating.round import RatingRound
from cutline.models.room.state import (
    Role,
    Room,
    RoomRefused,
    TokenBuckets,
    normal_code,
    readable_code,
)
from cutline.models.workshop.document import Workshop
from cutline.models.workshop.file import WorkshopFile

IDS = ("A-1", "A-2", "A-3")


def _room(**kw) -> Room:
    round_ = RatingRound.start(["dx", "effort"], IDS, [])
    return Room(round_=round_, titles={"A-1": "First"}, **kw)


def test_join_gives_a_token_that_names_the_participant_and_a_wrong_one_is_refused():
    room = _room()
    name, role = room.check_join("  Ann   Lee ", None)
    person = room.add_participant(name, role)
    assert room.participant_for(person.token) is person
    assert person.name == "Ann Lee" and person.criteria == ("dx", "effort")
    for bad in ("", None, person.pid, person.pid + ".x", "zz." + person.secret, person.token + "x"):
        with pytest.raises(RoomRefused) as err:
            room.participant_for(bad)
        assert err.value.status == 401
    room.remove_participant("Ann Lee")
    with pytest.raises(RoomRefused):
        room.participant_for(person.token)  # removed: the token no longer works


def test_a_name_is_taken_once_and_must_be_short_and_printable():
    room = _room()
    room.add_participant(*room.check_join("Bo", None))
    for name, status in (("bo", 409), ("\uff22\uff4f", 409), ("", 400), ("x" * 41, 400),
                         ("a\x00b", 400), (7, 400)):
        with pytest.raises(RoomRefused) as err:
            room.check_join(name, None)
        assert err.value.status == status


def test_ratings_are_checked_against_the_round_the_role_and_the_scale():
    room = _room(roles=[Role("Engineer", ("dx", "effort")), Role("Product", ("dx",))])
    pm = room.add_participant(*room.check_join("Pia", "Product"))
    eng = room.add_participant(*room.check_join("Eli", "Engineer"))
    assert room.check_ratings(pm, [["A-1", "dx", 7]]) == [("Pia", "A-1", "dx", 7.0)]
    assert room.check_ratings(eng, [["A-2", "effort", 40.5], ["A-2", "dx", None]])
    bad = ([["A-9", "dx", 1]], [["A-1", "risk", 1]], [["A-1", "dx", 11]], [["A-1", "dx", -1]],
           [["A-1", "dx", True]], [["A-1", "dx", "7"]], [["A-1", "dx", float("nan")]],
           [["A-1", "effort", 1e12]], [["A-1", "effort", 10**400]], [["A-1", "dx"]], [],
           [["A-1", "dx", 1]] * 101, "x")
    for entries in bad:
        with pytest.raises(RoomRefused) as err:
            room.check_ratings(eng, entries)
        assert err.value.status == 400, entries
    with pytest.raises(RoomRefused) as err:
        room.check_ratings(pm, [["A-1", "effort", 3]])
    assert err.value.status == 403 and "Product" in err.value.message
    with pytest.raises(RoomRefused):
        room.check_join("Cy", "Boss")  # a role the host did not offer


def test_a_page_shows_only_the_participants_own_ratings():
    room = _room()
    ann = room.add_participant(*room.check_join("Ann", None))
    bo = room.add_participant(*room.check_join("Bo", None))
    room.record_ratings(room.check_ratings(ann, [["A-1", "dx", 3]]))
    room.record_ratings(room.check_ratings(bo, [["A-1", "dx", 9], ["A-2", "effort", 5]]))
    assert room.page_for(ann)["ratings"] == {"A-1": {"dx": 3.0}}
    assert "9" not in str(room.page_for(ann))
    assert [(n, d) for n, _, d, _ in room.progress()] == [("Ann", 1), ("Bo", 2)]
    round_ = room.rating_round(RatingRound.start(["dx", "effort"], IDS, []))
    assert round_.participants == ("Ann", "Bo") and len(round_.ratings) == 3


def test_a_closed_room_takes_nothing_and_an_idle_one_says_so():
    now = [0.0]
    room = _room(idle_seconds=60, clock=lambda: now[0])
    ann = room.add_participant(*room.check_join("Ann", None))
    now[0] = 61
    assert room.is_idle()
    room.state = "closed"
    with pytest.raises(RoomRefused) as err:
        room.check_ratings(ann, [["A-1", "dx", 1]])
    assert err.value.status == 409


def test_codes_are_compared_whatever_the_case_and_dashes():
    room = _room()
    assert room.code_matches(readable_code(room.code).lower())
    assert not room.code_matches("AAAA-AAAA") or room.code == "AAAAAAAA"
    assert normal_code(" k7pq-4xma ") == "K7PQ4XMA"


def test_token_buckets_limit_a_burst_and_refill():
    now = [0.0]
    buckets = TokenBuckets(rate=2, burst=3, clock=lambda: now[0])
    assert [buckets.allow("a") for _ in range(4)] == [True, True, True, False]
    now[0] = 1.0
    assert buckets.allow("a") and buckets.allow("a") and not buckets.allow("a")


def test_budget_purchases_stay_within_the_budget():
    vote = BudgetVote.start({"A-1": 10, "A-2": 20, "A-3": 30})
    assert vote.budget == 30
    room = Room(vote=vote)
    ann = room.add_participant(*room.check_join("Ann", None))
    assert room.check_purchase(ann, ["A-1", "A-2"]) == ("A-1", "A-2")
    for bad in (["A-1", "A-3"], ["A-9"], ["A-1", "A-1"], "A-1", [1]):
        with pytest.raises(RoomRefused):
            room.check_purchase(ann, bad)
    room.record_purchase("Ann", ["A-3"])
    assert room.page_for(ann)["bought"] == ["A-3"]
    with pytest.raises(RoomRefused):
        room.check_ratings(ann, [["A-1", "dx", 1]])


def test_the_workshop_file_keeps_a_rooms_ratings_beside_the_round(tmp_path):
    portfolio = Portfolio.from_records([{"id": i, "title": i} for i in IDS])
    file = WorkshopFile.create(tmp_path / "w.cutline", Workshop.new(portfolio))
    round_ = RatingRound.start(["dx"], IDS, ["Ann", "Bo"])
    file.keep_round_in_progress(round_.to_dict())
    file.keep_round_additions(round_.id, 1, [["Ann", "A-1", "dx", 4.0], ["Bo", "A-1", "dx", 6.0]])
    file.keep_round_additions(round_.id, 2, [["Ann", "A-1", "dx", None], ["Cy", "A-2", "dx", 1.0]])
    file.keep_round_additions("other", 3, [["Ann", "A-3", "dx", 9.0]])
    file.close()
    again = WorkshopFile.open(tmp_path / "w.cutline")
    kept = RatingRound.from_dict(again.round_in_progress())
    assert dict(kept.ratings) == {("Bo", "A-1", "dx"): 6.0}  # Cy never joined the kept round
    again.keep_round_in_progress(kept.to_dict())  # a whole round replaces the additions
    assert again.round_in_progress() == kept.to_dict()
    again.keep_budget_vote_in_progress({"id": "v"})
    assert again.budget_vote_in_progress() == {"id": "v"}
    again.close()


# -- found in a security review ------------------------------------------------------------------

def test_a_name_can_hold_neither_markup_nor_a_spreadsheet_formula():
    room = _room()
    for name in ("<b>Ann</b>", "<img src=x>", "Bo>", "=HYPERLINK(\"http://x\")", "+1", "-Cy", "@Dee",
                 "Ann\u202e", "Ann\u200b"):
        with pytest.raises(RoomRefused) as err:
            room.check_join(name, None)
        assert err.value.status == 400, name
    for name in ("Anne-Marie O'Brien", "José", "李雷", "Dr. Bo = boss", "R&D Cy"):
        assert room.check_join(name, None)[0] == name


def test_a_room_takes_only_so_many_people(monkeypatch):
    from cutline.models.room import state as room_module

    monkeypatch.setattr(room_module, "PARTICIPANT_LIMIT", 3)
    room = _room()
    for n in range(3):
        room.add_participant(*room.check_join(f"P{n}", None))
    with pytest.raises(RoomRefused) as err:
        room.check_join("One more", None)
    assert err.value.status == 409 and "full" in err.value.message


def test_one_device_cannot_fill_the_room_for_everyone_else(monkeypatch):
    from cutline.models.room import state as room_module

    monkeypatch.setattr(room_module, "ADDRESS_PARTICIPANTS", 2)
    room = _room()
    for n in range(2):
        room.add_participant(*room.check_join(f"P{n}", None), "10.0.0.7")
    with pytest.raises(RoomRefused) as err:
        room.check_join("P2", None, "10.0.0.7")
    assert err.value.status == 429
    assert room.add_participant(*room.check_join("Q", None, "10.0.0.8"), "10.0.0.8").name == "Q"
    room.remove_participant("P0")
    assert room.check_join("P2", None, "10.0.0.7")[0] == "P2"  # someone taken out frees a place


def test_a_request_rates_each_cell_once():
    room = _room()
    ann = room.add_participant(*room.check_join("Ann", None))
    with pytest.raises(RoomRefused) as err:
        room.check_ratings(ann, [["A-1", "dx", 1], ["A-1", "dx", 2]])
    assert err.value.status == 400
    assert len(room.check_ratings(ann, [["A-1", "dx", 1], ["A-1", "effort", 2]])) == 2


def test_a_token_and_a_code_belong_to_one_room():
    first, second = _room(), _room()
    ann = first.add_participant(*first.check_join("Ann", None))
    second.add_participant(*second.check_join("Ann", None))
    with pytest.raises(RoomRefused) as err:
        second.participant_for(ann.token)
    assert err.value.status == 401
    assert not second.code_matches(first.code) or first.code == second.code
