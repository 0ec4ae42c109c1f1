"""The capacity charts on the real window: they follow capacity changes (and undo), hover names
what is under the pointer, legends name the categories, and the roadmap's lanes switch."""

from __future__ import annotations

import numpy as np
import pytest

from cutline.app.features import capacity_editor as capacity_flow
from cutline.app.features.capacity import CapacityFeature
from cutline.models.capacity.capacity import Guardrail
from cutline.models.capacity.edits import with_guardrail
from cutline.models.capacity.grid import POOL_NAME, capacity_grid
from cutline.views.palette import CATEGORY_COLOURS, category_hex
from tests.gui import scoring_fixtures as fx
from tests.gui.closing import close_discarding


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory):
    """One window on the sample for the whole file (building one takes seconds); tests undo."""
    from PySide6.QtCore import QSettings

    from tests.gui.windows import scripted_window

    QSettings("Cutline", "Cutline").clear()
    win = scripted_window(tmp_path_factory.mktemp("capacity"))
    win.show()
    yield win
    close_discarding(win)


def chart(window, name):
    window.show_view(name)
    return window.feature(CapacityFeature).charts[name]


@pytest.mark.slow
def test_a_capacity_change_moves_the_cut_line_and_the_charts_and_undo_restores(window, qtbot):
    doc = window.document
    cut_before = doc.evaluation.allocation.cut_line
    cut_chart = chart(window, "cutline")
    assert cut_chart.cut_label == f"cut line #{cut_before}"
    bars = chart(window, "capacity")
    marks_before = bars.marks.getData()[0].copy()
    identity = bars.grid.teams.index("Identity")
    dialog = capacity_flow.edit_capacity(window)
    qtbot.addWidget(dialog)
    dialog.type_into("Identity", None, "0")   # one number for all quarters
    assert dialog.try_accept()
    cut_after = doc.evaluation.allocation.cut_line
    assert cut_after is not None and cut_after < cut_before  # Identity's work is ranked first
    assert bars.evaluation is doc.evaluation  # the chart in front redrew at once
    assert np.all(bars.grid.capacity[identity] == 0)
    assert not np.array_equal(bars.marks.getData()[0], marks_before)
    assert bars.grid.not_funded[identity] > 0
    assert cut_chart.evaluation is not doc.evaluation  # behind until shown
    assert chart(window, "cutline").cut_label == f"cut line #{cut_after}"
    assert cut_chart.cut.value() == pytest.approx(cut_after - 0.5)
    doc.undo_stack.undo()
    assert doc.evaluation.allocation.cut_line == cut_before
    assert cut_chart.cut_label == f"cut line #{cut_before}"
    assert np.array_equal(chart(window, "capacity").marks.getData()[0], marks_before)


def test_the_charts_update_their_items_rather_than_rebuild(window):
    doc = window.document
    roadmap = chart(window, "roadmap")
    widgets = (roadmap.canvas, roadmap.quarters, roadmap.legend)
    shown = roadmap.layout_.rows.copy()
    scenario = doc.workshop.current_scenario()
    capacity_flow.apply_capacity(window, with_guardrail(scenario.capacity, Guardrail("capability", 0, 0.3)))
    assert (roadmap.canvas, roadmap.quarters, roadmap.legend) == widgets
    boxes = len(roadmap.picture.texts)
    assert boxes == len(roadmap.layout_.rows) == int(doc.evaluation.allocation.funded.sum())
    assert not np.array_equal(roadmap.layout_.rows, shown)
    doc.undo_stack.undo()


def test_hover_names_the_team_the_initiative_or_the_category(window):
    ev = window.document.evaluation
    p = ev.portfolio
    bars = chart(window, "capacity")
    row = bars.grid.teams.index("Identity")
    text = bars.hover_at(*bars.cell_centre(row, 0))
    first = int(ev.ranking.order[0])  # PLT-101, Identity's, funded in the first quarter
    assert text.startswith("Identity · 2027-Q1\nCapacity ")
    assert f"#1 {p.ids[first]} {p.value(first, 'title')}" in text
    waiting = bars.hover_at(*bars.cell_centre(bars.grid.teams.index("Payments Platform"), 4))
    assert waiting.startswith("Payments Platform · not funded: ") and "PLT-1" in waiting
    cut = chart(window, "cutline")
    text = cut.hover_at(*cut.point_of(first))
    assert text.startswith(f"#1 {p.ids[first]} {p.value(first, 'title')}\n")
    assert "person-weeks so far" in text
    assert cut.hover_at(1, cut.cumulative[-1] * 3) == ""
    shares = chart(window, "shares")
    assert shares.hover_at(1, 0).startswith(f"{shares.names[0]}: ")
    roadmap = chart(window, "roadmap")
    text = roadmap.hover_at(*roadmap.box_of(first))
    assert text.startswith(f"{p.ids[first]} {p.value(first, 'title')}\n")
    assert "Funded in 2027-Q1" in text


def test_legends_name_the_categories_in_the_palette_colours(window):
    categories = [c for c in CATEGORY_COLOURS if c in set(window.document.workshop.portfolio.text("category"))]
    for name in ("capacity", "shares", "roadmap"):
        key = chart(window, name).key
        entries = dict(key._entries)
        assert [n for n in key.names if n in CATEGORY_COLOURS] == categories
        assert all(entries[c].colour == category_hex(c) for c in categories)
    assert chart(window, "capacity").key.names[-3:] == ["Capacity", "Free", "Not funded"]
    names = chart(window, "cutline").key.names
    assert names[0] == "Funded" and "Not funded" in names and names[-1] == "Cut line"


def test_guardrails_show_as_reserve_and_cap_marks(window):
    doc = window.document
    capacity = doc.workshop.current_scenario().capacity
    capacity = with_guardrail(with_guardrail(capacity, Guardrail("tech-debt", 0.2)),
                              Guardrail("capability", 0.0, 0.5))
    capacity_flow.apply_capacity(window, capacity)
    assert doc.undo_stack.undoText() == ("Capacity: reserve of tech-debt none → 20%; "
                                         "cap of capability none → 50%")
    shares = chart(window, "shares")
    tech = shares.categories.index("tech-debt")
    x, y = shares.reserve_marks.getData()
    assert np.allclose(x, 20) and np.allclose(y.mean(), tech)
    assert np.allclose(shares.cap_marks.getData()[0], 50)
    assert "Reserve" in shares.key.names and "Cap" in shares.key.names
    assert "Guardrail: reserve 20%" in shares.describe(tech)
    assert shares.names[-1] == "Free capacity"
    assert shares.used.sum() == pytest.approx(shares.total_capacity)  # the bars add up to 100%
    doc.undo_stack.undo()
    assert len(shares.reserve_marks.getData()[0] if shares.reserve_marks.getData()[0] is not None else []) == 0


def test_the_roadmap_lanes_by_layer_or_by_team(window):
    roadmap = chart(window, "roadmap")
    assert roadmap.layout_.lanes == ("infrastructure", "core services", "enabling capabilities")
    roadmap.lanes_box.setCurrentIndex(roadmap.lanes_box.findData("team"))
    teams = window.document.workshop.current_scenario().capacity.teams
    assert roadmap.layout_.lanes == tuple(t for t in teams if t in roadmap.layout_.lanes)
    assert len(roadmap.layout_.rows) == int(window.document.evaluation.allocation.funded.sum())
    assert roadmap.picture.plan is roadmap.layout_
    roadmap.set_lanes("layer")


def test_every_arrow_runs_from_a_prerequisite_to_what_waits_on_it(window):
    roadmap = chart(window, "roadmap")
    ev, lay = window.document.evaluation, roadmap.layout_
    ids = ev.portfolio.ids
    for a, b in zip(lay.arrow_from.tolist(), lay.arrow_to.tolist()):
        needs = ev.portfolio.value(int(lay.rows[b]), "depends_on")
        assert str(ids[lay.rows[a]]) in needs
    assert len(lay.arrow_from) > 0
    window.select_row(roadmap.first_with_chain())
    assert roadmap.has_chain() and all(a != b for a, b, _ in roadmap.picture.routes)


@pytest.mark.slow
def test_dark_theme_and_png_export(window, tmp_path):
    window.set_theme("dark")
    try:
        out = chart(window, "roadmap").export_png(tmp_path / "roadmap.png", scale=2)
        assert out.stat().st_size > 5_000
        assert chart(window, "capacity").marks.opts["pen"].color().lightness() > 200
    finally:
        window.set_theme("light")


def test_the_grid_numbers_of_a_pool(qtbot):
    ev = fx.evaluation()
    grid = capacity_grid(ev)
    alloc = ev.allocation
    assert grid.teams == (POOL_NAME,) and grid.quarters == ("2025-Q1", "2025-Q2")
    assert grid.capacity.tolist() == [[20.0, 15.0]]
    assert grid.used[0].tolist() == alloc.utilisation["used"].tolist()
    assert grid.by_category.sum(axis=2).tolist() == grid.used.tolist()
    effort = ev.portfolio.numeric("effort")
    assert grid.not_funded[0] == pytest.approx(effort[~alloc.funded].sum())
    assert (grid.cell_row[alloc.funded] == 0).all() and (grid.cell_row[~alloc.funded] == -1).all()
