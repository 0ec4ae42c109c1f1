"""'If it slips a quarter…' in the explain panel: the sample opened through the window, the button
asks, the scoring feature answers with cutline.models.capacity.delay, and the plan stays exactly as it was."""

from pathlib import Path

import numpy as np
import pytest

from cutline.app.features.import_spreadsheet import ImportFeature
from cutline.app.window import handlers as file_actions
from cutline.models.capacity.delay import delay_effects, slip_lines
from cutline.views.explain_panel import ExplainPanel

# Left out of the fast lane (pytest -m "not slow"): its tests drive real windows and dialogs.
pytestmark = pytest.mark.slow

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample_portfolio.xlsx"


def _open_sample(window, qtbot):
    old = window.document
    imports = window.feature(ImportFeature)
    before = imports.session
    file_actions.open_path(window, SAMPLE)
    qtbot.waitUntil(lambda: imports.session is not before and imports.dialog is not None, timeout=20_000)
    window.feature(ImportFeature).dialog.accept_button.click()
    qtbot.waitUntil(lambda: window.document is not old and window.document.evaluation is not None
                    and "PLT-101" in window.document.workshop.portfolio.row_of_id, timeout=20_000)
    return window.document


def _select(window, qtbot, doc, ident):
    row = doc.workshop.portfolio.row_of_id[ident]
    window.select_row(row)
    panel = window.findChild(ExplainPanel, "explainPanel")
    qtbot.waitUntil(lambda: panel.explained_row() == row, timeout=5_000)
    return row, panel


def _plan(doc):
    a = doc.evaluation.allocation
    return a.funded.copy(), a.quarter.copy(), a.finish.copy()


def test_a_slip_says_who_moves_and_changes_nothing(window, qtbot):
    doc = _open_sample(window, qtbot)
    row, panel = _select(window, qtbot, doc, "PLT-101")
    assert not panel.slip_button.isHidden() and panel.slip.isHidden()

    workshop, scenario, evaluation = doc.workshop, doc.workshop.current_scenario(), doc.evaluation
    undo_count, plan = doc.undo_stack.count(), _plan(doc)
    panel.slip_button.click()

    expected = slip_lines(delay_effects(doc.evaluator(), scenario, row))
    assert panel.slip_lines == expected
    assert not panel.slip.isHidden()
    lines = panel.slip_lines
    assert lines[0].startswith("PLT-101 starts ")
    assert "Start later (6):" in lines and "Fall out of the funded set (2):" in lines
    assert any(line.startswith("  #") and "(team " in line for line in lines)
    assert lines[-1].startswith("Teams affected: ")
    assert "Start later (6):" in panel.slip.text()
    # who falls out says why in a few words: the line already names the team
    fell = lines[lines.index("Fall out of the funded set (2):") + 1]
    assert fell.endswith(": was 2027-Q4; needs 3 pw, 1 free")

    # the workshop and the plan are as they were
    assert doc.workshop is workshop and doc.workshop.current_scenario() is scenario
    assert doc.evaluation is evaluation and doc.undo_stack.count() == undo_count
    for before, after in zip(plan, _plan(doc), strict=True):
        assert np.array_equal(before, after)


def test_nothing_else_moves_and_another_selection_clears_the_answer(window, qtbot):
    doc = _open_sample(window, qtbot)
    _, panel = _select(window, qtbot, doc, "PLT-102")
    panel.slip_button.click()
    assert panel.slip_lines[-1] == "Nothing else moves."

    _select(window, qtbot, doc, "PLT-101")
    assert panel.slip.isHidden() and panel.slip_lines == []


def test_no_button_for_an_unfunded_initiative(window, qtbot):
    doc = _open_sample(window, qtbot)
    a = doc.evaluation.allocation
    unfunded = int(np.flatnonzero(~a.funded)[0])
    _, panel = _select(window, qtbot, doc, str(doc.workshop.portfolio.ids[unfunded]))
    assert panel.slip_button.isHidden()
