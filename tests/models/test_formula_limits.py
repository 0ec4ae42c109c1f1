"""Formulas and conditions that could exhaust the stack or the clock: every one is refused at
once with a message naming the limit, or evaluated without recursion; never a RecursionError."""

import sys
import time

import numpy as np
import pytest
from cutline.models.errors import FormulaError, ModelError
from cutline.models.scoring.formula import (
    MAX_FORMULA_LENGTH,
    MAX_NESTING,
    parse_condition,
    parse_expression,
)
from cutline.models.scoring.model_file import model_from_toml
from cutline.models.words.conditions import condition_in_words

N = 20_000
COLUMNS = {"reach": np.linspace(0.5, 1.5, N), "impact": np.ones(N)}

# (case, condition?, text, what the message says)
HOSTILE = [
    ("110 nested parentheses", False, "(" * 110 + "reach" + ")" * 110,
     "The formula nests 110 parentheses deep; the limit is 50."),
    ("985 unary minus signs", False, "-" * 985 + "reach",
     "The formula has 985 signs (+ or -) in a row; the limit is 50."),
    ("about 500 powers", False, " ** ".join(["reach"] * 500),
     "The formula chains 499 powers (**); the limit is 50."),
    ("1,000 nots", True, "not " * 1000 + "reach > 1",
     "The formula has 1,000 'not's in a row; the limit is 50."),
    ("5,000 ors", True, " or ".join(["reach > 1"] * 5000),
     "The formula is 64,996 characters long; the limit is 10,000."),
    ("300 nested max calls", False, "max(" * 300 + "reach" + ", 1)" * 300,
     "The formula nests 300 parentheses deep; the limit is 50."),
    ("a 100,000-term product", False, " * ".join(["reach"] * 100_000),
     "The formula is 799,997 characters long; the limit is 10,000."),
]


@pytest.mark.parametrize("case, condition, text, message", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_formulas_are_refused_at_once_naming_the_limit(case, condition, text, message):
    parse = parse_condition if condition else parse_expression
    start = time.perf_counter()
    with pytest.raises(FormulaError) as caught:
        parse(text)
    assert time.perf_counter() - start < 1.0
    assert caught.value.message.splitlines()[0] == message
    assert max(len(line) for line in str(caught.value).splitlines()) < 200  # an excerpt, not the whole


@pytest.mark.parametrize("case, condition, text, message", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_formulas_in_a_model_file_name_the_file_and_the_criterion_or_tier(
        case, condition, text, message):
    if condition:
        toml = f"schema_version = 2\n[[tiers]]\nname = \"t\"\ncondition = \"{text}\"\n"
        where = "m.toml: Tier 't', key 'condition': "
    else:
        toml = f"schema_version = 2\n[[criteria]]\nname = \"c\"\nsource = \"formula\"\nformula = \"{text}\"\n"
        where = "m.toml: Criterion 'c', key 'formula': "
    with pytest.raises(ModelError) as caught:
        model_from_toml(toml, source="m.toml")
    assert caught.value.message.startswith(where + message)


def test_the_limits_themselves_are_allowed():
    deepest = "(" * MAX_NESTING + "reach" + ")" * MAX_NESTING
    np.testing.assert_allclose(parse_expression(deepest).evaluate(COLUMNS, N), COLUMNS["reach"])
    with pytest.raises(FormulaError, match="nests 51 parentheses deep; the limit is 50"):
        parse_expression("(" + deepest + ")")
    assert parse_expression("-" * MAX_NESTING + "reach").evaluate(COLUMNS, N)[0] == 0.5
    assert parse_condition("not " * MAX_NESTING + "reach > 1").evaluate(COLUMNS, N)[-1]  # an even number
    longest = "reach" + " " * (MAX_FORMULA_LENGTH - len("reach"))
    assert len(longest) == MAX_FORMULA_LENGTH
    parse_expression(longest)
    with pytest.raises(FormulaError, match="10,001 characters long; the limit is 10,000"):
        parse_expression(longest + " ")


def test_nesting_of_mixed_kinds_counts_together():
    mixed = "-(" * 26 + "reach" + ")" * 26  # 26 parentheses and 26 signs: 52 levels
    with pytest.raises(FormulaError) as caught:
        parse_expression(mixed)
    assert caught.value.message.startswith("The formula nests more than 50 levels deep")
    assert "the limit is 50." in caught.value.message


def test_a_formula_at_the_limits_needs_little_stack():
    # The worst mix allowed, parsed and evaluated with only 600 frames to spare.
    worst = "max(" * 25 + "-" * 23 + "reach ** -reach" + ", 1)" * 25  # 25 + 23 + 2 = 50 levels
    here = len(_frames())
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(here + 600)
    try:
        parse_expression(worst).evaluate(COLUMNS, N)
        words = condition_in_words(worst + " > 1")
    finally:
        sys.setrecursionlimit(old)
    assert words.startswith("max(")


def _frames():
    frame, out = sys._getframe(), []
    while frame is not None:
        out.append(frame)
        frame = frame.f_back
    return out


def test_long_flat_chains_within_the_length_evaluate_fast_and_without_recursion():
    product = "*".join(["r"] * 5_000)  # 5,000 terms, just under 10,000 characters
    assert len(product) <= MAX_FORMULA_LENGTH
    ones = {"r": np.ones(N)}
    start = time.perf_counter()
    np.testing.assert_array_equal(parse_expression(product).evaluate(ones, N), np.ones(N))
    assert time.perf_counter() - start < 2.0

    chain = " or ".join(["r>2"] * 1_400)  # 1,400 alternatives, under 10,000 characters
    assert len(chain) + len(" or r==1") <= MAX_FORMULA_LENGTH
    condition = parse_condition(chain + " or r==1")
    assert condition.evaluate(ones, N).all()
    assert len(condition.disjuncts()) == 1_401
    words = condition_in_words(chain)
    assert words.count(", or ") == 1_399

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(len(_frames()) + 200)  # far fewer frames than the chains are long
    try:
        parse_expression(product).evaluate(ones, N)
        parse_condition(chain).evaluate(ones, N)
        condition_in_words(chain)
    finally:
        sys.setrecursionlimit(old)


def test_limits_keep_the_meaning_of_ordinary_formulas():
    assert parse_expression("2 ** 3 ** 2").evaluate(COLUMNS, N)[0] == 512
    assert parse_expression("-2 ** 2").evaluate(COLUMNS, N)[0] == -4
    assert parse_expression("--3").evaluate(COLUMNS, N)[0] == 3
    assert parse_expression("1 - 2 - 3").evaluate(COLUMNS, N)[0] == -4
    assert parse_expression("+reach").evaluate(COLUMNS, N).flags.writeable  # a copy, not the column
    assert parse_condition("not not reach > 1").evaluate(COLUMNS, N).sum() == (COLUMNS["reach"] > 1).sum()
