"""The bundled sample portfolio: realistic size, every input column, a sound dependency graph."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from cutline.models.portfolio.portfolio import CANONICAL_FIELDS, split_list

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample_portfolio.xlsx"


@pytest.fixture(scope="module")
def initiatives() -> pd.DataFrame:
    return pd.read_excel(SAMPLE, sheet_name="Initiatives", engine="calamine")


@pytest.fixture(scope="module")
def capacity() -> pd.DataFrame:
    return pd.read_excel(SAMPLE, sheet_name="Capacity", engine="calamine")


def _cell_list(value) -> list[str]:
    return split_list("" if pd.isna(value) else str(value))


def test_size_and_teams(initiatives):
    assert 50 <= len(initiatives) <= 80
    assert 6 <= initiatives["team"].nunique() <= 10


def test_every_canonical_column_plus_extras(initiatives):
    assert list(initiatives.columns[: len(CANONICAL_FIELDS)]) == list(CANONICAL_FIELDS)
    assert {"Jira key", "Sponsor"} <= set(initiatives.columns)


def test_ids_unique(initiatives):
    assert initiatives["id"].notna().all()
    assert initiatives["id"].is_unique


def test_dependencies_name_known_ids_and_teams(initiatives):
    ids = set(initiatives["id"])
    teams = set(initiatives["team"])
    for value in initiatives["depends_on"]:
        assert set(_cell_list(value)) <= ids
    for value in initiatives["unblocks"]:
        assert set(_cell_list(value)) <= teams


def test_no_dependency_cycle(initiatives):
    needs = {i: _cell_list(v) for i, v in zip(initiatives["id"], initiatives["depends_on"], strict=True)}
    done: set[str] = set()
    on_path: set[str] = set()

    def visit(ident: str) -> None:
        assert ident not in on_path, f"cycle through {ident}"
        if ident in done:
            return
        on_path.add(ident)
        for prereq in needs[ident]:
            visit(prereq)
        on_path.discard(ident)
        done.add(ident)

    for ident in needs:
        visit(ident)


def test_shows_the_cases_a_pm_meets(initiatives):
    team_of = dict(zip(initiatives["id"], initiatives["team"], strict=True))
    cross_team = sum(
        team_of[p] != team for team, v in zip(initiatives["team"], initiatives["depends_on"], strict=True)
        for p in _cell_list(v)
    )
    assert cross_team >= 10
    assert (initiatives["reliability"] >= 8).sum() >= 3
    assert (initiatives["security"] >= 8).sum() >= 3
    for column in ("effort", "confidence", "dx"):
        assert initiatives[column].isna().sum() >= 1, f"no blank {column}"
    # Confidence mostly as numbers (percent-formatted cells), a few typed as text.
    texts = [c for c in initiatives["confidence"] if isinstance(c, str)]
    assert texts and all(t.endswith("%") for t in texts)


def test_capacity_covers_four_quarters_for_every_team(initiatives, capacity):
    assert list(capacity.columns) == ["team", "quarter", "capacity"]
    assert set(capacity["team"]) == set(initiatives["team"])
    quarters = capacity.groupby("team")["quarter"].apply(lambda q: tuple(sorted(q)))
    assert set(quarters) == {("2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4")}


def test_capacity_funds_about_two_thirds(initiatives, capacity):
    share = capacity["capacity"].sum() / initiatives["effort"].sum()
    assert 0.55 <= share <= 0.75
