"""Column mapping: every synonym, the normalisation of headers, conflicts, saving and reuse."""

from __future__ import annotations

import json

import pytest
from cutline.models.errors import ColumnMappingError
from cutline.models.importing import (
    SYNONYMS,
    ColumnMapping,
    build_portfolio,
    field_for_header,
    guess_mapping,
    headers_key,
    normalise_header,
    read_raw,
)
from cutline.models.portfolio.portfolio import CANONICAL_FIELDS
from hypothesis import given
from hypothesis import strategies as st

from tests.models import import_files as f

ISSUE_SYNONYMS = {
    "id": ["key", "ref", "initiative id"],
    "title": ["name", "initiative", "feature", "item", "summary"],
    "team": ["owner", "owning team"],
    "category": ["type", "theme", "bucket"],
    "effort": ["estimate", "size", "person weeks"],
    "dx": ["developer experience"],
    "depends_on": ["dependencies", "depends on", "prerequisites", "blocked by"],
    "unblocks": ["unblocks teams", "downstream teams"],
    "quarter": ["target quarter"],
    "notes": ["description"],
}


@pytest.mark.parametrize("field", CANONICAL_FIELDS)
def test_each_field_by_its_own_name(field):
    assert field_for_header(field) == field
    assert field_for_header(field.upper().replace("_", " ")) == field


@pytest.mark.parametrize("field, synonym", [(f, s) for f, names in ISSUE_SYNONYMS.items() for s in names])
def test_each_synonym_of_the_issue(field, synonym):
    assert synonym in SYNONYMS[field]
    for written in (synonym, synonym.title(), synonym.upper(), synonym.replace(" ", "_"),
                    synonym.replace(" ", "-"), f"  {synonym}  (see notes)"):
        assert field_for_header(written) == field, written


@pytest.mark.parametrize("header, field", [
    ("Reach (users/quarter)", "reach"),
    ("Confidence %", "confidence"),
    ("Confidence(%)", "confidence"),
    ("Effort (person-weeks)", "effort"),
    ("Depends On", "depends_on"),
    ("Owning Team", "team"),
    ("Person_Weeks", "effort"),
    ("DX [1-10]", "dx"),
    ("Issue key", "id"),
    ("Reach (users (monthly))", "reach"),
    ("Budget", None),
    ("Teams", None),
])
def test_headers_from_real_sheets(header, field):
    assert field_for_header(header) == field


def test_normalise_header():
    assert normalise_header("  Effort (person-weeks) ") == "effort"
    assert normalise_header("Confidence %") == "confidence"
    assert normalise_header("depends_on") == normalise_header("Depends-On") == "dependson"
    assert normalise_header(None) == ""


def test_guess_maps_the_sample_headers():
    mapping = guess_mapping(f.HEADERS)
    assert mapping.mapped() == {
        "id": "ID", "title": "Title", "team": "Owning Team", "reach": "Reach (users/quarter)",
        "impact": "Impact", "confidence": "Confidence %", "effort": "Effort (person-weeks)",
        "depends_on": "Depends On",
    }
    assert mapping.extras() == () and mapping.ignored == frozenset()
    assert "status" in mapping.unmapped_fields()


def test_a_fields_own_name_wins_over_a_synonym():
    mapping = guess_mapping(["Owner", "Team", "Name", "Title"])
    assert mapping.field_of("Team") == "team" and mapping.field_of("Owner") is None
    assert mapping.field_of("Title") == "title" and mapping.field_of("Name") is None


def test_leftmost_synonym_wins():
    mapping = guess_mapping(["Summary", "Feature"])
    assert mapping.field_of("Summary") == "title" and mapping.field_of("Feature") is None


def test_computed_columns_are_dropped_only_in_an_export():
    user_sheet = guess_mapping(["ID", "Score", "Title"])
    assert user_sheet.extras() == ("Score",) and not user_sheet.ignored
    export = guess_mapping(["Rank", "Score", "Points: rice", "id", "Notes"])
    assert export.ignored == {"Rank", "Score", "Points: rice"}
    assert export.field_of("Rank") is None and export.extras() == ()


def test_two_columns_on_one_field_is_an_error():
    with pytest.raises(ColumnMappingError, match="'Owner' and 'Team' are both mapped to team") as err:
        ColumnMapping({"Owner": "team", "Team": "team"})
    assert err.value.location.column == "Team"


def test_unknown_field_is_an_error():
    with pytest.raises(ColumnMappingError, match="'budget' is not an initiative field"):
        ColumnMapping({"Budget": "budget"})


def test_extra_named_like_a_mapped_field_is_an_error():
    with pytest.raises(ColumnMappingError, match="same name"):
        ColumnMapping({"Owner": "team", "team": None})
    assert ColumnMapping({"Owner": "team", "team": None}, frozenset({"team"})).extras() == ()


def test_with_field_and_with_ignored():
    mapping = guess_mapping(["ID", "Owner", "Lead"])
    with pytest.raises(ColumnMappingError):
        mapping.with_field("Lead", "team")
    moved = mapping.with_field("Lead", "team", replace=True)
    assert moved.field_of("Lead") == "team" and moved.field_of("Owner") is None
    dropped = moved.with_ignored("Owner")
    assert dropped.extras() == () and "Owner" in dropped.ignored
    back = dropped.with_ignored("Owner", False)
    assert back.extras() == ("Owner",)
    assert mapping.with_field("Owner", None).extras() == ("Owner", "Lead")


def test_saved_mapping_round_trips_through_json():
    mapping = guess_mapping(["Rank", "Score", "id", "Sponsor", "Owning team"]).with_field("Sponsor", "notes")
    data = json.loads(json.dumps(mapping.to_dict()))
    again = ColumnMapping.from_dict(data)
    assert again == mapping
    assert data["headers_key"] == headers_key(["Rank", "Score", "id", "Sponsor", "Owning team"])


@pytest.mark.parametrize("data", [{}, {"columns": 3}, {"columns": [{"field": "id"}]}, "nope"])
def test_unreadable_saved_mapping(data):
    with pytest.raises(ColumnMappingError, match="cannot be read"):
        ColumnMapping.from_dict(data)


def test_mapping_from_a_newer_version():
    with pytest.raises(ColumnMappingError, match="newer"):
        ColumnMapping.from_dict({"version": 99, "columns": []})


def test_headers_key_is_stable_and_tells_layouts_apart():
    key = headers_key(["ID", "Title"])
    assert key == ColumnMapping.headers_key(["ID", "Title"]) == headers_key(("ID", " Title "))
    assert key.startswith("h1-") and all(c in "0123456789abcdef" for c in key[3:])
    assert key != headers_key(["Title", "ID"]) and key != headers_key(["ID", "Title", "Team"])


@given(st.lists(st.text(max_size=12), max_size=8))
def test_headers_key_is_a_function_of_the_headers(headers):
    assert headers_key(headers) == headers_key(list(headers))
    assert len(headers_key(headers)) == 27


def test_saved_mapping_is_reused_for_the_same_headers(tmp_path):
    path = f.write_xlsx(tmp_path / "t.xlsx", [["Key", "Lead", "Effort"], ["A-1", "Ana", 3]])
    raw = read_raw(path)
    saved = {headers_key(raw.headers): guess_mapping(raw.headers).with_field("Lead", "team").to_dict()}
    again = read_raw(path)
    mapping = ColumnMapping.from_dict(saved[headers_key(again.headers)])
    portfolio, _ = build_portfolio(again, mapping)
    assert portfolio.text("team").tolist() == ["Ana"]


def test_mapping_for_other_columns_is_an_error(tmp_path):
    raw = read_raw(f.write_xlsx(tmp_path / "t.xlsx", [["ID", "Title"], ["I-1", "A"]]))
    with pytest.raises(ColumnMappingError, match="'Team', which this sheet does not have"):
        build_portfolio(raw, ColumnMapping({"ID": "id", "Team": "team"}))
    with pytest.raises(ColumnMappingError, match="No column is mapped"):
        build_portfolio(raw, ColumnMapping({"ID": None, "Title": None}))


def test_unmapped_headers_are_kept_as_extras(tmp_path):
    raw = read_raw(f.write_xlsx(tmp_path / "t.xlsx", [["ID", "Budget", "Title"], ["I-1", 5, "A"]]))
    portfolio, _ = build_portfolio(raw, ColumnMapping({"ID": "id", "Budget": None}))
    assert portfolio.extra_columns == ("Budget", "Title")  # a column the mapping does not list is kept too
    assert portfolio.frame["Budget"].tolist() == [5] and portfolio.frame["Title"].tolist() == ["A"]
    assert portfolio.text("title").tolist() == [""]


def test_lookalike_column_left_as_extra_is_mentioned(tmp_path):
    raw = read_raw(f.write_xlsx(tmp_path / "t.xlsx", [["ID", "Team", "Owner"], ["I-1", "A", "B"]]))
    _, report = build_portfolio(raw, guess_mapping(raw.headers))
    issue = next(i for i in report.warnings if "looks like team" in i.message)
    assert issue.location.column == "Owner" and issue.location.row == 1
