"""Value maps: words in a column read as numbers, by hand, through the Scorer's caches, and as a
property (words through a map score exactly as the mapped numbers do)."""

import numpy as np
import pytest
from cutline.models.errors import ModelError
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scoring.model import Criterion, ScoringModel, Tier, ValueMap, ValueMaps
from cutline.models.scoring.score import Scorer, map_words, score
from hypothesis import given, settings
from hypothesis import strategies as st

MAP = {"Highest": 4, "High": 3, "Medium": 2, "Low": 1}


def tracker():
    records = [
        {"id": "A", "team": "a", "effort": 4, "Priority": "HIGHEST"},
        {"id": "B", "team": "b", "effort": 2, "Priority": "  high "},
        {"id": "C", "team": "c", "effort": 1, "Priority": 1},        # a number stays a number
        {"id": "D", "team": "d", "effort": 3, "Priority": "unknown"},  # not in the map: blank
    ]
    return Portfolio.from_records(records, extra_columns=["Priority"])


MODEL = ScoringModel(
    criteria=(
        Criterion("priority", "Priority", "benefit", "scale", 3, 0, 4),
        Criterion("effort", "effort", "cost", "minmax", 1),
    ),
).with_value_map("Priority", MAP)


def test_map_words_keeps_numbers_maps_words_and_blanks_the_rest():
    cells = ["High", " high ", "HIGH", "Low", 2, 2.5, "7", None, float("nan"), "", "Hgih", "  No   priority "]
    out = map_words(cells, {"High": 3, "Low": 1, "No priority": 0})
    np.testing.assert_array_equal(
        out, [3, 3, 3, 1, 2, 2.5, 7, np.nan, np.nan, np.nan, np.nan, 0]
    )
    assert out.dtype == np.float64


def test_a_value_map_is_applied_case_and_space_insensitively():
    raw = Scorer(tracker()).raw(MODEL.criteria[0], MODEL.value_maps)
    np.testing.assert_array_equal(raw, [4, 3, 1, np.nan])


def test_a_model_with_a_value_map_ranks_as_computed_by_hand():
    # priority, scale 0..4: A 4/4 = 1, B 3/4, C 1/4, D blank (0, unrated).
    # effort, cost minmax over 1..4: A 1 - 3/3 = 0, B 1 - 1/3, C 1, D 1 - 2/3.
    # score = 100 * (3 * priority + effort) / 4.
    ranking = score(tracker(), MODEL)
    np.testing.assert_allclose(ranking.score, [75, 100 * 35 / 48, 43.75, 100 / 12])
    assert ranking.rank.tolist() == [1, 2, 3, 4]
    assert ranking.unrated[:, 0].tolist() == [False, False, False, True]
    # Without the map, only the number reads: A, B and D are unrated on priority.
    plain = score(tracker(), MODEL.without_value_map("priority"))
    np.testing.assert_array_equal(plain.raw[:, 0], [np.nan, np.nan, 1, np.nan])


def test_one_scorer_keeps_models_with_different_maps_apart():
    scorer = Scorer(tracker())
    with_map = scorer.rank(MODEL)
    without = scorer.rank(MODEL.without_value_map("Priority"))
    other = scorer.rank(MODEL.with_value_map("priority", {"Highest": 0, "High": 0, "unknown": 4}))
    np.testing.assert_array_equal(with_map.raw[:, 0], [4, 3, 1, np.nan])
    np.testing.assert_array_equal(without.raw[:, 0], [np.nan, np.nan, 1, np.nan])
    np.testing.assert_array_equal(other.raw[:, 0], [0, 0, 1, 4])
    assert scorer.rank(MODEL).score.tolist() == with_map.score.tolist()
    # The column's text is still there for everything that reads it without a map.
    assert scorer.column("Priority").tolist() == ["HIGHEST", "high", "1", "unknown"]


def test_a_formula_reads_mapped_columns_and_names_with_spaces():
    records = [
        {"id": "A", "effort": 2, "Business Value": "High", "Risk level": "1 - High"},
        {"id": "B", "effort": 4, "Business Value": 5, "Risk level": "3 - low"},
        {"id": "C", "effort": 1, "Business Value": "?", "Risk level": "2 - Medium"},
    ]
    p = Portfolio.from_records(records, extra_columns=["Business Value", "Risk level"])
    c = Criterion("v", "formula", formula="(`business value` + `Risk level`) / effort")
    model = (ScoringModel(criteria=(c,))
             .with_value_map("Business Value", {"High": 8})
             .with_value_map("risk LEVEL", {"1 - High": 8, "2 - Medium": 5, "3 - Low": 2}))
    ranking = score(p, model)
    # A (8 + 8) / 2 = 8; B (5 + 2) / 4 = 1.75; C: '?' is not in the map, so blank.
    np.testing.assert_array_equal(ranking.raw[:, 0], [8, 1.75, np.nan])


def test_a_text_field_with_a_value_map_is_a_criterion_and_tiers_still_read_the_text():
    records = [{"id": "A", "category": "Security"}, {"id": "B", "category": "feature"},
               {"id": "C", "category": "chore"}]
    p = Portfolio.from_records(records)
    model = ScoringModel(
        criteria=(Criterion("kind", "category", "benefit", "minmax", 1),),
        tiers=(Tier("Security first", "category == 'security'"),),
    )
    with pytest.raises(ModelError, match="holds text"):
        score(p, model)
    ranking = score(p, model.with_value_map("Category", {"security": 10, "feature": 5}))
    np.testing.assert_array_equal(ranking.raw[:, 0], [10, 5, np.nan])
    assert ranking.tier.tolist() == [1, 2, 2]


def test_a_map_on_a_numeric_field_changes_nothing():
    p = tracker()
    model = MODEL.with_value_map("effort", {"big": 100})
    np.testing.assert_array_equal(score(p, model).raw, score(p, MODEL).raw)


def test_value_maps_are_immutable_hashable_and_survive_to_dict():
    assert hash(MODEL) == hash(MODEL.with_value_map("Priority", dict(MAP)))
    assert MODEL != MODEL.with_value_map("Priority", {**MAP, "Low": 0})
    assert MODEL.value_map("PRIORITY") == MAP
    assert isinstance(MODEL.value_maps, ValueMaps) and isinstance(MODEL.value_maps["Priority"], ValueMap)
    with pytest.raises(TypeError):
        MODEL.value_maps["Priority"] = {}  # type: ignore[index]
    with pytest.raises(TypeError):
        MODEL.value_maps["Priority"]["High"] = 9  # type: ignore[index]
    data = MODEL.to_dict()
    assert data["value_maps"] == {"Priority": {"Highest": 4.0, "High": 3.0, "Medium": 2.0, "Low": 1.0}}
    assert ScoringModel.from_dict(data) == MODEL
    del data["value_maps"]  # written before value maps existed
    assert ScoringModel.from_dict(data) == MODEL.without_value_map("Priority")
    # Built with a plain dict, a model still holds an immutable map.
    built = ScoringModel(criteria=MODEL.criteria, value_maps={"Priority": MAP})
    assert built == MODEL and isinstance(built.value_maps, ValueMaps)
    assert MODEL.without_value_map("nothing here") is not None


def test_a_missing_map_column_and_a_missing_source_behave_as_before():
    model = MODEL.with_value_map("Squad", {"a": 1})
    np.testing.assert_array_equal(score(tracker(), model).score, score(tracker(), MODEL).score)
    with pytest.raises(ModelError, match="there is no column or derived value called 'Urgency'"):
        score(tracker(), ScoringModel(criteria=(Criterion("u", "Urgency"),)).with_value_map("Urgency", MAP))


# -- property: words through a map score as the mapped numbers ---------------------------------------
WORDS = ("Highest", "High", "Medium", "Low", "Won't", "P0", "No priority")


def _spelled(word: str, style: int) -> str:
    return (word, word.upper(), f"  {word.lower()} ", word.swapcase())[style]


@st.composite
def worded(draw):
    n = draw(st.integers(1, 12))
    mapping = draw(st.dictionaries(st.sampled_from(WORDS), st.floats(-50, 50, allow_nan=False),
                                   max_size=len(WORDS)))
    cells = draw(st.lists(
        st.one_of(
            st.tuples(st.sampled_from(WORDS), st.integers(0, 3)).map(lambda t: _spelled(*t)),
            st.floats(-50, 50, allow_nan=False),
            st.none(),
            st.just("not a word in any map"),
        ),
        min_size=n, max_size=n,
    ))
    efforts = draw(st.lists(st.one_of(st.none(), st.floats(0, 20, allow_nan=False)), min_size=n, max_size=n))
    normalisation = draw(st.sampled_from(("minmax", "rank", "scale")))
    direction = draw(st.sampled_from(("benefit", "cost")))
    weights = draw(st.tuples(st.floats(0, 10), st.floats(0, 10)))
    return mapping, cells, efforts, normalisation, direction, weights


@settings(max_examples=150, deadline=None)
@given(worded())
def test_words_through_a_map_score_as_the_mapped_numbers(case):
    mapping, cells, efforts, normalisation, direction, (w1, w2) = case
    folded = {w.casefold(): v for w, v in mapping.items()}

    def number(cell):
        if cell is None or isinstance(cell, float):
            return cell
        return folded.get(" ".join(cell.split()).casefold())

    bounds = (-50, 50) if normalisation == "scale" else (None, None)
    criteria = (
        Criterion("p", "Priority", direction, normalisation, w1, *bounds),
        Criterion("f", "formula", "benefit", "minmax", w2, formula="Priority * 2 + effort"),
    )
    words = Portfolio.from_records(
        [{"id": str(i), "effort": e, "Priority": c} for i, (c, e) in enumerate(zip(cells, efforts))],
        extra_columns=["Priority"],
    )
    numbers = Portfolio.from_records(
        [{"id": str(i), "effort": e, "Priority": number(c)} for i, (c, e) in enumerate(zip(cells, efforts))],
        extra_columns=["Priority"],
    )
    mapped = score(words, ScoringModel(criteria=criteria).with_value_map("priority", mapping))
    plain = score(numbers, ScoringModel(criteria=criteria))
    np.testing.assert_array_equal(mapped.raw, plain.raw)
    np.testing.assert_allclose(mapped.score, plain.score)
    assert mapped.order.tolist() == plain.order.tolist()


def test_scorer_methods_take_plain_dicts_too():
    scorer = Scorer(tracker())
    np.testing.assert_array_equal(scorer.column("Priority", MAP), [4, 3, 1, np.nan])
    np.testing.assert_array_equal(scorer.raw(MODEL.criteria[0], {"priority": MAP}), [4, 3, 1, np.nan])
    assert scorer.column("Priority", MAP) is scorer.column("Priority", MODEL.value_map("Priority"))
