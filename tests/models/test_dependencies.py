"""The dependency graph: reading depends_on, unknown ids, order, cycles and teams unblocked."""

import numpy as np
import pytest
from cutline.models.errors import DependencyCycleError
from cutline.models.portfolio.dependencies import DependencyGraph, split_cells, teams_unblocked
from cutline.models.portfolio.portfolio import Portfolio
from hypothesis import given
from hypothesis import strategies as st


def portfolio(rows, sheet="Initiatives"):
    return Portfolio.from_records(
        [dict(zip(("id", "team", "depends_on", "unblocks"), r)) for r in rows], sheet=sheet
    )


def prerequisites(graph):
    return [graph.prerequisites_of(i).tolist() for i in range(len(graph))]


# -- reading ---------------------------------------------------------------------------------
def test_prerequisites_are_kept_in_the_order_written():
    p = portfolio([("A", "", "", ""), ("B", "", "", ""), ("C", "", "B, A", ""), ("D", "", "A;C", "")])
    g = DependencyGraph.from_portfolio(p)
    assert g.indptr.tolist() == [0, 0, 0, 2, 4]
    assert prerequisites(g) == [[], [], [1, 0], [0, 2]]
    assert g.unknown == ()


def test_unknown_ids_and_self_references_are_reported_not_followed():
    p = portfolio([("A", "", "A", ""), ("B", "", "A, X-9,, A-1 ; B", ""), ("C", "", " ;", "")])
    g = DependencyGraph.from_portfolio(p)
    assert prerequisites(g) == [[], [0], []]
    assert g.unknown == ((0, "A"), (1, "X-9"), (1, "A-1"), (1, "B"))


def test_a_prerequisite_listed_twice_counts_once():
    p = portfolio([("A", "", "", ""), ("B", "", "", ""), ("C", "", "A, B, A; B, A", "")])
    assert prerequisites(DependencyGraph.from_portfolio(p)) == [[], [], [0, 1]]
    many = ", ".join(["A", "B"] * 10)  # a long list takes the hashing path
    p = portfolio([("A", "", "", ""), ("B", "", "", ""), ("C", "", many, ""), ("D", "", "B, B", "")])
    assert prerequisites(DependencyGraph.from_portfolio(p)) == [[], [], [0, 1], [1]]


def test_ids_match_exactly_and_the_first_row_of_a_repeated_id_wins():
    p = portfolio([("A", "", "", ""), ("A", "", "", ""), ("C", "", "A, a", "")])
    g = DependencyGraph.from_portfolio(p)
    assert prerequisites(g) == [[], [], [0]]
    assert g.unknown == ((2, "a"),)


def test_blank_ids_can_never_be_depended_on():
    p = portfolio([("", "", "", ""), ("B", "", "", "")])
    assert DependencyGraph.from_portfolio(p).unknown == ()
    assert prerequisites(DependencyGraph.from_portfolio(p)) == [[], []]


def test_split_cells_handles_any_whitespace_and_odd_cells():
    texts = np.array(["I-1,  I-2", "", "I-3\t;\nI-4", "Team A-1", "x\x1fy"], dtype=object)
    rows, items = split_cells(texts)
    assert list(zip(rows.tolist(), items)) == [
        (0, "I-1"), (0, "I-2"), (2, "I-3"), (2, "I-4"), (3, "Team A-1"), (4, "x\x1fy")
    ]
    rows, items = split_cells(np.array(["a, b", "", " c ,,d"], dtype=object))
    assert items == ["a", "b", "c", "", "d"] and rows.tolist() == [0, 0, 2, 2, 2]
    assert split_cells(np.array([], dtype=object))[1] == []


def test_dependents_are_the_reverse_direction():
    p = portfolio([("A", "", "", ""), ("B", "", "A", ""), ("C", "", "A, B", "")])
    g = DependencyGraph.from_portfolio(p)
    indptr, indices = g.dependents
    assert indptr.tolist() == [0, 2, 3, 3]
    assert indices.tolist() == [1, 2, 2]
    assert g.dependents_of(0).tolist() == [1, 2]


# -- order and cycles ------------------------------------------------------------------------
def test_topological_order_puts_prerequisites_first():
    p = portfolio([("C", "", "B", ""), ("B", "", "A", ""), ("A", "", "", ""), ("D", "", "A, C", "")])
    order = DependencyGraph.from_portfolio(p).topological_order().tolist()
    position = {row: i for i, row in enumerate(order)}
    assert sorted(order) == [0, 1, 2, 3]
    assert position[2] < position[1] < position[0] < position[3]


def test_a_two_way_cycle_is_named_with_the_first_id_repeated():
    p = portfolio([("I-1", "", "", ""), ("I-3", "", "I-7", ""), ("I-5", "", "I-3", ""), ("I-7", "", "I-3", "")])
    g = DependencyGraph.from_portfolio(p)
    assert g.cycle() == ["I-3", "I-7", "I-3"]
    with pytest.raises(DependencyCycleError) as info:
        g.topological_order()
    assert info.value.cycle == ["I-3", "I-7", "I-3"]
    assert info.value.location.row == 3  # spreadsheet row of I-3 (the header is row 1)
    assert info.value.location.column == "depends_on"
    assert "I-3 -> I-7 -> I-3" in str(info.value)


def test_a_longer_cycle_reads_in_dependency_order():
    # A waits on C, C waits on B, B waits on A; D only waits on the cycle.
    p = portfolio([("A", "", "C", ""), ("B", "", "A", ""), ("C", "", "B", ""), ("D", "", "C", "")])
    cycle = DependencyGraph.from_portfolio(p).cycle()
    assert cycle == ["A", "C", "B", "A"]


def test_no_cycle_gives_none():
    assert DependencyGraph.from_portfolio(portfolio([("A", "", "", "")])).cycle() is None


def test_teams_unblocked_still_counts_in_and_behind_a_cycle():
    # B and C wait on each other; A is waited on by B (and so by C); D waits on C.
    p = portfolio([("A", "a", "", ""), ("B", "b", "A, C", ""), ("C", "c", "B", ""), ("D", "d", "C", "")])
    graph = DependencyGraph.from_portfolio(p)
    assert teams_unblocked(p, graph).tolist() == [3.0, 2.0, 2.0, 0.0]
    assert graph.cycle() == ["B", "C", "B"]
    with pytest.raises(DependencyCycleError):
        graph.topological_order()


def test_waits_on_lower_flags_a_prerequisite_ranked_below():
    p = portfolio([("A", "", "", ""), ("B", "", "A", ""), ("C", "", "A, B", "")])
    g = DependencyGraph.from_portfolio(p)
    assert g.waits_on_lower(np.array([3, 1, 2])).tolist() == [False, True, True]
    assert g.waits_on_lower(np.array([1, 2, 3])).tolist() == [False, False, False]


# -- teams unblocked ---------------------------------------------------------------------------
def test_a_chain_across_three_teams():
    p = portfolio([("A", "core", "", ""), ("B", "web", "A", ""), ("C", "app", "B", ""), ("D", "core", "A", "")])
    result = teams_unblocked(p, DependencyGraph.from_portfolio(p))
    # A unblocks web (B) and app (C, through B); D is its own team. B unblocks app.
    assert result.tolist() == [2.0, 1.0, 0.0, 0.0]
    assert result.dtype == np.float64


def test_unblocks_names_add_teams_without_regard_to_case_and_blanks_never_count():
    p = portfolio([
        ("A", "Core", "", "web, OPS, core"),
        ("B", "WEB", "A", ""),
        ("C", "", "A", " , "),
        ("D", "ops", "C", "Data"),
    ])
    result = teams_unblocked(p, DependencyGraph.from_portfolio(p))
    # A: web (B and its own list), ops (D through C and its list); core is its own team.
    assert result.tolist() == [2.0, 0.0, 1.0, 1.0]


def test_a_diamond_counts_each_team_once():
    p = portfolio([("A", "t0", "", ""), ("B", "t1", "A", ""), ("C", "t1", "A", ""), ("D", "t2", "B, C", "")])
    assert teams_unblocked(p, DependencyGraph.from_portfolio(p)).tolist() == [2.0, 1.0, 1.0, 0.0]


@given(st.lists(st.lists(st.integers(0, 11), max_size=3), min_size=1, max_size=12), st.data())
def test_teams_unblocked_with_cycles_matches_a_plain_search(prereqs, data):
    n = len(prereqs)
    prereqs = [[q for q in ps if q < n] for ps in prereqs]
    teams = [data.draw(st.sampled_from(["", "t0", "t1", "t2", "t3"])) for _ in range(n)]
    p = portfolio([(f"I-{i}", teams[i], ", ".join(f"I-{q}" for q in prereqs[i]), "") for i in range(n)])
    expected = brute_force([[q for q in ps if q != i] for i, ps in enumerate(prereqs)], teams, [[]] * n)
    assert teams_unblocked(p, DependencyGraph.from_portfolio(p)).tolist() == expected


def brute_force(prereqs, teams, named):
    """Teams unblocked by walking every row's dependents with a plain search."""
    n = len(prereqs)
    dependents = [[] for _ in range(n)]
    for row, ps in enumerate(prereqs):
        for p in ps:
            dependents[p].append(row)
    out = []
    for row in range(n):
        seen, stack, found = set(), list(dependents[row]), set(named[row])
        while stack:
            d = stack.pop()
            if d not in seen:
                seen.add(d)
                found.add(teams[d])
                stack.extend(dependents[d])
        out.append(len(found - {teams[row], ""}))
    return out


@st.composite
def graphs(draw):
    n = draw(st.integers(1, 90))
    shape = draw(st.sampled_from(["wide", "chain", "random"]))
    n_teams = draw(st.sampled_from([3, 70, 150]))  # one, two and three 64-bit words
    prereqs = []
    for i in range(n):
        if i == 0:
            prereqs.append([])
        elif shape == "chain":
            prereqs.append([i - 1])
        elif shape == "wide":
            prereqs.append(draw(st.lists(st.integers(0, min(i - 1, 3)), max_size=2)))
        else:
            prereqs.append(draw(st.lists(st.integers(0, i - 1), max_size=3)))
    teams = [draw(st.sampled_from(["", *(f"t{k}" for k in range(n_teams))])) for _ in range(n)]
    named = [draw(st.lists(st.sampled_from(["t0", "t1", "t99", "x"]), max_size=2)) for _ in range(n)]
    return prereqs, teams, named


@given(graphs())
def test_teams_unblocked_matches_a_plain_search(case):
    prereqs, teams, named = case
    p = portfolio([
        (f"I-{i}", teams[i], ", ".join(f"I-{j}" for j in prereqs[i]), ", ".join(named[i]))
        for i in range(len(prereqs))
    ])
    graph = DependencyGraph.from_portfolio(p)
    assert teams_unblocked(p, graph).tolist() == brute_force(prereqs, teams, named)
    order = graph.topological_order()
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    for row, ps in enumerate(prereqs):
        assert all(position[q] < position[row] for q in ps)


def test_a_long_chain_and_a_wide_fan_both_take_the_fast_paths():
    n = 300
    rows = [(f"I-{i}", f"t{i % 80}", f"I-{i - 1}" if i else "", "") for i in range(n)]
    rows += [(f"W-{i}", f"w{i % 90}", "I-0", "") for i in range(200)]
    p = portfolio(rows)
    result = teams_unblocked(p, DependencyGraph.from_portfolio(p))
    # I-0 waits on nothing; everything else waits on it: 79 other t-teams and 90 w-teams.
    assert result[0] == 79 + 90
    assert result[n - 1] == 0
    assert result[n - 2] == 1


# -- many distinct teams: blocks of teams, memory that grows with the rows ----------------------
@st.composite
def graphs_with_cycles_and_many_teams(draw):
    n = draw(st.integers(1, 120))
    # Any row may wait on any other (cycles, self-references), or mostly on earlier ones.
    prereqs = [draw(st.lists(st.integers(0, n - 1), max_size=3)) for _ in range(n)]
    pool = draw(st.sampled_from(["each", 5, 90, 300]))
    if pool == "each":  # a team of its own on every row, some blank
        teams = [draw(st.sampled_from([f"t{i}", ""])) if i % 7 == 3 else f"t{i}" for i in range(n)]
        names = [f"t{i}" for i in range(n)] + ["x"]
    else:
        names = [f"t{k}" for k in range(pool)]
        teams = [draw(st.sampled_from(["", *names])) for _ in range(n)]
    named = [draw(st.lists(st.sampled_from(names + ["elsewhere"]), max_size=3)) for _ in range(n)]
    words_per_block = draw(st.sampled_from([1, 2, None]))  # None: the default, one block here
    return prereqs, teams, named, words_per_block


@given(graphs_with_cycles_and_many_teams())
def test_teams_unblocked_in_blocks_matches_a_plain_search(case):
    from unittest import mock

    from cutline.models.portfolio import dependencies

    prereqs, teams, named, words_per_block = case
    n = len(prereqs)
    p = portfolio([
        (f"I-{i}", teams[i], ", ".join(f"I-{j}" for j in prereqs[i]), ", ".join(named[i]))
        for i in range(n)
    ])
    graph = DependencyGraph.from_portfolio(p)
    budget = dependencies._BLOCK_BYTES if words_per_block is None else 8 * n * words_per_block
    with mock.patch.object(dependencies, "_BLOCK_BYTES", budget):
        result = teams_unblocked(p, graph)
    expected = brute_force([sorted({q for q in ps if q != i}) for i, ps in enumerate(prereqs)], teams, named)
    assert result.tolist() == expected
    # The order and the cycle the walk leaves behind are the graph's own.
    fresh = DependencyGraph.from_portfolio(p)
    assert graph.cycle_rows() == fresh.cycle_rows()


def test_cycles_in_later_blocks_count_every_member_once():
    # Two cycles far apart in the team numbering, with one block per 64 teams.
    from unittest import mock

    from cutline.models.portfolio import dependencies

    rows = [(f"I-{i}", f"t{i}", "", "") for i in range(200)]
    rows[150] = ("I-150", "t150", "I-151", "")
    rows[151] = ("I-151", "t151", "I-150", "")  # a cycle of two in the third block
    rows[10] = ("I-10", "t10", "I-150", "")     # waits on the cycle
    rows[151] = ("I-151", "t151", "I-150, I-3", "")  # the cycle waits on I-3
    p = portfolio(rows)
    with mock.patch.object(dependencies, "_BLOCK_BYTES", 8 * 200):
        result = teams_unblocked(p, DependencyGraph.from_portfolio(p))
    assert result[150] == 2 and result[151] == 2  # each other and I-10
    assert result[3] == 3                          # I-150, I-151 and I-10
    assert result.sum() == 2 + 2 + 3


def test_sixty_thousand_teams_of_their_own_stay_within_a_few_hundred_mb():
    # In a child process, so the figure is that process's own peak resident memory.
    from benchmarks.bench_unblocked_memory import TARGET_MB, measure

    figures = measure(60_000)
    assert figures["max_teams"] == 59_999  # everything waits on the first row
    assert figures["added_mb"] < TARGET_MB, figures
