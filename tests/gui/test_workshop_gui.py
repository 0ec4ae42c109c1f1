"""The workshop as a document: recovery after a kill, Save As, undo of every kind of change."""

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from cutline.app.document import intents
from cutline.app.lifecycle import document_factory, recovery, saving
from cutline.app.window import handlers as file_actions
from cutline.models.capacity.capacity import Guardrail
from cutline.models.capacity.edits import with_guardrail
from cutline.models.scoring.model import Criterion

# Left out of the fast lane (pytest -m "not slow"): its tests drive real windows and dialogs.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

KILLED_EDITOR = textwrap.dedent("""
    import os, signal, sys
    from dataclasses import replace
    from cutline.app.lifecycle.loading import load_spreadsheet, sample_path
    from cutline.models.workshop.file import WorkshopFile
    from cutline.models.workshop.journal import JournalEntry
    workshop = load_spreadsheet(sample_path()).workshop
    file = WorkshopFile.create(sys.argv[1], workshop)
    scenario = workshop.current_scenario()
    after = workshop.with_scenario(replace(scenario, model=scenario.model.with_weight("dx", 7)))
    file.record(after, JournalEntry("weight", "Weight of dx 2 → 7", after.current, 2, 7))
    print("recorded", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
""")


def test_recovery_after_a_kill(window, tmp_path):
    folder = document_factory.untitled_folder()
    for old in folder.glob("*.cutline"):
        old.unlink()
    path = folder / "Killed 2026.cutline"
    result = subprocess.run([sys.executable, "-c", KILLED_EDITOR, str(path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == -9 and "recorded" in result.stdout
    assert path in recovery.candidates()
    window.prompts.script(True)                                     # "Recover it?" — yes
    recovery.offer(window)
    doc = window.document
    assert Path(doc.file.path) == path
    assert doc.workshop.current_scenario().model.criterion("dx").weight == 7
    assert doc.untitled and doc.recovered
    assert any("dx" in e.summary for e in doc.journal())
    window.prompts.script("Discard")
    window.close()


def test_save_as_continues_in_the_new_file(window, tmp_path):
    target = tmp_path / "Planning.cutline"
    saving.save_to(window, target)
    doc = window.document
    assert doc.path == target and not doc.untitled
    intents.set_weight(doc, "risk", 4)
    from cutline.models.workshop.file import WorkshopFile

    copy_path = tmp_path / "copy.cutline"
    copy_path.write_bytes(target.read_bytes())
    for suffix in ("-wal",):
        wal = Path(str(target) + suffix)
        if wal.exists():
            Path(str(copy_path) + suffix).write_bytes(wal.read_bytes())
    reopened = WorkshopFile.open(copy_path, read_only=True)
    assert reopened.workshop.current_scenario().model.criterion("risk").weight == 4
    reopened.close()
    assert "Planning" in window.windowTitle()


def _snapshot(doc):
    ev = doc.evaluation
    return (ev.ranking.score.copy(), ev.ranking.order.copy(), ev.allocation.funded.copy())


def test_undo_of_each_kind_restores_the_ranking_exactly(window):
    doc = window.document
    row = int(doc.evaluation.ranking.order[5])
    ident = doc.workshop.portfolio.ids[row]
    capacity = doc.workshop.current_scenario().capacity
    table = capacity.table.copy()
    table["capacity"] = table["capacity"] * 0.5
    changes = [
        lambda: intents.set_weight(doc, "security", 9),
        lambda: intents.set_criterion(doc, "effort", direction="benefit"),
        lambda: intents.add_criterion(doc, Criterion("reach", "reach", "benefit", "minmax", 2)),
        lambda: intents.remove_criterion(doc, "rice"),
        lambda: intents.set_tiers_enabled(doc, False),
        lambda: intents.set_cell(doc, row, "effort", "1"),
        lambda: intents.set_capacity(doc, type(capacity)(table, capacity.guardrails), "Half capacity"),
        lambda: intents.set_pin(doc, ident, False),
        lambda: intents.duplicate_scenario(doc, "Copy"),
        lambda: intents.set_capacity(doc, with_guardrail(capacity, Guardrail("tech-debt", 0.2, 0.5)),
                                     "Reserve 20% for tech-debt"),
        lambda: intents.set_tier(doc, "Reliability and security first", enabled=False),
        lambda: intents.switch_scenario(doc, "Reliability push"),
        lambda: intents.rename_scenario(doc, "Default", "Baseline"),
        lambda: intents.delete_scenario(doc, "Reliability push"),
        lambda: intents.replace_portfolio(doc, doc.workshop.portfolio.with_values({(row, "dx"): 10.0}),
                                          source="edited.xlsx"),
    ]
    for change in changes:
        before = _snapshot(doc)
        change()
        assert doc.undo_stack.canUndo()
        doc.undo_stack.undo()
        after = _snapshot(doc)
        for a, b in zip(before, after, strict=True):
            assert np.array_equal(a, b)
        doc.undo_stack.redo()
        doc.undo_stack.undo()
        assert all(np.array_equal(a, b) for a, b in zip(before, _snapshot(doc), strict=True))


def test_a_slider_drag_is_one_undo_step(window):
    doc = window.document
    start = doc.undo_stack.count()
    for w in (2.5, 3, 3.5, 4, 4.5):
        intents.set_weight(doc, "dx", w)
    assert doc.undo_stack.count() == start + 1
    assert doc.undo_stack.undoText() == "Weight of dx 2 → 4.5"
    last = doc.journal()[-1]
    assert (last.summary, last.old, last.new) == ("Weight of dx 2 → 4.5", 2, 4.5)  # one entry, first to last
    doc.undo_stack.undo()
    assert doc.workshop.current_scenario().model.criterion("dx").weight == 2


def test_sample_workshop_matches_the_sample_sheet():
    from cutline.app.lifecycle.loading import load_spreadsheet, sample_path

    sample = document_factory.load_sample(keep_file=False)
    try:
        assert sample.workshop.portfolio.equals(load_spreadsheet(sample_path()).workshop.portfolio), \
            "resources/sample.cutline is stale: run python resources/build_sample_workshop.py"
        assert len(sample.workshop.scenarios) == 3
    finally:
        sample.file.close(discard=True)


def test_untitled_folder_is_the_test_profile():
    assert "qttest" in str(document_factory.untitled_folder()), "tests must not touch the real profile"


def _tampered(tmp_path) -> Path:
    """A saved workshop whose first title another program changed (its checksum no longer matches)."""
    import sqlite3

    from cutline.app.lifecycle.loading import load_spreadsheet, sample_path
    from cutline.models.workshop.file import WorkshopFile

    path = tmp_path / "Tampered.cutline"
    WorkshopFile.create(path, load_spreadsheet(sample_path()).workshop).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE initiatives SET title = 'Edited elsewhere' WHERE position = 0")
    conn.commit()
    conn.close()
    return path


def test_a_workshop_changed_outside_cutline_is_opened_read_only_only_when_asked(window, tmp_path):
    path = _tampered(tmp_path)
    before = window.document
    window.prompts.script(False)                           # "Open it read-only?" — no
    file_actions.open_path(window, path)
    assert window.document is before
    window.prompts.script(True)                            # yes
    file_actions.open_path(window, path)
    doc = window.document
    assert doc is not before and Path(doc.file.path) == path and doc.read_only
    assert doc.workshop.portfolio.value(0, "title") == "Edited elsewhere"
    assert "changed outside Cutline (table initiatives, record 0)" in window.last_message
    window.prompts.script(*[None] * 5)


def test_a_workshop_whose_ids_look_alike_is_opened_with_a_warning(window, tmp_path):
    from cutline.models.portfolio.portfolio import Portfolio
    from cutline.models.workshop.document import Workshop
    from cutline.models.workshop.file import WorkshopFile

    path = tmp_path / "Ids.cutline"
    records = [{"id": i, "title": f"T{n}", "reach": n, "effort": 1} for n, i in enumerate(["PLT-1", "PLT-1\u200b"])]
    WorkshopFile.create(path, Workshop.new(Portfolio.from_records(records))).close()
    window.prompts.script(*[None] * 5)
    file_actions.open_path(window, path)
    assert Path(window.document.file.path) == path and not window.document.read_only
    assert "PLT-1<U+200B ZERO WIDTH SPACE>" in window.last_message
