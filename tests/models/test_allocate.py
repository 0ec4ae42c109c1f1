"""The allocation walk: hand-worked allocations, a reference implementation, and invariants."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.allocate import Allocator, allocate, prerequisite_csr
from models.capacity import POOL, Capacity, Guardrail
from models.errors import CapacityError
from models.portfolio import Portfolio, split_list
from models.ranking import Ranking


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


def item(ident, team="X", effort=1.0, category="", depends_on=""):
    return dict(id=ident, team=team, effort=effort, category=category, depends_on=depends_on)


def run(p: Portfolio, capacity: Capacity, order=None, pins=None):
    return allocate(p, ranking_of(len(p), order), capacity, pins=pins)


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
        "P2": (None, "larger than any quarter's capacity for team X", None),
    }
    assert a.cut_line == 1


def test_a_full_team():
    p = portfolio(item("A", effort=4), item("B", effort=4), item("C", effort=4), item("D", effort=1))
    a = run(p, Capacity.from_rows([("X", "Q1", 5), ("X", "Q2", 5)]))
    assert by_id(p, a) == {"A": ("Q1", "", None), "B": ("Q2", "", None),
                           "C": (None, "no capacity left for team X", None), "D": ("Q1", "", None)}
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
    assert a.reason[1] == "no capacity left for team X"
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
                           "d": (None, "no capacity left for team Y", None), "e": ("Q2", "", None)}
    pool = a.utilisation[a.utilisation.team == POOL]
    assert pool[["quarter", "capacity", "used", "free"]].values.tolist() == [["Q1", 4.0, 4.0, 0.0],
                                                                           ["Q2", 4.0, 4.0, 0.0]]


def test_larger_than_any_quarter_and_no_capacity():
    cap = Capacity.from_rows([("X", "Q1", 5), ("X", "Q2", 6), ("W", "Q1", 0)])
    p = portfolio(item("big", effort=7), item("nowhere", team="Z", effort=1),
                  item("zero", team="W", effort=1), item("fits", effort=6))
    a = run(p, cap)
    assert a.reason.tolist() == ["larger than any quarter's capacity for team X",
                                 "no capacity for team Z", "no capacity for team W", ""]
    assert a.quarter.tolist() == [-1, -1, -1, 1]


def test_pins():
    # C is pinned in, so it (and D, its prerequisite) go first; A is pinned out, and E waits on it.
    p = portfolio(item("A", effort=3), item("B", effort=3), item("C", effort=3, depends_on="D"),
                  item("D", effort=1), item("E", effort=0, depends_on="A"))
    a = run(p, Capacity.from_rows([("X", "Q1", 4)]), pins={"C": True, "A": False, "ghost": True})
    assert by_id(p, a) == {"A": (None, "pinned out", None), "B": (None, "no capacity left for team X", None),
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
    mine, given_ = allocate(p, r, cap), allocate(p, r, cap, prerequisites=Graph())
    assert mine.reason.tolist() == given_.reason.tolist() == ["waits on B", "larger than any quarter's capacity for team X", "waits on A"]
    pair = allocate(p, r, cap, prerequisites=(np.array([0, 1, 2, 4]), np.array([1, 1, 0, 2])))  # C names itself
    assert pair.reason.tolist()[2] == "waits on A"


def test_an_allocator_runs_again_with_other_orders():
    p = portfolio(item("A", effort=3), item("B", effort=2, depends_on="C"), item("C", effort=2))
    cap = Capacity.from_rows([("X", "Q1", 4), ("X", "Q2", 2)])
    allocator = Allocator(p, cap)
    for order in ([0, 1, 2], [2, 1, 0], [1, 0, 2]):
        fresh = run(p, cap, order=order)
        again = allocator.run(np.array(order))
        assert again.quarter.tolist() == fresh.quarter.tolist()
        assert again.reason.tolist() == fresh.reason.tolist()
        assert allocator.funded_only(np.array(order)).tolist() == fresh.funded.tolist()


# -- a reference implementation, written straight from the rules ---------------------------
def reference(p: Portfolio, order, capacity: Capacity, pins=None) -> dict:
    n, quarters = len(p), capacity.quarters
    ids, teams, cats, effort = list(p.ids), list(p.text("team")), list(p.text("category")), p.numeric("effort")
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
    out = {"quarter": [-1] * n, "reason": [""] * n, "pulled": [-1] * n}
    done: dict[int, bool] = {}
    active: set[int] = set()

    def slot(team: str, q: int):
        key = team.casefold()
        return (key, q) if key and (key, q) in caps else ("", q) if ("", q) in caps else None

    def fits(s, cat: str, e: float) -> bool:
        whole, after = caps[s], dict(use[s])
        after[cat.casefold()] = after.get(cat.casefold(), 0.0) + e
        reserved = {k: g.reserve * whole for k, g in rails.items()}
        g = rails.get(cat.casefold())
        if g is not None and g.cap is not None and after[cat.casefold()] > g.cap * whole + 1e-9:
            return False
        beyond = sum(max(0.0, v - reserved.get(k, 0.0)) for k, v in after.items())
        return beyond <= whole - sum(reserved.values()) + 1e-9

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
            lo = max(lo, out["quarter"][pre])
        active.discard(x)
        for q in range(lo, len(quarters)):
            s = slot(teams[x], q)
            if s is not None and fits(s, cats[x], effort[x]):
                use[s][cats[x].casefold()] += effort[x]
                done[x], out["quarter"][x] = True, q
                if x != w:
                    out["pulled"][x] = w
                return
        whole = [caps[s] for q in range(len(quarters)) if (s := slot(teams[x], q)) is not None]
        team = teams[x] or "(no team)"
        if not whole or max(whole) <= 0:
            return refuse(x, f"no capacity for team {team}")
        if effort[x] > max(whole) + 1e-9:
            return refuse(x, f"larger than any quarter's capacity for team {team}")
        return refuse(x, f"no capacity left for team {team}")

    for ident, pin in (pins or {}).items():
        if not pin and ident in p.row_of_id:
            refuse(p.row_of_id[ident], "pinned out")
    pinned = sorted((p.row_of_id[i] for i, pin in (pins or {}).items() if pin and i in p.row_of_id),
                    key=pos.__getitem__)
    for x in pinned + list(order):
        place(x, x)
    unfunded = [i for i, row in enumerate(order) if not done[row]]
    out["cut_line"] = unfunded[0] + 1 if unfunded else None
    return out


@st.composite
def cases(draw, max_n: int = 10):
    specs = draw(st.lists(st.tuples(
        st.sampled_from(["A", "A", "A", "B", "c", "D", ""]),
        st.sampled_from([None, -1.0, 0.0, 0.5, 1.0, 2.0, 2.0, 3.0, 3.0, 5.0, 8.0]),
        st.sampled_from(["rel", "cap", "dx", "", "rel", "cap"]),
        st.lists(st.integers(0, max_n), max_size=3),  # max_n and beyond: an unknown id
    ), min_size=min(4, max_n), max_size=max_n))
    n = len(specs)
    ids = [f"I{i}" for i in range(n)]
    records = [item(ids[i], team=team, effort=effort, category=category,
                    depends_on=", ".join(ids[d] if d < n else "ghost" for d in deps))
               for i, (team, effort, category, deps) in enumerate(specs)]
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
    return Portfolio.from_records(records), Capacity.from_rows(rows, rails), list(order), pins


@settings(max_examples=150)
@given(cases())
def test_the_walk_matches_a_plain_reading_of_the_rules(case):
    p, capacity, order, pins = case
    a = run(p, capacity, order=order, pins=pins)
    expected = reference(p, order, capacity, pins)
    assert a.reason.tolist() == expected["reason"]
    assert a.quarter.tolist() == expected["quarter"]
    assert a.pulled_in_by.tolist() == expected["pulled"]
    assert a.cut_line == expected["cut_line"]
    assert a.funded.tolist() == [q >= 0 for q in expected["quarter"]]


@settings(max_examples=50)
@given(cases(max_n=40))
def test_no_quarter_is_overspent_and_nothing_comes_before_its_prerequisites(case):
    p, capacity, order, pins = case
    a = run(p, capacity, order=order, pins=pins)
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
    csr = prerequisite_csr(p)
    for row in np.flatnonzero(a.funded):
        for pre in csr[1][csr[0][row]:csr[0][row + 1]]:
            assert a.funded[pre] and a.quarter[pre] <= a.quarter[row]
    for why in a.reason:
        if why.startswith("waits on "):
            assert not a.funded[p.row_of_id[why[len("waits on "):]]]
    ranked = a.funded[np.asarray(order, dtype=np.int64)]
    if a.cut_line is None:
        assert ranked.all()
    else:
        assert ranked[: a.cut_line - 1].all() and not ranked[a.cut_line - 1]
    assert math.isclose(u.used.sum(), np.nansum(p.numeric("effort")[a.funded]), abs_tol=1e-6)


def test_the_worked_example_in_docs_capacity():
    specs = [("A", "Platform", "capability", 5, "C"), ("B", "Platform", "tech-debt", 2, ""),
             ("C", "Data", "reliability", 3, ""), ("D", "Platform", "capability", 4, ""),
             ("E", "Data", "dx", 5, ""), ("F", "Platform", "dx", 12, ""), ("G", "Data", "dx", 2, ""),
             ("H", "Mobile", "dx", None, ""), ("I", "Platform", "dx", 3, "H"), ("J", "Data", "dx", 1, "")]
    p = portfolio(*(item(i, team, effort, category, deps) for i, team, category, effort, deps in specs))
    cap = Capacity.from_rows(
        [("Platform", "2025-Q1", 10), ("Platform", "2025-Q2", 10), ("Data", "2025-Q1", 4), ("*", "2025-Q2", 6)],
        (Guardrail("tech-debt", 0.2), Guardrail("capability", cap=0.5)))
    a = run(p, cap)
    placed = by_id(p, a)
    assert {i: placed[i][0] for i in placed} == {
        "A": "2025-Q1", "B": "2025-Q1", "C": "2025-Q1", "D": "2025-Q2", "E": None, "F": None,
        "G": "2025-Q2", "H": None, "I": None, "J": "2025-Q2"}
    assert placed["C"][2] == "A" and a.cut_line == 5
    assert [placed[i][1] for i in "EFHI"] == [
        "no capacity left for team Data", "larger than any quarter's capacity for team Platform",
        "no effort estimate", "waits on H"]
    assert a.utilisation[["used", "free"]].values.tolist() == [[7, 3], [4, 6], [3, 1], [3, 3]]
