"""Reading an exported Roadmap sheet back gives the same initiatives, inputs and extra columns."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cutline.models.capacity.allocation import Allocation
from cutline.models.export import ROADMAP_HEADER_ROW, export_roadmap, is_computed_header
from cutline.models.export.columns import INPUT_HEADERS
from cutline.models.export.safety import ILLEGAL
from cutline.models.importing.build import visible_text
from cutline.models.importing.conversions import word_key
from cutline.models.portfolio.portfolio import (
    CANONICAL_FIELDS,
    NUMERIC_FIELDS,
    RATING_FIELDS,
    TEXT_FIELDS,
    Portfolio,
)
from cutline.models.scenarios.pipeline import Evaluation
from cutline.models.scenarios.scenario import Scenario
from cutline.models.scoring.ranking import Ranking

# Left out of the fast lane (pytest -m "not slow"): workbooks written for many examples.
pytestmark = pytest.mark.slow

EXTRAS = ("Jira key", "Budget", "Sponsor note")
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=25).filter(
    lambda s: ILLEGAL.search(s) is None
)
_number = st.one_of(st.none(), st.floats(-1e9, 1e9, allow_subnormal=False), st.integers(-10**6, 10**6).map(float))
_extra = st.one_of(
    st.none(),
    st.integers(-10**9, 10**9),
    st.floats(-1e9, 1e9, allow_subnormal=False),
    _text.filter(bool),
    st.booleans(),
    st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)),
)


#: Values Cutline's import accepts for each number field (it refuses the rest, by design).
_VALID = {
    "confidence": st.one_of(st.none(), st.floats(0, 1)),
    **{name: st.one_of(st.none(), st.floats(0, 10)) for name in RATING_FIELDS},
}
#: A list field as the import writes it: stripped items joined by ", " (no ids, so no cycles).
_lists = st.lists(
    _text.map(str.strip).filter(lambda t: t and "ID" not in t and "," not in t and ";" not in t
                                and "\n" not in t and "\r" not in t  # line breaks separate items too
                                and visible_text(t) == t),
    max_size=3,
).map(", ".join)
_COUNT = st.one_of(st.none(), st.floats(0, 1e9, allow_subnormal=False))


@st.composite
def portfolios(draw, valid: bool = False) -> Portfolio:
    """Any inputs; with valid=True, only numbers the import accepts and no id in a dependency."""
    n = draw(st.integers(0, 12))
    ids = draw(st.lists(_text.map(str.strip).filter(bool), min_size=n, max_size=n, unique=True))
    if valid:  # ids as the import reads them: no invisible characters (it removes them, with a word)
        ids = [f"ID{k}-{visible_text(ident)}" for k, ident in enumerate(ids)]
    records = []
    for ident in ids:
        record: dict[str, object] = {"id": ident}
        for name in CANONICAL_FIELDS[1:]:
            if valid and name in NUMERIC_FIELDS:
                record[name] = draw(_VALID.get(name, _COUNT))
            elif valid and name in ("depends_on", "unblocks"):
                record[name] = draw(_lists)
            else:
                record[name] = draw(_number if name in NUMERIC_FIELDS else _text)
        record.update({name: draw(_extra) for name in EXTRAS})
        records.append(record)
    if valid:  # an item that names a title is read as that initiative's id (docs/input.md): none here
        titles = {word_key(r["title"]) for r in records if r["title"]}
        for r in records:
            r["depends_on"] = ", ".join(i for i in r["depends_on"].split(", ") if i and word_key(i) not in titles)
    return Portfolio.from_records(records, extra_columns=EXTRAS)


def unscored(portfolio: Portfolio, order: np.ndarray) -> Evaluation:
    """The portfolio in a given order, with nothing scored or funded: only inputs matter here."""
    n = len(portfolio)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    empty = np.zeros((n, 0))
    ranking = Ranking((), empty, empty, empty, empty.astype(bool), np.zeros(n), np.ones(n, np.int64),
                      ("All initiatives",), order, rank, np.full(n, np.nan), np.zeros(n), np.zeros(n, bool))
    allocation = Allocation(
        (), np.zeros(n, bool), np.full(n, -1), np.full(n, "no capacity", dtype=object), np.full(n, -1),
        1 if n else None,
        pd.DataFrame({"team": [], "quarter": [], "capacity": [], "used": [], "free": []}),
        pd.DataFrame({"team": [], "quarter": [], "category": [], "used": []}),
    )
    return Evaluation(Scenario("Round trip"), portfolio, ranking, allocation)


def read_back(path) -> Portfolio:
    """The Ranked list sheet as an import reads it: header on its row, computed columns dropped,
    the inputs' headers in words read as their fields."""
    frame = pd.read_excel(path, sheet_name="Ranked list", header=ROADMAP_HEADER_ROW - 1, engine="calamine",
                          dtype=object, keep_default_na=False, na_values=[])
    frame = frame[[c for c in frame.columns if not is_computed_header(str(c))]]
    frame = frame.rename(columns={header: name for name, header in INPUT_HEADERS.items()})
    frame = frame.map(lambda v: None if isinstance(v, str) and v == "" else v)
    extras = [c for c in frame.columns if c not in CANONICAL_FIELDS]
    return Portfolio.from_frame(frame, extra_columns=extras)


def same_extra(a: object, b: object) -> bool:
    blank_a = a is None or (isinstance(a, float) and math.isnan(a)) or a is pd.NaT
    blank_b = b is None or (isinstance(b, float) and math.isnan(b)) or b is pd.NaT  # a date column's blank
    if blank_a or blank_b:
        return blank_a and blank_b
    if isinstance(a, dt.date) and not isinstance(a, dt.datetime):
        if isinstance(b, dt.datetime):
            return b.date() == a and b.time() == dt.time()
        return b == a
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


@settings(max_examples=20)
@given(portfolio=portfolios(), seed=st.integers(0, 2**16))
def test_export_then_import_gives_back_the_same_inputs(tmp_path_factory, portfolio, seed):
    order = np.random.default_rng(seed).permutation(len(portfolio)).astype(np.int64)
    path = tmp_path_factory.mktemp("rt") / "roadmap.xlsx"
    export_roadmap(path, [unscored(portfolio, order)])
    back = read_back(path)
    expected = portfolio.frame.iloc[order].reset_index(drop=True)
    assert back.extra_columns == EXTRAS and len(back) == len(portfolio)
    for name in TEXT_FIELDS:
        assert back.frame[name].tolist() == expected[name].tolist(), name
    for name in NUMERIC_FIELDS:
        assert np.array_equal(back.numeric(name), expected[name].to_numpy(np.float64), equal_nan=True), name
    for name in EXTRAS:
        pairs = zip(expected[name].tolist(), back.frame[name].tolist())
        assert all(same_extra(a, b) for a, b in pairs), name


@settings(max_examples=20)
@given(portfolio=portfolios(valid=True), seed=st.integers(0, 2**16))
def test_cutlines_own_import_reads_the_roadmap_back(tmp_path_factory, portfolio, seed):
    from cutline.models.importing import read_portfolio

    order = np.random.default_rng(seed).permutation(len(portfolio)).astype(np.int64)
    path = tmp_path_factory.mktemp("rt") / "roadmap.xlsx"
    export_roadmap(path, [unscored(portfolio, order)])
    if len(portfolio) == 0:
        return
    back = read_portfolio(path).portfolio  # no sheet named: an export's Ranked list is the one read
    expected = portfolio.frame.iloc[order].reset_index(drop=True)
    assert back.extra_columns == EXTRAS and len(back) == len(portfolio)
    for name in TEXT_FIELDS:
        assert back.frame[name].tolist() == expected[name].tolist(), name
    for name in NUMERIC_FIELDS:
        assert np.array_equal(back.numeric(name), expected[name].to_numpy(np.float64), equal_nan=True), name
    for name in EXTRAS:
        pairs = list(zip(expected[name].tolist(), back.frame[name].tolist()))
        assert all(same_extra(a, b) for a, b in pairs), (name, pairs)


def test_a_converted_field_read_back_from_the_export_has_one_header_per_column(tmp_path):
    """A PM's sizes and words are kept as written under the source's header ("Effort", "Confidence"),
    beside the fields of the same header: the export heads the kept cells "Effort (as written)",
    so the workbook reads back with no "both named" or "looks like" warning, and the same values."""
    from cutline.models.importing import read_portfolio
    from cutline.models.scenarios.pipeline import evaluate

    source = tmp_path / "sizes.csv"
    source.write_text("ID,Title,Team,Confidence,Effort\nA,Rotate,Core,80%,M\nB,Audit,Core,High,S\n")
    first = read_portfolio(source)
    assert {"Confidence", "Effort"} <= set(first.portfolio.extra_columns)
    out = tmp_path / "roadmap.xlsx"
    export_roadmap(out, [evaluate(first.portfolio, Scenario("Sizes"))])
    again = read_portfolio(out)
    words = [i.message for i in again.report.issues]
    assert not [w for w in words if "both named" in w or "looks like" in w], words
    order = [again.portfolio.row_of_id[i] for i in first.portfolio.ids]  # the export is in rank order
    for field in ("effort", "confidence"):
        np.testing.assert_array_equal(again.portfolio.numeric(field)[order], first.portfolio.numeric(field))
    assert again.portfolio.frame["Effort (as written)"].to_numpy()[order].tolist() == ["M", "S"]
    assert again.portfolio.frame["Confidence (as written)"].to_numpy()[order].tolist() == ["80%", "High"]
