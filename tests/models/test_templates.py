"""The shipped model templates: each loads as a normal model file and scores a small portfolio
as computed by hand."""

from pathlib import Path

import numpy as np
import pytest
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scoring.model import default_model
from cutline.models.scoring.model_file import (
    DEFAULT_MODEL_FILE,
    load_model,
    model_from_toml,
    model_to_toml,
)
from cutline.models.scoring.score import score
from cutline.models.scoring.templates import TEMPLATES, load_template, shipped_template, template

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
EXTRA = ["Strategic alignment", "Priority", "Business Value", "Time Criticality"]


def portfolio():
    records = [
        {"id": "X", "team": "a", "reach": 100, "impact": 2, "confidence": 0.5, "effort": 2, "risk": 4,
         "Strategic alignment": "High", "Priority": "P1", "Business Value": 8, "Time Criticality": 3},
        {"id": "Y", "team": "b", "reach": 50, "impact": 1, "confidence": 1.0, "effort": 4, "risk": 8,
         "Strategic alignment": 2, "Priority": "Urgent", "Business Value": 5, "Time Criticality": 8},
        {"id": "Z", "team": "c", "reach": 10, "impact": 3, "confidence": 1.0, "effort": 1, "risk": None,
         "Strategic alignment": "meh", "Priority": 3, "Business Value": 1, "Time Criticality": 1},
    ]
    return Portfolio.from_records(records, extra_columns=EXTRA)


def test_the_templates_are_listed_with_a_title_a_line_and_a_file():
    assert [t.key for t in TEMPLATES] == ["platform_default", "rice", "wsjf", "priority_effort",
                                          "weighted_scoring"]
    for t in TEMPLATES:
        key, title, description, path = t
        assert title and description and "\n" not in description
        assert path == RESOURCES / "models" / f"{key}.toml" and path.is_file()
        assert template(key) is t
    with pytest.raises(KeyError, match="no model template 'nope'"):
        load_template("nope")


@pytest.mark.parametrize("key", [t.key for t in TEMPLATES])
def test_every_template_is_a_normal_model_file(key):
    model = load_template(key)
    assert load_model(template(key).path) == model == shipped_template(key)
    assert model_from_toml(model_to_toml(model)) == model
    ranking = score(portfolio(), model)
    assert sorted(ranking.rank.tolist()) == [1, 2, 3]
    assert np.all((ranking.score >= 0) & (ranking.score <= 100))


def test_the_platform_default_is_the_default_model_file():
    assert template("platform_default").path.read_bytes() == DEFAULT_MODEL_FILE.read_bytes()
    assert load_template("platform_default") == default_model()


def test_rice_by_hand():
    # rice: X 100*2*0.5/2 = 50, Y 50*1*1/4 = 12.5, Z 10*3*1/1 = 30; minmax over 12.5..50.
    ranking = score(portfolio(), load_template("rice"))
    np.testing.assert_allclose(ranking.score, [100, 0, 100 * 17.5 / 37.5])
    assert ranking.rank.tolist() == [1, 3, 2]


def test_wsjf_by_hand():
    # (Business Value + Time Criticality + Risk) / effort, Risk being the risk column:
    # X (8 + 3 + 4) / 2 = 7.5; Y (5 + 8 + 8) / 4 = 5.25; Z has no risk, so blank.
    ranking = score(portfolio(), load_template("wsjf"))
    np.testing.assert_allclose(ranking.raw[:, 0], [7.5, 5.25, np.nan])
    np.testing.assert_allclose(ranking.score, [100, 0, 0])


def test_wsjf_reads_azure_devops_risk_words_in_an_extra_column():
    records = [
        {"id": "A", "effort": 2, "Business Value": 8, "Time Criticality": 3, "Risk": "1 - High"},
        {"id": "B", "effort": 4, "Business Value": 5, "Time Criticality": 8, "Risk": "3 - Low"},
        {"id": "C", "effort": 1, "Business Value": 1, "Time Criticality": 1, "Risk": 1},
    ]
    p = Portfolio.from_records(records, extra_columns=["Business Value", "Time Criticality", "Risk"])
    ranking = score(p, load_template("wsjf"))
    # A (8 + 3 + 8) / 2 = 9.5; B (5 + 8 + 2) / 4 = 3.75; C (1 + 1 + 1) / 1 = 3.
    np.testing.assert_allclose(ranking.raw[:, 0], [9.5, 3.75, 3])


def test_priority_and_effort_by_hand():
    # Priority as a rank 1..5, a cost on scale 1..5: X P1 = 2 -> 0.75, Y Urgent = 1 -> 1,
    # Z 3 (a number) -> 0.5. Effort, cost minmax over 1..4: X 2/3, Y 0, Z 1.
    ranking = score(portfolio(), load_template("priority_effort"))
    np.testing.assert_allclose(ranking.raw[:, 0], [2, 1, 3])
    np.testing.assert_allclose(ranking.score, [100 * (2.25 + 2 / 3) / 4, 75, 62.5])
    assert ranking.rank.tolist() == [2, 1, 3]


@pytest.mark.parametrize("word, rank", [
    ("Highest", 1), ("high", 2), ("Medium", 3), ("LOW", 4), ("Lowest", 5),
    ("Urgent", 1), ("No priority", 5), ("p0", 1), ("P4", 5),
    ("Must", 1), ("Should", 2), ("Could", 3), ("Won't", 5),
])
def test_priority_words(word, rank):
    assert load_template("priority_effort").value_map("Priority").number(word) == rank


def test_weighted_scoring_by_hand():
    # impact minmax over 1..3: X 0.5, Y 0, Z 1. Strategic alignment scale 1..5: X High = 4 -> 0.75,
    # Y 2 -> 0.25, Z 'meh' blank. Effort cost minmax: X 2/3, Y 0, Z 1. Risk cost 0..10: X 0.6, Y 0.2,
    # Z blank. score = 100 * (3 impact + 3 alignment + 2 effort + 1 risk) / 9.
    ranking = score(portfolio(), load_template("weighted_scoring"))
    expected = [100 * (1.5 + 2.25 + 4 / 3 + 0.6) / 9, 100 * 0.95 / 9, 100 * 5 / 9]
    np.testing.assert_allclose(ranking.score, expected)
    assert ranking.rank.tolist() == [1, 3, 2]


def test_the_wsjf_example_in_the_docs():
    records = [
        {"id": "A", "effort": 3, "Business Value": 8, "Time Criticality": 5, "Risk": "1 - High"},
        {"id": "B", "effort": 5, "Business Value": 5, "Time Criticality": 8, "Risk": 2},
        {"id": "C", "effort": 2, "Business Value": 3, "Time Criticality": 2, "Risk": "2 - Medium"},
        {"id": "D", "effort": 8, "Business Value": 13, "Time Criticality": 1, "Risk": None},
    ]
    p = Portfolio.from_records(records, extra_columns=["Business Value", "Time Criticality", "Risk"])
    ranking = score(p, load_template("wsjf"))
    np.testing.assert_allclose(ranking.raw[:, 0], [7, 3, 5, np.nan])
    np.testing.assert_allclose(ranking.score, [100, 0, 50, 0])
    assert ranking.rank.tolist() == [1, 3, 2, 4]
    doc = (RESOURCES.parent / "docs" / "scoring.md").read_text(encoding="utf-8")
    assert "| A  | 8  | 5 | `1 - High` = 8   | 3 | (8 + 5 + 8) / 3 = 7 |" in doc


def test_model_or_template_takes_a_key_or_a_file(tmp_path, monkeypatch):
    from cutline.models.scoring.templates import model_or_template

    assert model_or_template("rice") == load_template("rice")
    path = tmp_path / "mine.toml"
    path.write_text(model_to_toml(load_template("wsjf")), encoding="utf-8")
    assert model_or_template(path) == load_template("wsjf")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rice").write_text(model_to_toml(load_template("wsjf")), encoding="utf-8")
    assert model_or_template("rice") == load_template("wsjf")  # a file of that name wins
