"""Plans as they really run, in the window: spans and late work in the ranked table, the explain
panel and the CLI table; the planning settings in the capacity editor, applied and undone as one
step."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt

from cutline.app.cli.commands import rank_table
from cutline.models.words.plans import span_text, span_words
from cutline.views.explain_panel import ExplainPanel
from cutline.views.ranked_table_model import RankedTableModel
from tests.models import test_export_cases as case

NO_DUE = np.iinfo(np.int64).max


def spanning_late():
    """The export case with I-1 (row 0) run 2027-Q1 → Q2 (2 + 2 pw) though due in 2027-Q1: late.
    I-3 (row 2) due 2027-Q2, finished in 2027-Q1: on time."""
    allocation = replace(case.allocation(), finish=np.array([1, -1, 0, -1, 1]),
                         span_ptr=np.array([0, 2, 2, 3, 3, 4]), span_quarter=np.array([0, 1, 0, 1]),
                         span_pw=np.array([2.0, 2.0, 3.0, 1.0]),
                         due=np.array([0, NO_DUE, 1, NO_DUE, NO_DUE]),
                         due_quarter=np.array(["2027-Q1", "", "2027-Q2", "", ""], dtype=object),
                         late=np.array([True, False, False, False, False]))
    return case.evaluation(allocation=allocation)


def test_span_words_drop_the_repeated_year_and_keep_a_new_one():
    assert span_text("2027-Q1", "2027-Q3") == "2027-Q1 → Q3"
    assert span_text("2026-Q4", "2027-Q2") == "2026-Q4 → 2027-Q2"
    assert span_text("2027-Q1", "2027-Q1") == "2027-Q1"
    assert span_text("Sprint A", "Sprint C", "→") == "Sprint A→Sprint C"
    assert span_words(spanning_late().allocation).tolist() == ["2027-Q1 → Q2", "", "2027-Q1", "", "2027-Q2"]


def test_the_table_shows_the_span_and_late_in_words_with_a_mark(qtbot):
    model = RankedTableModel()
    model.set_evaluation(spanning_late())
    col = model.column_of("funding")
    shown = {model.data(model.index(r, model.column_of("id"))): model.data(model.index(r, col))
             for r in range(model.rowCount())}
    assert shown["I-1"] == "⚠ late 2027-Q1 → Q2 (due 2027-Q1)"  # the word first: never elided
    assert shown["I-3"] == "2027-Q1"  # on time: nothing added
    assert shown["I-5"].startswith("2027-Q2 — below the cut line")
    first = model.index(model.view_row(0), col)
    assert model.data(first, Qt.ItemDataRole.ToolTipRole) == (
        "Funded in 2027-Q1 (2 pw), 2027-Q2 (2 pw)\nLate: it finishes after its due quarter")
    assert model.data(first, Qt.ItemDataRole.FontRole).bold()
    assert model.data(model.index(model.view_row(2), col), Qt.ItemDataRole.FontRole) is None


def test_the_explain_panel_gives_quarters_person_weeks_finish_due_and_late(qtbot):
    panel = ExplainPanel()
    qtbot.addWidget(panel)
    ev = spanning_late()
    panel.show_initiative(ev, 0)
    facts = panel.facts
    assert facts.quarters == (("2027-Q1", 2.0), ("2027-Q2", 2.0))
    assert (facts.finish_quarter, facts.due_quarter, facts.late) == ("2027-Q2", "2027-Q1", True)
    text = panel.funding.text()
    assert text.startswith("Funded in 2027-Q1 → Q2, late (due 2027-Q1).")
    assert "2027-Q1 2 pw · 2027-Q2 2 pw; finishes in 2027-Q2." in text
    assert "Due 2027-Q1: ⚠ late</b>, it finishes in 2027-Q2." in text
    assert "⚠ late" in panel.headline.text()
    panel.show_initiative(ev, 2)
    assert "Due 2027-Q2: on time." in panel.funding.text()
    assert "late" not in panel.headline.text()
    panel.show_initiative(ev, 1)  # not funded: no quarters, no due line
    assert panel.facts.quarters == () and panel.funding.text().startswith("Not funded")


def test_the_cli_table_shows_the_span_and_late():
    lines = rank_table(spanning_late()).splitlines()
    first = next(line for line in lines if "I-1" in line)
    assert first.rstrip().endswith("2027-Q1→Q2 ⚠ late (due 2027-Q1)")
    assert next(line for line in lines if "I-3" in line).rstrip().endswith("2027-Q1")


# -- charts with spans -----------------------------------------------------------------------
def test_the_roadmap_draws_a_spanning_initiative_across_its_quarters_and_marks_it_late(qtbot):
    from cutline.views.charts.roadmap_lanes import RoadmapChart

    chart = RoadmapChart()
    qtbot.addWidget(chart)
    chart.set_evaluation(spanning_late())
    lay = chart.layout_
    box = {str(chart.evaluation.portfolio.ids[r]): i for i, r in enumerate(lay.rows.tolist())}
    i1, i3, i5 = box["I-1"], box["I-3"], box["I-5"]
    assert lay.x0[i1] == 0 and lay.x0[i1] + lay.width[i1] == 2.0     # all of 2027-Q1 and Q2
    assert lay.x0[i3] == 0 and lay.x0[i3] + lay.width[i3] <= 1.0     # within 2027-Q1
    assert lay.x0[i5] >= 1 and lay.x0[i5] + lay.width[i5] <= 2.0     # within 2027-Q2
    assert lay.spanning.tolist().count(True) == 1
    assert chart.picture.texts[i1].mark_id.startswith("⚠ ")
    assert "⚠ Late" in chart.key.names and "Due by" in chart.key.names and "1 late" in chart.note.text()
    text = chart.describe(0)
    assert "Funded in 2027-Q1 → Q2" in text and "2027-Q1 (2 pw), 2027-Q2 (2 pw)" in text
    assert "⚠ late (due 2027-Q1): it finishes in 2027-Q2" in text


def test_the_roadmap_without_spans_puts_each_box_in_its_quarter(qtbot):
    from cutline.models.portfolio.dependencies import DependencyGraph
    from cutline.models.roadmap.plan import plan_roadmap

    ev = case.evaluation()
    lay = plan_roadmap(ev, "team", 2, DependencyGraph.from_portfolio(ev.portfolio))
    assert not lay.spanning.any() and np.allclose(lay.width, 0.5)
    assert (np.floor(lay.x0) == ev.allocation.quarter[lay.rows]).all()


def test_the_capacity_chart_counts_a_span_in_every_quarter_it_uses(qtbot):
    from cutline.views.charts.capacity_bars import CapacityBarsChart

    chart = CapacityBarsChart()
    qtbot.addWidget(chart)
    chart.set_evaluation(spanning_late())
    core = chart.grid.teams.index("Core")
    for col in (0, 1):
        rows, pw = chart.grid.placed(core, col)
        assert 0 in rows.tolist() and pw[rows.tolist().index(0)] == 2.0
    text = chart.hover_text(*chart.cell_centre(core, 1))
    assert "I-1 Harden database failover — 2 of 4 pw (2027-Q1 → Q2)" in text


# -- planning settings in the capacity editor ----------------------------------------------------
def plan_of(evaluation) -> tuple:
    a = evaluation.allocation
    return (a.funded.tolist(), a.quarter.tolist(), a.finish.tolist(), a.span_ptr.tolist(),
            a.span_quarter.tolist(), a.span_pw.tolist(), a.late.tolist(), a.reason.tolist(), a.cut_line)


def test_the_editor_shows_and_returns_the_scenario_s_planning(qtbot):
    from cutline.models.capacity.capacity import Capacity
    from cutline.models.capacity.planning import Planning
    from cutline.views.capacity_editor import CapacityEditor

    dialog = CapacityEditor(Capacity.from_rows([("X", "2027-Q1", 10)]), planning=Planning(3, 1 / 3, True))
    qtbot.addWidget(dialog)
    assert (dialog.span_box.value(), dialog.share_box.value(), dialog.hard_box.isChecked()) == (3, 33, True)
    assert dialog.planning() == Planning(3, 1 / 3, True)  # 33% shown, a third kept
    dialog.share_box.setValue(50)
    dialog.hard_box.setChecked(False)
    assert dialog.planning() == Planning(3, 0.5, False)


@pytest.mark.slow
def test_changing_the_span_is_one_undoable_step_and_undo_restores_the_plan_exactly(window, qtbot):
    from cutline.views.capacity_editor import CapacityEditor

    doc = window.document
    doc.wait_idle()
    scenario = doc.workshop.current_scenario()
    assert scenario.planning.max_span_quarters == 1  # the bundled sample keeps whole quarters
    before = plan_of(doc.evaluation)
    steps, journal = doc.undo_stack.count(), len(doc.journal())
    window.actions["capacity"].trigger()
    dialog = window.findChild(CapacityEditor, "capacityEditor")
    assert dialog.span_box.value() == 1 and dialog.share_box.value() == 100 and not dialog.hard_box.isChecked()
    dialog.span_box.setValue(4)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    doc.wait_idle()
    assert doc.undo_stack.count() == steps + 1
    assert doc.undo_stack.undoText() == "Planning: span up to 1 → 4 quarters"
    assert window.last_message == doc.undo_stack.undoText()
    assert doc.workshop.current_scenario().planning.max_span_quarters == 4
    assert doc.workshop.current_scenario().capacity == scenario.capacity
    after = plan_of(doc.evaluation)
    assert after != before and max(doc.evaluation.allocation.span_length) > 1  # work now spans quarters
    entry = doc.journal()[-1]
    assert len(doc.journal()) == journal + 1
    assert entry.kind == "planning" and entry.summary == "Planning: span up to 1 → 4 quarters"
    doc.undo_stack.undo()
    doc.wait_idle()
    assert doc.workshop.current_scenario() == scenario
    assert plan_of(doc.evaluation) == before
    doc.undo_stack.redo()
    doc.wait_idle()
    assert plan_of(doc.evaluation) == after


@pytest.mark.slow
def test_capacity_and_planning_changed_together_are_one_step(window, qtbot):
    from cutline.app.features import capacity_editor as capacity_flow

    doc = window.document
    doc.wait_idle()
    scenario = doc.workshop.current_scenario()
    steps = doc.undo_stack.count()
    dialog = capacity_flow.edit_capacity(window)
    qtbot.addWidget(dialog)
    old = dialog.grid.item(*dialog.cell("Identity", "2027-Q2")).text()
    dialog.type_into("Identity", "2027-Q2", "14")
    dialog.share_box.setValue(50)
    dialog.hard_box.setChecked(True)
    assert dialog.try_accept()
    assert doc.undo_stack.count() == steps + 1
    assert doc.undo_stack.undoText() == (f"Capacity of Identity in 2027-Q2 {old} → 14 pw; planning: at most "
                                         "100% → 50% of a team's quarter; due quarters hard")
    planning = doc.workshop.current_scenario().planning
    assert (planning.max_share_per_quarter, planning.hard_due_dates) == (0.5, True)
    doc.undo_stack.undo()
    assert doc.workshop.current_scenario() == scenario
