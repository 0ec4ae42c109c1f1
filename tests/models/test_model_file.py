"""Model files: the shipped default, round trips, and clear messages for every kind of mistake."""

import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cutline.models.errors import FormulaError, ModelError
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scoring.model import Criterion, ScoringModel, Tier, default_model
from cutline.models.scoring.model_file import (
    DEFAULT_MODEL_FILE,
    load_model,
    model_from_toml,
    model_to_toml,
    save_model,
    validate_model,
)

RESOURCES = Path(__file__).resolve().parents[2] / "resources"

CUSTOM = ScoringModel(
    criteria=(
        Criterion("value", "formula", "benefit", "rank", 2.5, formula="reach * impact / max(effort, 1)"),
        Criterion("delay", "Cost of delay", "cost", "minmax", 0),
        Criterion("dx", "dx", "benefit", "scale", 1, -2.5, 12),
    ),
    tiers=(Tier("Keep the lights on", "status == 'incident'", enabled=False), Tier("Sec", "security > 8")),
    tiers_enabled=False,
    name='Q3 "stretch"',
    description="Line one\nline two \\ with a backslash\tand a tab",
)


def test_the_shipped_default_loads_to_the_default_model():
    assert DEFAULT_MODEL_FILE == RESOURCES / "default_model.toml"
    assert load_model(RESOURCES / "default_model.toml") == default_model()


def test_round_trip_through_text_and_file(tmp_path):
    assert model_from_toml(model_to_toml(CUSTOM)) == CUSTOM
    path = tmp_path / "model.toml"
    save_model(CUSTOM, path)
    assert load_model(path) == CUSTOM
    assert tomllib.loads(path.read_text(encoding="utf-8"))["schema_version"] == 2


def test_the_written_file_is_plain_toml():
    text = model_to_toml(default_model())
    assert "[[criteria]]" in text and "[[tiers]]" in text
    data = tomllib.loads(text)
    assert data["criteria"][0] == {
        "name": "reliability", "source": "reliability", "direction": "benefit",
        "normalisation": "scale", "weight": 3, "low": 0, "high": 10,
    }
    assert "low" not in data["criteria"][2] and "formula" not in data["criteria"][2]


names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
# A criterion named only by blanks ("\r") is refused as having no name (found by the dev profile).
criterion_names = names.filter(lambda s: s.strip())


@given(
    st.lists(criterion_names, min_size=1, max_size=4, unique=True),
    st.lists(st.floats(0, 1e6, allow_nan=False), min_size=4, max_size=4),
    names,
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
)
def test_any_names_weights_and_description_survive_a_round_trip(criteria, ws, name, description):
    model = ScoringModel(
        criteria=tuple(Criterion(c, "dx", weight=w) for c, w in zip(criteria, ws)),
        tiers=(Tier(name, "dx > 1"),),
        name=name,
        description=description,
    )
    assert model_from_toml(model_to_toml(model)) == model


@pytest.mark.parametrize("blank", ["\r", " ", "\t\n"])
def test_a_criterion_named_only_by_blanks_is_refused_when_read_back(blank):
    written = model_to_toml(ScoringModel(criteria=(Criterion(blank, "dx"),)))
    with pytest.raises(ModelError, match="A criterion has no name"):
        model_from_toml(written)


# -- errors --------------------------------------------------------------------------------------
HEAD = "schema_version = 1\n"
OK = '[[criteria]]\nname = "dx"\nsource = "dx"\n'


@pytest.mark.parametrize(
    "text, words",
    [
        ("schema_version = 3\n" + OK, "written by a newer version of Cutline (schema_version 3)"),
        (OK, "it has no schema_version"),
        ('schema_version = "1"\n', "schema_version must be a whole number"),
        (HEAD + "[[criteria]\n", "this is not a valid TOML file"),
        (HEAD + OK + "wieght = 2\n", "criterion 'dx': unknown key 'wieght'"),
        (HEAD + OK + 'weight = "2"\n', "criterion 'dx', key 'weight': expected a number, not '2'"),
        (HEAD + OK + "weight = true\n", "key 'weight': expected a number"),
        (HEAD + OK + "weight = -1\n", "Criterion 'dx', key 'weight': the weight must be 0 or more"),
        (HEAD + '[[criteria]]\nname = "dx"\n', "criterion 'dx': the key 'source' is missing"),
        (HEAD + '[[criteria]]\nsource = "dx"\n', "criterion 1: the key 'name' is missing"),
        (HEAD + OK + 'direction = "up"\n', "key 'direction': use 'benefit' or 'cost'"),
        (HEAD + OK + 'normalisation = "scale"\nlow = 10\nhigh = 0\n', "low (10.0) must be below high"),
        (HEAD + OK + OK, "Two criteria are called 'dx'"),
        (HEAD + '[[tiers]]\nname = "t"\n', "tier 't': the key 'condition' is missing"),
        (HEAD + 'colour = "red"\n', "the model: unknown key 'colour'"),
        (HEAD + "criteria = 3\n", "key 'criteria': expected a list of tables"),
    ],
)
def test_mistakes_give_a_clear_message(text, words):
    with pytest.raises(ModelError) as info:
        model_from_toml(text, source="mine.toml")
    assert str(info.value).startswith("mine.toml: ")
    assert words in str(info.value)


def test_a_newer_file_says_what_to_do():
    with pytest.raises(ModelError, match="Update Cutline"):
        model_from_toml("schema_version = 7\n")


def test_a_bad_formula_points_at_the_token():
    text = HEAD + '[[criteria]]\nname = "v"\nsource = "formula"\nformula = "reach * / effort"\n'
    with pytest.raises(FormulaError) as info:
        model_from_toml(text, source="m.toml")
    assert info.value.position == 8
    assert info.value.message.startswith("m.toml: Criterion 'v', key 'formula': Expected a number")
    tier = HEAD + '[[tiers]]\nname = "t"\ncondition = "category in security"\n'
    with pytest.raises(FormulaError, match="Tier 't', key 'condition'"):
        model_from_toml(tier)


def test_a_model_saved_by_notepad_with_a_byte_order_mark_opens(tmp_path):
    path = tmp_path / "bom.toml"
    save_model(default_model(), path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_model(path) == model_from_toml(path.read_bytes()[3:].decode())


def test_file_problems(tmp_path):
    with pytest.raises(ModelError, match="There is no model file at"):
        load_model(tmp_path / "missing.toml")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\x80\x81\x00schema")
    with pytest.raises(ModelError, match="binary.toml: this is not a text file"):
        load_model(binary)
    wide = tmp_path / "wide.toml"
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        wide.write_bytes("schema_version = 2\n".encode(encoding))
        with pytest.raises(ModelError, match="wide.toml: this text is UTF-16; a model file is UTF-8"):
            load_model(wide)
    with pytest.raises(ModelError, match="could not be saved"):
        save_model(default_model(), tmp_path / "no-such-folder" / "m.toml")
    with pytest.raises(ModelError, match="weight must be 0 or more"):
        save_model(default_model().with_weight("dx", -3), tmp_path / "m.toml")


# -- checking against a portfolio ------------------------------------------------------------------
def portfolio():
    records = [
        {"id": "A", "team": "x", "dx": 12, "reach": 5, "Cost of delay": 3},
        {"id": "B", "team": "y", "dx": 4, "reach": 1, "Cost of delay": "soon"},
    ]
    return Portfolio.from_records(records, extra_columns=["Cost of delay"])


def test_validate_accepts_the_default_model_with_warnings():
    warnings = validate_model(default_model(), portfolio())
    assert "Criterion 'reliability': no initiative has a value, so it adds nothing to any score." in warnings
    assert "Criterion 'dx': 1 value(s) lie outside 0..10 and count as the nearest end." in warnings
    assert "Tier 'Reliability and security first': no initiative meets its condition." in warnings


def test_validate_warns_about_text_in_a_numeric_column_and_zero_weights():
    model = ScoringModel(criteria=(Criterion("delay", "cost of delay", weight=0),))
    warnings = validate_model(model, portfolio())
    assert warnings == [
        "Criterion 'delay': 1 value(s) in column 'Cost of delay' are not numbers and count as blank.",
        "Every weight is 0, so every initiative scores 0 and ranks by tier and row.",
    ]


@pytest.mark.parametrize(
    "model, words",
    [
        (ScoringModel(criteria=(Criterion("nv", "net_value"),)),
         "Criterion 'nv', key 'source': there is no column or derived value called 'net_value'"),
        (ScoringModel(criteria=(Criterion("t", "team"),)), "the column 'team' holds text"),
        (ScoringModel(criteria=(Criterion("f", "formula", formula="reach * missing"),)),
         "Criterion 'f', key 'formula': There is no column called 'missing'"),
        (ScoringModel(criteria=(), tiers=(Tier("t", "squad == 'a'"),)),
         "Tier 't', key 'condition': There is no column called 'squad'"),
    ],
)
def test_validate_refuses_what_the_portfolio_cannot_score(model, words):
    with pytest.raises(ModelError) as info:
        validate_model(model, portfolio())
    assert words in str(info.value)


def test_the_example_in_the_docs_loads():
    doc = (RESOURCES.parent / "docs" / "model-file.md").read_text(encoding="utf-8")
    example = doc.split("```toml\n", 1)[1].split("```", 1)[0]
    model = model_from_toml(example)
    assert model.names == ("reliability", "value per week", "cost of delay", "priority")
    assert model.criterion("value per week").formula == "reach * impact * confidence / max(effort, 1)"
    assert model.value_map("priority").number("no priority") == 1
    assert model.value_maps["Cost of delay"] == {"Very high": 10, "High": 8}


# -- schema_version 2: value maps ------------------------------------------------------------------
V1_FILE = '''\
# Written by Cutline before value maps (schema_version 1).
schema_version = 1
name = "Old team model"
description = "Saved in spring"
tiers_enabled = true

[[criteria]]
name = "reliability"
source = "reliability"
direction = "benefit"
normalisation = "scale"
weight = 3
low = 0
high = 10

[[criteria]]
name = "cost of delay"
source = "Cost of delay"
normalisation = "minmax"
weight = 1.5

[[tiers]]
name = "Security first"
condition = "security >= 8"
enabled = false
'''

V2_FILE = '''\
schema_version = 2
name = "Tracker"

[[criteria]]
name = "priority"
source = "Priority"
direction = "cost"
normalisation = "scale"
weight = 3
low = 1
high = 5

[[criteria]]
name = "value"
source = "formula"
formula = "`Business Value` * 2"

[value_maps.Priority]
Highest = 1
"No priority" = 5
"Won't" = 5.5

[value_maps."Business Value"]
"1 - High" = 8
'''


def test_a_schema_version_1_file_still_opens():
    model = model_from_toml(V1_FILE, source="old.toml")
    assert model == ScoringModel(
        criteria=(
            Criterion("reliability", "reliability", "benefit", "scale", 3, 0, 10),
            Criterion("cost of delay", "Cost of delay", "benefit", "minmax", 1.5),
        ),
        tiers=(Tier("Security first", "security >= 8", enabled=False),),
        name="Old team model",
        description="Saved in spring",
    )
    assert model.value_maps == {}
    # Saved again, it becomes a version 2 file with the same model.
    text = model_to_toml(model)
    assert "schema_version = 2" in text and "value_maps" not in text
    assert model_from_toml(text) == model


def test_a_schema_version_2_file_reads_its_value_maps():
    model = model_from_toml(V2_FILE)
    assert model.value_maps == {
        "Priority": {"Highest": 1.0, "No priority": 5.0, "Won't": 5.5},
        "Business Value": {"1 - High": 8.0},
    }
    assert model.value_map("priority").number("  no PRIORITY ") == 5.0
    text = model_to_toml(model)
    assert '[value_maps."Business Value"]' in text and "[value_maps.Priority]" in text
    assert '"No priority" = 5' in text and '"Won\'t" = 5.5' in text
    assert model_from_toml(text) == model
    assert tomllib.loads(text)["value_maps"]["Priority"]["Highest"] == 1


def test_value_maps_round_trip_through_a_file(tmp_path):
    model = CUSTOM.with_value_map("Cost of delay", {"soon": 3, "Later": 1, 'quote " and \\ slash': 2})
    model = model.with_value_map("dx", {"great": 10})
    path = tmp_path / "m.toml"
    save_model(model, path)
    again = load_model(path)
    assert again == model and hash(again) == hash(model)
    assert list(again.value_maps["Cost of delay"]) == ["soon", "Later", 'quote " and \\ slash']


@given(st.dictionaries(names.filter(str.strip), st.floats(-1e9, 1e9, allow_nan=False), max_size=5),
       names.filter(str.strip))
def test_any_value_map_survives_a_round_trip(words, column):
    folded = {" ".join(w.split()).casefold() for w in words}
    if len(folded) < len(words):  # two words that are one word: refused, tested below
        return
    model = ScoringModel(criteria=(Criterion("dx", "dx"),)).with_value_map(column, words)
    assert model_from_toml(model_to_toml(model)) == model


HEAD2 = "schema_version = 2\n" + OK


@pytest.mark.parametrize(
    "text, words",
    [
        (HEAD2 + "[value_maps.Priority]\nHigh = \"4\"\n",
         "value map 'Priority', key 'High': expected a number, not '4'"),
        (HEAD2 + "[value_maps.Priority]\nHigh = true\n", "value map 'Priority', key 'High': expected a number"),
        (HEAD2 + "[value_maps.Priority]\nHigh = inf\n",
         "value map 'Priority', key 'High': the number must be finite, not inf"),
        (HEAD2 + "[value_maps.Priority]\nHigh = nan\n", "key 'High': the number must be finite"),
        (HEAD2 + '[value_maps.Priority]\n"" = 1\n', "value map 'Priority': a word is empty"),
        (HEAD2 + '[value_maps.Priority]\n"  " = 1\n', "value map 'Priority': a word is empty"),
        (HEAD2 + '[value_maps.Priority]\nHigh = 4\n" high " = 3\n',
         "value map 'Priority', keys 'High' and ' high ': they are the same word"),
        (HEAD2 + "[value_maps]\nPriority = 3\n",
         "value map 'Priority' is not a table of words; write it as [value_maps.Priority]"),
        (HEAD2 + '[value_maps."Business Value"]\nHigh = 1\n[value_maps."business value"]\nLow = 1\n',
         "value map 'business value': there is already a value map for column 'Business Value'"),
        (HEAD2 + '[value_maps.""]\nHigh = 1\n', "a value map has an empty column name"),
        ("schema_version = 2\nvalue_maps = 3\n", "key 'value_maps': expected a table of columns"),
        (HEAD + OK + "[value_maps.Priority]\nHigh = 4\n", "value_maps need schema_version 2 or later"),
    ],
)
def test_value_map_mistakes_give_a_clear_message(text, words):
    with pytest.raises(ModelError) as info:
        model_from_toml(text, source="mine.toml")
    assert str(info.value).startswith("mine.toml: ")
    assert words in str(info.value)


def test_value_maps_in_python_are_checked_too():
    model = ScoringModel(criteria=(Criterion("dx", "dx"),))
    with pytest.raises(ModelError, match="Value map 'Priority', key 'High': the number must be finite"):
        model.with_value_map("Priority", {"High": float("inf")})
    with pytest.raises(ModelError, match="Value map 'Priority': every word must be non-empty"):
        model.with_value_map("Priority", {" ": 1})
    with pytest.raises(ModelError, match="expected a number, not 'x'"):
        model.with_value_map("Priority", {"High": "x"})
    with pytest.raises(ModelError, match="A value map needs a column name"):
        model.with_value_map("", {"High": 1})


def test_validate_warns_about_words_missing_from_a_value_map_and_unused_maps():
    records = [
        {"id": "A", "team": "x", "Priority": "High"},
        {"id": "B", "team": "y", "Priority": "hgih"},
        {"id": "C", "team": "y", "Priority": 2},
    ]
    p = Portfolio.from_records(records, extra_columns=["Priority"])
    model = (ScoringModel(criteria=(Criterion("p", "priority"),))
             .with_value_map("PRIORITY", {"High": 4, "3": 3})
             .with_value_map("Squad", {"a": 1}))
    assert validate_model(model, p) == [
        "Criterion 'p': 1 value(s) in column 'Priority' are not numbers and not in its value map, "
        "so they count as blank: 'hgih'.",
        "Value map 'PRIORITY': '3' never apply, because a cell that holds a number keeps its number.",
        "Value map 'Squad': there is no column called 'Squad', so it is not used.",
    ]


def test_a_source_that_matches_two_columns_by_case_names_both(tmp_path):
    from cutline.models.portfolio.portfolio import Portfolio
    from cutline.models.scoring.score import Scorer

    portfolio = Portfolio.from_records([{"id": "A", "Foo": 1, "foo": 2}], extra_columns=["Foo", "foo"])
    model = model_from_toml('schema_version = 2\n[[criteria]]\nname = "x"\nsource = "FOO"\nweight = 1\n')
    with pytest.raises(ModelError, match="'FOO' could be any of the columns 'Foo', 'foo'"):
        Scorer(portfolio).raw(model.criteria[0], model.value_maps)
    with pytest.raises(ModelError, match="schema_version must be a whole number from 1 up, such as 2, not 0"):
        model_from_toml("schema_version = 0\n")
