"""The palettes: every category its own colour, stable by name, apart under colour-blindness,
readable on the dark theme, and no criterion in a category's colour."""

from __future__ import annotations

import subprocess
import sys
from itertools import combinations
from pathlib import Path

import pytest
from cutline.models import colours as c
from cutline.models.colour_vision import VISIONS, closest_pair, contrast_ratio, distance
from cutline.models.importing import read_portfolio

ROOT = Path(__file__).resolve().parents[2]
EXPORTS = ROOT / "tests" / "fixtures" / "exports"
SAMPLE = ROOT / "resources" / "sample_portfolio.xlsx"
PORTFOLIO_FILES = [SAMPLE, *sorted(p for p in EXPORTS.iterdir() if p.suffix in {".csv", ".tsv", ".xlsx"})]
#: The dark theme's chart background and window (views/theme.py DARK.base and .window).
DARK_BASE, DARK_WINDOW = "#26282B", "#1E1F22"
#: The floors the tests hold the palette to; docs/colour.md gives the measured figures.
CATEGORY_FLOOR = 5.0      # ΔE2000 between any two category colours, under any simulated vision
KNOWN_FLOOR = 7.0         # the same among the six known categories and the grey
CRITERION_FLOOR = 10.0    # ΔE2000 from any criterion to any category colour, normal vision
CRITERIA_APART = 7.5      # between criteria, under any simulated vision


def every_category_colour(dark: bool) -> dict[str, str]:
    known = c.KNOWN_CATEGORIES_DARK if dark else c.KNOWN_CATEGORIES
    extra = c.EXTRA_CATEGORIES_DARK if dark else c.EXTRA_CATEGORIES
    return {**known, c.NO_CATEGORY_NAME: c.NO_CATEGORY, **{f"extra {i}": x for i, x in enumerate(extra)}}


@pytest.mark.parametrize("path", PORTFOLIO_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_category_of_a_real_file_has_its_own_colour(path, dark):
    categories = read_portfolio(path).portfolio.text("category").tolist()
    by_name = c.category_colours(categories, dark)
    keys = {c.category_key(n) for n in by_name}
    assert len(set(by_name.values())) == len(keys)  # one colour per category, none shared
    named = [n for n in by_name if c.category_key(n)]
    assert all(by_name[n] != c.NO_CATEGORY for n in named)  # grey is only for "no category"


def test_names_that_differ_in_case_or_separators_are_one_category():
    assert c.category_key(" Tech debt ") == c.category_key("tech_debt") == "tech-debt"
    assert c.category_key("Developer experience") == "developer-experience"
    assert c.category_key("") == c.category_key("(no category)") == c.category_key(None) == ""
    got = c.category_colours(["Security", "security", "Developer experience", ""])
    assert got == {"Security": "#D55E00", "security": "#D55E00", "Developer experience": "#56B4E9",
                   "": c.NO_CATEGORY}


def test_unknown_categories_get_distinct_colours_from_the_extra_set():
    names = ["customer", "devex", "Bug", "Epic", "Story", "Task"]
    got = c.category_colours([*names, "(no category)"])
    assert sorted(got[n] for n in names) == sorted(c.EXTRA_CATEGORIES)
    assert got["(no category)"] == c.NO_CATEGORY
    assert c.NO_CATEGORY not in c.EXTRA_CATEGORIES and c.NO_CATEGORY not in c.KNOWN_CATEGORIES.values()


def test_a_name_keeps_its_colour_in_every_portfolio_where_nothing_sorted_before_it_took_it():
    for name in ("customer", "devex", "Bug", "platform", "Cost"):
        own = c.EXTRA_CATEGORIES[c.preferred_slot(c.category_key(name))]
        assert c.category_colours([name])[name] == own
        assert c.category_colours([name, "security", "reliability", ""])[name] == own  # known ones take no slot
    # "customer" sorts first, so it keeps its own colour whatever else is in the portfolio.
    for others in (["devex"], ["Story", "Task"], ["zeta", "omega", "devex", "Bug"]):
        assert c.category_colours(["customer", *others])["customer"] == c.category_colours(["customer"])["customer"]


def test_a_collision_moves_the_later_name_to_the_next_free_colour():
    n = len(c.EXTRA_CATEGORIES)
    names = [f"team-{i}" for i in range(40)]
    first, second = next((a, b) for a, b in combinations(sorted(names), 2)
                         if c.preferred_slot(a) == c.preferred_slot(b))
    got = c.CategoryColours([first, second]).unknown
    assert got[first] == c.preferred_slot(first)
    assert got[second] == (c.preferred_slot(first) + 1) % n


def test_more_unknown_categories_than_colours_share_them_deterministically():
    names = [f"theme {i}" for i in range(9)]
    once, again = c.category_colours(names), c.category_colours(list(reversed(names)))
    assert once == again
    assert set(once.values()) == set(c.EXTRA_CATEGORIES)  # every extra colour used before any repeats


def test_colours_are_the_same_in_another_process_with_another_hash_seed():
    names = ["customer", "devex", "Bug", "Epic", "Story", "Task"]
    code = f"from cutline.models.colours import category_colours; print(category_colours({names!r}))"
    runs = {subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout for seed in ("1", "2")}
    assert runs == {f"{c.category_colours(names)}\n"}


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_category_colours_stay_apart_under_colour_blindness(dark):
    every = every_category_colour(dark)
    known = {k: every[k] for k in [*c.KNOWN_CATEGORIES, c.NO_CATEGORY_NAME]}
    for vision in VISIONS:
        assert closest_pair(every, vision)[0] >= CATEGORY_FLOOR, vision
        assert closest_pair(known, vision)[0] >= KNOWN_FLOOR, vision


def test_dark_variants_have_contrast_on_the_dark_background():
    for colour in every_category_colour(dark=True).values():
        assert contrast_ratio(colour, DARK_BASE) >= 3.0, colour
        assert contrast_ratio(colour, DARK_WINDOW) >= 3.0, colour
    assert contrast_ratio(c.KNOWN_CATEGORIES["reliability"], DARK_BASE) < 3.0  # why it has a variant


def test_no_criterion_looks_like_a_category():
    categories = [*every_category_colour(False).values(), *every_category_colour(True).values()]
    for criterion in c.CRITERIA:
        assert criterion not in categories
        assert min(distance(criterion, x) for x in categories) >= CRITERION_FLOOR, criterion
    for vision in VISIONS:
        assert closest_pair({x: x for x in c.CRITERIA}, vision)[0] >= CRITERIA_APART, vision
    assert [c.criterion_colour(i) for i in range(10)] == [*c.CRITERIA, *c.CRITERIA[:2]]


def test_tier_shades_are_neither_category_nor_criterion_colours():
    taken = {*every_category_colour(False).values(), *every_category_colour(True).values(), *c.CRITERIA}
    assert not taken & {*c.TIERS, *c.TIERS_DARK}
    assert c.tier_colour(1) == c.TIERS[0] and c.tier_colour(9) == c.TIERS[-1]
    assert c.tier_colour(1, dark=True) == c.TIERS_DARK[0]


def test_the_colour_difference_matches_published_values():
    """CIEDE2000 against Sharma, Wu and Dalal (2005), pairs 1 and 17; and two known sRGB anchors."""
    from cutline.models.colour_vision import delta_e

    assert delta_e((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert delta_e((50.0, 2.5, 0.0), (73.0, 25.0, -18.0)) == pytest.approx(27.1492, abs=1e-4)
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert distance("#808080", "#808080", "deuteranopia") == pytest.approx(0.0, abs=1e-9)
