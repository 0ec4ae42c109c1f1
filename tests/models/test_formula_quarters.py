"""Ordering a text column against a quarter in quotes: `quarter <= '2027-Q2'` ("due within the plan")."""

import numpy as np
import pytest
from cutline.models.errors import FormulaError
from cutline.models.scoring.formula import parse_condition

QUARTERS = np.array(["2027-Q1", "2027-Q2", "2027-Q3", "", "2028-Q1", "2026-Q4", "soon", None], dtype=object)
COLUMNS = {
    "quarter": QUARTERS,
    "category": np.array(["a", "b", "c", "d", "e", "f", "g", "h"], dtype=object),
    "risk": np.arange(8, dtype=np.float64),
}


def run(text: str) -> list[bool]:
    return parse_condition(text).evaluate(COLUMNS, len(QUARTERS)).tolist()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("quarter <= '2027-Q2'", [True, True, False, False, False, True, False, False]),
        ("quarter < '2027-Q2'", [True, False, False, False, False, True, False, False]),
        ("quarter > '2027-Q2'", [False, False, True, False, True, False, False, False]),
        ("quarter >= '2027-Q2'", [False, True, True, False, True, False, False, False]),
        # the quarter on the left, lower case: the same order
        ("'2027-q2' >= quarter", [True, True, False, False, False, True, False, False]),
    ],
)
def test_quarters_order_as_time(text, expected):
    assert run(text) == expected


def test_a_blank_or_a_cell_that_names_no_quarter_is_never_before_or_after():
    before, after = run("quarter < '2099-Q4'"), run("quarter > '1999-Q1'")
    for row in (3, 6, 7):  # "", "soon", None
        assert not before[row] and not after[row]


def test_it_combines_with_the_rest_of_the_language():
    assert run("quarter <= '2027-Q1' or risk >= 6") == [True, False, False, False, False, True, True, True]
    assert run("not (quarter <= '2027-Q2')") == [False, False, True, True, True, False, True, True]


def test_the_answer_is_a_whole_bool_column():
    out = parse_condition("quarter <= '2027-Q2'").evaluate(COLUMNS, len(QUARTERS))
    assert out.dtype == bool and out.shape == (len(QUARTERS),)


@pytest.mark.parametrize(
    "text",
    ["category < 'x'", "quarter < 'soon'", "quarter <= '2027-Q5'", "quarter < '27-Q2'", "quarter < category"],
)
def test_other_text_keeps_todays_message(text):
    with pytest.raises(FormulaError) as info:
        run(text)
    assert "Text can be compared only with == or !=" in info.value.message


def test_a_quarter_against_a_number_is_still_refused():
    with pytest.raises(FormulaError) as info:
        run("risk <= '2027-Q2'")
    assert "compares text with a number" in info.value.message


@pytest.mark.parametrize(
    "text, words",
    [
        ("quarter <= '2027-Q2'", "due by 2027-Q2"),
        ("quarter < '2027-q2'", "due before 2027-Q2"),
        ("quarter > '2027-Q2'", "due after 2027-Q2"),
        ("quarter >= '2027-Q2'", "due in 2027-Q2 or later"),
        ("'2027-Q2' >= quarter", "due by 2027-Q2"),
        ("target <= '2027-Q2'", "target is 2027-Q2 or earlier"),
        ("quarter <= '2027-Q2' and security >= 8", "due by 2027-Q2 and security is 8 or more"),
        ("quarter == '2027-Q2'", "quarter is 2027-Q2"),
    ],
)
def test_the_explain_panel_reads_it_as_a_date(text, words):
    from cutline.models.words.conditions import condition_in_words

    assert condition_in_words(text) == words
