"""The allocation walk: hand-worked allocations, a reference implementation, and invariants."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pytest
from cutline.models.capacity.allocate import Allocator, _pw, allocate, prerequisite_csr
from cutline.models.capacity.capacity import POOL, Capacity, Guardrail
from cutline.models.capacity.planning import Planning
from cutline.models.errors import CapacityError
from cutline.models.portfolio.portfolio import Portfolio, split_list
from cutline.models.scoring.ranking import Ranking
from hypothesis import given, settings
from hypothesis import strategies as st


def ranking_of(n: int, order=None) -> Ranking:
    """A Ranking with only the order (row order unless given) and ranks filled in."""
    order = np.arange(n, dtype=np.int64) if order is None else np.asarray(order, dtype=np.int64)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    zeros, matrix = np.zeros(n), np.zeros((n, 0))
    return Ranking((), matrix, matrix, matrix, np.zeros((n, 0), bool), zeros, np.ones(n, np.int64),
                   ("all",), order, rank, zeros, zeros, np.zeros(n, bool))


def portfolio(*records: dict) -> Portfolio:
    return Portfolio.from_records(records)


def item(ident, team="X", effort=1.0, category="", depends_on="", due=""):
    return dict(id=ident, team=team, effort=effort, category=category, depends_on=depends_on, quarter=due)


#: Every initiative whole in one quarter: the rule the hand-worked tests below were written for.
ONE = Planning(max_span_quarters=1)


def run(p: Portfolio, capacity: Capacity, order=None, pins=None, planning=ONE):
    return allocate(p, ranking_of(len(p), order), capacity, pins=pins, planning=planning)


def by_id(p: Portfolio, allocation) -> dict[str, tuple]:
    """id -> (quarter name or None, reason, id of the initiative that pulled it in or None)."""
    out = {}
    for row, ident in enumerate(p.ids):
        q = allocation.quarter[row]
        by = allocation.pulled_in_by[row]
        out[ident] = (allocation.quarters[q] if q >= 0 else None, allocation.reason[row],
                      p.ids[by] if by >= 0 else None)
    return out


def used(allocation, team: str, quarter: str) -> float:
    u = allocation.utilisation
    return float(u.loc[(u.team == team) & (u.quarter == quarter), "used"].iloc[0])


# -- hand-worked allocations ------------------------------------------------------------------
def test_a_prerequisite_is_pulled_in_before_the_initiative_that_needs_it():
    # A's turn: C (A's prerequisite) goes first into Q1 (2 of 4), A (3) no longer fits Q1 -> Q2;
    # then B (2) takes Q1's last 2.
    p = portfolio(item("A", effort=3, depends_on="C"), item("B", effort=2), item("C", effort=2))
    cap = Capacity.from_rows([("X", "Q1", 4), ("X", "Q2", 4)])
    a = run(p, cap)
    assert by_id(p, a) == {"A": ("Q2", "", None), "B": ("Q1", "", None), "C": ("Q1", "", "A")}
    assert a.funded.all() and a.cut_line is None
    assert used(a, "X", "Q1") == 4 and used(a, "X", "Q2") == 3
    assert a.utilisation["free"].tolist() == [0.0, 1.0]


def test_an_initiative_goes_no_earlier_than_its_latest_prerequisite():
    # R fits only Y's Q2, so D (which needs P and R) waits for Q2 though X's Q1 has room:
    # both when P and R rank above D and when D's turn pulls them in.
    p = portfolio(item("P", effort=2), item("R", effort=4, team="Y"), item("D", effort=1, depends_on="P, R"))
    cap = Capacity.from_rows([("X", "Q1", 5), ("X", "Q2", 5), ("Y", "Q1", 3), ("Y", "Q2", 4)])
    for order in ([0, 1, 2], [2, 0, 1]):
        placed = by_id(p, run(p, cap, order=order))
        assert [placed[i][0] for i in ("P", "R", "D")] == ["Q1", "Q2", "Q2"]
    assert placed["R"][2] == "D"


def test_a_refusal_that_waits_on_another():
    # A needs B, which has no estimate: A waits on B. C, below the cut line, is still funded.
    p = portfolio(item("A", effort=2, depends_on="B"), item("B", team="Y", effort=None), item("C", effort=1))
    a = run(p, Capacity.from_rows([("X", "Q1", 5), ("Y", "Q1", 5)]))
    assert by_id(p, a) == {"A": (None, "waits on B", None), "B": (None, "no effort estimate", None),
                           "C": ("Q1", "", None)}
    assert a.cut_line == 1
    assert a.funded.tolist() == [False, False, True]


def test_prerequisites_placed_before_the_refused_one_stay_placed():
    # A names P2 before P1, but P1 ranks higher, so it is tried (and placed) first; P2 is too
    # large, so A waits on P2 while P1 keeps its place, pulled in by A.
    p = portfolio(item("A", effort=1, depends_on="P2, P1"), item("P1", effort=2), item("P2", effort=9))
    a = run(p, Capacity.from_rows([("X", "Q1", 5)]))
    assert by_id(p, a) == {
        "A": (None, "waits on P2", None),
        "P1": ("Q1", "", "A"),
        "P2": (None, "needs 9 person-weeks, more than team X can give it in any quarter (5)", None),
    }
    assert a.cut_line == 1


def test_a_full_team():
    p = portfolio(item("A", effort=4), item("B", effort=4), item("C", effort=4), item("D", effort=1))
    a = run(p, Capacity.from_rows([("X", "Q1", 5), ("X", "Q2", 5)]))
    assert by_id(p, a) == {"A": ("Q1", "", None), "B": ("Q2", "", None),
                           "C": (None, "needs 4 person-weeks, team X has 2 free from Q1 to the end of the plan",
                                 None), "D": ("Q1", "", None)}
    assert a.cut_line == 3
    assert a.utilisation["used"].tolist() == [5.0, 4.0]


def test_a_reserve_and_a_cap():
    # 10 pw: tech-debt has 2 reserved, capability may use at most 5, everyone shares the other 8.
    rails = (Guardrail("tech-debt", reserve=0.2), Guardrail("capability", cap=0.5))
    p = portfolio(
        item("cap1", effort=4, category="capability"),   # shared 8 -> 4
        item("cap2", effort=2, category="capability"),   # 6 > cap 5: refused
        item("dx1", effort=4, category="dx"),            # shared 4 -> 0
        item("td1", effort=3, category="tech-debt"),     # reserve 2 + shared 0 < 3: refused
        item("td2", effort=2, category="Tech-Debt"),     # the reserve, whatever the case
        item("dx2", effort=0.5, category="dx"),          # the reserve is not dx's: refused
    )
    a = run(p, Capacity.from_rows([("X", "Q1", 10)], rails))
    funded = dict(zip(p.ids, a.funded.tolist(), strict=True))
    assert funded == {"cap1": True, "cap2": False, "dx1": True, "td1": False, "td2": True, "dx2": False}
    assert a.reason[1] == "needs 2 person-weeks, team X has 1 free from Q1 to the end of the plan"
    assert used(a, "X", "Q1") == 10
    by_cat = a.used_by_category.set_index("category")["used"].to_dict()
    assert by_cat == {"capability": 4.0, "dx": 4.0, "Tech-Debt": 2.0}


def test_a_category_uses_its_reserve_first():
    # tech-debt's 1 comes out of its reserve, so dx's 8 still finds the whole shared 8.
    rails = (Guardrail("tech-debt", reserve=0.2),)
    p = portfolio(item("td", effort=1, category="tech-debt"), item("dx", effort=8, category="dx"),
                  item("td2", effort=1.5, category="tech-debt"))
    a = run(p, Capacity.from_rows([("X", "Q1", 10)], rails))
    assert a.funded.tolist() == [True, True, False]  # 1 left in the reserve, none shared


def test_a_pool_is_shared_by_teams_without_a_row_of_their_own():
    cap = Capacity.from_rows([("X", "Q1", 3), ("*", "Q1", 4), ("", "Q2", 4)])
    p = portfolio(
        item("a", team="X", effort=3),  # X's own Q1
        item("b", team="X", effort=2),  # X's Q1 is full; X has no Q2 row, so the Q2 pool
        item("c", team="Y", effort=4),  # Y has no rows: the Q1 pool
        item("d", team="Y", effort=3),  # Q1 pool full, Q2 pool has 2 left
        item("e", team="Z", effort=2),  # the Q2 pool's last 2
    )
    a = run(p, cap)
    assert by_id(p, a) == {"a": ("Q1", "", None), "b": ("Q2", "", None), "c": ("Q1", "", None),
                           "d": (None, "needs 3 person-weeks, team Y has 2 free from Q1 to the end of the plan",
                                 None), "e": ("Q2", "", None)}
    pool = a.utilisation[a.utilisation.team == POOL]
    assert pool[["quarter", "capacity", "used", "free"]].values.tolist() == [["Q1", 4.0, 4.0, 0.0],
                                                                           ["Q2", 4.0, 4.0, 0.0]]


def test_larger_than_any_quarter_and_no_capacity():
    cap = Capacity.from_rows([("X", "Q1", 5), ("X", "Q2", 6), ("W", "Q1", 0)])
    p = portfolio(item("big", effort=7), item("nowhere", team="Z", effort=1),
                  item("zero", team="W", effort=1), item("fits", effort=6))
    a = run(p, cap)
    assert a.reason.tolist() == ["needs 7 person-weeks, more than team X can give it in any quarter (6)",
                                 "no capacity for team Z", "no capacity for team W", ""]
    assert a.quarter.tolist() == [-1, -1, -1, 1]


def test_pins():
    # C is pinned in, so it (and D, its prerequisite) go first; A is pinned out, and E waits on it.
    p = portfolio(item("A", effort=3), item("B", effort=3), item("C", effort=3, depends_on="D"),
                  item("D", effort=1), item("E", effort=0, depends_on="A"))
    a = run(p, Capacity.from_rows([("X", "Q1", 4)]), pins={"C": True, "A": False, "ghost": True})
    assert by_id(p, a) == {"A": (None, "pinned out", None),
                           "B": (None, "needs 3 person-weeks, team X has 0 free from Q1 to the end of the plan", None),
                           "C": ("Q1", "", None), "D": ("Q1", "", "C"), "E": (None, "waits on A", None)}
    assert a.cut_line == 1


def test_zero_effort_goes_to_the_earliest_allowed_quarter():
    p = portfolio(item("A", effort=0), item("B", effort=2), item("C", effort=2),
                  item("D", effort=0, depends_on="C"), item("E", team="Q", effort=0))
    a = run(p, Capacity.from_rows([("X", "Q1", 2), ("X", "Q2", 2), ("Q", "Q2", 0)]))
    assert [a.quarters[q] for q in a.quarter.tolist()] == ["Q1", "Q1", "Q2", "Q2", "Q2"]


def test_a_cycle_is_refused_without_hanging():
    p = portfolio(item("A", depends_on="B"), item("B", depends_on="A"), item("C", depends_on="C, ghost"))
    a = run(p, Capacity.from_rows([("X", "Q1", 10)]))
    assert a.reason.tolist() == ["waits on B", "waits on A", ""]


def test_a_long_chain_of_prerequisites_does_not_recurse():
    n = 5000
    records = [item(f"I{i}", effort=0.001, depends_on=f"I{i + 1}" if i + 1 < n else "") for i in range(n)]
    a = run(Portfolio.from_records(records), Capacity.from_rows([("X", "Q1", 100)]))
    assert a.funded.all()
    assert (a.pulled_in_by[1:] == 0).all() and a.pulled_in_by[0] == -1


def test_blank_team_and_case_of_team_names():
    p = portfolio(item("a", team="platform"), item("b", team=""))
    a = run(p, Capacity.from_rows([("Platform", "Q1", 1)]))
    assert a.reason.tolist() == ["", "no capacity for team (no team)"]
    assert a.utilisation.team.tolist() == ["Platform"]


def test_the_cut_line_uses_the_ranking_ranks_and_order():
    p = portfolio(item("A", effort=3), item("B", effort=3), item("C", effort=1))
    a = run(p, Capacity.from_rows([("X", "Q1", 4)]), order=[2, 1, 0])
    assert a.funded.tolist() == [False, True, True] and a.cut_line == 3


def test_empty_portfolio_and_empty_capacity():
    a = run(portfolio(), Capacity.empty())
    assert len(a.funded) == 0 and a.cut_line is None and a.quarters == ()
    a = run(portfolio(item("A")), Capacity.empty())
    assert a.reason.tolist() == ["no capacity for team X"] and a.cut_line == 1


def test_invalid_guardrails_are_a_capacity_error():
    cap = Capacity.from_rows([("X", "Q1", 1)], (Guardrail("a", 0.7), Guardrail("b", 0.6)))
    with pytest.raises(CapacityError, match="more than 100%"):
        run(portfolio(item("A")), cap)


def test_given_prerequisites_match_the_ones_read_from_depends_on():
    p = portfolio(item("A", depends_on="B"), item("B", effort=9), item("C", depends_on="A; B"))
    cap = Capacity.from_rows([("X", "Q1", 5)])

    class Graph:  # the shape of a DependencyGraph
        indptr, indices = prerequisite_csr(p)

    r = ranking_of(3)
    mine, given_ = allocate(p, r, cap, planning=ONE), allocate(p, r, cap, prerequisites=Graph(), planning=ONE)
    assert mine.reason.tolist() == given_.reason.tolist() == [
        "waits on B", "needs 9 person-weeks, more than team X can give it in any quarter (5)", "waits on A"]
    pair = allocate(p, r, cap, prerequisites=(np.array([0, 1, 2, 4]), np.array([1, 1, 0, 2])), planning=ONE)
    assert pair.reason.tolist()[2] == "waits on A"


def test_an_allocator_runs_again_with_other_orders():
    p = portfolio(item("A", effort=3), item("B", effort=2, depends_on="C"), item("C", effort=2))
    cap = Capacity.from_rows([("X", "Q1", 4), ("X", "Q2", 2)])
    allocator = Allocator(p, cap, planning=ONE)
    for order in ([0, 1, 2], [2, 1, 0], [1, 0, 2]):
        fresh = run(p, cap, order=order)
        again = allocator.run(np.array(order))
        assert again.quarter.tolist() == fresh.quarter.tolist()
        assert again.reason.tolist() == fresh.reason.tolist()
        assert allocator.funded_only(np.array(order)).tolist() == fresh.funded.tolist()


# -- a reference implementation, written straight from the rules ---------------------------
def reference(p: Portfolio, order, capacity: Capacity, pins=None, planning: Planning = ONE) -> dict:
    n, quarters = len(p), capacity.quarters
    nq = len(quarters)
    span, share = max(1, min(planning.max_span_quarters, nq)), planning.max_share_per_quarter
    ids, teams, cats, effort = list(p.ids), list(p.text("team")), list(p.text("category")), p.numeric("effort")
    names = {q.casefold(): i for i, q in enumerate(quarters)}
    due = [names.get(t.strip().casefold()) for t in p.text("quarter")]  # the tests' plans name quarters
    caps: dict = defaultdict(float)
    for t, q, c in capacity.table.itertuples(index=False):
        caps[(t.casefold(), quarters.index(q))] += c
    rails = {g.category.casefold(): g for g in capacity.guardrails}
    use: dict = defaultdict(lambda: defaultdict(float))
    pos = {row: i for i, row in enumerate(order)}
    prereqs = []
    for i, text in enumerate(p.text("depends_on")):
        rows = {p.row_of_id[d] for d in split_list(text) if d in p.row_of_id} - {i}
        prereqs.append(sorted(rows, key=pos.__getitem__))
    out = {"quarter": [-1] * n, "finish": [-1] * n, "reason": [""] * n, "pulled": [-1] * n,
           "placed": [[] for _ in range(n)]}
    done: dict[int, bool] = {}
    active: set[int] = set()

    def slot(team: str, q: int):
        key = team.casefold()
        return (key, q) if key and (key, q) in caps else ("", q) if ("", q) in caps else None

    def room(s, cat: str) -> float:
        """What one more initiative of `cat` may still take of team-quarter s."""
        if s is None:
            return 0.0
        whole, key = caps[s], cat.casefold()
        reserved = {k: g.reserve * whole for k, g in rails.items()}
        shared_left = whole - sum(reserved.values()) - sum(
            max(0.0, v - reserved.get(k, 0.0)) for k, v in use[s].items())
        free = max(0.0, reserved.get(key, 0.0) - use[s][key]) + shared_left
        g = rails.get(key)
        if g is not None and g.cap is not None:
            free = min(free, g.cap * whole - use[s][key])
        return max(0.0, min(free, share * whole))

    def refuse(x, why):
        done[x], out["reason"][x] = False, why

    def place(x: int, w: int) -> None:
        if x in done:
            return
        if not effort[x] >= 0:
            return refuse(x, "no effort estimate")
        active.add(x)
        lo = 0
        for pre in prereqs[x]:
            if pre in active:
                active.discard(x)
                return refuse(x, f"waits on {ids[pre]}")
            place(pre, w)
            if not done[pre]:
                active.discard(x)
                return refuse(x, f"waits on {ids[pre]}")
            lo = max(lo, out["finish"][pre])
        active.discard(x)
        e, cat, team = effort[x], cats[x], teams[x]
        hi = min(due[x], nq - 1) if planning.hard_due_dates and due[x] is not None else nq - 1

        def funded(start, amounts):
            for k, amount in enumerate(amounts):
                if slot(team, start + k) is not None:
                    use[slot(team, start + k)][cat.casefold()] += amount
            done[x], out["quarter"][x], out["finish"][x] = True, start, start + len(amounts) - 1
            out["placed"][x] = list(amounts)
            if x != w:
                out["pulled"][x] = w

        if e <= 1e-9:  # the first quarter from lo in which the team has a row or a pool
            for q in range(lo, hi + 1):
                if slot(team, q) is not None:
                    return funded(q, [e])
        else:
            for start in range(lo, hi + 1):  # the earliest window that can hold it, filled in turn
                rooms = [room(slot(team, q), cat) for q in range(start, min(start + span, hi + 1))]
                if rooms[0] <= 1e-9:
                    continue
                for k in range(len(rooms)):
                    if e <= sum(rooms[:k + 1]) + 1e-9:
                        return funded(start, rooms[:k] + [e - sum(rooms[:k])])
        label = team or "(no team)"
        whole = [share * caps[s] if (s := slot(team, q)) is not None else 0.0 for q in range(nq)]
        top = max((sum(whole[i:i + span]) for i in range(max(nq - span + 1, 1))), default=0.0)
        if top <= 0:
            return refuse(x, f"no capacity for team {label}")
        any_q = "in any quarter" if span == 1 else f"in any {span} consecutive quarters"
        if e > top + 1e-9:
            return refuse(x, f"needs {_pw(e)}, more than team {label} can give it {any_q} ({_pw(top, unit=False)})")
        rooms = [room(slot(team, q), cat) for q in range(nq)]
        total = sum(rooms[lo:hi + 1])
        most = max((sum(rooms[i:min(i + span, hi + 1)]) for i in range(lo, hi + 1) if rooms[i] > 1e-9),
                   default=0.0)
        one = "in any one quarter" if span == 1 else any_q
        if hi < nq - 1:
            head = f"cannot finish by its due quarter {quarters[due[x]]}"
            if lo > hi:
                return refuse(x, f"{head}: its prerequisites finish in {quarters[lo]}")
            if e > total + 1e-9:
                return refuse(x, f"{head}: needs {_pw(e, short=True)}, team {label} has {_pw(total, unit=False)} free by then")
            return refuse(x, f"{head}: needs {_pw(e, short=True)}, team {label} has at most "
                             f"{_pw(most, unit=False)} free {one} by then")
        if e > total + 1e-9 or e <= 1e-9:
            return refuse(x, f"needs {_pw(e)}, team {label} has {_pw(total, unit=False)} free from "
                             f"{quarters[lo]} to the end of the plan")
        return refuse(x, f"needs {_pw(e)}, team {label} has at most {_pw(most, unit=False)} free {one} "
                         f"from {quarters[lo]}")

    for ident, pin in (pins or {}).items():
        if not pin and ident in p.row_of_id:
            refuse(p.row_of_id[ident], "pinned out")
    pinned = sorted((p.row_of_id[i] for i, pin in (pins or {}).items() if pin and i in p.row_of_id),
                    key=pos.__getitem__)
    for x in pinned + list(order):
        place(x, x)
    unfunded = [i for i, row in enumerate(order) if not done[row]]
    out["cut_line"] = unfunded[0] + 1 if unfunded else None
    out["late"] = [done[x] and due[x] is not None and out["finish"][x] > due[x] for x in range(n)]
    return out


@st.composite
def cases(draw, max_n: int = 10, planning: bool = True):
    specs = draw(st.lists(st.tuples(
        st.sampled_from(["A", "A", "A", "B", "c", "D", ""]),
        st.sampled_from([None, -1.0, 0.0, 0.5, 1.0, 2.0, 2.0, 3.0, 3.0, 5.0, 8.0, 13.0, 20.0]),
        st.sampled_from(["rel", "cap", "dx", "", "rel", "cap"]),
        st.lists(st.integers(0, max_n), max_size=3),  # max_n and beyond: an unknown id
        st.sampled_from(["", "", "", "Q1", "Q2", "q3", "2020-Q1"]),  # a due quarter (or none)
    ), min_size=min(4, max_n), max_size=max_n))
    n = len(specs)
    ids = [f"I{i}" for i in range(n)]
    records = [item(ids[i], team=team, effort=effort, category=category,
                    depends_on=", ".join(ids[d] if d < n else "ghost" for d in deps), due=due)
               for i, (team, effort, category, deps, due) in enumerate(specs)]
    grid = [(t, q) for q in ("Q1", "Q2", "Q3") for t in ("A", "B", "C", "*")]
    amounts = draw(st.lists(st.sampled_from([None, None, 0.0, 2.5, 4.0, 6.0, 10.0, 10.0]),
                            min_size=len(grid), max_size=len(grid)))
    rows = [(t, q, c) for (t, q), c in zip(grid, amounts, strict=True) if c is not None]
    rails = []
    if draw(st.booleans()):
        reserve = draw(st.sampled_from([0.0, 0.2, 0.5]))
        rails.append(Guardrail("Rel", reserve=reserve, cap=draw(st.sampled_from([None, 0.5, 0.8]))))
    if draw(st.booleans()):
        rails.append(Guardrail("cap", reserve=draw(st.sampled_from([0.0, 0.3])),
                               cap=draw(st.sampled_from([None, 0.3, 0.5]))))
    order = draw(st.permutations(range(n)))
    pins = draw(st.dictionaries(st.sampled_from(ids + ["ghost"]), st.booleans(), max_size=2))
    plan = Planning(draw(st.sampled_from([1, 2, 3, 4])), draw(st.sampled_from([1.0, 1.0, 0.5, 0.3])),
                    draw(st.booleans())) if planning else ONE
    return Portfolio.from_records(records), Capacity.from_rows(rows, rails), list(order), pins, plan


@settings(max_examples=200)
@given(cases())
def test_the_walk_matches_a_plain_reading_of_the_rules(case):
    p, capacity, order, pins, planning = case
    a = run(p, capacity, order=order, pins=pins, planning=planning)
    expected = reference(p, order, capacity, pins, planning)
    assert a.reason.tolist() == expected["reason"]
    assert a.quarter.tolist() == expected["quarter"]
    assert a.finish.tolist() == expected["finish"]
    assert a.pulled_in_by.tolist() == expected["pulled"]
    assert a.cut_line == expected["cut_line"]
    assert a.funded.tolist() == [q >= 0 for q in expected["quarter"]]
    assert a.late.tolist() == expected["late"]
    for row in range(len(p)):
        placed = [pw for _, pw in a.quarters_of(row)]
        assert np.allclose(placed, expected["placed"][row], atol=1e-6)


@settings(max_examples=60)
@given(cases(max_n=40))
def test_no_quarter_is_overspent_and_nothing_comes_before_its_prerequisites(case):
    p, capacity, order, pins, planning = case
    a = run(p, capacity, order=order, pins=pins, planning=planning)
    u = a.utilisation
    assert (u.used <= u.capacity + 1e-6).all()
    assert np.allclose(u.free, u.capacity - u.used)
    by_cat = a.used_by_category
    assert np.allclose(by_cat.groupby(["team", "quarter"], sort=False)["used"].sum().sum(), u.used.sum())
    rails = {g.category.casefold(): g for g in capacity.guardrails}
    whole = {(t, q): c for t, q, c in u[["team", "quarter", "capacity"]].itertuples(index=False)}
    beyond: dict = defaultdict(float)
    for team, quarter, category, amount in by_cat.itertuples(index=False):
        g = rails.get(category.casefold())
        c = whole[(team, quarter)]
        if g is not None and g.cap is not None:
            assert amount <= g.cap * c + 1e-6  # no category over its cap
        beyond[(team, quarter)] += max(0.0, amount - (g.reserve * c if g else 0.0))
    reserved = sum(g.reserve for g in capacity.guardrails)
    for key, amount in beyond.items():  # a reserve is only its category's
        assert amount <= whole[key] * (1 - reserved) + 1e-6
    effort = p.numeric("effort")
    span = max(1, min(planning.max_span_quarters, len(a.quarters)))
    for row in range(len(p)):
        quarters = a.span_quarter[a.span_ptr[row]:a.span_ptr[row + 1]].tolist()
        pw = a.span_pw[a.span_ptr[row]:a.span_ptr[row + 1]]
        if not a.funded[row]:
            assert quarters == [] and a.quarter[row] == a.finish[row] == -1
            continue
        # consecutive quarters from the first to the finish, at most the span, effort placed once
        assert quarters == list(range(a.quarter[row], a.finish[row] + 1))
        assert 1 <= len(quarters) <= span
        assert math.isclose(pw.sum(), effort[row], abs_tol=1e-6) and (pw >= -1e-9).all()
        assert pw[0] > 0 or effort[row] <= 1e-9
        # no more of one team-quarter than the share limit
        for q, amount in zip(quarters, pw.tolist(), strict=True):
            team = p.text("team")[row]
            own = u[(u.team.str.casefold() == team.casefold()) & (u.quarter == a.quarters[q])]
            if team and len(own):
                assert amount <= planning.max_share_per_quarter * own.capacity.iloc[0] + 1e-6
        if planning.hard_due_dates:
            assert not a.late[row]
        assert a.late[row] == (a.finish[row] > a.due[row])
    csr = prerequisite_csr(p)
    for row in np.flatnonzero(a.funded):
        for pre in csr[1][csr[0][row]:csr[0][row + 1]]:
            # a prerequisite finishes no later than its dependant starts
            assert a.funded[pre] and a.finish[pre] <= a.quarter[row]
    for why in a.reason:
        if why.startswith("waits on "):
            assert not a.funded[p.row_of_id[why[len("waits on "):]]]
    ranked = a.funded[np.asarray(order, dtype=np.int64)]
    if a.cut_line is None:
        assert ranked.all()
    else:
        assert ranked[: a.cut_line - 1].all() and not ranked[a.cut_line - 1]
    assert math.isclose(u.used.sum(), np.nansum(effort[a.funded]), abs_tol=1e-6)


def worked_example():
    specs = [("A", "Platform", "capability", 5, "C"), ("B", "Platform", "tech-debt", 2, ""),
             ("C", "Data", "reliability", 3, ""), ("D", "Platform", "capability", 4, ""),
             ("E", "Data", "dx", 5, ""), ("F", "Platform", "dx", 12, ""), ("G", "Data", "dx", 2, ""),
             ("H", "Mobile", "dx", None, ""), ("I", "Platform", "dx", 3, "H"), ("J", "Data", "dx", 1, "")]
    p = portfolio(*(item(i, team, effort, category, deps) for i, team, category, effort, deps in specs))
    cap = Capacity.from_rows(
        [("Platform", "2025-Q1", 10), ("Platform", "2025-Q2", 10), ("Data", "2025-Q1", 4), ("*", "2025-Q2", 6)],
        (Guardrail("tech-debt", 0.2), Guardrail("capability", cap=0.5)))
    return p, cap


def test_the_worked_example_in_docs_capacity():
    p, cap = worked_example()
    a = run(p, cap)  # whole quarters: max_span_quarters = 1
    placed = by_id(p, a)
    assert {i: placed[i][0] for i in placed} == {
        "A": "2025-Q1", "B": "2025-Q1", "C": "2025-Q1", "D": "2025-Q2", "E": None, "F": None,
        "G": "2025-Q2", "H": None, "I": None, "J": "2025-Q2"}
    assert placed["C"][2] == "A" and a.cut_line == 5
    assert [placed[i][1] for i in "EFHI"] == [
        "needs 5 person-weeks, team Data has at most 4.8 free in any one quarter from 2025-Q1",
        "needs 12 person-weeks, more than team Platform can give it in any quarter (10)",
        "no effort estimate", "waits on H"]
    assert a.utilisation[["used", "free"]].values.tolist() == [[7, 3], [4, 6], [3, 1], [3, 3]]


def test_the_worked_example_in_docs_capacity_with_spans():
    p, cap = worked_example()
    a = run(p, cap, planning=Planning())  # the defaults: up to 4 quarters, all of a quarter
    assert [a.quarters_of(r) for r in range(5)] == [
        [("2025-Q1", 5.0)], [("2025-Q1", 2.0)], [("2025-Q1", 3.0)], [("2025-Q2", 4.0)],
        [("2025-Q1", pytest.approx(0.2)), ("2025-Q2", 4.8)]]
    assert a.reason.tolist()[5:] == [
        "needs 12 person-weeks, team Platform has 7 free from 2025-Q1 to the end of the plan",
        "needs 2 person-weeks, team Data has 0 free from 2025-Q1 to the end of the plan",
        "no effort estimate", "waits on H",
        "needs 1 person-week, team Data has 0 free from 2025-Q1 to the end of the plan"]
    assert a.cut_line == 6
    assert np.allclose(a.utilisation[["used", "free"]].values, [[7, 3], [4, 6], [3.2, 0.8], [4.8, 1.2]])


def migration_example(**planning):
    p = portfolio(item("M", team="Data", effort=26), item("R", team="Data", effort=3, depends_on="M", due="2027-Q3"),
                  item("S", team="Data", effort=6, due="2027-Q2"), item("N", team="Data", effort=26))
    cap = Capacity.from_rows([("Data", f"2027-Q{k}", 10) for k in range(1, 5)])
    return p, run(p, cap, planning=Planning(**planning))


def test_the_migration_example_in_docs_capacity():
    p, a = migration_example()
    assert [a.quarters_of(r) for r in range(4)] == [
        [("2027-Q1", 10.0), ("2027-Q2", 10.0), ("2027-Q3", 6.0)], [("2027-Q3", 3.0)],
        [("2027-Q3", 1.0), ("2027-Q4", 5.0)], []]
    assert a.quarter.tolist() == [0, 2, 2, -1] and a.finish.tolist() == [2, 2, 3, -1]
    assert a.late.tolist() == [False, False, True, False]
    assert a.due_quarter.tolist() == ["", "2027-Q3", "2027-Q2", ""]
    assert a.reason[3] == "needs 26 person-weeks, team Data has 5 free from 2027-Q1 to the end of the plan"
    assert a.utilisation.used.tolist() == [10, 10, 10, 5]
    _, hard = migration_example(hard_due_dates=True)
    assert hard.reason.tolist() == [
        "", "", "cannot finish by its due quarter 2027-Q2: needs 6 pw, team Data has 0 free by then",
        "needs 26 person-weeks, team Data has 11 free from 2027-Q1 to the end of the plan"]
    assert not hard.late.any()
    _, half = migration_example(max_share_per_quarter=0.5)
    assert half.reason[0] == "needs 26 person-weeks, more than team Data can give it in any 4 consecutive quarters (20)"
    assert half.reason[1] == "waits on M"
    assert [half.quarters_of(r) for r in (2, 3)] == [[("2027-Q1", 5.0), ("2027-Q2", 1.0)], []]
    _, three = migration_example(max_span_quarters=2)
    assert three.reason[0] == "needs 26 person-weeks, more than team Data can give it in any 2 consecutive quarters (20)"


# -- spans, guardrails with spans, due quarters: by hand -------------------------------------
def test_work_waits_in_a_full_quarter_and_that_quarter_counts_towards_the_span():
    # B waits for P, which Y can only do in Q2, so B fills X's Q2; X has 10, 0 and 10 free.
    p = portfolio(item("A", effort=15), item("B", effort=10, depends_on="P"), item("P", team="Y", effort=1))
    cap = Capacity.from_rows([("X", f"Q{k}", 10) for k in (1, 2, 3)] + [("Y", "Q2", 5)])
    a = run(p, cap, order=[1, 2, 0], planning=Planning())
    assert a.quarters_of(2) == [("Q2", 1.0)] and a.quarters_of(1) == [("Q2", 10.0)]
    assert a.quarters_of(0) == [("Q1", 10.0), ("Q2", 0.0), ("Q3", 5.0)]  # its work waits in Q2
    assert a.quarter[0] == 0 and a.finish[0] == 2
    # Within 2 consecutive quarters it has at most 10, though 20 are free in all.
    a = run(p, cap, order=[1, 2, 0], planning=Planning(max_span_quarters=2))
    assert a.reason[0] == "needs 15 person-weeks, team X has at most 10 free in any 2 consecutive quarters from Q1"
    a = run(p, cap, order=[1, 2, 0], planning=Planning(max_span_quarters=1))
    assert a.reason[0] == "needs 15 person-weeks, more than team X can give it in any quarter (10)"


def test_guardrails_hold_in_every_quarter_of_a_span():
    # capability may use 50% of each 10-pw quarter: 12 pw of capability runs 5 + 5 + 2;
    # tech-debt's reserve of 2 stays closed to dx in every quarter of dx's span.
    rails = (Guardrail("tech-debt", reserve=0.2), Guardrail("capability", cap=0.5))
    p = portfolio(item("cap", effort=12, category="capability"), item("dx", effort=12, category="dx"),
                  item("td", effort=6, category="tech-debt"))
    a = run(p, Capacity.from_rows([("X", f"Q{k}", 10) for k in (1, 2, 3)], rails), planning=Planning())
    assert a.quarters_of(0) == [("Q1", 5.0), ("Q2", 5.0), ("Q3", 2.0)]
    assert a.quarters_of(1) == [("Q1", 3.0), ("Q2", 3.0), ("Q3", 6.0)]
    assert a.quarters_of(2) == [("Q1", 2.0), ("Q2", 2.0), ("Q3", 2.0)]
    assert a.utilisation.used.tolist() == [10.0, 10.0, 10.0]


def test_a_dependent_starts_in_the_quarter_its_last_prerequisite_finishes():
    # P runs Q1 to Q2 (8 + 4); D (needs P) starts in Q2, though Q1 is where the team had room
    # before P; E has no prerequisite and still fits Q1's... nothing: it goes to Q2 as well.
    p = portfolio(item("D", effort=6, depends_on="P"), item("P", effort=12), item("E", effort=1))
    a = run(p, Capacity.from_rows([("X", "Q1", 8), ("X", "Q2", 8), ("X", "Q3", 8)]), planning=Planning())
    assert a.quarters_of(1) == [("Q1", 8.0), ("Q2", 4.0)]
    assert a.quarters_of(0) == [("Q2", 4.0), ("Q3", 2.0)] and a.pulled_in_by[1] == 0
    assert a.quarters_of(2) == [("Q3", 1.0)]


def test_a_span_over_own_rows_and_the_pool():
    # Y has a row in Q1 only; in Q2 it draws on the pool, so its 7 runs 4 + 3.
    p = portfolio(item("A", team="Y", effort=7))
    a = run(p, Capacity.from_rows([("Y", "Q1", 4), ("*", "Q2", 5)]), planning=Planning())
    assert a.quarters_of(0) == [("Q1", 4.0), ("Q2", 3.0)]
    assert a.utilisation[["team", "used"]].values.tolist() == [["Y", 4.0], ["", 3.0]]


def test_the_share_limit_keeps_room_for_others():
    p = portfolio(item("big", effort=12), item("small", effort=4))
    a = run(p, Capacity.from_rows([("X", "Q1", 8), ("X", "Q2", 8)]), planning=Planning(max_share_per_quarter=0.75))
    assert a.quarters_of(0) == [("Q1", 6.0), ("Q2", 6.0)]
    assert a.quarters_of(1) == [("Q1", 2.0), ("Q2", 2.0)]


def test_due_quarters_late_and_hard():
    p = portfolio(item("A", effort=10), item("B", effort=5, due="2025-Q1"), item("C", effort=1, due="2024-Q4"),
                  item("D", effort=1, depends_on="A", due="2025-Q1"), item("E", effort=1, due="2026-Q3"),
                  item("F", effort=1, due="31/Mar/25"), item("G", effort=1, due="soon"))
    cap = Capacity.from_rows([("X", "2025-Q1", 10), ("X", "2025-Q2", 10)])
    soft = run(p, cap, planning=Planning())
    assert soft.due.tolist()[:6] == [soft.due[0], 0, -1, 0, 2, 0] and soft.due_quarter[5] == "2025-Q1"
    assert soft.due_quarter[6] == "" and soft.due[6] == soft.due[0]  # not a quarter: no due quarter
    assert soft.late.tolist() == [False, True, True, True, False, True, False]
    hard = run(p, cap, planning=Planning(hard_due_dates=True))
    assert hard.reason.tolist() == [
        "", "cannot finish by its due quarter 2025-Q1: needs 5 pw, team X has 0 free by then",
        "cannot finish by its due quarter 2024-Q4, which comes before the plan's first quarter 2025-Q1",
        "cannot finish by its due quarter 2025-Q1: needs 1 pw, team X has 0 free by then",  # A filled Q1
        "", "cannot finish by its due quarter 2025-Q1: needs 1 pw, team X has 0 free by then", ""]
    assert hard.funded.tolist() == [True, False, False, False, True, False, True]
    assert not hard.late.any()


def test_a_hard_due_quarter_before_the_prerequisites_finish():
    p = portfolio(item("P", effort=15), item("D", effort=1, depends_on="P", due="2025-Q1"))
    a = run(p, Capacity.from_rows([("X", "2025-Q1", 10), ("X", "2025-Q2", 10)]),
            planning=Planning(hard_due_dates=True))
    assert a.reason.tolist() == ["", "cannot finish by its due quarter 2025-Q1: its prerequisites finish in 2025-Q2"]


def test_planning_settings_are_checked_and_stored_with_defaults():
    assert Planning() == Planning.from_dict({})
    assert Planning.from_dict(None) == Planning(1)  # a scenario saved before planning keeps whole quarters
    assert Planning.from_dict(Planning(2, 0.5, True).to_dict()) == Planning(2, 0.5, True)
    for bad in (dict(max_span_quarters=0), dict(max_share_per_quarter=0.0), dict(max_share_per_quarter=1.5),
                dict(max_span_quarters=1.5)):
        with pytest.raises(CapacityError):
            Planning(**bad)
