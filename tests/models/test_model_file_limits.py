"""Model files that could exhaust the stack or memory, and numbers that would overflow a score:
each is refused with a ModelError naming the file, the criterion and the key."""

import math
import os
import time
from pathlib import Path

import numpy as np
import pytest
from cutline.models.errors import ModelError
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scoring.model import (
    MAX_NUMBER,
    MAX_WEIGHT,
    Criterion,
    ScoringModel,
    default_model,
)
from cutline.models.scoring.model_file import (
    DEFAULT_MODEL_FILE,
    MAX_FILE_BYTES,
    MAX_TOML_NESTING,
    load_model,
    model_from_toml,
    model_to_toml,
)
from cutline.models.scoring.score import check_model, score
from cutline.models.scoring.templates import TEMPLATES

HEAD = "schema_version = 2\n"
ONE = HEAD + '[[criteria]]\nname = "dx"\nsource = "dx"\n'


def _refused(text: str) -> str:
    start = time.perf_counter()
    with pytest.raises(ModelError) as caught:
        model_from_toml(text, source="m.toml")
    assert time.perf_counter() - start < 2.0
    return caught.value.describe()


# -- nesting ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text, depth", [
    (HEAD + "description = " + "[" * 5000 + "]" * 5000 + "\n", "5,000"),
    (HEAD + "description = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n", "5,000"),
    (HEAD + "description = " + "[" * 5000 + "\n", "5,000"),               # never closed
    (HEAD + "[value_maps." + ".".join(["a"] * 5000) + "]\nx = 1\n", f"more than {MAX_TOML_NESTING}"),
    (HEAD + "[value_maps]\n" + ".".join(["a"] * 5000) + " = 1\n", f"more than {MAX_TOML_NESTING}"),
    (ONE + ".".join(["deep"] * 5000) + " = 1\n", f"more than {MAX_TOML_NESTING}"),
], ids=["arrays", "inline tables", "unclosed arrays", "dotted table header", "dotted keys",
        "dotted keys in a criterion"])
def test_deep_nesting_is_refused_before_it_can_recurse(text, depth):
    message = _refused(text)
    assert message == (f"m.toml: the file nests values {depth} deep (lists, inline tables or tables "
                       f"inside one another); the limit is {MAX_TOML_NESTING}.")


def test_nesting_at_the_limit_is_read_and_then_judged_by_its_type():
    inside = "[" * MAX_TOML_NESTING + "]" * MAX_TOML_NESTING
    message = _refused(HEAD + f"description = {inside}\n")
    assert message == "m.toml: the model, key 'description': expected text in quotes, not a list."


def test_brackets_in_strings_and_comments_do_not_count():
    deep = "[" * 200 + "{" * 200
    text = HEAD + (
        f'name = "{deep}"  # {deep}\n'
        f"description = '{deep}'\n"
        f'# {deep} a comment\n'
        '[[criteria]]\n'
        f'name = """\n{deep}\n"quoted" \\""" still inside\n"""\n'
        'source = "formula"\n'
        "formula = '''reach * max(impact, 1)'''\n"
        f'[value_maps."{deep}"]\n'
        f"'{deep}' = 1\n"
    )
    model = model_from_toml(text, source="m.toml")
    assert model.name == deep and model.criteria[0].name.startswith(deep)
    assert model_from_toml(model_to_toml(model)) == model


def test_every_shipped_model_file_passes_the_checks():
    for path in [DEFAULT_MODEL_FILE, *(t.path for t in TEMPLATES)]:
        load_model(path)
    assert model_from_toml(model_to_toml(default_model())) == default_model()


def test_a_deep_value_never_shows_up_in_a_message():
    message = _refused(ONE + "weight = " + "[" * 30 + "]" * 30 + "\n")
    assert message == "m.toml: criterion 'dx', key 'weight': expected a number, not a list."
    message = _refused(HEAD + '[[criteria]]\nsource = "dx"\nname.a.b = 1\n')
    assert message == "m.toml: criterion a table, key 'name': expected text in quotes, not a table."


# -- size ------------------------------------------------------------------------------------
def test_a_file_over_the_size_limit_is_refused_naming_it(tmp_path):
    path = tmp_path / "huge.toml"
    path.write_text(ONE + "# padding\n" * (MAX_FILE_BYTES // 5), encoding="utf-8")
    with pytest.raises(ModelError) as caught:
        load_model(path)
    assert caught.value.describe().startswith(
        "huge.toml: the file is 2.0 MB; a model file can be at most 1 MB.")
    with pytest.raises(ModelError, match="pasted: the file is .* at most 1 MB"):
        model_from_toml(path.read_text(encoding="utf-8"), source="pasted")


def test_a_file_just_at_the_limit_is_read(tmp_path):
    path = tmp_path / "big.toml"
    text = ONE + "#" * (MAX_FILE_BYTES - len(ONE))
    path.write_text(text, encoding="utf-8")
    assert os.path.getsize(path) == MAX_FILE_BYTES
    assert load_model(path).names == ("dx",)
    path.write_text(text + "#", encoding="utf-8")
    with pytest.raises(ModelError, match="big.toml: the file is over 1 MB; a model file can be at most 1 MB"):
        load_model(path)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_file_is_read_only_to_the_limit():
    start = time.perf_counter()
    with pytest.raises(ModelError, match="zero: the file is over 1 MB"):
        load_model("/dev/zero")
    assert time.perf_counter() - start < 2.0


# -- numbers ---------------------------------------------------------------------------------
@pytest.mark.parametrize("body, message", [
    ("weight = 1e308\n", "Criterion 'dx', key 'weight': the weight must be at most 1,000,000, not 1e+308."),
    ("weight = 1000001\n", "Criterion 'dx', key 'weight': the weight must be at most 1,000,000, not 1e+06."),
    ("weight = inf\n", "criterion 'dx', key 'weight': the number must be finite, not inf."),
    ("weight = nan\n", "criterion 'dx', key 'weight': the number must be finite, not nan."),
    ("weight = " + "9" * 400 + "\n", "criterion 'dx', key 'weight': the number must be finite, not "),
    ('normalisation = "scale"\nlow = -1e300\nhigh = 10\n',
     "Criterion 'dx', key 'low': the number must be between -1,000,000,000,000 and "
     "1,000,000,000,000, not -1e+300."),
    ("high = 1e13\n", "Criterion 'dx', key 'high': the number must be between"),
], ids=["1e308", "just over", "inf", "nan", "a huge whole number", "low", "high of minmax"])
def test_numbers_out_of_range_are_refused_naming_the_criterion_and_key(body, message):
    assert _refused(ONE + body).startswith("m.toml: " + message)


def test_two_huge_weights_are_refused_naming_the_first():
    text = HEAD + "".join(
        f'[[criteria]]\nname = "{n}"\nsource = "{n}"\nweight = 1.7e308\n' for n in ("reliability", "security"))
    assert _refused(text).startswith("m.toml: Criterion 'reliability', key 'weight': the weight must be "
                                     "at most 1,000,000")


def test_value_map_numbers_must_be_within_range():
    text = HEAD + '[value_maps.Priority]\nHigh = 4\nHuge = 1e13\n'
    assert _refused(text) == ("m.toml: value map 'Priority', key 'Huge': the number must be between "
                              "-1,000,000,000,000 and 1,000,000,000,000, not 1e+13.")
    model = model_from_toml(HEAD + '[value_maps.Priority]\nHigh = 1e12\nLow = -1e12\n')
    assert model.value_map("Priority").number("high") == 1e12


def test_the_largest_weights_and_numbers_still_give_finite_scores():
    portfolio = Portfolio.from_records([
        {"id": "A", "title": "a", "team": "t", "reliability": 1.7e308, "dx": -1.7e308, "effort": 1.7e308},
        {"id": "B", "title": "b", "team": "t", "reliability": -1.7e308, "dx": 1.7e308, "effort": 1.0},
        {"id": "C", "title": "c", "team": "t", "reliability": 0.0, "dx": 0.0, "effort": 1e-300},
    ])
    model = ScoringModel(criteria=(
        Criterion("reliability", "reliability", "benefit", "minmax", MAX_WEIGHT),
        Criterion("dx", "dx", "benefit", "scale", MAX_WEIGHT, -MAX_NUMBER, MAX_NUMBER),
        Criterion("effort", "effort", "cost", "rank", 1e-300),
        Criterion("rice", "rice", "benefit", "minmax", MAX_WEIGHT),
    ))
    with np.errstate(all="raise"):  # no overflow or invalid operation anywhere in scoring
        ranking = score(portfolio, model)
    assert np.isfinite(ranking.score).all() and np.isfinite(ranking.contributions).all()
    np.testing.assert_allclose(ranking.normalised[:, 0], [1.0, 0.0, 0.5])
    assert sorted(ranking.rank.tolist()) == [1, 2, 3]


def test_with_weight_refuses_what_a_model_file_would():
    model = default_model()
    for bad in (1e308, math.inf, math.nan, -1, MAX_WEIGHT * 2, "3"):
        with pytest.raises(ModelError, match="Criterion 'dx', key 'weight'"):
            model.with_weight("dx", bad)
        with pytest.raises(ModelError, match="Criterion 'dx', key 'weight'"):
            model.with_weights({"dx": bad})
    assert model.with_weight("dx", MAX_WEIGHT).criterion("dx").weight == MAX_WEIGHT
    assert model.with_weight("dx", np.float32(2.5)).criterion("dx").weight == 2.5
    check_model(model.with_weights({"dx": 0, "risk": MAX_WEIGHT}))


def test_a_model_built_in_python_is_checked_the_same_way():
    for criterion, key in [(Criterion("x", "dx", weight=1e308), "weight"),
                           (Criterion("x", "dx", normalisation="scale", low=0, high=math.inf), "high"),
                           (Criterion("x", "dx", low=math.nan), "low")]:
        with pytest.raises(ModelError, match=f"Criterion 'x', key '{key}'"):
            check_model(ScoringModel(criteria=(criterion,)))
