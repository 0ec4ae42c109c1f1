"""Scoring under the default model by hand, every source and normalisation, errors and invariants."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cutline.models.errors import DependencyCycleError, FormulaError, ModelError
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scoring.model import Criterion, ScoringModel, Tier, default_model
from cutline.models.scoring.score import Scorer, explain_tier, rank_order, score

FIELDS = ("id", "team", "category", "reach", "impact", "confidence", "effort",
          "risk", "reliability", "security", "dx", "depends_on", "unblocks")
N = None
# A dozen initiatives. I-1 (core) <- I-2 (web) <- I-3 (app) is a chain across three teams;
# I-7 and I-8 are identical (a tie); I-9 has blanks; I-10 has effort 0 and bad ids;
# I-6 has the highest score of all but is in tier 2 (a tier crossing).
ROWS = [
    ("I-1", "core", "reliability", 100, 2, 0.5, 2, 2, 6, 4, 5, "", ""),
    ("I-2", "web", "feature", 200, 1, 1.0, 4, 4, 2, 2, 6, "I-1", ""),
    ("I-3", "app", "feature", 40, 1, 0.5, 1, 6, 3, 1, 8, "I-2", ""),
    ("I-4", "data", "Security", 10, 1, 1.0, 10, 8, 1, 3, 0, "", ""),
    ("I-5", "ops", "feature", 0, 3, 1.0, 5, 0, 8, 0, 2, "", ""),
    ("I-6", "web", "feature", 300, 2, 1.0, 2, 1, 7, 7, 10, "I-11", ""),
    ("I-7", "app", "feature", 100, 1, 1.0, 5, 5, 5, 5, 5, "", ""),
    ("I-8", "app", "feature", 100, 1, 1.0, 5, 5, 5, 5, 5, "", ""),
    ("I-9", "data", "feature", 100, 1, 1.0, N, N, 4, 4, N, "", "Web, OPS, data"),
    ("I-10", "core", "feature", 50, 1, 1.0, 0, 10, 0, 0, 3, "I-99, I-10", ""),
    ("I-11", "web", "feature", 20, 1, 1.0, 2, 3, 2, 2, 4, "I-1", ""),
    ("I-12", "core", "feature", 5, 1, 0.2, 1, 9, 1, 9, 1, "I-1", ""),
]
# Each score is 100/15 * S, where S = 3*rel/10 + 3*sec/10 + 3*unblocked/2 + 2*dx/10
# + 2*rice/300 + 1*(1 - effort/10) + 1*(1 - risk/10), a blank term being 0.
# For I-1: 1.8 + 1.2 + 3 + 1 + 1/3 + 0.8 + 0.8 = 134/15.
S = [134 / 15, 163 / 30, 127 / 30, 211 / 150, 43 / 10, 99 / 10,
     77 / 15, 77 / 15, 27 / 5, 8 / 5, 107 / 30, 631 / 150]
EXPECTED_SCORES = [100 / 15 * s for s in S]
EXPECTED_ORDER = ["I-1", "I-5", "I-12", "I-4", "I-6", "I-2", "I-9", "I-7", "I-8", "I-3", "I-11", "I-10"]


def make(rows=ROWS, **kwargs):
    return Portfolio.from_records([dict(zip(FIELDS, r)) for r in rows], **kwargs)


@pytest.fixture(scope="module")
def ranking():
    return score(make(), default_model())


# -- the default model by hand -------------------------------------------------------------------
def test_derived_values(ranking):
    np.testing.assert_allclose(ranking.rice, [50, 50, 20, 1, 0, 300, 20, 20, np.nan, np.nan, 10, 1])
    # I-1: web (I-2, I-11, I-6 through I-11) and app (I-3 through I-2); I-12 is core, its own team.
    # I-9 names web, ops and data; data is its own team. I-6 waits on I-11, but both are web.
    assert ranking.teams_unblocked.tolist() == [2, 1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0]


def test_scores_tiers_and_ranks(ranking):
    np.testing.assert_allclose(ranking.score, EXPECTED_SCORES, rtol=0, atol=1e-9)
    assert ranking.tier.tolist() == [1, 2, 2, 1, 1, 2, 2, 2, 2, 2, 2, 1]
    ids = [r[0] for r in ROWS]
    assert [ids[i] for i in ranking.order] == EXPECTED_ORDER
    assert sorted(ranking.rank.tolist()) == list(range(1, 13))
    assert ranking.tier_names == ("Reliability and security first", "Everything else")


def test_contributions_of_one_initiative(ranking):
    assert ranking.criteria == ("reliability", "security", "unblocking", "dx", "rice", "effort", "risk")
    # I-1: rel 6 of 10, sec 4, unblocks the most teams, dx 5, rice 50 of 0..300,
    # effort 2 of 0..10 (cost), risk 2 (cost); the weights sum to 15.
    expected = np.array([3 * 0.6, 3 * 0.4, 3 * 1, 2 * 0.5, 2 * 50 / 300, 1 * 0.8, 1 * 0.8]) * 100 / 15
    np.testing.assert_allclose(ranking.contributions[0], expected)
    np.testing.assert_allclose(ranking.normalised[0], [0.6, 0.4, 1, 0.5, 1 / 6, 0.8, 0.8])
    np.testing.assert_allclose(ranking.raw[0], [6, 4, 2, 5, 50, 2, 2])


def test_a_tie_keeps_the_source_order(ranking):
    assert ranking.score[6] == ranking.score[7]
    assert ranking.rank[7] == ranking.rank[6] + 1


def test_a_tier_crossing(ranking):
    # I-6 scores highest of all, yet ranks below every tier 1 initiative, even I-4 at 9.4.
    assert ranking.score[5] == ranking.score.max()
    assert ranking.rank[5] == 5 and ranking.rank[3] == 4
    assert ranking.score[3] < 10


def test_blanks_score_zero_and_are_flagged_unrated(ranking):
    assert ranking.unrated[8].tolist() == [False, False, False, True, True, True, True]
    assert ranking.unrated[9].tolist() == [False, False, False, False, True, False, False]
    np.testing.assert_array_equal(ranking.contributions[8, 3:], 0.0)
    assert ranking.normalised[9, 5] == 1.0  # effort 0 is the least effort: full credit
    assert not ranking.unrated[[0, 1, 2]].any()


def test_waits_on_a_lower_ranked_prerequisite(ranking):
    # I-6 (rank 5) depends on I-11 (rank 11); the rest wait on higher-ranked work or nothing.
    assert np.flatnonzero(ranking.waits_on_lower).tolist() == [5]


def test_contributions_sum_to_the_score(ranking):
    np.testing.assert_allclose(ranking.contributions.sum(axis=1), ranking.score, rtol=0, atol=1e-12)


def test_all_weights_zero_gives_all_scores_zero():
    model = default_model().with_weights({name: 0 for name in default_model().names})
    r = score(make(), model)
    assert not r.score.any() and not r.contributions.any()
    assert r.order.tolist() == [0, 3, 4, 11, 1, 2, 5, 6, 7, 8, 9, 10]  # tier, then row order


def test_tiers_off_rank_by_score_alone():
    r = score(make(), replace(default_model(), tiers_enabled=False))
    assert r.tier.tolist() == [1] * 12
    assert r.tier_names == ("All initiatives",)
    assert r.order[0] == 5  # I-6, the highest score
    disabled = default_model().with_tier("Reliability and security first", enabled=False)
    assert score(make(), disabled).tier.max() == 1


# -- sources and normalisations ------------------------------------------------------------------
def one_criterion(**kwargs):
    return ScoringModel(criteria=(Criterion("c", **kwargs),))


SMALL = [("A", "x", "f", 10, 2, 1, 4, 3, 1, 5, 20), ("B", "y", "f", 20, 1, 1, 2, 9, 2, 1, -5),
         ("C", "z", "f", 30, 1, 1, 1, 1, 3, 5, N), ("D", "x", "f", 30, 3, 1, 0, 5, 4, 1, 7)]


def small(**kwargs):
    return make([r + ("", "") for r in SMALL], **kwargs)


def normalised(model, p=None):
    return Scorer(p or small()).normalised(model)[1][:, 0].tolist()


def test_scale_clips_to_zero_and_one():
    assert normalised(one_criterion(source="dx", normalisation="scale", low=0, high=10)) == [1, 0, 0, 0.7]


def test_minmax_and_cost_direction():
    assert normalised(one_criterion(source="reach")) == [0, 0.5, 1, 1]
    assert normalised(one_criterion(source="reach", direction="cost")) == [1, 0.5, 0, 0]
    assert normalised(one_criterion(source="confidence")) == [0, 0, 0, 0]  # max == min


def test_rank_percentile_averages_ties():
    # reach 10, 20, 30, 30: average ranks 1, 2, 3.5, 3.5 of 4.
    assert normalised(one_criterion(source="reach", normalisation="rank")) == [0, 1 / 3, 5 / 6, 5 / 6]
    model = one_criterion(source="dx", normalisation="rank", direction="cost")
    assert normalised(model) == [0, 1, 0, 0.5]  # blank C gets 0 even as a cost
    one_value = Portfolio.from_records([{"id": "A", "dx": 3}, {"id": "B"}])
    assert normalised(one_criterion(source="dx", normalisation="rank"), one_value) == [0, 0]


def test_formula_criterion():
    model = one_criterion(source="formula", formula="reach * impact / effort")
    raw, norm, unrated = Scorer(small()).normalised(model)
    np.testing.assert_allclose(raw[:, 0], [5, 10, 30, np.nan])  # effort 0 is blank
    np.testing.assert_allclose(norm[:, 0], [0, 0.2, 1, 0])
    assert unrated[:, 0].tolist() == [False, False, False, True]


def test_formulas_over_derived_values_and_extra_columns():
    p = make([r + ("", "") for r in SMALL[:2]] + [SMALL[2] + ("A", "")], extra_columns=())
    model = one_criterion(source="formula", formula="rice + 10 * teams_unblocked")
    np.testing.assert_allclose(Scorer(p).normalised(model)[0][:, 0], [15, 10, 30])
    frame = small().frame.assign(**{"Cost of delay": [5, "7", "n/a", None]})
    p = Portfolio.from_frame(frame, extra_columns=["Cost of delay"])
    model = one_criterion(source="cost of delay")  # a numeric extra column, matched ignoring case
    np.testing.assert_allclose(Scorer(p).normalised(model)[0][:, 0], [5, 7, np.nan, np.nan])
    text_model = one_criterion(source="formula", formula="`Cost of delay` * 2")
    with pytest.raises(FormulaError, match="holds text"):
        Scorer(p).rank(text_model)  # "n/a" makes it a text column for formulas


def test_derived_sources():
    r = Scorer(small()).rank(one_criterion(source="rice", direction="cost", normalisation="rank"))
    np.testing.assert_allclose(r.raw[:, 0], [5, 10, 30, np.nan])
    np.testing.assert_allclose(r.score, [100, 50, 0, 0])


def test_a_condition_may_use_text_fields_and_derived_values():
    model = ScoringModel(
        criteria=(Criterion("reach", "reach"),),
        tiers=(Tier("big", "rice >= 20 and team != 'Y'"), Tier("x team", "team in ('X')")),
    )
    assert Scorer(small()).tiers(model).tolist() == [2, 3, 1, 2]


# -- the cache -----------------------------------------------------------------------------------
def test_a_weight_change_reuses_every_column():
    scorer = Scorer(make())
    first = scorer.rank(default_model())
    second = scorer.rank(default_model().with_weight("dx", 9))
    assert second.normalised is first.normalised and second.raw is first.raw
    assert not np.array_equal(first.score, second.score)
    criteria = tuple(replace(c, name=c.name.upper()) for c in default_model().criteria)
    renamed = replace(default_model(), criteria=criteria)
    assert scorer.rank(renamed).normalised is first.normalised
    assert not first.normalised.flags.writeable


def test_rank_order_is_tier_then_score_then_row():
    tier = np.array([2, 1, 1, 2, 1])
    scores = np.array([90.0, 10.0, 30.0, 90.0, 10.0 + 1e-12])
    assert rank_order(tier, scores).tolist() == [2, 1, 4, 0, 3]


def test_explain_tier_in_words():
    p, model = make(), default_model()
    assert explain_tier(p, model, 3) == (
        "Tier 1, Reliability and security first, because "
        "category is reliability or security (category is 'Security')."
    )
    assert "reliability is 8 or more (reliability is 8)" in explain_tier(p, model, 4)
    assert explain_tier(p, model, 5) == (
        "Tier 2, Everything else: it does not meet tier 1, Reliability and security first "
        "(category is 'feature', reliability is 7, security is 7)."
    )
    off = replace(model, tiers_enabled=False)
    assert explain_tier(p, off, 0).startswith("Tiers are off")


def test_a_dependency_cycle_still_scores_and_is_named():
    rows = [ROWS[0][:11] + ("I-2", ""), ROWS[1]]
    scorer = Scorer(make(rows))
    r = scorer.rank(default_model())
    assert r.teams_unblocked.tolist() == [1, 1]  # each waits on the other's team
    assert r.waits_on_lower.tolist() == [True, False]  # I-1 (rank 1) waits on I-2 (rank 2)
    with pytest.raises(DependencyCycleError, match="I-1 -> I-2 -> I-1"):
        scorer.graph.topological_order()


# -- model errors --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "criterion, words",
    [
        (Criterion("c", "nowhere"), "Criterion 'c', key 'source': there is no column"),
        (Criterion("c", "team"), "holds text; a criterion needs numbers"),
        (Criterion("c", "dx", weight=-1), "key 'weight': the weight must be 0 or more, not -1"),
        (Criterion("c", "dx", weight=float("nan")), "key 'weight': the weight must be a number"),
        (Criterion("c", "dx", direction="up"), "key 'direction': use 'benefit' or 'cost'"),
        (Criterion("c", "dx", normalisation="log"), "key 'normalisation'"),
        (Criterion("c", "dx", normalisation="scale", low=5, high=5), "low (5) must be below high (5)"),
        (Criterion("c", "dx", normalisation="scale"), "a scale criterion needs both"),
        (Criterion("c", "formula"), "a formula criterion needs a formula"),
    ],
)
def test_model_errors_name_the_criterion_and_key(criterion, words):
    with pytest.raises(ModelError, match="Criterion 'c'") as info:
        Scorer(small()).rank(ScoringModel(criteria=(criterion,)))
    assert words in str(info.value)


def test_formula_errors_point_at_the_token_and_name_the_criterion():
    model = one_criterion(source="formula", formula="reach * nowhere")
    with pytest.raises(FormulaError) as info:
        Scorer(small()).rank(model)
    assert info.value.position == 8
    assert info.value.message.startswith("Criterion 'c', key 'formula': There is no column called")
    bad_tier = ScoringModel(criteria=(), tiers=(Tier("t", "dx >> 3"),))
    with pytest.raises(FormulaError, match="Tier 't', key 'condition'") as info:
        Scorer(small()).rank(bad_tier)
    assert info.value.position == 4


def test_two_criteria_with_one_name_are_refused():
    model = ScoringModel(criteria=(Criterion("c", "dx"), Criterion("c", "risk")))
    with pytest.raises(ModelError, match="Two criteria are called 'c'"):
        score(small(), model)


def test_an_empty_portfolio_and_an_empty_model():
    r = score(Portfolio.from_records([]), default_model())
    assert len(r) == 0 and r.contributions.shape == (0, 7)
    r = score(small(), ScoringModel(criteria=()))
    assert r.contributions.shape == (4, 0) and not r.score.any()


# -- invariants ----------------------------------------------------------------------------------
rating = st.one_of(st.none(), st.integers(0, 10).map(float), st.floats(0, 10, allow_nan=False))
positive = st.one_of(st.none(), st.floats(0, 1000, allow_nan=False))


@st.composite
def portfolios(draw):
    n = draw(st.integers(1, 12))
    rows = []
    for i in range(n):
        deps = draw(st.lists(st.integers(0, max(i - 1, 0)), max_size=2)) if i else []
        rows.append((
            f"I-{i}", draw(st.sampled_from(["a", "b", "c", ""])),
            draw(st.sampled_from(["feature", "Security", "reliability", ""])),
            draw(positive), draw(positive), draw(st.one_of(st.none(), st.floats(0, 1))),
            draw(positive), draw(rating), draw(rating), draw(rating), draw(rating),
            ", ".join(f"I-{d}" for d in deps), draw(st.sampled_from(["", "x", "a, y"])),
        ))
    return rows


weights = st.lists(st.floats(0, 10, allow_nan=False), min_size=7, max_size=7)


def weighted(ws):
    return default_model().with_weights(dict(zip(default_model().names, ws)))


@pytest.mark.slow
@given(portfolios(), weights)
def test_contributions_add_up_to_the_score(rows, ws):
    r = score(make(rows), weighted(ws))
    np.testing.assert_allclose(r.contributions.sum(axis=1), r.score, rtol=0, atol=1e-9)
    assert ((r.score >= -1e-9) & (r.score <= 100 + 1e-9)).all()


@pytest.mark.slow
@given(portfolios(), weights, st.data())
def test_raising_a_benefit_input_never_lowers_the_score(rows, ws, data):
    row = data.draw(st.integers(0, len(rows) - 1))
    field = data.draw(st.sampled_from(["reach", "impact", "confidence", "reliability", "security", "dx"]))
    column = FIELDS.index(field)
    old = rows[row][column]
    top = 1.0 if field == "confidence" else 10.0 if field in ("reliability", "security", "dx") else 2000.0
    new = data.draw(st.floats(0 if old is None else old, top))
    raised = list(rows)
    raised[row] = rows[row][:column] + (new,) + rows[row][column + 1:]
    before = score(make(rows), weighted(ws)).score[row]
    after = score(make(raised), weighted(ws)).score[row]
    assert after >= before - 1e-9


@pytest.mark.slow
@given(portfolios(), weights, st.floats(0.01, 1000))
def test_scaling_every_weight_changes_no_rank(rows, ws, factor):
    p = make(rows)
    assert (score(p, weighted(ws)).rank == score(p, weighted([w * factor for w in ws])).rank).all()


@pytest.mark.slow
@given(portfolios(), weights)
def test_tier_1_always_ranks_above_tier_2(rows, ws):
    r = score(make(rows), weighted(ws))
    if (r.tier == 1).any() and (r.tier == 2).any():
        assert r.rank[r.tier == 1].max() < r.rank[r.tier == 2].min()
    assert (np.diff(r.tier[r.order]) >= 0).all()


@pytest.mark.slow
@given(
    st.lists(st.tuples(st.integers(1, 4), st.sampled_from([0.0, 12.5, 100.0, 33.3, 1 / 3])), max_size=40),
    st.sampled_from([0, 2**40]),
)
def test_rank_order_matches_a_plain_lexsort(rows, tier_offset):
    tier = np.array([t for t, _ in rows], dtype=np.int64) + tier_offset  # huge tiers: the fallback
    scores = np.array([s for _, s in rows])
    expected = np.lexsort((-np.round(scores, 9), tier))
    assert rank_order(tier, scores).tolist() == expected.tolist()


def test_the_worked_example_in_the_docs():
    rows = [
        ("A", "core", "security", 100, 2, 0.5, 2, 3, 5, 9, 4, "", ""),
        ("B", "web", "feature", 50, 1, 1.0, 5, 7, 2, 1, 8, "A", ""),
        ("C", "app", "feature", N, N, N, 1, N, N, N, 6, "B", "ops"),
    ]
    r = score(make(rows), default_model())
    np.testing.assert_allclose(r.rice, [50, 10, np.nan])
    assert r.teams_unblocked.tolist() == [2, 1, 1]
    np.testing.assert_allclose(
        r.contributions.round(2),
        [[10, 18, 20, 5.33, 13.33, 5, 4.67], [4, 2, 0, 10.67, 0, 0, 2], [0, 0, 0, 8, 0, 6.67, 0]],
    )
    np.testing.assert_allclose(r.score.round(2), [76.33, 18.67, 14.67])
    assert r.tier.tolist() == [1, 2, 2] and r.rank.tolist() == [1, 2, 3]
    assert r.unrated[2].tolist() == [True, True, False, False, True, False, True]
    assert not r.waits_on_lower.any()
