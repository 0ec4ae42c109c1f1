"""Safe formulas and conditions: grammar, numbers, blanks, text, and errors that point at the token."""

import numpy as np
import pytest
from cutline.models.errors import FormulaError
from cutline.models.scoring.formula import parse_condition, parse_expression, tokenize

NAN = np.nan


@pytest.fixture
def columns():
    return {
        "reach": np.array([100.0, 20.0, NAN, 0.0]),
        "impact": np.array([2.0, 1.0, 3.0, 1.0]),
        "effort": np.array([4.0, 0.0, 2.0, 1.0]),
        "reliability": np.array([9.0, 3.0, NAN, 8.0]),
        "category": np.array(["Security", "feature", "", "RELIABILITY"], dtype=object),
        "team": np.array(["Core", "web", "core", ""], dtype=object),
        "Cost of delay": np.array([1.0, 2.0, 3.0, 4.0]),
    }


def ev(text, columns):
    return parse_expression(text).evaluate(columns, 4)


def cond(text, columns):
    return parse_condition(text).evaluate(columns, 4)


# -- expressions ----------------------------------------------------------------------------
def test_arithmetic_over_whole_columns(columns):
    np.testing.assert_allclose(ev("reach * impact / effort", columns), [50.0, NAN, NAN, 0.0])
    np.testing.assert_allclose(ev("reach + impact - 1", columns), [101.0, 20.0, NAN, 0.0])


def test_precedence_power_and_unary_minus(columns):
    assert ev("1 + 2 * 3", columns)[0] == 7
    assert ev("(1 + 2) * 3", columns)[0] == 9
    assert ev("2 ** 3 ** 2", columns)[0] == 512  # right-associative
    assert ev("-2 ** 2", columns)[0] == -4  # power binds tighter than minus
    assert ev("--3", columns)[0] == 3
    assert ev("+1.5e1 + .5", columns)[0] == 15.5


def test_a_constant_formula_fills_every_row(columns):
    np.testing.assert_array_equal(ev("5", columns), [5.0] * 4)


def test_functions(columns):
    np.testing.assert_allclose(ev("min(reach, 50)", columns), [50.0, 20.0, NAN, 0.0])
    np.testing.assert_allclose(ev("max(reach, impact, 10)", columns), [100.0, 20.0, NAN, 10.0])
    np.testing.assert_allclose(ev("sqrt(reach)", columns), [10.0, np.sqrt(20), NAN, 0.0])
    np.testing.assert_allclose(ev("log(impact)", columns), np.log([2.0, 1.0, 3.0, 1.0]))
    assert ev("MAX(1, 2)", columns)[0] == 2  # function names ignore case


def test_division_by_zero_and_bad_domains_are_blank_without_warnings(columns):
    # pytest turns warnings into errors, so a RuntimeWarning would fail here.
    assert np.isnan(ev("impact / effort", columns)[1])
    assert np.isnan(ev("0 / 0", columns)[0])
    assert np.isnan(ev("log(reach)", columns)[3])  # log(0)
    assert np.isnan(ev("log(0 - 1)", columns)[0])
    assert np.isnan(ev("sqrt(0 - 4)", columns)[0])
    assert np.isnan(ev("10 ** 400", columns)[0])  # overflow is blank, not inf
    assert np.isnan(ev("1 / (impact / effort)", columns)[1])  # inf never leaks into later steps
    assert np.isnan(ev("(0 - 8) ** 0.5", columns)[0])


def test_columns_used(columns):
    assert parse_expression("reach * impact / max(effort, 1)").columns == {"reach", "impact", "effort"}
    assert parse_condition("category in ('a') or team == 'x'").columns == {"category", "team"}


def test_column_names_may_use_any_letters():
    expr = parse_expression("coût_total * 2")
    assert expr.columns == {"coût_total"}
    assert expr.evaluate({"coût_total": np.array([1.5])}, 1).tolist() == [3.0]


def test_backquoted_column_names_may_hold_spaces(columns):
    expr = parse_expression("`Cost of delay` / 2")
    assert expr.columns == {"Cost of delay"}
    np.testing.assert_allclose(expr.evaluate(columns, 4), [0.5, 1.0, 1.5, 2.0])


# -- conditions -----------------------------------------------------------------------------
def test_comparisons_with_a_blank_are_false(columns):
    np.testing.assert_array_equal(cond("reliability >= 8", columns), [True, False, False, True])
    np.testing.assert_array_equal(cond("reliability < 8", columns), [False, True, False, False])
    np.testing.assert_array_equal(cond("reliability != 3", columns), [True, False, False, True])
    np.testing.assert_array_equal(cond("reliability == 3", columns), [False, True, False, False])
    np.testing.assert_array_equal(cond("reliability = 3", columns), [False, True, False, False])


def test_text_is_compared_without_regard_to_case(columns):
    np.testing.assert_array_equal(cond("category == 'security'", columns), [True, False, False, False])
    np.testing.assert_array_equal(cond('team != "CORE"', columns), [False, True, False, True])
    np.testing.assert_array_equal(
        cond("category in ('reliability', 'Security')", columns), [True, False, False, True]
    )
    np.testing.assert_array_equal(cond("category not in ('feature')", columns), [True, False, True, True])
    np.testing.assert_array_equal(cond("category == ''", columns), [False, False, True, False])


def test_and_or_not_and_parentheses(columns):
    text = "(category == 'security' or reliability >= 8) and not team == 'core'"
    np.testing.assert_array_equal(cond(text, columns), [False, False, False, True])
    np.testing.assert_array_equal(cond("NOT reliability > 5 OR reach > 50", columns), [True, True, True, False])


def test_numbers_in_a_list(columns):
    np.testing.assert_array_equal(cond("reliability in (3, 8, -1)", columns), [False, True, False, True])


def test_the_default_tier_condition(columns):
    text = "category in ('reliability', 'security') or reliability >= 8 or security >= 8"
    columns = dict(columns, security=np.array([1.0, 9.0, NAN, NAN]))
    np.testing.assert_array_equal(cond(text, columns), [True, True, False, True])


def test_disjuncts_split_a_top_level_or():
    parts = parse_condition("a > 1 or (b > 2 and c > 3) or d in ('x')").disjuncts()
    assert [p.text for p in parts] == ["a > 1", "(b > 2 and c > 3)", "d in ('x')"]
    assert parts[1].columns == {"b", "c"}


def test_tokens_carry_positions():
    tokens = tokenize("reach >= 8")
    assert [(t.kind, t.value, t.pos) for t in tokens] == [
        ("name", "reach", 0), ("op", ">=", 6), ("number", "8", 9), ("end", "", 10)
    ]


# -- errors ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, position, words",
    [
        ("reach * ", 8, "found the end of the formula"),
        ("reach $ 2", 6, "Unexpected character '$'"),
        ("foo(reach)", 0, "Unknown function 'foo'"),
        ("__import__('os')", 0, "Unknown function '__import__'"),
        ("reach.__class__", 5, "Unexpected character '.'"),
        ("(reach + 1", 10, "Expected ')' to close the '(' at position 0"),
        ("reach 2", 6, "Unexpected '2' after a complete formula"),
        ("'a' + 1", 4, "needs numbers, not text"),
        ("min(1)", 0, "min takes at least 2 values, not 1"),
        ("log(1, 2)", 0, "log takes 1 value, not 2"),
        ("reach * (effort > 1)", 6, "cannot be used on a condition"),
        ("reach >= 8", 6, "a criterion formula must give a number"),
        ("reach + 'unclosed", 8, "never closed"),
        ("", 0, "The formula is empty"),
    ],
)
def test_bad_formulas_point_at_the_bad_token(text, position, words):
    with pytest.raises(FormulaError) as info:
        parse_expression(text)
    assert info.value.position == position
    assert words in info.value.message
    assert info.value.text == text


@pytest.mark.parametrize(
    "text, position, words",
    [
        ("reliability", 0, "A condition needs a comparison"),
        ("reliability >= 8 and 3", 17, "'and' needs a condition on each side"),
        ("category in 'x'", 12, "Expected '(' to start the list"),
        ("category in (team)", 13, "Expected a value in quotes or a number"),
        ("reliability >= ", 15, "found the end of the formula"),
        ("not", 3, "found the end of the formula"),
    ],
)
def test_bad_conditions_point_at_the_bad_token(text, position, words):
    with pytest.raises(FormulaError) as info:
        parse_condition(text)
    assert info.value.position == position
    assert words in info.value.message


def test_the_message_draws_a_pointer_under_the_token():
    with pytest.raises(FormulaError) as info:
        parse_expression("reach * * 2")
    assert str(info.value).endswith("\n  reach * * 2\n          ^")


@pytest.mark.parametrize(
    "text, position, words",
    [
        ("reach + nowhere", 8, "There is no column called 'nowhere'"),
        ("team * 2", 0, "'team' holds text, so it cannot be used in arithmetic"),
        ("category < 'x'", 9, "Text can be compared only with == or !="),
        ("reach == 'x'", 6, "compares text with a number"),
        ("category in (1, 2)", 9, "must hold only text"),
    ],
)
def test_mistakes_found_on_evaluation_also_point_at_the_token(columns, text, position, words):
    parse = parse_condition if any(op in text for op in ("<", "==", " in ")) else parse_expression
    with pytest.raises(FormulaError) as info:
        parse(text).evaluate(columns, 4)
    assert info.value.position == position
    assert words in info.value.message
