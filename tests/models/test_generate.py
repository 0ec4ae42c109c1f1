"""The synthetic portfolio generator behind the benchmarks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from cutline.models.portfolio.portfolio import CANONICAL_FIELDS, RATING_FIELDS, split_list
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.generate import (
    CATEGORIES,
    EXTRA_COLUMNS,
    LAYERS,
    quarter_labels,
    synthetic_capacity,
    synthetic_frame,
    team_names,
    write_csv,
    write_xlsx,
)


def _prerequisite_rows(frame: pd.DataFrame) -> list[tuple[int, int]]:
    """(row, prerequisite row) for every dependency."""
    row_of = {ident: i for i, ident in enumerate(frame["id"])}
    return [(i, row_of[p]) for i, cell in enumerate(frame["depends_on"]) for p in split_list(cell)]


def test_shape_and_columns():
    frame = synthetic_frame(500, teams=20, seed=3)
    assert frame.shape == (500, len(CANONICAL_FIELDS) + len(EXTRA_COLUMNS))
    assert list(frame.columns) == list(CANONICAL_FIELDS + EXTRA_COLUMNS)
    assert frame["id"].is_unique
    assert set(frame["team"]) <= set(team_names(20))
    assert set(frame["category"]) == set(CATEGORIES)
    assert set(frame["layer"]) == set(LAYERS)


def test_values_in_their_ranges():
    frame = synthetic_frame(2000, teams=50, seed=1)
    for name in RATING_FIELDS:
        rated = frame[name].dropna()
        assert rated.between(0, 10).all() and (rated == rated.round()).all()
    assert frame["confidence"].dropna().between(0, 1).all()
    assert frame["effort"].between(0.5, 26).all() and frame["effort"].notna().all()
    assert (frame["reach"] >= 1).all()
    assert set(frame["impact"]) <= {0.25, 0.5, 1.0, 2.0, 3.0}
    assert set(frame["unblocks"].map(split_list).explode().dropna()) <= set(team_names(50))


def test_a_few_blanks_in_ratings_and_confidence():
    frame = synthetic_frame(5000, seed=2)
    for name in ("confidence", *RATING_FIELDS):
        assert 0.015 < frame[name].isna().mean() < 0.05, name


def test_most_initiatives_have_two_or_three_prerequisites():
    frame = synthetic_frame(3000, seed=4)
    counts = frame["depends_on"].map(lambda c: len(split_list(c)))
    assert counts.max() <= 3
    assert 0.65 < counts.isin([2, 3]).mean() < 0.9
    assert all(len(set(split_list(c))) == len(split_list(c)) for c in frame["depends_on"])


@given(n=st.integers(0, 300), teams=st.integers(1, 40), seed=st.integers(0, 2**32 - 1))
def test_prerequisites_point_at_earlier_rows_so_no_cycle(n, teams, seed):
    frame = synthetic_frame(n, teams=teams, seed=seed)
    assert len(frame) == n
    assert all(prereq < row for row, prereq in _prerequisite_rows(frame))


def test_same_seed_same_portfolio_other_seed_another():
    a = synthetic_frame(400, teams=30, seed=7)
    b = synthetic_frame(400, teams=30, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(synthetic_frame(400, teams=30, seed=8))


def test_capacity_funds_the_share_of_each_teams_effort():
    frame = synthetic_frame(1000, teams=12, seed=5)
    capacity = synthetic_capacity(frame, quarters=6, fund_share=0.5)
    assert list(capacity.columns) == ["team", "quarter", "capacity"]
    assert set(capacity["team"]) == set(frame["team"])
    assert (capacity.groupby("team")["quarter"].apply(list) == [quarter_labels(6)] * 12).all()
    assert quarter_labels(6)[-2:] == ["2028-Q1", "2028-Q2"]
    funded = capacity.groupby("team")["capacity"].sum()
    demand = frame.groupby("team")["effort"].sum()
    np.testing.assert_allclose(funded.sort_index(), 0.5 * demand.sort_index(), atol=6 * 0.05 + 1e-9)  # rounded to 0.1 a quarter


def test_xlsx_round_trip_with_capacity(tmp_path):
    frame = synthetic_frame(300, teams=10, seed=6)
    capacity = synthetic_capacity(frame)
    path = write_xlsx(frame, tmp_path / "portfolio.xlsx", capacity)
    sheets = pd.read_excel(path, sheet_name=None, engine="calamine")
    assert list(sheets) == ["Initiatives", "Capacity"]
    back = sheets["Initiatives"]
    assert list(back.columns) == list(frame.columns)
    assert back["id"].tolist() == frame["id"].tolist()
    np.testing.assert_array_equal(back["confidence"].to_numpy(float), frame["confidence"].to_numpy())
    assert back["depends_on"].fillna("").tolist() == frame["depends_on"].tolist()
    assert sheets["Capacity"]["capacity"].sum() == pytest.approx(capacity["capacity"].sum())


def test_xlsx_without_capacity_has_one_sheet(tmp_path):
    path = write_xlsx(synthetic_frame(5), tmp_path / "small.xlsx")
    assert list(pd.read_excel(path, sheet_name=None, engine="calamine")) == ["Initiatives"]


def test_csv_round_trip(tmp_path):
    frame = synthetic_frame(200, teams=10, seed=9)
    back = pd.read_csv(write_csv(frame, tmp_path / "portfolio.csv"), keep_default_na=False,
                       na_values=[""])
    assert back.shape == frame.shape
    np.testing.assert_array_equal(back["effort"].to_numpy(float), frame["effort"].to_numpy())
    assert back["reach"].dropna().astype(int).tolist() == frame["reach"].astype(int).tolist()
